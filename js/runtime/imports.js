// Finding a host import by the component's import name: exact, then without
// the version, then any semver-compatible version (0.2.3 satisfies 0.2.0 —
// components mix WASI patch versions).
import { camelCase, parseInterfaceName } from './names.js';

function compatible(a, b) {
  const pa = a.split(/[.+-]/);
  const pb = b.split(/[.+-]/);
  if (pa[0] !== pb[0]) return false;
  if (pa[0] === '0') return pa[1] === pb[1];
  return true;
}

export function findImport(imports, name) {
  if (imports == null) return undefined;
  if (name in imports) return imports[name];
  const parsed = parseInterfaceName(name);
  if (!parsed) return imports[camelCase(name)];
  const bare = `${parsed.pkg}/${parsed.iface}`;
  if (bare in imports) return imports[bare];
  if (parsed.version) {
    for (const key of Object.keys(imports)) {
      const other = parseInterfaceName(key);
      if (other && other.pkg === parsed.pkg && other.iface === parsed.iface && other.version && compatible(other.version, parsed.version)) {
        return imports[key];
      }
    }
  }
  return undefined;
}
