// The worker path for blocking WASI calls: run(component, { worker: true })
// instantiates the component in a node:worker_threads worker (a module
// Worker in browsers) that blocks on Atomics.wait while this thread serves
// stdin, stdout and stderr. Runs under Node 20, which has no JSPI. The
// wasmtime-p2 programs must give the same results as on the other paths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile, run } from '../../js/index.js';
import { memfs } from '../../js/wasi/index.js';
import { corpusUrl, exists, readBytes, readJson } from './helpers/files.js';
import { outcomeProblem, runEntry } from './helpers/wasmtime-p2.js';

const dirUrl = new URL('wasmtime-p2/', corpusUrl);
const manifestUrl = new URL('manifest.json', dirUrl);
const haveCorpus = await exists(manifestUrl);
const manifest = haveCorpus ? await readJson(manifestUrl) : [];
const noCorpus = !haveCorpus && `the corpus is absent (${manifestUrl.pathname})`;
const commands = manifest.filter((e) => e.world === 'command');
const components = new Map();
const load = async (name) => {
  if (!components.has(name)) components.set(name, await compile(await readBytes(new URL(name, dirUrl))));
  return components.get(name);
};
const memPreopens = (entry) =>
  Object.fromEntries(entry.preopens.map((p) => [p.guest, { fs: memfs(p.initial_files ?? {}), readonly: !p.writable }]));
const text = new TextDecoder();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('wasmtime-p2 corpus is present', { skip: noCorpus }, () => assert.ok(commands.length >= 17, `${commands.length} commands`));

for (const entry of commands) {
  test(`worker: ${entry.component}`, { skip: noCorpus }, async () => {
    const outcomes = await runEntry(run, await load(entry.component), entry, { worker: true }, memPreopens);
    for (const outcome of outcomes) {
      const problem = outcomeProblem(entry, outcome);
      assert.equal(problem, null, problem ?? '');
    }
  });
}

test('worker: stdin from a ReadableStream that gets its data only after the prompt was written', { skip: noCorpus }, async () => {
  // p2_cli_stdio_write_flushes prints "> ", flushes, then reads a line: the
  // stream closes only once the prompt has arrived here, so the guest must
  // really be waiting for stdin while this thread runs.
  let stdout = '';
  let prompted;
  const prompt = new Promise((r) => (prompted = r));
  const stdin = new ReadableStream({
    async pull(controller) {
      await prompt;
      controller.close();
    },
  });
  const { exitCode } = await run(await load('p2_cli_stdio_write_flushes.component.wasm'), {
    worker: true,
    args: ['x'],
    stdin,
    stdout: (b) => {
      stdout += text.decode(b);
      if (stdout.includes('> ')) prompted();
    },
    stderr: () => {},
  });
  assert.equal(exitCode, 0);
  assert.equal(stdout, '> ');
});

test('worker: stdin fed slowly in chunks, read as it arrives', { skip: noCorpus }, async () => {
  const line = 'So rested he by the Tumtum tree';
  const fed = [];
  const stdin = new ReadableStream({
    async start(controller) {
      for (let i = 0; i < line.length; i += 7) {
        await sleep(15);
        fed.push(performance.now());
        controller.enqueue(new TextEncoder().encode(line.slice(i, i + 7)));
      }
      controller.close();
    },
  });
  const { exitCode } = await run(await load('p2_cli_stdin.component.wasm'), { worker: true, args: ['x'], stdin, stdout: () => {}, stderr: () => {} });
  assert.equal(exitCode, 0);
  assert.equal(fed.length, 5);
});

test('worker: a WritableStream stdout gets every byte, in order, before run() returns', { skip: noCorpus }, async () => {
  const chunks = [];
  const stdout = new WritableStream(
    {
      async write(chunk) {
        await sleep(0);
        chunks.push(chunk);
      },
    },
    { highWaterMark: 1 },
  );
  const { exitCode } = await run(await load('p2_cli_much_stdout.component.wasm'), {
    worker: true,
    args: ['x', 'a'.repeat(4096), '64'],
    stdout,
    stderr: () => {},
  });
  assert.equal(exitCode, 0);
  const total = chunks.reduce((n, c) => n + c.length, 0);
  assert.equal(total, 262144);
  assert.ok(chunks.every((c) => c.every((b) => b === 0x61)));
});

test('worker: a panic comes back as a WebAssembly.RuntimeError', { skip: noCorpus }, async () => {
  await assert.rejects(
    run(await load('p2_cli_exit_panic.component.wasm'), { worker: true, args: ['x'], stdout: () => {}, stderr: () => {} }),
    (e) => e instanceof WebAssembly.RuntimeError,
  );
});

test('worker: a memfs preopen goes to the worker and its tree comes back intact', { skip: noCorpus }, async () => {
  // p2_api_read_only only reads; p2_cli_file_dir_sync opens and syncs. What we
  // check: the tree comes back intact (same content, nothing lost).
  const fs = memfs({ 'bar.txt': 'And stood awhile in thought', 'sub/': null, 'sub/x': 'y' });
  const { exitCode } = await run(await load('p2_cli_file_dir_sync.component.wasm'), {
    worker: true,
    args: ['x'],
    preopens: { '/': fs },
    stdout: () => {},
    stderr: () => {},
  });
  assert.equal(exitCode, 0);
  assert.equal(text.decode(fs.readFile('bar.txt')), 'And stood awhile in thought');
  assert.equal(text.decode(fs.readFile('sub/x')), 'y');
});

test('worker: options that cannot cross to a worker are refused clearly', { skip: noCorpus }, async () => {
  const c = await load('p2_cli_hello_stdout.component.wasm');
  await assert.rejects(run(c, { worker: true, imports: {} }), /cannot go to a worker/);
  await assert.rejects(run(c, { worker: true, clocks: { monotonic: { now: () => 0n } } }), /clock overrides/);
});
