// Size of the Emscripten core as shipped: gzip -9 of the wasm and of the glue. Node only (the
// same files are served to browsers).
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
  let total = 0;
  for (const name of ['compoly-core.wasm', 'compoly-core.mjs']) {
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
  rows.push({ measure: 'total', value: kb(total), goal: `≤ ${GOAL_KB} KB`, ok: total <= GOAL_KB * 1024 });
  return { rows };
}
