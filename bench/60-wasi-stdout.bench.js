// stdout throughput: bench/components/wasi-bench.c (a C program, wasi-libc + the preview1
// adapter) writes 256 KiB to stdout in 4 KiB fwrite calls and exits; timed is the whole
// run(component, { args, stdout }) of the compiled component (instantiate, run, exit), with a
// stdout callback that copies each chunk into a 256 KiB buffer. The raw peer is that same
// callback called from a plain JS loop with the same chunks (the sizes compoly's run delivered,
// 64 × 4096), each a view of a 256 KiB Uint8Array already holding the bytes: what handing the
// bytes over costs when no component runs at all. A run of the same program writing 0 bytes
// gives run()'s fixed cost, and (256 KiB run − 0-byte run) the cost per byte.
import { compileBytes } from '../js/runtime/component.js';
import { chooseRunPath, run as runCommand } from '../js/wasi/run.js';
import { median, ms, per, ratio } from './lib.js';

export const title = 'WASI stdout: 256 KiB in 4 KiB fwrite calls, run() with a stdout callback';
const BYTES = 256 * 1024;
const CHUNK = 4096;
const ROUNDS = 21;

export async function prepare() {
  const { wasiBenchComponent } = await import('./components/wasi-build.js');
  return wasiBenchComponent();
}

const mibs = (bytes, msPer) => `${(bytes / 2 ** 20 / (msPer / 1e3)).toFixed(0)} MiB/s`;
const pattern = (i) => (i * 7 + 3) & 0xff;
// (lib's ratio() shows 0.00× below 0.005)
const fraction = (x) => (x < 0.1 ? `${x.toPrecision(2)}×` : ratio(x));

export default async function run(env, input) {
  const component = await compileBytes(await env.bytes(input.wasm));

  // The collector both sides call: copies every chunk into one buffer.
  const out = new Uint8Array(BYTES);
  let at = 0;
  const collect = (bytes) => {
    if (at + bytes.length > BYTES) throw new Error('more bytes than expected on stdout');
    out.set(bytes, at);
    at += bytes.length;
  };

  const options = (bytes, stdout = collect) => ({ args: ['wasi-bench', 'stdout', String(bytes), String(CHUNK)], stdout });
  const path = chooseRunPath(options(BYTES), undefined, component);
  const variants = { [path]: {} };
  // On a page the default is JSPI (the main thread cannot block); the sync path works here too
  // (a callback never makes the guest wait), so it is timed alongside.
  if (path !== 'sync') variants.sync = { async: false };

  // Check the output once per path and take the chunk sizes the raw loop replays.
  let chunks = null;
  for (const [name, extra] of Object.entries(variants)) {
    at = 0;
    const sizes = [];
    const { exitCode } = await runCommand(component, {
      ...options(BYTES, (bytes) => {
        sizes.push(bytes.length);
        collect(bytes);
      }),
      ...extra,
    });
    if (exitCode !== 0) throw new Error(`${name}: exit code ${exitCode}`);
    if (at !== BYTES) throw new Error(`${name}: ${at} bytes on stdout, not ${BYTES}`);
    for (let i = 0; i < BYTES; i++) if (out[i] !== pattern(i)) throw new Error(`${name}: byte ${i} of stdout is wrong`);
    chunks ??= sizes;
  }
  const source = out.slice();
  const views = [];
  for (let i = 0, o = 0; i < chunks.length; o += chunks[i++]) views.push(source.subarray(o, o + chunks[i]));
  const raw = () => {
    at = 0;
    for (let i = 0; i < views.length; i++) collect(views[i]);
  };
  // Batch the raw loop to ~2 ms per sample (one pass is a few µs).
  for (let i = 0; i < 200; i++) raw();
  let batch = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) raw();
    if (performance.now() - t0 > 2 || batch > 1 << 20) break;
    batch *= 2;
  }

  const runOnce = async (bytes, extra) => {
    at = 0;
    const t0 = performance.now();
    await runCommand(component, { ...options(bytes), ...extra });
    return performance.now() - t0;
  };
  for (let i = 0; i < 5; i++) for (const extra of Object.values(variants)) await runOnce(BYTES, extra);

  const t = { raw: [] };
  for (const name of Object.keys(variants)) t[name] = [];
  const t0 = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, extra] of Object.entries(variants)) t[name].push(await runOnce(BYTES, extra));
    t0.push(await runOnce(0, variants[path]));
    const s = performance.now();
    for (let i = 0; i < batch; i++) raw();
    t.raw.push((performance.now() - s) / batch);
  }

  const m = (xs) => median(xs);
  const fixed = m(t0);
  const marginal = m(t[path].map((x, i) => x - t0[i]));
  const vsRaw = (name) => fraction(m(t.raw.map((x, i) => x / t[name][i])));
  const rows = [
    { measure: 'stdout chunks the callback got', value: `${chunks.length} × ${chunks[0]} B` },
    { measure: 'raw: the callback called from a JS loop with the same chunks', value: `${per(m(t.raw))}, ${mibs(BYTES, m(t.raw))}` },
    { measure: "compoly run(), run()'s default path: instantiate + run + exit", value: `${ms(m(t[path]))}, ${mibs(BYTES, m(t[path]))} (${path})` },
    { measure: '  of which fixed: run() of the same program writing 0 bytes', value: ms(fixed) },
    { measure: '  per byte: 256 KiB run − 0-byte run (median of paired rounds)', value: `${ms(marginal)}, ${mibs(BYTES, marginal)}` },
    { measure: "compoly (default path) ÷ raw, throughput (median of paired rounds)", value: vsRaw(path) },
  ];
  if (variants.sync && path !== 'sync') {
    rows.push(
      { measure: 'compoly run() with async: false (sync on this thread)', value: `${ms(m(t.sync))}, ${mibs(BYTES, m(t.sync))}` },
      { measure: 'compoly (sync) ÷ raw, throughput', value: vsRaw('sync') },
    );
  }
  return { rows };
}
