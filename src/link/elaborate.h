// Elaboration: walk a decoded component's definitions in binary order,
// validating each against the index spaces built so far, and record what a
// running instance needs into a Plan. Nested components are elaborated twice:
// once where they are defined, with abstract imports (that is their
// validation and yields their component type), and once per instantiation,
// with the actual arguments (that yields their core instances in the plan).
// So "validate" and "link" are one walk over the same rules.
#pragma once

#include <string>

#include "abi/layout.h"
#include "link/plan.h"
#include "model/ast.h"
#include "model/error.h"
#include "model/object_vector.h"
#include "model/pod_vector.h"
#include "model/types.h"

namespace compoly {

struct World {
  PodVector<NamedExtern> imports;
  PodVector<NamedExtern> exports;
};

// Elaborates the root component. Fills `plan` (what to instantiate) and
// `world` (the root's import and export types, for WIT); returns false and
// fills `error` on the first violated rule. `layouts` (over `arena`) keeps the
// canonical ABI layouts it computes, for plan_to_json to reuse.
bool elaborate(const Component& root, TypeArena& arena, LayoutCache& layouts, Plan& plan, World& world,
               Error& error);

// One import of component `importer` satisfied by export `export_name` of
// component `exporter` (like `wac plug`).
struct Wire {
  uint32_t importer = 0;
  std::string import;
  uint32_t exporter = 0;
  std::string export_name;
};

// Elaborates a set of components wired together into one plan: exporters are
// instantiated before importers (a cycle is an error), imports no wire
// satisfies are provided by the host (one host import per name across the
// set), and the exports are those of components[0]. Not in the lean core, which has no
// link() (api/embind.cc).
#ifndef COMPOLY_LEAN
bool elaborate_set(const PodVector<const Component*>& components, const ObjectVector<Wire>& wires, TypeArena& arena,
                   LayoutCache& layouts, Plan& plan, World& world, Error& error);
#endif

}  // namespace compoly
