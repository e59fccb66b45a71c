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
#include <utility>
#include <vector>

#include "model/pod_vector.h"

namespace compoly {

class KeySet {
 public:
  // Adds (a, b) unless it is there: its index (in order of first insertion)
  // and whether it was added. (a, b) and (a + b, "") are different keys.
  std::pair<uint32_t, bool> insert(std::string_view a, std::string_view b = {});
  bool add(std::string_view a, std::string_view b = {}) { return insert(a, b).second; }

  size_t size() const { return entries_.size(); }
  // The first part of key `i` (the whole key when it has one part).
  std::string_view first(uint32_t i) const { return std::string_view(text_).substr(entries_[i].offset, entries_[i].size_a); }

 private:
  struct Entry {
    uint32_t offset, size_a, size_b, hash;
  };
  bool equals(const Entry& e, std::string_view a, std::string_view b) const;
  void rehash();

  std::string text_;              // every key's parts, back to back
  std::vector<Entry> entries_;    // in insertion order
  PodVector<uint32_t> slots_;   // open addressing: 1 + index in entries_, 0 when empty
};

}  // namespace compoly
