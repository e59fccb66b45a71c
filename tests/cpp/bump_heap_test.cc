// BumpHeap (src/heap/bump_heap.h): the Emscripten core's malloc, here over a static arena whose
// growth the test controls.
#include "heap/bump_heap.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

namespace compoly {
namespace {

constexpr size_t kArena = 1 << 20;
alignas(64) char arena[kArena + 64];
// How far grow() lets the heap reach into `arena`, and the ends it was asked for.
size_t limit = kArena;
std::vector<uintptr_t> grown_to;

bool grow(uintptr_t end) {
  grown_to.push_back(end);
  return end <= reinterpret_cast<uintptr_t>(arena) + limit;
}

class BumpHeapTest : public ::testing::Test {
 protected:
  void SetUp() override {
    limit = kArena;
    grown_to.clear();
  }
  BumpHeap heap{arena, grow};
};

uintptr_t address(const void* p) { return reinterpret_cast<uintptr_t>(p); }

TEST_F(BumpHeapTest, HandsOutAlignedBlocksThatDoNotOverlap) {
  std::vector<std::pair<char*, size_t>> blocks;
  for (size_t size : {0u, 1u, 7u, 16u, 17u, 100u, 4096u, 3u}) {
    char* p = static_cast<char*>(heap.allocate(size));
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(address(p) % alignof(std::max_align_t), 0u) << size;
    std::memset(p, int(blocks.size()), size);
    blocks.emplace_back(p, size);
  }
  for (size_t i = 0; i < blocks.size(); ++i) {
    for (size_t k = 0; k < blocks[i].second; ++k) ASSERT_EQ(blocks[i].first[k], char(i)) << i;
    for (size_t j = i + 1; j < blocks.size(); ++j) {
      const bool apart = blocks[i].first + blocks[i].second <= blocks[j].first ||
                         blocks[j].first + blocks[j].second <= blocks[i].first;
      EXPECT_TRUE(apart && blocks[i].first != blocks[j].first) << i << " and " << j;
    }
  }
  EXPECT_EQ(heap.live_blocks(), blocks.size());
}

TEST_F(BumpHeapTest, StartsAgainFromTheBottomOnceEveryBlockIsFreed) {
  void* first = heap.allocate(40);
  void* second = heap.allocate(400);
  void* third = heap.allocate(4);
  heap.release(first);
  heap.release(third);
  EXPECT_GT(heap.used_bytes(), 400u);  // `second` is still live
  heap.release(second);
  EXPECT_EQ(heap.live_blocks(), 0u);
  EXPECT_EQ(heap.used_bytes(), 0u);
  EXPECT_EQ(heap.allocate(8), first);
}

TEST_F(BumpHeapTest, ReusesTheSpaceOfTheLastBlockAtOnce) {
  void* kept = heap.allocate(24);
  void* last = heap.allocate(1000);
  const size_t used = heap.used_bytes();
  heap.release(last);
  EXPECT_LT(heap.used_bytes(), used);
  EXPECT_EQ(heap.allocate(1000), last);
  heap.release(nullptr);  // no block: nothing changes
  EXPECT_EQ(heap.live_blocks(), 2u);
  heap.release(kept);
}

TEST_F(BumpHeapTest, GrowsTheLastBlockInPlaceAndMovesOthersWithTheirBytes) {
  char* a = static_cast<char*>(heap.allocate(10));
  std::memcpy(a, "0123456789", 10);
  char* b = static_cast<char*>(heap.resize(a, 5000));
  EXPECT_EQ(b, a);  // the last block
  EXPECT_EQ(std::memcmp(b, "0123456789", 10), 0);
  char* other = static_cast<char*>(heap.allocate(8));
  char* c = static_cast<char*>(heap.resize(b, 9000));
  EXPECT_NE(c, b);  // no longer the last block
  EXPECT_GT(c, other);
  EXPECT_EQ(std::memcmp(c, "0123456789", 10), 0);
  EXPECT_EQ(heap.resize(c, 3), c);  // shrinking keeps the block
  EXPECT_EQ(heap.live_blocks(), 2u);
  char* fresh = static_cast<char*>(heap.resize(nullptr, 12));  // realloc(nullptr, n) is malloc(n)
  ASSERT_NE(fresh, nullptr);
  EXPECT_EQ(heap.live_blocks(), 3u);
}

TEST_F(BumpHeapTest, GrowsTheMemoryInSteps) {
  heap.allocate(10);
  ASSERT_EQ(grown_to.size(), 1u);
  const uintptr_t step = grown_to[0] - address(arena);
  EXPECT_GE(step, 64u * 1024);
  for (int i = 0; i < 100; ++i) heap.allocate(100);  // fits in the first step
  EXPECT_EQ(grown_to.size(), 1u);
  heap.allocate(200 * 1024);  // more than a step at once
  ASSERT_EQ(grown_to.size(), 2u);
  EXPECT_GE(grown_to[1] - grown_to[0], 200u * 1024);
}

TEST_F(BumpHeapTest, SaysNoWhenTheMemoryCannotGrowAndKeepsWhatItHas) {
  limit = 128 * 1024;
  char* a = static_cast<char*>(heap.allocate(100));
  ASSERT_NE(a, nullptr);
  std::memset(a, 7, 100);
  EXPECT_EQ(heap.allocate(kArena), nullptr);
  EXPECT_EQ(heap.resize(a, kArena), nullptr);  // the last block, which cannot grow
  EXPECT_EQ(a[99], 7);
  EXPECT_EQ(heap.live_blocks(), 1u);
  EXPECT_NE(heap.allocate(1000), nullptr);  // a size that fits still does
}

TEST_F(BumpHeapTest, RefusesSizesThatOverflow) {
  EXPECT_EQ(heap.allocate(SIZE_MAX), nullptr);
  EXPECT_EQ(heap.allocate(SIZE_MAX - 8), nullptr);
  void* a = heap.allocate(1);
  EXPECT_EQ(heap.resize(a, SIZE_MAX), nullptr);
  EXPECT_EQ(heap.live_blocks(), 1u);
}

TEST(BumpHeap, AlignsABottomTheLinkerLeftUnaligned) {
  limit = kArena;
  BumpHeap heap(arena + 3, grow);
  void* p = heap.allocate(5);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(address(p) % alignof(std::max_align_t), 0u);
}

}  // namespace
}  // namespace compoly
