// The elaborator's internals, shared by the elaborate*.cc files: the values
// of the index spaces, the scopes (Frame) that hold them, and the Elaborator
// whose walk fills a Plan. Only link/elaborate.h is the public interface.
//
// The Elaborator's members are defined by job:
//   elaborate.cc          the drivers and the walk over a component's definitions
//   elaborate_types.cc    type definitions resolved into the TypeArena
//   elaborate_values.cc   index-space values, their types and their plan items
//   elaborate_subtype.cc  subtyping of values against expected extern types
//   elaborate_names.cc    import/export names and the visibility of types
//   elaborate_canon.cc    canon lift/lower and the resource built-ins
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "abi/layout.h"
#include "link/elaborate.h"
#include "link/plan.h"
#include "model/ast.h"
#include "model/error.h"
#include "model/id_map.h"
#include "model/key_set.h"
#include "model/object_vector.h"
#include "model/pod_vector.h"
#include "model/text.h"
#include "model/types.h"
#include "validate/names.h"

namespace compoly::elab {

// Text that only messages use (MessageText, model/text.h): an error's path ("component >
// component[2]"), a check's context ("export 'x'"), a type's description. The lean core has no
// messages, and the helpers below that make such text do not even compute what it would be
// made of there. (Likewise the lean fail() takes its message's arguments as MessageArg, which
// drops them in place.)
#ifdef COMPOLY_LEAN
// A message's argument, of any type, which the lean core drops.
struct MessageArg {
  template <typename T>
  MessageArg(const T&) {}
};
inline MessageText article(const char*) { return {}; }
#else
// "a func", "an instance": for messages that name a kind.
std::string article(std::string_view noun);
#endif

// Resource bindings of a subtype check: the expected type's abstract
// resources (those a matching value supplies) map to kUnbound until the
// check meets the value's resource; every other resource of the expected
// type is concrete and must be matched by identity.
constexpr ResourceId kUnbound = 0xffffffffu;
using Bindings = IdMap<ResourceId>;

Bindings unbound(const PodVector<ResourceId>& abstract);

// The bound part of `b`, for substitution.
Bindings bound(const Bindings& b);

// ---- run-time values of the index spaces ---------------------------------------

// The core sorts whose items a core instance exports, Func to Tag: CoreSort's first values,
// equal to the CoreExternKind of each.
constexpr size_t kCoreItemSorts = size_t(CoreSort::Tag) + 1;
static_assert(size_t(CoreSort::Func) == 0 && size_t(CoreExternKind::Func) == 0 &&
              size_t(CoreSort::Table) == 1 && size_t(CoreExternKind::Table) == 1 &&
              size_t(CoreSort::Memory) == 2 && size_t(CoreExternKind::Memory) == 2 &&
              size_t(CoreSort::Global) == 3 && size_t(CoreExternKind::Global) == 3 &&
              size_t(CoreSort::Tag) == 4 && size_t(CoreExternKind::Tag) == 4);
inline bool is_core_item_sort(CoreSort s) { return size_t(s) < kCoreItemSorts; }

// An ExternKind is the sort of the values it types (Binary.md: sort and externdesc), the core
// module's being Sort::Core's.
static_assert(size_t(Sort::Core) == size_t(ExternKind::Module) && size_t(Sort::Func) == size_t(ExternKind::Func) &&
              size_t(Sort::Value) == size_t(ExternKind::Value) && size_t(Sort::Type) == size_t(ExternKind::Type) &&
              size_t(Sort::Component) == size_t(ExternKind::Component) &&
              size_t(Sort::Instance) == size_t(ExternKind::Instance));

// Plain data: the type is a core module's export's, in the decoded component, or one the
// Elaborator keeps (Elaborator::keep()).
struct CoreItemVal {
  CoreItemRef ref;
  const CoreExternType* type = nullptr;
};

struct NamedCoreItem {
  std::string_view name;
  CoreItemVal item;
};

// A core type: a func type, which only a module type's declarations use (as the definition's,
// in the decoded component, which outlives the elaboration), or a module type.
struct CoreTypeVal {
  bool is_module = false;
  const CoreFuncType* func = nullptr;
  TypeId module = kNoType;  // a Module type in the arena
};

struct ModuleVal {
  bool imported = false;
  uint32_t plan_module = 0;
  const CoreModuleDef* def = nullptr;
  TypeId type = kNoType;  // imported: its module type
};

struct Frame;
struct InstanceVal;

struct ComponentVal {
  const Component* def = nullptr;
  Frame* env = nullptr;  // the scope it was defined in (for outer aliases); owned by the Elaborator
  MessageText path;            // where it was defined, for messages
  TypeId type = kNoType;       // its component type
  bool imported = false;
};

// Plain data, copied as bytes: a host function's path (FuncSource's) is kept by the Elaborator.
struct ExternVal {
  ExternKind kind = ExternKind::Func;
  TypeId type = kNoType;  // Func: func type; Type: the type
  // Func: where it comes from, and its index: the plan's lifted function (Lifted) or the host
  // import's path (Host, Elaborator::func_source()).
  FuncSource::Kind func = FuncSource::Abstract;
  uint32_t func_index = 0;
  InstanceVal* instance = nullptr;    // owned by the Elaborator
  ComponentVal* component = nullptr;  // owned by the Elaborator
  ModuleVal module;
};

struct NamedVal {
  std::string_view name;
  ExternVal value;
};

struct InstanceVal {
  PodVector<NamedVal> exports;
  const ExternVal* find(std::string_view name) const {
    for (const auto& e : exports)
      if (e.name == name) return &e.value;
    return nullptr;
  }
};

// One scope: a component being elaborated, or a component/instance type
// being defined (those only have type-ish index spaces).
struct Frame {
  Frame* parent = nullptr;
  bool component_scope = true;

  // The values of the component-level index spaces, by ExternKind (each sort's, Sort::Core's
  // being the core modules'; Value's stays empty): an index space is a plain array, so that
  // adding, aliasing and passing values is one code for every sort.
  PodVector<ExternVal> spaces[size_t(ExternKind::Instance) + 1];
  PodVector<ExternVal>& space(ExternKind k) { return spaces[size_t(k)]; }
  PodVector<ExternVal>& types() { return space(ExternKind::Type); }
  PodVector<ExternVal>& funcs() { return space(ExternKind::Func); }
  PodVector<ExternVal>& instances() { return space(ExternKind::Instance); }
  PodVector<ExternVal>& components() { return space(ExternKind::Component); }
  PodVector<ExternVal>& modules() { return space(ExternKind::Module); }
  PodVector<CoreTypeVal> core_types;
  // Core instances: the exports of each, back to back in core_exports, up to its entry in
  // core_instances (an instance's exports are all made at once).
  PodVector<uint32_t> core_instances;
  PodVector<NamedCoreItem> core_exports;
  // Export `name` of core instance `i` (in bounds), or null.
  const CoreItemVal* core_export(uint32_t i, std::string_view name) const {
    for (uint32_t k = i ? core_instances[i - 1] : 0; k < core_instances[i]; ++k)
      if (core_exports[k].name == name) return &core_exports[k].item;
    return nullptr;
  }
  // Core funcs, tables, memories, globals and tags, by CoreSort (see kCoreItemSorts).
  PodVector<CoreItemVal> core_items[kCoreItemSorts];
  PodVector<CoreItemVal>& core_funcs() { return core_items[size_t(CoreSort::Func)]; }

  // Resources defined by this component (resource.new/rep need these).
  IdSet own_resources;

  // A resource import's or export's label: its resource, and the type index the import or
  // export made for it, which a [constructor]/[method] of that label must use.
  struct ResourceLabel {
    ResourceId resource = 0;
    TypeId type = kNoType;
  };
  // This scope's exports (sides[0]) and imports (sides[1]), and what they introduced:
  // side(is_import). An export may use what either introduced, so the visible and named
  // resources and types of sides[0] are those of the imports too; an import's type may only
  // use the imports'.
  struct Side {
    // The exports (imports) of the component, or of the type being defined.
    PodVector<NamedExtern> externs;
    // Type scopes: the resources the type defines (imports), abstract in it.
    PodVector<ResourceId> quantified;
    // Component scopes: the plan's items for the exports (imports).
    ObjectVector<PlanItem> plan_items;
    // Uniqueness keys of the names (validate/names.h).
    KeySet keys;
    // Resources imported/exported as types under a plain label, for
    // [constructor]/[method]/[static] names.
    NameMap<ResourceLabel> resource_labels;
    // Resources introduced by an import or export of this scope: the only ones the types of
    // its exports (imports) may mention.
    IdSet visible_resources;
    // External visibility of types (Explainer.md, "External visibility of types"): the named
    // types (records, variants, enums, flags) and resources introduced.
    IdSet named_types, named_resources;
  };
  // An array, not two members: a frame is made and destroyed with one loop over it.
  Side sides[2];
  Side& side(bool is_import) { return sides[is_import]; }
  PodVector<NamedExtern>& imports() { return sides[1].externs; }
  PodVector<NamedExtern>& exports() { return sides[0].externs; }
  PodVector<ResourceId>& imported_resources() { return sides[1].quantified; }
  PodVector<ResourceId>& defined_resources() { return sides[0].quantified; }
  ObjectVector<PlanItem>& plan_imports() { return sides[1].plan_items; }
  ObjectVector<PlanItem>& plan_exports() { return sides[0].plan_items; }
  // Whether external visibility is checked: in component scopes validated on their own and in
  // component types; not in instance types (checked where they are imported or exported) nor
  // when a component already validated is elaborated again with arguments.
  bool check_named = false;

  InstanceVal* exported = nullptr;
#ifndef COMPOLY_LEAN
  // The imports the embedder provides (all of them for the root; for a
  // plugged component, those no other component of the set satisfies).
  // Only the set linker reads them, which the lean core does not have.
  PodVector<NamedExtern> host_imports;
  PodVector<NamedVal> host_values;
#endif
};

// Instantiate arguments by name.
using Args = NameMap<ExternVal>;

class Elaborator {
 public:
  Elaborator(TypeArena& arena, LayoutCache& layouts, Plan& plan, Error& error)
      : arena_(arena), layouts_(layouts), plan_(&plan), error_(error) {}
  Elaborator(const Elaborator&) = delete;
  Elaborator& operator=(const Elaborator&) = delete;
  ~Elaborator();

  bool elaborate_root(const Component& root, World& world);
#ifndef COMPOLY_LEAN
  bool elaborate_set(const PodVector<const Component*>& components, const ObjectVector<Wire>& wires, World& world);
#endif

 private:
  // -- errors --
  // A flag, not the message: the lean core has no message text (format() in model/text.cc).
  bool ok() const { return !failed_; }
#ifdef COMPOLY_LEAN
  // The lean core answers a failure with the verdict alone (api/compile.cc): nothing reads a
  // message, a path or an offset there, so failing only sets the flag.
  bool fail(size_t, const NameProblem&) { return fail_now(); }
  bool fail(size_t, const char*, std::initializer_list<MessageArg> = {}) { return fail_now(); }
  bool fail_link(size_t, const char*, std::initializer_list<MessageArg> = {}) { return fail_now(); }
  bool fail_now() {
    failed_ = true;
    return false;
  }
#else
  // A component that breaks a rule of the spec: phase "validate".
  bool fail(size_t offset, std::string message) { return fail_in(Phase::Validate, offset, std::move(message)); }
  bool fail(size_t offset, const char* message) { return fail(offset, std::string(message)); }
  // A name check's failure (validate/names.h), with its message.
  bool fail(size_t offset, NameProblem problem) { return fail(offset, std::move(problem).text()); }
  // The same with the message formatted here, once, rather than at each of the error sites.
  bool fail(size_t offset, const char* pattern, std::initializer_list<FormatArg> args);
  // A valid component this runtime cannot link as a whole (an imported core
  // module or component instantiated at the root): phase "link".
  bool fail_link(size_t offset, std::string message) { return fail_in(Phase::Link, offset, std::move(message)); }
  bool fail_link(size_t offset, const char* message) { return fail_link(offset, std::string(message)); }
  bool fail_link(size_t offset, const char* pattern, std::initializer_list<FormatArg> args);
  bool fail_in(Phase phase, size_t offset, std::string message) {
    if (ok()) {
      failed_ = true;
      error_.phase = phase;
      error_.path = item_.kind ? item_path(path_, item_.kind, item_.index) : path_;
      error_.offset = offset;
      error_.message = std::move(message);
    }
    return false;
  }
#endif

  // A type's text, for messages (MessageText).
#ifdef COMPOLY_LEAN
  MessageText describe(TypeId) const { return {}; }
  static MessageText describe(const CoreFuncType&) { return {}; }
  static MessageText describe(const CoreExternType&) { return {}; }
  static MessageText describe_core_type(const FuncLayout&) { return {}; }
  static MessageText describe_post_return(const FuncLayout&) { return {}; }
  static MessageText describe_i32_func(size_t, size_t) { return {}; }
#else
  std::string describe(TypeId t) const { return arena_.describe(t); }
  static std::string describe(const CoreFuncType& t) { return t.to_string(); }
  static std::string describe(const CoreExternType& t) { return t.to_string(); }
  // The core func type a layout lowers to; the one its post-return takes (its flat results).
  static std::string describe_core_type(const FuncLayout& l) { return l.core_type().to_string(); }
  static std::string describe_post_return(const FuncLayout& l) { return CoreFuncType{l.flat_results, {}}.to_string(); }
  // The core func type of `params` i32s to `results` i32s.
  static std::string describe_i32_func(size_t params, size_t results);
#endif
  // Whether core func type `t` takes `params` i32s and returns `results` i32s (realloc, a
  // resource destructor): checked in place, not against a CoreFuncType built for it.
  static bool is_i32_func(const CoreFuncType& t, size_t params, size_t results);

  // -- component elaboration (elaborate.cc) --
  Frame* elaborate_component(const Component& c, Frame* env, const MessageText& path,
                                             const Args* args, bool root);
  void core_module(Frame& f, const Component& c, uint32_t i);
  void core_instance(Frame& f, const CoreInstanceDef& d);
  void core_type_def(Frame& f, const CoreTypeDef& d);
  void nested_component(Frame& f, const Component& c, uint32_t i);
  Frame* new_frame(Frame* parent, bool component_scope);
  InstanceVal* new_instance();
  ComponentVal* new_component(const Component* def, Frame* env, MessageText path);
  void instance(Frame& f, const InstanceDef& d);
  void alias(Frame& f, const AliasDef& a);
  void type_def(Frame& f, const TypeDef& d);
  void import(Frame& f, const ImportDef& d, const Args* args, bool root);
  void export_(Frame& f, const ExportDef& d);
  bool declare(Frame& f, std::string_view name, const ExternType& et, const ExternVal& v, bool is_import, size_t offset);

  // -- types (elaborate_types.cc) --
  TypeId resolve_type(Frame& f, const TypeDef& d, bool in_type_scope);
  TypeId resolve_valtype(Frame& f, const ValTypeRef& v);
  TypeId resolve_defval(Frame& f, const DefValTypeDef& d, size_t offset);
  TypeId resolve_func(Frame& f, const FuncTypeDef& d, size_t offset);
  bool resolve_fields(Frame& f, const PodVector<LabeledType>& fields, size_t offset, const char* what, Type& t);
  TypeId resolve_decls(Frame& f, const ObjectVector<Decl>& decls, bool component_type, size_t offset);
  bool resolve_extern(Frame& f, const ExternDesc& d, size_t offset, ExternType& out);
  CoreTypeVal resolve_core_type(Frame& f, const CoreTypeDef& d);
  // `host`: a host import's path in the plan (its fresh resources get plan resources there), or null.
  TypeId freshen(TypeId t, PodVector<ResourceId>& fresh, std::string_view label, const NamePath* host);
  // What an import of `et` named `name` introduces, from the host or in a type (where exports
  // do too): the resource a (sub resource) declares, fresh abstract resources for an instance
  // type's own (both into `fresh`; a host import's get plan resources at path `host`), or a
  // new index for a type (named_copy).
  void introduce(ExternType& et, bool sub_resource, std::string_view name, PodVector<ResourceId>& fresh,
                 const NamePath* host);
  // The new type index an import or export of a type introduces: equal to the type, with an
  // identity of its own, so that a function using the original index does not use an
  // imported or exported type (Explainer.md, external visibility of types).
  TypeId named_copy(TypeId t);
  // Instance type `t` defining no resources: those it defined are another's now.
  TypeId without_defined_resources(TypeId t);
  // A type whose effective size (Type::size) passes 1,000,000 is refused, as wasm-tools refuses
  // it: walking it as a tree (equality, names, resources, messages) would take 10^n steps.
  static constexpr uint32_t kMaxTypeSize = 1000000;
  bool check_type_size(TypeId t, size_t offset);
  bool check_import_uses_no_export(Frame& f, const ExternType& t, std::string_view name, size_t offset);
  void label_checks(const PodVector<std::string_view>& labels, size_t offset, const char* what);
  Frame* outer_frame(Frame& f, uint32_t count, size_t offset, bool& crosses_component);

  // -- values (elaborate_values.cc) --
  // `host`: the path of a host import (its functions' in the plan), or null for a value that
  // only stands for one while validating (no plan shows its path).
  ExternVal abstract_value(const ExternType& t, const NamePath* host);
  ExternVal item_value(Frame& f, SortIdx item, size_t offset);
  ExternVal seen_as(const ExternVal& v, const ExternType& t);
  bool add_value(Frame& f, const ExternVal& v);
  void add_type(Frame& f, TypeId t);
  void add_instance(Frame& f, InstanceVal* inst);
  ExternType type_of(const ExternVal& v);
  TypeId instance_type_of(const InstanceVal& inst);
  PlanItem plan_item(std::string_view name, const ExternVal& v);
  FuncSource func_source(const ExternVal& v) const;
  uint32_t plan_resource(ResourceId r);
  const CoreItemVal* core_item(Frame& f, CoreSort sort, uint32_t index, size_t offset);
  // A core item's type that no definition holds (a lowered function's, a resource built-in's,
  // an imported module type's export's), kept as long as the items that point to it.
  const CoreExternType* keep(CoreExternType t);

  // -- subtyping (elaborate_subtype.cc) --
  bool check_subtype(const ExternVal& actual, const ExternType& expected, Bindings& bind, const MessageText& what,
                     size_t offset);

  // -- names and visibility (elaborate_names.cc) --
  bool check_name(Frame& f, std::string_view name, const ExternType& type, bool is_import, size_t offset);
  bool check_visible(Frame& f, const ExternType& t, std::string_view name, bool is_import, size_t offset);
  void make_visible(Frame& f, const ExternType& t, bool is_import);
  bool register_named(Frame& f, const ExternType& t, bool is_import);
  bool is_named(Frame& f, TypeId t, bool is_import);
  bool all_named(Frame& f, TypeId t, bool is_import);
  bool check_named(Frame& f, const ExternType& t, std::string_view name, bool is_import, size_t offset);
  // "resource 'r'": for messages.
#ifdef COMPOLY_LEAN
  MessageText resource_label(ResourceId) { return {}; }
#else
  std::string resource_label(ResourceId r);
#endif

  // -- canon (elaborate_canon.cc) --
  void canon(Frame& f, const CanonDef& d);
  std::optional<CoreItemRef> canon_memory(Frame& f, const CanonOptions& o);
  bool needs_memory(TypeId t);

  TypeArena& arena_;
  LayoutCache& layouts_;
  Plan* plan_;
  Error& error_;
  bool failed_ = false;
  MessageText path_;
  // The definition being elaborated ("canon", 5), for the error's path: kept as
  // parts because only a failing component needs the text. Nothing in the lean core (MessageText).
  struct ItemLabel {
#ifdef COMPOLY_LEAN
    ItemLabel() = default;
    ItemLabel(const char*, uint32_t) {}
#else
    const char* kind = nullptr;
    uint32_t index = 0;
#endif
  } item_;
  bool link_phase_ = false;
  // Plan resource index per ResourceId, for the plan being written.
  IdMap<uint32_t>* resource_index_ = nullptr;
  IdMap<uint32_t>* module_index_ = nullptr;  // by the CoreModuleDef's address
  uint32_t current_instance_ = 0;
  int depth_ = 0;
  // Components elaborated so far (each definition once, and each instantiation again), and
  // the definitions (items of their sections) those elaborations went through.
  static constexpr uint32_t kMaxElaborations = 10000;
  static constexpr uint64_t kMaxElaboratedDefinitions = 500000;
  uint32_t elaborations_ = 0;
  uint64_t elaborated_definitions_ = 0;
  // Subtype checks so far: checking one component type against another checks the types of
  // its imports in turn, which nesting multiplies as it does instantiations.
  static constexpr uint32_t kMaxSubtypeChecks = 1000000;
  uint32_t subtype_checks_ = 0;
  // Linking a set of components: their imports that no wire satisfies
  // become host imports (at depth 0 only), and core modules come from the
  // input of component `source_`. The lean core links no sets.
#ifdef COMPOLY_LEAN
  static constexpr bool plugged_ = false;
  static constexpr uint32_t source_ = 0;
#else
  bool plugged_ = false;
  uint32_t source_ = 0;
#endif
  // Frames and the instances and components they hold live as long as the
  // elaboration: components defined in one may be instantiated from another
  // long after the first finished, and values are shared between frames.
  // Owned here (~Elaborator deletes them): plain pointers, whose growth is PodVector's.
  PodVector<Frame*> frames_;
  PodVector<InstanceVal*> instances_;
  PodVector<ComponentVal*> components_;
  PodVector<CoreExternType*> kept_types_;  // keep()'s, deleted by ~Elaborator
  // The paths of host functions, by ExternVal::func_index.
  ObjectVector<NamePath> host_paths_;
};

}  // namespace compoly::elab
