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
