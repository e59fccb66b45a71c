# Checks the canonical ABI layouts in compoly's plans against the spec's own program,
# design/mvp/canonical-abi/definitions.py of WebAssembly/component-model (not part of this
# repository: pass the folder that holds it). Reads plans as JSON lines ({"name", "types"},
# what run.mjs writes) on stdin; for every value type, compares its size, alignment and
# flattening, and for every func type its lift and lower core signatures (flatten_functype).
#
#   python3 check.py DEFINITIONS_DIR < plans.jsonl
import json, sys
sys.path.insert(0, sys.argv[1])
import definitions as d

PRIMS = {'bool': d.BoolType, 's8': d.S8Type, 'u8': d.U8Type, 's16': d.S16Type, 'u16': d.U16Type,
         's32': d.S32Type, 'u32': d.U32Type, 's64': d.S64Type, 'u64': d.U64Type, 'f32': d.F32Type,
         'f64': d.F64Type, 'char': d.CharType, 'string': d.StringType}

class R:  # a stand-in resource type: handles lay out the same whatever the resource
  pass

def build(types, ref, memo):
  if ref is None: return None
  if isinstance(ref, str): return PRIMS[ref]()
  if ref in memo: return memo[ref]
  t = types[ref]; k = t['kind']
  b = lambda r: build(types, r, memo)
  if k == 'record': v = d.RecordType([d.FieldType(n, b(x)) for n, x in t['fields']])
  elif k == 'variant': v = d.VariantType([d.CaseType(n, b(x)) for n, x in t['cases']])
  elif k == 'list': v = d.ListType(b(t['element']))
  elif k == 'option': v = d.OptionType(b(t['element']))
  elif k == 'tuple': v = d.TupleType([b(x) for x in t['elements']])
  elif k == 'flags': v = d.FlagsType(t['labels'])
  elif k == 'enum': v = d.EnumType(t['labels'])
  elif k == 'result': v = d.ResultType(b(t['ok']), b(t['err']))
  elif k == 'own': v = d.OwnType(R())
  elif k == 'borrow': v = d.BorrowType(R())
  elif k == 'func':
    v = d.FuncType([(n, b(x)) for n, x in t['params']], [] if t['result'] is None else [b(t['result'])])
  else: v = None
  memo[ref] = v
  return v

opts = d.CanonicalOptions(memory=d.MemInst(bytearray(), 'i32'))
checked = bad = 0
for line in sys.stdin:
  plan = json.loads(line); types = plan['types']; memo = {}
  for i, t in enumerate(types):
    v = build(types, i, memo)
    if v is None: continue
    problems = []
    if isinstance(v, d.FuncType):
      for ctx in ('lift', 'lower'):
        ours = t[ctx]
        # the spec's flattening, with the memory-spilling rule applied
        p = d.flatten_types(v.param_types(), opts); r = d.flatten_types(v.result_type(), opts)
        pim = len(p) > d.MAX_FLAT_PARAMS; rim = len(r) > d.MAX_FLAT_RESULTS
        ft = d.flatten_functype(opts, v, ctx)
        want = {'params': ft.params, 'results': ft.results, 'paramsInMemory': pim, 'resultInMemory': rim}
        got = {k2: ours[k2] for k2 in want}
        if got != want: problems.append(f'{ctx}: ours {got}, spec {want}')
    else:
      size = d.elem_size(v, 'i32'); align = d.alignment(v, 'i32'); flat = d.flatten_type(v, opts)
      if t.get('size') != size or t.get('align') != align: problems.append(f'size/align ours {t.get("size")}/{t.get("align")}, spec {size}/{align}')
      if t.get('flatTooLong'):
        if len(flat) <= d.MAX_FLAT_PARAMS: problems.append(f'flatTooLong but spec flat has {len(flat)}')
      elif t.get('flat') != flat: problems.append(f'flat ours {t.get("flat")}, spec {flat}')
    checked += 1
    if problems:
      bad += 1
      if bad <= 30: print(plan['name'], i, t['kind'], '; '.join(problems))
print(f'checked {checked} types, {bad} differ')
