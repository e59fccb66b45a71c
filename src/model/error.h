// The one error type of the core. Every failure (decode, validate, link)
// becomes an Error whose message reads
//   component[2] > canon[5] at byte 0x1a3f: <what was expected and what was found>
// so a user can find the offending bytes without a disassembler.
#pragma once

#include <cstddef>
#include <string>

#include "model/text.h"

namespace compoly {

enum class Phase { Decode, Validate, Link };

// The lean core's errors have no text (model/text.h): there the path and the message are
// MessageText, an empty type, so an Error is made and dropped without string code.
struct Error {
  Phase phase = Phase::Decode;
  MessageText path;     // "component > component[1] > canon[5]"
  size_t offset = 0;    // absolute byte offset in the input
  MessageText message;  // what was expected and what was found

  std::string to_string() const;
};

const char* phase_name(Phase phase);

// Where an item is, as messages name it: "component > canon[5]" for ("component", "canon", 5).
// Nothing in the lean core, whose errors have no text (model/text.h).
#ifdef COMPOLY_LEAN
inline MessageText item_path(const MessageText&, const char*, size_t) { return {}; }
#else
std::string item_path(const std::string& parent, const char* kind, size_t index);
#endif

}  // namespace compoly
