// Helpers shared by the bench/*.bench.js files. Portable: the same bench modules run in Node
// and in the browser (bench/browser.html), so nothing here may import node: modules (the
// Node-only build steps are in node.js, which bench files import only from prepare()).

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Times fn (sync or async): `warmup` untimed calls, then `reps` timed ones.
 * @returns {Promise<{median: number, min: number, reps: number}>} milliseconds
 */
export async function time(fn, { warmup = 5, reps = 21 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const samples = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return { median: median(samples), min: Math.min(...samples), reps };
}

/**
 * Side-by-side timing of several variants of the same operation, interleaved so that drift
 * (frequency scaling, GC, the other tenant of the machine) hits every variant alike.
 * Each variant is `(n) => void`, running the operation n times. A calibration pass picks n per
 * variant so that one sample takes about `sampleMs`; then `samples` rounds run every variant
 * once each, in turn.
 * @param {Record<string, (n: number) => void>} variants
 * @returns {Record<string, number> & { ratio(a: string, b: string): number }} median milliseconds
 *   per operation, by variant; ratio(a, b) is the median over rounds of a's time ÷ b's time in
 *   the same round (steadier than the ratio of medians on a busy machine)
 */
export function compare(variants, { sampleMs = 20, samples = 21, warmupMs = 300 } = {}) {
  const names = Object.keys(variants);
  const batch = {};
  for (const name of names) {
    const run = variants[name];
    // Warm up (tiers up the loop and what it calls), then size the batch.
    let n = 1;
    const until = performance.now() + warmupMs;
    while (performance.now() < until) {
      const t0 = performance.now();
      run(n);
      const dt = performance.now() - t0;
      if (dt < sampleMs / 4) n *= 2;
    }
    let per = Infinity;
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      run(n);
      per = Math.min(per, (performance.now() - t0) / n);
    }
    batch[name] = Math.max(1, Math.round(sampleMs / Math.max(per, 1e-7)));
  }
  const times = Object.fromEntries(names.map((name) => [name, []]));
  for (let s = 0; s < samples; s++) {
    for (const name of names) {
      const n = batch[name];
      const t0 = performance.now();
      variants[name](n);
      times[name].push((performance.now() - t0) / n);
    }
  }
  const result = Object.fromEntries(names.map((name) => [name, median(times[name])]));
  result.ratio = (a, b) => median(times[a].map((x, s) => x / times[b][s]));
  return result;
}

/**
 * A loop `(n) => void` calling `call(i)` n times, compiled from its own source text so that each
 * variant gets a call site (and type feedback) of its own: one shared loop function would turn
 * megamorphic and tax whichever variant ran last.
 * @param {string} body JS expression using `f` (the callee), `a` (the argument given here) and
 *   `i` (the iteration), whose value is folded into a sink so it cannot be optimised away
 */
let loops = 0;

export function loop(f, body, a) {
  // The source must differ from every other loop's: engines cache compiled code (and with it
  // the type feedback) by source text, which would give all loops one shared call site.
  // The sink keeps 20 bits, so that every value the loop handles is a small integer (a Smi)
  // in every engine: V8's Smis have 31 bits where pointers are compressed (Chromium), and a
  // sink outside them deoptimised `run` on each call without discarding its code, which
  // doubled the time of whichever loop it hit (`| 0` kept 32 bits).
  // eslint-disable-next-line no-new-func
  const make = new Function(
    'f',
    'a',
    `// loop ${++loops}
     let kept = 0;
     return function run(n) {
       let sink = 0; // a local: a captured one would cost a context load and store per iteration
       for (let i = 0; i < n; i++) sink = (sink + (${body})) & 0xfffff;
       kept ^= sink;
       if (kept === 0.5) throw new Error('unreachable');
     };`,
  );
  return make(f, a);
}

export const ms = (x) => `${x.toFixed(2)} ms`;
export const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

/** A duration per operation, in the unit that reads best. */
export function per(msPerOp) {
  if (msPerOp < 1e-3) return `${(msPerOp * 1e6).toFixed(1)} ns`;
  if (msPerOp < 1) return `${(msPerOp * 1e3).toFixed(2)} µs`;
  return `${msPerOp.toFixed(2)} ms`;
}

/** Throughput of `bytes` moved per operation. */
export function throughput(bytes, msPerOp) {
  const gbps = bytes / (msPerOp / 1e3) / 1e9;
  return gbps >= 1 ? `${gbps.toFixed(2)} GB/s` : `${(gbps * 1e3).toFixed(0)} MB/s`;
}

export const ratio = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)) + '×';
