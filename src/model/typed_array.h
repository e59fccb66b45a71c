// What PodVector and ObjectVector share: `size_` elements of T in a block at
// `data_`, and the accessors over them. `Storage` (PodBuffer or ObjectBuffer)
// holds the block and grows it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace compoly {

// The fields of a growable array; `size_` and `capacity_` count elements.
struct ArrayStorage {
  void* data_ = nullptr;
  uint32_t size_ = 0;
  uint32_t capacity_ = 0;

  // The capacity to grow to: at least 4, else twice the current one. Past 32 bits is fatal,
  // as an allocation that fails is (the core runs without exceptions; size_t is 32 bits in
  // wasm32, where doubling would wrap).
  size_t doubled_capacity() const {
    if (capacity_ > UINT32_MAX / 2) std::abort();
    return capacity_ < 4 ? 4 : size_t(capacity_) * 2;
  }

  // Takes `o`'s block, leaving it empty; this one's block must be free or already taken.
  void steal(ArrayStorage& o) noexcept {
    data_ = o.data_;
    size_ = o.size_;
    capacity_ = o.capacity_;
    o.data_ = nullptr;
    o.size_ = o.capacity_ = 0;
  }
};

template <typename T, typename Storage>
class TypedArray : protected Storage {
 public:
  size_t size() const { return this->size_; }
  bool empty() const { return this->size_ == 0; }
  T* data() { return static_cast<T*>(this->data_); }
  const T* data() const { return static_cast<const T*>(this->data_); }
  T* begin() { return data(); }
  T* end() { return data() + this->size_; }
  const T* begin() const { return data(); }
  const T* end() const { return data() + this->size_; }
  T& operator[](size_t i) { return data()[i]; }
  const T& operator[](size_t i) const { return data()[i]; }
  T& front() { return data()[0]; }
  const T& front() const { return data()[0]; }
  T& back() { return data()[this->size_ - 1]; }
  const T& back() const { return data()[this->size_ - 1]; }
};

}  // namespace compoly
