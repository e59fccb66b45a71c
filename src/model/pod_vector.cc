#include "model/pod_vector.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace compoly {

PodBuffer::~PodBuffer() { std::free(data_); }

void PodBuffer::reserve_bytes(size_t min, size_t element_size) {
  // The core runs with a 32-bit address space and without exceptions: a size
  // that overflows (the capacity is 32 bits) is as fatal as an allocation that fails.
  if (min > UINT32_MAX || min > SIZE_MAX / element_size) std::abort();
  void* block = std::realloc(data_, min * element_size);
  if (!block) std::abort();
  data_ = block;
  capacity_ = static_cast<uint32_t>(min);
}

void PodBuffer::append_bytes(const void* items, size_t n, size_t element_size) {
  if (n > capacity_ - size_) {
    // `items` may lie in the block, which growing moves: found again by their offset.
    const uintptr_t at = reinterpret_cast<uintptr_t>(items), start = reinterpret_cast<uintptr_t>(data_);
    const bool inside = data_ && at >= start && at < start + size_t(size_) * element_size;
    const size_t doubled = doubled_capacity();
    reserve_bytes(n > doubled - size_ ? size_ + n : doubled, element_size);
    if (inside) items = static_cast<const char*>(data_) + (at - start);
  }
  if (n) std::memcpy(static_cast<char*>(data_) + size_t(size_) * element_size, items, n * element_size);
  size_ += static_cast<uint32_t>(n);
}

void PodBuffer::copy_bytes(const PodBuffer& o, size_t element_size) {
  if (o.size_ > capacity_) {
    std::free(data_);
    data_ = nullptr;
    capacity_ = 0;
    reserve_bytes(o.size_, element_size);
  }
  if (o.size_) std::memcpy(data_, o.data_, o.size_ * element_size);
  size_ = o.size_;
}

void PodBuffer::take(PodBuffer& o) noexcept {
  std::free(data_);
  steal(o);
}

}  // namespace compoly
