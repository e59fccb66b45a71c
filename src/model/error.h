// The one error type of the core. Every failure (decode, validate, link)
// becomes an Error whose message reads
//   component[2] > canon[5] at byte 0x1a3f: <what was expected and what was found>
// so a user can find the offending bytes without a disassembler.
#pragma once

#include <cstddef>
#include <string>

namespace compoly {

enum class Phase { Decode, Validate, Link };

struct Error {
  Phase phase = Phase::Decode;
  std::string path;     // "component > component[1] > canon[5]"
  size_t offset = 0;    // absolute byte offset in the input
  std::string message;  // what was expected and what was found

  std::string to_string() const;
};

const char* phase_name(Phase phase);

}  // namespace compoly
