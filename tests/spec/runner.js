// Runs the directives of a component-model spec .wast (split by ./wast.js)
// against compoly: component forms are assembled by jco's `parse` (or taken
// as bytes for `binary`), compiled with compile() and instantiated with
// instantiate(); invokes call the exports with jco-style JS values.
//
// Each directive gets an outcome { status: 'pass'|'fail'|'skip', reason?, note? }.
// A directive is skipped (not failed) when compoly says the component needs
// something beyond WASI 0.2 (async, streams, value imports, maps, ...), and
// so are the directives that depend on such a component.
//
// As a command: node tests/spec/runner.js FILE.wast... prints every outcome
// that is not a pass, and the totals.
import { readFileSync } from 'node:fs';
import { assemble as parseText } from '../js/helpers/node-inputs.js';
import { splitWast } from './wast.js';

const compoly = await import('../../js/index.js');
const { compile, instantiate, CompileError, LinkError, ComponentError } = compoly;

/** compoly's words for "this needs more than WASI 0.2". */
const BEYOND_02 = /beyond WASI 0\.2|not part of WASI 0\.2|WASI 0\.2 requires/;

export function isBeyond02(error) {
  return error instanceof CompileError && BEYOND_02.test(error.message);
}

// Core WebAssembly features some spec tests use that not every engine has
// (Node 20's V8 11.3 has neither). A core module the engine rejects for one
// of them is skipped, not failed, and only on an engine that lacks it.
const wasmHeader = [0, 97, 115, 109, 1, 0, 0, 0];
const ENGINE_FEATURES = [
  {
    name: 'multi-memory',
    // (module (memory 0) (memory 0))
    probe: [...wasmHeader, 5, 5, 2, 0, 0, 0, 0],
    message: /at most one memory|memory count of \d+ exceeds/i,
  },
  {
    name: 'exception handling with exnref (try_table)',
    // (module (func (try_table)))
    probe: [...wasmHeader, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 10, 8, 1, 6, 0, 0x1f, 0x40, 0, 0x0b, 0x0b],
    message: /invalid opcode 0x1f\b|try_table|exnref/i,
  },
];
for (const f of ENGINE_FEATURES) f.present = WebAssembly.validate(new Uint8Array(f.probe));

/** The core feature this engine lacks that made WebAssembly.compile reject a module, if any. */
export function engineLacks(error) {
  // compile() reports the engine's rejection of a core module as a compoly
  // CompileError whose cause is the engine's error.
  const engineError = error instanceof CompileError ? error.cause : error;
  if (!(engineError instanceof WebAssembly.CompileError)) return undefined;
  return ENGINE_FEATURES.find((f) => !f.present && f.message.test(engineError.message))?.name;
}

function unsupported(error) {
  if (isBeyond02(error)) return skip(`needs more than WASI 0.2: ${error.reason ?? error.message}`);
  const feature = engineLacks(error);
  if (feature) return skip(`this engine lacks core ${feature}: ${error.message}`);
  return undefined;
}

// ---- JS values ------------------------------------------------------------------------------

/** jco's lowerCamelCase of a kebab-case name (acronyms stay upper case). */
export function camelCase(kebab) {
  const words = kebab.split('-');
  let out = words[0].toLowerCase();
  for (const w of words.slice(1)) out += w === w.toUpperCase() ? w : w[0].toUpperCase() + w.slice(1);
  return out;
}

/** A spec value constant as the JS value jco passes for it. */
export function toJs(v) {
  switch (v.type) {
    case 'list':
    case 'tuple':
      return v.items.map(toJs);
    case 'record':
      return Object.fromEntries(v.fields.map(([name, f]) => [camelCase(name), toJs(f)]));
    case 'variant':
      return v.inner ? { tag: v.label, val: toJs(v.inner) } : { tag: v.label };
    case 'enum':
      return v.label;
    case 'flags':
      return Object.fromEntries(v.labels.map((l) => [camelCase(l), true]));
    case 'option':
      if (!v.some) return undefined;
      // option<option<T>>: the inner option is tagged, as jco does.
      return v.inner.type === 'option' ? (v.inner.some ? { tag: 'some', val: toJs(v.inner.inner) } : { tag: 'none' }) : toJs(v.inner);
    case 'result':
      return v.inner ? { tag: v.label, val: toJs(v.inner) } : { tag: v.label };
    default:
      return v.value;
  }
}

export function show(x) {
  if (typeof x === 'bigint') return `${x}n`;
  if (typeof x === 'number' && Object.is(x, -0)) return '-0';
  if (typeof x === 'string') return JSON.stringify(x);
  if (x === undefined) return 'undefined';
  if (ArrayBuffer.isView(x)) return `${x.constructor.name}[${Array.from(x, show).join(', ')}]`;
  try {
    return JSON.stringify(x, (_, y) => (typeof y === 'bigint' ? `${y}n` : y === undefined ? '<undefined>' : y));
  } catch {
    return String(x);
  }
}

/**
 * Compares what the runtime returned with a spec value: NaN-aware,
 * BigInt-aware, typed arrays for lists. Returns null when they match, or
 * where and how they differ.
 */
export function mismatch(actual, exp, at = 'result') {
  const bad = (want) => `${at}: expected ${want}, got ${show(actual)}`;
  switch (exp.type) {
    case 'bool':
      return actual === exp.value ? null : bad(String(exp.value));
    case 'u8':
    case 's8':
    case 'u16':
    case 's16':
    case 'u32':
    case 's32':
      return typeof actual === 'number' && actual === exp.value ? null : bad(`${exp.type} ${exp.value}`);
    case 'u64':
    case 's64':
      return typeof actual === 'bigint' && actual === exp.value ? null : bad(`${exp.type} ${exp.value}n (a BigInt)`);
    case 'f32':
    case 'f64':
      if (typeof actual !== 'number') return bad(`${exp.type} ${exp.value}`);
      if (exp.nan) return Number.isNaN(actual) ? null : bad(`${exp.type} NaN`);
      return Object.is(actual, exp.value) ? null : bad(`${exp.type} ${show(exp.value)}`);
    case 'char':
    case 'string':
      return actual === exp.value ? null : bad(`${exp.type} ${JSON.stringify(exp.value)}`);
    case 'list':
    case 'tuple': {
      const ok = exp.type === 'list' ? Array.isArray(actual) || ArrayBuffer.isView(actual) : Array.isArray(actual);
      if (!ok || actual.length !== exp.items.length) return bad(`a ${exp.type} of ${exp.items.length}`);
      for (let i = 0; i < exp.items.length; i++) {
        const m = mismatch(actual[i], exp.items[i], `${at}[${i}]`);
        if (m) return m;
      }
      return null;
    }
    case 'record': {
      if (typeof actual !== 'object' || actual === null) return bad('a record');
      for (const [name, f] of exp.fields) {
        const key = camelCase(name);
        if (!(key in actual)) return `${at}: record has no field '${key}' (got ${show(actual)})`;
        const m = mismatch(actual[key], f, `${at}.${key}`);
        if (m) return m;
      }
      return null;
    }
    case 'variant':
    case 'result': {
      if (typeof actual !== 'object' || actual === null || actual.tag !== exp.label) return bad(`{ tag: '${exp.label}', ... }`);
      if (exp.inner) return mismatch(actual.val, exp.inner, `${at}<${exp.label}>`);
      return actual.val === undefined ? null : bad(`{ tag: '${exp.label}' } without a payload`);
    }
    case 'enum':
      return actual === exp.label ? null : bad(`enum case '${exp.label}'`);
    case 'flags': {
      if (typeof actual !== 'object' || actual === null) return bad('flags');
      const want = new Set(exp.labels.map(camelCase));
      for (const k of want) if (actual[k] !== true) return bad(`flags {${[...want].join(', ')}}`);
      for (const [k, v] of Object.entries(actual)) if (!want.has(k) && v !== false) return bad(`flags {${[...want].join(', ')}}`);
      return null;
    }
    case 'option': {
      if (!exp.some) return actual === undefined || actual === null ? null : bad('none (undefined)');
      if (exp.inner.type === 'option') {
        if (typeof actual !== 'object' || actual === null) return bad('{ tag: some|none } (an option of an option)');
        if (!exp.inner.some) return actual.tag === 'none' ? null : bad("{ tag: 'none' }");
        if (actual.tag !== 'some') return bad("{ tag: 'some', val }");
        return mismatch(actual.val, exp.inner.inner, `${at}?`);
      }
      if (actual === undefined || actual === null) return bad('some(...)');
      return mismatch(actual, exp.inner, `${at}?`);
    }
    default:
      return `${at}: cannot compare a ${exp.type}`;
  }
}

// ---- messages -----------------------------------------------------------------------------

const STOP = new Set(['the', 'a', 'an', 'of', 'to', 'in', 'is', 'be', 'for', 'and', 'or', 'not', 'with', 'must', 'found', 'type', 'expected']);

/**
 * Whether our message names the same rule as the spec's expected message:
 * a loose check (a shared significant word), only reported, never failed on.
 */
export function sameRule(ours, expected) {
  if (!expected) return true;
  const words = (s) => new Set(String(s).toLowerCase().match(/[a-z0-9]+/g)?.filter((w) => w.length > 2 && !STOP.has(w)) ?? []);
  const a = words(ours);
  for (const w of words(expected)) if (a.has(w)) return true;
  return false;
}

// ---- the runner ---------------------------------------------------------------------------

const pass = (note) => ({ status: 'pass', ...(note ? { note } : {}) });
const fail = (reason) => ({ status: 'fail', reason });
const skip = (reason) => ({ status: 'skip', reason });

function errorText(e) {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

export class WastRunner {
  constructor() {
    /** the instance invokes go to: { exports } or { broken: outcome, line } */
    this.current = null;
    this.named = new Map(); // $id → instance
    this.definitions = new Map(); // $id → { component } or { broken }
    this.registered = {}; // name → exports (for `register`)
  }

  async assemble(form) {
    if (form.format === 'binary') return form.bytes;
    return parseText(form.text);
  }

  /** Compiles a component form: { component } or { error, stage: 'parse'|'compile' }. */
  async build(form) {
    let bytes;
    try {
      bytes = await this.assemble(form);
    } catch (error) {
      return { error, stage: 'parse' };
    }
    try {
      return { component: await compile(bytes) };
    } catch (error) {
      return { error, stage: 'compile' };
    }
  }

  async instantiateInto(component, line, id) {
    let inst;
    try {
      const { exports } = await instantiate(component, this.registered);
      inst = { exports, line };
    } catch (error) {
      const outcome =
        error instanceof WebAssembly.RuntimeError
          ? fail(`instantiation trapped: ${errorText(error)}`)
          : fail(`instantiation failed: ${errorText(error)}`);
      inst = { broken: outcome, line };
    }
    this.current = inst;
    if (id) this.named.set(id, inst);
    return inst.broken ?? pass();
  }

  breakCurrent(outcome, line, id) {
    const inst = { broken: outcome, line };
    this.current = inst;
    if (id) this.named.set(id, inst);
  }

  /** @returns {Promise<{ status: 'pass'|'fail'|'skip', reason?: string, note?: string }>} */
  async run(d) {
    switch (d.kind) {
      case 'component':
        return this.component(d);
      case 'instance':
        return this.instance(d);
      case 'invoke':
      case 'assert_return':
        return this.assertReturn(d);
      case 'assert_trap':
        return this.assertTrap(d);
      case 'assert_invalid':
      case 'assert_malformed':
        return this.assertRejected(d);
      case 'assert_unlinkable':
        return this.assertUnlinkable(d);
      case 'register': {
        const inst = d.id ? this.named.get(d.id) : this.current;
        if (!inst || inst.broken) return skip(`register: the instance is not available`);
        this.registered[d.as] = inst.exports;
        return pass();
      }
      default:
        return fail(`unsupported directive (${d.form} ...)`);
    }
  }

  async component(d) {
    const form = d.component;
    const built = await this.build(form);
    if (built.error) {
      const outcome =
        (built.stage === 'compile' && unsupported(built.error)) ||
        fail(`${built.stage === 'parse' ? 'jco parse' : 'compile()'} rejected a valid component: ${errorText(built.error)}`);
      if (form.definition) {
        if (form.id) this.definitions.set(form.id, { broken: outcome, line: d.line });
      } else {
        this.breakCurrent(outcome, d.line, form.id);
      }
      return outcome;
    }
    if (form.definition) {
      if (form.id) this.definitions.set(form.id, { component: built.component, line: d.line });
      return pass();
    }
    return this.instantiateInto(built.component, d.line, form.id);
  }

  async instance(d) {
    const def = this.definitions.get(d.of);
    if (!def) {
      const outcome = fail(`no component definition ${d.of}`);
      this.breakCurrent(outcome, d.line, d.id);
      return outcome;
    }
    if (def.broken) {
      const outcome = def.broken.status === 'skip' ? def.broken : fail(`definition ${d.of} (line ${def.line}) is broken`);
      this.breakCurrent(outcome, d.line, d.id);
      return outcome;
    }
    return this.instantiateInto(def.component, d.line, d.id);
  }

  /** The function an invoke calls, or an outcome saying why there is none. */
  target(invoke) {
    const inst = invoke.instance ? this.named.get(invoke.instance) : this.current;
    if (!inst) return { outcome: fail(`invoke: no instance ${invoke.instance ?? ''}`) };
    if (inst.broken) {
      const b = inst.broken;
      return { outcome: b.status === 'skip' ? b : fail(`the instance (line ${inst.line}) is not available: ${b.reason}`) };
    }
    const fn = inst.exports[invoke.name];
    if (typeof fn !== 'function') {
      return { outcome: fail(`no exported function '${invoke.name}' (exports: ${Object.keys(inst.exports).join(', ')})`) };
    }
    return { fn };
  }

  async assertReturn(d) {
    const { fn, outcome } = this.target(d.invoke);
    if (outcome) return outcome;
    const args = d.invoke.args.map(toJs);
    const expected = d.results ?? [];
    if (expected.length > 1) return fail('more than one result is not a component function');
    const exp = expected[0];
    let actual;
    try {
      actual = await fn(...args);
    } catch (e) {
      // At the top of an export, an err result is thrown (as jco does).
      if (e instanceof ComponentError && exp?.type === 'result' && exp.label === 'err') {
        const m = exp.inner ? mismatch(e.payload, exp.inner, 'result<err>') : null;
        return m ? fail(m) : pass();
      }
      return fail(`the call threw ${errorText(e)}`);
    }
    if (d.kind === 'invoke') return pass();
    if (!exp) return actual === undefined ? pass() : fail(`expected no result, got ${show(actual)}`);
    if (exp.type === 'result') {
      if (exp.label === 'err') return fail(`expected an err result (a thrown ComponentError), got ${show(actual)}`);
      const m = exp.inner ? mismatch(actual, exp.inner, 'result<ok>') : actual === undefined ? null : `expected ok without a payload, got ${show(actual)}`;
      return m ? fail(m) : pass();
    }
    const m = mismatch(actual, exp);
    return m ? fail(m) : pass();
  }

  async assertTrap(d) {
    if (d.component) {
      const built = await this.build(d.component);
      if (built.error) {
        if (built.stage === 'compile' && unsupported(built.error)) return unsupported(built.error);
        return fail(`${built.stage === 'parse' ? 'jco parse' : 'compile()'} rejected the component: ${errorText(built.error)}`);
      }
      try {
        await instantiate(built.component, this.registered);
      } catch (e) {
        return this.trapOutcome(e, d.message);
      }
      return fail(`instantiation did not trap (expected: ${d.message})`);
    }
    const { fn, outcome } = this.target(d.invoke);
    if (outcome) return outcome;
    const args = d.invoke.args.map(toJs);
    let result;
    try {
      result = await fn(...args);
    } catch (e) {
      return this.trapOutcome(e, d.message);
    }
    return fail(`no trap (expected: ${d.message}); returned ${show(result)}`);
  }

  trapOutcome(e, expected) {
    if (!(e instanceof WebAssembly.RuntimeError)) return fail(`expected a trap (${expected}), got ${errorText(e)}`);
    return pass(sameRule(e.message, expected) ? undefined : `message differs: spec '${expected}', ours '${e.message}'`);
  }

  async assertRejected(d) {
    let bytes;
    try {
      bytes = await this.assemble(d.component);
    } catch (e) {
      // The text never became a binary: jco's parser (wasm-tools) rejected it.
      return pass(`rejected by jco parse: ${String(e?.message ?? e).split('\n')[0].slice(0, 160)}`);
    }
    let component;
    try {
      component = await compile(bytes);
    } catch (e) {
      if (unsupported(e)) return unsupported(e);
      if (!(e instanceof CompileError)) {
        // compoly leaves core code validation to the engine: a core module
        // it rejects is a rejection, though not (yet) a compoly CompileError.
        if (e instanceof WebAssembly.CompileError) return pass(`rejected by the engine's WebAssembly.compile, not as a compoly CompileError: ${e.message}`);
        return fail(`compile() threw ${errorText(e)}, not a CompileError`);
      }
      return pass(sameRule(e.message, d.message) ? undefined : `message differs: spec '${d.message}', ours '${e.message}'`);
    }
    void component;
    return fail(`compile() accepted it (expected: ${d.message})`);
  }

  async assertUnlinkable(d) {
    const built = await this.build(d.component);
    if (built.error) {
      if (built.stage === 'compile' && unsupported(built.error)) return unsupported(built.error);
      if (built.error instanceof CompileError) return pass();
      return fail(`expected a LinkError or CompileError, got ${errorText(built.error)}`);
    }
    try {
      await instantiate(built.component, this.registered);
    } catch (e) {
      if (e instanceof LinkError) return pass();
      return fail(`expected a LinkError, got ${errorText(e)}`);
    }
    return fail(`linked (expected: ${d.message})`);
  }
}

/** Runs every directive of a .wast text; returns [{ directive, outcome }] in order. */
export async function runWast(text) {
  const runner = new WastRunner();
  const out = [];
  for (const directive of splitWast(text)) out.push({ directive, outcome: await runner.run(directive) });
  return out;
}

// ---- command line -------------------------------------------------------------------------

// node tests/spec/runner.js FILE.wast...   outcomes that are not passes, and totals
// node tests/spec/runner.js --table        the README's table over tests/spec/wast/*/
if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  if (args[0] === '--table') {
    const { readdirSync } = await import('node:fs');
    const { KNOWN_GAPS } = await import('./known-gaps.js');
    const root = new URL('./wast/', import.meta.url);
    const rows = [];
    const sum = { pass: 0, fail: 0, todo: 0, skip: 0 };
    for (const folder of ['values', 'resources', 'validation', 'linking', 'binary', 'local']) {
      const dir = folder === 'local' ? new URL('./local/', import.meta.url) : new URL(`${folder}/`, root);
      const c = { pass: 0, fail: 0, todo: 0, skip: 0 };
      for (const file of readdirSync(dir).filter((n) => n.endsWith('.wast')).sort()) {
        for (const { directive, outcome } of await runWast(readFileSync(new URL(file, dir), 'utf8'))) {
          const s = outcome.status === 'fail' && KNOWN_GAPS.has(`${folder}/${file}:${directive.line}`) ? 'todo' : outcome.status;
          c[s]++;
          sum[s]++;
        }
      }
      rows.push(`| ${folder} | ${c.pass} | ${c.fail} | ${c.todo} | ${c.skip} |`);
    }
    console.log(['| folder | pass | fail | todo | skip |', '|---|---|---|---|---|', ...rows, `| **total** | **${sum.pass}** | **${sum.fail}** | **${sum.todo}** | **${sum.skip}** |`].join('\n'));
  } else {
    const totals = { pass: 0, fail: 0, skip: 0 };
    for (const file of args) {
      for (const { directive, outcome } of await runWast(readFileSync(file, 'utf8'))) {
        totals[outcome.status]++;
        if (outcome.status !== 'pass' || (process.env.SPEC_NOTES && outcome.note)) {
          console.log(`${file}:${directive.line} ${directive.kind} ${outcome.status.toUpperCase()}: ${outcome.reason ?? outcome.note}`);
        }
      }
    }
    console.log(`pass ${totals.pass}, fail ${totals.fail}, skip ${totals.skip}`);
  }
}
