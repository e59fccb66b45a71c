// opfs() and opfsForWorker() refuse what they cannot use with an error that says why. Node has
// no OPFS; the grant's real path (an agent on the page, a worker of the page's own) runs in
// tests/browser/wasi-c.test.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { opfs, opfsForWorker } from '../../js/wasi/index.js';

test('opfs(name) and opfsForWorker(name) name the missing OPFS in an engine without one', async () => {
  const noOpfs = /no origin private file system \(navigator\.storage\.getDirectory\)/;
  await assert.rejects(opfs('data'), noOpfs);
  await assert.rejects(opfs('data', { mode: 'mirror' }), noOpfs);
  await assert.rejects(opfsForWorker('data'), noOpfs);
});

test('a directory name is required', async () => {
  await assert.rejects(opfs(''), { name: 'TypeError', message: /opfs\(name\) needs a directory name/ });
  await assert.rejects(opfsForWorker('/'), { name: 'TypeError', message: /opfsForWorker\(name\) needs a directory name/ });
  await assert.rejects(opfsForWorker(undefined), { name: 'TypeError' });
});

test('a grant that lost its port or buffer on the way is refused, saying what it needs', async () => {
  const { port1 } = new MessageChannel();
  try {
    const sab = new SharedArrayBuffer(64);
    const why = /needs the grant of opfsForWorker\(name\) as it arrived: \{ kind, name, sab, port \} \(was the port transferred\?\)/;
    await assert.rejects(opfs({ kind: 'opfs-agent', name: 'data', sab }), { name: 'TypeError', message: why });
    await assert.rejects(opfs({ kind: 'opfs-agent', name: 'data', port: port1 }), { name: 'TypeError', message: why });
    await assert.rejects(opfs({ kind: 'opfs-agent', sab, port: port1 }), { name: 'TypeError', message: why });
  } finally {
    port1.close();
  }
});

test('an OPFS agent that fails after it started closes its channel, so its client throws instead of waiting', async (t) => {
  const { ChannelClient } = await import('../../js/wasi/worker-channel.js');
  // A stand-in agent: a Worker that answers the start-up handshake and then fails.
  const agents = [];
  class StandInAgent extends EventTarget {
    terminated = false;
    constructor() {
      super();
      agents.push(this);
      queueMicrotask(() => this.dispatchEvent(Object.assign(new Event('message'), { data: { op: '$ready' } })));
    }
    postMessage(message) {
      if (message.op === '$open') queueMicrotask(() => this.dispatchEvent(Object.assign(new Event('message'), { data: { op: '$opened' } })));
    }
    terminate() {
      this.terminated = true;
    }
  }
  const saved = { Worker: globalThis.Worker, navigator: Object.getOwnPropertyDescriptor(globalThis, 'navigator') };
  globalThis.Worker = StandInAgent;
  Object.defineProperty(globalThis, 'navigator', { value: { storage: { getDirectory() {} } }, configurable: true, writable: true });
  t.after(() => {
    globalThis.Worker = saved.Worker;
    if (saved.navigator) Object.defineProperty(globalThis, 'navigator', saved.navigator);
    else delete globalThis.navigator;
  });

  const share = await opfsForWorker('data');
  const client = new ChannelClient(share.grant.sab, () => {});
  share.grant.port.close();
  agents[0].dispatchEvent(Object.assign(new Event('error'), { message: 'the agent crashed' }));
  // Checked before the call, which would otherwise wait for ever: signal 2 is "closed".
  assert.equal(Atomics.load(new Int32Array(share.grant.sab, 0, 1), 0), 2, 'the channel is marked closed');
  assert.throws(() => client.call('stat', ['/']), /the other side was closed/);
  assert.equal(agents[0].terminated, true);
});
