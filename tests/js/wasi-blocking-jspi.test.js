// The JSPI path for blocking WASI calls (Node ≥ 24, Chromium, Firefox):
// run(component, { async: true }) suspends the guest on the host's Promises
// — timers on setTimeout, a ReadableStream stdin read as it arrives, a
// WritableStream stdout whose backpressure holds the guest back.
// scripts/test.sh runs this file under the Node 24 from npm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile, jspiAvailable, run } from '../../js/index.js';
import { WasiHost, memfs } from '../../js/wasi/index.js';
import { chooseRunPath } from '../../js/wasi/run.js';
import { corpusUrl, exists, readBytes, readJson } from './helpers/files.js';
import { outcomeProblem, runEntry } from './helpers/wasmtime-p2.js';

const dirUrl = new URL('wasmtime-p2/', corpusUrl);
const manifestUrl = new URL('manifest.json', dirUrl);
const haveCorpus = await exists(manifestUrl);
const manifest = haveCorpus ? await readJson(manifestUrl) : [];
const noJspi = !jspiAvailable() && 'this engine has no JSPI (run under Node ≥ 24)';
const skip = noJspi || (!haveCorpus && `the corpus is absent (${manifestUrl.pathname})`);
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

test('a timer pollable blocks on setTimeout: block() and poll() return Promises, the event loop keeps running', { skip: noJspi }, async () => {
  const imports = new WasiHost({ async: true }).imports();
  const clock = imports['wasi:clocks/monotonic-clock'];
  const order = [];
  {
    const start = performance.now();
    const blocked = clock.subscribeDuration(40_000_000n).block();
    assert.ok(blocked instanceof Promise);
    setTimeout(() => order.push('event loop'), 0);
    await blocked.then(() => order.push('timer'));
    assert.ok(performance.now() - start >= 39, `slept ${performance.now() - start} ms`);
    assert.deepEqual(order, ['event loop', 'timer'], 'the event loop ran while the timer waited');
    const early = clock.subscribeDuration(30_000_000n);
    const late = clock.subscribeDuration(5_000_000_000n);
    const ready = await imports['wasi:io/poll'].poll([late, early]);
    assert.deepEqual([...ready], [1]);
    // Ready at once: a plain value, no Promise.
    assert.deepEqual([...imports['wasi:io/poll'].poll([early])], [0]);
  }
});

test('jspi: p2_cli_sleep sleeps on a real timer', { skip }, async () => {
  const pending = run(await load('p2_cli_sleep.component.wasm'), { async: true, args: ['x'], stdout: () => {}, stderr: () => {} });
  assert.ok(pending instanceof Promise);
  assert.deepEqual(await pending, { exitCode: 0 });
});

test('jspi: stdin from a ReadableStream fed slowly is read as it arrives', { skip }, async () => {
  const line = 'So rested he by the Tumtum tree';
  const fed = [];
  const stdin = new ReadableStream({
    async start(controller) {
      for (let i = 0; i < line.length; i += 7) {
        await sleep(15);
        fed.push(line.slice(i, i + 7));
        controller.enqueue(new TextEncoder().encode(line.slice(i, i + 7)));
      }
      controller.close();
    },
  });
  const started = performance.now();
  const { exitCode } = await run(await load('p2_cli_stdin.component.wasm'), { async: true, args: ['x'], stdin, stdout: () => {}, stderr: () => {} });
  assert.equal(exitCode, 0);
  assert.equal(fed.join(''), line);
  assert.ok(performance.now() - started >= 70, 'the guest waited for the chunks');
});

test('jspi: the prompt reaches stdout before stdin has any data (no read-ahead)', { skip }, async () => {
  // The stream closes only once "> " arrived: with stdin drained up front this would hang.
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
    async: true,
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

test('jspi: a WritableStream stdout applies backpressure to the guest', { skip }, async () => {
  // A slow sink with a one-chunk queue: the guest may never be more than a
  // chunk or two ahead of it, and everything is written when run() returns.
  const chunks = [];
  let queued = 0;
  let maxQueued = 0;
  const stdout = new WritableStream(
    {
      async write(chunk) {
        await sleep(1);
        chunks.push(chunk);
        queued--;
      },
    },
    {
      highWaterMark: 1,
      size() {
        queued++;
        maxQueued = Math.max(maxQueued, queued);
        return 1;
      },
    },
  );
  const { exitCode } = await run(await load('p2_cli_much_stdout.component.wasm'), {
    async: true,
    args: ['x', 'a'.repeat(2048), '128'],
    stdout,
    stderr: () => {},
  });
  assert.equal(exitCode, 0);
  assert.equal(chunks.reduce((n, c) => n + c.length, 0), 262144);
  assert.equal(queued, 0, 'everything written before run() returned');
  assert.ok(maxQueued <= 2, `the stream never queued more than 2 chunks (saw ${maxQueued})`);
});

test("run() picks JSPI on its own when the run may wait (async: 'auto')", { skip: noJspi }, () => {
  assert.equal(chooseRunPath({ stdin: new ReadableStream() }), 'jspi');
  assert.equal(chooseRunPath({ stdout: new WritableStream() }), 'jspi');
  assert.equal(chooseRunPath({ stdin: 'text' }), 'sync'); // Node's main thread can sleep on Atomics.wait
  assert.equal(chooseRunPath({ stdin: new ReadableStream(), async: false }), 'sync');
  assert.equal(chooseRunPath({ worker: true }), 'worker');
});

for (const entry of commands) {
  test(`jspi: ${entry.component}`, { skip }, async () => {
    const outcomes = await runEntry(run, await load(entry.component), entry, { async: true }, memPreopens);
    for (const outcome of outcomes) {
      const problem = outcomeProblem(entry, outcome);
      assert.equal(problem, null, problem ?? '');
    }
  });
}
