#include "abi/layout.h"

#include <algorithm>
#include <iterator>
#include <utility>

namespace compoly {

namespace {

constexpr uint64_t kSaturated = UINT32_MAX;

// All arithmetic is on uint64_t with operands clamped to kSaturated, so a
// sum or a product by a small factor cannot wrap.
uint64_t clamp(uint64_t v) { return v > kSaturated ? kSaturated : v; }

uint64_t align_to(uint64_t offset, uint64_t align) { return clamp((offset + align - 1) / align * align); }

// Flat lists are built in the layout they belong to, keeping at most kFlatKept entries.
void push_flat(ValueLayout& l, CoreValType t) {
  if (l.flat.count < kFlatKept)
    l.flat.types[l.flat.count++] = t;
  else
    l.flat_truncated = true;
}

void append_flat(ValueLayout& l, const ValueLayout& from) {
  for (CoreValType t : from.flat) push_flat(l, t);
  if (from.flat_truncated) l.flat_truncated = true;
}

// The member types of a record, tuple, variant, enum, option or result, in
// order (kNoType for a case without payload), read from the type in place.
struct Members {
  const Type& t;
  size_t size() const {
    switch (t.kind) {
      case TypeKind::Tuple: return t.elements.size();
      case TypeKind::Enum: return t.labels.size();
      case TypeKind::Option:
      case TypeKind::Result: return 2;
      default: return t.fields.size();
    }
  }
  TypeId operator[](size_t i) const {
    switch (t.kind) {
      case TypeKind::Tuple: return t.elements[i];
      case TypeKind::Enum: return kNoType;
      case TypeKind::Option: return i == 0 || t.elements.empty() ? kNoType : t.elements[0];
      case TypeKind::Result: return i == 0 ? t.ok : t.err;
      default: return t.fields[i].type;
    }
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

// A string is a (pointer, length) pair, as is a list.
void pointer_and_length(ValueLayout& l) {
  l.size = 8;
  l.align = 4;
  push_flat(l, CoreValType::I32);
  push_flat(l, CoreValType::I32);
}

// The scalar primitives' size (which is also their alignment) and flat type,
// by 0x7f - PrimType: bool, s8, u8, s16, u16, s32, u32, s64, u64, f32, f64, char.
struct ScalarLayout {
  uint8_t size;
  CoreValType flat;
};
constexpr ScalarLayout kScalarLayouts[] = {
    {1, CoreValType::I32}, {1, CoreValType::I32}, {1, CoreValType::I32}, {2, CoreValType::I32},
    {2, CoreValType::I32}, {4, CoreValType::I32}, {4, CoreValType::I32}, {8, CoreValType::I64},
    {8, CoreValType::I64}, {4, CoreValType::F32}, {8, CoreValType::F64}, {4, CoreValType::I32},
};
static_assert(0x7f - int(PrimType::Char) == 11 && 0x7f - int(PrimType::String) == 12);

void prim_layout(PrimType p, ValueLayout& l) {
  if (p == PrimType::String) return pointer_and_length(l);
  const size_t i = size_t(0x7f - int(p));
  if (i >= std::size(kScalarLayouts)) return;  // not a primitive: the empty layout
  l.size = l.align = kScalarLayouts[i].size;
  push_flat(l, kScalarLayouts[i].flat);
}

}  // namespace

LayoutCache::LayoutCache(const TypeArena& arena) : arena_(arena) {}

const ValueLayout& LayoutCache::view(TypeId t) { return entry(t).layout; }

uint32_t LayoutCache::max_nested_size(TypeId t) { return entry(t).max_nested; }

const LayoutCache::Entry& LayoutCache::entry(TypeId t) {
  if (t == kNoType || t >= arena_.size() || !arena_.is_value_type(t)) return none_;
  if (entries_.size() < arena_.size()) entries_.resize(arena_.size());
  if (!entries_[t].computed) {
    // compute() recurses into entry(), which may resize entries_ (the arena
    // can have grown): index again afterwards.
    Entry e = compute(t);
    e.computed = true;
    entries_[t] = e;
  }
  return entries_[t];
}

LayoutCache::Entry LayoutCache::compute(TypeId id) {
  // Holding a reference into the arena across the recursion is safe: we
  // never add to it (only callers between calls do).
  const Type& t = arena_.get(id);
  Entry out;
  ValueLayout& l = out.layout;
  uint64_t max_nested = 0;

  switch (t.kind) {
    case TypeKind::Prim: prim_layout(t.prim, l); break;
    case TypeKind::Record:
    case TypeKind::Tuple:
    case TypeKind::Variant:
    case TypeKind::Enum:
    case TypeKind::Option:
    case TypeKind::Result: {
      // Records and tuples: the members in order, each at its alignment. Variants (and enum,
      // option, result): a discriminant, then the payload at the largest case alignment; flat,
      // the discriminant's i32 then the cases' flat lists joined entry by entry.
      const bool variant = t.kind != TypeKind::Record && t.kind != TypeKind::Tuple;
      const Members members{t};
      const size_t n = members.size();
      uint64_t size = 0;  // a record's so far, a variant's largest case
      uint32_t align = 1;
      if (variant) push_flat(l, CoreValType::I32);
      for (size_t i = 0; i < n; ++i) {
        if (members[i] == kNoType) continue;  // a case without payload
        const Entry& e = entry(members[i]);
        size = variant ? std::max<uint64_t>(size, e.layout.size) : clamp(align_to(size, e.layout.align) + e.layout.size);
        align = std::max(align, e.layout.align);
        max_nested = std::max<uint64_t>(max_nested, e.max_nested);
        const FlatPrefix& f = e.layout.flat;
        for (size_t k = 0; k < f.size(); ++k) {
          // A variant's payload value k is flat entry k + 1, after the discriminant.
          if (variant && k + 1 < l.flat.size())
            l.flat[k + 1] = join(l.flat[k + 1], f[k]);
          else
            push_flat(l, f[k]);
        }
        if (e.layout.flat_truncated) l.flat_truncated = true;
      }
      if (variant) {
        const uint32_t disc = discriminant_size(n);
        size = clamp(align_to(disc, align) + size);
        align = std::max(disc, align);
      }
      l.size = uint32_t(align_to(size, align));
      l.align = align;
      break;
    }
    case TypeKind::List: {
      // Only (pointer, length) is stored inline; the element's own size
      // still counts for the 2^28 rule.
      if (!t.elements.empty()) max_nested = entry(t.elements[0]).max_nested;
      pointer_and_length(l);
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
      for (size_t i = 0; i < (n + 31) / 32 && !l.flat_truncated; ++i) push_flat(l, CoreValType::I32);
      break;
    }
    case TypeKind::Own:
    case TypeKind::Borrow:
      l.size = 4;
      l.align = 4;
      push_flat(l, CoreValType::I32);
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

  ValueLayout params;
  for (const Field& p : ft.fields) append_flat(params, cache.view(p.type));
  ValueLayout results;
  if (ft.ok != kNoType) append_flat(results, cache.view(ft.ok));

  if (params.flat_truncated || params.flat.size() > kMaxFlatParams) {
    out.params_in_memory = true;
    out.flat_params.push_back(CoreValType::I32);
  } else {
    for (CoreValType v : params.flat) out.flat_params.push_back(v);
  }
  if (results.flat_truncated || results.flat.size() > kMaxFlatResults) {
    out.result_in_memory = true;
    if (context == AbiContext::Lift) {
      out.flat_results.push_back(CoreValType::I32);
    } else {
      out.flat_params.push_back(CoreValType::I32);
    }
  } else {
    for (CoreValType v : results.flat) out.flat_results.push_back(v);
  }
  return out;
}

bool value_size_ok(LayoutCache& cache, TypeId t) { return cache.max_nested_size(t) < kMaxValueSize; }

}  // namespace compoly
