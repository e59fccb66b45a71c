#include "model/error.h"

#include "model/text.h"

namespace compoly {

const char* phase_name(Phase phase) {
  switch (phase) {
    case Phase::Decode: return "decode";
    case Phase::Validate: return "validate";
    case Phase::Link: return "link";
  }
  return "?";
}

#ifndef COMPOLY_LEAN
std::string item_path(const std::string& parent, const char* kind, size_t index) {
  std::string out = parent;
  out += " > ";
  out += kind;
  out += '[';
  append_decimal(out, index);
  out += ']';
  return out;
}
#endif

std::string Error::to_string() const {
#ifdef COMPOLY_LEAN
  // No path, offset or message to write (model/text.h): what the full form makes of none.
  return "component at byte : ";
#else
  std::string out = path.empty() ? std::string("component") : path;
  out += " at byte ";
  out += hex(offset, 1);
  out += ": ";
  out += message;
  return out;
#endif
}

}  // namespace compoly
