// InlineVector (src/model/inline_vector.h): values in place up to N, then on the heap.
#include "model/inline_vector.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <utility>
#include <vector>

namespace compoly {
namespace {

using Small = InlineVector<uint16_t, 3>;

std::vector<uint16_t> items(const Small& v) { return std::vector<uint16_t>(v.begin(), v.end()); }

Small counting(uint16_t n) {
  Small v;
  for (uint16_t i = 0; i < n; ++i) v.push_back(i);
  return v;
}

TEST(InlineVector, KeepsOrderInPlaceAndAfterMovingToTheHeap) {
  for (uint16_t n : {0, 1, 3, 4, 7, 100}) {
    Small v = counting(n);
    ASSERT_EQ(v.size(), n);
    for (uint16_t i = 0; i < n; ++i) EXPECT_EQ(v[i], i);
  }
}

TEST(InlineVector, CopiesAreIndependent) {
  for (uint16_t n : {2, 3, 4, 50}) {
    Small a = counting(n);
    Small b = a;
    b.push_back(999);
    b[0] = 7;
    EXPECT_EQ(items(a), items(counting(n)));
    EXPECT_EQ(b.size(), n + 1u);
    EXPECT_EQ(b[0], 7);
    Small c = counting(1);
    c = a;  // assignment over a smaller one, and over a spilled one below
    EXPECT_TRUE(c == a);
    Small d = counting(60);
    d = a;
    EXPECT_TRUE(d == a);
    const Small& same = d;
    d = same;  // self-assignment keeps the elements
    EXPECT_TRUE(d == a);
  }
}

TEST(InlineVector, MovesLeaveTheSourceEmpty) {
  for (uint16_t n : {2, 10}) {
    Small a = counting(n);
    Small b = std::move(a);
    EXPECT_EQ(items(b), items(counting(n)));
    EXPECT_TRUE(a.empty());
    a.push_back(5);  // still usable
    EXPECT_EQ(a.size(), 1u);
    Small c = counting(20);
    c = std::move(b);
    EXPECT_EQ(items(c), items(counting(n)));
  }
}

TEST(InlineVector, ComparesElementsNotStorage) {
  EXPECT_TRUE(counting(3) == counting(3));
  EXPECT_FALSE(counting(3) == counting(4));
  Small spilled = counting(5);
  Small in_place{0, 1, 2};
  EXPECT_FALSE(spilled == in_place);
  EXPECT_TRUE((Small{0, 1, 2, 3, 4}) == spilled);
}

}  // namespace
}  // namespace compoly
