// A cursor over a byte span with a sticky error, in the style of V8's
// module decoder: once a read fails every later read returns a zero value and
// the first error (with its byte offset) is what gets reported. Callers check
// ok() at loop boundaries instead of after every byte.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "model/error.h"
#include "model/text.h"

namespace compoly {

class Reader {
 public:
  // `base` is the offset of `data` within the outermost input, so that
  // errors from nested components and core modules carry absolute offsets.
  Reader(const uint8_t* data, size_t size, size_t base = 0)
      : begin_(data), pos_(data), end_(data + size), base_(base) {}

  bool ok() const { return !failed_; }
  bool at_end() const { return pos_ >= end_; }
  // A failure moves to the end (fail_at()), so nothing remains after one.
  size_t remaining() const { return size_t(end_ - pos_); }
  size_t offset() const { return base_ + size_t(pos_ - begin_); }
  const uint8_t* pos() const { return pos_; }
  size_t base() const { return base_; }
  const uint8_t* begin() const { return begin_; }

#ifdef COMPOLY_LEAN
  // The lean core reports neither text nor offset (model/text.h): a failure is the flag alone, so
  // the offsets worked out for it at each call are dropped there.
  void fail_at(size_t, MessageText) { stop(); }
  size_t error_offset() const { return 0; }
#else
  // The first failure wins; later ones are dropped so that the message
  // points at the cause rather than a consequence.
  void fail_at(size_t at, MessageText message) {
    if (failed_) return;
    failed_ = true;
    error_offset_ = at;
    error_ = std::move(message);
    pos_ = end_;
  }
  size_t error_offset() const { return error_offset_; }
#endif
  void fail(MessageText message) { fail_at(offset(), std::move(message)); }
  void fail(const char* message) { fail_at(offset(), MessageText(message)); }
  void fail_at(size_t at, const char* message) { fail_at(at, MessageText(message)); }
  // The same with the message formatted here, once, rather than at each of the error sites.
  void fail(const char* pattern, std::initializer_list<FormatArg> args) { fail_at(offset(), pattern, args); }
#ifdef COMPOLY_LEAN
  // No text to format (model/text.h): pattern and arguments are dropped at the call.
  void fail_at(size_t at, const char*, std::initializer_list<FormatArg>) { fail_at(at, MessageText()); }
  void fail_hex(size_t at, const char*, uint64_t) { fail_at(at, MessageText()); }
#else
  void fail_at(size_t at, const char* pattern, std::initializer_list<FormatArg> args);
  // The same with one argument, a code written in hex ("unknown sort 0x07"): out of line, so that
  // each of the many such sites is one call rather than a hex string made and destroyed.
  void fail_hex(size_t at, const char* pattern, uint64_t code);
#endif
  const MessageText& error() const { return error_; }

  uint8_t u8(const char* what = "byte") {
    if (pos_ >= end_) {
      eof(what);
      return 0;
    }
    return *pos_++;
  }
  uint8_t peek() const { return pos_ < end_ ? *pos_ : 0; }

  uint32_t u32(const char* what = "u32") { return uint32_t(leb(32, false, what)); }
  uint64_t u64(const char* what = "u64") { return leb(64, false, what); }
  int64_t s33(const char* what = "s33") { return int64_t(leb(33, true, what)); }
  int32_t s32(const char* what = "s32") { return int32_t(leb(32, true, what)); }
  int64_t s64(const char* what = "s64") { return int64_t(leb(64, true, what)); }

  // Returns a view of the next `n` bytes without copying.
  std::string_view bytes(size_t n, const char* what = "bytes") {
    if (failed_) return {};
    if (size_t(end_ - pos_) < n) {
      eof(what);
      return {};
    }
    std::string_view v(reinterpret_cast<const char*>(pos_), n);
    pos_ += n;
    return v;
  }

  void skip(size_t n, const char* what = "bytes") { bytes(n, what); }

  // A length-prefixed UTF-8 string (core:name).
  std::string_view name(const char* what = "name");

  // A sub-reader over the next `n` bytes; this reader moves past them.
  Reader sub(size_t n, const char* what) {
    size_t at = offset();
    const uint8_t* start = pos_;
    if (size_t(end_ - pos_) < n) {  // after a failure none remain
      eof(what);
      return Reader(start, 0, at);
    }
    pos_ += n;
    return Reader(start, n, at);
  }

  // Copies a sub-reader's failure (if any) into this one.
  void absorb(const Reader& inner) {
    if (!inner.ok()) fail_at(inner.error_offset(), inner.error());
  }

 private:
#ifdef COMPOLY_LEAN
  // A failure: out of line, one call at each of the many places that fail.
  void stop();
#endif
  void eof(const char* what) { fail("unexpected end of input while reading {}", {what}); }
  // A LEB128 integer of at most `bits` bits; a signed one comes back sign-extended to 64 bits.
  uint64_t leb(unsigned bits, bool is_signed, const char* what);

  const uint8_t* begin_;
  const uint8_t* pos_;
  const uint8_t* end_;
  size_t base_;
  bool failed_ = false;
#ifndef COMPOLY_LEAN
  size_t error_offset_ = 0;
#endif
  MessageText error_;
};

bool is_valid_utf8(std::string_view s);

}  // namespace compoly
