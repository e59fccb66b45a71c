// Sets and maps keyed by ids: resource and type ids, and addresses of decoded items.
//
// They replace std::set and std::map for these keys. A tree node per element cost an
// allocation and a chain of compares on every lookup, and each key and value type
// instantiated the tree's code again (~5 KB of the Emscripten build). Here the keys live in
// insertion order in one array with an open-addressing index over it (IdSet, id_map.cc),
// shared by every map; a map adds an array of values in the same order.
#pragma once

#include <cstddef>
#include <cstdint>

#include "model/pod_vector.h"

namespace compoly {

class IdSet {
 public:
  using Key = uintptr_t;
  static constexpr uint32_t kAbsent = 0xffffffffu;

  size_t size() const { return keys_.size(); }
  bool empty() const { return keys_.empty(); }
  bool contains(Key key) const { return find(key) != kAbsent; }
  // The position of `key` in insertion order, or kAbsent.
  uint32_t find(Key key) const;
  // Adds `key` if it is absent and returns its position; `added` says which.
  uint32_t add(Key key, bool& added);
  // Adds `key`; false if it was there already.
  bool insert(Key key) {
    bool added;
    add(key, added);
    return added;
  }
  // In insertion order.
  const PodVector<Key>& keys() const { return keys_; }

 private:
  // The slot that holds `key`, or the empty one where it would go.
  size_t probe(Key key) const;
  void rehash(size_t slots);

  PodVector<Key> keys_;
  PodVector<uint32_t> slots_;  // 1 + position in keys_, 0 when empty; a power of two long
};

template <typename V>
class IdMap {
 public:
  using Key = IdSet::Key;

  size_t size() const { return keys_.size(); }
  bool empty() const { return keys_.empty(); }
  bool contains(Key key) const { return keys_.contains(key); }
  V* find(Key key) {
    const uint32_t at = keys_.find(key);
    return at == IdSet::kAbsent ? nullptr : &values_[at];
  }
  const V* find(Key key) const {
    const uint32_t at = keys_.find(key);
    return at == IdSet::kAbsent ? nullptr : &values_[at];
  }
  // Maps `key` to `value` unless it is mapped already; false then.
  bool insert(Key key, const V& value) {
    bool added;
    keys_.add(key, added);
    if (added) values_.push_back(value);
    return added;
  }
  // The value of `key`, added value-initialised if it is absent.
  V& operator[](Key key) {
    bool added;
    const uint32_t at = keys_.add(key, added);
    if (added) values_.push_back(V{});
    return values_[at];
  }
  // Entry i in insertion order.
  Key key_at(size_t i) const { return keys_.keys()[i]; }
  const V& value_at(size_t i) const { return values_[i]; }

 private:
  IdSet keys_;
  PodVector<V> values_;
};

}  // namespace compoly
