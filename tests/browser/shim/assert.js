// A browser stand-in for `node:assert/strict` (the subset our tests use).

export class AssertionError extends Error {
  constructor(message) {
    super(message);
    this.name = 'AssertionError';
  }
}

function show(v) {
  try {
    return JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : ArrayBuffer.isView(x) ? Array.from(x) : x));
  } catch {
    return String(v);
  }
}

function fail(message, fallback) {
  throw message instanceof Error ? message : new AssertionError(message ?? fallback);
}

export function ok(value, message) {
  if (!value) fail(message, `expected a truthy value, got ${show(value)}`);
}

export function equal(a, b, message) {
  if (!Object.is(a, b)) fail(message, `expected ${show(b)}, got ${show(a)}`);
}
export const strictEqual = equal;

export function notEqual(a, b, message) {
  if (Object.is(a, b)) fail(message, `expected a value other than ${show(b)}`);
}
export const notStrictEqual = notEqual;

function deepEq(a, b) {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (ArrayBuffer.isView(a)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof Map || a instanceof Set) return deepEq([...a], [...b]);
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!Object.prototype.hasOwnProperty.call(b, k) || !deepEq(a[k], b[k])) return false;
  return true;
}

export function deepEqual(a, b, message) {
  if (!deepEq(a, b)) fail(message, `expected ${show(b)}, got ${show(a)}`);
}
export const deepStrictEqual = deepEqual;

function partialEq(actual, expected) {
  if (typeof expected !== 'object' || expected === null || ArrayBuffer.isView(expected)) return deepEq(actual, expected);
  if (typeof actual !== 'object' || actual === null) return false;
  if (Array.isArray(expected)) {
    // node: every expected element appears in actual, in order (a subsequence).
    if (!Array.isArray(actual)) return false;
    let i = 0;
    for (const e of expected) {
      while (i < actual.length && !partialEq(actual[i], e)) i++;
      if (i++ >= actual.length) return false;
    }
    return true;
  }
  for (const k of Object.keys(expected)) if (!(k in actual) || !partialEq(actual[k], expected[k])) return false;
  return true;
}

export function partialDeepStrictEqual(a, b, message) {
  if (!partialEq(a, b)) fail(message, `expected ${show(a)} to contain ${show(b)}`);
}

export function ifError(value) {
  if (value !== null && value !== undefined) throw value instanceof Error ? value : new AssertionError(`ifError got unwanted value: ${show(value)}`);
}

export function notDeepEqual(a, b, message) {
  if (deepEq(a, b)) fail(message, `expected values to differ: ${show(a)}`);
}
export const notDeepStrictEqual = notDeepEqual;

function matches(error, expected) {
  if (expected === undefined) return true;
  if (typeof expected === 'function') {
    if (expected.prototype !== undefined && error instanceof expected) return true;
    if (Error.isPrototypeOf(expected) || expected === Error) return false;
    return expected(error) === true;
  }
  if (expected instanceof RegExp) return expected.test(String(error?.message ?? error));
  if (typeof expected === 'object') {
    for (const [k, v] of Object.entries(expected)) {
      const actual = error?.[k];
      if (v instanceof RegExp ? !v.test(String(actual)) : !deepEq(actual, v)) return false;
    }
    return true;
  }
  return false;
}

export function throws(fn, expected, message) {
  try {
    fn();
  } catch (e) {
    if (!matches(e, expected)) fail(typeof expected === 'string' ? expected : message, `unexpected error: ${e?.name}: ${e?.message}`);
    return;
  }
  fail(typeof expected === 'string' ? expected : message, 'expected the function to throw');
}

export async function rejects(promiseOrFn, expected, message) {
  try {
    await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
  } catch (e) {
    if (!matches(e, expected)) fail(message, `unexpected rejection: ${e?.name}: ${e?.message}`);
    return;
  }
  fail(message, 'expected a rejection');
}

export async function doesNotReject(promiseOrFn) {
  await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
}

export function doesNotThrow(fn) {
  fn();
}

export function match(string, re, message) {
  if (!re.test(string)) fail(message, `expected ${show(string)} to match ${re}`);
}

export function doesNotMatch(string, re, message) {
  if (re.test(string)) fail(message, `expected ${show(string)} not to match ${re}`);
}

const assert = Object.assign((v, m) => ok(v, m), {
  ok, equal, strictEqual, notEqual, notStrictEqual, deepEqual, deepStrictEqual, notDeepEqual,
  notDeepStrictEqual, partialDeepStrictEqual, ifError, throws, rejects, doesNotReject, doesNotThrow, match, doesNotMatch, AssertionError,
  fail: (m) => fail(m, 'failed'),
});
assert.strict = assert;
export default assert;
export { assert as strict };
