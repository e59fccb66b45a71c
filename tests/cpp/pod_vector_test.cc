// PodVector (src/model/pod_vector.h): a growable array whose growth and copies are shared code.
#include "model/pod_vector.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <utility>
#include <vector>

namespace compoly {
namespace {

struct Pair {
  uint32_t a;
  uint8_t b;
  bool operator==(const Pair&) const = default;
};

PodVector<uint32_t> counting(uint32_t n) {
  PodVector<uint32_t> v;
  for (uint32_t i = 0; i < n; ++i) v.push_back(i);
  return v;
}

std::vector<uint32_t> items(const PodVector<uint32_t>& v) { return std::vector<uint32_t>(v.begin(), v.end()); }

TEST(PodVector, GrowsKeepingOrder) {
  for (uint32_t n : {0u, 1u, 4u, 5u, 1000u}) {
    PodVector<uint32_t> v = counting(n);
    ASSERT_EQ(v.size(), n);
    EXPECT_EQ(v.empty(), n == 0);
    for (uint32_t i = 0; i < n; ++i) EXPECT_EQ(v[i], i);
    if (n) {
      EXPECT_EQ(v.back(), n - 1);
    }
  }
}

TEST(PodVector, CopiesAreIndependent) {
  for (uint32_t n : {0u, 3u, 50u}) {
    PodVector<uint32_t> a = counting(n);
    PodVector<uint32_t> b = a;
    b.push_back(999);
    EXPECT_EQ(items(a), items(counting(n)));
    EXPECT_EQ(b.size(), n + 1);
    PodVector<uint32_t> small = counting(1);
    small = a;  // over a smaller block
    EXPECT_TRUE(small == a);
    PodVector<uint32_t> large = counting(80);
    large = a;  // over a larger one: the block is kept, the size is a's
    EXPECT_TRUE(large == a);
    const PodVector<uint32_t>& same = large;
    large = same;
    EXPECT_TRUE(large == a);
  }
}

TEST(PodVector, MovesLeaveTheSourceEmpty) {
  PodVector<uint32_t> a = counting(10);
  PodVector<uint32_t> b = std::move(a);
  EXPECT_EQ(items(b), items(counting(10)));
  EXPECT_TRUE(a.empty());  // the moved-from state is part of the contract
  a.push_back(5);
  EXPECT_EQ(a.size(), 1u);
  PodVector<uint32_t> c = counting(3);
  c = std::move(b);
  EXPECT_EQ(items(c), items(counting(10)));
  EXPECT_TRUE(b.empty());
}

TEST(PodVector, FillsAssignsAndResizes) {
  PodVector<uint32_t> v(5, 7);
  EXPECT_EQ(items(v), (std::vector<uint32_t>{7, 7, 7, 7, 7}));
  v.assign(2, 9);
  EXPECT_EQ(items(v), (std::vector<uint32_t>{9, 9}));
  v.resize(4);
  EXPECT_EQ(items(v), (std::vector<uint32_t>{9, 9, 0, 0}));
  v.resize(1);
  v.pop_back();
  EXPECT_TRUE(v.empty());
  v.resize(3, 4);
  EXPECT_EQ(items(v), (std::vector<uint32_t>{4, 4, 4}));
  v.clear();
  EXPECT_EQ(v.size(), 0u);
}

TEST(PodVector, HoldsStructsAndBuildsThemInPlace) {
  PodVector<Pair> v = {{1, 2}, {3, 4}};
  v.emplace_back(5u, uint8_t{6});
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v.front(), (Pair{1, 2}));
  EXPECT_EQ(v[2], (Pair{5, 6}));
  PodVector<Pair> w = v;
  EXPECT_TRUE(w == v);
  w[1].b = 0;
  EXPECT_FALSE(w == v);
}

TEST(PodVector, PushesAnElementOfItselfWhileGrowing) {
  PodVector<uint32_t> v = counting(1);
  for (uint32_t i = 0; i < 200; ++i) v.push_back(v[v.size() - 1] + 1);  // grows several times
  EXPECT_EQ(items(v), items(counting(201)));
  PodVector<uint32_t> w = counting(3);
  w.resize(100, w[2]);
  EXPECT_EQ(w[99], 2u);
  w.assign(5, w[50]);
  EXPECT_EQ(items(w), (std::vector<uint32_t>{2, 2, 2, 2, 2}));
}

}  // namespace
}  // namespace compoly
