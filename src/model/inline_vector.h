// A vector of trivially copyable values whose first N live in the object
// itself: for short lists that are copied often (core function types, the
// name paths of host functions, the flat lists of canonical ABI layouts), so
// that copies do not allocate.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <type_traits>
#include <vector>

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
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T* data() const { return size_ <= N ? in_place_ : spilled_.data(); }
  T* data() { return size_ <= N ? in_place_ : spilled_.data(); }
  const T* begin() const { return data(); }
  const T* end() const { return data() + size_; }
  const T& operator[](size_t i) const { return data()[i]; }
  T& operator[](size_t i) { return data()[i]; }
  void push_back(const T& t) {
    if (size_ < N) {
      in_place_[size_++] = t;
      return;
    }
    if (size_ == N) spilled_.assign(in_place_, in_place_ + N);
    spilled_.push_back(t);
    ++size_;
  }
  bool operator==(const InlineVector& o) const {
    if (size_ != o.size_) return false;
    for (size_t i = 0; i < size_; ++i)
      if (!(begin()[i] == o.begin()[i])) return false;
    return true;
  }

 private:
  uint32_t size_ = 0;
  T in_place_[N] = {};
  std::vector<T> spilled_;  // all of them, once there are more than N
};

}  // namespace compoly
