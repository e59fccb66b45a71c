// The Embind surface: functions from component bytes to JSON text.
// Errors travel inside the JSON, never as C++ exceptions.
//
// The bytes are passed as an address and a length in the core's memory, not as a
// std::string: js/core/load.js copies only the ranges of a component the core reads
// (js/core/read-ranges.js) into a buffer it allocates with malloc, which a string
// parameter would copy again, whole.
#include <emscripten/bind.h>

#include <cstdint>
#include <string>

#include "api/compile.h"

namespace {

const uint8_t* at(uintptr_t address) { return reinterpret_cast<const uint8_t*>(address); }

std::string compile(uintptr_t data, size_t size) { return compoly::compile_to_json(at(data), size); }

std::string wit(uintptr_t data, size_t size) { return compoly::wit_to_json(at(data), size); }

std::string link(uintptr_t framed, size_t size, const std::string& wires) {
  return compoly::link_framed_to_json(at(framed), size, wires);
}

}  // namespace

EMSCRIPTEN_BINDINGS(compoly) {
  emscripten::function("compile", &compile);
  emscripten::function("wit", &wit);
  emscripten::function("link", &link);
}
