// A plan's types (docs/plan.md "Type references") as WIT-like text: for
// error messages, the CLI and the demos. Records and variants print
// structurally, since the plan does not keep their names.

/** @param {{ types: object[], resources: object[] }} plan */
export function witType(plan, ref) {
  if (ref === null || ref === undefined) return '_';
  if (typeof ref === 'string') return ref;
  const t = plan.types[ref];
  if (!t) return `type#${ref}`;
  const T = (u) => witType(plan, u);
  const resource = (r) => plan.resources[r]?.name || `resource#${r}`;
  switch (t.kind) {
    case 'record':
      return `record { ${t.fields.map(([n, u]) => `${n}: ${T(u)}`).join(', ')} }`;
    case 'variant':
      return `variant { ${t.cases.map(([n, u]) => (u === null ? n : `${n}(${T(u)})`)).join(', ')} }`;
    case 'list':
    case 'option':
      return `${t.kind}<${T(t.element)}>`;
    case 'tuple':
      return `tuple<${t.elements.map(T).join(', ')}>`;
    case 'flags':
    case 'enum':
      return `${t.kind} { ${t.labels.join(', ')} }`;
    case 'result':
      if (t.ok === null && t.err === null) return 'result';
      if (t.err === null) return `result<${T(t.ok)}>`;
      return `result<${T(t.ok)}, ${T(t.err)}>`;
    case 'own':
      return resource(t.resource);
    case 'borrow':
      return `borrow<${resource(t.resource)}>`;
    case 'resource':
      return `resource ${resource(t.resource)}`;
    case 'func': {
      const params = t.params.map(([n, u]) => `${n}: ${T(u)}`).join(', ');
      return `func(${params})${t.result === null ? '' : ` -> ${T(t.result)}`}`;
    }
    default:
      return t.kind;
  }
}
