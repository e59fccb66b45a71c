// compoly's validation against wasm-tools' (wasmparser, through jco's `componentWit`) on
// mutants of real components (the corpus's, the valid fixtures' and the spec tests' valid
// ones): each mutant changes one byte of the component's own sections
// (not its core modules' bytes, which the engine validates, nor custom sections). The two
// must agree on whether a mutant is a valid component, with two kinds of exception:
//   - compoly rejects what is beyond WASI 0.2 (async, GC types, ...) by design;
//   - `componentWit` also decodes the component's WIT, which can fail for a valid component
//     (a component exporting a bare type, say); only its validation errors, which carry
//     "(at offset 0x...)", count as rejections.
// For a mutant valid to both, the WIT that `wit()` prints must have the shape of jco's.
// wasmparser does not validate core modules here, so a core module the engine rejects counts
// as a rejection on both sides (compoly hands core modules to the engine, which validates them).
//
// COMPOLY_DIFF_MUTANTS sets the mutants per input (default 40; COMPOLY_DIFF_SPEC_MUTANTS, 8,
// per spec test component), COMPOLY_DIFF_SEED the seed and
// COMPOLY_DIFF_LARGEST the size of the largest corpus component taken (default 300 KB).
// Found so far, and mended: a function type using a type index that an `(eq ...)` import or
// export only re-exported (external visibility), labels compared with their case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { isDeepStrictEqual } from 'node:util';

import { loadFullCore } from '../../js/core/load.js';
import { assemble, corpusFiles, corpusUrl, loadJco, watFiles } from './helpers/node-inputs.js';
import { splitWast } from '../spec/wast.js';
import { WasmTools } from './helpers/wasm-tools.js';
import { witShape } from './helpers/wit-shape.js';

const MUTANTS = Number(process.env.COMPOLY_DIFF_MUTANTS ?? 40);
const SPEC_MUTANTS = Number(process.env.COMPOLY_DIFF_SPEC_MUTANTS ?? 8);
const SEED = Number(process.env.COMPOLY_DIFF_SEED ?? 1);
const LARGEST = Number(process.env.COMPOLY_DIFF_LARGEST ?? 300_000);

function readLeb(bytes, at) {
  let value = 0;
  let shift = 0;
  let byte;
  do {
    byte = bytes[at.i++];
    value |= (byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80 && at.i < bytes.length);
  return value >>> 0;
}

// The byte ranges of a component's own sections (nested components included) and of its
// core modules. Sections are walked, not validated: the inputs are valid components.
function sectionRanges(bytes, start = 0, end = bytes.length, out = { own: [], modules: [] }) {
  const at = { i: start + 8 };
  while (at.i < end) {
    const id = bytes[at.i++];
    const size = readLeb(bytes, at);
    const body = at.i;
    if (id === 4) sectionRanges(bytes, body, body + size, out);
    else if (id === 1) out.modules.push([body, body + size]);
    else if (id !== 0) out.own.push([body, body + size]);
    at.i = body + size;
  }
  return out;
}

// A small deterministic generator, so that a failure names a mutant that can be made again.
function generator(seed) {
  let state = seed >>> 0 || 1;
  return (n) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state % n;
  };
}

function mutants(bytes, seed, count) {
  const { own } = sectionRanges(bytes);
  const total = own.reduce((n, [s, e]) => n + e - s, 0);
  const out = [];
  if (total === 0) return out;
  const random = generator(seed);
  while (out.length < count) {
    let k = random(total);
    let pos = -1;
    for (const [s, e] of own) {
      if (k < e - s) {
        pos = s + k;
        break;
      }
      k -= e - s;
    }
    const old = bytes[pos];
    // A flipped bit, a neighbour, a small number (an index, a sort, a count) or any byte.
    const how = random(5);
    const value =
      how === 0 ? old ^ (1 << random(8)) : how === 1 ? (old + 1) & 0xff : how === 2 ? (old - 1) & 0xff : how === 3 ? random(16) : random(256);
    if (value === old) continue;
    const m = Uint8Array.from(bytes);
    m[pos] = value;
    out.push({ bytes: m, what: `byte 0x${pos.toString(16)} 0x${old.toString(16)} -> 0x${value.toString(16)}` });
  }
  return out;
}

// Core modules the engine rejects make a component invalid on either side.
function modulesValidate(bytes) {
  let ranges;
  try {
    ranges = sectionRanges(bytes).modules;
  } catch {
    return true;
  }
  return ranges.every(([s, e]) => e <= bytes.length && WebAssembly.validate(bytes.subarray(s, e)));
}

function compolyVerdict(core, bytes) {
  const result = JSON.parse(core.compile(bytes));
  if (!result.ok) {
    const byDesign = /not supported|does not support|beyond WASI 0\.2|implementation limit/.test(result.error.message);
    return { valid: false, byDesign, message: result.error.message };
  }
  const engineOk = result.plan.modules.every(([offset, size]) => WebAssembly.validate(bytes.subarray(offset, offset + size)));
  return engineOk ? { valid: true } : { valid: false, message: 'the engine rejects a core module' };
}

async function wasmToolsVerdict(tools, bytes) {
  let wit;
  try {
    wit = await tools.componentWit(bytes);
  } catch (e) {
    const message = String(e?.message ?? e).replace(/\s+/g, ' ');
    if (/\(at offset 0x[0-9a-f]+\)/.test(message)) return { valid: false, message };
    return { valid: null, message }; // a WIT decoding failure (or a panic): no verdict
  }
  return modulesValidate(bytes) ? { valid: true, wit } : { valid: false, message: 'the engine rejects a core module' };
}

// Where wasm-tools departs from the spec, compoly follows the spec; a disagreement of these
// kinds is reported, not failed on.
const SPEC_OVER_WASM_TOOLS = [
  {
    theirs: /conflicts with previous name/,
    why: 'strong uniqueness (Explainer.md) tells `a1` and `a-1` apart, and the spec test kebab.wast has both; wasm-tools does not',
  },
  {
    ours: /has type table .*expected table|module import .* is not in the expected module type/,
    why: 'a table matches only a table of the same address type (memory64); wasmparser compares memories\' but not tables\'',
  },
];

function divergence(ours, theirs) {
  return SPEC_OVER_WASM_TOOLS.find(
    (d) => (!d.theirs || d.theirs.test(theirs.message ?? '')) && (!d.ours || d.ours.test(ours.message ?? '')),
  );
}

// The spec tests' valid components (tests/spec/wast), as the spec-wast test assembles them.
async function specComponents() {
  const root = new URL('../spec/wast/', import.meta.url);
  const list = [];
  for (const folder of readdirSync(root).filter((f) => statSync(new URL(f, root)).isDirectory()).sort()) {
    const dir = new URL(`${folder}/`, root);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.wast')).sort()) {
      for (const d of splitWast(readFileSync(new URL(file, dir), 'utf8'))) {
        if (d.kind !== 'component') continue;
        let bytes;
        try {
          bytes = d.component.format === 'binary' ? d.component.bytes : await assemble(d.component.text);
        } catch {
          continue; // the spec-wast test reports what jco cannot assemble
        }
        list.push({ name: `spec ${folder}/${file}:${d.line}`, bytes, mutants: SPEC_MUTANTS });
      }
    }
  }
  return list;
}

async function inputs() {
  const list = [];
  for (const file of corpusFiles(['.wasm'])) {
    const url = new URL(file, corpusUrl);
    if (statSync(url).size < LARGEST) list.push({ name: file, bytes: new Uint8Array(readFileSync(url)), mutants: MUTANTS });
  }
  const valid = new URL('../fixtures/valid/', import.meta.url);
  for (const name of watFiles(valid)) {
    const bytes = await assemble(readFileSync(new URL(name, valid), 'utf8'));
    list.push({ name: `fixtures/valid/${name}`, bytes, mutants: MUTANTS });
  }
  return list.concat(await specComponents());
}

test('compoly and wasm-tools agree on which mutants of valid components are valid, and on their WIT', async (t) => {
  const jco = await loadJco();
  if (!jco) return t.skip('@bytecodealliance/jco not installed (npm install)');
  const core = await loadFullCore();
  const tools = new WasmTools();
  const list = (await inputs()).filter((input) => compolyVerdict(core, input.bytes).valid);
  if (corpusFiles(['.wasm']).length === 0) t.diagnostic(`corpus absent (${fileURLToPath(corpusUrl)}): fixtures and spec tests only`);
  const disagreements = [];
  const divergences = new Map();
  let compared = 0;
  let bothValid = 0;
  for (const [i, input] of list.entries()) {
    for (const m of [{ bytes: input.bytes, what: 'as it is' }, ...mutants(input.bytes, SEED * 7919 + i, input.mutants)]) {
      const ours = compolyVerdict(core, m.bytes);
      const theirs = await wasmToolsVerdict(tools, m.bytes);
      if (theirs.valid === null || ours.byDesign) continue;
      compared++;
      if (ours.valid !== theirs.valid) {
        const known = divergence(ours, theirs);
        if (known) {
          divergences.set(known.why, (divergences.get(known.why) ?? 0) + 1);
          continue;
        }
      }
      if (ours.valid && theirs.valid) {
        bothValid++;
        // Valid to both: then `wit()` prints the world `jco wit` prints (wit-vs-jco.test.js's check).
        const wit = JSON.parse(core.wit(m.bytes));
        if (!wit.ok) disagreements.push(`${input.name}, ${m.what}: compiles, but wit() fails: ${wit.error.message}`);
        else if (!isDeepStrictEqual(witShape(wit.wit), witShape(theirs.wit))) {
          disagreements.push(`${input.name}, ${m.what}: the WIT differs from jco's:\n${wit.wit}\n---\n${theirs.wit}`);
        }
      }
      if (ours.valid !== theirs.valid) {
        disagreements.push(
          `${input.name}, ${m.what}: compoly ${ours.valid ? 'accepts' : `rejects (${ours.message})`}; ` +
            `wasm-tools ${theirs.valid ? 'accepts' : `rejects (${theirs.message})`}`,
        );
      }
    }
  }
  t.diagnostic(
    `${list.length} inputs, ${compared} components compared, ${bothValid} valid (seed ${SEED}; ${MUTANTS} mutants each, ` +
      `${SPEC_MUTANTS} of a spec test's; wasm-tools restarted after ${tools.restarts} panics)`,
  );
  for (const [why, n] of divergences) t.diagnostic(`${n} where compoly follows the spec: ${why}`);
  assert.ok(compared > list.length, 'expected most mutants to get a verdict from both');
  assert.deepEqual(disagreements, []);
});

test('wasm-tools also rejects every invalid fixture that compoly rejects for breaking a rule', async (t) => {
  const jco = await loadJco();
  if (!jco) return t.skip('@bytecodealliance/jco not installed (npm install)');
  const core = await loadFullCore();
  const tools = new WasmTools();
  const dir = new URL('../fixtures/invalid/', import.meta.url);
  // `componentWit` takes a core module too (it reads the WIT a core module carries).
  const notComparable = new Set(['component-is-core-module.wat']);
  const accepted = [];
  let compared = 0;
  for (const name of watFiles(dir)) {
    if (notComparable.has(name)) continue;
    const bytes = await assemble(readFileSync(new URL(name, dir), 'utf8'));
    const ours = compolyVerdict(core, bytes);
    assert.equal(ours.valid, false, `${name}: compoly accepts it`);
    if (ours.byDesign) continue;
    const theirs = await wasmToolsVerdict(tools, bytes);
    if (theirs.valid === null) continue;
    compared++;
    if (theirs.valid) accepted.push(`${name}: compoly rejects (${ours.message}); wasm-tools accepts`);
  }
  t.diagnostic(`${compared} invalid fixtures judged by both`);
  assert.ok(compared > 150, `expected most fixtures to be judged by both, got ${compared}`);
  assert.deepEqual(accepted, []);
});
