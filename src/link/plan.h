// The instantiation plan: the one contract between the C++ core and the JS
// runtime. It is the component's instance graph flattened into an ordered
// list of core instantiations plus the tables of lowered and lifted
// functions and resources those instantiations refer to. Written out as
// JSON by plan_json.cc.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "model/ast.h"
#include "model/id_map.h"
#include "model/inline_vector.h"
#include "model/object_vector.h"
#include "model/pod_vector.h"
#include "model/types.h"

namespace compoly {

// Where a core func, table, memory or global comes from at run time.
struct CoreItemRef {
  enum Kind : uint8_t {
    Export,        // export `name` of core instance `index` (an instantiate step)
    Lowered,       // lowered function `index`
    ResourceNew,   // canon resource.new of plan resource `index`
    ResourceDrop,  // canon resource.drop of plan resource `index`
    ResourceRep,   // canon resource.rep of plan resource `index`
    Abstract,      // an import of a component type: only while validating
  } kind = Export;
  uint32_t index = 0;
  std::string_view name;  // a view into the component's bytes
  uint32_t instance = 0;  // Resource*: the component instance whose handle table it uses
};

struct PlanOptions {
  StringEncoding encoding = StringEncoding::Utf8;
  std::optional<CoreItemRef> memory;
  std::optional<CoreItemRef> realloc;
  std::optional<CoreItemRef> post_return;
};

// Every name in a plan is a view into the component's bytes (or the wiring
// text of a linked set), which outlive the plan's JSON.

// A host function's or resource's names from the root import down: usually
// two ("wasi:io/streams@0.2.0", "[method]output-stream.write").
using NamePath = InlineVector<std::string_view, 3>;

// A component-level function as the runtime sees it.
struct FuncSource {
  enum Kind : uint8_t {
    Host,      // provided by the embedder: `path` from the root import name down
    Lifted,    // lifted function `index`
    Abstract,  // an import of a component type: only while validating
  } kind = Abstract;
  NamePath path;
  uint32_t index = 0;
};

struct PlanInstantiate {
  // Names are views into the component's bytes.
  struct Arg {
    std::string_view module, name;
    CoreItemRef item;
  };
  uint32_t module = 0;  // index into Plan::modules
  PodVector<Arg> args;
};

struct PlanLowered {
  uint32_t instance = 0;  // the component instance whose core code calls it
  FuncSource callee;
  TypeId type = kNoType;
  PlanOptions options;
};

struct PlanLifted {
  uint32_t instance = 0;  // the component instance whose core code it calls
  CoreItemRef core;
  TypeId type = kNoType;
  PlanOptions options;
  std::string_view name;  // the export name it was first reached by, for messages
};

struct PlanResource {
  bool host = false;
  NamePath path;                       // host: root import name, type export name
  std::string_view name;               // a readable name ("output-stream")
  std::optional<CoreItemRef> dtor;
  // Guest resources belong to one component instance; handles of it are
  // only valid there (its handle table, its resource.rep).
  uint32_t instance = 0;
};

struct PlanModule {
  size_t offset = 0;  // byte range in the input
  size_t size = 0;
  uint32_t source = 0;  // which input, when a set of components is linked
};

// An exported (or imported) item, by kind.
struct PlanItem {
  std::string_view name;
  ExternKind kind = ExternKind::Func;
  TypeId type = kNoType;            // Func: its type; Type: the type
  FuncSource func;                  // Func
  ObjectVector<PlanItem> items;      // Instance: its exports
  uint32_t module = 0;              // Module
};

struct Plan {
  PodVector<PlanModule> modules;
  ObjectVector<PlanInstantiate> instantiations;  // in order; the i-th creates core instance i
  ObjectVector<PlanLowered> lowered;
  PodVector<PlanLifted> lifted;
  ObjectVector<PlanResource> resources;
  uint32_t component_instances = 0;
  ObjectVector<PlanItem> imports;  // what the host must provide
  ObjectVector<PlanItem> exports;  // what the component provides
  IdMap<uint32_t> resource_index;  // arena resource -> resources[]
};

// Appends the plan as JSON text (the format is described in docs/plan.md); `layouts`
// are those of the arena the plan's types live in.
class LayoutCache;
class TextOut;
void plan_to_json(TextOut& out, const Plan& plan, LayoutCache& layouts);

}  // namespace compoly
