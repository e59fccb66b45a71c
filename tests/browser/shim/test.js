// A browser stand-in for the part of `node:test` our portable tests use:
// test()/it() and describe()/suite() with skip/todo options (a suite's
// skip or todo applies to everything in it), before/after/beforeEach/
// afterEach hooks (at top level or in a suite), and a context with
// t.skip(), t.todo(), t.plan(), t.diagnostic(), t.test(), t.signal and
// t.assert. Tests register here while the files load; runRegistered()
// executes them in order.
import assert from './assert.js';

function normalise(name, options, fn) {
  if (typeof name === 'function') return { name: name.name || '<anonymous>', options: {}, fn: name };
  if (typeof options === 'function') return { name, options: {}, fn: options };
  return { name, options: options ?? {}, fn };
}

function newSuite(name, options, parent) {
  return { name, options, parent, children: [], before: [], after: [], beforeEach: [], afterEach: [] };
}

let root = newSuite('', {}, null);
let current = root;

export function test(name, options, fn) {
  const t = normalise(name, options, fn);
  current.children.push({ kind: 'test', ...t });
  return Promise.resolve();
}

export const it = test;

export function describe(name, options, fn) {
  const d = normalise(name, options, fn);
  const s = newSuite(d.name, d.options, current);
  current.children.push({ kind: 'suite', suite: s });
  const saved = current;
  current = s;
  try {
    const r = d.fn?.({ name: d.name });
    if (r && typeof r.then === 'function') {
      // node:test awaits an async suite body; registration here must be synchronous.
      s.loadError = new Error(`describe('${d.name}'): an async suite body is not supported by the browser shim`);
    }
  } catch (e) {
    s.loadError = e;
  } finally {
    current = saved;
  }
  return Promise.resolve();
}

export const suite = describe;

export const before = (fn) => void current.before.push(fn);
export const after = (fn) => void current.after.push(fn);
export const beforeEach = (fn) => void current.beforeEach.push(fn);
export const afterEach = (fn) => void current.afterEach.push(fn);

export const mock = new Proxy({}, {
  get() {
    throw new Error('node:test mock is not available in the browser shim');
  },
});

function message(e) {
  return `${e?.name}: ${e?.message}\n${e?.stack ?? ''}`;
}

function context(name, results, fullName, state) {
  const controller = new AbortController();
  return {
    name,
    fullName,
    signal: controller.signal,
    assert,
    skip(msg) {
      state.skip = msg ?? '';
    },
    todo(msg) {
      state.todo = msg ?? true;
    },
    plan(count) {
      state.plan = count;
    },
    diagnostic() {},
    before() {},
    after(fn) {
      state.after.push(fn);
    },
    beforeEach() {},
    afterEach() {},
    async test(subName, options, fn) {
      const sub = normalise(subName, options, fn);
      state.subtests++;
      const before = results.length;
      await runTest(sub, results, `${fullName} > ${sub.name}`, {});
      if (results.slice(before).some((r) => r.status === 'fail')) state.failedSubtests++;
    },
  };
}

/** Runs one test (and its subtests); `inherited` carries a suite's skip/todo and hooks. */
async function runTest(t, results, fullName, inherited) {
  const options = t.options;
  const skip = options.skip || inherited.skip;
  const todo = options.todo || inherited.todo;
  if (skip) {
    results.push({ name: fullName, status: 'skip', message: String(skip === true ? '' : skip) });
    return;
  }
  const started = performance.now();
  const state = { skip: undefined, todo: undefined, plan: undefined, subtests: 0, failedSubtests: 0, after: [] };
  let error;
  try {
    for (const hook of inherited.beforeEach ?? []) await hook();
    const counted = { count: 0 };
    const ctx = context(t.name, results, fullName, state);
    if (t.fn) {
      const planned = new Proxy(assert, {
        get(target, key) {
          const v = target[key];
          return typeof v === 'function' && key !== 'AssertionError'
            ? (...args) => {
                counted.count++;
                return v(...args);
              }
            : v;
        },
      });
      ctx.assert = planned;
      await t.fn(ctx);
    }
    if (state.failedSubtests > 0) throw new Error(`${state.failedSubtests} subtest(s) failed`);
    if (state.plan !== undefined && state.plan !== counted.count + state.subtests) {
      throw new Error(`plan expected ${state.plan} assertions/subtests, got ${counted.count + state.subtests}`);
    }
  } catch (e) {
    error = e;
  }
  try {
    for (const fn of state.after) await fn();
    for (const hook of inherited.afterEach ?? []) await hook();
  } catch (e) {
    error ??= e;
  }
  const entry = { name: fullName, ms: performance.now() - started };
  if (state.skip !== undefined) Object.assign(entry, { status: 'skip', message: String(state.skip) });
  else if (todo || state.todo) Object.assign(entry, { status: 'todo', message: String(todo || state.todo) });
  else if (error) Object.assign(entry, { status: 'fail', message: message(error) });
  else entry.status = 'pass';
  // Subtests report before their parent, as node:test does.
  results.push(entry);
}

async function runSuite(s, results, prefix, inherited) {
  const skip = s.options.skip || inherited.skip;
  const todo = s.options.todo || inherited.todo;
  const name = (child) => (prefix ? `${prefix} > ${child}` : child);
  const beforeEachHooks = [...(inherited.beforeEach ?? []), ...s.beforeEach];
  const afterEachHooks = [...s.afterEach, ...(inherited.afterEach ?? [])];
  let setupError = s.loadError;
  if (!skip && !setupError) {
    try {
      for (const hook of s.before) await hook();
    } catch (e) {
      setupError = e;
    }
  }
  if (setupError) {
    results.push({ name: name('(suite set-up)'), status: todo ? 'todo' : 'fail', message: message(setupError) });
  }
  for (const child of s.children) {
    if (child.kind === 'suite') {
      const sub = child.suite;
      await runSuite(sub, results, name(sub.name), { skip, todo, beforeEach: beforeEachHooks, afterEach: afterEachHooks });
    } else if (setupError && !skip) {
      results.push({ name: name(child.name), status: todo ? 'todo' : 'fail', message: `suite set-up failed: ${setupError?.message}` });
    } else {
      await runTest(child, results, name(child.name), { skip, todo, beforeEach: beforeEachHooks, afterEach: afterEachHooks });
    }
  }
  if (!skip) {
    try {
      for (const hook of s.after) await hook();
    } catch (e) {
      results.push({ name: name('(suite tear-down)'), status: 'fail', message: message(e) });
    }
  }
}

/** Runs what the imported files registered; returns the results and clears the list. */
export async function runRegistered(file) {
  const results = [];
  const s = root;
  root = newSuite('', {}, null);
  current = root;
  await runSuite(s, results, file, {});
  return results;
}

export default test;
