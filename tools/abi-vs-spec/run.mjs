// Writes the plans of the corpus components, the valid fixtures and the spec tests' components
// as JSON lines and has check.py compare their canonical ABI layouts with the spec's
// definitions.py (see there). Usage, from the repository root:
//
//   node tools/abi-vs-spec/run.mjs path/to/component-model/design/mvp/canonical-abi
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';

import { loadFullCore } from '../../js/core/load.js';
import { assemble, corpusFiles, corpusUrl, watFiles } from '../../tests/js/helpers/node-inputs.js';
import { splitWast } from '../../tests/spec/wast.js';

const definitions = process.argv[2];
if (!definitions) {
  console.error('usage: node tools/abi-vs-spec/run.mjs DIR (the folder holding the spec\'s definitions.py)');
  process.exit(2);
}
const core = await loadFullCore();
const lines = [];
const add = (name, bytes) => {
  const result = JSON.parse(core.compile(bytes));
  if (result.ok) lines.push(JSON.stringify({ name, types: result.plan.types }));
};
for (const file of corpusFiles(['.wasm'])) add(file, new Uint8Array(readFileSync(new URL(file, corpusUrl))));
const valid = new URL('../../tests/fixtures/valid/', import.meta.url);
for (const name of watFiles(valid)) add(name, await assemble(readFileSync(new URL(name, valid), 'utf8')));
const spec = new URL('../../tests/spec/wast/', import.meta.url);
for (const folder of readdirSync(spec).filter((f) => statSync(new URL(f, spec)).isDirectory())) {
  const dir = new URL(`${folder}/`, spec);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.wast'))) {
    for (const d of splitWast(readFileSync(new URL(file, dir), 'utf8'))) {
      if (d.kind !== 'component') continue;
      try {
        add(`${folder}/${file}:${d.line}`, d.component.format === 'binary' ? d.component.bytes : await assemble(d.component.text));
      } catch {
        // what jco cannot assemble, the spec-wast test reports
      }
    }
  }
}
console.log(`${lines.length} plans`);
const check = spawnSync('python3', [new URL('check.py', import.meta.url).pathname, definitions], {
  input: lines.join('\n') + '\n',
  stdio: ['pipe', 'inherit', 'inherit'],
});
process.exit(check.status ?? 1);
