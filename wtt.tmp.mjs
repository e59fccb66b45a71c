// Runs wasm-tools' own component-model tests' directives through compoly (validity only).
import fs from 'node:fs';
import { loadCore } from './js/core/load.js';
import { assemble } from './tests/js/helpers/node-inputs.js';
import { splitWast } from './tests/spec/wast.js';
const core = await loadCore();
const BY = /not supported|does not support|beyond WASI 0\.2|implementation limit|not part of WASI 0\.2/;
let valid = 0, invalid = 0, issues = 0, asmfail = 0;
for (const f of fs.readdirSync('/tmp/wtt').sort()) {
  let ds; try { ds = splitWast(fs.readFileSync('/tmp/wtt/' + f, 'utf8')); } catch (e) { console.log(f, 'split failed', e.message); continue; }
  for (const d of ds) {
    if (!['component', 'assert_invalid', 'assert_malformed'].includes(d.kind)) continue;
    let b; try { b = d.component.format === 'binary' ? d.component.bytes : d.component.format === 'quote' ? null : await assemble(d.component.text); } catch (e) { asmfail++; continue; }
    if (!b) continue;
    fs.writeFileSync("/tmp/wtt-last.txt", `${f}:${d.line}`); fs.writeFileSync("/tmp/wtt-last.wasm", b);
    const r = JSON.parse(core.compile(b));
    let ok = r.ok; if (ok) for (const [o, n] of r.plan.modules) if (!WebAssembly.validate(b.subarray(o, o + n))) { ok = false; r.error = { message: 'engine rejects core module' }; }
    if (d.kind === 'component') { valid++; if (!ok && !BY.test(r.error.message) && !/engine rejects/.test(r.error.message)) { issues++; console.log(`${f}:${d.line} VALID but compoly rejects: ${r.error.message}`.slice(0, 300)); } }
    else { invalid++; if (ok) { issues++; console.log(`${f}:${d.line} ${d.kind} '${d.message}' but compoly accepts`); } }
  }
}
console.log(`valid ${valid}, invalid ${invalid}, issues ${issues}, not assembled ${asmfail}`);
