// Canonical ABI memory layout and flattening of component value types
// (CanonicalABI.md: "Alignment", "Element Size", "Flattening"), for the
// synchronous ABI with 32-bit memories only. The JS runtime lifts and lowers
// values with exactly these offsets and core signatures, so they must match
// definitions.py bit for bit.
#pragma once

#include <cstddef>
#include <cstdint>

#include "model/core_types.h"
#include "model/pod_vector.h"
#include "model/types.h"

namespace compoly {

constexpr size_t kMaxFlatParams = 16;
constexpr size_t kMaxFlatResults = 1;

// Binary.md: validation requires elem_size(t) < 2^28 for every defvaltype.
constexpr uint64_t kMaxValueSize = uint64_t(1) << 28;

// A flat list of core types, as a function type has it.
using FlatList = CoreValTypes;
// Only the first kMaxFlatParams + 1 entries of a value's flattening ever matter (any more
// spill to memory): a value's layout keeps that many in place (FlatPrefix), and a function's
// flat lists hold no more either.
constexpr size_t kFlatKept = kMaxFlatParams + 1;
static_assert(FlatList::kInPlace >= kFlatKept);

// The first kFlatKept core types of a flattening. Plain bytes, so that layouts (computed for
// every value type, cached in a table of them) are copied and stored without calls.
struct FlatPrefix {
  uint8_t count = 0;
  CoreValType types[kFlatKept] = {};

  size_t size() const { return count; }
  bool empty() const { return count == 0; }
  const CoreValType* begin() const { return types; }
  const CoreValType* end() const { return types + count; }
  CoreValType operator[](size_t i) const { return types[i]; }
  CoreValType& operator[](size_t i) { return types[i]; }
};

struct ValueLayout {
  // Saturates at UINT32_MAX: a crafted type can describe sizes far beyond
  // 2^32, and wrapping would make it look small (value_size_ok rejects it).
  uint32_t size = 0;
  uint32_t align = 1;
  // The flattened core types. A type that flattens to more than
  // kMaxFlatParams values can never be passed flat (it always spills to
  // memory), so only the first kMaxFlatParams + 1 are kept and
  // flat_truncated is set: keeping them all would be exponential in memory
  // for tuples of tuples. The kept entries are the exact prefix.
  FlatPrefix flat;
  bool flat_truncated = false;
};

// Memoised per TypeId; the arena may grow while the cache is alive (new ids
// are computed on demand). Layouts are returned by value: they are small, and
// computing one may grow the table that holds the others.
class LayoutCache {
 public:
  explicit LayoutCache(const TypeArena& arena);

  // Value types only (Prim..Borrow). Anything else (kNoType, a func or
  // component type, an id beyond the arena) yields an empty layout rather
  // than a crash; the validator rejects such uses before they get here.
  // A reference into the table, valid only until the next call (which may grow
  // it): read it then, or copy it.
  const ValueLayout& view(TypeId t);

  // The largest elem_size of t and of every value type reachable from it
  // (list elements included, although a list itself is only 8 bytes).
  uint32_t max_nested_size(TypeId t);

  const TypeArena& arena() const { return arena_; }

 private:
  struct Entry {
    ValueLayout layout;
    uint32_t max_nested = 0;
    bool computed = false;
  };
  // Valid until the next call, which may grow the table: read it, do not hold it.
  const Entry& entry(TypeId t);
  Entry compute(TypeId t);

  const TypeArena& arena_;
  PodVector<Entry> entries_;  // by TypeId
  Entry none_;  // what entry() gives for anything that is not a value type
};

enum class AbiContext { Lift, Lower };

struct FuncLayout {
  FlatList flat_params;   // as the core function sees them (after spilling)
  FlatList flat_results;
  bool params_in_memory = false;  // more than 16 flat params: one i32 pointer
  // More than 1 flat result: lift returns an i32 pointer, lower takes a
  // trailing i32 out-pointer and returns nothing.
  bool result_in_memory = false;
  CoreFuncType core_type() const { return {flat_params, flat_results}; }
};

// func_type must be a Func type (fields = params, ok = result or kNoType).
FuncLayout func_layout(LayoutCache& cache, const TypeArena& arena, TypeId func_type, AbiContext context);

// The canonical ABI requires elem_size(t) < 2^28 for every value type
// (Binary.md); returns false when t or any value type inside it exceeds it.
bool value_size_ok(LayoutCache& cache, TypeId t);

}  // namespace compoly
