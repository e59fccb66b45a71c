// Runs the component directives of wasm-tools' own tests (tests/cli/component-model/*.wast in a
// checkout of bytecodealliance/wasm-tools; not part of this repository) through compoly and
// says where the two disagree on validity: a `(component ...)` compoly refuses, or an
// `assert_invalid`/`assert_malformed` it accepts. Refusals of what is beyond WASI 0.2 are not
// counted; nor are the folders of later proposals. Usage, from the repository root:
//
//   node tools/wasm-tools-tests/run.mjs path/to/wasm-tools/tests/cli/component-model
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { loadFullCore } from '../../js/core/load.js';
import { assemble } from '../../tests/js/helpers/node-inputs.js';
import { splitWast } from '../../tests/spec/wast.js';

const root = process.argv[2];
if (!root) {
  console.error('usage: node tools/wasm-tools-tests/run.mjs DIR (tests/cli/component-model of a wasm-tools checkout)');
  process.exit(2);
}
// Later proposals, each in a folder or file of its own there.
const LATER = /^(async|gc|memory64|values|shared-everything-threads|error-context)$|^(fixed-length-lists|map|gated-tags|custom-page-sizes|memory64)\.wast$/;
const BY_DESIGN = /not supported|does not support|beyond WASI 0\.2|not part of WASI 0\.2|implementation limit/;

const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    if (LATER.test(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.wast')) files.push(path);
  }
};
walk(root);

const core = await loadFullCore();
const counts = { valid: 0, invalid: 0, differ: 0, unread: 0 };
for (const file of files) {
  let directives;
  try {
    directives = splitWast(readFileSync(file, 'utf8'));
  } catch (e) {
    counts.unread++;
    console.log(`${file}: not read (${e.message})`);
    continue;
  }
  for (const d of directives) {
    if (!['component', 'assert_invalid', 'assert_malformed'].includes(d.kind) || d.component.format === 'quote') continue;
    let bytes;
    try {
      bytes = d.component.format === 'binary' ? d.component.bytes : await assemble(d.component.text);
    } catch {
      counts.unread++;
      continue;
    }
    const result = JSON.parse(core.compile(bytes));
    let message = result.ok ? null : result.error.message;
    if (result.ok) {
      for (const [offset, size] of result.plan.modules) {
        if (!WebAssembly.validate(bytes.subarray(offset, offset + size))) message = 'the engine rejects a core module';
      }
    }
    if (d.kind === 'component') {
      counts.valid++;
      if (message && !BY_DESIGN.test(message) && !message.startsWith('the engine')) {
        counts.differ++;
        console.log(`${file}:${d.line}: valid to wasm-tools, compoly refuses it: ${message}`);
      }
    } else {
      counts.invalid++;
      if (!message) {
        counts.differ++;
        console.log(`${file}:${d.line}: ${d.kind} "${d.message}", compoly accepts it`);
      }
    }
  }
}
console.log(`${files.length} files: ${counts.valid} valid, ${counts.invalid} invalid or malformed components; ` +
  `${counts.differ} disagreements; ${counts.unread} not read or assembled`);
process.exit(counts.differ ? 1 : 0);
