// What PodVector and ObjectVector share: `size_` elements of T in a block at
// `data_`, the growth of that block (written once, pod_vector.cc), and the accessors.
#pragma once

#include <cstddef>
#include <cstdint>

namespace compoly {

// The fields of a growable array; `size_` and `capacity_` count elements.
struct ArrayStorage {
  // Moves `n` elements from `from` to `to`, destroying the originals; nullptr: their bytes are
  // copied, which is all that moving takes for any element that holds no pointer into itself.
  using Relocate = void (*)(void* to, void* from, size_t n);

  void* data_ = nullptr;
  uint32_t size_ = 0;
  uint32_t capacity_ = 0;

  // Growth in two steps, so that new elements can be made in the new block while the old one,
  // which they may be made from, still holds the others. First a block with room for at least
  // `min` elements, at least twice the current capacity (4 at first); the capacity is already
  // the block's. Past 32 bits is fatal, as an allocation that fails is (the core runs without
  // exceptions; size_t is 32 bits in wasm32, where the sizes would wrap).
  void* allocate(size_t min, size_t element_size);
  // Then the block taken over: the first `size_` elements moved to it, the old block freed.
  void adopt(void* block, size_t element_size, Relocate relocate);
  void grow(size_t min, size_t element_size, Relocate relocate) { adopt(allocate(min, element_size), element_size, relocate); }
  // Appends `n` trivially copyable elements from `items`, which may lie in this block.
  void append_bytes(const void* items, size_t n, size_t element_size);
  // Becomes a copy of `o`'s trivially copyable elements.
  void copy_bytes(const ArrayStorage& o, size_t element_size);
  // Frees the block (its elements must be destroyed already), leaving the array empty.
  void release();

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
