// A small reader for the component-model spec's .wast files: S-expressions
// (with `;;` line comments, nested `(; ;)` block comments and strings with
// escapes), split into top-level directives. Component forms keep their
// source text (or bytes, for `binary`), to be assembled by jco's `parse`;
// value constants in `invoke`s and expected results are parsed into small
// tagged values ({ type: 'u32', value: 5 }, ...) that the runner turns into
// JS values and compares against what the runtime returns.

const utf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * @typedef {{ kind: 'atom', value: string, start: number, end: number, line: number }} Atom
 * @typedef {{ kind: 'string', bytes: Uint8Array, text: string, start: number, end: number, line: number }} Str
 * @typedef {{ kind: 'list', items: Node[], start: number, end: number, line: number }} List
 * @typedef {Atom | Str | List} Node
 */

export class WastSyntaxError extends Error {
  constructor(message, line) {
    super(`line ${line}: ${message}`);
    this.name = 'WastSyntaxError';
    this.line = line;
  }
}

/**
 * Reads all top-level S-expressions of a .wast text.
 * @param {string} src
 * @returns {List[]}
 */
export function readSexprs(src) {
  let i = 0;
  let line = 1;
  const n = src.length;

  const skipSpaceAndComments = () => {
    for (;;) {
      if (i >= n) return;
      const c = src[i];
      if (c === '\n') {
        line++;
        i++;
      } else if (c === ' ' || c === '\t' || c === '\r') {
        i++;
      } else if (c === ';' && src[i + 1] === ';') {
        while (i < n && src[i] !== '\n') i++;
      } else if (c === '(' && src[i + 1] === ';') {
        const startLine = line;
        let depth = 0;
        do {
          if (i >= n) throw new WastSyntaxError('unterminated block comment', startLine);
          if (src[i] === '(' && src[i + 1] === ';') {
            depth++;
            i += 2;
          } else if (src[i] === ';' && src[i + 1] === ')') {
            depth--;
            i += 2;
          } else {
            if (src[i] === '\n') line++;
            i++;
          }
        } while (depth > 0);
      } else {
        return;
      }
    }
  };

  const readString = () => {
    const start = i;
    const startLine = line;
    i++; // opening quote
    const bytes = [];
    const enc = new TextEncoder();
    for (;;) {
      if (i >= n) throw new WastSyntaxError('unterminated string', startLine);
      const c = src[i];
      if (c === '"') {
        i++;
        break;
      }
      if (c === '\n') throw new WastSyntaxError('newline in string', line);
      if (c !== '\\') {
        // One code point, as UTF-8.
        const cp = src.codePointAt(i);
        const ch = String.fromCodePoint(cp);
        for (const b of enc.encode(ch)) bytes.push(b);
        i += ch.length;
        continue;
      }
      const e = src[i + 1];
      i += 2;
      switch (e) {
        case 'n':
          bytes.push(0x0a);
          break;
        case 't':
          bytes.push(0x09);
          break;
        case 'r':
          bytes.push(0x0d);
          break;
        case '\\':
          bytes.push(0x5c);
          break;
        case "'":
          bytes.push(0x27);
          break;
        case '"':
          bytes.push(0x22);
          break;
        case 'u': {
          if (src[i] !== '{') throw new WastSyntaxError('bad \\u escape', line);
          const close = src.indexOf('}', i);
          if (close < 0) throw new WastSyntaxError('bad \\u escape', line);
          const cp = parseInt(src.slice(i + 1, close).replaceAll('_', ''), 16);
          if (!(cp >= 0 && cp <= 0x10ffff) || (cp >= 0xd800 && cp <= 0xdfff)) throw new WastSyntaxError('bad \\u escape value', line);
          for (const b of enc.encode(String.fromCodePoint(cp))) bytes.push(b);
          i = close + 1;
          break;
        }
        default: {
          const hex = src.slice(i - 1, i + 1);
          if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new WastSyntaxError(`bad escape \\${e}`, line);
          bytes.push(parseInt(hex, 16));
          i += 1;
        }
      }
    }
    const b = new Uint8Array(bytes);
    return { kind: 'string', bytes: b, text: utf8.decode(b), start, end: i, line: startLine };
  };

  const readNode = () => {
    skipSpaceAndComments();
    if (i >= n) throw new WastSyntaxError('unexpected end of input', line);
    const c = src[i];
    if (c === '(') {
      const start = i;
      const startLine = line;
      i++;
      const items = [];
      for (;;) {
        skipSpaceAndComments();
        if (i >= n) throw new WastSyntaxError('unclosed parenthesis', startLine);
        if (src[i] === ')') {
          i++;
          break;
        }
        items.push(readNode());
      }
      return { kind: 'list', items, start, end: i, line: startLine };
    }
    if (c === ')') throw new WastSyntaxError('unexpected )', line);
    if (c === '"') return readString();
    const start = i;
    while (i < n && !/[\s()";]/.test(src[i])) i++;
    if (i === start) throw new WastSyntaxError(`unexpected character ${JSON.stringify(c)}`, line);
    return { kind: 'atom', value: src.slice(start, i), start, end: i, line };
  };

  const out = [];
  for (;;) {
    skipSpaceAndComments();
    if (i >= n) break;
    const node = readNode();
    if (node.kind !== 'list') throw new WastSyntaxError('expected a parenthesized form at top level', node.line);
    out.push(node);
  }
  return out;
}

const head = (node) => (node?.kind === 'list' && node.items[0]?.kind === 'atom' ? node.items[0].value : undefined);
const isId = (node) => node?.kind === 'atom' && node.value.startsWith('$');

function concatBytes(strings) {
  const total = strings.reduce((s, x) => s + x.bytes.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const s of strings) {
    out.set(s.bytes, at);
    at += s.bytes.length;
  }
  return out;
}

/**
 * A `(component ...)` form: its id, whether it is only a definition, and
 * either its text (for jco's parse) or its bytes.
 * @returns {{ id?: string, definition: boolean, format: 'text'|'binary'|'quote', text?: string, bytes?: Uint8Array, line: number }}
 */
export function componentForm(node, src) {
  if (head(node) !== 'component') throw new WastSyntaxError(`expected (component ...), got (${head(node)} ...)`, node.line);
  let k = 1;
  let definition = false;
  if (node.items[k]?.kind === 'atom' && node.items[k].value === 'definition') {
    definition = true;
    k++;
  }
  let id;
  if (isId(node.items[k])) id = node.items[k++].value;
  const kw = node.items[k]?.kind === 'atom' ? node.items[k].value : undefined;
  if (kw === 'binary' || kw === 'quote') {
    const strings = node.items.slice(k + 1);
    for (const s of strings) if (s.kind !== 'string') throw new WastSyntaxError(`(component ${kw}) takes strings only`, s.line);
    if (kw === 'binary') return { id, definition, format: 'binary', bytes: concatBytes(strings), line: node.line };
    const text = `(component ${strings.map((s) => s.text).join(' ')})`;
    return { id, definition, format: 'quote', text, line: node.line };
  }
  // The text as written, minus `definition` (jco's parse wants a plain
  // component); the id stays, it is part of the component's text syntax.
  const rest = node.items[definition ? 2 : 1];
  const text = rest ? `(component ${src.slice(rest.start, node.end)}` : '(component)';
  return { id, definition, format: 'text', text, line: node.line };
}

// ---- values -------------------------------------------------------------------------------

const INTS = {
  u8: [0n, 0xffn],
  s8: [-0x80n, 0x7fn],
  u16: [0n, 0xffffn],
  s16: [-0x8000n, 0x7fffn],
  u32: [0n, 0xffffffffn],
  s32: [-0x80000000n, 0x7fffffffn],
  u64: [0n, 0xffffffffffffffffn],
  s64: [-(2n ** 63n), 2n ** 63n - 1n],
};

function parseInt64(text, type, line) {
  let t = text.replaceAll('_', '');
  let neg = false;
  if (t.startsWith('-') || t.startsWith('+')) {
    neg = t[0] === '-';
    t = t.slice(1);
  }
  if (!/^(0x[0-9a-fA-F]+|[0-9]+)$/.test(t)) throw new WastSyntaxError(`bad ${type} literal ${text}`, line);
  let v = BigInt(t);
  if (neg) v = -v;
  const [lo, hi] = INTS[type];
  // Like core wast, an unsigned-looking literal may denote the two's
  // complement of a signed value (e.g. (s32.const 0xffffffff) is -1).
  const bits = type.endsWith('64') ? 64 : Number(type.slice(1));
  if (type[0] === 's' && v > hi && v < 2n ** BigInt(bits)) v -= 2n ** BigInt(bits);
  if (v < lo || v > hi) throw new WastSyntaxError(`${type} literal out of range: ${text}`, line);
  return v;
}

function parseFloatLit(text, type, line) {
  const t = text.replaceAll('_', '');
  const m = /^([+-]?)(.*)$/.exec(t);
  const sign = m[1] === '-' ? -1 : 1;
  const body = m[2];
  if (body === 'inf') return { value: sign * Infinity };
  if (body === 'nan') return { value: NaN, nan: 'canonical' };
  if (body === 'nan:canonical' || body === 'nan:arithmetic') return { value: NaN, nan: body.slice(4) };
  if (body.startsWith('nan:0x')) return { value: NaN, nan: 'payload', payload: BigInt(body.slice(4)) };
  let v;
  if (/^0x/i.test(body)) {
    const hm = /^0x([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?\d+))?$/i.exec(body);
    if (!hm) throw new WastSyntaxError(`bad ${type} literal ${text}`, line);
    const int = hm[1] || '0';
    const frac = hm[2] || '';
    const exp = Number(hm[3] || 0);
    v = (parseInt(int + frac, 16) || 0) * 2 ** (exp - 4 * frac.length);
  } else {
    v = Number(body);
    if (Number.isNaN(v)) throw new WastSyntaxError(`bad ${type} literal ${text}`, line);
  }
  v *= sign;
  if (type === 'f32') v = Math.fround(v);
  return { value: v };
}

/**
 * A spec value constant: `(u32.const 5)`, `(str.const "x")`, `(list.const ...)`,
 * `(record.const (field "a" u32.const 1) ...)`, `(option.some v)`, ...
 * @returns {{ type: string, value?: any, nan?: string, payload?: bigint, items?: any[], fields?: [string, any][], label?: string, labels?: string[], inner?: any }}
 */
export function parseValue(node) {
  if (node.kind !== 'list' || node.items[0]?.kind !== 'atom') throw new WastSyntaxError('expected a value constant', node.line);
  return parseValueParts(node.items[0].value, node.items.slice(1), node.line);
}

function parseValueParts(op, args, line) {
  const atomArg = (k = 0) => {
    const a = args[k];
    if (a?.kind !== 'atom') throw new WastSyntaxError(`${op}: expected a literal`, line);
    return a.value;
  };
  const strArg = (k = 0) => {
    const a = args[k];
    if (a?.kind !== 'string') throw new WastSyntaxError(`${op}: expected a string`, line);
    return a.text;
  };
  const dot = op.indexOf('.');
  const type = dot > 0 ? op.slice(0, dot) : op;
  const what = dot > 0 ? op.slice(dot + 1) : '';
  if (what === 'const' && type in INTS) {
    const v = parseInt64(atomArg(), type, line);
    return { type, value: type.endsWith('64') ? v : Number(v) };
  }
  switch (op) {
    case 'bool.const': {
      const a = atomArg();
      if (a !== 'true' && a !== 'false') throw new WastSyntaxError(`bad bool ${a}`, line);
      return { type: 'bool', value: a === 'true' };
    }
    case 'f32.const':
    case 'f64.const':
      return { type, ...parseFloatLit(atomArg(), type, line) };
    case 'char.const': {
      const s = strArg();
      if ([...s].length !== 1) throw new WastSyntaxError(`char.const needs exactly one character, got ${JSON.stringify(s)}`, line);
      return { type: 'char', value: s };
    }
    case 'str.const':
      return { type: 'string', value: strArg() };
    case 'list.const':
      return { type: 'list', items: args.map(parseValue) };
    case 'tuple.const':
      return { type: 'tuple', items: args.map(parseValue) };
    case 'record.const':
      return {
        type: 'record',
        fields: args.map((f) => {
          if (head(f) !== 'field' || f.items[1]?.kind !== 'string') throw new WastSyntaxError('record.const: expected (field "name" ...)', f.line);
          // `(field "n" u32.const 7)`: the value's operator and operands inline;
          // `(field "n" (u32.const 7))` is accepted too.
          const rest = f.items.slice(2);
          const value =
            rest.length === 1 && rest[0].kind === 'list'
              ? parseValue(rest[0])
              : rest[0]?.kind === 'atom'
                ? parseValueParts(rest[0].value, rest.slice(1), f.line)
                : (() => {
                    throw new WastSyntaxError('record.const: field without a value', f.line);
                  })();
          return [f.items[1].text, value];
        }),
      };
    case 'variant.const':
      return { type: 'variant', label: strArg(), inner: args[1] ? parseValue(args[1]) : null };
    case 'enum.const':
      return { type: 'enum', label: strArg() };
    case 'flags.const':
      return { type: 'flags', labels: args.map((_, k) => strArg(k)) };
    case 'option.none':
      return { type: 'option', inner: null };
    case 'option.some':
      return { type: 'option', some: true, inner: parseValue(args[0]) };
    case 'result.ok':
    case 'result.err':
      return { type: 'result', label: what, inner: args[0] ? parseValue(args[0]) : null };
    default:
      throw new WastSyntaxError(`unknown value constant (${op} ...)`, line);
  }
}

// ---- directives ---------------------------------------------------------------------------

function parseInvoke(node) {
  if (head(node) !== 'invoke') throw new WastSyntaxError(`expected (invoke ...), got (${head(node)} ...)`, node.line);
  let k = 1;
  let instance;
  if (isId(node.items[k])) instance = node.items[k++].value;
  const name = node.items[k];
  if (name?.kind !== 'string') throw new WastSyntaxError('invoke: expected an export name', node.line);
  return { instance, name: name.text, args: node.items.slice(k + 1).map(parseValue) };
}

function lastString(node, what) {
  const s = node.items[node.items.length - 1];
  if (s?.kind !== 'string') throw new WastSyntaxError(`${what}: expected a message`, node.line);
  return s.text;
}

/**
 * Splits a .wast text into directives, in order. Each has `line` (1-based,
 * where the form starts) and `kind`:
 * - `component`: { component } — compile, and instantiate unless a definition
 * - `instance`: { id, of } — `(component instance $i $Def)`
 * - `invoke`: { invoke }
 * - `assert_return`: { invoke, results }
 * - `assert_trap`: { invoke } or { component }, and `message`
 * - `assert_invalid` / `assert_malformed` / `assert_unlinkable`: { component, message }
 * - `register`: { as, id }
 * @param {string} src
 */
export function splitWast(src) {
  const directives = [];
  for (const node of readSexprs(src)) {
    const h = head(node);
    const line = node.line;
    switch (h) {
      case 'component': {
        if (node.items[1]?.kind === 'atom' && node.items[1].value === 'instance') {
          const [, , id, of] = node.items;
          if (!isId(id) || !isId(of)) throw new WastSyntaxError('(component instance $id $definition) expected', line);
          directives.push({ kind: 'instance', line, id: id.value, of: of.value });
        } else {
          directives.push({ kind: 'component', line, component: componentForm(node, src) });
        }
        break;
      }
      case 'invoke':
        directives.push({ kind: 'invoke', line, invoke: parseInvoke(node) });
        break;
      case 'assert_return': {
        const invoke = parseInvoke(node.items[1]);
        directives.push({ kind: 'assert_return', line, invoke, results: node.items.slice(2).map(parseValue) });
        break;
      }
      case 'assert_trap': {
        const target = node.items[1];
        const message = lastString(node, h);
        if (head(target) === 'invoke') directives.push({ kind: h, line, invoke: parseInvoke(target), message });
        else directives.push({ kind: h, line, component: componentForm(target, src), message });
        break;
      }
      case 'assert_invalid':
      case 'assert_malformed':
      case 'assert_unlinkable':
        directives.push({ kind: h, line, component: componentForm(node.items[1], src), message: lastString(node, h) });
        break;
      case 'register': {
        const as = node.items[1];
        if (as?.kind !== 'string') throw new WastSyntaxError('register: expected a name', line);
        directives.push({ kind: 'register', line, as: as.text, id: isId(node.items[2]) ? node.items[2].value : undefined });
        break;
      }
      default:
        // Anything else (module, assert_exhaustion, ...) is reported, not ignored.
        directives.push({ kind: 'unsupported', line, form: h ?? '?' });
    }
  }
  return directives;
}
