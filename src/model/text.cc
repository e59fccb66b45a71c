#include "model/text.h"

#include <cstring>

namespace compoly {

bool equal_folded(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

#ifndef COMPOLY_LEAN
std::string hex(uint64_t value, int min_digits) {
  static const char digits[] = "0123456789abcdef";
  char buf[16];
  int n = 0;
  do {
    buf[n++] = digits[value & 0xf];
    value >>= 4;
  } while (value != 0 || n < min_digits);
  std::string out = "0x";
  while (n > 0) out += buf[--n];
  return out;
}
#endif

namespace {

// The digits of `v`, most significant first, at the end of `buf`; returns where they start.
char* decimal_digits(char (&buf)[20], uint64_t v) {
  char* p = buf + 20;
  do {
    *--p = char('0' + v % 10);
    v /= 10;
  } while (v != 0);
  return p;
}

}  // namespace

TextOut& TextOut::operator=(TextOut&& o) noexcept {
  if (this != &o) {
    delete[] data_;
    data_ = o.data_;
    size_ = o.size_;
    capacity_ = o.capacity_;
    o.data_ = nullptr;
    o.size_ = o.capacity_ = 0;
  }
  return *this;
}

void TextOut::grow(size_t more) {
  size_t capacity = capacity_ ? 2 * capacity_ : 256;
  while (capacity - size_ < more) capacity *= 2;
  char* data = new char[capacity];
  if (size_) std::memcpy(data, data_, size_);
  delete[] data_;
  data_ = data;
  capacity_ = capacity;
}

void TextOut::append(const char* text, size_t n) {
  if (capacity_ - size_ < n) grow(n);
  if (n) std::memcpy(data_ + size_, text, n);
  size_ += n;
}

void append_decimal(std::string& out, uint64_t v) {
  char buf[20];
  const char* p = decimal_digits(buf, v);
  out.append(p, size_t(buf + 20 - p));
}

void append_decimal(TextOut& out, uint64_t v) {
  char buf[20];
  const char* p = decimal_digits(buf, v);
  out.append(p, size_t(buf + 20 - p));
}

#ifndef COMPOLY_LEAN
void FormatArg::append_to(std::string& out) const {
  if (!is_number_) {
    out.append(text_);
    return;
  }
  if (negative_) out += '-';
  append_decimal(out, number_);
}
#endif

std::string format(const char* pattern, std::initializer_list<FormatArg> args) {
#ifdef COMPOLY_LEAN
  // The lean core has no message text: with nothing reading the patterns, the linker drops
  // them (LTO), ~10 KB of the wasm's data. Every format() call builds a message or the
  // context of one, never anything a plan holds (tests/js/lean-core.test.js checks the plans).
  (void)pattern;
  (void)args;
  return {};
#else
  std::string out;
  const FormatArg* next = args.begin();
  // The text between placeholders goes in whole spans: some contexts are formatted on the
  // success path (an import's subtype check names what it checks).
  const char* span = pattern;
  for (const char* p = pattern; *p; ++p) {
    if (p[0] == '{' && p[1] == '}' && next != args.end()) {
      out.append(span, p);
      (next++)->append_to(out);
      span = ++p + 1;
    }
  }
  out.append(span);
  return out;
#endif
}

void append_json_string(TextOut& out, std::string_view s) {
  static const char digits[] = "0123456789abcdef";
  out += '"';
  // Names and messages rarely need escaping: the text between escapes is copied whole.
  size_t plain = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + plain, i - plain);
    plain = i + 1;
    out += '\\';
    switch (c) {
      case '"':
      case '\\': out += char(c); break;
      case '\n': out += 'n'; break;
      case '\r': out += 'r'; break;
      case '\t': out += 't'; break;
      default:
        out += "u00";
        out += digits[c >> 4];
        out += digits[c & 0xf];
    }
  }
  out.append(s.data() + plain, s.size() - plain);
  out += '"';
}

}  // namespace compoly
