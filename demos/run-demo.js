#!/usr/bin/env node
// The README's demo (`bash scripts/demo.sh` runs it after setup and the core build).
//
// Builds two real components from sources in this repository, then for each one runs
// compoly's `compile()` and prints its size, the time compile took, its WIT
// (`component.wit()`) and a summary of its instantiation plan (`component.plan`, see
// docs/plan.md):
//   - demos/hello: a C WASI command (clang-14 --target=wasm32-wasi, then `jco new
//     --wasi-command`, which wraps it in the preview1-to-WASI-0.2 adapter)
//   - demos/calculator: a component written by hand in component text (canonical ABI in
//     WAT), assembled with `jco parse`
// Both are rebuilt only when their sources are newer than the outputs. When compoly's runtime
// (`instantiate`) is there, it then calls the calculator's exports; running hello also needs
// the WASI 0.2 host (js/wasi/), which is in progress.
//
//   node demos/run-demo.js [FILE.wasm | FILE.wat ...]
// With files, summarises those components instead of the demo ones.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { witType } from '../js/runtime/wit-text.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const rel = (path) => relative(process.cwd(), path) || '.';
const SETUP_HINT = 'run: bash scripts/setup.sh';

export class DemoError extends Error {}

function mtime(path) {
  return statSync(path).mtimeMs;
}

function upToDate(output, inputs) {
  if (!existsSync(output)) return false;
  const built = mtime(output);
  return inputs.every((input) => mtime(input) <= built);
}

/** Builds demos/hello/build/hello.component.wasm with demos/hello/build.sh. */
function buildHello() {
  const script = `${ROOT}demos/hello/build.sh`;
  try {
    execFileSync('bash', [script], { stdio: ['ignore', 'inherit', 'pipe'] });
  } catch (error) {
    const stderr = String(error.stderr ?? '').trim();
    throw new DemoError(stderr || `demos/hello/build.sh failed (exit ${error.status})`);
  }
  return `${ROOT}demos/hello/build/hello.component.wasm`;
}

async function loadJco() {
  try {
    return await import('@bytecodealliance/jco');
  } catch {
    throw new DemoError(`@bytecodealliance/jco is not installed (needed to assemble component text) — ${SETUP_HINT}`);
  }
}

/** Assembles component text (.wat) into a binary with jco parse. */
async function assemble(watPath, outPath) {
  if (upToDate(outPath, [watPath])) return outPath;
  const { parse } = await loadJco();
  let bytes;
  try {
    bytes = await parse(readFileSync(watPath, 'utf8'));
  } catch (error) {
    throw new DemoError(`jco parse ${rel(watPath)}: ${String(error?.message ?? error).split('\n')[0]}`);
  }
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(`${outPath}.tmp`, bytes);
  renameSync(`${outPath}.tmp`, outPath);
  return outPath;
}

/** The demo components: name, what it is built from, and a build function returning its path. */
export const DEMOS = [
  {
    name: 'hello',
    from: 'demos/hello/hello.c — C, clang-14 --target=wasm32-wasi, jco new --wasi-command',
    build: buildHello,
    // A WASI command: run it with compoly's WASI 0.2 host, a file in an
    // in-memory preopen, an environment variable and arguments.
    run: async ({ run, memfs }) => {
      let stdout = '';
      const decoder = new TextDecoder();
      const { exitCode } = await run(await loadComponent('hello'), {
        args: ['hello', 'compoly', '/data/note.txt'],
        env: { GREETING: 'Hej' },
        preopens: { '/data': memfs({ 'note.txt': 'a file from an in-memory preopen\n' }) },
        stdout: (bytes) => (stdout += decoder.decode(bytes, { stream: true })),
        stderr: (bytes) => (stdout += decoder.decode(bytes, { stream: true })),
      });
      return { exitCode, stdout };
    },
  },
  {
    name: 'calculator',
    from: 'demos/calculator/calculator.wat — component text with a hand-written canonical ABI, jco parse',
    build: () =>
      assemble(`${ROOT}demos/calculator/calculator.wat`, `${ROOT}demos/calculator/build/calculator.component.wasm`),
    // It imports nothing: instantiate it and call its exports.
    calls: (exports) => {
      const calc = exports['demo:calc/calculator'];
      return [
        ['add(40, 2)', calc.add(40, 2)],
        ['add(4294967295, 1)', calc.add(4294967295, 1)],
        ['greet("WebAssembly")', calc.greet('WebAssembly')],
        ['greet("wörld ✓")', calc.greet('wörld ✓')],
      ];
    },
  },
];

/** Builds every demo component (skipping those that are up to date); returns { name: path }. */
export async function buildDemos() {
  const paths = {};
  for (const demo of DEMOS) paths[demo.name] = await demo.build();
  return paths;
}

async function loadCompoly() {
  const core = `${ROOT}js/core/compoly-core.wasm`;
  if (!existsSync(core)) {
    throw new DemoError(`the core is not built (${rel(core)} is missing) — run: bash scripts/build-core.sh`);
  }
  const [{ compile, CompileError, instantiate, run }, { memfs }, { loadCore }] = await Promise.all([
    import('../js/index.js'),
    import('../js/wasi/index.js'),
    import('../js/core/load.js'),
  ]);
  return { compile, CompileError, instantiate, run, memfs, loadCore, coreSize: statSync(core).size };
}

// ---- plan summary -----------------------------------------------------------------------


function countFuncs(items) {
  return items.filter((item) => item.kind === 'func').length;
}

function itemLine(item) {
  if (item.kind !== 'instance') return `${item.name} (${item.kind})`;
  const funcs = countFuncs(item.items);
  const types = item.items.length - funcs;
  const parts = [`${funcs} func${funcs === 1 ? '' : 's'}`];
  if (types) parts.push(`${types} type${types === 1 ? '' : 's'}`);
  return `${item.name} (${parts.join(', ')})`;
}

const num = (n) => n.toLocaleString('en-US');

function kib(n) {
  return n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KiB`;
}

/** The plan summary as lines of text. */
export function planSummary(plan) {
  const lines = [];
  const row = (label, text) => lines.push(`  ${label.padEnd(16)}${text}`);
  const list = (items) => items.forEach((text) => lines.push(`  ${''.padEnd(16)}${text}`));

  const moduleSizes = plan.modules.map(([, size]) => size);
  row('core modules', `${plan.modules.length}${moduleSizes.length ? `: ${moduleSizes.map(kib).join(', ')}` : ''}`);

  row('instantiations', `${plan.instantiations.length}`);
  list(
    plan.instantiations.map((step, i) => {
      const args = step.args.length;
      return `#${i} module ${step.module}, ${args} import${args === 1 ? '' : 's'}`;
    }),
  );
  if (plan.componentInstances > 1) row('component insts', `${plan.componentInstances}`);

  const hostCalls = plan.lowered.filter((l) => l.callee && 'host' in l.callee).length;
  row('lowered funcs', `${plan.lowered.length}${plan.lowered.length ? ` (${hostCalls} call the host)` : ''}`);
  row('lifted funcs', `${plan.lifted.length}`);

  const host = plan.resources.filter((r) => r.host);
  const guest = plan.resources.filter((r) => !r.host);
  row('resources', `${plan.resources.length}${plan.resources.length ? ` (${host.length} host, ${guest.length} guest)` : ''}`);
  if (host.length) list(wrap(host.map((r) => (r.path ? `${r.path[0].replace(/@.*/, '')}.${r.name}` : r.name)), 80));
  if (guest.length) list(wrap(guest.map((r) => r.name), 80));

  row('imports', `${plan.imports.length}`);
  list(plan.imports.map(itemLine));
  row('exports', `${plan.exports.length}`);
  for (const item of plan.exports) {
    lines.push(`  ${''.padEnd(16)}${itemLine(item)}`);
    const funcs = item.kind === 'instance' ? item.items.filter((i) => i.kind === 'func') : item.kind === 'func' ? [item] : [];
    if (item.kind === 'instance') {
      for (const f of funcs) lines.push(`  ${''.padEnd(18)}${f.name}: ${witType(plan, f.type)}`);
    } else if (item.kind === 'func') {
      lines[lines.length - 1] = `  ${''.padEnd(16)}${item.name}: ${witType(plan, item.type)}`;
    }
  }
  return lines;
}

function wrap(words, width) {
  const out = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + 2 + word.length > width) {
      out.push(`${line},`);
      line = word;
    } else {
      line = line ? `${line}, ${word}` : word;
    }
  }
  if (line) out.push(line);
  return out;
}

function indent(text, prefix = '  ') {
  return text.replace(/\n$/, '').split('\n').map((l) => (l ? prefix + l : l)).join('\n');
}

// ---- main -------------------------------------------------------------------------------

const compiled = new Map();
async function loadComponent(name) {
  return compiled.get(name);
}

let witPrinted = false;

async function showComponent(compoly, { name, from, path, calls, run }) {
  const { compile, CompileError, instantiate } = compoly;
  const bytes = new Uint8Array(readFileSync(path));
  console.log(`\n== ${name}`);
  if (from) console.log(`from       ${from}`);
  console.log(`component  ${rel(path)}, ${num(bytes.length)} bytes`);

  let component;
  let planMs;
  let fullMs;
  try {
    let t0 = performance.now();
    await compile(bytes, { compileModules: false });
    planMs = performance.now() - t0;
    t0 = performance.now();
    component = await compile(bytes);
    fullMs = performance.now() - t0;
  } catch (error) {
    if (error instanceof CompileError) {
      console.log(`compile    FAILED: ${error.message}`);
      console.log(`           at ${error.path}, byte offset ${error.offset}: ${error.reason}`);
      return false;
    }
    throw error;
  }
  compiled.set(name, component);
  const modules = component.plan.modules.length;
  console.log(
    `compile    ${planMs.toFixed(1)} ms to the plan (decode, validate, link); ` +
      `${fullMs.toFixed(1)} ms with WebAssembly.compile of its ${modules} core module${modules === 1 ? '' : 's'}`,
  );

  const witStart = performance.now();
  const wit = await component.wit();
  const witMs = performance.now() - witStart;
  // The first wit() of the run also loads the full core (js/core/load.js).
  const firstWit = !witPrinted;
  witPrinted = true;
  console.log(`\nWIT (component.wit(), ${witMs.toFixed(1)} ms${firstWit ? ', loading the full core included' : ''}):`);
  console.log(indent(wit));
  console.log('\nplan (component.plan):');
  for (const line of planSummary(component.plan)) console.log(line);

  if (calls && typeof instantiate === 'function') {
    const t0 = performance.now();
    let results;
    try {
      const { exports } = await instantiate(component);
      const instMs = performance.now() - t0;
      console.log(`\ncalls (instantiate(component): ${instMs.toFixed(1)} ms):`);
      results = calls(exports);
    } catch (error) {
      console.log(`\ncalls FAILED: ${error?.stack ?? error}`);
      return false;
    }
    for (const [call, value] of results) console.log(`  ${call} = ${JSON.stringify(value)}`);
  }
  if (run) {
    const t0 = performance.now();
    let outcome;
    try {
      outcome = await run(compoly);
    } catch (error) {
      console.log(`\nrun FAILED: ${error?.stack ?? error}`);
      return false;
    }
    const ms = performance.now() - t0;
    console.log(`\nrun (compoly's run() with its WASI 0.2 host: args, env GREETING=Hej, a memfs preopen; ${ms.toFixed(1)} ms):`);
    console.log(indent(outcome.stdout.trimEnd()));
    console.log(`  exit code ${outcome.exitCode}`);
    if (outcome.exitCode !== 0) return false;
  }
  return true;
}

async function main(args) {
  const compoly = await loadCompoly();
  const t0 = performance.now();
  await compoly.loadCore();
  const coreMs = performance.now() - t0;
  console.log('compoly demo: compile real components and show what the core makes of them');
  console.log(`core       js/core/compoly-core.wasm (the lean core: compile), ${num(compoly.coreSize)} bytes, loaded in ${coreMs.toFixed(0)} ms`);
  console.log('           js/core/compoly-core-full.wasm (error messages, wit(), link()) loads on first need');

  const targets = [];
  if (args.length) {
    for (const arg of args) {
      if (!existsSync(arg)) throw new DemoError(`${arg}: no such file`);
      const path = arg.endsWith('.wat')
        ? await assemble(arg, `${ROOT}build/demo/${arg.replace(/^.*\//, '').replace(/\.wat$/, '.wasm')}`)
        : arg;
      targets.push({ name: arg, from: null, path });
    }
  } else {
    for (const demo of DEMOS) {
      const path = await demo.build();
      targets.push({ name: demo.name, from: demo.from, path, calls: demo.calls, run: demo.run });
    }
  }

  let ok = true;
  for (const target of targets) {
    ok = (await showComponent(compoly, target)) && ok;
  }
  return ok ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      if (error instanceof DemoError) {
        console.error(`demo: ${error.message}`);
      } else {
        console.error(`demo: ${error?.stack ?? error}`);
      }
      process.exit(1);
    },
  );
}
