// js/wasi/worker-channel.js between a worker thread that blocks (the client) and this thread
// (the server): values of every kind and of more than one buffer come back whole, a handler's
// error comes back as an error, and a channel closed by this side makes the waiting client
// throw rather than wait for ever, and every later call too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';

import { channelBuffer, closeChannel, serveChannel } from '../../js/wasi/worker-channel.js';

const CLIENT = new URL('./helpers/channel-client-worker.mjs', import.meta.url);

/** Runs `calls` in a client worker; `onRequest(message, sab)` answers or not. Resolves with its reports. */
function withClient(calls, onRequest, capacity) {
  const sab = channelBuffer(capacity);
  const worker = new Worker(CLIENT, { workerData: { sab, calls } });
  const reports = [];
  return new Promise((resolve, reject) => {
    worker.on('message', (m) => {
      if (m.request) onRequest(m.request, sab);
      else if (m.done) resolve(reports);
      else reports.push(m);
    });
    worker.on('error', reject);
  }).finally(() => worker.terminate());
}

test('values of every kind come back, also when longer than the buffer', async () => {
  let serve;
  const handler = (op, args) => {
    if (op === 'fail') throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    if (op === 'bytes') return new Uint8Array(args.n).map((_, i) => i & 0xff);
    if (op === 'nothing') return undefined;
    return { echo: args };
  };
  const reports = await withClient(
    [['json', { a: [1, 'ü'] }], ['nothing'], ['bytes', { n: 100 }], ['fail'], ['json', { after: true }]],
    (message, sab) => {
      serve ??= serveChannel(sab, handler);
      serve(message);
    },
    16, // a 16-byte buffer: the 100 bytes come in seven chunks
  );
  assert.deepEqual(reports[0], { value: { echo: { a: [1, 'ü'] } } });
  assert.deepEqual(reports[1], { value: undefined });
  assert.equal(reports[2].value.length, 100);
  assert.equal(reports[2].value[99], 99);
  assert.deepEqual(reports[3], { error: 'no such file' });
  assert.deepEqual(reports[4], { value: { echo: { after: true } } });
});

test('closing the channel wakes a waiting client with an error, and later calls fail at once', async () => {
  let requests = 0;
  const reports = await withClient([['stat', {}], ['stat', {}]], (message, sab) => {
    requests++;
    closeChannel(sab); // instead of an answer, as when the page ends an OPFS agent in use
  });
  assert.equal(requests, 1, 'the second call was not sent');
  for (const r of reports) assert.match(r.error, /the other side was closed/);
  assert.equal(reports.length, 2);
});
