// Export calls whose parameters and result are all scalars (numbers, bool,
// char) need no memory, no handles and no per-call state: they get a
// closure of fixed arity that converts in place, so that a call costs little
// more than the raw core call (bench/calls.bench.js measures it).
import { Trap } from '../errors.js';

const SCALARS = new Set(['bool', 's8', 'u8', 's16', 'u16', 's32', 'u32', 's64', 'u64', 'f32', 'f64', 'char']);

export function isScalar(d) {
  return SCALARS.has(d.kind);
}

// Cheap predicates; the full checker (abi.js) is only run to word the error.
function predicate(d) {
  switch (d.kind) {
    case 'bool':
      return (v) => typeof v === 'boolean';
    case 'u8':
      return (v) => typeof v === 'number' && (v & 0xff) === v;
    case 'u16':
      return (v) => typeof v === 'number' && (v & 0xffff) === v;
    case 'u32':
      return (v) => typeof v === 'number' && v >>> 0 === v;
    case 's8':
      return (v) => typeof v === 'number' && (v << 24) >> 24 === v;
    case 's16':
      return (v) => typeof v === 'number' && (v << 16) >> 16 === v;
    case 's32':
      return (v) => typeof v === 'number' && (v | 0) === v;
    case 'u64':
      return (v) => typeof v === 'bigint' && BigInt.asUintN(64, v) === v;
    case 's64':
      return (v) => typeof v === 'bigint' && BigInt.asIntN(64, v) === v;
    case 'f32':
    case 'f64':
      return (v) => typeof v === 'number';
    default:
      return () => false; // char and the rest: always take the full check
  }
}

function lowerScalar(d) {
  switch (d.kind) {
    case 'bool':
      return (v) => (v ? 1 : 0);
    case 'char':
      return (v) => v.codePointAt(0);
    case 'u64':
    case 's64':
      return (v) => BigInt.asIntN(64, BigInt(v));
    default:
      return null; // passed as is: the engine's ToInt32 / float conversion is the ABI's
  }
}

function liftScalar(d) {
  switch (d.kind) {
    case 'bool':
      return (v) => v !== 0;
    case 'u8':
      return (v) => v & 0xff;
    case 's8':
      return (v) => (v << 24) >> 24;
    case 'u16':
      return (v) => v & 0xffff;
    case 's16':
      return (v) => (v << 16) >> 16;
    case 'u32':
      return (v) => v >>> 0;
    case 's32':
      return (v) => v | 0;
    case 'u64':
      return (v) => BigInt.asUintN(64, v);
    case 'char':
      return (v) => {
        const cp = v >>> 0;
        if (cp >= 0x110000 || (cp >= 0xd800 && cp <= 0xdfff)) throw new Trap(`invalid char: ${cp} is not a Unicode scalar value`);
        return String.fromCodePoint(cp);
      };
    default:
      return null;
  }
}

/**
 * @param {object} o
 * @param {{ mayEnter: boolean, trapped: boolean }} o.inst
 * @param {() => Function} o.core resolves the core function
 * @param {object[]} o.params descriptors
 * @param {object|null} o.result descriptor
 * @param {(i: number, v: any) => void} o.badArgument runs the full check of parameter i: throws the
 *   worded TypeError, or returns if the value is acceptable after all (then it is converted)
 */
export function fastLifted({ inst, core: resolveCore, params, result, badArgument }) {
  // Exports are made once the core instances exist: then the core function is a constant of
  // the closure, which saves a test per call and lets V8 call it straight (measured: -8% per
  // call of add(u32, u32) on Node 24). A lifted function made earlier (the callee of a lowered
  // import, during instantiation) resolves it on its first call instead.
  let core = null;
  try {
    core = resolveCore();
  } catch {
    core = null;
  }
  if (typeof core === 'function') return specialised(inst, core, params, result, badArgument);
  let impl = null;
  return function (...args) {
    if (impl === null) impl = specialised(inst, resolveCore(), params, result, badArgument);
    return impl(...args);
  };
}

function refuse(inst) {
  if (inst.trapped) throw new Trap('the component instance has trapped and cannot be used');
  if (!inst.mayEnter) throw new Trap('cannot reenter a component instance that is already running');
}

function specialised(inst, core, params, result, badArgument) {
  const ok = params.map(predicate);
  const conv = params.map(lowerScalar);
  const lift = result ? liftScalar(result) : null;
  // The common case is one test of two conditions; the rest is in refuse().
  // Also reached for the fixed-arity closures below: only when an argument
  // failed its cheap predicate does the full checker run.
  const call = (args) => {
    try {
      return core(...args);
    } catch (e) {
      inst.trapped = true;
      throw e;
    } finally {
      inst.mayEnter = true;
    }
  };
  const n = params.length;
  const noConv = conv.every((c) => c === null);
  if (n === 2 && noConv) {
    const [ok0, ok1] = ok;
    return function (a, b) {
      if (!ok0(a)) badArgument(0, a);
      if (!ok1(b)) badArgument(1, b);
      if (inst.trapped || !inst.mayEnter) refuse(inst);
      inst.mayEnter = false;
      let r;
      try {
        r = core(a, b);
      } catch (e) {
        inst.trapped = true;
        throw e;
      } finally {
        inst.mayEnter = true;
      }
      return lift === null ? r : lift(r);
    };
  }
  if (n === 1 && noConv) {
    const [ok0] = ok;
    return function (a) {
      if (!ok0(a)) badArgument(0, a);
      if (inst.trapped || !inst.mayEnter) refuse(inst);
      inst.mayEnter = false;
      let r;
      try {
        r = core(a);
      } catch (e) {
        inst.trapped = true;
        throw e;
      } finally {
        inst.mayEnter = true;
      }
      return lift === null ? r : lift(r);
    };
  }
  if (n === 0) {
    return function () {
      if (inst.trapped || !inst.mayEnter) refuse(inst);
      inst.mayEnter = false;
      let r;
      try {
        r = core();
      } catch (e) {
        inst.trapped = true;
        throw e;
      } finally {
        inst.mayEnter = true;
      }
      return lift === null ? r : lift(r);
    };
  }
  return function (...args) {
    const flat = new Array(n);
    for (let i = 0; i < n; i++) {
      const v = args[i];
      if (!ok[i](v)) badArgument(i, v);
      flat[i] = conv[i] === null ? v : conv[i](v);
    }
    if (inst.trapped || !inst.mayEnter) refuse(inst);
    inst.mayEnter = false;
    const r = call(flat);
    return lift === null || result === null ? (result === null ? undefined : r) : lift(r);
  };
}
