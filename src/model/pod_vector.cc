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

void PodBuffer::grow_by_one(size_t element_size) {
  reserve_bytes(doubled_capacity(), element_size);
}

void PodBuffer::push_back_grown(const void* value, size_t element_size) {
  // `value` may lie in the block, which growing moves: found again by its offset.
  const uintptr_t at = reinterpret_cast<uintptr_t>(value), start = reinterpret_cast<uintptr_t>(data_);
  const bool inside = data_ && at >= start && at < start + size_t(size_) * element_size;
  grow_by_one(element_size);
  if (inside) value = static_cast<const char*>(data_) + (at - start);
  std::memcpy(static_cast<char*>(data_) + size_t(size_) * element_size, value, element_size);
  ++size_;
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
