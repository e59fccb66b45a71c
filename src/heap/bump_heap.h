// The Emscripten core's malloc (src/heap/malloc.cc): a bump allocator that starts again from
// the bottom whenever no block is left.
//
// The core's memory serves one call at a time: js/core/load.js mallocs the input, the core
// compiles it, allocating as it goes, and once JS has decoded the answer the input and the
// answer are freed, along with everything else. Between calls nothing is live, so no block
// needs to be reused while a call runs: one pointer moves up as blocks are handed out, and
// drops back to the bottom when the last block is freed. That is a fraction of the code of
// Emscripten's smallest general allocator (emmalloc), and an allocation costs a comparison and
// an add. What it costs in memory is the sum of a call's blocks instead of their peak:
// README.md ("Size") gives the measured high-water marks.
#pragma once

#include <cstddef>
#include <cstdint>

namespace compoly {

class BumpHeap {
 public:
  // Makes the memory below address `end` usable (growing the Wasm memory), or says it cannot.
  using Grow = bool (*)(uintptr_t end);

  // The heap takes the memory from `bottom` up; it is the only one to grow it.
  constexpr BumpHeap(char* bottom, Grow grow) : grow_(grow), bottom_(bottom), top_(bottom), end_(bottom) {}

  // malloc, free and realloc. Blocks are aligned like malloc's (alignof(max_align_t)).
  void* allocate(size_t size);
  void release(void* block);
  void* resize(void* block, size_t size);

  size_t live_blocks() const { return live_; }
  // The bytes from the bottom to the top: what the blocks handed out since the heap was last
  // empty take up, freed or not.
  size_t used_bytes() const { return static_cast<size_t>(top_ - bottom_); }

 private:
  // Each block is preceded by a header of one alignment unit holding its size.
  static constexpr size_t kAlign = alignof(std::max_align_t);
  // The heap grows by at least this much: growing the Wasm memory is a call out to JS.
  static constexpr size_t kMinGrowth = 64 * 1024;

  static size_t& size_of(void* block) { return *reinterpret_cast<size_t*>(static_cast<char*>(block) - kAlign); }
  // Makes room for `bytes` (header included) at the top; false when the memory cannot grow.
  bool reserve(size_t bytes);

  Grow grow_;
  char* bottom_;
  char* top_;
  char* end_;
  size_t live_ = 0;
};

}  // namespace compoly
