// Decodes a component binary (Binary.md) into the AST of model/ast.h.
// Decoding checks the grammar only; meaning is the validator's job. Post-0.2
// features (async built-ins, streams, futures, error-context, fixed-length
// lists, maps) are rejected here, by name, since they have no AST.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "model/ast.h"
#include "model/error.h"

namespace compoly {

// Returns null and fills `error` when the bytes are not a well-formed
// component. The tree's names point into `data`.
std::unique_ptr<Component> decode_component(const uint8_t* data, size_t size, Error& error);

// Whether the bytes start with a component preamble (vs a core module).
bool looks_like_component(const uint8_t* data, size_t size);

}  // namespace compoly
