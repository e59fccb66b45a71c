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
import { argSets, outcomeProblem, reactorCalls, runEntry } from './helpers/wasmtime-p2.js';

const inNode = typeof process === 'object' && typeof process.versions?.node === 'string';
const dirUrl = new URL('wasmtime-p2/', corpusUrl);
const manifestUrl = new URL('manifest.json', dirUrl);
const haveCorpus = await exists(manifestUrl);
const manifest = haveCorpus ? await readJson(manifestUrl) : [];

// Programs known not to pass yet, with the reason: none now.
const KNOWN = {};

const memPreopens = (entry) =>
  Object.fromEntries(entry.preopens.map((p) => [p.guest, { fs: memfs(p.initial_files ?? {}), readonly: !p.writable }]));
const checkOutcome = (entry, outcome) => {
  const problem = outcomeProblem(entry, outcome);
  assert.equal(problem, null, problem ?? '');
};

const commands = manifest.filter((e) => e.world === 'command');
const reactor = manifest.find((e) => e.component === 'p2_api_reactor.component.wasm');

test('wasmtime-p2 corpus is present', { skip: !haveCorpus && `no ${manifestUrl.pathname}` }, () => {
  assert.ok(manifest.length >= 18, `${manifest.length} entries`);
});

for (const entry of commands) {
  test(`run(): ${entry.component}`, { todo: KNOWN[entry.component] }, async () => {
    const component = await compile(await readBytes(new URL(entry.component, dirUrl)));
    for (const outcome of await runEntry(run, component, entry, {}, memPreopens)) checkOutcome(entry, outcome);
  });
}

if (reactor) {
  test(`reactor calls: ${reactor.component}`, async (t) => {
    const component = await compile(await readBytes(new URL(reactor.component, dirUrl)));
    const host = new WasiHost({ env: reactor.env, args: reactor.args });
    const { exports } = await instantiate(component, host.imports());
    for (const { call, problem } of await reactorCalls(reactor, exports, { OutputStream, memorySink })) {
      await t.test(call, () => assert.equal(problem, null, problem ?? ''));
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
