// The blocking side of tests/js/worker-channel.test.js: a worker thread that makes the calls it
// is told to on a ChannelClient and reports each value or error to its parent.
import { parentPort, workerData } from 'node:worker_threads';
import { ChannelClient } from '../../../js/wasi/worker-channel.js';

const client = new ChannelClient(workerData.sab, (message) => parentPort.postMessage({ request: message }));
for (const [op, args] of workerData.calls) {
  try {
    parentPort.postMessage({ value: client.call(op, args) });
  } catch (e) {
    parentPort.postMessage({ error: e.message });
  }
}
parentPort.postMessage({ done: true });
