#include "binary/reader.h"

namespace compoly {

#ifdef COMPOLY_LEAN
void Reader::stop() {
  failed_ = true;
  pos_ = end_;
}
#else
void Reader::fail_at(size_t at, const char* pattern, std::initializer_list<FormatArg> args) {
  if (failed_) return;
  std::string message = format(pattern, args);
  fail_at(at, std::move(message));
}

void Reader::fail_hex(size_t at, const char* pattern, uint64_t code) { fail_at(at, pattern, {hex(code)}); }
#endif

uint64_t Reader::leb(unsigned bits, bool is_signed, const char* what) {
  // Most counts, indices and lengths fit in one byte (below 0x40 a signed one is not negative).
  // After a failure pos_ is at the end, so this is no read.
  if (pos_ < end_ && *pos_ < (is_signed ? 0x40 : 0x80)) return *pos_++;
  uint64_t result = 0;
  unsigned shift = 0;
  size_t start = offset();
  unsigned max_bytes = (bits + 6) / 7;
  for (unsigned i = 0;; ++i) {
    if (pos_ >= end_) {  // also after a failure, which moved to the end
      eof(what);
      return 0;
    }
    uint8_t byte = *pos_++;
    if (i + 1 == max_bytes) {
      // The last permitted byte may only carry the bits that remain; in a signed integer the
      // unused high bits must be a sign extension of the last used bit.
      unsigned used = bits - shift;
      if (!is_signed) {
        if ((byte & 0x80) || (used < 7 && (byte >> used) != 0)) {
          fail_at(start, "integer too large or LEB128 too long in {}", {what});
          return 0;
        }
      } else if (byte & 0x80) {
        fail_at(start, "LEB128 too long in {}", {what});
        return 0;
      } else if (used < 7) {
        unsigned sign = (byte >> (used - 1)) & 1;
        unsigned high = unsigned(byte & 0x7f) >> used;
        if (high != (sign ? (0x7fu >> used) : 0u)) {
          fail_at(start, "integer too large in {}", {what});
          return 0;
        }
      }
    }
    result |= uint64_t(byte & 0x7f) << shift;
    shift += 7;
    if (!(byte & 0x80)) {
      if (is_signed && shift < 64 && (byte & 0x40)) result |= ~uint64_t(0) << shift;
      return result;
    }
  }
}

std::string_view Reader::name(const char* what) {
  size_t at = offset();
  uint32_t len = u32(what);
  std::string_view s = bytes(len, what);
  if (ok() && !is_valid_utf8(s)) fail_at(at, "invalid UTF-8 in {}", {what});
  return s;
}

bool is_valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* e = p + s.size();
  while (p < e) {
    unsigned c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int n;
    uint32_t cp;
    if ((c & 0xe0) == 0xc0) {
      n = 1;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (e - p <= n) return false;
    for (int i = 1; i <= n; ++i) {
      if ((p[i] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3f);
    }
    static const uint32_t min_for_len[] = {0, 0x80, 0x800, 0x10000};
    if (cp < min_for_len[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    p += n + 1;
  }
  return true;
}

}  // namespace compoly
