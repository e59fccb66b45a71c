// Core compile (decode + validate + link, plus JSON.parse of the plan) of the largest corpus
// component, against the engine's own WebAssembly.validate of the same core modules.
import { loadCore } from '../js/core/load.js';
import { time, ms, ratio } from './lib.js';

export const title = 'compile: compoly core vs WebAssembly.validate (largest corpus component)';
const GOAL = 0.2;

export async function prepare() {
  const { corpusFiles, rel, CORPUS } = await import('./node.js');
  const [largest] = await corpusFiles();
  if (!largest) return { skip: `no corpus at ${CORPUS}` };
  return { path: rel(largest.path), size: largest.size };
}

export default async function run(env, input) {
  const bytes = await env.bytes(input.path);
  const core = await loadCore();

  const compile = () => {
    const result = JSON.parse(core.compile(bytes));
    if (!result.ok) throw new Error(`compile failed: ${result.error.message}`);
    return result.plan;
  };
  const plan = compile();
  const views = plan.modules.map(([offset, size]) => bytes.subarray(offset, offset + size));
  const validate = () => {
    for (const v of views) if (!WebAssembly.validate(v)) throw new Error('core module does not validate');
  };

  // Interleave nothing: each side gets its own warm-up and repetitions.
  const tCore = await time(compile, { warmup: 5, reps: 21 });
  const tEngine = await time(validate, { warmup: 5, reps: 21 });
  const r = tCore.median / tEngine.median;
  const coreBytes = views.reduce((n, v) => n + v.length, 0);
  return {
    rows: [
      { measure: 'component', value: `${input.path.replace(/^\.\.\/shared\//, '')} (${(input.size / 1e6).toFixed(2)} MB)` },
      { measure: 'core modules', value: `${views.length}, ${(coreBytes / 1e6).toFixed(2)} MB` },
      { measure: 'compoly compile (median)', value: ms(tCore.median) },
      { measure: 'WebAssembly.validate (median)', value: ms(tEngine.median) },
      { measure: 'compile ÷ validate', value: ratio(r), goal: `≤ ${GOAL}×`, ok: r <= GOAL },
    ],
  };
}
