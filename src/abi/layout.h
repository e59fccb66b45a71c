// Canonical ABI memory layout and flattening of component value types
// (CanonicalABI.md: "Alignment", "Element Size", "Flattening"), for the
// synchronous ABI with 32-bit memories only. The JS runtime lifts and lowers
// values with exactly these offsets and core signatures, so they must match
// definitions.py bit for bit.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <vector>

#include "model/core_types.h"
#include "model/types.h"

namespace compoly {

constexpr size_t kMaxFlatParams = 16;
constexpr size_t kMaxFlatResults = 1;

// Binary.md: validation requires elem_size(t) < 2^28 for every defvaltype.
constexpr uint64_t kMaxValueSize = uint64_t(1) << 28;

// A flat list of core types, kept inline: only the first kMaxFlatParams + 1
// entries of a flattening ever matter (any more spill to memory), and
// layouts are computed for every function type of a component, so they
// should not cost an allocation each.
class FlatList {
 public:
  static constexpr size_t kCapacity = kMaxFlatParams + 1;
  FlatList() = default;
  FlatList(std::initializer_list<CoreValType> init) {
    for (CoreValType t : init) push_back(t);
  }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  bool full() const { return size_ == kCapacity; }
  const CoreValType* begin() const { return items_; }
  const CoreValType* end() const { return items_ + size_; }
  CoreValType operator[](size_t i) const { return items_[i]; }
  CoreValType& operator[](size_t i) { return items_[i]; }
  // Callers check full() first; a push beyond capacity is dropped.
  void push_back(CoreValType t) {
    if (size_ < kCapacity) items_[size_++] = t;
  }
  CoreValTypes to_values() const { return {begin(), end()}; }
  std::vector<CoreValType> to_vector() const { return {begin(), end()}; }

 private:
  CoreValType items_[kCapacity] = {};
  uint8_t size_ = 0;
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
  FlatList flat;
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
  ValueLayout of(TypeId t);

  // The largest elem_size of t and of every value type reachable from it
  // (list elements included, although a list itself is only 8 bytes).
  uint32_t max_nested_size(TypeId t);

 private:
  struct Entry {
    ValueLayout layout;
    uint32_t max_nested = 0;
    bool computed = false;
  };
  Entry entry(TypeId t);
  Entry compute(TypeId t);

  const TypeArena& arena_;
  std::vector<Entry> entries_;  // by TypeId
};

enum class AbiContext { Lift, Lower };

struct FuncLayout {
  FlatList flat_params;   // as the core function sees them (after spilling)
  FlatList flat_results;
  bool params_in_memory = false;  // more than 16 flat params: one i32 pointer
  // More than 1 flat result: lift returns an i32 pointer, lower takes a
  // trailing i32 out-pointer and returns nothing.
  bool result_in_memory = false;
  CoreFuncType core_type() const { return {flat_params.to_values(), flat_results.to_values()}; }
};

// func_type must be a Func type (fields = params, ok = result or kNoType).
FuncLayout func_layout(LayoutCache& cache, const TypeArena& arena, TypeId func_type, AbiContext context);

// The canonical ABI requires elem_size(t) < 2^28 for every value type
// (Binary.md); returns false when t or any value type inside it exceeds it.
bool value_size_ok(LayoutCache& cache, TypeId t);

}  // namespace compoly
