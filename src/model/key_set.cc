#include "model/key_set.h"

namespace compoly {
namespace {

uint32_t hash_bytes(uint32_t hash, std::string_view s) {
  for (char c : s) hash = (hash ^ uint8_t(c)) * 16777619u;  // FNV-1a
  return hash;
}

// The length of `a` is hashed too, so that ("ab", "c") and ("a", "bc") differ.
uint32_t key_hash(std::string_view a, std::string_view b) {
  return hash_bytes(hash_bytes(2166136261u ^ uint32_t(a.size()), a), b);
}

}  // namespace

bool KeySet::equals(const Entry& e, std::string_view a, std::string_view b) const {
  const std::string_view text = this->text();
  return e.size_a == a.size() && e.size_b == b.size() && text.substr(e.offset, e.size_a) == a &&
         text.substr(e.offset + e.size_a, e.size_b) == b;
}

void KeySet::rehash() {
  slots_.assign(slots_.empty() ? 16 : 2 * slots_.size(), 0);
  const size_t mask = slots_.size() - 1;
  for (uint32_t i = 0; i < entries_.size(); ++i) {
    size_t at = entries_[i].hash & mask;
    while (slots_[at]) at = (at + 1) & mask;
    slots_[at] = i + 1;
  }
}

uint32_t KeySet::find(std::string_view a, std::string_view b) const {
  if (slots_.empty()) return kAbsent;
  const uint32_t hash = key_hash(a, b);
  const size_t mask = slots_.size() - 1;
  for (size_t at = hash & mask; slots_[at]; at = (at + 1) & mask) {
    const uint32_t i = slots_[at] - 1;
    if (entries_[i].hash == hash && equals(entries_[i], a, b)) return i;
  }
  return kAbsent;
}

std::pair<uint32_t, bool> KeySet::insert(std::string_view a, std::string_view b) {
  const uint32_t hash = key_hash(a, b);
  // At most half full, so every probe sequence ends at an empty slot.
  if (2 * (entries_.size() + 1) > slots_.size()) rehash();
  const size_t mask = slots_.size() - 1;
  size_t at = hash & mask;
  for (; slots_[at]; at = (at + 1) & mask) {
    const uint32_t i = slots_[at] - 1;
    if (entries_[i].hash == hash && equals(entries_[i], a, b)) return {i, false};
  }
  const uint32_t index = uint32_t(entries_.size());
  entries_.push_back({uint32_t(text_.size()), uint32_t(a.size()), uint32_t(b.size()), hash});
  text_.append(a.data(), a.size());
  text_.append(b.data(), b.size());
  slots_[at] = index + 1;
  return {index, true};
}

}  // namespace compoly
