// jco's naming of component names in JS: kebab-case becomes lowerCamelCase
// for functions, fields and flags, UpperCamelCase for resource classes.

const cache = new Map();

export function camelCase(kebab) {
  let out = cache.get(kebab);
  if (out === undefined) {
    const words = kebab.split('-');
    out = words[0].toLowerCase();
    for (let i = 1; i < words.length; i++) {
      const w = words[i];
      // An all-uppercase word (an acronym, allowed by the name grammar) stays upper case.
      out += w === w.toUpperCase() ? w : w[0].toUpperCase() + w.slice(1);
    }
    cache.set(kebab, out);
  }
  return out;
}

export function upperCamelCase(kebab) {
  const c = camelCase(kebab);
  return c[0].toUpperCase() + c.slice(1);
}

/** `wasi:cli/stdout@0.2.0` → `{ pkg: 'wasi:cli', iface: 'stdout', version: '0.2.0' }`, or null for plain names. */
export function parseInterfaceName(name) {
  const m = /^([^:/@]+:[^/@]+)\/([^@]+)(?:@(.+))?$/.exec(name);
  return m ? { pkg: m[1], iface: m[2], version: m[3] ?? null } : null;
}

/** The short export key jco uses: the interface's last segment, camelCased; plain names camelCased. */
export function shortExportName(name) {
  const parsed = parseInterfaceName(name);
  return camelCase(parsed ? parsed.iface : name);
}

/** `[method]output-stream.write` → `{ kind: 'method', resource: 'output-stream', name: 'write' }`. */
export function parseFuncName(name) {
  let m = /^\[constructor\](.+)$/.exec(name);
  if (m) return { kind: 'constructor', resource: m[1], name: m[1] };
  m = /^\[(method|static)\]([^.]+)\.(.+)$/.exec(name);
  if (m) return { kind: m[1], resource: m[2], name: m[3] };
  return { kind: 'func', resource: null, name };
}
