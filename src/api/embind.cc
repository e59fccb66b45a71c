// The Embind surface: two functions from component bytes to JSON text.
// Errors travel inside the JSON, never as C++ exceptions.
#include <emscripten/bind.h>

#include <string>

#include "api/compile.h"

namespace {

std::string compile(const std::string& bytes) {
  return compoly::compile_to_json(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

std::string wit(const std::string& bytes) {
  return compoly::wit_to_json(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

std::string link(const std::string& framed, const std::string& wires) {
  return compoly::link_framed_to_json(reinterpret_cast<const uint8_t*>(framed.data()), framed.size(), wires);
}

}  // namespace

EMSCRIPTEN_BINDINGS(compoly) {
  emscripten::function("compile", &compile);
  emscripten::function("wit", &wit);
  emscripten::function("link", &link);
}
