// The WASI host pieces on their own, called as the runtime calls them
// (resource methods on host objects; err results thrown with a payload):
// filesystem sandboxing (memfs and real Node directories), read-only
// preopens, stdio capture, clocks, random, sockets without a network, config errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WasiHost, memfs, ExitSignal, OutputStream, memorySink } from '../../js/wasi/index.js';

const inNode = typeof process === 'object' && typeof process.versions?.node === 'string';
const enc = new TextEncoder();
const dec = new TextDecoder();

/** The error code (or stream error tag) a host call fails with. */
function errOf(fn) {
  try {
    fn();
  } catch (e) {
    if (e && typeof e === 'object' && 'payload' in e) return e.payload;
    if (e && typeof e === 'object' && 'tag' in e) return e.tag;
    throw e;
  }
  assert.fail('expected the call to fail');
}

const NOFOLLOW = { symlinkFollow: false };
const FOLLOW = { symlinkFollow: true };
const RO = { read: true };
const RW = { read: true, write: true };

function preopen(imports, i = 0) {
  return imports['wasi:filesystem/preopens'].getDirectories()[i];
}

function readAll(stream) {
  const chunks = [];
  for (;;) {
    try {
      chunks.push(stream.blockingRead(65536n));
    } catch (e) {
      if (e?.tag === 'closed') break;
      throw e;
    }
  }
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return dec.decode(all);
}

function readFile(dir, path) {
  const fd = dir.openAt(FOLLOW, path, {}, RO);
  const text = readAll(fd.readViaStream(0n));
  fd[Symbol.dispose]();
  return text;
}

function writeFile(dir, path, text, openFlags = { create: true, truncate: true }) {
  const fd = dir.openAt(FOLLOW, path, openFlags, RW);
  const out = fd.writeViaStream(0n);
  out.blockingWriteAndFlush(enc.encode(text));
  out[Symbol.dispose]();
  fd[Symbol.dispose]();
}

// ---- filesystem behaviour shared by every backend ------------------------------------------

function filesystemSuite(name, makePreopen) {
  test(`${name}: paths cannot leave the preopen`, async () => {
    const { spec, cleanup } = await makePreopen({ 'a.txt': 'alpha', 'sub/b.txt': 'beta' });
    try {
      const [dir, guest] = preopen(new WasiHost({ preopens: { '/data': spec } }).imports());
      assert.equal(guest, '/data');
      assert.equal(readFile(dir, 'a.txt'), 'alpha');
      assert.equal(readFile(dir, 'sub/../a.txt'), 'alpha');
      assert.equal(readFile(dir, './sub/./b.txt'), 'beta');
      for (const path of ['..', '../a.txt', 'sub/../../a.txt', 'sub/../../../etc/passwd', '/etc/passwd', '/a.txt']) {
        assert.equal(errOf(() => dir.openAt(FOLLOW, path, {}, RO)), 'not-permitted', path);
        assert.equal(errOf(() => dir.statAt(FOLLOW, path)), 'not-permitted', path);
      }
      assert.equal(errOf(() => dir.createDirectoryAt('../x')), 'not-permitted');
      assert.equal(errOf(() => dir.openAt(FOLLOW, '../new.txt', { create: true }, RW)), 'not-permitted');
      // A subdirectory descriptor is its own sandbox: `..` cannot leave it either.
      const sub = dir.openAt(FOLLOW, 'sub', { directory: true }, RO);
      assert.equal(readFile(sub, 'b.txt'), 'beta');
      assert.equal(errOf(() => sub.openAt(FOLLOW, '../a.txt', {}, RO)), 'not-permitted');
      // Symlinks: absolute targets and targets leaving the directory are refused.
      dir.symlinkAt('sub/b.txt', 'link-ok');
      assert.equal(readFile(dir, 'link-ok'), 'beta');
      assert.equal(dir.readlinkAt('link-ok'), 'sub/b.txt');
      assert.equal(errOf(() => dir.symlinkAt('/etc/passwd', 'abs')), 'not-permitted');
      dir.symlinkAt('../a.txt', 'sub/up');
      assert.equal(readFile(dir, 'sub/up'), 'alpha', 'a symlink may go up while it stays inside');
      dir.symlinkAt('../../outside', 'sub/escape');
      assert.equal(errOf(() => dir.openAt(FOLLOW, 'sub/escape', {}, RO)), 'not-permitted');
      assert.equal(errOf(() => dir.openAt(NOFOLLOW, 'link-ok', {}, RO)), 'loop');
      assert.equal(dir.statAt(NOFOLLOW, 'link-ok').type, 'symbolic-link');
      assert.equal(dir.statAt(FOLLOW, 'link-ok').type, 'regular-file');
    } finally {
      await cleanup();
    }
  });

  test(`${name}: files and directories`, async () => {
    const { spec, cleanup } = await makePreopen({ 'a.txt': 'alpha' });
    try {
      const imports = new WasiHost({ preopens: { '/': spec } }).imports();
      const [dir] = preopen(imports);
      assert.equal(dir.getType(), 'directory');
      assert.deepEqual(dir.getFlags().mutateDirectory, true);
      writeFile(dir, 'new.txt', 'hello');
      assert.equal(readFile(dir, 'new.txt'), 'hello');
      // append
      const fd = dir.openAt(FOLLOW, 'new.txt', {}, RW);
      const app = fd.appendViaStream();
      app.blockingWriteAndFlush(enc.encode(', world'));
      app[Symbol.dispose]();
      assert.equal(fd.stat().size, 12n);
      assert.equal(fd.stat().type, 'regular-file');
      const [bytes, eof] = fd.read(5n, 7n);
      assert.equal(dec.decode(bytes), 'world');
      assert.equal(eof, true);
      assert.equal(fd.write(enc.encode('J'), 0n), 1n);
      fd.setSize(5n);
      fd[Symbol.dispose]();
      assert.equal(readFile(dir, 'new.txt'), 'Jello');
      // a read-only descriptor cannot write, a write-only one cannot read
      const ro = dir.openAt(FOLLOW, 'a.txt', {}, RO);
      assert.equal(errOf(() => ro.writeViaStream(0n)), 'bad-descriptor');
      assert.equal(errOf(() => ro.write(enc.encode('x'), 0n)), 'bad-descriptor');
      ro.sync();
      ro.syncData();
      ro[Symbol.dispose]();
      // open flags
      assert.equal(errOf(() => dir.openAt(FOLLOW, 'a.txt', { create: true, exclusive: true }, RW)), 'exist');
      assert.equal(errOf(() => dir.openAt(FOLLOW, 'missing.txt', {}, RO)), 'no-entry');
      assert.equal(errOf(() => dir.openAt(FOLLOW, 'a.txt', { directory: true }, RO)), 'not-directory');
      assert.equal(errOf(() => dir.openAt(FOLLOW, 'a.txt/', {}, RO)), 'not-directory');
      // directories
      dir.createDirectoryAt('d');
      assert.equal(errOf(() => dir.createDirectoryAt('d')), 'exist');
      writeFile(dir, 'd/inner.txt', 'in');
      assert.equal(errOf(() => dir.openAt(FOLLOW, 'd', {}, RW)), 'is-directory');
      assert.equal(errOf(() => dir.removeDirectoryAt('d')), 'not-empty');
      assert.equal(errOf(() => dir.unlinkFileAt('d')), 'is-directory');
      assert.equal(errOf(() => dir.removeDirectoryAt('a.txt')), 'not-directory');
      const entries = [];
      const stream = dir.readDirectory();
      for (let e; (e = stream.readDirectoryEntry()) !== undefined; ) entries.push(`${e.name}:${e.type}`);
      assert.deepEqual(entries.sort(), ['a.txt:regular-file', 'd:directory', 'new.txt:regular-file']);
      // rename, unlink, rmdir
      dir.renameAt('d/inner.txt', dir, 'moved.txt');
      assert.equal(readFile(dir, 'moved.txt'), 'in');
      dir.removeDirectoryAt('d');
      dir.unlinkFileAt('moved.txt');
      assert.equal(errOf(() => dir.statAt(FOLLOW, 'moved.txt')), 'no-entry');
      // identity
      const a1 = dir.openAt(FOLLOW, 'a.txt', {}, RO);
      const a2 = dir.openAt(FOLLOW, 'a.txt', {}, RO);
      assert.equal(a1.isSameObject(a2), true);
      assert.equal(a1.isSameObject(dir), false);
      assert.deepEqual(a1.metadataHash(), dir.metadataHashAt(FOLLOW, 'a.txt'));
      assert.notDeepEqual(a1.metadataHash(), dir.metadataHash());
      // times
      dir.setTimesAt(FOLLOW, 'a.txt', { tag: 'timestamp', val: { seconds: 45n, nanoseconds: 0 } }, { tag: 'timestamp', val: { seconds: 10n, nanoseconds: 0 } });
      const st = a1.stat();
      assert.equal(st.dataModificationTimestamp.seconds, 10n);
      assert.equal(st.dataAccessTimestamp.seconds, 45n);
      // filesystem-error-code on a stream error
      const { filesystemErrorCode } = imports['wasi:filesystem/types'];
      assert.equal(filesystemErrorCode(new (imports['wasi:io/error'].Error)('x')), undefined);
    } finally {
      await cleanup();
    }
  });

  test(`${name}: a read-only preopen refuses every change`, async () => {
    const { spec, cleanup, read } = await makePreopen({ 'bar.txt': 'And stood awhile in thought', 'sub/': null });
    try {
      const [dir] = preopen(new WasiHost({ preopens: { '/': { ...spec, readonly: true } } }).imports());
      assert.equal(dir.getFlags().mutateDirectory, false);
      assert.equal(readFile(dir, 'bar.txt'), 'And stood awhile in thought');
      assert.equal(errOf(() => dir.openAt(FOLLOW, 'bar.txt', {}, RW)), 'read-only');
      assert.equal(errOf(() => dir.openAt(FOLLOW, 'bar.txt', { truncate: true }, RO)), 'read-only');
      assert.equal(errOf(() => dir.openAt(FOLLOW, 'new.txt', { create: true }, RW)), 'read-only');
      assert.equal(errOf(() => dir.createDirectoryAt('sub2')), 'read-only');
      assert.equal(errOf(() => dir.renameAt('bar.txt', dir, 'baz.txt')), 'read-only');
      assert.equal(errOf(() => dir.unlinkFileAt('bar.txt')), 'read-only');
      assert.equal(errOf(() => dir.removeDirectoryAt('sub')), 'read-only');
      assert.equal(errOf(() => dir.symlinkAt('bar.txt', 'l')), 'read-only');
      assert.equal(errOf(() => dir.linkAt(FOLLOW, 'bar.txt', dir, 'l')), 'read-only');
      const sub = dir.openAt(FOLLOW, 'sub', { directory: true }, { read: true, mutateDirectory: false });
      assert.equal(errOf(() => sub.createDirectoryAt('x')), 'read-only', 'subdirectories inherit read-only');
      const fd = dir.openAt(FOLLOW, 'bar.txt', {}, RO);
      assert.equal(errOf(() => fd.setSize(0n)), 'read-only');
      assert.equal(errOf(() => fd.appendViaStream()), 'read-only');
      assert.equal(await read('bar.txt'), 'And stood awhile in thought');
    } finally {
      await cleanup();
    }
  });
}

filesystemSuite('memfs', async (tree) => {
  const fs = memfs(tree);
  return { spec: { fs }, cleanup: async () => {}, read: async (p) => dec.decode(fs.readFile(p)) };
});

if (inNode) {
  const { mkdtempSync, mkdirSync, writeFileSync, rmSync, readFileSync, symlinkSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join, dirname } = await import('node:path');
  filesystemSuite('host directory (Node)', async (tree) => {
    const outer = mkdtempSync(join(tmpdir(), 'compoly-wasi-host-'));
    writeFileSync(join(outer, 'outside'), 'secret');
    const root = join(outer, 'root');
    mkdirSync(root);
    for (const [name, content] of Object.entries(tree)) {
      const p = join(root, name);
      if (name.endsWith('/')) mkdirSync(p, { recursive: true });
      else {
        mkdirSync(dirname(p), { recursive: true });
        writeFileSync(p, content);
      }
    }
    return {
      spec: { path: root },
      cleanup: async () => rmSync(outer, { recursive: true, force: true }),
      read: async (p) => readFileSync(join(root, p), 'utf8'),
    };
  });

  test('host directory (Node): a symlink planted on the host cannot lead out', () => {
    const outer = mkdtempSync(join(tmpdir(), 'compoly-wasi-host-'));
    try {
      const root = join(outer, 'root');
      mkdirSync(root);
      writeFileSync(join(outer, 'secret.txt'), 'secret');
      symlinkSync(join(outer, 'secret.txt'), join(root, 'abs-link'));
      symlinkSync('../secret.txt', join(root, 'rel-link'));
      symlinkSync(outer, join(root, 'dir-link'));
      const [dir] = preopen(new WasiHost({ preopens: { '/': root } }).imports());
      assert.equal(errOf(() => dir.openAt(FOLLOW, 'abs-link', {}, RO)), 'not-permitted');
      assert.equal(errOf(() => dir.openAt(FOLLOW, 'rel-link', {}, RO)), 'not-permitted');
      assert.equal(errOf(() => dir.openAt(FOLLOW, 'dir-link/secret.txt', {}, RO)), 'not-permitted');
      assert.equal(errOf(() => dir.statAt(FOLLOW, 'dir-link')), 'not-permitted');
      assert.equal(dir.statAt(NOFOLLOW, 'dir-link').type, 'symbolic-link');
    } finally {
      rmSync(outer, { recursive: true, force: true });
    }
  });

  test('host directory (Node): a missing host path is a clear error', () => {
    assert.throws(() => new WasiHost({ preopens: { '/': '/definitely/not/here' } }), /preopen '\/definitely\/not\/here'/);
  });
}

// ---- stdio ----------------------------------------------------------------------------------

test('stdout and stderr go to callbacks; stdin from a string, bytes or a callback', () => {
  const out = [];
  const err = [];
  const imports = new WasiHost({ stdin: 'line one\nline two', stdout: (b) => out.push(dec.decode(b)), stderr: (b) => err.push(dec.decode(b)) }).imports();
  const stdout = imports['wasi:cli/stdout'].getStdout();
  assert.ok(stdout.checkWrite() > 0n);
  stdout.write(enc.encode('hello, '));
  stdout.blockingWriteAndFlush(enc.encode('world\n'));
  stdout[Symbol.dispose]();
  // a second handle still works after the first was dropped
  imports['wasi:cli/stdout'].getStdout().blockingWriteAndFlush(enc.encode('again\n'));
  imports['wasi:cli/stderr'].getStderr().blockingWriteAndFlush(enc.encode('oops\n'));
  assert.equal(out.join(''), 'hello, world\nagain\n');
  assert.equal(err.join(''), 'oops\n');

  const stdin = imports['wasi:cli/stdin'].getStdin();
  assert.equal(dec.decode(stdin.read(5n)), 'line ');
  assert.equal(readAll(imports['wasi:cli/stdin'].getStdin()), 'one\nline two');
  assert.equal(errOf(() => stdin.read(1n)), 'closed');

  const bytes = new WasiHost({ stdin: new Uint8Array([1, 2, 3]) }).imports()['wasi:cli/stdin'].getStdin();
  assert.deepEqual([...bytes.blockingRead(10n)], [1, 2, 3]);

  const parts = ['ab', 'cd', null];
  const cb = new WasiHost({ stdin: () => parts.shift() }).imports()['wasi:cli/stdin'].getStdin();
  assert.equal(readAll(cb), 'abcd');
});

test('stdout to a WritableStream', async () => {
  const chunks = [];
  const stream = new WritableStream({ write: (c) => void chunks.push(dec.decode(c)) });
  const imports = new WasiHost({ stdout: stream }).imports();
  imports['wasi:cli/stdout'].getStdout().blockingWriteAndFlush(enc.encode('to a stream'));
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(chunks.join(''), 'to a stream');
});

test('stdin from a ReadableStream read ahead by the host', async () => {
  const host = new WasiHost({ stdin: new Blob(['streamed ', 'input']).stream() });
  await host.stdio.stdin.drain();
  assert.equal(readAll(host.imports()['wasi:cli/stdin'].getStdin()), 'streamed input');
});

test('output streams: a memory sink, check-write and splice', () => {
  const sink = memorySink(8);
  const out = new OutputStream(sink);
  assert.equal(out.checkWrite(), 8n);
  assert.throws(() => out.write(new Uint8Array(9)), /exceeds check-write/);
  const input = new WasiHost({ stdin: 'spliced!' }).imports()['wasi:cli/stdin'].getStdin();
  assert.equal(out.splice(input, 100n), 8n);
  out.writeZeroes(2n);
  assert.equal(sink.text(), 'spliced!\0\0');
});

// ---- cli, clocks, random, sockets -------------------------------------------------------------

test('environment and exit', () => {
  const imports = new WasiHost({ args: ['app', 'x'], env: { HOME: '/data', LANG: 'C' } }).imports();
  assert.deepEqual(imports['wasi:cli/environment'].getArguments(), ['app', 'x']);
  assert.deepEqual(imports['wasi:cli/environment'].getEnvironment(), [['HOME', '/data'], ['LANG', 'C']]);
  assert.equal(imports['wasi:cli/environment'].initialCwd(), undefined);
  const exitOf = (fn) => {
    try {
      fn();
    } catch (e) {
      assert.ok(e instanceof ExitSignal);
      return e.exitCode;
    }
  };
  assert.equal(exitOf(() => imports['wasi:cli/exit'].exit({ tag: 'ok' })), 0);
  assert.equal(exitOf(() => imports['wasi:cli/exit'].exit({ tag: 'err' })), 1);
  assert.equal(exitOf(() => imports['wasi:cli/exit'].exitWithCode(42)), 42);
  assert.equal(imports['wasi:cli/terminal-stdout'].getTerminalStdout(), undefined);
});

test('clocks: real ones move forward, fake ones are used as given', () => {
  const real = new WasiHost().imports();
  const mono = real['wasi:clocks/monotonic-clock'];
  const t0 = mono.now();
  assert.equal(typeof t0, 'bigint');
  mono.subscribeDuration(2_000_000n).block(); // 2 ms
  assert.ok(mono.now() - t0 >= 2_000_000n);
  assert.ok(mono.resolution() > 0n);
  const wall = real['wasi:clocks/wall-clock'].now();
  assert.ok(wall.seconds > 1_600_000_000n && wall.nanoseconds < 1e9);

  let now = 1000n;
  const fake = new WasiHost({
    clocks: { monotonic: { now: () => now, advanceTo: (t) => (now = t) }, wall: () => 86_400_500 },
  }).imports();
  const fm = fake['wasi:clocks/monotonic-clock'];
  const timer = fm.subscribeDuration(5_000_000_000n);
  assert.equal(timer.ready(), false);
  const ready = fake['wasi:io/poll'].poll([fm.subscribeDuration(10_000_000_000n), timer]);
  assert.deepEqual([...ready], [1]);
  assert.equal(now, 5_000_001_000n, 'the fake clock jumped to the deadline instead of sleeping');
  assert.deepEqual(fake['wasi:clocks/wall-clock'].now(), { seconds: 86_400n, nanoseconds: 500_000_000 });
});

test('random: secure bytes in any size, reproducible with a seed', () => {
  const r = new WasiHost().imports()['wasi:random/random'];
  const big = r.getRandomBytes(200_000n);
  assert.equal(big.length, 200_000);
  assert.ok(big.some((b) => b !== 0));
  assert.equal(typeof r.getRandomU64(), 'bigint');
  const a = new WasiHost({ random: { seed: 7 } }).imports();
  const b = new WasiHost({ random: { seed: 7 } }).imports();
  assert.deepEqual(a['wasi:random/random'].getRandomBytes(33n), b['wasi:random/random'].getRandomBytes(33n));
  assert.equal(a['wasi:random/insecure'].getInsecureRandomU64(), b['wasi:random/insecure'].getInsecureRandomU64());
  assert.deepEqual(a['wasi:random/insecure-seed'].insecureSeed(), b['wasi:random/insecure-seed'].insecureSeed());
});

test('sockets without a network fail with error codes and never block', () => {
  const imports = new WasiHost().imports();
  const net = imports['wasi:sockets/instance-network'].instanceNetwork();
  const tcp = imports['wasi:sockets/tcp-create-socket'].createTcpSocket('ipv4');
  const addr = { tag: 'ipv4', val: { port: 80, address: [127, 0, 0, 1] } };
  assert.equal(errOf(() => tcp.startConnect(net, addr)), 'access-denied');
  assert.equal(errOf(() => tcp.startBind(net, addr)), 'access-denied');
  assert.equal(errOf(() => tcp.startBind(net, { tag: 'ipv6', val: {} })), 'invalid-argument');
  assert.equal(errOf(() => tcp.finishConnect()), 'not-in-progress');
  assert.equal(tcp.subscribe().ready(), true);
  const udp = imports['wasi:sockets/udp-create-socket'].createUdpSocket('ipv6');
  assert.equal(udp.addressFamily(), 'ipv6');
  const lookup = imports['wasi:sockets/ip-name-lookup'].resolveAddresses(net, 'example.com');
  assert.equal(errOf(() => lookup.resolveNextAddress()), 'permanent-resolver-failure');
});

test('bad config is refused with a clear message', () => {
  assert.throws(() => new WasiHost({ argv: [] }), /unknown config option 'argv'/);
  assert.throws(() => new WasiHost({ args: 'x' }), /args must be an array/);
  assert.throws(() => new WasiHost({ env: [['A=B', 'c']] }), /contains '='/);
  assert.throws(() => new WasiHost({ stdout: 42 }), /stdout must be a callback or a WritableStream/);
  assert.throws(() => new WasiHost({ preopens: { '/x': 42 } }), /preopen '\/x'/);
});
