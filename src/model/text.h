// Small text helpers shared by the decoder, the error type and the JSON
// writers. Hand-written rather than snprintf: printf's formatting engine
// costs about 3 KB (gzip) of the Wasm build, for two formats.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>

namespace compoly {

// ASCII case folding, as strong uniqueness and type equality compare labels.
inline char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }
// Whether a and b are equal without regard to ASCII case.
bool equal_folded(std::string_view a, std::string_view b);

// A message, or a part of one (a path, a type's text), as the decoder and the validators hand it
// on. The lean core has no message text (see format()): there it is an empty type, so making,
// moving and dropping one is no code at all, where an empty std::string is still built and freed.
#ifdef COMPOLY_LEAN
struct MessageText {
  MessageText() = default;
  MessageText(const char*) {}
  MessageText(const std::string&) {}
  bool empty() const { return true; }
};
#else
using MessageText = std::string;
#endif

// "0x1a3f"; at least `min_digits` hex digits. For messages only: nothing in the lean core.
#ifdef COMPOLY_LEAN
inline MessageText hex(uint64_t, int = 2) { return {}; }
#else
std::string hex(uint64_t value, int min_digits = 2);
#endif

// Append-only text for the plan writer, which writes ~20 KB of JSON for a WASI
// command in thousands of small pieces. Each std::string append re-derives the
// string's short-or-long form, size and capacity through calls that V8's
// baseline tier does not inline; here a piece is one bounds check and a copy.
class TextOut {
 public:
  TextOut() = default;
  TextOut(TextOut&& o) noexcept : data_(o.data_), size_(o.size_), capacity_(o.capacity_) { o.data_ = nullptr; o.size_ = o.capacity_ = 0; }
  TextOut& operator=(TextOut&& o) noexcept;
  TextOut(const TextOut&) = delete;
  TextOut& operator=(const TextOut&) = delete;
  ~TextOut() { delete[] data_; }

  TextOut& operator+=(char c) {
    if (size_ == capacity_) grow(1);
    data_[size_++] = c;
    return *this;
  }
  TextOut& operator+=(std::string_view s) {
    append(s.data(), s.size());
    return *this;
  }
  // A literal's length is known: no strlen.
  template <size_t N>
  TextOut& operator+=(const char (&literal)[N]) {
    append(literal, N - 1);
    return *this;
  }
  void append(const char* text, size_t n);
  void reserve(size_t n) {
    if (n > capacity_) grow(n - size_);
  }
  void clear() { size_ = 0; }
  void truncate(size_t n) { size_ = n; }  // keeps the first n <= size() chars
  size_t size() const { return size_; }
  std::string_view view() const { return std::string_view(data_, size_); }

 private:
  void grow(size_t more);

  char* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

// Appends `v` in decimal.
void append_decimal(std::string& out, uint64_t v);
void append_decimal(TextOut& out, uint64_t v);

// Appends `s` as a JSON string literal (quotes included).
void append_json_string(TextOut& out, std::string_view s);

// One argument of format(): text (a view, a string, a C string) or an integer.
// Holds a view, so a temporary string argument must outlive the format() call
// it appears in (it does, within one full expression).
#ifdef COMPOLY_LEAN
// The lean core formats nothing (see format()): an argument keeps nothing, so that what it was
// made from (a C string's length, a name passed down for messages) is left unused and dropped.
class FormatArg {
 public:
  FormatArg(std::string_view) {}
  FormatArg(const std::string&) {}
  FormatArg(const char*) {}
  FormatArg(const MessageText&) {}
  template <typename T, typename = std::enable_if_t<std::is_integral_v<T>>>
  FormatArg(T) {
    static_assert(!std::is_same_v<T, bool> && !std::is_same_v<T, char>, "format a bool or char as text");
  }
};
#else
class FormatArg {
 public:
  FormatArg(std::string_view text) : text_(text) {}
  FormatArg(const std::string& text) : text_(text) {}
  FormatArg(const char* text) : text_(text) {}
  template <typename T, typename = std::enable_if_t<std::is_integral_v<T>>>
  FormatArg(T n) : is_number_(true), negative_(n < 0), number_(n < 0 ? 0 - uint64_t(n) : uint64_t(n)) {
    static_assert(!std::is_same_v<T, bool> && !std::is_same_v<T, char>, "format a bool or char as text");
  }
  void append_to(std::string& out) const;

 private:
  std::string_view text_;
  bool is_number_ = false;
  bool negative_ = false;
  uint64_t number_ = 0;
};
#endif

// `pattern` with each "{}" replaced by the next argument, in order. Messages
// are built this way rather than with chains of std::string `+`: each chain
// inlined its temporaries' allocation and destruction at every error site.
std::string format(const char* pattern, std::initializer_list<FormatArg> args);

// format() as a MessageText: in the lean core nothing, the pattern and arguments dropped in place.
#ifdef COMPOLY_LEAN
inline MessageText message(const char*, std::initializer_list<FormatArg>) { return {}; }
#else
inline std::string message(const char* pattern, std::initializer_list<FormatArg> args) { return format(pattern, args); }
#endif

}  // namespace compoly
