// Stand-ins for the WASI imports a test component lists but the test never
// calls (wit-bindgen's runtime fixtures import wasi:cli, io, filesystem…):
// every function throws if it is called after all.
import { parseFuncName, upperCamelCase, camelCase } from '../../../js/runtime/names.js';

export function wasiStandIns(component) {
  const imports = {};
  for (const item of component.plan.imports) {
    if (!item.name.startsWith('wasi:') || item.kind !== 'instance') continue;
    const iface = {};
    for (const f of item.items) {
      if (f.kind === 'type') {
        iface[upperCamelCase(f.name)] ??= class {};
        continue;
      }
      if (f.kind !== 'func') continue;
      const parsed = parseFuncName(f.name);
      const fail = () => {
        throw new Error(`stand-in for ${item.name} ${f.name} was called`);
      };
      if (parsed.kind === 'func') iface[camelCase(parsed.name)] = fail;
      else if (parsed.kind === 'static') (iface[upperCamelCase(parsed.resource)] ??= class {})[camelCase(parsed.name)] = fail;
    }
    imports[item.name] = iface;
  }
  return imports;
}
