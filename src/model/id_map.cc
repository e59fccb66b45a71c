#include "model/id_map.h"

#include <bit>

namespace compoly {
namespace {

// Fibonacci hashing: the multiply spreads every bit of the key over the high bits, which
// pick the slot (`slots` is a power of two, at least 8). The low bits of the product would
// depend only on the key's low bits: keys a power of two apart would all collide.
uint32_t slot_of(IdSet::Key key, size_t slots) {
  uint64_t k = key;
  const uint32_t folded = uint32_t(k ^ (k >> 32));
  return (folded * 0x9e3779b1u) >> (32 - std::countr_zero(uint32_t(slots)));
}

}  // namespace

size_t IdSet::probe(Key key) const {
  const size_t n = slots_.size();
  uint32_t s = slot_of(key, n);
  while (slots_[s] != 0 && keys_[slots_[s] - 1] != key) s = (s + 1) & (n - 1);
  return s;
}

uint32_t IdSet::find(Key key) const {
  if (slots_.empty()) return kAbsent;
  return slots_[probe(key)] - 1;  // kAbsent from an empty slot's 0
}

uint32_t IdSet::add(Key key, bool& added) {
  // At most half full, so that probes stay short and always end at an empty slot.
  if ((keys_.size() + 1) * 2 > slots_.size()) rehash(slots_.empty() ? 8 : slots_.size() * 2);
  const size_t s = probe(key);
  added = slots_[s] == 0;
  if (added) {
    keys_.push_back(key);
    slots_[s] = uint32_t(keys_.size());
  }
  return slots_[s] - 1;
}

void IdSet::rehash(size_t slots) {
  slots_.assign(slots, 0);
  for (size_t i = 0; i < keys_.size(); ++i) slots_[probe(keys_[i])] = uint32_t(i + 1);
}

}  // namespace compoly
