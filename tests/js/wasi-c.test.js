// A C program of ours (tests/fixtures/c/wasi-tour.c: clang-14 + Debian's wasi-libc, wrapped by
// `jco new --wasi-command`, built at test time) run in Node: through run() with memfs
// preopens and through `compoly run --dir` with temporary directories, whose files are
// checked on disk afterwards. It writes, reads, appends to, renames, lists and removes files,
// reads args, env, stdin, clocks and random, and prints `ok X` / `FAIL X: why` per check;
// a read-only preopen must refuse every change with EROFS/EACCES.
// The browser side is tests/browser/wasi-c.test.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, run } from '../../js/index.js';
import { memfs } from '../../js/wasi/index.js';
import { buildCComponent } from '../fixtures/c/build.js';
import { EDGE_CHECKS, READONLY_CHECKS, TOUR_CHECKS, parseChecks, tourInputs, tourStdin } from '../fixtures/c/tour.js';

const cli = fileURLToPath(new URL('../../js/cli/compoly.js', import.meta.url));
const built = buildCComponent('wasi-tour');
const skip = built.skip;
const component = skip ? null : await compile(readFileSync(built.path));
const text = new TextDecoder();

/** Asserts every expected check printed `ok` and none printed `FAIL`. */
function assertChecks({ exitCode, stdout, stderr }, expected) {
  const { ok, failed } = parseChecks(stdout);
  assert.deepEqual(failed, [], `failed checks (stderr: ${stderr})`);
  assert.deepEqual(expected.filter((c) => !ok.includes(c)), [], `checks that did not report (stdout:\n${stdout}\nstderr: ${stderr})`);
  assert.equal(exitCode, 0, `exit code (stderr: ${stderr})`);
}

async function runTour(options) {
  let stdout = '';
  let stderr = '';
  const { exitCode } = await run(component, {
    ...options,
    stdout: (b) => (stdout += text.decode(b, { stream: true })),
    stderr: (b) => (stderr += text.decode(b, { stream: true })),
  });
  return { exitCode, stdout, stderr };
}

// ---- run() with memfs -------------------------------------------------------------------

test('run(): the tour with a memfs preopen', { skip }, async () => {
  const stdin = tourStdin(150_000); // more than one read's worth
  const { args, env } = tourInputs(stdin);
  const fs = memfs();
  const outcome = await runTour({ args: ['wasi-tour', ...args], env, stdin, preopens: { '/data': fs } });
  assertChecks(outcome, TOUR_CHECKS);
  assert.match(outcome.stdout, /^argv\[3\]=ünï ✓$/m);
  assert.match(outcome.stdout, /^environ\[0\]=TOUR_GREETING=hi=there ✓$/m);
  // What the program left behind.
  assert.deepEqual(fs.toJSON(), { tour: { 'b.txt': 'hello\nworld\n' } });
});

test('run(): the tour with stdin as a ReadableStream in small chunks and the preopen elsewhere', { skip }, async () => {
  const stdin = tourStdin(10_000);
  const { args, env } = tourInputs(stdin);
  const stream = new ReadableStream({
    start(controller) {
      for (let i = 0; i < stdin.length; i += 777) controller.enqueue(stdin.slice(i, i + 777));
      controller.close();
    },
  });
  const fs = memfs({ 'other.txt': 'left alone' });
  const outcome = await runTour({
    args: ['wasi-tour', ...args],
    env: [...env, ['TOUR_DIR', '/mnt/work']],
    stdin: stream,
    preopens: { '/mnt/work': fs },
  });
  assertChecks(outcome, TOUR_CHECKS);
  assert.deepEqual(fs.toJSON(), { 'other.txt': 'left alone', tour: { 'b.txt': 'hello\nworld\n' } });
});

test('run(): a failing check gives exit code 1 and a FAIL line', { skip }, async () => {
  const stdin = tourStdin(10);
  const { args, env } = tourInputs(stdin);
  // The program wants argc 4 and "hello world" as argv[2].
  const outcome = await runTour({ args: ['wasi-tour', 'tour', 'other', args[2]], env, stdin, preopens: { '/data': memfs() } });
  assert.equal(outcome.exitCode, 1);
  assert.deepEqual(parseChecks(outcome.stdout).failed, ["args.space: argv[2] is 'other'"]);
});

test('run(): a read-only memfs preopen refuses every change (EROFS)', { skip }, async () => {
  const fs = memfs({ 'existing.txt': 'read me\n' });
  const outcome = await runTour({ args: ['wasi-tour', 'readonly'], preopens: { '/data': { fs, readonly: true } } });
  assertChecks(outcome, READONLY_CHECKS);
  for (const op of ['create', 'append', 'truncate', 'open-rdwr', 'mkdir', 'unlink', 'rename']) {
    assert.match(outcome.stdout, new RegExp(`^ro\\.${op}: refused \\(errno \\d+, (EROFS|EACCES)\\)$`, 'm'));
  }
  assert.deepEqual(fs.toJSON(), { 'existing.txt': 'read me\n' });
});

test('run(): persist-write then persist-check on the same memfs; a fresh one has no file', { skip }, async () => {
  const fs = memfs();
  const token = `token-${Date.now()}`;
  assertChecks(await runTour({ args: ['wasi-tour', 'persist-write', token], preopens: { '/data': fs } }), ['persist.write', 'persist.read-back']);
  assertChecks(await runTour({ args: ['wasi-tour', 'persist-check', token], preopens: { '/data': fs } }), ['persist.exists', 'persist.content']);
  const fresh = await runTour({ args: ['wasi-tour', 'persist-check', token], preopens: { '/data': memfs() } });
  assert.equal(fresh.exitCode, 1);
  assert.match(parseChecks(fresh.stdout).failed.join('\n'), /^persist\.exists: \/data\/persist\.txt: No such file or directory$/m);
});

test('run(): less common file operations on memfs (edges)', { skip }, async () => {
  const fs = memfs();
  const outcome = await runTour({ args: ['wasi-tour', 'edges'], preopens: { '/data': fs } });
  assertChecks(outcome, EDGE_CHECKS);
  const edges = fs.toJSON().edges;
  assert.equal(Object.keys(edges.many).length, 150);
  assert.deepEqual(edges.link, { symlink: 'r2' });
  assert.equal(edges['hole.bin'].length, 1001);
});

// ---- compoly run --dir with real directories ---------------------------------------------

function compolyRun(flags, args, input = '') {
  const r = spawnSync(process.execPath, [cli, 'run', ...flags, built.path, ...args], { input, maxBuffer: 16 << 20 });
  return { exitCode: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

function withTemp(fn) {
  const root = mkdtempSync(join(tmpdir(), 'compoly-wasi-c-'));
  try {
    return fn(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

test('compoly run --dir: the tour on a temporary directory, its files checked on disk', { skip }, () => {
  withTemp((root) => {
    const data = join(root, 'data');
    mkdirSync(data);
    const stdin = tourStdin(200_000);
    const { args, env } = tourInputs(stdin);
    const envFlags = env.flatMap(([k, v]) => ['--env', `${k}=${v}`]);
    const outcome = compolyRun(['--dir', `${data}::/data`, ...envFlags, '--argv0', 'wasi-tour'], args.slice(0), stdin);
    assertChecks(outcome, TOUR_CHECKS);
    assert.match(outcome.stdout, /^argv\[0\]=wasi-tour$/m);
    assert.deepEqual(readdirSync(data), ['tour']);
    assert.deepEqual(readdirSync(join(data, 'tour')), ['b.txt']);
    assert.equal(readFileSync(join(data, 'tour', 'b.txt'), 'utf8'), 'hello\nworld\n');
    // The attempt to write ../escape.txt left nothing beside the preopen.
    assert.deepEqual(readdirSync(root), ['data']);
  });
});

test('compoly run --dir-ro: a read-only directory refuses every change and is unchanged on disk', { skip }, () => {
  withTemp((root) => {
    writeFileSync(join(root, 'existing.txt'), 'read me\n');
    const outcome = compolyRun(['--dir-ro', `${root}::/data`], ['readonly']);
    assertChecks(outcome, READONLY_CHECKS);
    assert.deepEqual(readdirSync(root), ['existing.txt']);
    assert.equal(readFileSync(join(root, 'existing.txt'), 'utf8'), 'read me\n');
    // The same with the HOST::GUEST::ro spelling.
    assertChecks(compolyRun(['--dir', `${root}::/data::ro`], ['readonly']), READONLY_CHECKS);
  });
});

test('compoly run --dir: less common file operations on a real directory (edges)', { skip }, () => {
  withTemp((root) => {
    const data = join(root, 'data');
    mkdirSync(data);
    assertChecks(compolyRun(['--dir', `${data}::/data`], ['edges']), EDGE_CHECKS);
    assert.equal(readdirSync(join(data, 'edges', 'many')).length, 150);
    assert.equal(readFileSync(join(data, 'edges', 'hole.bin')).length, 1001);
    assert.equal(readlinkSync(join(data, 'edges', 'link')), 'r2');
    assert.equal(statSync(join(data, 'edges', 'r2')).mtime.getTime(), 1234567890000);
    assert.deepEqual(readdirSync(root), ['data']);
  });
});

test('compoly run: a file written by one run is there for the next (and on disk)', { skip }, () => {
  withTemp((root) => {
    const token = `token-${process.pid}`;
    assertChecks(compolyRun(['--dir', `${root}::/data`], ['persist-write', token]), ['persist.write', 'persist.read-back']);
    assert.equal(readFileSync(join(root, 'persist.txt'), 'utf8'), token);
    assertChecks(compolyRun(['--dir', `${root}::/data`], ['persist-check', token]), ['persist.exists', 'persist.content']);
    assert.ok(existsSync(join(root, 'persist.txt')));
  });
});
