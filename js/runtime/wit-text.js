// Types of the plan as WIT-like text, for error messages.

export function witType(types, ref) {
  if (ref === null || ref === undefined) return '_';
  if (typeof ref === 'string') return ref;
  const t = types.raw[ref];
  switch (t.kind) {
    case 'record':
      return `record { ${t.fields.map(([n, ty]) => `${n}: ${witType(types, ty)}`).join(', ')} }`;
    case 'variant':
      return `variant { ${t.cases.map(([n, ty]) => (ty === null ? n : `${n}(${witType(types, ty)})`)).join(', ')} }`;
    case 'list':
      return `list<${witType(types, t.element)}>`;
    case 'option':
      return `option<${witType(types, t.element)}>`;
    case 'tuple':
      return `tuple<${t.elements.map((e) => witType(types, e)).join(', ')}>`;
    case 'flags':
      return `flags { ${t.labels.join(', ')} }`;
    case 'enum':
      return `enum { ${t.labels.join(', ')} }`;
    case 'result':
      if (t.ok === null && t.err === null) return 'result';
      if (t.err === null) return `result<${witType(types, t.ok)}>`;
      return `result<${witType(types, t.ok)}, ${witType(types, t.err)}>`;
    case 'own':
      return types.resources[t.resource]?.name ?? 'resource';
    case 'borrow':
      return `borrow<${types.resources[t.resource]?.name ?? 'resource'}>`;
    default:
      return t.kind;
  }
}

export function witFunc(types, ref) {
  const t = types.raw[ref];
  const params = t.params.map(([n, ty]) => `${n}: ${witType(types, ty)}`).join(', ');
  return `func(${params})${t.result === null ? '' : ` -> ${witType(types, t.result)}`}`;
}
