// A browser stand-in for the part of `node:test` our portable tests use:
// test()/it()/describe() with skip/todo options and t.skip()/t.test().
// Tests register here while the files load; run() executes them in order.

const registered = [];
let currentSuite = null;

function normalise(name, options, fn) {
  if (typeof options === 'function') return { name, options: {}, fn: options };
  return { name, options: options ?? {}, fn };
}

export function test(name, options, fn) {
  const t = normalise(name, options, fn);
  t.suite = currentSuite;
  registered.push(t);
  return Promise.resolve();
}

export const it = test;

export function describe(name, options, fn) {
  const d = normalise(name, options, fn);
  const saved = currentSuite;
  currentSuite = saved ? `${saved} > ${d.name}` : d.name;
  try {
    d.fn?.();
  } finally {
    currentSuite = saved;
  }
}

export const suite = describe;
export function before(fn) {
  registered.push({ name: '(before)', options: {}, fn, hook: true, suite: currentSuite });
}
export const after = () => {};
export const beforeEach = () => {};
export const afterEach = () => {};

class Skip extends Error {}

function context(name, results, prefix) {
  return {
    name,
    skip(message) {
      throw new Skip(message ?? '');
    },
    todo() {},
    diagnostic() {},
    async test(subName, options, fn) {
      const sub = normalise(subName, options, fn);
      await runOne(sub, results, `${prefix} > ${sub.name}`);
    },
  };
}

async function runOne(t, results, fullName) {
  const { options } = t;
  if (options.skip) {
    results.push({ name: fullName, status: 'skip', message: String(options.skip === true ? '' : options.skip) });
    return;
  }
  const started = performance.now();
  try {
    await t.fn(context(t.name, results, fullName));
    results.push({ name: fullName, status: options.todo ? 'todo' : 'pass', ms: performance.now() - started });
  } catch (e) {
    if (e instanceof Skip) {
      results.push({ name: fullName, status: 'skip', message: e.message });
    } else if (options.todo) {
      results.push({ name: fullName, status: 'todo', message: String(options.todo) });
    } else {
      results.push({ name: fullName, status: 'fail', message: `${e?.name}: ${e?.message}\n${e?.stack ?? ''}` });
    }
  }
}

/** Runs what the imported files registered; returns the results and clears the list. */
export async function runRegistered(file) {
  const results = [];
  const tests = registered.splice(0);
  for (const t of tests) {
    const name = `${file} > ${t.suite ? t.suite + ' > ' : ''}${t.name}`;
    await runOne(t, results, name);
  }
  return results;
}

export default test;
