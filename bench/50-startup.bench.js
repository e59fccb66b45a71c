// Bytes to first call of a large component (a componentize-js build, SpiderMonkey inside,
// ≥ 10 MB; bench/components/large.js): compoly's compile(bytes) + instantiate + the first call
// of adder.add, against the engine alone: WebAssembly.compile of the same core modules (views
// of the same bytes) + instantiating them in the plan's order + the first call of the core
// export. The raw side is handed the wiring, worked out before the clock starts.
import { compileBytes } from '../js/runtime/component.js';
import { instantiate } from '../js/runtime/instantiate.js';
import { median, ms, ratio } from './lib.js';

export const title = 'startup: bytes to first call of a ≥ 10 MB component';
const GOAL = 1.05;

export async function prepare() {
  const { largeComponent } = await import('./node.js');
  return largeComponent();
}

function leb(b, p) {
  let r = 0;
  let shift = 0;
  let x;
  do {
    x = b[p++];
    r += (x & 0x7f) * 2 ** shift;
    shift += 7;
  } while (x & 0x80);
  return [r, p];
}

/**
 * Engines keep compiled modules in a cache keyed by their bytes (V8's native module cache),
 * so compiling the same bytes again while an earlier module is alive is nearly free, and a
 * benchmark that recompiles one buffer measures the cache. Every timed run gets a copy of the
 * component in which each core module's `producers` custom section (or its last custom
 * section) has a unique name of the same length: no engine reads it, but the bytes differ.
 */
function freshCopies(bytes, modules) {
  const spots = modules.map(([offset, size]) => {
    let spot = null;
    let p = offset + 8;
    while (p < offset + size) {
      const id = bytes[p++];
      let len;
      [len, p] = leb(bytes, p);
      if (id === 0) {
        const [nameLen, at] = leb(bytes, p);
        const name = new TextDecoder().decode(bytes.subarray(at, at + nameLen));
        if (nameLen >= 6 && (spot?.name !== 'producers' || name === 'producers')) spot = { at, nameLen, name };
      }
      p += len;
    }
    return spot;
  });
  if (spots.some((s) => s === null)) return null;
  let k = 0;
  return () => {
    const copy = bytes.slice();
    const tag = `b${(++k).toString(36)}`;
    for (const { at, nameLen } of spots) copy.set(new TextEncoder().encode(tag.padEnd(nameLen, '_').slice(0, nameLen)), at);
    return copy;
  };
}

export default async function run(env, input) {
  const original = await env.bytes(input.wasm);
  let bytes = original;

  const compoly = async () => {
    const component = await compileBytes(bytes);
    const { exports } = await instantiate(component, {});
    return exports.adder.add(20, 22);
  };

  // The raw peer's wiring, from the plan (outside the timed part).
  const { plan } = await compileBytes(original, { compileModules: false });
  const fresh = freshCopies(original, plan.modules);
  if (!fresh) throw new Error('a core module has no custom section to make its bytes unique with');
  const lifted = plan.lifted[plan.exports[0].items?.find((x) => x.kind === 'func')?.func.lifted ?? 0];
  for (const step of plan.instantiations) {
    for (const [, , item] of step.args) {
      if (!('instance' in item)) throw new Error('the raw peer wires core exports only; this component imports more');
    }
  }
  const raw = async () => {
    const modules = await Promise.all(
      plan.modules.map(([offset, size]) => WebAssembly.compile(bytes.subarray(offset, offset + size))),
    );
    const instances = [];
    for (const step of plan.instantiations) {
      const imports = {};
      for (const [module, name, item] of step.args) (imports[module] ??= {})[name] = instances[item.instance].exports[item.name];
      instances.push(await WebAssembly.instantiate(modules[step.module], imports));
    }
    return instances[lifted.core.instance].exports[lifted.core.name](20, 22) >>> 0;
  };

  for (const [name, f] of [['compoly', compoly], ['raw', raw]]) {
    bytes = fresh();
    if ((await f()) !== 42) throw new Error(`${name}: the first call gives a wrong result`);
  }
  // Interleaved, one of each per round, in alternating order; each on bytes never compiled before.
  const samples = { raw: [], compoly: [] };
  for (let round = 0; round < 20; round++) {
    const order = round % 2 ? [['raw', raw], ['compoly', compoly]] : [['compoly', compoly], ['raw', raw]];
    for (const [name, f] of order) {
      bytes = fresh();
      const t0 = performance.now();
      await f();
      samples[name].push(performance.now() - t0);
    }
  }
  // Of compoly's time, the part before any engine work: the core's decode + validate + link of
  // the component and the plan's JSON (compile without compiling the core modules).
  const planOnly = [];
  for (let i = 0; i < 7; i++) {
    const copy = fresh();
    const t0 = performance.now();
    await compileBytes(copy, { compileModules: false });
    planOnly.push(performance.now() - t0);
  }
  const t = { raw: median(samples.raw), compoly: median(samples.compoly), plan: median(planOnly) };
  const r = median(samples.compoly.map((x, i) => x / samples.raw[i]));
  const coreBytes = plan.modules.reduce((n, [, size]) => n + size, 0);
  return {
    rows: [
      {
        measure: 'component',
        value: `${(bytes.length / 1e6).toFixed(2)} MB, ${plan.modules.length} core module(s) of ${(coreBytes / 1e6).toFixed(2)} MB`,
      },
      { measure: 'raw: WebAssembly.compile + instantiate + call', value: ms(t.raw) },
      { measure: 'compoly: compile + instantiate + call', value: ms(t.compoly) },
      { measure: '  of which: the plan (decode, validate, link)', value: ms(t.plan) },
      { measure: 'compoly ÷ raw (median of paired runs)', value: ratio(r), goal: `≤ ${GOAL}×`, ok: r <= GOAL },
    ],
  };
}
