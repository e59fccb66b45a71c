// Every component of the conformance corpus (../shared/corpus beside the project:
// jco-runtime/ and wasmtime-p2/, the .wat ones assembled with jco) through the public
// API: compile(bytes) succeeds (which also runs WebAssembly.compile on every core module),
// the plan hangs together (every index points at something that exists, every core
// instance an instantiation step uses was made by an earlier step), and wit() prints a
// world. Skips, saying why, when the corpus (or, for the .wat files, jco) is missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { compile, Component } from '../../js/index.js';
import { corpusFiles, corpusUrl as corpus, loadJco } from './helpers/node-inputs.js';

const PRIMITIVES = new Set([
  'bool', 's8', 'u8', 's16', 'u16', 's32', 'u32', 's64', 'u64', 'f32', 'f64', 'char', 'string',
]);

const isIndex = (v, length) => Number.isInteger(v) && v >= 0 && v < length;

/**
 * Checks the plan against docs/plan.md and the component's byte length; returns a list of
 * problems, each with the JSON path where it is, so that one failure shows them all.
 */
function planProblems(plan, byteLength) {
  const problems = [];
  const problem = (where, what) => problems.push(`${where}: ${what}`);
  const expectIndex = (where, v, length, what) => {
    if (!isIndex(v, length)) problem(where, `${JSON.stringify(v)} is not a ${what} index (0..${length - 1})`);
  };

  const types = plan.types ?? [];
  const modules = plan.modules ?? [];
  const steps = plan.instantiations ?? [];
  const lowered = plan.lowered ?? [];
  const lifted = plan.lifted ?? [];
  const resources = plan.resources ?? [];
  const instances = plan.componentInstances;

  if (plan.version !== 1) problem('version', `expected 1, got ${plan.version}`);
  if (!Number.isInteger(instances) || instances < 1) problem('componentInstances', `${instances}`);
  for (const key of ['types', 'modules', 'instantiations', 'lowered', 'lifted', 'resources', 'imports', 'exports']) {
    if (!Array.isArray(plan[key])) problem(key, 'missing or not an array');
  }

  // T: a primitive name or an index into types.
  const typeRef = (where, t) => {
    if (typeof t === 'string') {
      if (!PRIMITIVES.has(t)) problem(where, `unknown primitive type ${JSON.stringify(t)}`);
    } else {
      expectIndex(where, t, types.length, 'type');
    }
  };
  const optionalTypeRef = (where, t) => t === null || typeRef(where, t);

  types.forEach((t, i) => {
    const at = `types[${i}]`;
    switch (t.kind) {
      case 'record':
        t.fields.forEach(([name, ft], k) => {
          if (typeof name !== 'string') problem(`${at}.fields[${k}]`, 'unnamed field');
          typeRef(`${at}.fields[${k}]`, ft);
        });
        break;
      case 'variant':
        t.cases.forEach(([, ct], k) => optionalTypeRef(`${at}.cases[${k}]`, ct));
        break;
      case 'list':
      case 'option':
        typeRef(`${at}.element`, t.element);
        break;
      case 'tuple':
        t.elements.forEach((et, k) => typeRef(`${at}.elements[${k}]`, et));
        break;
      case 'flags':
      case 'enum':
        if (!Array.isArray(t.labels)) problem(at, 'labels missing');
        break;
      case 'result':
        optionalTypeRef(`${at}.ok`, t.ok);
        optionalTypeRef(`${at}.err`, t.err);
        break;
      case 'own':
      case 'borrow':
      case 'resource':
        expectIndex(`${at}.resource`, t.resource, resources.length, 'resource');
        break;
      case 'func':
        t.params.forEach(([, pt], k) => typeRef(`${at}.params[${k}]`, pt));
        optionalTypeRef(`${at}.result`, t.result);
        for (const dir of ['lift', 'lower']) {
          if (!Array.isArray(t[dir]?.params) || !Array.isArray(t[dir]?.results)) problem(`${at}.${dir}`, 'no core signature');
        }
        break;
      default:
        problem(at, `unknown kind ${JSON.stringify(t.kind)}`);
    }
    if (t.kind !== 'func' && t.kind !== 'resource') {
      if (!Number.isInteger(t.size) || !Number.isInteger(t.align) || !Array.isArray(t.flat)) {
        problem(at, 'value type without size/align/flat');
      }
    }
  });

  modules.forEach((m, i) => {
    const ok = Array.isArray(m) && m.length === 2 && m.every((v) => Number.isInteger(v) && v >= 0) && m[0] + m[1] <= byteLength;
    if (!ok) problem(`modules[${i}]`, `${JSON.stringify(m)} is not a byte range inside the ${byteLength}-byte component`);
  });

  // ITEMREF: where a core func/table/memory/global comes from. `coreInstances` is how many
  // core instances exist at that point (the step index inside instantiations).
  const itemRef = (where, ref, coreInstances) => {
    if (ref === null || typeof ref !== 'object') return problem(where, `not an item reference: ${JSON.stringify(ref)}`);
    const builtin = ['resourceNew', 'resourceDrop', 'resourceRep'].find((k) => k in ref);
    if (builtin) {
      expectIndex(`${where}.${builtin}`, ref[builtin], resources.length, 'resource');
      expectIndex(`${where}.componentInstance`, ref.componentInstance, instances, 'component instance');
    } else if ('lowered' in ref) {
      expectIndex(`${where}.lowered`, ref.lowered, lowered.length, 'lowered function');
    } else if ('instance' in ref) {
      if (!isIndex(ref.instance, coreInstances)) {
        problem(`${where}.instance`, `core instance ${ref.instance} is not made by an earlier step (${coreInstances} before this point)`);
      }
      if (typeof ref.name !== 'string') problem(`${where}.name`, 'export name missing');
    } else {
      problem(where, `unknown item reference ${JSON.stringify(ref)}`);
    }
  };
  const options = (where, o) => {
    if (!['utf8', 'utf16', 'latin1+utf16'].includes(o?.encoding)) problem(`${where}.encoding`, `${o?.encoding}`);
    for (const k of ['memory', 'realloc', 'postReturn']) {
      if (o && k in o) itemRef(`${where}.${k}`, o[k], steps.length);
    }
  };
  const source = (where, s) => {
    if (Array.isArray(s?.host)) {
      if (s.host.length === 0 || !s.host.every((n) => typeof n === 'string')) problem(`${where}.host`, 'bad import path');
    } else if (s && 'lifted' in s) {
      expectIndex(`${where}.lifted`, s.lifted, lifted.length, 'lifted function');
    } else {
      problem(where, `unknown source ${JSON.stringify(s)}`);
    }
  };

  steps.forEach((step, i) => {
    const at = `instantiations[${i}]`;
    expectIndex(`${at}.module`, step.module, modules.length, 'module');
    (step.args ?? []).forEach((arg, k) => {
      if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string' || typeof arg[1] !== 'string') {
        return problem(`${at}.args[${k}]`, `not [module, field, item]: ${JSON.stringify(arg)}`);
      }
      itemRef(`${at}.args[${k}][2]`, arg[2], i);
    });
  });
  lowered.forEach((l, i) => {
    const at = `lowered[${i}]`;
    source(`${at}.callee`, l.callee);
    typeRef(`${at}.type`, l.type);
    if (isIndex(l.type, types.length) && types[l.type].kind !== 'func') problem(`${at}.type`, 'not a func type');
    options(`${at}.options`, l.options);
    expectIndex(`${at}.componentInstance`, l.componentInstance, instances, 'component instance');
  });
  lifted.forEach((l, i) => {
    const at = `lifted[${i}]`;
    itemRef(`${at}.core`, l.core, steps.length);
    typeRef(`${at}.type`, l.type);
    if (isIndex(l.type, types.length) && types[l.type].kind !== 'func') problem(`${at}.type`, 'not a func type');
    options(`${at}.options`, l.options);
    expectIndex(`${at}.componentInstance`, l.componentInstance, instances, 'component instance');
  });
  resources.forEach((r, i) => {
    const at = `resources[${i}]`;
    if (typeof r.name !== 'string') problem(at, 'no name');
    if (r.host === true) {
      if (!Array.isArray(r.path)) problem(at, 'host resource without a path');
    } else {
      expectIndex(`${at}.componentInstance`, r.componentInstance, instances, 'component instance');
      if ('dtor' in r) itemRef(`${at}.dtor`, r.dtor, steps.length);
    }
  });

  const item = (where, it) => {
    if (typeof it?.name !== 'string') problem(where, 'item without a name');
    switch (it?.kind) {
      case 'func':
        typeRef(`${where}.type`, it.type);
        source(`${where}.func`, it.func);
        break;
      case 'instance':
        (it.items ?? []).forEach((sub, k) => item(`${where}.items[${k}]`, sub));
        break;
      case 'type':
        typeRef(`${where}.type`, it.type);
        break;
      case 'core module':
        expectIndex(`${where}.module`, it.module, modules.length, 'module');
        break;
      case 'component':
        break;
      default:
        problem(where, `unknown kind ${JSON.stringify(it?.kind)}`);
    }
  };
  (plan.imports ?? []).forEach((it, i) => item(`imports[${i}]`, it));
  (plan.exports ?? []).forEach((it, i) => item(`exports[${i}]`, it));
  return problems;
}

const files = corpusFiles();

if (files.length === 0) {
  test('corpus compiles', (t) => t.skip(`../shared/corpus not found: ${fileURLToPath(corpus)}`));
}

for (const file of files) {
  test(`${file} compiles, with a consistent plan and a WIT world`, async (t) => {
    let bytes = new Uint8Array(readFileSync(new URL(file, corpus)));
    if (file.endsWith('.wat')) {
      const jco = await loadJco();
      if (!jco) return t.skip('@bytecodealliance/jco not installed (npm install): cannot assemble .wat');
      try {
        bytes = await jco.parse(readFileSync(new URL(file, corpus), 'utf8'));
      } catch (err) {
        return t.skip(`jco cannot assemble it: ${String(err).split('\n')[0]}`);
      }
    }

    const component = await compile(bytes);
    assert.ok(component instanceof Component);
    const { plan } = component;

    assert.equal(component.modules.length, plan.modules.length, 'one compiled module per plan module');
    for (const m of component.modules) assert.ok(m instanceof WebAssembly.Module);

    assert.deepEqual(planProblems(plan, bytes.length), []);

    const wit = await component.wit();
    assert.equal(typeof wit, 'string');
    assert.match(wit, /\bworld\s+[\w-]+\s*\{/, 'wit() names a world');
  });
}

test('the plan checker catches dangling references', () => {
  const plan = {
    version: 1,
    componentInstances: 1,
    types: [{ kind: 'list', element: 5, size: 8, align: 4, flat: ['i32', 'i32'] }],
    modules: [[8, 100]],
    instantiations: [{ module: 0, args: [['m', 'f', { instance: 0, name: 'x' }], ['m', 'g', { lowered: 2 }]] }],
    lowered: [],
    lifted: [{ core: { instance: 3, name: 'run' }, type: 0, options: { encoding: 'utf8' } }],
    resources: [],
    imports: [],
    exports: [{ name: 'run', kind: 'func', type: 'u32', func: { lifted: 1 } }],
  };
  const problems = planProblems(plan, 50).join('\n');
  for (const where of [
    'types[0].element',
    'modules[0]',
    'instantiations[0].args[0][2].instance',
    'instantiations[0].args[1][2].lowered',
    'lifted[0].core.instance',
    'lifted[0].type',
    'exports[0].func.lifted',
  ]) {
    assert.ok(problems.includes(`${where}:`), `expected a problem at ${where} in:\n${problems}`);
  }
});

test('a core module whose code the engine rejects is a CompileError saying where', async () => {
  const { CompileError } = await import('../../js/index.js');
  // type () -> (), one function whose body holds the invalid opcode 0xff
  const module = [0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 10, 5, 1, 3, 0, 0xff, 0x0b];
  const component = new Uint8Array([0, 97, 115, 109, 13, 0, 1, 0, 1, module.length, ...module]);
  await assert.rejects(compile(component), (e) => {
    assert.ok(e instanceof CompileError);
    assert.equal(e.offset, 10);
    assert.match(e.message, /core module at byte 0xa: the engine rejected the core module's code/);
    return true;
  });
});
