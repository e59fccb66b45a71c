#include "model/pod_vector.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace compoly {

PodBuffer::~PodBuffer() { std::free(data_); }

void PodBuffer::take(PodBuffer& o) noexcept {
  std::free(data_);
  steal(o);
}

void* ArrayStorage::allocate(size_t min, size_t element_size) {
  if (capacity_ > UINT32_MAX / 2) std::abort();
  size_t capacity = capacity_ < 4 ? 4 : size_t(capacity_) * 2;
  if (capacity < min) capacity = min;
  if (capacity > UINT32_MAX || capacity > SIZE_MAX / element_size) std::abort();
  void* block = std::malloc(capacity * element_size);
  if (!block) std::abort();
  capacity_ = uint32_t(capacity);
  return block;
}

void ArrayStorage::adopt(void* block, size_t element_size, Relocate relocate) {
  if (size_) {
    if (relocate) relocate(block, data_, size_);
    else std::memcpy(block, data_, size_ * element_size);
  }
  std::free(data_);
  data_ = block;
}

void ArrayStorage::append_bytes(const void* items, size_t n, size_t element_size) {
  // `items` may lie in the block: copied before growth frees it.
  char* block = static_cast<char*>(data_);
  if (n > capacity_ - size_) block = static_cast<char*>(allocate(size_ + n, element_size));
  if (n) std::memcpy(block + size_t(size_) * element_size, items, n * element_size);
  if (block != data_) adopt(block, element_size, nullptr);
  size_ += uint32_t(n);
}

void ArrayStorage::copy_bytes(const ArrayStorage& o, size_t element_size) {
  if (o.size_ > capacity_) {
    size_ = 0;  // nothing of the old block to keep
    grow(o.size_, element_size, nullptr);
  }
  if (o.size_) std::memcpy(data_, o.data_, o.size_ * element_size);
  size_ = o.size_;
}

void ArrayStorage::release() {
  std::free(data_);
  data_ = nullptr;
  size_ = capacity_ = 0;
}

}  // namespace compoly
