// A vector of trivially copyable values whose first N live in the object
// itself: for short lists that are copied often (core function types, the
// name paths of host functions, the flat lists of canonical ABI layouts), so
// that copies do not allocate.
//
// Longer lists move to a heap block the object owns. It is a plain pointer
// rather than a std::vector member because these objects are copied with every
// core import, export and layout: with a std::vector, each copy, construction
// and destruction made out-of-line calls even for an empty one, and V8's
// baseline tier runs those calls as they are.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <type_traits>

namespace compoly {

template <typename T, size_t N>
class InlineVector {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  static constexpr size_t kInPlace = N;
  InlineVector() = default;
  InlineVector(std::initializer_list<T> init) {
    for (const T& t : init) push_back(t);
  }
  InlineVector(const InlineVector& o) { copy_from(o); }
  InlineVector(InlineVector&& o) noexcept { take_from(o); }
  InlineVector& operator=(const InlineVector& o) {
    if (this != &o) {
      delete[] heap_;
      copy_from(o);
    }
    return *this;
  }
  InlineVector& operator=(InlineVector&& o) noexcept {
    if (this != &o) {
      delete[] heap_;
      take_from(o);
    }
    return *this;
  }
  ~InlineVector() { delete[] heap_; }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T* data() const { return heap_ ? heap_ : in_place_; }
  T* data() { return heap_ ? heap_ : in_place_; }
  const T* begin() const { return data(); }
  const T* end() const { return data() + size_; }
  const T& operator[](size_t i) const { return data()[i]; }
  T& operator[](size_t i) { return data()[i]; }
  // `t` must not be an element of this vector: growing frees the heap block it would be in
  // (no caller appends from the same vector; PodVector and ObjectVector allow it).
  void push_back(const T& t) {
    if (size_ == capacity()) grow();
    data()[size_++] = t;
  }
  bool operator==(const InlineVector& o) const {
    if (size_ != o.size_) return false;
    for (size_t i = 0; i < size_; ++i)
      if (!(begin()[i] == o.begin()[i])) return false;
    return true;
  }

 private:
  size_t capacity() const { return heap_ ? heap_capacity_ : N; }
  // Doubles the room; the first time, the elements leave the object for the heap.
  void grow() {
    const uint32_t capacity = uint32_t(this->capacity()) * 2;
    T* block = new T[capacity];
    std::memcpy(static_cast<void*>(block), data(), size_ * sizeof(T));
    delete[] heap_;
    heap_ = block;
    heap_capacity_ = capacity;
  }
  // The in-place part is copied whole: a copy of fixed size is a few loads and
  // stores, where one of the used size would be a memory.copy call.
  void copy_from(const InlineVector& o) {
    size_ = o.size_;
    std::memcpy(static_cast<void*>(in_place_), o.in_place_, sizeof(in_place_));
    heap_ = nullptr;
    heap_capacity_ = 0;
    if (o.heap_) {
      heap_ = new T[o.size_];
      heap_capacity_ = o.size_;
      std::memcpy(static_cast<void*>(heap_), o.heap_, o.size_ * sizeof(T));
    }
  }
  void take_from(InlineVector& o) {
    size_ = o.size_;
    std::memcpy(static_cast<void*>(in_place_), o.in_place_, sizeof(in_place_));
    heap_ = o.heap_;
    heap_capacity_ = o.heap_capacity_;
    o.heap_ = nullptr;  // its capacity is N again, whatever heap_capacity_ says
    o.size_ = 0;
  }

  uint32_t size_ = 0;
  uint32_t heap_capacity_ = 0;
  T* heap_ = nullptr;  // all of them, once there are more than N
  T in_place_[N] = {};
};

}  // namespace compoly
