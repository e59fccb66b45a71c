#include "model/error.h"

#include <cstdio>

namespace compoly {

const char* phase_name(Phase phase) {
  switch (phase) {
    case Phase::Decode: return "decode";
    case Phase::Validate: return "validate";
    case Phase::Link: return "link";
  }
  return "?";
}

std::string Error::to_string() const {
  char at[32];
  std::snprintf(at, sizeof at, "0x%zx", offset);
  std::string out = path.empty() ? std::string("component") : path;
  out += " at byte ";
  out += at;
  out += ": ";
  out += message;
  return out;
}

}  // namespace compoly
