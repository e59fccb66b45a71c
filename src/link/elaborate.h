// Elaboration: walk a decoded component's definitions in binary order,
// validating each against the index spaces built so far, and record what a
// running instance needs into a Plan. Nested components are elaborated twice:
// once where they are defined, with abstract imports (that is their
// validation and yields their component type), and once per instantiation,
// with the actual arguments (that yields their core instances in the plan).
// So "validate" and "link" are one walk over the same rules.
#pragma once

#include "link/plan.h"
#include "model/ast.h"
#include "model/error.h"
#include "model/types.h"

namespace compoly {

struct World {
  std::vector<NamedExtern> imports;
  std::vector<NamedExtern> exports;
};

// Elaborates the root component. Fills `plan` (what to instantiate) and
// `world` (the root's import and export types, for WIT); returns false and
// fills `error` on the first violated rule.
bool elaborate(const Component& root, TypeArena& arena, Plan& plan, World& world, Error& error);

}  // namespace compoly
