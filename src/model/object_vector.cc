#include "model/object_vector.h"

#include <cstdint>
#include <cstdlib>

namespace compoly {

void ObjectBuffer::grow(size_t min, size_t element_size, Relocate relocate) {
  size_t capacity = doubled_capacity();
  if (capacity < min) capacity = min;
  // As in std::vector and operator new, a size that overflows is fatal.
  if (capacity > UINT32_MAX || capacity > SIZE_MAX / element_size) std::abort();
  void* block = std::malloc(capacity * element_size);
  if (!block) std::abort();
  if (size_) relocate(block, data_, size_);
  std::free(data_);
  data_ = block;
  capacity_ = static_cast<uint32_t>(capacity);
}

void* ObjectBuffer::grown_block(size_t element_size) const {
  const size_t capacity = doubled_capacity();
  if (capacity > SIZE_MAX / element_size) std::abort();
  void* block = std::malloc(capacity * element_size);
  if (!block) std::abort();
  return block;
}

void ObjectBuffer::adopt(void* block, Relocate relocate) {
  if (size_) relocate(block, data_, size_);
  std::free(data_);
  data_ = block;
  capacity_ = static_cast<uint32_t>(doubled_capacity());
}

void ObjectBuffer::release() {
  std::free(data_);
  data_ = nullptr;
  capacity_ = 0;
}

}  // namespace compoly
