// The worker-side OPFS backend (OpfsSyncFs) gathers consecutive writes to one file into one
// call to the OPFS agent, and fetches reads ahead. These tests drive it with a stand-in agent
// (the `client` it calls synchronously) to check what reaches the agent and when, and that an
// error of a gathered write is not lost: it surfaces from the next operation, or from the end
// of the run (dispose), which worker-entry.js turns into the run's error.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { OpfsSyncFs } from '../../js/wasi/fs-opfs.js';
import { FsError } from '../../js/wasi/fs-errors.js';

function agent({ fileSize = 0 } = {}) {
  const calls = [];
  let failWrites = null;
  const client = {
    call(op, args) {
      calls.push([op, args]);
      switch (op) {
        case 'open':
          return 5;
        case 'write':
          if (failWrites) throw failWrites;
          return args.bytes.length;
        case 'read':
          return new Uint8Array(Math.max(0, Math.min(args.len, fileSize - args.pos))).fill(7);
        case 'size':
          return fileSize;
        default:
          return undefined;
      }
    },
  };
  const worker = { terminated: false, terminate() { this.terminated = true; } };
  const fs = new OpfsSyncFs('data', client, worker);
  return { fs, calls, worker, failWith: (e) => { failWrites = e; }, ops: () => calls.map(([op]) => op) };
}

const chunk = (n, v) => new Uint8Array(n).fill(v);

test('consecutive writes reach the agent as one write, before the next operation', () => {
  const a = agent();
  const file = a.fs.open('f', { write: true });
  assert.equal(file.write(chunk(4096, 1), 0), 4096);
  assert.equal(file.write(chunk(4096, 2), 4096), 4096);
  assert.equal(file.write(chunk(100, 3), 8192), 100);
  assert.deepEqual(a.ops(), ['open'], 'nothing is written while the writes are consecutive');
  file.sync();
  assert.deepEqual(a.ops(), ['open', 'write', 'flush']);
  const { bytes, pos } = a.calls[1][1];
  assert.equal(pos, 0);
  assert.equal(bytes.length, 8292);
  assert.deepEqual([bytes[0], bytes[4096], bytes[8192], bytes[8291]], [1, 2, 3, 3]);
});

test('a write elsewhere in the file, or a read, sends the pending write first', () => {
  const a = agent({ fileSize: 10 });
  const file = a.fs.open('f', { write: true });
  file.write(chunk(10, 1), 0);
  file.write(chunk(10, 2), 100); // not consecutive: the first is sent
  assert.deepEqual(a.ops(), ['open', 'write']);
  assert.equal(a.calls[1][1].pos, 0);
  file.read(4, 0); // the agent must see the second write before the read
  assert.deepEqual(a.ops(), ['open', 'write', 'write', 'read']);
  assert.equal(a.calls[2][1].pos, 100);
});

test('an error of a gathered write surfaces from the next operation', () => {
  const a = agent();
  const file = a.fs.open('f', { write: true });
  a.failWith(new FsError('insufficient-space', 'the OPFS quota is used up'));
  assert.equal(file.write(chunk(4096, 1), 0), 4096, 'the write itself is only gathered');
  assert.throws(() => file.size(), (e) => e instanceof FsError && e.payload === 'insufficient-space');
  // The failed bytes are not sent again: the next operation goes through.
  a.failWith(null);
  assert.equal(file.size(), 0);
  assert.deepEqual(a.ops(), ['open', 'write', 'size']);
});

test('an error of the last gathered write surfaces from dispose, which still ends the agent', () => {
  const a = agent();
  const file = a.fs.open('f', { write: true });
  file.write(chunk(64, 1), 0);
  a.failWith(new FsError('insufficient-space'));
  assert.throws(() => a.fs.dispose(), (e) => e instanceof FsError && e.payload === 'insufficient-space');
  assert.equal(a.worker.terminated, true);
});

test('a write of 1 MiB or more goes straight to the agent, and so does its error', () => {
  const a = agent();
  const file = a.fs.open('f', { write: true });
  a.failWith(new FsError('insufficient-space'));
  assert.throws(() => file.write(chunk(1 << 20, 1), 0), (e) => e instanceof FsError);
  assert.deepEqual(a.ops(), ['open', 'write']);
});

test('sequential reads are served from one read-ahead', () => {
  const a = agent({ fileSize: 3 << 20 });
  const file = a.fs.open('f', { write: false });
  for (let pos = 0; pos < 1 << 20; pos += 65536) assert.equal(file.read(65536, pos).length, 65536);
  assert.deepEqual(a.ops(), ['open', 'read'], 'sixteen 64 KiB reads, one agent read');
  assert.equal(a.calls[1][1].len, 1 << 20);
  file.read(65536, 1 << 20);
  assert.deepEqual(a.ops(), ['open', 'read', 'read']);
});
