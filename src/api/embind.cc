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
//
// Built twice (CMakeLists.txt). The full core has every function below and every message.
// The lean core (COMPOLY_LEAN) is the one a page loads to compile components: compile() only,
// and a failure without its text, which js/core/load.js then gets from the full core by
// compiling the same bytes again. Components that compile never load the full core; the
// lean one is a third smaller (README.md, "The two cores").
#include <emscripten/bind.h>
#include <emscripten/emscripten.h>

#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

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

#ifndef COMPOLY_LEAN
uintptr_t wit(uintptr_t data, size_t size) {
  return hand_over([&](compoly::TextOut& out) { compoly::wit_to_json(out, at(data), size); });
}

uintptr_t link(uintptr_t framed, size_t size, uintptr_t wires, size_t wires_size) {
  const std::string_view wire_text(reinterpret_cast<const char*>(wires), wires_size);
  return hand_over([&](compoly::TextOut& out) { compoly::link_framed_to_json(out, at(framed), size, wire_text); });
}
#endif

}  // namespace

// Embind's library object (system/lib/embind/bind.cpp) registers every builtin type at start-up:
// wide strings, memory views of twelve element types, emval, floats, 64-bit integers. Each
// registration keeps its JS half in the glue, ~2 KB of gzip that this API never uses: it passes
// only `unsigned long` (addresses and sizes; text too goes through memory, as UTF-8 that
// load.js writes) and `void`. The one symbol of that object the glue needs is __getTypeName
// (for the names in its unbound-type errors); defining it here keeps the linker from pulling
// the object in, so the two types are registered below instead.
//
// This file is built without RTTI too (EMSCRIPTEN_HAS_UNBOUND_TYPE_NAMES=0, CMakeLists.txt):
// Embind then tells types apart by the address of a per-type byte instead of a std::type_info,
// and the core no longer carries libc++abi's type_info classes and their dynamic_cast search,
// whose virtual functions a single typeid kept alive (0.8 KB of gzip). Such an ID has no name,
// so an unbound-type error, which only a registration missing from this file could cause, says
// where to look.
extern "C" EMSCRIPTEN_KEEPALIVE const char* __getTypeName(const void*) {
  return strdup("a type not registered in embind.cc");
}

EMSCRIPTEN_BINDINGS(compoly_types) {
  using namespace emscripten::internal;
  _embind_register_void(TypeID<void>::get(), "void");
  _embind_register_integer(TypeID<unsigned long>::get(), "unsigned long", sizeof(unsigned long), 0, ULONG_MAX);
}

EMSCRIPTEN_BINDINGS(compoly) {
  emscripten::function("compile", &compile);
#ifndef COMPOLY_LEAN
  emscripten::function("wit", &wit);
  emscripten::function("link", &link);
#endif
  emscripten::function("release", &release);
}
