// A growable array of trivially copyable values.
//
// std::vector is instantiated once per element type, and each instantiation
// brings its own push_back, growth, copy and destruction: in the Emscripten
// build that was ~15 KB of near-identical functions for some forty element
// types. Here the element type only scales a byte count: growth and copies are
// one out-of-line function each (PodBuffer, pod_vector.cc), shared by all.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <type_traits>

namespace compoly {

// The untyped storage: `size` and `capacity` count elements of the size the
// caller passes.
class PodBuffer {
 protected:
  PodBuffer() = default;
  PodBuffer(const PodBuffer&) = delete;
  PodBuffer& operator=(const PodBuffer&) = delete;
  ~PodBuffer();

  // Makes room for at least `min` elements, keeping the first `size`.
  void reserve_bytes(size_t min, size_t element_size);
  // Makes room for one more element.
  void grow_by_one(size_t element_size);
  // Becomes a copy of `o`'s `o.size_` elements.
  void copy_bytes(const PodBuffer& o, size_t element_size);
  // Takes `o`'s block, leaving it empty.
  void take(PodBuffer& o) noexcept;

  void* data_ = nullptr;
  uint32_t size_ = 0;
  uint32_t capacity_ = 0;
};

template <typename T>
class PodVector : private PodBuffer {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  PodVector() = default;
  PodVector(std::initializer_list<T> init) {
    reserve(init.size());
    for (const T& t : init) push_back(t);
  }
  PodVector(size_t n, const T& fill) { resize(n, fill); }
  PodVector(const PodVector& o) { copy_bytes(o, sizeof(T)); }
  // Inline: a move into a new vector has nothing to free, and types with
  // several vectors (Type has seven) are moved whenever their arenas grow.
  PodVector(PodVector&& o) noexcept {
    data_ = o.data_;
    size_ = o.size_;
    capacity_ = o.capacity_;
    o.data_ = nullptr;
    o.size_ = o.capacity_ = 0;
  }
  PodVector& operator=(const PodVector& o) {
    if (this != &o) copy_bytes(o, sizeof(T));
    return *this;
  }
  PodVector& operator=(PodVector&& o) noexcept {
    if (this != &o) take(o);
    return *this;
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T* data() { return static_cast<T*>(data_); }
  const T* data() const { return static_cast<const T*>(data_); }
  T* begin() { return data(); }
  T* end() { return data() + size_; }
  const T* begin() const { return data(); }
  const T* end() const { return data() + size_; }
  T& operator[](size_t i) { return data()[i]; }
  const T& operator[](size_t i) const { return data()[i]; }
  T& front() { return data()[0]; }
  const T& front() const { return data()[0]; }
  T& back() { return data()[size_ - 1]; }
  const T& back() const { return data()[size_ - 1]; }

  void reserve(size_t n) {
    if (n > capacity_) reserve_bytes(n, sizeof(T));
  }
  void push_back(const T& t) {
    if (size_ == capacity_) grow_by_one(sizeof(T));
    data()[size_++] = t;
  }
  template <typename... Args>
  T& emplace_back(Args&&... args) {
    push_back(T{static_cast<Args&&>(args)...});
    return back();
  }
  void pop_back() { --size_; }
  void clear() { size_ = 0; }
  // New elements are value-initialised.
  void resize(size_t n) {
    reserve(n);
    for (size_t i = size_; i < n; ++i) data()[i] = T{};
    size_ = static_cast<uint32_t>(n);
  }
  void resize(size_t n, const T& fill) {
    reserve(n);
    for (size_t i = size_; i < n; ++i) data()[i] = fill;
    size_ = static_cast<uint32_t>(n);
  }

  void assign(size_t n, const T& fill) {
    clear();
    resize(n, fill);
  }

  bool operator==(const PodVector& o) const {
    if (size_ != o.size_) return false;
    for (size_t i = 0; i < size_; ++i)
      if (!(data()[i] == o.data()[i])) return false;
    return true;
  }
};

}  // namespace compoly
