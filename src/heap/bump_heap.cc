#include "heap/bump_heap.h"

#include <cstring>

namespace compoly {
namespace {

// `size` rounded up to a whole number of `unit`s, or 0 when that overflows.
size_t round_up(size_t size, size_t unit) { return size > SIZE_MAX - (unit - 1) ? 0 : (size + unit - 1) / unit * unit; }

}  // namespace

bool BumpHeap::reserve(size_t bytes) {
  if (static_cast<size_t>(end_ - top_) >= bytes) return true;
  if (end_ == bottom_ && live_ == 0) {
    // Before the first growth: align the bottom, wherever the linker put it.
    const uintptr_t at = reinterpret_cast<uintptr_t>(bottom_);
    bottom_ = top_ = end_ = bottom_ + (kAlign - at % kAlign) % kAlign;
  }
  const uintptr_t top = reinterpret_cast<uintptr_t>(top_);
  const size_t growth = round_up(bytes > kMinGrowth ? bytes : kMinGrowth, kMinGrowth);
  if (!growth || growth > UINTPTR_MAX - top || !grow_(top + growth)) return false;
  end_ = top_ + growth;
  return true;
}

void* BumpHeap::allocate(size_t size) {
  const size_t bytes = round_up(size, kAlign);
  if ((size && !bytes) || bytes > SIZE_MAX - kAlign || !reserve(bytes + kAlign)) return nullptr;
  char* block = top_ + kAlign;
  top_ = block + bytes;
  size_of(block) = bytes;
  ++live_;
  return block;
}

void BumpHeap::release(void* block) {
  if (!block) return;
  char* start = static_cast<char*>(block);
  if (--live_ == 0) {
    top_ = bottom_;
  } else if (start + size_of(block) == top_) {
    top_ = start - kAlign;  // the last block: its bytes can be handed out again at once
  }
}

void* BumpHeap::resize(void* block, size_t size) {
  if (!block) return allocate(size);
  char* start = static_cast<char*>(block);
  const size_t old_bytes = size_of(block);
  const size_t bytes = round_up(size, kAlign);
  if (size && !bytes) return nullptr;
  if (bytes <= old_bytes) return block;
  if (start + old_bytes == top_) {
    // The last block grows where it is.
    if (!reserve(bytes - old_bytes)) return nullptr;
    top_ = start + bytes;
    size_of(block) = bytes;
    return block;
  }
  void* moved = allocate(size);
  if (!moved) return nullptr;
  std::memcpy(moved, block, old_bytes);
  release(block);
  return moved;
}

}  // namespace compoly
