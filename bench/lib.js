// Helpers shared by the bench/*.bench.js files.
import { readdir, stat } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The conformance corpus lives next to the repository, not in it. */
export const CORPUS = join(ROOT, '..', 'shared', 'corpus');

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

async function* walk(dir) {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile()) yield p;
  }
}

/** Every *.wasm under the corpus with its size, largest first ([] if the corpus is absent). */
export async function corpusFiles() {
  const files = [];
  for await (const p of walk(CORPUS)) {
    if (p.endsWith('.wasm')) files.push({ path: p, size: (await stat(p)).size });
  }
  return files.sort((a, b) => b.size - a.size);
}

export const ms = (x) => `${x.toFixed(2)} ms`;
export const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
