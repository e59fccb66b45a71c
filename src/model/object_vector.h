// A growable array of objects that own memory (strings, vectors): the decoded
// tree's definitions, the elaborator's values, the plan's items.
//
// std::vector brought its own growth, with its helpers, for each element
// type. Here growth is ArrayStorage's (typed_array.h, pod_vector.cc), shared with
// PodVector: with libc++, as in the Emscripten build, elements move to a grown block
// byte for byte, so an element type writes no code of its own for growth at all.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <utility>

#include "model/typed_array.h"

namespace compoly {

class ObjectBuffer : protected ArrayStorage {
 protected:
  ObjectBuffer() = default;
  ObjectBuffer(const ObjectBuffer&) = delete;
  ObjectBuffer& operator=(const ObjectBuffer&) = delete;
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
    if (n > this->capacity_) this->grow(n, sizeof(T), kRelocate);
  }
  void push_back(const T& t) { emplace_back(t); }
  void push_back(T&& t) { emplace_back(std::move(t)); }
  // The arguments may refer to an element (v.push_back(v[0])): the new element is made before
  // the others move, and in one place, so each element type's constructor is written once.
  template <typename... Args>
  T& emplace_back(Args&&... args) {
#ifdef _LIBCPP_VERSION
    // Elements move as bytes (kRelocate): it is made apart and its bytes appended, the growth
    // out of line and shared, so an element type's emplace_back is its constructor and a call.
    alignas(T) unsigned char made[sizeof(T)];
    new (made) T(std::forward<Args>(args)...);
    this->append_bytes(made, 1, sizeof(T));
    return this->back();
#else
    T* block = this->data();
    if (this->size_ == this->capacity_) block = static_cast<T*>(this->allocate(this->size_ + 1, sizeof(T)));
    T* at = new (block + this->size_) T(std::forward<Args>(args)...);
    if (block != this->data()) this->adopt(block, sizeof(T), kRelocate);
    ++this->size_;
    return *at;
#endif
  }
  // Appends `t` itself, leaving a value-initialised T in its place: a move that is a copy of
  // bytes where elements move as bytes (kRelocate), without the element type's move constructor.
  T& take_back(T& t) {
#ifdef _LIBCPP_VERSION
    this->append_bytes(&t, 1, sizeof(T));
    new (&t) T();  // its old bytes, and what they own, are the new element's now
    return this->back();
#else
    emplace_back(std::move(t));
    t = T();
    return this->back();
#endif
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
  // Every element type here (the project's structs, its containers, std::string_view,
  // std::optional, std::unique_ptr, libc++'s std::string) holds no pointer into itself, so its
  // bytes are all that moving it takes. Not so libstdc++'s std::string, whose short form points
  // at its own buffer: in a build with libstdc++ (native g++), elements move one by one. An
  // element must keep it so: no member that points into itself (std::map, std::set, std::list
  // and std::function do, in libc++ too), or the Emscripten build alone breaks.
#ifdef _LIBCPP_VERSION
  static constexpr ArrayStorage::Relocate kRelocate = nullptr;
#else
  static void relocate(void* to, void* from, size_t n) {
    T* dst = static_cast<T*>(to);
    T* src = static_cast<T*>(from);
    for (size_t i = 0; i < n; ++i) {
      new (dst + i) T(std::move(src[i]));
      src[i].~T();
    }
  }
  static constexpr ArrayStorage::Relocate kRelocate = &relocate;
#endif
  static void destroy(T* items, size_t n) {
    for (size_t i = 0; i < n; ++i) items[i].~T();
  }
  void append_copies(const ObjectVector& o) {
    reserve(this->size_ + o.size_);
    for (const T& t : o) emplace_back(t);
  }
};

}  // namespace compoly
