// The wasmtime WASI 0.2 test programs (../shared/corpus/wasmtime-p2), run as
// their manifest.json describes — args, env, stdin, preopens, exit code and
// output — through run() with memfs preopens, and (Node) through
// `compoly run` with the preopens as real temporary directories.
// p2_api_reactor is driven call by call, as wasmtime's harness does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile, instantiate, run } from '../../js/index.js';
import { WasiHost, OutputStream, memfs, memorySink } from '../../js/wasi/index.js';
import { corpusUrl, exists, readBytes, readJson } from './helpers/files.js';

const inNode = typeof process === 'object' && typeof process.versions?.node === 'string';
const dirUrl = new URL('wasmtime-p2/', corpusUrl);
const manifestUrl = new URL('manifest.json', dirUrl);
const haveCorpus = await exists(manifestUrl);
const manifest = haveCorpus ? await readJson(manifestUrl) : [];

// Failures caused outside js/wasi, reported to the runtime's owner; the
// tests still run (and say so when they start passing).
// Programs (and reactor calls) known not to pass yet, with the reason: none now.
const KNOWN = {};
const KNOWN_REACTOR_CALL = {};

const text = new TextDecoder();

function expand(v) {
  return typeof v === 'object' && v !== null && 'repeat' in v ? v.repeat.repeat(v.count) : v;
}

/** The runs one manifest entry asks for (p2_cli_much_stdout has five argument variants). */
function argSets(entry) {
  if (!entry.arg_variants) return [entry.args];
  return entry.arg_variants.map((v) => [entry.args[0], expand(v.arg1), expand(v.arg2)]);
}

function checkOutcome(entry, { exitCode, stdout, stderr }) {
  const expectedExit = entry.expect_exit;
  if (expectedExit === 'nonzero') assert.notEqual(exitCode, 0, 'exit code');
  else assert.equal(exitCode, expectedExit, `exit code (stderr: ${stderr.slice(0, 500)})`);
  const expectedStdout = entry.expect_stdout_generated ? expand(entry.expect_stdout_generated) : entry.expect_stdout;
  if (expectedStdout !== null && expectedStdout !== undefined) {
    assert.equal(stdout.length, expectedStdout.length, 'stdout length');
    assert.equal(stdout, expectedStdout, 'stdout');
  }
  if (entry.expect_stdout_contains) assert.ok(stdout.includes(entry.expect_stdout_contains), `stdout contains ${entry.expect_stdout_contains}`);
  if (entry.expect_stderr !== null && entry.expect_stderr !== undefined) assert.equal(stderr, entry.expect_stderr, 'stderr');
  if (entry.expect_stderr_contains) assert.ok(stderr.includes(entry.expect_stderr_contains), `stderr contains ${JSON.stringify(entry.expect_stderr_contains)}: ${stderr}`);
}

function memPreopens(entry) {
  const preopens = {};
  for (const p of entry.preopens) preopens[p.guest] = { fs: memfs(p.initial_files ?? {}), readonly: !p.writable };
  return preopens;
}

async function runWithApi(entry, args) {
  const component = await compile(await readBytes(new URL(entry.component, dirUrl)));
  let stdout = '';
  let stderr = '';
  let exitCode;
  const preopens = memPreopens(entry);
  try {
    ({ exitCode } = await run(component, {
      args,
      env: entry.env,
      stdin: entry.stdin ?? '',
      stdout: (b) => (stdout += text.decode(b, { stream: true })),
      stderr: (b) => (stderr += text.decode(b, { stream: true })),
      preopens,
    }));
  } catch (e) {
    // A trap (the guest panicked): a failure status, as wasmtime reports it.
    if (!(e instanceof WebAssembly.RuntimeError)) throw e;
    exitCode = 134;
  }
  return { exitCode, stdout, stderr, preopens };
}

const commands = manifest.filter((e) => e.world === 'command');
const reactor = manifest.find((e) => e.component === 'p2_api_reactor.component.wasm');

test('wasmtime-p2 corpus is present', { skip: !haveCorpus && `no ${manifestUrl.pathname}` }, () => {
  assert.ok(manifest.length >= 18, `${manifest.length} entries`);
});

for (const entry of commands) {
  test(`run(): ${entry.component}`, { todo: KNOWN[entry.component] }, async () => {
    for (const args of argSets(entry)) {
      const outcome = await runWithApi(entry, args);
      checkOutcome(entry, outcome);
    }
  });
}

if (reactor) {
  test(`reactor calls: ${reactor.component}`, async (t) => {
    const component = await compile(await readBytes(new URL(reactor.component, dirUrl)));
    const host = new WasiHost({ env: reactor.env, args: reactor.args });
    const { exports } = await instantiate(component, host.imports());
    for (const call of reactor.calls) {
      await t.test(call.call, { todo: KNOWN_REACTOR_CALL[call.call] }, () => {
        const fn = exports[call.call];
        assert.equal(typeof fn, 'function', `export ${call.call}`);
        if (call.call === 'write-strings-to') {
          const sink = memorySink(4096);
          const result = fn(new OutputStream(sink));
          assert.equal(result, undefined, 'ok');
          assert.equal(sink.text(), call.expect.stream_contents_after);
          return;
        }
        if (call.call === 'pass-an-imported-record') {
          const d = call.args[0];
          const ts = (x) => ({ seconds: BigInt(x.seconds), nanoseconds: x.nanoseconds });
          const record = {
            type: d.type,
            linkCount: BigInt(d['link-count']),
            size: BigInt(d.size),
            dataAccessTimestamp: ts(d['data-access-timestamp']),
            dataModificationTimestamp: ts(d['data-modification-timestamp']),
            statusChangeTimestamp: ts(d['status-change-timestamp']),
          };
          assert.equal(fn(record), call.expect);
          return;
        }
        assert.deepEqual(fn(...call.args), call.expect);
      });
    }
  });
}

// ---- through the CLI, with real directories (Node) ---------------------------------------

if (inNode && haveCorpus) {
  const { spawnSync } = await import('node:child_process');
  const { mkdtempSync, mkdirSync, writeFileSync, rmSync, readFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join, dirname } = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  const cli = fileURLToPath(new URL('../../js/cli/compoly.js', import.meta.url));
  const dir = fileURLToPath(dirUrl);

  const seed = (root, files) => {
    for (const [name, content] of Object.entries(files ?? {})) {
      const p = join(root, name);
      if (name.endsWith('/')) mkdirSync(p, { recursive: true });
      else {
        mkdirSync(dirname(p), { recursive: true });
        writeFileSync(p, content);
      }
    }
  };

  for (const entry of commands) {
    test(`compoly run: ${entry.component}`, { todo: KNOWN[entry.component] }, () => {
      const temps = [];
      try {
        const flags = [];
        for (const p of entry.preopens) {
          const tmp = mkdtempSync(join(tmpdir(), 'compoly-wasi-'));
          temps.push(tmp);
          seed(tmp, p.initial_files);
          flags.push(p.writable ? '--dir' : '--dir-ro', `${tmp}::${p.guest}`);
        }
        for (const [k, v] of entry.env) flags.push('--env', `${k}=${v}`);
        for (const args of argSets(entry)) {
          const [argv0, ...rest] = args.length ? args : [entry.component];
          if (argv0 !== entry.component) flags.push('--argv0', argv0);
          const r = spawnSync(process.execPath, [cli, 'run', ...flags, join(dir, entry.component), ...rest], {
            input: entry.stdin ?? '',
            maxBuffer: 16 << 20,
          });
          checkOutcome(entry, { exitCode: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() });
        }
        if (entry.component === 'p2_api_read_only.component.wasm') {
          // Nothing was changed in the read-only directory.
          assert.equal(readFileSync(join(temps[0], 'bar.txt'), 'utf8'), entry.preopens[0].initial_files['bar.txt']);
        }
      } finally {
        for (const t of temps) rmSync(t, { recursive: true, force: true });
      }
    });
  }
}
