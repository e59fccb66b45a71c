// A growable array of trivially copyable values.
//
// std::vector is instantiated once per element type, and each instantiation
// brings its own push_back, growth, copy and destruction: in the Emscripten
// build that was ~15 KB of near-identical functions for some forty element
// types. Here the element type only scales a byte count: growth and copies are
// one out-of-line function each (ArrayStorage, pod_vector.cc), shared by all.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <type_traits>

#include "model/typed_array.h"

namespace compoly {

// The untyped storage: `size` and `capacity` count elements of the size the
// caller passes (ArrayStorage's growth, with a destructor).
class PodBuffer : protected ArrayStorage {
 protected:
  PodBuffer() = default;
  PodBuffer(const PodBuffer&) = delete;
  PodBuffer& operator=(const PodBuffer&) = delete;
  ~PodBuffer();

  // Takes `o`'s block, leaving it empty.
  void take(PodBuffer& o) noexcept;
};

template <typename T>
class PodVector : public TypedArray<T, PodBuffer> {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  PodVector() = default;
  PodVector(std::initializer_list<T> init) {
    reserve(init.size());
    for (const T& t : init) push_back(t);
  }
  PodVector(size_t n, const T& fill) { resize(n, fill); }
  PodVector(const PodVector& o) { this->copy_bytes(o, sizeof(T)); }
  // Inline: a move into a new vector has nothing to free, and types with
  // several vectors (Type has nine) are moved whenever their arenas grow.
  PodVector(PodVector&& o) noexcept { this->steal(o); }
  PodVector& operator=(const PodVector& o) {
    if (this != &o) this->copy_bytes(o, sizeof(T));
    return *this;
  }
  PodVector& operator=(PodVector&& o) noexcept {
    if (this != &o) this->take(o);
    return *this;
  }

  void reserve(size_t n) {
    if (n > this->capacity_) this->grow(n, sizeof(T), nullptr);
  }
  // A value of a word or two is stored in place; a larger one is copied out of line, where
  // its copy, written again for each element type, outweighed the call.
  void push_back(const T& t) {
    if (sizeof(T) > 8 || this->size_ == this->capacity_) return this->append_bytes(&t, 1, sizeof(T));
    this->data()[this->size_++] = t;
  }
  template <typename... Args>
  T& emplace_back(Args&&... args) {
    push_back(T{static_cast<Args&&>(args)...});
    return this->back();
  }
  // Appends `n` elements from `items` (which may be elements of this vector).
  void append(const T* items, size_t n) { this->append_bytes(items, n, sizeof(T)); }
  void pop_back() { --this->size_; }
  void clear() { this->size_ = 0; }
  // New elements are value-initialised.
  void resize(size_t n) {
    reserve(n);
    for (size_t i = this->size_; i < n; ++i) this->data()[i] = T{};
    this->size_ = static_cast<uint32_t>(n);
  }
  void resize(size_t n, const T& fill) {
    const T value = fill;  // `fill` may be an element of this vector
    reserve(n);
    for (size_t i = this->size_; i < n; ++i) this->data()[i] = value;
    this->size_ = static_cast<uint32_t>(n);
  }

  void assign(size_t n, const T& fill) {
    const T value = fill;  // `fill` may be an element of this vector, which clear() drops
    clear();
    resize(n, value);
  }

  bool operator==(const PodVector& o) const {
    if (this->size_ != o.size_) return false;
    for (size_t i = 0; i < this->size_; ++i)
      if (!(this->data()[i] == o.data()[i])) return false;
    return true;
  }
};

}  // namespace compoly
