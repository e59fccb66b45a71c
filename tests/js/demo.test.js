// The README demo: builds the demo components from our sources (demos/hello/hello.c with
// clang-14 + jco new, demos/calculator/calculator.wat with jco parse), compiles them with
// compile() and checks their WIT and plan; then runs demos/run-demo.js as the README does.
// Skips, saying why, when clang-14 / wasi-libc, jco or the built core are missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { witShape } from './helpers/wit-shape.js';
import { witType } from '../../js/runtime/wit-text.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const runDemo = `${ROOT}demos/run-demo.js`;

function missingC() {
  try {
    execFileSync('clang-14', ['--version'], { stdio: 'ignore' });
  } catch {
    return 'clang-14 not installed (bash scripts/setup.sh)';
  }
  if (!existsSync('/usr/lib/wasm32-wasi/libc.a')) return 'wasi-libc not installed (bash scripts/setup.sh)';
  return null;
}

function missingJco() {
  return existsSync(`${ROOT}node_modules/@bytecodealliance/jco/package.json`)
    ? null
    : '@bytecodealliance/jco not installed (npm install)';
}

function missingCore() {
  return existsSync(`${ROOT}js/core/compoly-core.wasm`) ? null : 'core not built (npm run build)';
}

async function setup(t, needC) {
  const why = missingCore() ?? missingJco() ?? (needC ? missingC() : null);
  if (why) {
    t.skip(why);
    return null;
  }
  const demo = await import(runDemo);
  const { compile } = await import('../../js/index.js');
  const jco = await import('@bytecodealliance/jco');
  return { demo, compile, jco };
}

function findDemo(demo, name) {
  const found = demo.DEMOS.find((d) => d.name === name);
  assert.ok(found, `demos/run-demo.js has no demo named ${name}`);
  return found;
}

/** { interface name: { func name: signature } } of the plan's exported instances. */
function exportedFunctions(demo, plan) {
  const out = {};
  for (const item of plan.exports) {
    if (item.kind !== 'instance') continue;
    out[item.name] = {};
    for (const f of item.items) if (f.kind === 'func') out[item.name][f.name] = witType(plan, f.type);
  }
  return out;
}

test('demo hello: C WASI command built with clang-14 + jco new compiles; WIT and plan', async (t) => {
  const ctx = await setup(t, true);
  if (!ctx) return;
  const { demo, compile, jco } = ctx;
  const path = await findDemo(demo, 'hello').build();
  const bytes = new Uint8Array(readFileSync(path));
  const component = await compile(bytes);

  const wit = await component.wit();
  const shape = witShape(wit);
  assert.ok(shape.exports.some((e) => /^wasi:cli\/run@0\.2\.\d+$/.test(e)), `exports wasi:cli/run@0.2.x:\n${wit}`);
  for (const iface of ['wasi:cli/environment', 'wasi:filesystem/preopens', 'wasi:filesystem/types', 'wasi:cli/stdout']) {
    assert.ok(
      shape.imports.some((i) => new RegExp(`^${iface}@0\\.2\\.\\d+$`).test(i)),
      `imports ${iface}@0.2.x:\n${wit}`,
    );
  }
  // Same world as jco (wit-component) sees.
  const expected = witShape(await jco.componentWit(bytes));
  assert.deepEqual(shape.imports, expected.imports);
  assert.deepEqual(shape.exports, expected.exports);

  const { plan } = component;
  assert.equal(component.modules.length, plan.modules.length);
  assert.ok(plan.modules.length >= 2, 'the main module and the preview1 adapter at least');
  assert.equal(plan.lifted.length, 1, 'one lifted function: run');
  assert.ok(plan.lowered.length > 0, 'WASI functions lowered for the adapter');
  const run = Object.entries(exportedFunctions(demo, plan)).find(([name]) => name.startsWith('wasi:cli/run@'));
  assert.deepEqual(run?.[1], { run: 'func() -> result' });
  assert.ok(
    plan.resources.some((r) => r.host && r.name === 'descriptor'),
    'the host resource wasi:filesystem/types.descriptor',
  );
});

test('demo calculator: hand-written component text compiles; WIT and plan match calculator.wit', async (t) => {
  const ctx = await setup(t, false);
  if (!ctx) return;
  const { demo, compile, jco } = ctx;
  const path = await findDemo(demo, 'calculator').build();
  const bytes = new Uint8Array(readFileSync(path));
  const component = await compile(bytes);

  const wit = await component.wit();
  const shape = witShape(wit);
  assert.deepEqual(shape.imports, []);
  assert.deepEqual(shape.exports, ['demo:calc/calculator']);
  assert.deepEqual(shape.exports, witShape(await jco.componentWit(bytes)).exports);

  // The interface's functions, as the plan types them, are the ones calculator.wit declares
  // (wit() names the interface only: it does not print the packages a world uses).
  const declared = witShape(readFileSync(`${ROOT}demos/calculator/calculator.wit`, 'utf8')).functions;
  assert.deepEqual(exportedFunctions(demo, component.plan), declared);
  assert.equal(declared['demo:calc/calculator'].add, 'func(a: u32, b: u32) -> u32');

  const { plan } = component;
  assert.equal(plan.modules.length, 1);
  assert.equal(plan.instantiations.length, 1);
  assert.equal(plan.lowered.length, 0);
  assert.equal(plan.lifted.length, 2);
  const greet = plan.lifted.find((l) => l.core.name === 'greet');
  assert.equal(greet.options.encoding, 'utf8');
  assert.equal(greet.options.memory?.name, 'memory');
  assert.equal(greet.options.realloc?.name, 'cabi_realloc');
  assert.equal(greet.options.postReturn?.name, 'cabi_post_greet');
  const greetType = plan.types[greet.type];
  assert.deepEqual(greetType.lift, { params: ['i32', 'i32'], results: ['i32'], paramsInMemory: false, resultInMemory: true });

  // The demo's calls, through compoly's runtime once it is there.
  const { instantiate } = await import('../../js/index.js');
  if (typeof instantiate !== 'function') return t.diagnostic('js/index.js has no instantiate() yet: calls not checked');
  const { exports } = await instantiate(component);
  assert.deepEqual(findDemo(demo, 'calculator').calls(exports), [
    ['add(40, 2)', 42],
    ['add(4294967295, 1)', 0],
    ['greet("WebAssembly")', 'Hello, WebAssembly!'],
    ['greet("wörld ✓")', 'Hello, wörld ✓!'],
  ]);
  // Strings that make the guest's allocator grow memory, call after call.
  const calc = exports['demo:calc/calculator'];
  for (let i = 0; i < 64; i++) {
    const name = 'x'.repeat(i * 4099);
    assert.equal(calc.greet(name), `Hello, ${name}!`);
  }
});

test('node demos/run-demo.js (the README demo) prints both components', async (t) => {
  const why = missingCore() ?? missingJco() ?? missingC();
  if (why) return t.skip(why);
  const result = spawnSync(process.execPath, [runDemo], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  assert.equal(result.status, 0, `exit ${result.status}\n${result.stdout}\n${result.stderr}`);
  for (const expected of [
    '== hello',
    '== calculator',
    /export wasi:cli\/run@0\.2\.\d+;/,
    /import wasi:filesystem\/preopens@0\.2\.\d+;/,
    'export demo:calc/calculator;',
    'add: func(a: u32, b: u32) -> u32',
    'greet: func(name: string) -> string',
    'run: func() -> result',
  ]) {
    if (typeof expected === 'string') assert.ok(result.stdout.includes(expected), `output has ${expected}:\n${result.stdout}`);
    else assert.match(result.stdout, expected);
  }
});
