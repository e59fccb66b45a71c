// The core's whole public surface, as plain functions over bytes that return
// JSON text: the Embind layer and the native inspector are thin wrappers over
// these, and tests call them directly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace compoly {

// {"ok":true,"plan":{...}} or {"ok":false,"error":{...}} (see docs/plan.md).
std::string compile_to_json(const uint8_t* data, size_t size);

// {"ok":true,"wit":"package root:component; ..."} or {"ok":false,"error":{...}}.
std::string wit_to_json(const uint8_t* data, size_t size);

// The same as compile_to_json without producing output: for the fuzzer and
// for tests that only want the verdict. Returns the error text, or "" when
// the component is valid.
std::string check_component(const uint8_t* data, size_t size);

}  // namespace compoly
