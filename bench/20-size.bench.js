// Size of the Emscripten core as shipped: gzip -9 of the wasm and of the glue, for each of its two
// builds (js/core/load.js). The goal is for the lean core, the one a page loads to compile and
// run components; the full one (every error message, wit(), link()) is fetched on first need.
// Node only (the same files are served to browsers).
import { kb } from './lib.js';

export const title = 'size: Emscripten core, gzip -9';
export const browser = false;
const GOAL_KB = 30;

export default async function run() {
  const { readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { gzipSync, constants } = await import('node:zlib');
  const { ROOT } = await import('./node.js');
  const rows = [];
  for (const [build, what] of [
    ['compoly-core', 'lean core (compile)'],
    ['compoly-core-full', 'full core (messages, wit, link; on first need)'],
  ]) {
    let total = 0;
    for (const name of [`${build}.wasm`, `${build}.mjs`]) {
      let bytes;
      try {
        bytes = await readFile(join(ROOT, 'js', 'core', name));
      } catch {
        return { skip: `js/core/${name} is missing (npm run build)` };
      }
      const gz = gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }).length;
      total += gz;
      rows.push({ measure: name, value: `${kb(gz)} (raw ${kb(bytes.length)})` });
    }
    const goal = build === 'compoly-core' ? { goal: `≤ ${GOAL_KB} KB`, ok: total <= GOAL_KB * 1024 } : {};
    rows.push({ measure: `${what}: total`, value: kb(total), ...goal });
  }
  return { rows };
}
