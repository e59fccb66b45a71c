// A growable array of objects that own memory (strings, vectors): the decoded
// tree's definitions, the elaborator's values, the plan's items.
//
// std::vector brought its own growth, with its helpers, for each element
// type. Here growth is one out-of-line function (ObjectBuffer::grow,
// object_vector.cc) that takes the element size and a function that moves
// elements to the new block; only that function and the destructor are
// written again per element type.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <utility>

namespace compoly {

class ObjectBuffer {
 protected:
  // Move-constructs `n` elements at `to` from those at `from`, then destroys those.
  using Relocate = void (*)(void* to, void* from, size_t n);

  ObjectBuffer() = default;
  ObjectBuffer(const ObjectBuffer&) = delete;
  ObjectBuffer& operator=(const ObjectBuffer&) = delete;

  // Makes room for at least `min` elements, moving the first `size_` over.
  void grow(size_t min, size_t element_size, Relocate relocate);
  void release();  // frees the block; the elements must be destroyed already

  void* data_ = nullptr;
  uint32_t size_ = 0;
  uint32_t capacity_ = 0;
};

template <typename T>
class ObjectVector : private ObjectBuffer {
 public:
  ObjectVector() = default;
  ObjectVector(const ObjectVector& o) { append_copies(o); }
  ObjectVector(ObjectVector&& o) noexcept { take(o); }
  ObjectVector& operator=(const ObjectVector& o) {
    if (this != &o) {
      clear();
      append_copies(o);
    }
    return *this;
  }
  ObjectVector& operator=(ObjectVector&& o) noexcept {
    if (this != &o) {
      clear();
      release();
      take(o);
    }
    return *this;
  }
  ~ObjectVector() {
    clear();
    release();
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
    if (n > capacity_) grow(n, sizeof(T), &relocate);
  }
  void push_back(const T& t) { emplace_back(t); }
  void push_back(T&& t) { emplace_back(std::move(t)); }
  template <typename... Args>
  T& emplace_back(Args&&... args) {
    if (size_ == capacity_) return emplace_back_growing(std::forward<Args>(args)...);
    T* at = new (data() + size_) T(std::forward<Args>(args)...);
    ++size_;
    return *at;
  }
  void pop_back() { data()[--size_].~T(); }
  // New elements are value-initialised.
  void resize(size_t n) {
    reserve(n);
    while (size_ > n) pop_back();
    while (size_ < n) emplace_back();
  }
  void clear() {
    destroy(data(), size_);
    size_ = 0;
  }

 private:
  static void relocate(void* to, void* from, size_t n) {
    T* dst = static_cast<T*>(to);
    T* src = static_cast<T*>(from);
    for (size_t i = 0; i < n; ++i) {
      new (dst + i) T(std::move(src[i]));
      src[i].~T();
    }
  }
  // The arguments may refer to an element (v.push_back(v[0])): the new one is
  // made before the block moves.
  template <typename... Args>
  T& emplace_back_growing(Args&&... args) {
    T made(std::forward<Args>(args)...);
    grow(size_t(capacity_) + 1, sizeof(T), &relocate);
    T* at = new (data() + size_) T(std::move(made));
    ++size_;
    return *at;
  }
  static void destroy(T* items, size_t n) {
    for (size_t i = 0; i < n; ++i) items[i].~T();
  }
  void append_copies(const ObjectVector& o) {
    reserve(size_ + o.size_);
    for (const T& t : o) emplace_back(t);
  }
  void take(ObjectVector& o) {
    data_ = o.data_;
    size_ = o.size_;
    capacity_ = o.capacity_;
    o.data_ = nullptr;
    o.size_ = o.capacity_ = 0;
  }
};

}  // namespace compoly
