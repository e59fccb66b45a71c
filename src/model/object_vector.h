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

#include "model/typed_array.h"

namespace compoly {

class ObjectBuffer : protected ArrayStorage {
 protected:
  // Move-constructs `n` elements at `to` from those at `from`, then destroys those.
  using Relocate = void (*)(void* to, void* from, size_t n);

  ObjectBuffer() = default;
  ObjectBuffer(const ObjectBuffer&) = delete;
  ObjectBuffer& operator=(const ObjectBuffer&) = delete;

  // Makes room for at least `min` elements, moving the first `size_` over.
  void grow(size_t min, size_t element_size, Relocate relocate);
  // Growth by one element in two steps, so that the new element is made in the new block while
  // the old one, which its arguments may refer to, still holds the others: a block with room
  // for more, then that block taken over, the first `size_` elements moved to it.
  void* grown_block(size_t element_size) const;
  void adopt(void* block, Relocate relocate);
  void release();  // frees the block; the elements must be destroyed already
};

template <typename T>
class ObjectVector : public TypedArray<T, ObjectBuffer> {
 public:
  ObjectVector() = default;
  ObjectVector(const ObjectVector& o) { append_copies(o); }
  ObjectVector(ObjectVector&& o) noexcept { this->steal(o); }
  // `o` may belong to one of this vector's elements (v = v[0].children): it is copied or
  // taken before those are destroyed.
  ObjectVector& operator=(const ObjectVector& o) {
    if (this != &o) *this = ObjectVector(o);
    return *this;
  }
  ObjectVector& operator=(ObjectVector&& o) noexcept {
    if (this != &o) {
      ObjectVector taken(std::move(o));
      clear();
      this->release();
      this->steal(taken);
    }
    return *this;
  }
  ~ObjectVector() {
    clear();
    this->release();
  }

  void reserve(size_t n) {
    if (n > this->capacity_) this->grow(n, sizeof(T), &relocate);
  }
  void push_back(const T& t) { emplace_back(t); }
  void push_back(T&& t) { emplace_back(std::move(t)); }
  // The arguments may refer to an element (v.push_back(v[0])): the new element is made before
  // the others move, and in one place, so each element type's constructor is written once.
  template <typename... Args>
  T& emplace_back(Args&&... args) {
    T* block = this->data();
    if (this->size_ == this->capacity_) block = static_cast<T*>(this->grown_block(sizeof(T)));
    T* at = new (block + this->size_) T(std::forward<Args>(args)...);
    if (block != this->data()) this->adopt(block, &relocate);
    ++this->size_;
    return *at;
  }
  void pop_back() { this->data()[--this->size_].~T(); }
  // New elements are value-initialised.
  void resize(size_t n) {
    reserve(n);
    while (this->size_ > n) pop_back();
    while (this->size_ < n) emplace_back();
  }
  void clear() {
    destroy(this->data(), this->size_);
    this->size_ = 0;
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
  static void destroy(T* items, size_t n) {
    for (size_t i = 0; i < n; ++i) items[i].~T();
  }
  void append_copies(const ObjectVector& o) {
    reserve(this->size_ + o.size_);
    for (const T& t : o) emplace_back(t);
  }
};

}  // namespace compoly
