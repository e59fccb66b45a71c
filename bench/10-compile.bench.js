// Core compile (decode + validate + link, plus JSON.parse of the plan) against the engine's own
// WebAssembly.validate of the same core modules: for the largest corpus component (the goal's
// subject) and for a large componentize-js build, whose core module is mostly code.
import { loadCore } from '../js/core/load.js';
import { compare, time, ms, ratio } from './lib.js';

export const title = 'compile: compoly core vs WebAssembly.validate';
const GOAL = 0.2;

export async function prepare() {
  const { corpusFiles, largeComponent, rel, CORPUS } = await import('./node.js');
  const [largest] = await corpusFiles();
  const large = await largeComponent();
  if (!largest && large.skip) return { skip: `no corpus at ${CORPUS}; ${large.skip}` };
  return {
    corpus: largest ? { path: rel(largest.path), size: largest.size } : null,
    large: large.skip ? null : { path: large.wasm, size: large.size },
  };
}

async function measure(env, core, input) {
  const bytes = await env.bytes(input.path);
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
  // Each side gets its own warm-up and repetitions: a page compiles a component once or a few
  // times, so this is the measure the goal is about (the core's code still runs as V8's
  // baseline tier for most of it).
  const tCore = await time(compile, { warmup: 5, reps: 21 });
  const tEngine = await time(validate, { warmup: 5, reps: 21 });
  // And once V8 has tiered the core up: interleaved rounds after a long warm-up.
  const repeat = (f) => (n) => {
    for (let i = 0; i < n; i++) f();
  };
  const warm = compare({ compile: repeat(compile), validate: repeat(validate) }, { warmupMs: 2000, sampleMs: 30, samples: 15 });
  const coreBytes = views.reduce((n, v) => n + v.length, 0);
  const codeBytes = views.reduce((n, v) => n + codeSectionBytes(v), 0);
  return {
    tCore,
    tEngine,
    r: tCore.median / tEngine.median,
    warm: { core: warm.compile, engine: warm.validate, r: warm.ratio('compile', 'validate') },
    modules: views.length,
    coreBytes,
    codeBytes,
  };
}

const mb = (n) => `${(n / 1e6).toFixed(2)} MB`;

// The bytes of a core module's code sections: what WebAssembly.validate spends its time on.
// Custom sections (a debug build's DWARF) it only skips, so a module that is mostly DWARF
// validates in far less time than its size suggests, and the goal's ratio says how the core's
// work on the component compares with validating that much code.
function codeSectionBytes(module) {
  let at = 8;
  let code = 0;
  const leb = () => {
    let value = 0;
    let shift = 0;
    let byte;
    do {
      byte = module[at++];
      value |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    return value >>> 0;
  };
  while (at < module.length) {
    const id = module[at++];
    const size = leb();
    if (id === 10) code += size;
    at += size;
  }
  return code;
}

export default async function run(env, input) {
  const core = await loadCore();
  const rows = [];
  if (input.corpus) {
    const m = await measure(env, core, input.corpus);
    rows.push(
      { measure: 'largest corpus component', value: `${input.corpus.path.replace(/^\.\.\/shared\//, '')} (${mb(input.corpus.size)})` },
      { measure: 'core modules', value: `${m.modules}, ${mb(m.coreBytes)}` },
      { measure: '… of which code sections', value: `${mb(m.codeBytes)} (${((100 * m.codeBytes) / m.coreBytes).toFixed(1)}%)` },
      { measure: 'compoly compile (median)', value: ms(m.tCore.median) },
      { measure: 'WebAssembly.validate (median)', value: ms(m.tEngine.median) },
      { measure: 'compile ÷ validate', value: ratio(m.r), goal: `≤ ${GOAL}×`, ok: m.r <= GOAL },
      { measure: '… tiered up (after 2 s of compiles)', value: `${ms(m.warm.core)} ÷ ${ms(m.warm.engine)} = ${ratio(m.warm.r)}` },
    );
  }
  if (input.large) {
    const m = await measure(env, core, input.large);
    rows.push(
      { measure: 'componentize-js component', value: `${input.large.path} (${mb(input.large.size)})` },
      { measure: '… code sections', value: `${mb(m.codeBytes)} (${((100 * m.codeBytes) / m.coreBytes).toFixed(1)}%)` },
      { measure: '… compoly compile (median)', value: ms(m.tCore.median) },
      { measure: '… WebAssembly.validate (median)', value: ms(m.tEngine.median) },
      { measure: '… compile ÷ validate', value: ratio(m.r) },
      { measure: '… tiered up', value: `${ms(m.warm.core)} ÷ ${ms(m.warm.engine)} = ${ratio(m.warm.r)}` },
    );
  }
  return { rows };
}
