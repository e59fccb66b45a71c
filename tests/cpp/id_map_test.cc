// IdSet and IdMap (src/model/id_map.h): sets and maps keyed by ids, in insertion order.
#include "model/id_map.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace compoly {
namespace {

TEST(IdSet, AddsEachKeyOnceAndKeepsInsertionOrder) {
  IdSet s;
  EXPECT_FALSE(s.contains(0));
  EXPECT_EQ(s.find(0), IdSet::kAbsent);
  EXPECT_TRUE(s.insert(7));
  EXPECT_TRUE(s.insert(0));
  EXPECT_TRUE(s.insert(3));
  EXPECT_FALSE(s.insert(7));
  EXPECT_EQ(s.size(), 3u);
  EXPECT_EQ(s.find(0), 1u);
  EXPECT_EQ(std::vector<IdSet::Key>(s.keys().begin(), s.keys().end()), (std::vector<IdSet::Key>{7, 0, 3}));
  bool added = true;
  EXPECT_EQ(s.add(3, added), 2u);
  EXPECT_FALSE(added);
}

TEST(IdSet, GrowsPastManyKeysIncludingOnesThatShareSlots) {
  IdSet s;
  // Multiples of a power of two, consecutive ids and address-like keys.
  std::vector<IdSet::Key> keys;
  for (IdSet::Key i = 0; i < 3000; ++i) keys.push_back(i * 1024);
  for (IdSet::Key i = 1; i < 3000; i += 2) keys.push_back(i);
  for (IdSet::Key i = 0; i < 500; ++i) keys.push_back(0xfffffff0u - i * 8);
  for (IdSet::Key k : keys) EXPECT_TRUE(s.insert(k));
  ASSERT_EQ(s.size(), keys.size());
  for (size_t i = 0; i < keys.size(); ++i) EXPECT_EQ(s.find(keys[i]), i);
  EXPECT_FALSE(s.contains(2));
  EXPECT_FALSE(s.contains(1026));
}

TEST(IdMap, FindsInsertsWithoutOverwritingAndDefaultsOnIndex) {
  IdMap<uint32_t> m;
  EXPECT_EQ(m.find(4), nullptr);
  EXPECT_TRUE(m.insert(4, 40));
  EXPECT_FALSE(m.insert(4, 41));  // the first value stays
  ASSERT_NE(m.find(4), nullptr);
  EXPECT_EQ(*m.find(4), 40u);
  EXPECT_EQ(m[9], 0u);  // added value-initialised
  m[9] = 90;
  *m.find(4) = 44;
  EXPECT_EQ(m.size(), 2u);
  EXPECT_EQ(m.key_at(0), 4u);
  EXPECT_EQ(m.value_at(0), 44u);
  EXPECT_EQ(m.key_at(1), 9u);
  EXPECT_EQ(m.value_at(1), 90u);
  IdMap<uint32_t> copy = m;
  copy[4] = 1;
  EXPECT_EQ(*m.find(4), 44u);
  EXPECT_TRUE(copy.contains(9));
}

TEST(IdMap, KeepsValuesApartThroughGrowth) {
  IdMap<uint32_t> m;
  for (uint32_t i = 0; i < 2000; ++i) m[i * 3] = i;
  for (uint32_t i = 0; i < 2000; ++i) {
    ASSERT_NE(m.find(i * 3), nullptr);
    EXPECT_EQ(*m.find(i * 3), i);
  }
  EXPECT_EQ(m.find(1), nullptr);
}

}  // namespace
}  // namespace compoly
