#include "abi/layout.h"

#include <algorithm>

namespace compoly {

namespace {

constexpr uint64_t kSaturated = UINT32_MAX;
constexpr size_t kFlatKept = kMaxFlatParams + 1;

// All arithmetic is on uint64_t with operands clamped to kSaturated, so a
// sum or a product by a small factor cannot wrap.
uint64_t clamp(uint64_t v) { return v > kSaturated ? kSaturated : v; }

uint64_t align_to(uint64_t offset, uint64_t align) { return clamp((offset + align - 1) / align * align); }

// Accumulates a flat list, keeping at most kFlatKept entries.
struct FlatBuilder {
  std::vector<CoreValType> flat;
  bool truncated = false;

  void push(CoreValType t) {
    if (flat.size() < kFlatKept)
      flat.push_back(t);
    else
      truncated = true;
  }
  void append(const ValueLayout& l) {
    for (CoreValType t : l.flat) push(t);
    if (l.flat_truncated) truncated = true;
  }
};

// definitions.py `join`: the core type able to hold either case's value.
CoreValType join(CoreValType a, CoreValType b) {
  if (a == b) return a;
  if ((a == CoreValType::I32 && b == CoreValType::F32) || (a == CoreValType::F32 && b == CoreValType::I32))
    return CoreValType::I32;
  return CoreValType::I64;
}

// discriminant_type: u8 up to 256 cases, u16 up to 65536, else u32. Returns
// its byte size (which is also its alignment).
uint32_t discriminant_size(size_t cases) {
  if (cases <= 256) return 1;
  if (cases <= 65536) return 2;
  return 4;
}

ValueLayout prim_layout(PrimType p) {
  ValueLayout l;
  auto scalar = [&](uint32_t size, CoreValType flat) {
    l.size = size;
    l.align = size;
    l.flat = {flat};
  };
  switch (p) {
    case PrimType::Bool:
    case PrimType::S8:
    case PrimType::U8: scalar(1, CoreValType::I32); break;
    case PrimType::S16:
    case PrimType::U16: scalar(2, CoreValType::I32); break;
    case PrimType::S32:
    case PrimType::U32:
    case PrimType::Char: scalar(4, CoreValType::I32); break;
    case PrimType::S64:
    case PrimType::U64: scalar(8, CoreValType::I64); break;
    case PrimType::F32: scalar(4, CoreValType::F32); break;
    case PrimType::F64: scalar(8, CoreValType::F64); break;
    case PrimType::String:
      l.size = 8;
      l.align = 4;
      l.flat = {CoreValType::I32, CoreValType::I32};
      break;
  }
  return l;
}

}  // namespace

LayoutCache::LayoutCache(const TypeArena& arena) : arena_(arena) {}

const ValueLayout& LayoutCache::of(TypeId t) { return entry(t).layout; }

uint32_t LayoutCache::max_nested_size(TypeId t) { return entry(t).max_nested; }

const LayoutCache::Entry& LayoutCache::entry(TypeId t) {
  if (t == kNoType || t >= arena_.size() || !arena_.is_value_type(t)) return invalid_;
  if (entries_.size() < arena_.size()) entries_.resize(arena_.size());
  if (!entries_[t]) {
    // compute() recurses into entry() for component types, which may resize
    // entries_ (the arena can have grown); index again afterwards.
    Entry e = compute(t);
    entries_[t] = std::make_unique<Entry>(std::move(e));
  }
  return *entries_[t];
}

LayoutCache::Entry LayoutCache::compute(TypeId id) {
  // Holding a reference into the arena across the recursion is safe: we
  // never add to it (only callers between calls do).
  const Type& t = arena_.get(id);
  const TypeKind kind = t.kind;
  Entry out;
  ValueLayout& l = out.layout;
  uint64_t max_nested = 0;

  // Records and tuples: fields in order, each at its alignment.
  auto record = [&](const std::vector<TypeId>& members) {
    uint64_t size = 0;
    uint32_t align = 1;
    FlatBuilder flat;
    for (TypeId m : members) {
      const Entry& e = entry(m);
      size = align_to(size, e.layout.align);
      size = clamp(size + e.layout.size);
      align = std::max(align, e.layout.align);
      flat.append(e.layout);
      max_nested = std::max<uint64_t>(max_nested, e.max_nested);
    }
    l.size = uint32_t(align_to(size, align));
    l.align = align;
    l.flat = std::move(flat.flat);
    l.flat_truncated = flat.truncated;
  };

  // Variants (and enum, option, result): discriminant, then the payload at
  // the largest case alignment; flat = discriminant i32 + joined payloads.
  // kNoType marks a case without payload.
  auto variant = [&](const std::vector<TypeId>& cases) {
    const uint32_t disc = discriminant_size(cases.size());
    uint32_t case_align = 1;
    uint64_t case_size = 0;
    FlatBuilder payload;
    for (TypeId c : cases) {
      if (c == kNoType) continue;
      const Entry& e = entry(c);
      case_align = std::max(case_align, e.layout.align);
      case_size = std::max<uint64_t>(case_size, e.layout.size);
      max_nested = std::max<uint64_t>(max_nested, e.max_nested);
      const auto& f = e.layout.flat;
      for (size_t i = 0; i < f.size(); ++i) {
        if (i < payload.flat.size())
          payload.flat[i] = join(payload.flat[i], f[i]);
        else
          payload.push(f[i]);
      }
      if (e.layout.flat_truncated) payload.truncated = true;
    }
    uint64_t size = align_to(disc, case_align);
    size = clamp(size + case_size);
    const uint32_t align = std::max(disc, case_align);
    l.size = uint32_t(align_to(size, align));
    l.align = align;
    FlatBuilder flat;
    flat.push(CoreValType::I32);
    for (CoreValType v : payload.flat) flat.push(v);
    l.flat = std::move(flat.flat);
    l.flat_truncated = flat.truncated || payload.truncated;
  };

  switch (kind) {
    case TypeKind::Prim: l = prim_layout(t.prim); break;
    case TypeKind::Record: {
      std::vector<TypeId> members;
      for (const Field& f : t.fields) members.push_back(f.type);
      record(members);
      break;
    }
    case TypeKind::Tuple: record(t.elements); break;
    case TypeKind::Variant: {
      std::vector<TypeId> cases;
      for (const Field& f : t.fields) cases.push_back(f.type);
      variant(cases);
      break;
    }
    case TypeKind::Enum: variant(std::vector<TypeId>(t.labels.size(), kNoType)); break;
    case TypeKind::Option: {
      std::vector<TypeId> cases = {kNoType, t.elements.empty() ? kNoType : t.elements[0]};
      variant(cases);
      break;
    }
    case TypeKind::Result: {
      std::vector<TypeId> cases = {t.ok, t.err};
      variant(cases);
      break;
    }
    case TypeKind::List: {
      // Only (pointer, length) is stored inline; the element's own size
      // still counts for the 2^28 rule.
      if (!t.elements.empty() && t.elements[0] != kNoType)
        max_nested = entry(t.elements[0]).max_nested;
      l.size = 8;
      l.align = 4;
      l.flat = {CoreValType::I32, CoreValType::I32};
      break;
    }
    case TypeKind::Flags: {
      // Up to 32 labels as in definitions.py; beyond that, the older
      // spec's packing in 32-bit words (validation may forbid it anyway).
      const size_t n = t.labels.size();
      if (n == 0) {
        l.size = 0;
        l.align = 1;
      } else if (n <= 8) {
        l.size = l.align = 1;
      } else if (n <= 16) {
        l.size = l.align = 2;
      } else {
        l.size = uint32_t(clamp(4 * ((uint64_t(n) + 31) / 32)));
        l.align = 4;
      }
      FlatBuilder flat;
      for (size_t i = 0; i < (n + 31) / 32 && !flat.truncated; ++i) flat.push(CoreValType::I32);
      l.flat = std::move(flat.flat);
      l.flat_truncated = flat.truncated;
      break;
    }
    case TypeKind::Own:
    case TypeKind::Borrow:
      l.size = 4;
      l.align = 4;
      l.flat = {CoreValType::I32};
      break;
    default: break;  // unreachable: entry() admits value types only
  }
  out.max_nested = uint32_t(std::max<uint64_t>(max_nested, l.size));
  return out;
}

FuncLayout func_layout(LayoutCache& cache, const TypeArena& arena, TypeId func_type, AbiContext context) {
  FuncLayout out;
  if (func_type == kNoType || func_type >= arena.size() || arena.get(func_type).kind != TypeKind::Func) return out;
  const Type& ft = arena.get(func_type);

  FlatBuilder params;
  for (const Field& p : ft.fields) params.append(cache.of(p.type));
  FlatBuilder results;
  if (ft.ok != kNoType) results.append(cache.of(ft.ok));

  if (params.truncated || params.flat.size() > kMaxFlatParams) {
    out.params_in_memory = true;
    out.flat_params = {CoreValType::I32};
  } else {
    out.flat_params = std::move(params.flat);
  }
  if (results.truncated || results.flat.size() > kMaxFlatResults) {
    out.result_in_memory = true;
    if (context == AbiContext::Lift) {
      out.flat_results = {CoreValType::I32};
    } else {
      out.flat_params.push_back(CoreValType::I32);
    }
  } else {
    out.flat_results = std::move(results.flat);
  }
  return out;
}

bool value_size_ok(LayoutCache& cache, TypeId t) { return cache.max_nested_size(t) < kMaxValueSize; }

}  // namespace compoly
