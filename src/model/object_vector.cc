#include "model/object_vector.h"

#include <cstdint>
#include <cstdlib>

namespace compoly {

void ObjectBuffer::grow(size_t min, size_t element_size, Relocate relocate) {
  // The core runs without exceptions: a size that overflows (the capacity is
  // 32 bits, and so is size_t in wasm32), or an allocation that fails, is
  // fatal, as in std::vector and operator new.
  if (min > UINT32_MAX || capacity_ > UINT32_MAX / 2) std::abort();
  size_t capacity = capacity_ < 4 ? 4 : size_t(capacity_) * 2;
  if (capacity < min) capacity = min;
  if (capacity > SIZE_MAX / element_size) std::abort();
  void* block = std::malloc(capacity * element_size);
  if (!block) std::abort();
  if (size_) relocate(block, data_, size_);
  std::free(data_);
  data_ = block;
  capacity_ = static_cast<uint32_t>(capacity);
}

void ObjectBuffer::release() {
  std::free(data_);
  data_ = nullptr;
  capacity_ = 0;
}

}  // namespace compoly
