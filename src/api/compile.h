// The core's whole public surface, as plain functions over bytes that return
// JSON text: the Embind layer and the native inspector are thin wrappers over
// these, and tests call them directly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "model/text.h"

namespace compoly {

// {"ok":true,"plan":{...}} or {"ok":false,"error":{...}} (see docs/plan.md).
std::string compile_to_json(const uint8_t* data, size_t size);

// {"ok":true,"wit":"package root:component; ..."} or {"ok":false,"error":{...}}.
std::string wit_to_json(const uint8_t* data, size_t size);

// Links a set of components (components[0] is the one whose exports the
// result has) with imports wired to other components' exports; returns
// {"ok":true,"plan":{...},"wit":"..."} or the error. Module ranges in the
// plan carry the index of the input they come from. The components come in
// one buffer: [u32 count] then count × [u32 length][bytes] (little-endian),
// and the wires as lines "importer\timport\texporter\texport". Not in the lean core.
#ifndef COMPOLY_LEAN
std::string link_framed_to_json(const uint8_t* data, size_t size, std::string_view wires);
#endif

// The same three, appending the JSON to `out` instead: the Embind layer hands that
// buffer to JS as it is, without copying the text into a std::string first.
void compile_to_json(TextOut& out, const uint8_t* data, size_t size);
void wit_to_json(TextOut& out, const uint8_t* data, size_t size);
#ifndef COMPOLY_LEAN
void link_framed_to_json(TextOut& out, const uint8_t* data, size_t size, std::string_view wires);
#endif

// The same as compile_to_json without producing output: for the fuzzer and
// for tests that only want the verdict. Returns the error text, or "" when
// the component is valid.
std::string check_component(const uint8_t* data, size_t size);

}  // namespace compoly
