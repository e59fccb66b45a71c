// The Embind surface: functions from component bytes to JSON text.
// Errors travel inside the JSON, never as C++ exceptions.
//
// The bytes are passed as an address and a length in the core's memory, not as a
// std::string: js/core/load.js copies only the ranges of a component the core reads
// (js/core/read-ranges.js) into a buffer it allocates with malloc, which a string
// parameter would copy again, whole.
//
// The JSON comes back the same way, as the address of an Output that JS decodes in place
// and then releases: the buffer the core wrote it into. Returning a std::string would have
// Embind copy the text into a second buffer, which its 3.1.6 glue then scans byte by byte in
// JS for NULs before decoding.
#include <emscripten/bind.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "api/compile.h"
#include "model/text.h"

namespace {

// Read by js/core/load.js: two u32 at the start (data, size), then the text that owns them.
struct Output {
  const char* data = nullptr;
  uint32_t size = 0;
  compoly::TextOut text;
};
static_assert(sizeof(const char*) == 4 && offsetof(Output, size) == 4, "load.js reads two u32");

// Runs `write` into a new Output and hands its address over.
template <typename Write>
uintptr_t hand_over(Write write) {
  auto* out = new Output;
  write(out->text);
  out->data = out->text.view().data();
  out->size = static_cast<uint32_t>(out->text.size());
  return reinterpret_cast<uintptr_t>(out);
}

void release(uintptr_t out) { delete reinterpret_cast<Output*>(out); }

const uint8_t* at(uintptr_t address) { return reinterpret_cast<const uint8_t*>(address); }

uintptr_t compile(uintptr_t data, size_t size) {
  return hand_over([&](compoly::TextOut& out) { compoly::compile_to_json(out, at(data), size); });
}

uintptr_t wit(uintptr_t data, size_t size) {
  return hand_over([&](compoly::TextOut& out) { compoly::wit_to_json(out, at(data), size); });
}

uintptr_t link(uintptr_t framed, size_t size, const std::string& wires) {
  return hand_over([&](compoly::TextOut& out) { compoly::link_framed_to_json(out, at(framed), size, wires); });
}

}  // namespace

EMSCRIPTEN_BINDINGS(compoly) {
  emscripten::function("compile", &compile);
  emscripten::function("wit", &wit);
  emscripten::function("link", &link);
  emscripten::function("release", &release);
}
