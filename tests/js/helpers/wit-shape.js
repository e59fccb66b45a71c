// witShape(text): reduce WIT text, as printed by `jco wit` (wit-component)
// or by our printer, to a structure two printers can be compared on without
// caring about layout, order of items, or `%` escapes:
//
//   {
//     imports: ['host', 'wasi:io/streams@0.2.0', ...],        // sorted
//     exports: [...],                                         // sorted
//     functions: { '<scope>': { '<func name>': 'func(a: u32) -> string' } },
//     types:     { '<scope>': { '<type name>': 'record{x: s32, y: s32}' } },
//   }
//
// A scope is the full interface name `ns:pkg/iface@ver` (interfaces printed
// in `package ns:pkg@ver { interface iface { .. } }` blocks resolved to it),
// the plain name of an inline `import foo: interface { .. }`, or
// 'world:import' / 'world:export' for functions and types of the world
// itself (a colon cannot occur in a plain name, so these cannot collide).
// Resource functions are keyed as the component names them: '[constructor]r',
// '[method]r.f', '[static]r.f'. `use` shows up as a type 'use <iface>.<name>'.

const WORLD_IMPORT = 'world:import';
const WORLD_EXPORT = 'world:export';

function tokenize(text) {
  const tokens = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if (text.startsWith('//', i)) {
      while (i < n && text[i] !== '\n') i++;
    } else if (text.startsWith('/*', i)) {
      // WIT block comments nest.
      let depth = 0;
      do {
        if (text.startsWith('/*', i)) { depth++; i += 2; }
        else if (text.startsWith('*/', i)) { depth--; i += 2; }
        else i++;
      } while (depth > 0 && i < n);
    } else if (text.startsWith('->', i)) {
      tokens.push({ kind: 'punct', value: '->' });
      i += 2;
    } else if (c === '@' && /[0-9]/.test(text[i + 1] ?? '')) {
      // A semver: digits, dots, pre-release and build parts. A dot right
      // before `{` belongs to `use iface@1.2.3.{x}`, not to the version.
      let j = i + 1;
      while (j < n && /[0-9A-Za-z.+-]/.test(text[j])) j++;
      if (text[j - 1] === '.') j--;
      tokens.push({ kind: 'punct', value: '@' });
      tokens.push({ kind: 'version', value: text.slice(i + 1, j) });
      i = j;
    } else if (c === '@') {
      // A feature gate such as `@since(version = 0.2.0)`: not part of the shape.
      let j = i + 1;
      while (j < n && /[A-Za-z-]/.test(text[j])) j++;
      while (j < n && /\s/.test(text[j])) j++;
      if (text[j] === '(') {
        while (j < n && text[j] !== ')') j++;
        j++;
      }
      i = j;
    } else if (/[A-Za-z_%]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_-]/.test(text[j])) j++;
      tokens.push({ kind: 'word', value: text.slice(i, j).replace(/^%/, '') });
      i = j;
    } else if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < n && /[0-9]/.test(text[j])) j++;
      tokens.push({ kind: 'word', value: text.slice(i, j) });
      i = j;
    } else if ('{}()<>,:;./=*'.includes(c)) {
      tokens.push({ kind: 'punct', value: c });
      i++;
    } else {
      throw new Error(`witShape: unexpected character ${JSON.stringify(c)} at offset ${i}`);
    }
  }
  return tokens;
}

// The canonical spelling of a run of tokens: `, ` and `: ` and ` -> `, a
// space between two words, nothing else; trailing commas dropped.
function join(tokens) {
  let out = '';
  tokens.forEach((t, k) => {
    const next = tokens[k + 1];
    if (t.value === ',' && (!next || ['}', ')', '>'].includes(next.value))) return;
    const prev = tokens[k - 1];
    if (t.value === '->' || t.value === '=') out += ` ${t.value} `;
    else if (t.value === ',' || t.value === ':') out += `${t.value} `;
    else {
      if (prev && t.kind === 'word' && prev.kind === 'word') out += ' ';
      out += t.value;
    }
  });
  return out.replace(/ +$/, '').replace(/ {2,}/g, ' ');
}

class Parser {
  constructor(text) {
    this.tokens = tokenize(text);
    this.pos = 0;
    this.pkg = null; // { ns, name, version } of the enclosing package
    this.shape = { imports: [], exports: [], functions: {}, types: {} };
  }

  peek(offset = 0) {
    return this.tokens[this.pos + offset];
  }

  at(value, offset = 0) {
    const t = this.peek(offset);
    return t !== undefined && t.value === value;
  }

  next() {
    const t = this.tokens[this.pos++];
    if (t === undefined) throw new Error('witShape: unexpected end of text');
    return t;
  }

  expect(value) {
    const t = this.next();
    if (t.value !== value) {
      throw new Error(`witShape: expected ${JSON.stringify(value)}, found ${JSON.stringify(t.value)} (token ${this.pos - 1})`);
    }
    return t;
  }

  word() {
    const t = this.next();
    if (t.kind !== 'word') throw new Error(`witShape: expected a name, found ${JSON.stringify(t.value)}`);
    return t.value;
  }

  // Tokens up to (not including) the `stop` that closes this level.
  balanced(stop) {
    const start = this.pos;
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (t === undefined) throw new Error(`witShape: missing ${JSON.stringify(stop)}`);
      if (depth === 0 && t.value === stop) break;
      if (t.value === '{' || t.value === '(' || t.value === '<') depth++;
      if (t.value === '}' || t.value === ')' || t.value === '>') depth--;
      this.pos++;
    }
    return this.tokens.slice(start, this.pos);
  }

  // `ns:pkg@ver` after `package`.
  packageName() {
    const ns = this.word();
    this.expect(':');
    const name = this.word();
    let version = null;
    if (this.at('@')) {
      this.next();
      version = this.next().value;
    }
    return { ns, name, version };
  }

  // `iface`, or `ns:pkg/iface@ver`; a bare name is an interface of the
  // enclosing package.
  interfacePath() {
    const first = this.word();
    if (!this.at(':')) return this.qualify(first);
    this.next();
    const name = this.word();
    this.expect('/');
    const iface = this.word();
    let path = `${first}:${name}/${iface}`;
    if (this.at('@')) {
      this.next();
      path += `@${this.next().value}`;
    }
    return path;
  }

  qualify(iface) {
    if (!this.pkg) return iface;
    const { ns, name, version } = this.pkg;
    return `${ns}:${name}/${iface}${version ? `@${version}` : ''}`;
  }

  addFunction(scope, name, signature) {
    (this.shape.functions[scope] ??= {})[name] = signature;
  }

  addType(scope, name, description) {
    (this.shape.types[scope] ??= {})[name] = description;
  }

  parseFile() {
    while (this.peek()) {
      if (this.at('package')) {
        this.next();
        const pkg = this.packageName();
        if (this.at(';')) {
          this.next();
          this.pkg = pkg;
          continue;
        }
        // `package ns:pkg { .. }`: a nested package, scoped to its block.
        const outer = this.pkg;
        this.pkg = pkg;
        this.expect('{');
        while (!this.at('}')) this.parseTopItem();
        this.expect('}');
        this.pkg = outer;
        continue;
      }
      this.parseTopItem();
    }
    this.shape.imports.sort();
    this.shape.exports.sort();
    return this.shape;
  }

  parseTopItem() {
    const t = this.word();
    if (t === 'interface') {
      const scope = this.qualify(this.word());
      this.expect('{');
      this.parseInterfaceBody(scope);
      this.expect('}');
    } else if (t === 'world') {
      this.word();
      this.expect('{');
      this.parseWorldBody();
      this.expect('}');
    } else if (t === 'use') {
      this.balanced(';'); // `use a:b/c as d;` at top level names nothing we compare
      this.expect(';');
    } else {
      throw new Error(`witShape: unexpected ${JSON.stringify(t)} at top level`);
    }
  }

  parseWorldBody() {
    while (!this.at('}')) {
      const t = this.peek().value;
      if (t === 'import' || t === 'export') {
        this.next();
        this.parseWorldItem(t);
      } else if (t === 'include') {
        this.balanced(';');
        this.expect(';');
      } else {
        // use / type / record / resource ... at world level: types the
        // world imports.
        this.parseTypeOrFunc(WORLD_IMPORT, true);
      }
    }
  }

  parseWorldItem(direction) {
    const list = direction === 'import' ? this.shape.imports : this.shape.exports;
    const worldScope = direction === 'import' ? WORLD_IMPORT : WORLD_EXPORT;
    // `name: func(..)` or `name: interface { .. }` versus an interface path
    // (whose `:` is followed by `pkg/`).
    if (this.peek().kind === 'word' && this.at(':', 1) && ['func', 'async', 'interface'].includes(this.peek(2)?.value) && !this.at('/', 3)) {
      const name = this.word();
      this.expect(':');
      if (this.at('interface')) {
        this.next();
        this.expect('{');
        this.parseInterfaceBody(name);
        this.expect('}');
      } else {
        this.addFunction(worldScope, name, join(this.balanced(';')));
        this.expect(';');
      }
      list.push(name);
      return;
    }
    list.push(this.interfacePath());
    this.expect(';');
  }

  parseInterfaceBody(scope) {
    while (!this.at('}')) this.parseTypeOrFunc(scope, false);
  }

  // One item of an interface (or the types of a world).
  parseTypeOrFunc(scope, inWorld) {
    const t = this.peek();
    if (t.kind === 'word' && this.at(':', 1)) {
      if (inWorld) throw new Error(`witShape: ${t.value}: a world item needs import or export`);
      const name = this.word();
      this.expect(':');
      this.addFunction(scope, name, join(this.balanced(';')));
      this.expect(';');
      return;
    }
    const keyword = this.word();
    switch (keyword) {
      case 'use': {
        const from = this.interfacePath();
        this.expect('.');
        this.expect('{');
        while (!this.at('}')) {
          const orig = this.word();
          let local = orig;
          if (this.at('as')) {
            this.next();
            local = this.word();
          }
          this.addType(scope, local, `use ${from}.${orig}`);
          if (this.at(',')) this.next();
        }
        this.expect('}');
        this.expect(';');
        return;
      }
      case 'type': {
        const name = this.word();
        this.expect('=');
        this.addType(scope, name, `type ${join(this.balanced(';'))}`);
        this.expect(';');
        return;
      }
      case 'record':
      case 'variant':
      case 'enum':
      case 'flags': {
        const name = this.word();
        this.expect('{');
        this.addType(scope, name, `${keyword}{${join(this.balanced('}'))}}`);
        this.expect('}');
        return;
      }
      case 'resource': {
        const name = this.word();
        this.addType(scope, name, 'resource');
        if (this.at(';')) {
          this.next();
          return;
        }
        this.expect('{');
        while (!this.at('}')) this.parseResourceFunc(scope, name);
        this.expect('}');
        return;
      }
      default:
        throw new Error(`witShape: unexpected ${JSON.stringify(keyword)} in ${scope}`);
    }
  }

  parseResourceFunc(scope, resource) {
    if (this.at('constructor')) {
      const sig = join(this.balanced(';'));
      this.expect(';');
      this.addFunction(scope, `[constructor]${resource}`, sig);
      return;
    }
    const name = this.word();
    this.expect(':');
    const tokens = this.balanced(';');
    this.expect(';');
    if (tokens[0]?.value === 'static') {
      this.addFunction(scope, `[static]${resource}.${name}`, join(tokens.slice(1)));
    } else {
      this.addFunction(scope, `[method]${resource}.${name}`, join(tokens));
    }
  }
}

export function witShape(text) {
  return new Parser(text).parseFile();
}
