// A set of byte strings, or of pairs of them, for the uniqueness rules on names
// (core import and export names, import/export keys, labels) and for the plan
// writer's table of type bodies. It keeps copies of its keys in one buffer and
// finds them by hash.
//
// std::set allocates a node per key and compares keys whole from the front;
// names and type bodies share long prefixes ("wasi:io/streams@0.2.0#…",
// "{\"kind\":\"func\",…"), and running as V8's baseline code those sets were
// ~10% of compiling a WASI component. One class also replaces several std::set
// instantiations in the Wasm build.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "model/object_vector.h"
#include "model/pod_vector.h"

namespace compoly {

class KeySet {
 public:
  // Adds (a, b) unless it is there: its index (in order of first insertion)
  // and whether it was added. (a, b) and (a + b, "") are different keys.
  std::pair<uint32_t, bool> insert(std::string_view a, std::string_view b = {}) { return insert_key(a, b, false); }
  bool add(std::string_view a, std::string_view b = {}) { return insert(a, b).second; }
  // The same for `a` with its ASCII letters lower-cased (ascii_lower), as names that must be
  // unique without regard to case are compared, without a lower-cased copy made first. The key
  // is that copy: insert_folded("A-b") and insert("a-b") find each other.
  std::pair<uint32_t, bool> insert_folded(std::string_view a) { return insert_key(a, {}, true); }
  bool add_folded(std::string_view a) { return insert_folded(a).second; }
  // The index of (a, b), or kAbsent.
  static constexpr uint32_t kAbsent = 0xffffffffu;
  uint32_t find(std::string_view a, std::string_view b = {}) const;

  size_t size() const { return entries_.size(); }
  // The first part of key `i` (the whole key when it has one part).
  std::string_view first(uint32_t i) const { return std::string_view(text_.data() + entries_[i].offset, entries_[i].size_a); }

 private:
  struct Entry {
    uint32_t offset, size_a, size_b, hash;
  };
  std::pair<uint32_t, bool> insert_key(std::string_view a, std::string_view b, bool fold);
  // The slot that holds (a, b) (`a` folded if `fold`), or the empty one where it would go.
  size_t slot(std::string_view a, std::string_view b, bool fold, uint32_t hash) const;
  void rehash();

  // Every key's parts, back to back. Not a std::string, whose appends (and their growth) the lean
  // core would carry for this alone.
  PodVector<char> text_;
  PodVector<Entry> entries_;      // in insertion order
  PodVector<uint32_t> slots_;   // open addressing: 1 + index in entries_, 0 when empty
};

// A map from names to values, in place of std::map<std::string, V> where no one
// iterates in name order: a KeySet numbers the names, the values sit in that order.
// Plain values sit in a PodVector, whose growth every element type shares; others in an
// ObjectVector, whose growth each brings again.
template <typename V>
class NameMap {
 public:
  V* find(std::string_view name) {
    const uint32_t i = names_.find(name);
    return i == KeySet::kAbsent ? nullptr : &values_[i];
  }
  const V* find(std::string_view name) const {
    const uint32_t i = names_.find(name);
    return i == KeySet::kAbsent ? nullptr : &values_[i];
  }
  // Maps `name` to `value` unless it is mapped already; false then.
  bool insert(std::string_view name, const V& value) {
    if (!names_.add(name)) return false;
    values_.push_back(value);
    return true;
  }
  // The value of `name`, added value-initialised if it is absent.
  V& operator[](std::string_view name) {
    const auto [i, added] = names_.insert(name);
    if (added) values_.push_back(V{});
    return values_[i];
  }
  // Maps `name` to `value`, replacing any value it had.
  void set(std::string_view name, const V& value) {
    const auto [i, added] = names_.insert(name);
    if (added) values_.push_back(value);
    else values_[i] = value;
  }

 private:
  KeySet names_;
  std::conditional_t<std::is_trivially_copyable_v<V>, PodVector<V>, ObjectVector<V>> values_;
};

}  // namespace compoly
