#include "model/key_set.h"

#include <cstring>

#include "model/text.h"

namespace compoly {
namespace {

// The four bytes in `w` with their ASCII capitals lower-cased, all at once: per byte, the high
// bit of the low seven bits plus 0x3f is set from 'A' on, and plus 0x25 past 'Z'.
uint32_t lower4(uint32_t w) {
  const uint32_t seven = w & 0x7f7f7f7fu;
  const uint32_t capital = (seven + 0x3f3f3f3fu) & ~(seven + 0x25252525u) & ~w & 0x80808080u;
  return w | (capital >> 2);
}

uint32_t mix(uint32_t hash, uint32_t w) {
  hash = (hash ^ w) * 0x9e3779b1u;
  return hash ^ (hash >> 15);
}

// Four bytes a step: running as V8's baseline code, a step per byte was most of what hashing
// the plan's type bodies cost. A key hashed folded and its lower-cased copy hashed as it is
// come to the same words, so they hash alike.
uint32_t hash_bytes(uint32_t hash, std::string_view s, bool fold) {
  size_t i = 0;
  for (; i + 4 <= s.size(); i += 4) {
    uint32_t w;
    std::memcpy(&w, s.data() + i, 4);
    hash = mix(hash, fold ? lower4(w) : w);
  }
  for (; i < s.size(); ++i) hash = mix(hash, uint8_t(fold ? ascii_lower(s[i]) : s[i]));
  return hash;
}

// The length of `a` is hashed too, so that ("ab", "c") and ("a", "bc") differ.
uint32_t key_hash(std::string_view a, std::string_view b, bool fold) {
  return hash_bytes(hash_bytes(2166136261u ^ uint32_t(a.size()), a, fold), b, false);
}

}  // namespace

size_t KeySet::slot(std::string_view a, std::string_view b, bool fold, uint32_t hash) const {
  const size_t mask = slots_.size() - 1;
  size_t at = hash & mask;
  for (; slots_[at]; at = (at + 1) & mask) {
    const Entry& e = entries_[slots_[at] - 1];
    if (e.hash != hash || e.size_a != a.size() || e.size_b != b.size()) continue;
    const char* key = text_.data() + e.offset;
    bool same = std::string_view(key + e.size_a, e.size_b) == b;
    if (fold) {
      for (size_t i = 0; same && i < a.size(); ++i) same = key[i] == ascii_lower(a[i]);
    } else {
      same = same && std::string_view(key, e.size_a) == a;
    }
    if (same) break;
  }
  return at;
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
  return slots_[slot(a, b, false, key_hash(a, b, false))] - 1;  // kAbsent from an empty slot's 0
}

std::pair<uint32_t, bool> KeySet::insert_key(std::string_view a, std::string_view b, bool fold) {
  // At most half full, so every probe sequence ends at an empty slot.
  if (2 * (entries_.size() + 1) > slots_.size()) rehash();
  const uint32_t hash = key_hash(a, b, fold);
  const size_t at = slot(a, b, fold, hash);
  if (slots_[at]) return {slots_[at] - 1, false};
  const uint32_t index = uint32_t(entries_.size());
  const size_t offset = text_.size();
  entries_.push_back({uint32_t(offset), uint32_t(a.size()), uint32_t(b.size()), hash});
  text_.append(a.data(), a.size());
  text_.append(b.data(), b.size());
  if (fold)
    for (size_t i = offset; i < offset + a.size(); ++i) text_[i] = ascii_lower(text_[i]);
  slots_[at] = index + 1;
  return {index, true};
}

}  // namespace compoly
