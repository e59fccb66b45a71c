// Host → guest call of add(u32, u32) -> u32: compoly's export against the raw core export (the
// same core module instantiated by hand) and against jco's transpiled output of the same
// component (bench/components/adder.wat).
import { compileBytes } from '../js/runtime/component.js';
import { instantiate } from '../js/runtime/instantiate.js';
import { compare, loop, per, ratio } from './lib.js';

export const title = 'calls: add(u32, u32) -> u32, host → guest';
const GOAL = 1.5;

export async function prepare() {
  const { watComponent } = await import('./node.js');
  return watComponent('adder');
}

export default async function run(env, input) {
  const component = await compileBytes(await env.bytes(input.wasm));
  const { exports } = await instantiate(component, {});
  const add = exports.adder.add;
  // The raw peer: the component's only core module, instantiated by hand, its export called.
  const raw = (await WebAssembly.instantiate(component.modules[0], {})).exports.add;
  const jco = (await import(env.url(input.jco))).adder.add;

  for (const [name, f] of [['compoly', add], ['jco', jco]]) {
    if (f(0xffffffff, 1) !== 0 || f(2 ** 31, 5) !== 2 ** 31 + 5) throw new Error(`${name}: add gives wrong results`);
  }
  if (raw(2 ** 31, 5) !== ((2 ** 31 + 5) | 0)) throw new Error('raw: add gives wrong results');

  const t = compare({
    raw: loop(raw, 'f(i, 3)'),
    compoly: loop(add, 'f(i, 3)'),
    jco: loop(jco, 'f(i, 3)'),
  });
  const r = t.ratio('compoly', 'raw');
  return {
    rows: [
      { measure: 'raw core export, per call', value: per(t.raw) },
      { measure: 'compoly, per call', value: per(t.compoly) },
      { measure: `jco ${input.jcoVersion}, per call`, value: per(t.jco) },
      { measure: 'compoly ÷ raw', value: ratio(r), goal: `≤ ${GOAL}×`, ok: r <= GOAL },
      { measure: 'jco ÷ raw', value: ratio(t.ratio('jco', 'raw')) },
      { measure: 'jco ÷ compoly', value: ratio(t.ratio('jco', 'compoly')) },
    ],
  };
}
