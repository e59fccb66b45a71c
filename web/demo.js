// The web demo (web/index.html, served by `node scripts/serve-demo.js`): compiles the demo
// components built from demos/, shows each one's WIT (component.wit()), its imports and
// exports with their function types (component.plan), calls the calculator's exports
// through instantiate() and runs hello (a WASI command) through run() with compoly's WASI
// host. A file picker does the same for any component .wasm, and shows a
// CompileError's phase, path and byte offset.
//
// When it has finished, <body data-state> is "done" (or "error"), and window.compolyDemo
// holds what was shown, for tests/browser/web-demo.test.js and scripts/serve-demo.js --check.
import { compile, instantiate, run, CompileError } from '../js/index.js';
import { memfs } from '../js/wasi/index.js';
import { witType } from '../js/runtime/wit-text.js';

/** The demo components, as built by demos/run-demo.js (scripts/serve-demo.js builds them). */
const DEMOS = [
  {
    name: 'calculator',
    url: '../demos/calculator/build/calculator.component.wasm',
    from: 'demos/calculator/calculator.wat: component text with a hand-written canonical ABI, assembled by jco parse',
    required: true,
    // It imports nothing, so it can be instantiated with no imports and called.
    calls: (exports) => {
      const calc = exports['demo:calc/calculator'];
      return [
        ['add(40, 2)', () => calc.add(40, 2)],
        ['add(4294967295, 1)', () => calc.add(4294967295, 1)],
        ["greet('web')", () => calc.greet('web')],
        ["greet('wörld ✓')", () => calc.greet('wörld ✓')],
      ];
    },
    playground: (exports, box) => calculatorPlayground(exports['demo:calc/calculator'], box),
  },
  {
    name: 'hello',
    url: '../demos/hello/build/hello.component.wasm',
    from: 'demos/hello/hello.c: C, clang-14 --target=wasm32-wasi, then jco new --wasi-command',
    required: false,
    // A WASI command: run it here with compoly's WASI 0.2 host.
    run: {
      args: ['hello', 'web', '/data/note.txt'],
      env: { GREETING: 'Hej' },
      files: { 'note.txt': 'a file in an in-memory preopen, read by C through WASI\n' },
    },
  },
];

const state = { demos: {}, errors: [] };
window.compolyDemo = state;

// ---- small DOM helpers ---------------------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

const $ = (id) => document.getElementById(id);
const num = (n) => n.toLocaleString('en-US');
const kib = (n) => (n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KiB`);
const ms = (t) => `${t < 10 ? t.toFixed(1) : t.toFixed(0)} ms`;

/** A JS value as the demo shows a result: strings quoted, bigints with n. */
function show(value) {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === undefined) return '(nothing)';
  try {
    return JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
  } catch {
    return String(value);
  }
}

// ---- plan types as WIT-like text -------------------------------------------------------------


/** One import or export (plan ITEM) as a list entry; instances open to their items. */
function itemView(plan, item, openInstances) {
  if (item.kind === 'func') {
    return el('li', {}, el('code', {}, el('b', { text: item.name }), `: ${witType(plan, item.type)}`));
  }
  if (item.kind === 'instance') {
    const funcs = item.items.filter((i) => i.kind === 'func').length;
    const types = item.items.length - funcs;
    const counts = [`${funcs} func${funcs === 1 ? '' : 's'}`];
    if (types) counts.push(`${types} type${types === 1 ? '' : 's'}`);
    return el(
      'li',
      {},
      el(
        'details',
        { open: openInstances },
        el('summary', {}, el('code', { text: item.name }), ` (${counts.join(', ')})`),
        el(
          'ul',
          { class: 'items' },
          item.items.map((sub) =>
            sub.kind === 'func'
              ? el('li', {}, el('code', {}, el('b', { text: sub.name }), `: ${witType(plan, sub.type)}`))
              : el('li', {}, el('code', { text: `${sub.name}: ${witType(plan, sub.type)}` })),
          ),
        ),
      ),
    );
  }
  return el('li', {}, el('code', { text: item.name }), ` (${item.kind})`);
}

function itemsView(plan, title, items) {
  return el(
    'div',
    { class: 'items-block' },
    el('h4', { text: `${title} (${items.length})` }),
    items.length
      ? el('ul', { class: 'items' }, items.map((item) => itemView(plan, item, items.length <= 4)))
      : el('p', { class: 'muted', text: 'none' }),
  );
}

// ---- one component -----------------------------------------------------------------------------

/** Compiles bytes and renders the component into `card`; returns what it showed. */
async function showComponent(card, bytes, { calls, playground, note, run: runSpec } = {}) {
  const facts = el('p', { class: 'facts' });
  card.append(facts);

  const t0 = performance.now();
  let component;
  try {
    component = await compile(bytes);
  } catch (error) {
    facts.textContent = `${num(bytes.length)} bytes`;
    card.append(errorView(error));
    return { ok: false, error: describeError(error) };
  }
  const compileMs = performance.now() - t0;
  const { plan } = component;
  const modules = plan.modules.length;
  facts.textContent =
    `${num(bytes.length)} bytes · compiled in ${ms(compileMs)} (decode, validate, link, and ` +
    `WebAssembly.compile of ${modules} core module${modules === 1 ? '' : 's'}: ${plan.modules.map(([, s]) => kib(s)).join(', ')})`;

  const wit = await component.wit();
  card.append(
    el(
      'div',
      { class: 'columns' },
      el('div', {}, el('h3', {}, 'WIT ', el('small', {}, el('code', { text: 'component.wit()' }))), el('pre', { class: 'wit', text: wit })),
      el(
        'div',
        {},
        el('h3', {}, 'Interface ', el('small', {}, el('code', { text: 'component.plan' }))),
        itemsView(plan, 'imports', plan.imports),
        itemsView(plan, 'exports', plan.exports),
      ),
    ),
  );

  const shown = { ok: true, wit, imports: plan.imports.map((i) => i.name), exports: plan.exports.map((i) => i.name), results: {} };
  if (calls) {
    const box = el('div', { class: 'calls' }, el('h3', {}, 'Calls ', el('small', {}, el('code', { text: 'instantiate(component)' }))));
    card.append(box);
    const t1 = performance.now();
    let exports;
    try {
      ({ exports } = await instantiate(component, {}));
    } catch (error) {
      box.append(errorView(error));
      return { ...shown, ok: false, error: describeError(error) };
    }
    box.append(el('p', { class: 'facts', text: `instantiated in ${ms(performance.now() - t1)}` }));
    const table = el('table', {}, el('thead', {}, el('tr', {}, el('th', { text: 'call' }), el('th', { text: 'result' }))));
    const body = el('tbody');
    table.append(body);
    for (const [call, run] of calls(exports)) {
      let result;
      let failed = false;
      try {
        result = show(run());
      } catch (error) {
        failed = true;
        result = `${error?.name ?? 'Error'}: ${error?.message ?? error}`;
        shown.ok = false;
      }
      shown.results[call] = result;
      body.append(el('tr', { class: failed ? 'failed' : null }, el('td', {}, el('code', { text: call })), el('td', {}, el('code', { class: 'result', text: result }))));
    }
    box.append(table);
    if (playground) playground(exports, box);
  }
  if (runSpec) {
    const box = el(
      'div',
      { class: 'calls' },
      el('h3', {}, 'Run ', el('small', {}, el('code', { text: "run(component, { args, env, preopens: { '/data': memfs(…) } })" }))),
    );
    card.append(box);
    let output = '';
    const decoder = new TextDecoder();
    const collect = (bytes) => (output += decoder.decode(bytes, { stream: true }));
    const t1 = performance.now();
    try {
      const { exitCode } = await run(component, {
        args: runSpec.args,
        env: runSpec.env,
        preopens: { '/data': memfs(runSpec.files) },
        stdout: collect,
        stderr: collect,
      });
      box.append(
        el('p', { class: 'facts', text: `args ${JSON.stringify(runSpec.args)}, env ${JSON.stringify(runSpec.env)}; exit code ${exitCode} in ${ms(performance.now() - t1)}` }),
        el('pre', { class: 'wit', text: output }),
      );
      shown.run = { exitCode, output };
      if (exitCode !== 0) shown.ok = false;
    } catch (error) {
      box.append(errorView(error));
      shown.ok = false;
      shown.run = { error: describeError(error) };
    }
  }
  if (note) card.append(el('p', { class: 'note', text: note }));
  return shown;
}

/** Inputs to call the calculator with your own arguments. */
function calculatorPlayground(calc, box) {
  const a = el('input', { type: 'number', value: '7', min: '0', max: '4294967295', 'aria-label': 'a' });
  const b = el('input', { type: 'number', value: '35', min: '0', max: '4294967295', 'aria-label': 'b' });
  const sum = el('output', { class: 'result' });
  const name = el('input', { type: 'text', value: 'component model', 'aria-label': 'name' });
  const greeting = el('output', { class: 'result' });
  const attempt = (out, fn) => {
    try {
      out.textContent = show(fn());
      out.classList.remove('error-text');
    } catch (error) {
      out.textContent = `${error?.name ?? 'Error'}: ${error?.message ?? error}`;
      out.classList.add('error-text');
    }
  };
  const update = () => {
    attempt(sum, () => calc.add(Number(a.value), Number(b.value)));
    attempt(greeting, () => calc.greet(name.value));
  };
  for (const input of [a, b, name]) input.addEventListener('input', update);
  box.append(
    el(
      'div',
      { class: 'playground' },
      el('h4', { text: 'Try it' }),
      el('p', {}, el('code', { text: 'add(' }), a, el('code', { text: ', ' }), b, el('code', { text: ') = ' }), sum),
      el('p', {}, el('code', { text: 'greet(' }), name, el('code', { text: ') = ' }), greeting),
    ),
  );
  update();
}

function describeError(error) {
  if (error instanceof CompileError) {
    return { name: 'CompileError', phase: error.phase, path: error.path, offset: error.offset, reason: error.reason, message: error.message };
  }
  return { name: error?.name ?? 'Error', message: String(error?.message ?? error) };
}

function errorView(error) {
  if (error instanceof CompileError) {
    const offset = Number.isInteger(error.offset) ? `${num(error.offset)} (0x${error.offset.toString(16)})` : String(error.offset);
    return el(
      'div',
      { class: 'error', role: 'alert' },
      el('h3', { text: `CompileError (${error.phase ?? 'compile'})` }),
      el(
        'dl',
        {},
        el('dt', { text: 'where' }),
        el('dd', {}, el('code', { text: error.path || '(top level)' })),
        el('dt', { text: 'byte offset' }),
        el('dd', {}, el('code', { text: offset })),
        el('dt', { text: 'why' }),
        el('dd', { text: error.reason ?? error.message }),
      ),
    );
  }
  return el('div', { class: 'error', role: 'alert' }, el('h3', { text: error?.name ?? 'Error' }), el('pre', { text: String(error?.message ?? error) }));
}

// ---- the demo components -------------------------------------------------------------------------

async function loadDemo(demo) {
  const card = el('article', { class: 'card', id: `demo-${demo.name}` });
  card.append(el('h2', {}, demo.name, ' ', el('small', {}, el('code', { text: demo.url.replace(/^\.\.\//, '') }))));
  card.append(el('p', { class: 'from', text: `from ${demo.from}` }));
  $('demos').append(card);

  const response = await fetch(demo.url).catch((error) => ({ ok: false, status: String(error) }));
  if (!response.ok) {
    if (!demo.required) {
      card.remove();
      return { ok: true, skipped: `not built (HTTP ${response.status})` };
    }
    card.append(
      el('div', { class: 'error', role: 'alert' }, el('h3', { text: 'Not built' }), el('p', {}, `${demo.url}: HTTP ${response.status}. Build the demos with `, el('code', { text: 'node scripts/serve-demo.js' }), '.')),
    );
    return { ok: false, error: { name: 'NotBuilt', message: `${demo.url}: HTTP ${response.status}` } };
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  return showComponent(card, bytes, demo);
}

async function main() {
  const status = $('status');
  const t0 = performance.now();
  let ok = true;
  for (const demo of DEMOS) {
    status.textContent = `Compiling ${demo.name}…`;
    try {
      state.demos[demo.name] = await loadDemo(demo);
    } catch (error) {
      state.demos[demo.name] = { ok: false, error: describeError(error) };
      $('demos').append(el('article', { class: 'card' }, el('h2', { text: demo.name }), errorView(error)));
    }
    ok = ok && state.demos[demo.name].ok;
  }
  const shown = Object.entries(state.demos).filter(([, d]) => !d.skipped).length;
  status.textContent = ok
    ? `${shown} component${shown === 1 ? '' : 's'} compiled and shown in ${ms(performance.now() - t0)} (the core included).`
    : 'Something failed: see the red boxes below.';
  status.classList.toggle('failed', !ok);
  document.body.dataset.state = ok ? 'done' : 'error';
}

// ---- the file picker ---------------------------------------------------------------------------

async function showPicked(file) {
  const out = $('picked');
  out.replaceChildren();
  const card = el('article', { class: 'picked' }, el('h3', {}, el('code', { text: file.name })));
  out.append(card);
  const bytes = new Uint8Array(await file.arrayBuffer());
  state.picked = await showComponent(card, bytes);
}

$('file').addEventListener('change', (event) => {
  const file = event.target.files?.[0];
  if (file) showPicked(file);
});
const drop = $('drop');
drop.addEventListener('dragover', (event) => {
  event.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (event) => {
  event.preventDefault();
  drop.classList.remove('over');
  const file = event.dataTransfer?.files?.[0];
  if (file) showPicked(file);
});

main().catch((error) => {
  state.errors.push(describeError(error));
  $('status').textContent = `The demo failed: ${error?.message ?? error}`;
  $('status').classList.add('failed');
  document.body.dataset.state = 'error';
  console.error(error);
});
