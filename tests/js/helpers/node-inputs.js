// Node-only test inputs: the conformance corpus listed by file, and component text assembled
// with jco's `parse` (wasm-tools' text parser: it encodes without validating).

import { existsSync, readdirSync } from 'node:fs';

// Some corpus and spec .wat files use the pre-`core func` index syntax that wasm-tools now
// rejects unless told otherwise; set before jco loads.
process.env.WAST_STRICT_COMPONENT_INDICES ??= '0';

/** The conformance corpus folder (../shared/corpus beside the project). */
export const corpusUrl = new URL('../../../../shared/corpus/', import.meta.url);
const folders = ['jco-runtime', 'wasmtime-p2'];

/**
 * The corpus files as `folder/name` paths relative to corpusUrl, sorted; [] when the corpus is
 * absent. `extensions` picks which (default: the binaries and the text components).
 */
export function corpusFiles(extensions = ['.wasm', '.wat']) {
  const files = [];
  for (const folder of folders) {
    const dir = new URL(`${folder}/`, corpusUrl);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      if (extensions.some((e) => name.endsWith(e))) files.push(`${folder}/${name}`);
    }
  }
  return files;
}

/** The .wat files of a folder, sorted ([] when the folder is absent). */
export function watFiles(dir) {
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.wat')).sort() : [];
}

let jcoPromise = null;
/** jco's module, or null when it is not installed. */
export function loadJco() {
  jcoPromise ??= import('@bytecodealliance/jco').catch(() => null);
  return jcoPromise;
}

/** Component (or core module) text to bytes with jco's `parse`; throws when jco is missing. */
export async function assemble(text) {
  const jco = await loadJco();
  if (!jco) throw new Error('@bytecodealliance/jco is not installed (npm install): cannot assemble component text');
  return new Uint8Array(await jco.parse(text));
}
