// The canonical ABI's value conversions (CanonicalABI.md: load/store,
// lift_flat/lower_flat), as closures built once per type from the plan's
// type table. Each closure takes a call context `cx`:
//   cx.mem      MemoryView of the component instance's memory (memory.js)
//   cx.realloc  (oldPtr, oldSize, align, newSize) => ptr, or undefined
//   cx.encoding 'utf8' | 'utf16' | 'latin1+utf16'
//   cx.handles  the component instance's HandleTable (handles.js)
//   cx.call     per-call state for borrows (handles.js)
// Values map as jco maps them (design.md); wrong JS input is a TypeError
// that says where (`.compolyPath`), found by check() before any memory is
// touched.
import { Trap } from '../errors.js';
import { camelCase } from './names.js';
import { loadString, storeString } from './strings.js';
import { checkResourceValue, liftBorrow, liftOwn, lowerBorrow, lowerOwn } from './handles.js';

const MAX_LIST_BYTES = 2 ** 31 - 1;

// ---- type descriptors ----------------------------------------------------------

const PRIMS = {
  bool: { kind: 'bool', size: 1, align: 1, flat: ['i32'] },
  s8: { kind: 's8', size: 1, align: 1, flat: ['i32'] },
  u8: { kind: 'u8', size: 1, align: 1, flat: ['i32'] },
  s16: { kind: 's16', size: 2, align: 2, flat: ['i32'] },
  u16: { kind: 'u16', size: 2, align: 2, flat: ['i32'] },
  s32: { kind: 's32', size: 4, align: 4, flat: ['i32'] },
  u32: { kind: 'u32', size: 4, align: 4, flat: ['i32'] },
  s64: { kind: 's64', size: 8, align: 8, flat: ['i64'] },
  u64: { kind: 'u64', size: 8, align: 8, flat: ['i64'] },
  f32: { kind: 'f32', size: 4, align: 4, flat: ['f32'] },
  f64: { kind: 'f64', size: 8, align: 8, flat: ['f64'] },
  char: { kind: 'char', size: 4, align: 4, flat: ['i32'] },
  string: { kind: 'string', size: 8, align: 4, flat: ['i32', 'i32'] },
};

/**
 * Resolves the plan's type table into descriptor objects (shared, so that
 * closures can be cached on them).
 */
export class TypeTable {
  constructor(planTypes, resources) {
    this.raw = planTypes;
    this.resources = resources; // plan resources, by index
    this.descs = new Array(planTypes.length);
  }

  get(ref) {
    if (typeof ref === 'string') return PRIMS[ref];
    let d = this.descs[ref];
    if (d) return d;
    const t = this.raw[ref];
    d = { ...t };
    this.descs[ref] = d;
    switch (t.kind) {
      case 'record':
        d.fields = t.fields.map(([name, ty]) => ({ name, key: camelCase(name), type: this.get(ty) }));
        break;
      case 'variant':
        d.cases = t.cases.map(([name, ty]) => ({ name, type: ty === null ? null : this.get(ty) }));
        break;
      case 'list':
      case 'option':
        d.element = this.get(t.element);
        break;
      case 'tuple':
        d.elements = t.elements.map((e) => this.get(e));
        break;
      case 'flags':
        d.keys = t.labels.map(camelCase);
        break;
      case 'result':
        d.ok = t.ok === null ? null : this.get(t.ok);
        d.err = t.err === null ? null : this.get(t.err);
        break;
      case 'own':
      case 'borrow':
        d.resourceIndex = t.resource;
        break;
      case 'func':
        d.params = t.params.map(([name, ty]) => ({ name, type: this.get(ty) }));
        d.result = t.result === null ? null : this.get(t.result);
        break;
      default:
        break;
    }
    // Variant-like types share one representation for the ABI.
    if (t.kind === 'enum') d.cases = t.labels.map((name) => ({ name, type: null }));
    if (t.kind === 'option') d.cases = [{ name: 'none', type: null }, { name: 'some', type: d.element }];
    if (t.kind === 'result') d.cases = [{ name: 'ok', type: d.ok }, { name: 'err', type: d.err }];
    if (d.cases) {
      const n = d.cases.length;
      d.discSize = n <= 256 ? 1 : n <= 65536 ? 2 : 4;
      let maxAlign = 1;
      for (const c of d.cases) if (c.type && c.type.align > maxAlign) maxAlign = c.type.align;
      d.payloadOffset = alignTo(d.discSize, maxAlign);
    }
    if (d.fields) {
      let offset = 0;
      for (const f of d.fields) {
        offset = alignTo(offset, f.type.align);
        f.offset = offset;
        offset += f.type.size;
      }
    }
    if (d.elements && t.kind === 'tuple') {
      let offset = 0;
      d.offsets = d.elements.map((e) => {
        offset = alignTo(offset, e.align);
        const at = offset;
        offset += e.size;
        return at;
      });
    }
    return d;
  }
}

export function alignTo(n, a) {
  return Math.ceil(n / a) * a;
}

// ---- errors ----------------------------------------------------------------------

function typeError(message) {
  return new TypeError(message);
}

/** Prefixes the location of a bad value while the error unwinds. */
function within(error, segment) {
  if (error instanceof TypeError) error.compolyPath = segment + (error.compolyPath ?? '');
  return error;
}

function show(v) {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (typeof v === 'bigint') return `${v}n`;
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return v.constructor?.name ? `a ${v.constructor.name}` : 'an object';
  return String(v);
}

const INT_RANGES = {
  s8: [-128, 127],
  u8: [0, 255],
  s16: [-32768, 32767],
  u16: [0, 65535],
  s32: [-2147483648, 2147483647],
  u32: [0, 4294967295],
};

const TYPED_ARRAYS = {
  u8: Uint8Array,
  s8: Int8Array,
  u16: Uint16Array,
  s16: Int16Array,
  u32: Uint32Array,
  s32: Int32Array,
  u64: BigUint64Array,
  s64: BigInt64Array,
  f32: Float32Array,
  f64: Float64Array,
};

// ---- check: is this JS value acceptable for the type? ------------------------------
// check(value, resourceRuntimes): resources are per instance, the closures per
// type, so the instance's resources come in with the call.

const checkers = new WeakMap();

export function checker(d) {
  let c = checkers.get(d);
  if (!c) {
    c = makeChecker(d);
    checkers.set(d, c);
  }
  return c;
}

function toBigInt(d, v) {
  if (typeof v === 'bigint') {
    const ok = d.kind === 'u64' ? v >= 0n && v <= 0xffffffffffffffffn : v >= -(2n ** 63n) && v < 2n ** 63n;
    if (ok) return v;
  } else if (typeof v === 'number' && Number.isInteger(v)) {
    return toBigInt(d, BigInt(v));
  }
  throw typeError(`expected ${d.kind} (a BigInt in range), got ${show(v)}`);
}

function makeChecker(d) {
  switch (d.kind) {
    case 'bool':
      return (v, rts) => {
        if (typeof v !== 'boolean') throw typeError(`expected bool, got ${show(v)}`);
      };
    case 's8':
    case 'u8':
    case 's16':
    case 'u16':
    case 's32':
    case 'u32': {
      const [lo, hi] = INT_RANGES[d.kind];
      return (v, rts) => {
        if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi)
          throw typeError(`expected ${d.kind} (an integer from ${lo} to ${hi}), got ${show(v)}`);
      };
    }
    case 's64':
    case 'u64':
      return (v) => void toBigInt(d, v);
    case 'f32':
    case 'f64':
      return (v, rts) => {
        if (typeof v !== 'number') throw typeError(`expected ${d.kind} (a number), got ${show(v)}`);
      };
    case 'char':
      return (v, rts) => {
        if (typeof v !== 'string' || v.length === 0 || v.length > 2 || [...v].length !== 1)
          throw typeError(`expected char (a string of one Unicode scalar value), got ${show(v)}`);
        const cp = v.codePointAt(0);
        if (cp >= 0xd800 && cp <= 0xdfff) throw typeError(`expected char, got a lone surrogate`);
      };
    case 'string':
      return (v, rts) => {
        if (typeof v !== 'string') throw typeError(`expected string, got ${show(v)}`);
      };
    case 'list': {
      const elem = d.element;
      const Typed = TYPED_ARRAYS[elem.kind];
      const check = checker(elem);
      return (v, rts) => {
        if (Typed && v instanceof Typed) return;
        if (!Array.isArray(v) && !(Typed && ArrayBuffer.isView(v)))
          throw typeError(`expected list<${elem.kind}> (an array${Typed ? ' or ' + Typed.name : ''}), got ${show(v)}`);
        if (ArrayBuffer.isView(v)) return;
        for (let i = 0; i < v.length; i++) {
          try {
            check(v[i], rts);
          } catch (e) {
            throw within(e, `[${i}]`);
          }
        }
      };
    }
    case 'record': {
      const fields = d.fields.map((f) => [f.key, checker(f.type)]);
      return (v, rts) => {
        if (typeof v !== 'object' || v === null) throw typeError(`expected a record (an object), got ${show(v)}`);
        for (const [key, check] of fields) {
          if (!(key in v)) throw within(typeError(`missing record field '${key}'`), '');
          try {
            check(v[key], rts);
          } catch (e) {
            throw within(e, `.${key}`);
          }
        }
      };
    }
    case 'tuple': {
      const elems = d.elements.map(checker);
      return (v, rts) => {
        if (!Array.isArray(v) || v.length !== elems.length)
          throw typeError(`expected a tuple (an array of ${elems.length}), got ${show(v)}`);
        for (let i = 0; i < elems.length; i++) {
          try {
            elems[i](v[i], rts);
          } catch (e) {
            throw within(e, `[${i}]`);
          }
        }
      };
    }
    case 'flags':
      return (v, rts) => {
        if (typeof v !== 'object' || v === null) throw typeError(`expected flags (an object of booleans), got ${show(v)}`);
        for (const k of Object.keys(v))
          if (!d.keys.includes(k)) throw typeError(`unknown flag '${k}' (expected one of ${d.keys.join(', ')})`);
      };
    case 'enum':
      return (v, rts) => {
        if (typeof v !== 'string' || !d.labels.includes(v))
          throw typeError(`expected one of the enum cases ${d.labels.map((l) => `'${l}'`).join(', ')}, got ${show(v)}`);
      };
    case 'option': {
      const check = checker(d.element);
      const nested = d.element.kind === 'option';
      return (v, rts) => {
        if (nested) {
          checkTagged(v, ['none', 'some'], (tag, val) => tag === 'some' && check(val, rts));
          return;
        }
        if (v === undefined || v === null) return;
        try {
          check(v, rts);
        } catch (e) {
          throw within(e, '?');
        }
      };
    }
    case 'result': {
      const ok = d.ok && checker(d.ok);
      const err = d.err && checker(d.err);
      return (v, rts) =>
        checkTagged(v, ['ok', 'err'], (tag, val) => {
          const c = tag === 'ok' ? ok : err;
          if (c) {
            try {
              c(val, rts);
            } catch (e) {
              throw within(e, `<${tag}>`);
            }
          }
        });
    }
    case 'variant': {
      const cases = new Map(d.cases.map((c) => [c.name, c.type && checker(c.type)]));
      return (v, rts) =>
        checkTagged(v, [...cases.keys()], (tag, val) => {
          const c = cases.get(tag);
          if (c) {
            try {
              c(val, rts);
            } catch (e) {
              throw within(e, `<${tag}>`);
            }
          }
        });
    }
    case 'own':
    case 'borrow': {
      const own = d.kind === 'own';
      return (v, rts) => checkResourceValue(rts[d.resourceIndex], v, own);
    }
    default:
      throw new Error(`compoly: no checker for type kind ${d.kind}`);
  }
}

function checkTagged(v, tags, checkCase) {
  if (typeof v !== 'object' || v === null || typeof v.tag !== 'string')
    throw typeError(`expected { tag, val } with tag one of ${tags.map((t) => `'${t}'`).join(', ')}, got ${show(v)}`);
  if (!tags.includes(v.tag)) throw typeError(`unknown case '${v.tag}' (expected one of ${tags.join(', ')})`);
  checkCase(v.tag, v.val);
}

// ---- load: value at a pointer in guest memory ----------------------------------------

const loaders = new WeakMap();

export function loader(d) {
  let l = loaders.get(d);
  if (!l) {
    l = makeLoader(d);
    loaders.set(d, l);
  }
  return l;
}

function makeLoader(d) {
  switch (d.kind) {
    case 'bool':
      return (cx, p) => cx.mem.view().getUint8(p) !== 0;
    case 'u8':
      return (cx, p) => cx.mem.view().getUint8(p);
    case 's8':
      return (cx, p) => cx.mem.view().getInt8(p);
    case 'u16':
      return (cx, p) => cx.mem.view().getUint16(p, true);
    case 's16':
      return (cx, p) => cx.mem.view().getInt16(p, true);
    case 'u32':
      return (cx, p) => cx.mem.view().getUint32(p, true);
    case 's32':
      return (cx, p) => cx.mem.view().getInt32(p, true);
    case 'u64':
      return (cx, p) => cx.mem.view().getBigUint64(p, true);
    case 's64':
      return (cx, p) => cx.mem.view().getBigInt64(p, true);
    case 'f32':
      return (cx, p) => cx.mem.view().getFloat32(p, true);
    case 'f64':
      return (cx, p) => cx.mem.view().getFloat64(p, true);
    case 'char':
      return (cx, p) => charFromI32(cx.mem.view().getUint32(p, true));
    case 'string':
      return (cx, p) => {
        const v = cx.mem.view();
        return loadString(cx, v.getUint32(p, true), v.getUint32(p + 4, true));
      };
    case 'list': {
      const load = listLoader(d.element);
      return (cx, p) => {
        const v = cx.mem.view();
        return load(cx, v.getUint32(p, true), v.getUint32(p + 4, true));
      };
    }
    case 'record': {
      const fields = d.fields.map((f) => [f.key, f.offset, loader(f.type)]);
      return (cx, p) => {
        const out = {};
        for (const [key, offset, load] of fields) out[key] = load(cx, p + offset);
        return out;
      };
    }
    case 'tuple': {
      const elems = d.elements.map((e, i) => [d.offsets[i], loader(e)]);
      return (cx, p) => elems.map(([offset, load]) => load(cx, p + offset));
    }
    case 'flags':
      return (cx, p) => {
        const v = cx.mem.view();
        let bits;
        if (d.size === 1) bits = [v.getUint8(p)];
        else if (d.size === 2) bits = [v.getUint16(p, true)];
        else bits = [v.getUint32(p, true)];
        return flagsFromBits(d, bits);
      };
    case 'own':
    case 'borrow': {
      const lift = d.kind === 'own' ? liftOwn : liftBorrow;
      return (cx, p) => lift(cx, cx.mem.view().getUint32(p, true), d.resourceIndex);
    }
    default: {
      // variant, enum, option, result
      const cases = d.cases.map((c) => (c.type ? loader(c.type) : null));
      const make = variantMaker(d);
      return (cx, p) => {
        const v = cx.mem.view();
        const disc = d.discSize === 1 ? v.getUint8(p) : d.discSize === 2 ? v.getUint16(p, true) : v.getUint32(p, true);
        if (disc >= cases.length) throw new Trap(`invalid ${d.kind} discriminant ${disc} (it has ${cases.length} cases)`);
        const load = cases[disc];
        return make(disc, load ? load(cx, p + d.payloadOffset) : undefined);
      };
    }
  }
}

/** How a lifted case becomes a JS value, per kind. */
function variantMaker(d) {
  switch (d.kind) {
    case 'enum':
      return (disc) => d.labels[disc];
    case 'option':
      // option<option<T>>: the outer option is tagged so that some(none)
      // stays distinct from none, as jco does.
      if (d.element.kind === 'option') return (disc, val) => (disc === 0 ? { tag: 'none' } : { tag: 'some', val });
      return (disc, val) => (disc === 0 ? undefined : val);
    case 'result':
      return (disc, val) => (disc === 0 ? { tag: 'ok', val } : { tag: 'err', val });
    default: {
      const names = d.cases.map((c) => c.name);
      return (disc, val) => (d.cases[disc].type ? { tag: names[disc], val } : { tag: names[disc] });
    }
  }
}

function charFromI32(i) {
  if (i >= 0x110000 || (i >= 0xd800 && i <= 0xdfff)) throw new Trap(`invalid char: ${i} is not a Unicode scalar value`);
  return String.fromCodePoint(i);
}

function flagsFromBits(d, words) {
  const out = {};
  for (let i = 0; i < d.keys.length; i++) out[d.keys[i]] = ((words[i >>> 5] >>> (i & 31)) & 1) === 1;
  return out;
}

function checkRange(cx, ptr, bytes, align, what) {
  if (ptr % align !== 0) throw new Trap(`misaligned ${what} pointer ${ptr} (must be aligned to ${align})`);
  if (ptr + bytes > cx.mem.byteLength()) {
    throw new Trap(`${what} at ${ptr} with ${bytes} bytes is out of bounds of memory (${cx.mem.byteLength()} bytes)`);
  }
}

function listLoader(elem) {
  const Typed = TYPED_ARRAYS[elem.kind];
  if (Typed) {
    return (cx, ptr, len) => {
      const bytes = len * elem.size;
      checkRange(cx, ptr, bytes, elem.align, 'list');
      // A copy: the guest may reuse its memory after the call.
      return new Typed(cx.mem.buffer().slice(ptr, ptr + bytes));
    };
  }
  const load = loader(elem);
  return (cx, ptr, len) => {
    checkRange(cx, ptr, len * elem.size, elem.align, 'list');
    const out = new Array(len);
    for (let i = 0; i < len; i++) out[i] = load(cx, ptr + i * elem.size);
    return out;
  };
}

// ---- store: value at a pointer in guest memory ------------------------------------------

const storers = new WeakMap();

export function storer(d) {
  let s = storers.get(d);
  if (!s) {
    s = makeStorer(d);
    storers.set(d, s);
  }
  return s;
}

function makeStorer(d) {
  switch (d.kind) {
    case 'bool':
      return (cx, p, v) => cx.mem.view().setUint8(p, v ? 1 : 0);
    case 'u8':
    case 's8':
      return (cx, p, v) => cx.mem.view().setUint8(p, v & 0xff);
    case 'u16':
    case 's16':
      return (cx, p, v) => cx.mem.view().setUint16(p, v & 0xffff, true);
    case 'u32':
    case 's32':
      return (cx, p, v) => cx.mem.view().setUint32(p, v >>> 0, true);
    case 'u64':
    case 's64':
      return (cx, p, v) => cx.mem.view().setBigUint64(p, BigInt.asUintN(64, BigInt(v)), true);
    case 'f32':
      return (cx, p, v) => cx.mem.view().setFloat32(p, v, true);
    case 'f64':
      return (cx, p, v) => cx.mem.view().setFloat64(p, v, true);
    case 'char':
      return (cx, p, v) => cx.mem.view().setUint32(p, v.codePointAt(0), true);
    case 'string':
      return (cx, p, v) => {
        const [ptr, len] = storeString(cx, v);
        const view = cx.mem.view();
        view.setUint32(p, ptr, true);
        view.setUint32(p + 4, len, true);
      };
    case 'list': {
      const store = listStorer(d.element);
      return (cx, p, v) => {
        const [ptr, len] = store(cx, v);
        const view = cx.mem.view();
        view.setUint32(p, ptr, true);
        view.setUint32(p + 4, len, true);
      };
    }
    case 'record': {
      const fields = d.fields.map((f) => [f.key, f.offset, storer(f.type)]);
      return (cx, p, v) => {
        for (const [key, offset, store] of fields) store(cx, p + offset, v[key]);
      };
    }
    case 'tuple': {
      const elems = d.elements.map((e, i) => [d.offsets[i], storer(e)]);
      return (cx, p, v) => {
        for (let i = 0; i < elems.length; i++) elems[i][1](cx, p + elems[i][0], v[i]);
      };
    }
    case 'flags':
      return (cx, p, v) => {
        const words = flagsToBits(d, v);
        const view = cx.mem.view();
        if (d.size === 1) view.setUint8(p, words[0]);
        else if (d.size === 2) view.setUint16(p, words[0], true);
        else view.setUint32(p, words[0], true);
      };
    case 'own':
    case 'borrow': {
      const lower = d.kind === 'own' ? lowerOwn : lowerBorrow;
      return (cx, p, v) => cx.mem.view().setUint32(p, lower(cx, v, d.resourceIndex), true);
    }
    default: {
      const cases = d.cases.map((c) => (c.type ? storer(c.type) : null));
      const pick = variantPicker(d);
      return (cx, p, v) => {
        const [disc, val] = pick(v);
        const view = cx.mem.view();
        if (d.discSize === 1) view.setUint8(p, disc);
        else if (d.discSize === 2) view.setUint16(p, disc, true);
        else view.setUint32(p, disc, true);
        const store = cases[disc];
        if (store) store(cx, p + d.payloadOffset, val);
      };
    }
  }
}

/** JS value → [case index, payload], per kind (the inverse of variantMaker). */
function variantPicker(d) {
  switch (d.kind) {
    case 'enum': {
      const index = new Map(d.labels.map((l, i) => [l, i]));
      return (v) => [index.get(v), undefined];
    }
    case 'option':
      if (d.element.kind === 'option') return (v) => (v.tag === 'none' ? [0, undefined] : [1, v.val]);
      return (v) => (v === undefined || v === null ? [0, undefined] : [1, v]);
    case 'result':
      return (v) => (v.tag === 'ok' ? [0, v.val] : [1, v.val]);
    default: {
      const index = new Map(d.cases.map((c, i) => [c.name, i]));
      return (v) => [index.get(v.tag), v.val];
    }
  }
}

function flagsToBits(d, v) {
  const words = new Array(Math.max(1, Math.ceil(d.keys.length / 32))).fill(0);
  for (let i = 0; i < d.keys.length; i++) if (v[d.keys[i]]) words[i >>> 5] |= 1 << (i & 31);
  return words.map((w) => w >>> 0);
}

function listStorer(elem) {
  const Typed = TYPED_ARRAYS[elem.kind];
  const store = storer(elem);
  return (cx, v) => {
    const len = v.length;
    const bytes = len * elem.size;
    if (bytes > MAX_LIST_BYTES) throw new Trap(`list of ${len} elements is too large for the canonical ABI`);
    const ptr = cx.realloc(0, 0, elem.align, bytes);
    checkRange(cx, ptr, bytes, elem.align, 'realloc result for list');
    if (Typed && ArrayBuffer.isView(v) && v.constructor === Typed) {
      new Uint8Array(cx.mem.buffer(), ptr, bytes).set(new Uint8Array(v.buffer, v.byteOffset, bytes));
    } else {
      for (let i = 0; i < len; i++) store(cx, ptr + i * elem.size, v[i]);
    }
    return [ptr, len];
  };
}

// ---- flat: values passed as core parameters and results ------------------------------------

const flatLifters = new WeakMap();

/** (cx, vals, pos) => value, reading vals[pos.i...] */
export function flatLifter(d) {
  let l = flatLifters.get(d);
  if (!l) {
    l = makeFlatLifter(d);
    flatLifters.set(d, l);
  }
  return l;
}

function makeFlatLifter(d) {
  switch (d.kind) {
    case 'bool':
      return (cx, vals, pos) => vals[pos.i++] !== 0;
    case 'u8':
      return (cx, vals, pos) => vals[pos.i++] & 0xff;
    case 's8':
      return (cx, vals, pos) => (vals[pos.i++] << 24) >> 24;
    case 'u16':
      return (cx, vals, pos) => vals[pos.i++] & 0xffff;
    case 's16':
      return (cx, vals, pos) => (vals[pos.i++] << 16) >> 16;
    case 'u32':
      return (cx, vals, pos) => vals[pos.i++] >>> 0;
    case 's32':
      return (cx, vals, pos) => vals[pos.i++] | 0;
    case 'u64':
      return (cx, vals, pos) => BigInt.asUintN(64, vals[pos.i++]);
    case 's64':
      return (cx, vals, pos) => BigInt.asIntN(64, vals[pos.i++]);
    case 'f32':
    case 'f64':
      return (cx, vals, pos) => vals[pos.i++];
    case 'char':
      return (cx, vals, pos) => charFromI32(vals[pos.i++] >>> 0);
    case 'string':
      return (cx, vals, pos) => {
        const ptr = vals[pos.i++] >>> 0;
        const len = vals[pos.i++] >>> 0;
        return loadString(cx, ptr, len);
      };
    case 'list': {
      const load = listLoader(d.element);
      return (cx, vals, pos) => {
        const ptr = vals[pos.i++] >>> 0;
        const len = vals[pos.i++] >>> 0;
        return load(cx, ptr, len);
      };
    }
    case 'record': {
      const fields = d.fields.map((f) => [f.key, flatLifter(f.type)]);
      return (cx, vals, pos) => {
        const out = {};
        for (const [key, lift] of fields) out[key] = lift(cx, vals, pos);
        return out;
      };
    }
    case 'tuple': {
      const elems = d.elements.map(flatLifter);
      return (cx, vals, pos) => elems.map((lift) => lift(cx, vals, pos));
    }
    case 'flags': {
      const n = d.flat.length;
      return (cx, vals, pos) => {
        const words = [];
        for (let i = 0; i < n; i++) words.push(vals[pos.i++] >>> 0);
        return flagsFromBits(d, words);
      };
    }
    case 'own':
    case 'borrow': {
      const lift = d.kind === 'own' ? liftOwn : liftBorrow;
      return (cx, vals, pos) => lift(cx, vals[pos.i++] >>> 0, d.resourceIndex);
    }
    default: {
      // The payload slots hold the join of every case's flat types; each
      // case reads its own types back out of them (CanonicalABI.md
      // "lift_flat_variant").
      const joined = d.flat.slice(1);
      const cases = d.cases.map((c) => {
        if (!c.type) return null;
        const lift = flatLifter(c.type);
        const have = c.type.flat;
        return (cx, vals, pos) => {
          const sub = new Array(have.length);
          for (let i = 0; i < have.length; i++) sub[i] = coerceFromJoined(vals[pos.i + i], joined[i], have[i]);
          return lift(cx, sub, { i: 0 });
        };
      });
      const make = variantMaker(d);
      return (cx, vals, pos) => {
        const disc = vals[pos.i++] >>> 0;
        if (disc >= cases.length) throw new Trap(`invalid ${d.kind} discriminant ${disc} (it has ${cases.length} cases)`);
        const lift = cases[disc];
        const val = lift ? lift(cx, vals, pos) : undefined;
        pos.i += joined.length;
        return make(disc, val);
      };
    }
  }
}

const f32buf = new DataView(new ArrayBuffer(8));

function coerceFromJoined(v, joined, want) {
  if (joined === want) return v;
  switch (want) {
    case 'i32':
      return Number(BigInt.asIntN(32, v)); // i64 slot holding an i32
    case 'f32': {
      const bits = joined === 'i32' ? v : Number(BigInt.asUintN(32, v));
      f32buf.setUint32(0, bits >>> 0, true);
      return f32buf.getFloat32(0, true);
    }
    case 'f64':
      f32buf.setBigUint64(0, BigInt.asUintN(64, v), true);
      return f32buf.getFloat64(0, true);
    default:
      return v;
  }
}

function coerceToJoined(v, have, joined) {
  if (have === joined) return v;
  switch (have) {
    case 'i32':
      return BigInt(v >>> 0); // into an i64 slot
    case 'f32': {
      f32buf.setFloat32(0, v, true);
      const bits = f32buf.getUint32(0, true);
      return joined === 'i32' ? bits | 0 : BigInt(bits);
    }
    case 'f64':
      f32buf.setFloat64(0, v, true);
      return f32buf.getBigInt64(0, true);
    default:
      return v;
  }
}

const ZERO = { i32: 0, i64: 0n, f32: 0, f64: 0 };

const flatLowerers = new WeakMap();

/** (cx, value, out) => void, pushing core values onto out */
export function flatLowerer(d) {
  let l = flatLowerers.get(d);
  if (!l) {
    l = makeFlatLowerer(d);
    flatLowerers.set(d, l);
  }
  return l;
}

function makeFlatLowerer(d) {
  switch (d.kind) {
    case 'bool':
      return (cx, v, out) => out.push(v ? 1 : 0);
    case 'u8':
    case 's8':
    case 'u16':
    case 's16':
    case 'u32':
    case 's32':
      return (cx, v, out) => out.push(v | 0);
    case 'u64':
    case 's64':
      return (cx, v, out) => out.push(BigInt.asIntN(64, BigInt(v)));
    case 'f32':
    case 'f64':
      return (cx, v, out) => out.push(v);
    case 'char':
      return (cx, v, out) => out.push(v.codePointAt(0));
    case 'string':
      return (cx, v, out) => {
        const [ptr, len] = storeString(cx, v);
        out.push(ptr | 0, len | 0);
      };
    case 'list': {
      const store = listStorer(d.element);
      return (cx, v, out) => {
        const [ptr, len] = store(cx, v);
        out.push(ptr | 0, len | 0);
      };
    }
    case 'record': {
      const fields = d.fields.map((f) => [f.key, flatLowerer(f.type)]);
      return (cx, v, out) => {
        for (const [key, lower] of fields) lower(cx, v[key], out);
      };
    }
    case 'tuple': {
      const elems = d.elements.map(flatLowerer);
      return (cx, v, out) => {
        for (let i = 0; i < elems.length; i++) elems[i](cx, v[i], out);
      };
    }
    case 'flags':
      return (cx, v, out) => {
        for (const w of flagsToBits(d, v)) out.push(w | 0);
      };
    case 'own':
    case 'borrow': {
      const lower = d.kind === 'own' ? lowerOwn : lowerBorrow;
      return (cx, v, out) => out.push(lower(cx, v, d.resourceIndex) | 0);
    }
    default: {
      const joined = d.flat.slice(1);
      const cases = d.cases.map((c) => (c.type ? [flatLowerer(c.type), c.type.flat] : null));
      const pick = variantPicker(d);
      return (cx, v, out) => {
        const [disc, val] = pick(v);
        out.push(disc);
        const c = cases[disc];
        let n = 0;
        if (c) {
          const sub = [];
          c[0](cx, val, sub);
          for (; n < sub.length; n++) out.push(coerceToJoined(sub[n], c[1][n], joined[n]));
        }
        for (; n < joined.length; n++) out.push(ZERO[joined[n]]);
      };
    }
  }
}
