// OPFS file throughput on the worker path: bench/components/wasi-bench.c (wasi-libc + the
// preview1 adapter) writes a 4 MiB file in 64 KiB write() calls + fsync, reads it back in
// 64 KiB read() calls, and times both phases itself with the monotonic clock;
// run(component, { worker: true, preopens: { '/data': await opfs('bench') } }) on the
// cross-origin isolated bench page. The raw peer (bench/components/wasi-opfs-raw.js) is a
// worker doing the same writes, flush and reads with a FileSystemSyncAccessHandle directly,
// timed the same way. Opens are timed apart on both sides; worker start-up is outside both.
// Rounds alternate compoly and raw; each ratio is the median over rounds of the pair's ratio.
// Skipped where there is no OPFS (Node).
import { compileBytes } from '../js/runtime/component.js';
import { run as runCommand } from '../js/wasi/run.js';
import { opfs } from '../js/wasi/fs-opfs.js';
import { median, ms, ratio } from './lib.js';

export const title = 'WASI OPFS: 4 MiB file, 64 KiB writes then reads, worker path vs a raw sync access handle';
const BYTES = 4 * 2 ** 20;
const CHUNK = 64 * 1024;
const ROUNDS = 9;
const GOAL = 0.5;
const DIR = 'compoly-bench';

export async function prepare() {
  const { wasiBenchComponent } = await import('./components/wasi-build.js');
  return wasiBenchComponent();
}

const mibs = (msPer) => `${(BYTES / 2 ** 20 / (msPer / 1e3)).toFixed(0)} MiB/s`;

export default async function run(env, input) {
  if (typeof globalThis.navigator?.storage?.getDirectory !== 'function') return { skip: 'no OPFS here (navigator.storage.getDirectory)' };
  if (globalThis.crossOriginIsolated !== true) return { skip: 'the page is not cross-origin isolated (the worker path needs SharedArrayBuffer)' };
  const component = await compileBytes(await env.bytes(input.wasm));
  const data = await opfs(DIR);

  const compoly = async () => {
    let out = '';
    let err = '';
    const t0 = performance.now();
    const { exitCode } = await runCommand(component, {
      worker: true,
      args: ['wasi-bench', 'files', '/data', String(BYTES), String(CHUNK)],
      preopens: { '/data': data },
      stdout: (b) => (out += new TextDecoder().decode(b)),
      stderr: (b) => (err += new TextDecoder().decode(b)),
    });
    const total = performance.now() - t0;
    const m = /write_ns (\d+) read_ns (\d+) open_ns (\d+)/.exec(out);
    if (exitCode !== 0 || !m) throw new Error(`wasi-bench files: exit code ${exitCode}: ${err.trim() || out.trim()}`);
    return { writeMs: Number(m[1]) / 1e6, readMs: Number(m[2]) / 1e6, openMs: Number(m[3]) / 1e6, total };
  };

  const worker = new Worker(new URL('./components/wasi-opfs-raw.js', import.meta.url), { type: 'module' });
  const raw = () =>
    new Promise((resolve, reject) => {
      worker.onmessage = ({ data: r }) => (r.error ? reject(new Error(`raw worker: ${r.error}`)) : resolve(r));
      worker.onerror = (e) => reject(new Error(`raw worker: ${e.message}`));
      worker.postMessage({ dir: DIR, bytes: BYTES, chunk: CHUNK });
    });

  try {
    for (let i = 0; i < 2; i++) {
      await compoly();
      await raw();
    }
    const c = [];
    const r = [];
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2) {
        r.push(await raw());
        c.push(await compoly());
      } else {
        c.push(await compoly());
        r.push(await raw());
      }
    }
    const med = (xs, k) => median(xs.map((x) => x[k]));
    const paired = (k) => median(r.map((x, i) => x[k] / c[i][k])); // compoly's throughput ÷ raw's
    const w = paired('writeMs');
    const rd = paired('readMs');
    const n = BYTES / CHUNK;
    return {
      rows: [
        { measure: `raw sync access handle: write ${n} × 64 KiB + flush`, value: `${ms(med(r, 'writeMs'))}, ${mibs(med(r, 'writeMs'))}` },
        { measure: `raw sync access handle: read ${n} × 64 KiB`, value: `${ms(med(r, 'readMs'))}, ${mibs(med(r, 'readMs'))}` },
        { measure: 'compoly worker path: write() × 64 + fsync (the guest clock)', value: `${ms(med(c, 'writeMs'))}, ${mibs(med(c, 'writeMs'))}` },
        { measure: 'compoly worker path: read() × 64 (the guest clock)', value: `${ms(med(c, 'readMs'))}, ${mibs(med(c, 'readMs'))}` },
        { measure: 'write: compoly ÷ raw (throughput)', value: ratio(w), goal: `≥ ${GOAL}×`, ok: w >= GOAL },
        { measure: 'read: compoly ÷ raw (throughput)', value: ratio(rd), goal: `≥ ${GOAL}×`, ok: rd >= GOAL },
        { measure: 'opens (2 files): compoly / raw', value: `${ms(med(c, 'openMs'))} / ${ms(med(r, 'openMs'))}` },
        { measure: 'whole compoly run() (workers start, run, reload of the mirror)', value: ms(med(c, 'total')) },
      ],
    };
  } finally {
    worker.terminate();
  }
}
