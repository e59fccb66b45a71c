#include "link/elaborate.h"

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "abi/layout.h"
#include "validate/names.h"

namespace compoly {
namespace {

// "a func", "an instance": for messages that name a kind.
std::string article(std::string_view noun) {
  bool vowel = !noun.empty() && std::string_view("aeiou").find(noun[0]) != std::string_view::npos;
  return std::string(vowel ? "an " : "a ") + std::string(noun);
}

// Resource bindings of a subtype check: the expected type's abstract
// resources (those a matching value supplies) map to kUnbound until the
// check meets the value's resource; every other resource of the expected
// type is concrete and must be matched by identity.
constexpr ResourceId kUnbound = 0xffffffffu;
using Bindings = std::map<ResourceId, ResourceId>;

Bindings unbound(const std::vector<ResourceId>& abstract) {
  Bindings b;
  for (ResourceId r : abstract) b[r] = kUnbound;
  return b;
}

// The bound part of `b`, for substitution.
Bindings bound(const Bindings& b) {
  Bindings out;
  for (const auto& [from, to] : b)
    if (to != kUnbound) out[from] = to;
  return out;
}

// ---- run-time values of the index spaces ---------------------------------------

struct CoreItemVal {
  CoreItemRef ref;
  CoreExternType type;
};

struct CoreInstanceVal {
  std::vector<std::pair<std::string, CoreItemVal>> exports;
  const CoreItemVal* find(std::string_view name) const {
    for (const auto& e : exports)
      if (e.first == name) return &e.second;
    return nullptr;
  }
};

struct CoreTypeVal {
  bool is_module = false;
  CoreFuncType func;
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
  std::string path;            // where it was defined, for messages
  TypeId type = kNoType;       // its component type
  bool imported = false;
};

struct ExternVal {
  ExternKind kind = ExternKind::Func;
  TypeId type = kNoType;  // Func: func type; Type: the type
  FuncSource func;
  std::shared_ptr<InstanceVal> instance;
  std::shared_ptr<ComponentVal> component;
  ModuleVal module;
};

struct InstanceVal {
  std::vector<std::pair<std::string, ExternVal>> exports;
  const ExternVal* find(std::string_view name) const {
    for (const auto& e : exports)
      if (e.first == name) return &e.second;
    return nullptr;
  }
};

// One scope: a component being elaborated, or a component/instance type
// being defined (those only have type-ish index spaces).
struct Frame {
  Frame* parent = nullptr;
  bool component_scope = true;
  std::string path;

  std::vector<TypeId> types;
  std::vector<CoreTypeVal> core_types;
  std::vector<ExternVal> funcs;
  std::vector<std::shared_ptr<InstanceVal>> instances;
  std::vector<std::shared_ptr<ComponentVal>> components;
  std::vector<ModuleVal> modules;
  std::vector<CoreInstanceVal> core_instances;
  std::vector<CoreItemVal> core_funcs, core_tables, core_memories, core_globals, core_tags;

  // Resources defined by this component (resource.new/rep need these).
  std::set<ResourceId> own_resources;
  // Resources introduced by an import or export of this scope: the only
  // ones an export's type may mention. An import's type may only mention
  // those introduced by imports.
  std::set<ResourceId> visible_resources, imported_visible_resources;
  std::set<std::string> import_keys, export_keys;
  // Resources imported/exported as types under a plain label, for
  // [constructor]/[method]/[static] names.
  std::map<std::string, ResourceId> import_resource_labels, export_resource_labels;

  // External visibility of types (Explainer.md, "External visibility of
  // types"): the named types (records, variants, enums, flags) and resources
  // introduced by this scope's imports / exports. An import may only refer to
  // imported ones; an export to imported or exported ones. Checked in
  // component scopes validated on their own and in component types; not in
  // instance types (checked where they are imported or exported) nor when a
  // component already validated is elaborated again with arguments.
  bool check_named = false;
  std::set<TypeId> imported_types, exported_types;
  std::set<ResourceId> imported_named_resources, exported_named_resources;

  // Type scopes: what the type being defined imports and exports.
  std::vector<NamedExtern> type_imports, type_exports;
  std::vector<ResourceId> imported_resources, defined_resources;

  // The component's own imports and exports (component scopes).
  std::vector<NamedExtern> world_imports, world_exports;
  std::vector<PlanItem> plan_imports, plan_exports;
  // The imports the embedder provides (all of them for the root; for a
  // plugged component, those no other component of the set satisfies).
  std::vector<NamedExtern> host_imports;
  std::vector<std::pair<std::string, ExternVal>> host_values;
  std::shared_ptr<InstanceVal> exported = std::make_shared<InstanceVal>();
};

using Args = std::map<std::string, ExternVal, std::less<>>;

class Elaborator {
 public:
  Elaborator(TypeArena& arena, Plan& plan, Error& error) : arena_(arena), layouts_(arena), plan_(&plan), error_(error) {}

  bool elaborate_root(const Component& root, World& world);
  bool elaborate_set(const std::vector<const Component*>& components, const std::vector<Wire>& wires, World& world);

 private:
  // -- errors --
  bool ok() const { return error_.message.empty(); }
  // A component that breaks a rule of the spec: phase "validate".
  bool fail(size_t offset, std::string message) { return fail_in(Phase::Validate, offset, std::move(message)); }
  // A valid component this runtime cannot link as a whole (an imported core
  // module or component instantiated at the root): phase "link".
  bool fail_link(size_t offset, std::string message) { return fail_in(Phase::Link, offset, std::move(message)); }
  bool fail_in(Phase phase, size_t offset, std::string message) {
    if (ok()) {
      error_.phase = phase;
      error_.path = item_.empty() ? path_ : path_ + " > " + item_;
      error_.offset = offset;
      error_.message = std::move(message);
    }
    return false;
  }

  // -- component elaboration --
  Frame* elaborate_component(const Component& c, Frame* env, const std::string& path,
                                             const Args* args, bool root);
  void core_module(Frame& f, const Component& c, uint32_t i);
  void core_instance(Frame& f, const CoreInstanceDef& d);
  void core_type_def(Frame& f, const CoreTypeDef& d);
  void nested_component(Frame& f, const Component& c, uint32_t i);
  Frame* new_frame(Frame* parent, bool component_scope, const std::string& path);
  void instance(Frame& f, const InstanceDef& d);
  void alias(Frame& f, const AliasDef& a);
  void type_def(Frame& f, const TypeDef& d);
  void canon(Frame& f, const CanonDef& d);
  void import(Frame& f, const ImportDef& d, const Args* args, bool root);
  void export_(Frame& f, const ExportDef& d);

  // -- types --
  TypeId resolve_type(Frame& f, const TypeDef& d, bool in_type_scope);
  TypeId resolve_valtype(Frame& f, const ValTypeRef& v);
  TypeId resolve_defval(Frame& f, const DefValTypeDef& d, size_t offset);
  TypeId resolve_func(Frame& f, const FuncTypeDef& d, size_t offset);
  TypeId resolve_decls(Frame& f, const std::vector<Decl>& decls, bool component_type, size_t offset);
  bool resolve_extern(Frame& f, const ExternDesc& d, size_t offset, ExternType& out);
  CoreTypeVal resolve_core_type(Frame& f, const CoreTypeDef& d);
  TypeId freshen(TypeId t, std::vector<ResourceId>& fresh, const std::string& label, bool host,
                 const std::vector<std::string>& path);
  void label_checks(const std::vector<std::string>& labels, size_t offset, const char* what);

  // -- values --
  ExternVal abstract_value(const ExternType& t, const std::vector<std::string>& path, bool host);
  ExternVal item_value(Frame& f, SortIdx item, size_t offset);
  ExternVal seen_as(const ExternVal& v, const ExternType& t);
  bool add_value(Frame& f, const ExternVal& v);
  ExternType type_of(const ExternVal& v);
  TypeId instance_type_of(const InstanceVal& inst);
  PlanItem plan_item(const std::string& name, const ExternVal& v);

  // -- subtyping --
  bool check_subtype(const ExternVal& actual, const ExternType& expected, Bindings& bind, const std::string& what,
                     size_t offset);

  // -- names --
  bool check_name(Frame& f, std::string_view name, const ExternType& type, bool is_import, size_t offset);
  bool check_visible(Frame& f, const ExternType& t, const std::string& name, bool is_import, size_t offset);
  void make_visible(Frame& f, const ExternType& t, bool is_import);
  bool register_named(Frame& f, const ExternType& t, bool is_import);
  bool is_named(Frame& f, TypeId t, bool is_import);
  bool all_named(Frame& f, TypeId t, bool is_import);
  bool check_named(Frame& f, const ExternType& t, const std::string& name, bool is_import, size_t offset);
  std::string resource_label(ResourceId r);

  // -- canon --
  std::optional<CoreItemRef> canon_memory(Frame& f, const CanonOptions& o);
  bool needs_memory(TypeId t);
  uint32_t plan_resource(ResourceId r);

  const CoreItemVal* core_item(Frame& f, CoreSort sort, uint32_t index, size_t offset);
  Frame* outer_frame(Frame& f, uint32_t count, size_t offset, bool& crosses_component);

  TypeArena& arena_;
  LayoutCache layouts_;
  Plan* plan_;
  Error& error_;
  std::string path_;
  std::string item_;
  bool link_phase_ = false;
  // Plan resource index per ResourceId, for the plan being written.
  std::map<ResourceId, uint32_t>* resource_index_ = nullptr;
  std::map<const CoreModuleDef*, uint32_t>* module_index_ = nullptr;
  uint32_t current_instance_ = 0;
  int depth_ = 0;
  // Linking a set of components: their imports that no wire satisfies
  // become host imports (at depth 0 only), and core modules come from the
  // input of component `source_`.
  bool plugged_ = false;
  uint32_t source_ = 0;
  // Frames live as long as the elaboration: components defined in one may be
  // instantiated from another long after the first finished.
  std::vector<std::unique_ptr<Frame>> frames_;
};

Frame* Elaborator::new_frame(Frame* parent, bool component_scope, const std::string& path) {
  frames_.push_back(std::make_unique<Frame>());
  Frame* f = frames_.back().get();
  f->parent = parent;
  f->component_scope = component_scope;
  f->path = path;
  return f;
}

// ---------------------------------------------------------------------------------

const CoreItemVal* Elaborator::core_item(Frame& f, CoreSort sort, uint32_t index, size_t offset) {
  std::vector<CoreItemVal>* space = nullptr;
  switch (sort) {
    case CoreSort::Func: space = &f.core_funcs; break;
    case CoreSort::Table: space = &f.core_tables; break;
    case CoreSort::Memory: space = &f.core_memories; break;
    case CoreSort::Global: space = &f.core_globals; break;
    case CoreSort::Tag: space = &f.core_tags; break;
    default:
      fail(offset, std::string(sort_name({Sort::Core, sort})) + " cannot be used here");
      return nullptr;
  }
  if (index >= space->size()) {
    fail(offset, std::string(sort_name({Sort::Core, sort})) + " index " + std::to_string(index) +
                     " out of bounds (there are " + std::to_string(space->size()) + ")");
    return nullptr;
  }
  return &(*space)[index];
}

uint32_t Elaborator::plan_resource(ResourceId r) {
  auto it = resource_index_->find(r);
  if (it != resource_index_->end()) return it->second;
  PlanResource pr;
  pr.name = arena_.resource(r).name;
  pr.host = arena_.resource(r).host;
  uint32_t idx = uint32_t(plan_->resources.size());
  plan_->resources.push_back(std::move(pr));
  (*resource_index_)[r] = idx;
  return idx;
}

bool Elaborator::needs_memory(TypeId id) {
  const Type& t = arena_.get(id);
  switch (t.kind) {
    case TypeKind::Prim: return t.prim == PrimType::String;
    case TypeKind::List: return true;
    default: break;
  }
  for (const auto& fld : t.fields)
    if (fld.type != kNoType && needs_memory(fld.type)) return true;
  for (TypeId e : t.elements)
    if (needs_memory(e)) return true;
  if (t.ok != kNoType && needs_memory(t.ok)) return true;
  if (t.err != kNoType && needs_memory(t.err)) return true;
  return false;
}

void Elaborator::label_checks(const std::vector<std::string>& labels, size_t offset, const char* what) {
  std::set<std::string> seen;
  for (const auto& l : labels) {
    if (!is_label(l)) {
      fail(offset, std::string(what) + " label '" + l + "' is not a valid kebab-case label");
      return;
    }
    std::string key;
    for (char ch : l) key += char(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
    if (!seen.insert(key).second) {
      fail(offset, std::string(what) + " label '" + l + "' is not unique (labels must be strongly-unique)");
      return;
    }
  }
}

// ---- types ------------------------------------------------------------------------

TypeId Elaborator::resolve_valtype(Frame& f, const ValTypeRef& v) {
  if (v.is_prim) return arena_.prim(v.prim);
  if (v.index >= f.types.size()) {
    fail(v.offset, "type index " + std::to_string(v.index) + " out of bounds (there are " +
                       std::to_string(f.types.size()) + " types)");
    return kNoType;
  }
  TypeId t = f.types[v.index];
  if (!arena_.is_value_type(t)) {
    fail(v.offset, "type index " + std::to_string(v.index) + " is " + article(type_kind_name(arena_.get(t).kind)) +
                       " type, but a value type is required here");
    return kNoType;
  }
  return t;
}

TypeId Elaborator::resolve_defval(Frame& f, const DefValTypeDef& d, size_t offset) {
  Type t;
  switch (d.kind) {
    case DefKind::Prim: return arena_.prim(d.prim);
    case DefKind::Record: {
      t.kind = TypeKind::Record;
      if (d.fields.empty()) {
        fail(offset, "record types must have at least one field");
        return kNoType;
      }
      std::vector<std::string> labels;
      for (const auto& fld : d.fields) {
        TypeId ft = resolve_valtype(f, fld.type);
        if (!ok()) return kNoType;
        t.fields.push_back({std::string(fld.label), ft});
        labels.emplace_back(fld.label);
      }
      label_checks(labels, offset, "record field");
      break;
    }
    case DefKind::Variant: {
      t.kind = TypeKind::Variant;
      if (d.cases.empty()) {
        fail(offset, "variant types must have at least one case");
        return kNoType;
      }
      std::vector<std::string> labels;
      for (const auto& c : d.cases) {
        TypeId ct = c.type ? resolve_valtype(f, *c.type) : kNoType;
        if (!ok()) return kNoType;
        t.fields.push_back({std::string(c.label), ct});
        labels.emplace_back(c.label);
      }
      label_checks(labels, offset, "variant case");
      break;
    }
    case DefKind::List:
    case DefKind::Option:
      t.kind = d.kind == DefKind::List ? TypeKind::List : TypeKind::Option;
      t.elements.push_back(resolve_valtype(f, d.elements[0]));
      break;
    case DefKind::Tuple:
      t.kind = TypeKind::Tuple;
      if (d.elements.empty()) {
        fail(offset, "tuple types must have at least one element");
        return kNoType;
      }
      for (const auto& e : d.elements) t.elements.push_back(resolve_valtype(f, e));
      break;
    case DefKind::Flags:
    case DefKind::Enum: {
      t.kind = d.kind == DefKind::Flags ? TypeKind::Flags : TypeKind::Enum;
      if (d.labels.empty()) {
        fail(offset, std::string(d.kind == DefKind::Flags ? "flags" : "enum") + " types must have at least one label");
        return kNoType;
      }
      if (d.kind == DefKind::Flags && d.labels.size() > 32) {
        fail(offset, "flags types may have at most 32 labels in WASI 0.2, found " + std::to_string(d.labels.size()));
        return kNoType;
      }
      for (auto l : d.labels) t.labels.emplace_back(l);
      label_checks(t.labels, offset, d.kind == DefKind::Flags ? "flags" : "enum");
      break;
    }
    case DefKind::Result:
      t.kind = TypeKind::Result;
      if (d.ok) t.ok = resolve_valtype(f, *d.ok);
      if (d.err) t.err = resolve_valtype(f, *d.err);
      break;
    case DefKind::Own:
    case DefKind::Borrow: {
      t.kind = d.kind == DefKind::Own ? TypeKind::Own : TypeKind::Borrow;
      if (d.resource >= f.types.size()) {
        fail(offset, "type index " + std::to_string(d.resource) + " out of bounds in " +
                         (d.kind == DefKind::Own ? "own" : "borrow"));
        return kNoType;
      }
      const Type& r = arena_.get(f.types[d.resource]);
      if (r.kind != TypeKind::Resource) {
        fail(offset, std::string(d.kind == DefKind::Own ? "own" : "borrow") + " requires a resource type, but type " +
                         std::to_string(d.resource) + " is " + arena_.describe(f.types[d.resource]));
        return kNoType;
      }
      t.resource = r.resource;
      break;
    }
  }
  if (!ok()) return kNoType;
  TypeId id = arena_.add(std::move(t));
  if (!value_size_ok(layouts_, id)) {
    fail(offset, "value type is too large: its canonical ABI size must be below 2^28 bytes");
    return kNoType;
  }
  return id;
}

TypeId Elaborator::resolve_func(Frame& f, const FuncTypeDef& d, size_t offset) {
  Type t;
  t.kind = TypeKind::Func;
  std::vector<std::string> labels;
  for (const auto& p : d.params) {
    TypeId pt = resolve_valtype(f, p.type);
    if (!ok()) return kNoType;
    t.fields.push_back({std::string(p.label), pt});
    labels.emplace_back(p.label);
  }
  label_checks(labels, offset, "parameter");
  if (d.result) {
    t.ok = resolve_valtype(f, *d.result);
    if (!ok()) return kNoType;
    if (arena_.contains_borrow(t.ok)) {
      fail(offset, "function results may not contain borrow handles (found " + arena_.describe(t.ok) + ")");
      return kNoType;
    }
  }
  if (!ok()) return kNoType;
  return arena_.add(std::move(t));
}

// Gives the abstract resources a type introduces new identities, so that two
// imports of the same instance type do not share resources.
TypeId Elaborator::freshen(TypeId t, std::vector<ResourceId>& fresh, const std::string& label, bool host,
                           const std::vector<std::string>& path) {
  const Type& ty = arena_.get(t);
  // A component type's exported resources are fresh per instantiation
  // (instance() mints them), not per import of the type.
  if (ty.kind != TypeKind::Instance) return t;
  std::map<ResourceId, ResourceId> map;
  std::vector<ResourceId> defined = ty.defined_resources;
  for (ResourceId r : defined) {
    // Name it after the type export that introduced it.
    std::string name = arena_.resource(r).name;
    ResourceId n = arena_.new_resource(name.empty() ? label : name, host);
    map[r] = n;
    fresh.push_back(n);
    if (host) {
      uint32_t idx = plan_resource(n);
      plan_->resources[idx].path = path;
      plan_->resources[idx].path.push_back(name);
    }
  }
  TypeId out = arena_.substitute(t, map);
  if (!map.empty()) {
    // The fresh resources are no longer this type's to define.
    Type copy = arena_.get(out);
    copy.defined_resources.clear();
    out = arena_.add(std::move(copy));
  }
  return out;
}

bool Elaborator::resolve_extern(Frame& f, const ExternDesc& d, size_t offset, ExternType& out) {
  out.kind = d.kind;
  switch (d.kind) {
    case ExternKind::Module: {
      if (d.index >= f.core_types.size()) return fail(offset, "core type index " + std::to_string(d.index) + " out of bounds");
      if (!f.core_types[d.index].is_module)
        return fail(offset, "core type " + std::to_string(d.index) + " is not a module type");
      out.type = f.core_types[d.index].module;
      return true;
    }
    case ExternKind::Type:
      if (d.sub_resource) {
        out.type = kNoType;  // the caller mints the resource
        return true;
      }
      [[fallthrough]];
    case ExternKind::Func:
    case ExternKind::Component:
    case ExternKind::Instance: {
      if (d.index >= f.types.size())
        return fail(offset, "type index " + std::to_string(d.index) + " out of bounds (there are " +
                                std::to_string(f.types.size()) + " types)");
      TypeId t = f.types[d.index];
      TypeKind want = d.kind == ExternKind::Func ? TypeKind::Func
                      : d.kind == ExternKind::Component ? TypeKind::Component
                                                        : TypeKind::Instance;
      if (d.kind != ExternKind::Type && arena_.get(t).kind != want)
        return fail(offset, std::string(extern_kind_name(d.kind)) + " requires " + article(type_kind_name(want)) +
                                " type, but type " + std::to_string(d.index) + " is " + arena_.describe(t));
      if (d.kind == ExternKind::Type && (arena_.get(t).kind == TypeKind::Func || arena_.get(t).kind == TypeKind::Component ||
                                         arena_.get(t).kind == TypeKind::Instance))
        return fail(offset, "a type import or export (eq " + std::to_string(d.index) +
                                ") must name a value or resource type, not " + article(type_kind_name(arena_.get(t).kind)) + " type");
      out.type = t;
      return true;
    }
    case ExternKind::Value:
      return fail(offset, "value imports and exports are not part of WASI 0.2");
  }
  return true;
}

CoreTypeVal Elaborator::resolve_core_type(Frame& f, const CoreTypeDef& d) {
  CoreTypeVal v;
  if (d.kind == CoreTypeDef::Func) {
    v.func = d.func;
    return v;
  }
  v.is_module = true;
  // A module type has its own, initially empty, core type space.
  std::vector<CoreFuncType> own_types;
  Type mt;
  mt.kind = TypeKind::Module;
  std::set<std::pair<std::string, std::string>> import_names;
  std::set<std::string> export_names;
  for (const auto& decl : d.module) {
    auto func_type = [&](CoreExternType t) -> std::optional<CoreExternType> {
      if (t.kind == CoreExternKind::Func || t.kind == CoreExternKind::Tag) {
        if (decl.func_type_index >= own_types.size()) {
          fail(decl.offset, "core type index " + std::to_string(decl.func_type_index) + " out of bounds in module type");
          return std::nullopt;
        }
        t.func = own_types[decl.func_type_index];
      }
      return t;
    };
    switch (decl.kind) {
      case CoreModuleDecl::Import: {
        CoreExternType t = decl.type;
        t.kind = decl.extern_kind;
        auto r = func_type(t);
        if (!r) return v;
        if (!import_names.insert({std::string(decl.module), std::string(decl.name)}).second) {
          fail(decl.offset, "duplicate import '" + std::string(decl.module) + "' '" + std::string(decl.name) + "' in module type");
          return v;
        }
        mt.module.imports.push_back({std::string(decl.module), std::string(decl.name), *r});
        break;
      }
      case CoreModuleDecl::Export: {
        CoreExternType t = decl.type;
        t.kind = decl.extern_kind;
        auto r = func_type(t);
        if (!r) return v;
        if (!export_names.insert(std::string(decl.name)).second) {
          fail(decl.offset, "duplicate export '" + std::string(decl.name) + "' in module type");
          return v;
        }
        mt.module.exports.push_back({std::string(decl.name), *r});
        break;
      }
      case CoreModuleDecl::Type:
        own_types.push_back(decl.type_def->func);
        break;
      case CoreModuleDecl::Alias: {
        bool crosses = false;
        // count 0 is the module type itself, whose type space is own_types.
        if (decl.outer_count == 0) {
          if (decl.outer_index >= own_types.size()) {
            fail(decl.offset, "outer alias index out of bounds");
            return v;
          }
          own_types.push_back(own_types[decl.outer_index]);
          break;
        }
        Frame* target = outer_frame(f, decl.outer_count - 1, decl.offset, crosses);
        if (!target) return v;
        if (decl.outer_index >= target->core_types.size()) {
          fail(decl.offset, "outer alias of core type " + std::to_string(decl.outer_index) + " out of bounds");
          return v;
        }
        const CoreTypeVal& ct = target->core_types[decl.outer_index];
        if (ct.is_module) {
          fail(decl.offset, "a module type may not alias a module type");
          return v;
        }
        own_types.push_back(ct.func);
        break;
      }
    }
    if (!ok()) return v;
  }
  v.module = arena_.add(std::move(mt));
  return v;
}

// Walks `count` scopes outward (0 is `f` itself).
Frame* Elaborator::outer_frame(Frame& f, uint32_t count, size_t offset, bool& crosses_component) {
  Frame* target = &f;
  crosses_component = false;
  for (uint32_t i = 0; i < count; ++i) {
    if (target->component_scope) crosses_component = true;
    target = target->parent;
    if (!target) {
      fail(offset, "outer alias count " + std::to_string(count) + " exceeds the number of enclosing scopes (" +
                       std::to_string(i) + ")");
      return nullptr;
    }
  }
  return target;
}

TypeId Elaborator::resolve_decls(Frame& outer, const std::vector<Decl>& decls, bool component_type, size_t offset) {
  Frame* f = new_frame(&outer, false, outer.path);
  // Component types check visibility eagerly; instance types only where
  // they are attached to an import or export.
  f->check_named = component_type;
  for (const auto& d : decls) {
    switch (d.kind) {
      case Decl::CoreType: {
        CoreTypeVal ct = resolve_core_type(*f, *d.core_type);
        f->core_types.push_back(ct);
        break;
      }
      case Decl::Type: {
        TypeId t = resolve_type(*f, *d.type, true);
        if (ok()) f->types.push_back(t);
        break;
      }
      case Decl::Alias: {
        const AliasDef& a = d.alias;
        if (a.target == AliasDef::Outer) {
          if (!(a.sort.sort == Sort::Type || (a.sort.sort == Sort::Core && a.sort.core == CoreSort::Type))) {
            fail(d.offset, std::string("outer aliases in type declarators may only alias types and core types, not ") +
                               sort_name(a.sort));
            break;
          }
        } else if (a.target == AliasDef::InstanceExport) {
          if (!(a.sort.sort == Sort::Type || a.sort.sort == Sort::Instance)) {
            fail(d.offset, std::string("export aliases in type declarators may only alias types and instances, not ") +
                               sort_name(a.sort));
            break;
          }
        } else {
          fail(d.offset, "core export aliases are not allowed in type declarators");
          break;
        }
        alias(*f, a);
        break;
      }
      case Decl::Import:
      case Decl::Export: {
        bool is_import = d.kind == Decl::Import;
        ExternType et;
        if (!resolve_extern(*f, d.desc, d.offset, et)) break;
        std::vector<ResourceId>& quantified = is_import ? f->imported_resources : f->defined_resources;
        std::string name(d.name);
        if (et.kind == ExternKind::Type && d.desc.sub_resource) {
          ResourceId r = arena_.new_resource(name, false);
          quantified.push_back(r);
          et.type = arena_.resource_type(r);
        } else if (et.kind == ExternKind::Instance || et.kind == ExternKind::Component) {
          et.type = freshen(et.type, quantified, name, false, {});
        }
        if (!check_name(*f, d.name, et, is_import, d.offset)) break;
        if (!check_named(*f, et, name, is_import, d.offset)) break;
        make_visible(*f, et, is_import);
        ExternVal v = abstract_value(et, {}, false);
        add_value(*f, v);
        (is_import ? f->type_imports : f->type_exports).push_back({name, et});
        break;
      }
    }
    if (!ok()) return kNoType;
  }
  Type t;
  t.kind = component_type ? TypeKind::Component : TypeKind::Instance;
  t.imports = std::move(f->type_imports);
  t.exports = std::move(f->type_exports);
  t.imported_resources = std::move(f->imported_resources);
  t.defined_resources = std::move(f->defined_resources);
  (void)offset;
  return arena_.add(std::move(t));
}

TypeId Elaborator::resolve_type(Frame& f, const TypeDef& d, bool in_type_scope) {
  switch (d.kind) {
    case TypeDef::DefVal: return resolve_defval(f, d.val, d.offset);
    case TypeDef::Func: return resolve_func(f, d.func, d.offset);
    case TypeDef::Component:
    case TypeDef::Instance: {
      if (++depth_ > 64) {
        fail(d.offset, "type declarators nested too deeply");
        return kNoType;
      }
      TypeId t = resolve_decls(f, d.decls, d.kind == TypeDef::Component, d.offset);
      --depth_;
      return t;
    }
    case TypeDef::Resource: {
      if (in_type_scope) {
        fail(d.offset, "resource types may only be defined in components, not inside component or instance types");
        return kNoType;
      }
      if (d.resource.rep != CoreValType::I32) {
        fail(d.offset, std::string("resource representation must be i32, found ") + core_valtype_name(d.resource.rep));
        return kNoType;
      }
      ResourceId r = arena_.new_resource("", false);
      f.own_resources.insert(r);
      uint32_t idx = plan_resource(r);
      plan_->resources[idx].instance = current_instance_;
      if (d.resource.dtor) {
        const CoreItemVal* dtor = core_item(f, CoreSort::Func, *d.resource.dtor, d.offset);
        if (!dtor) return kNoType;
        CoreFuncType want{{CoreValType::I32}, {}};
        if (!(dtor->type.func == want)) {
          fail(d.offset, "resource destructor core func " + std::to_string(*d.resource.dtor) + " must have type " +
                             want.to_string() + ", found " + dtor->type.func.to_string());
          return kNoType;
        }
        plan_->resources[idx].dtor = dtor->ref;
      }
      return arena_.resource_type(r);
    }
  }
  return kNoType;
}

// ---- values ------------------------------------------------------------------------

// A value standing for an import: a host function at the root, an abstract
// one while validating a component on its own.
ExternVal Elaborator::abstract_value(const ExternType& t, const std::vector<std::string>& path, bool host) {
  ExternVal v;
  v.kind = t.kind;
  v.type = t.type;
  switch (t.kind) {
    case ExternKind::Func:
      v.func.kind = host ? FuncSource::Host : FuncSource::Abstract;
      v.func.path = path;
      break;
    case ExternKind::Instance: {
      v.instance = std::make_shared<InstanceVal>();
      const Type& it = arena_.get(t.type);
      std::vector<NamedExtern> exports = it.exports;
      for (const auto& e : exports) {
        std::vector<std::string> sub = path;
        sub.push_back(e.name);
        v.instance->exports.push_back({e.name, abstract_value(e.type, sub, host)});
      }
      break;
    }
    case ExternKind::Component:
      v.component = std::make_shared<ComponentVal>();
      v.component->imported = true;
      v.component->type = t.type;
      break;
    case ExternKind::Module:
      v.module.imported = true;
      v.module.type = t.type;
      break;
    case ExternKind::Type:
    case ExternKind::Value:
      break;
  }
  return v;
}

bool Elaborator::add_value(Frame& f, const ExternVal& v) {
  switch (v.kind) {
    case ExternKind::Func: f.funcs.push_back(v); break;
    case ExternKind::Instance: f.instances.push_back(v.instance); break;
    case ExternKind::Component: f.components.push_back(v.component); break;
    case ExternKind::Module: f.modules.push_back(v.module); break;
    case ExternKind::Type: f.types.push_back(v.type); break;
    case ExternKind::Value: return false;
  }
  return true;
}

ExternVal Elaborator::item_value(Frame& f, SortIdx item, size_t offset) {
  ExternVal v;
  auto bounds = [&](size_t n) {
    if (item.index < n) return true;
    fail(offset, std::string(sort_name(item.sort)) + " index " + std::to_string(item.index) + " out of bounds (there are " +
                     std::to_string(n) + ")");
    return false;
  };
  switch (item.sort.sort) {
    case Sort::Func:
      if (bounds(f.funcs.size())) v = f.funcs[item.index];
      break;
    case Sort::Instance:
      if (bounds(f.instances.size())) {
        v.kind = ExternKind::Instance;
        v.instance = f.instances[item.index];
      }
      break;
    case Sort::Component:
      if (bounds(f.components.size())) {
        v.kind = ExternKind::Component;
        v.component = f.components[item.index];
        v.type = v.component->type;
      }
      break;
    case Sort::Type:
      if (bounds(f.types.size())) {
        v.kind = ExternKind::Type;
        v.type = f.types[item.index];
      }
      break;
    case Sort::Core:
      if (item.sort.core == CoreSort::Module) {
        if (bounds(f.modules.size())) {
          v.kind = ExternKind::Module;
          v.module = f.modules[item.index];
        }
      } else {
        fail(offset, std::string(sort_name(item.sort)) + " cannot be passed or exported at the component level");
      }
      break;
    case Sort::Value:
      fail(offset, "values are not part of WASI 0.2");
      break;
  }
  return v;
}

TypeId Elaborator::instance_type_of(const InstanceVal& inst) {
  Type t;
  t.kind = TypeKind::Instance;
  for (const auto& e : inst.exports) t.exports.push_back({e.first, type_of(e.second)});
  return arena_.add(std::move(t));
}

ExternType Elaborator::type_of(const ExternVal& v) {
  ExternType t;
  t.kind = v.kind;
  switch (v.kind) {
    case ExternKind::Instance: t.type = instance_type_of(*v.instance); break;
    case ExternKind::Component: t.type = v.component->type; break;
    case ExternKind::Module: {
      if (v.module.imported) {
        t.type = v.module.type;
      } else {
        Type mt;
        mt.kind = TypeKind::Module;
        for (const auto& i : v.module.def->info.imports)
          mt.module.imports.push_back({std::string(i.module), std::string(i.name), i.type});
        for (const auto& e : v.module.def->info.exports) mt.module.exports.push_back({std::string(e.name), e.type});
        t.type = arena_.add(std::move(mt));
      }
      break;
    }
    default: t.type = v.type; break;
  }
  return t;
}

PlanItem Elaborator::plan_item(const std::string& name, const ExternVal& v) {
  PlanItem p;
  p.name = name;
  p.kind = v.kind;
  p.type = v.type;
  switch (v.kind) {
    case ExternKind::Func: p.func = v.func; break;
    case ExternKind::Instance:
      for (const auto& e : v.instance->exports) p.items.push_back(plan_item(e.first, e.second));
      break;
    case ExternKind::Module: p.module = v.module.plan_module; break;
    case ExternKind::Type:
      if (arena_.get(v.type).kind == TypeKind::Resource) {
        ResourceId r = arena_.get(v.type).resource;
        uint32_t idx = plan_resource(r);
        if (plan_->resources[idx].name.empty()) plan_->resources[idx].name = name;
      }
      break;
    default: break;
  }
  return p;
}

// ---- subtyping ---------------------------------------------------------------------------

bool Elaborator::check_subtype(const ExternVal& actual, const ExternType& expected_in, Bindings& bind,
                               const std::string& what, size_t offset) {
  if (actual.kind != expected_in.kind)
    return fail(offset, what + ": expected " + article(extern_kind_name(expected_in.kind)) + ", found " +
                            article(extern_kind_name(actual.kind)));
  ExternType expected = expected_in;
  switch (expected.kind) {
    case ExternKind::Func: {
      TypeId want = arena_.substitute(expected.type, bound(bind));
      if (!arena_.equal(actual.type, want))
        return fail(offset, what + ": expected " + arena_.describe(want) + ", found " + arena_.describe(actual.type));
      return true;
    }
    case ExternKind::Type: {
      const Type& want = arena_.get(expected.type);
      const Type& have = arena_.get(actual.type);
      if (want.kind == TypeKind::Resource) {
        if (have.kind != TypeKind::Resource)
          return fail(offset, what + ": expected a resource type, found " + arena_.describe(actual.type));
        auto it = bind.find(want.resource);
        if (it != bind.end() && it->second == kUnbound) {
          it->second = have.resource;  // an abstract resource of the expected type: bind it
          return true;
        }
        ResourceId need = it == bind.end() ? want.resource : it->second;
        if (need != have.resource)
          return fail(offset, what + ": resource types are not the same: expected " +
                                  arena_.describe(arena_.resource_type(need)) + ", found a different resource " +
                                  arena_.describe(actual.type));
        return true;
      }
      TypeId w = arena_.substitute(expected.type, bound(bind));
      if (!arena_.equal(actual.type, w))
        return fail(offset, what + ": expected type " + arena_.describe(w) + ", found " + arena_.describe(actual.type));
      return true;
    }
    case ExternKind::Instance: {
      const Type& want = arena_.get(expected.type);
      std::vector<NamedExtern> exports = want.exports;
      for (const auto& e : exports) {
        const ExternVal* have = actual.instance->find(e.name);
        if (!have)
          return fail(offset, what + ": missing expected export '" + e.name + "' (" + article(extern_kind_name(e.type.kind)) + ")");
        if (!check_subtype(*have, e.type, bind, what + " export '" + e.name + "'", offset)) return false;
      }
      return true;
    }
    case ExternKind::Component: {
      // Copies: the checks below add to the arena.
      const Type want = arena_.get(expected.type);
      const Type have = arena_.get(actual.component->type);
      // Imports are contravariant: each import of the actual component must
      // be satisfied by what the expected type's importer provides (its own
      // imports, whose resources the actual component's abstract ones bind to).
      Bindings have_bind = unbound(have.imported_resources);
      for (ResourceId r : have.defined_resources) have_bind[r] = kUnbound;
      for (const auto& i : have.imports) {
        const NamedExtern* j = nullptr;
        for (const auto& x : want.imports)
          if (x.name == i.name) j = &x;
        if (!j) return fail(offset, what + ": component imports '" + i.name + "', which the expected type does not");
        ExternVal provided = abstract_value(j->type, {}, false);
        if (!check_subtype(provided, i.type, have_bind, what + " import '" + i.name + "'", offset)) return false;
      }
      // Exports are covariant, seen through the bindings of the imports.
      Bindings have_bound = bound(have_bind);
      // The expected type's exported resources are abstract: the actual
      // component's exports supply them.
      for (ResourceId r : want.defined_resources)
        if (!bind.count(r)) bind[r] = kUnbound;
      for (const auto& e : want.exports) {
        const NamedExtern* h = nullptr;
        for (const auto& x : have.exports)
          if (x.name == e.name) h = &x;
        if (!h) return fail(offset, what + ": component is missing expected export '" + e.name + "'");
        ExternType ht = h->type;
        ht.type = arena_.substitute(ht.type, have_bound);
        ExternVal provided = abstract_value(ht, {}, false);
        if (!check_subtype(provided, e.type, bind, what + " export '" + e.name + "'", offset)) return false;
      }
      return true;
    }
    case ExternKind::Module: {
      // A copy: type_of() may add to the arena, which would leave a
      // reference into it dangling.
      const CoreModuleType want = arena_.get(expected.type).module;
      ExternType at = type_of(actual);
      const CoreModuleType& have = arena_.get(at.type).module;
      for (const auto& i : have.imports) {
        const CoreModuleType::Import* match = nullptr;
        for (const auto& j : want.imports)
          if (j.module == i.module && j.name == i.name) match = &j;
        if (!match || !core_extern_matches(match->type, i.type))
          return fail(offset, what + ": module import '" + i.module + "' '" + i.name + "' is not in the expected module type");
      }
      for (const auto& e : want.exports) {
        const CoreModuleType::Export* match = nullptr;
        for (const auto& h : have.exports)
          if (h.name == e.name) match = &h;
        if (!match) return fail(offset, what + ": module is missing export '" + e.name + "'");
        if (!core_extern_matches(match->type, e.type))
          return fail(offset, what + ": module export '" + e.name + "' has type " + match->type.to_string() + ", expected " +
                                  e.type.to_string());
      }
      return true;
    }
    case ExternKind::Value: return fail(offset, "values are not part of WASI 0.2");
  }
  return true;
}

// ---- names and visibility ------------------------------------------------------------------

bool Elaborator::check_name(Frame& f, std::string_view name, const ExternType& type, bool is_import, size_t offset) {
  ExternName parsed;
  std::string problem = parse_extern_name(name, parsed);
  if (!problem.empty()) return fail(offset, problem);
  std::string key = uniqueness_key(name, parsed);
  auto& keys = is_import ? f.import_keys : f.export_keys;
  if (!keys.insert(key).second)
    return fail(offset, std::string(is_import ? "import" : "export") + " name '" + std::string(name) +
                            "' conflicts with an earlier one (names must be strongly-unique)");
  auto& resource_labels = is_import ? f.import_resource_labels : f.export_resource_labels;
  if (parsed.kind == NameKind::Label && type.kind == ExternKind::Type &&
      arena_.get(type.type).kind == TypeKind::Resource)
    resource_labels[std::string(parsed.label)] = arena_.get(type.type).resource;
  if (parsed.kind == NameKind::Constructor || parsed.kind == NameKind::Method || parsed.kind == NameKind::Static) {
    const char* form = parsed.kind == NameKind::Constructor ? "[constructor]" : parsed.kind == NameKind::Method ? "[method]" : "[static]";
    std::string res(parsed.resource);
    if (type.kind != ExternKind::Func)
      return fail(offset, std::string("'") + std::string(name) + "': " + form + " names are only allowed on functions");
    auto r = resource_labels.find(res);
    if (r == resource_labels.end())
      return fail(offset, std::string("'") + std::string(name) + "' refers to resource '" + res +
                              "', which is not a preceding resource " + (is_import ? "import" : "export") + " of this scope");
    const Type& ft = arena_.get(type.type);
    // Whether `t` is own<r>/borrow<r> of this very resource (not just any handle).
    auto is_handle_of = [&](TypeId t, TypeKind kind) {
      const Type& h = arena_.get(t);
      return h.kind == kind && h.resource == r->second;
    };
    if (parsed.kind == NameKind::Method) {
      if (ft.fields.empty() || ft.fields[0].name != "self" || !is_handle_of(ft.fields[0].type, TypeKind::Borrow)) {
        std::string found = ft.fields.empty() ? "no parameters"
                                              : "first parameter `" + ft.fields[0].name + ": " +
                                                    arena_.describe(ft.fields[0].type) + "`";
        return fail(offset, "'" + std::string(name) + "': a [method] must take `self: borrow<" + res +
                                ">` as its first parameter, found " + found);
      }
    }
    if (parsed.kind == NameKind::Constructor) {
      bool good = false;
      if (ft.ok != kNoType) {
        const Type& rt = arena_.get(ft.ok);
        if (is_handle_of(ft.ok, TypeKind::Own)) good = true;
        if (rt.kind == TypeKind::Result && rt.ok != kNoType && is_handle_of(rt.ok, TypeKind::Own)) good = true;
      }
      if (!good)
        return fail(offset, "'" + std::string(name) + "': a [constructor] must return own<" + res + "> or result<own<" +
                                res + ">, E>, found " + (ft.ok == kNoType ? std::string("no result") : arena_.describe(ft.ok)));
    }
  }
  return true;
}

void Elaborator::make_visible(Frame& f, const ExternType& t, bool is_import) {
  if (t.type == kNoType) return;
  const Type& ty = arena_.get(t.type);
  if (t.kind == ExternKind::Type && ty.kind == TypeKind::Resource) {
    f.visible_resources.insert(ty.resource);
    if (is_import) f.imported_visible_resources.insert(ty.resource);
  } else if (t.kind == ExternKind::Instance) {
    for (const auto& e : ty.exports) make_visible(f, e.type, is_import);
  }
}

std::string Elaborator::resource_label(ResourceId r) {
  const std::string& name = arena_.resource(r).name;
  return name.empty() ? std::string("a resource defined by this component") : "resource '" + name + "'";
}

bool Elaborator::check_visible(Frame& f, const ExternType& t, const std::string& name, bool is_import, size_t offset) {
  std::vector<ResourceId> used;
  if (t.kind == ExternKind::Component || t.kind == ExternKind::Module) return true;
  arena_.collect_resources(t.type, used);
  const std::set<ResourceId>& visible = is_import ? f.imported_visible_resources : f.visible_resources;
  for (ResourceId r : used) {
    if (!visible.count(r))
      return fail(offset, std::string(is_import ? "import '" : "export '") + name + "' refers to " + resource_label(r) +
                              (is_import ? ", which is not introduced by a preceding import (an import's type may only "
                                           "use imported resources)"
                                         : ", which is not introduced by a preceding import or export"));
  }
  return true;
}

// Whether value type `t`, used by an import (export), names only types this
// scope has imported (or exported): records, variants, enums and flags must
// be such types themselves, anonymous types must be made of them, and a
// handle's resource must be one (wasm-tools' type_named_type_id).
bool Elaborator::is_named(Frame& f, TypeId t, bool is_import) {
  if (t == kNoType) return true;
  const std::set<TypeId>& types = is_import ? f.imported_types : f.exported_types;
  const std::set<ResourceId>& resources = is_import ? f.imported_named_resources : f.exported_named_resources;
  const Type& ty = arena_.get(t);
  switch (ty.kind) {
    case TypeKind::Prim: return true;
    case TypeKind::Record:
    case TypeKind::Variant:
    case TypeKind::Enum:
    case TypeKind::Flags: return types.count(t) > 0;
    case TypeKind::Own:
    case TypeKind::Borrow: return resources.count(ty.resource) > 0;
    case TypeKind::Tuple:
    case TypeKind::List:
    case TypeKind::Option:
    case TypeKind::Result: {
      std::vector<TypeId> parts = ty.elements;
      parts.push_back(ty.ok);
      parts.push_back(ty.err);
      for (TypeId p : parts)
        if (!is_named(f, p, is_import)) return false;
      return true;
    }
    default: return true;
  }
}

// Whether everything `t` refers to one layer down is named (wasm-tools'
// all_valtypes_named): the fields of a record, the parameters of a function,
// the exports of an instance type.
bool Elaborator::all_named(Frame& f, TypeId t, bool is_import) {
  if (t == kNoType) return true;
  const Type ty = arena_.get(t);  // a copy: is_named may not add, but keep it safe
  switch (ty.kind) {
    case TypeKind::Record:
    case TypeKind::Variant:
    case TypeKind::Func:
      for (const auto& fld : ty.fields)
        if (!is_named(f, fld.type, is_import)) return false;
      return ty.kind != TypeKind::Func || is_named(f, ty.ok, is_import);
    case TypeKind::Own:
    case TypeKind::Borrow:
    case TypeKind::Tuple:
    case TypeKind::List:
    case TypeKind::Option:
    case TypeKind::Result:
      // The type itself is anonymous; its parts must be named.
      return is_named(f, t, is_import);
    case TypeKind::Instance:
      for (const auto& e : ty.exports)
        if (e.type.kind != ExternKind::Component && e.type.kind != ExternKind::Module &&
            !all_named(f, e.type.type, is_import))
          return false;
      return true;
    default: return true;  // primitives, enums, flags, resources, components, modules
  }
}

// Checks an import's or export's type and records the types it introduces
// (wasm-tools' validate_and_register_named_types). Returns false when it
// refers to a named type this scope has not imported (exported).
bool Elaborator::register_named(Frame& f, const ExternType& t, bool is_import) {
  switch (t.kind) {
    case ExternKind::Type: {
      if (!all_named(f, t.type, is_import)) return false;
      const Type& ty = arena_.get(t.type);
      if (ty.kind == TypeKind::Resource) {
        f.exported_named_resources.insert(ty.resource);
        if (is_import) f.imported_named_resources.insert(ty.resource);
      } else {
        f.exported_types.insert(t.type);
        if (is_import) f.imported_types.insert(t.type);
      }
      return true;
    }
    case ExternKind::Instance: {
      // In order: a type export makes it named for the exports after it.
      std::vector<NamedExtern> exports = arena_.get(t.type).exports;
      for (const auto& e : exports)
        if (!register_named(f, e.type, is_import)) return false;
      return true;
    }
    case ExternKind::Func: return all_named(f, t.type, is_import);
    default: return true;  // components and core modules are self-contained
  }
}

bool Elaborator::check_named(Frame& f, const ExternType& t, const std::string& name, bool is_import,
                             size_t offset) {
  if (!f.check_named || register_named(f, t, is_import)) return true;
  const char* kind = t.kind == ExternKind::Type ? "type" : extern_kind_name(t.kind);
  return fail(offset, std::string(kind) + " not valid to be used as " + (is_import ? "import" : "export") + ": " +
                          (is_import ? "import '" : "export '") + name +
                          "' refers to a record, variant, enum, flags or resource type that is not itself " +
                          (is_import ? "imported" : "imported or exported") +
                          " by this component (Explainer.md, external visibility of types)");
}

// ---- definitions -----------------------------------------------------------------------------

void Elaborator::core_module(Frame& f, const Component& c, uint32_t i) {
  const CoreModuleDef* def = &c.modules[i];
  ModuleVal m;
  m.def = def;
  auto it = module_index_->find(def);
  if (it == module_index_->end()) {
    m.plan_module = uint32_t(plan_->modules.size());
    plan_->modules.push_back({def->offset, def->size, source_});
    (*module_index_)[def] = m.plan_module;
  } else {
    m.plan_module = it->second;
  }
  f.modules.push_back(m);
}

void Elaborator::core_instance(Frame& f, const CoreInstanceDef& d) {
  CoreInstanceVal out;
  if (d.kind == CoreInstanceDef::FromExports) {
    std::set<std::string_view> names;
    for (const auto& e : d.exports) {
      if (!names.insert(e.name).second) {
        fail(d.offset, "duplicate export name '" + std::string(e.name) + "' in core instance");
        return;
      }
      const CoreItemVal* item = core_item(f, e.sort, e.index, d.offset);
      if (!item) return;
      out.exports.push_back({std::string(e.name), *item});
    }
    f.core_instances.push_back(std::move(out));
    return;
  }
  if (d.module >= f.modules.size()) {
    fail(d.offset, "core module index " + std::to_string(d.module) + " out of bounds (there are " +
                       std::to_string(f.modules.size()) + ")");
    return;
  }
  const ModuleVal& m = f.modules[d.module];
  std::map<std::string_view, uint32_t> args;
  for (const auto& a : d.args) {
    if (a.instance >= f.core_instances.size()) {
      fail(d.offset, "core instance index " + std::to_string(a.instance) + " out of bounds in argument '" +
                         std::string(a.name) + "'");
      return;
    }
    if (!args.emplace(a.name, a.instance).second) {
      fail(d.offset, "duplicate core instantiate argument '" + std::string(a.name) + "'");
      return;
    }
  }
  std::vector<CoreModuleType::Import> imports;
  std::vector<CoreModuleType::Export> exports;
  if (m.imported) {
    const CoreModuleType& mt = arena_.get(m.type).module;
    imports = mt.imports;
    exports = mt.exports;
  } else {
    for (const auto& i : m.def->info.imports) imports.push_back({std::string(i.module), std::string(i.name), i.type});
    for (const auto& e : m.def->info.exports) exports.push_back({std::string(e.name), e.type});
  }
  PlanInstantiate step;
  step.module = m.plan_module;
  for (const auto& imp : imports) {
    auto a = args.find(imp.module);
    if (a == args.end()) {
      fail(d.offset, "core module " + std::to_string(d.module) + " imports '" + imp.module + "' '" + imp.name +
                         "', but no instantiate argument is named '" + imp.module + "'");
      return;
    }
    const CoreItemVal* item = f.core_instances[a->second].find(imp.name);
    if (!item) {
      fail(d.offset, "core module " + std::to_string(d.module) + " imports '" + imp.module + "' '" + imp.name +
                         "', but core instance " + std::to_string(a->second) + " has no export '" + imp.name + "'");
      return;
    }
    if (!core_extern_matches(item->type, imp.type)) {
      fail(d.offset, "core module " + std::to_string(d.module) + " import '" + imp.module + "' '" + imp.name +
                         "' expects " + imp.type.to_string() + ", but the argument provides " + item->type.to_string());
      return;
    }
    step.args.push_back({imp.module, imp.name, item->ref});
  }
  uint32_t index = uint32_t(plan_->instantiations.size());
  if (m.imported) {
    if (link_phase_) {
      fail_link(d.offset, "instantiating an imported core module is not supported: the module must be embedded in the component");
      return;
    }
  }
  plan_->instantiations.push_back(std::move(step));
  for (const auto& e : exports) {
    CoreItemVal item;
    item.ref.kind = m.imported ? CoreItemRef::Abstract : CoreItemRef::Export;
    item.ref.index = index;
    item.ref.name = e.name;
    item.type = e.type;
    out.exports.push_back({e.name, item});
  }
  f.core_instances.push_back(std::move(out));
}

void Elaborator::core_type_def(Frame& f, const CoreTypeDef& d) {
  f.core_types.push_back(resolve_core_type(f, d));
}

void Elaborator::nested_component(Frame& f, const Component& c, uint32_t i) {
  const Component& inner = *c.components[i];
  auto val = std::make_shared<ComponentVal>();
  val->def = &inner;
  val->env = &f;
  val->path = path_ + " > component[" + std::to_string(i) + "]";
  // Validate it on its own, with abstract imports, into a scratch plan; this
  // also yields its component type.
  Plan scratch;
  std::map<ResourceId, uint32_t> scratch_resources;
  std::map<const CoreModuleDef*, uint32_t> scratch_modules;
  Plan* saved_plan = plan_;
  auto saved_resources = resource_index_;
  auto saved_modules = module_index_;
  bool saved_link = link_phase_;
  std::string saved_path = path_, saved_item = item_;
  uint32_t saved_instance = current_instance_;
  plan_ = &scratch;
  resource_index_ = &scratch_resources;
  module_index_ = &scratch_modules;
  link_phase_ = false;
  Frame* frame = elaborate_component(inner, &f, val->path, nullptr, false);
  plan_ = saved_plan;
  resource_index_ = saved_resources;
  module_index_ = saved_modules;
  link_phase_ = saved_link;
  path_ = saved_path;
  item_ = saved_item;
  current_instance_ = saved_instance;
  if (!frame) return;
  Type t;
  t.kind = TypeKind::Component;
  t.imports = frame->world_imports;
  t.exports = frame->world_exports;
  t.imported_resources.assign(frame->visible_resources.begin(), frame->visible_resources.end());
  val->type = arena_.add(std::move(t));
  f.components.push_back(val);
}

void Elaborator::instance(Frame& f, const InstanceDef& d) {
  if (d.kind == InstanceDef::FromExports) {
    auto inst = std::make_shared<InstanceVal>();
    std::set<std::string> keys;
    for (const auto& e : d.exports) {
      ExternName parsed;
      std::string problem = parse_extern_name(e.name, parsed);
      if (!problem.empty()) {
        fail(d.offset, problem);
        return;
      }
      if (!keys.insert(uniqueness_key(e.name, parsed)).second) {
        fail(d.offset, "duplicate export name '" + std::string(e.name) + "' in instance");
        return;
      }
      // A bag of exports introduces no type indices, so no resource has a
      // name in it: [constructor]/[method]/[static] names cannot refer to one
      // (wasm-tools' validator rules the same way).
      if (parsed.kind == NameKind::Constructor || parsed.kind == NameKind::Method ||
          parsed.kind == NameKind::Static) {
        fail(d.offset, "export '" + std::string(e.name) + "' of an inline-exports instance: resource '" +
                           std::string(parsed.resource) +
                           "' does not have a name in this context (an instance built from exports defines no "
                           "resource names for [constructor]/[method]/[static] functions)");
        return;
      }
      ExternVal v = item_value(f, e.item, d.offset);
      if (!ok()) return;
      inst->exports.push_back({std::string(e.name), v});
    }
    f.instances.push_back(inst);
    return;
  }
  if (d.component >= f.components.size()) {
    fail(d.offset, "component index " + std::to_string(d.component) + " out of bounds (there are " +
                       std::to_string(f.components.size()) + ")");
    return;
  }
  std::shared_ptr<ComponentVal> comp = f.components[d.component];
  Args args;
  for (const auto& a : d.args) {
    ExternVal v = item_value(f, a.item, d.offset);
    if (!ok()) return;
    if (!args.emplace(std::string(a.name), v).second) {
      fail(d.offset, "duplicate instantiate argument '" + std::string(a.name) + "'");
      return;
    }
  }
  if (comp->imported) {
    if (link_phase_) {
      fail_link(d.offset, "instantiating an imported component is not supported: plug it in with link() instead");
      return;
    }
    // Check the arguments against the imports and produce the exports.
    // A copy: the checks below add to the arena.
    const Type ct = arena_.get(comp->type);
    Bindings bind = unbound(ct.imported_resources);
    for (const auto& imp : ct.imports) {
      auto it = args.find(imp.name);
      if (it == args.end()) {
        fail(d.offset, "missing instantiate argument for import '" + imp.name + "'");
        return;
      }
      if (!check_subtype(it->second, imp.type, bind, "instantiate argument '" + imp.name + "'", d.offset)) return;
    }
    // Each instance gets fresh resources for the ones the component
    // defines (resource types are generative).
    Bindings map = bound(bind);
    for (ResourceId r : ct.defined_resources) map[r] = arena_.new_resource(arena_.resource(r).name, false);
    // One substitution over all exports, so that a type export and the
    // functions referring to it stay one type.
    Type all;
    all.kind = TypeKind::Instance;
    all.exports = ct.exports;
    TypeId substituted = arena_.substitute(arena_.add(std::move(all)), map);
    std::vector<NamedExtern> exports = arena_.get(substituted).exports;
    auto inst = std::make_shared<InstanceVal>();
    for (const auto& e : exports) inst->exports.push_back({e.name, abstract_value(e.type, {}, false)});
    f.instances.push_back(inst);
    return;
  }
  std::string saved_path = path_, saved_item = item_;
  uint32_t saved_instance = current_instance_;
  if (++depth_ > 64) {
    fail(d.offset, "component instantiation nested too deeply");
    return;
  }
  Frame* frame = elaborate_component(*comp->def, comp->env, comp->path, &args, false);
  --depth_;
  current_instance_ = saved_instance;
  path_ = saved_path;
  item_ = saved_item;
  if (!frame) return;
  f.instances.push_back(frame->exported);
}

void Elaborator::alias(Frame& f, const AliasDef& a) {
  switch (a.target) {
    case AliasDef::InstanceExport: {
      if (a.instance >= f.instances.size()) {
        fail(a.offset, "instance index " + std::to_string(a.instance) + " out of bounds (there are " +
                           std::to_string(f.instances.size()) + ")");
        return;
      }
      const ExternVal* v = f.instances[a.instance]->find(a.name);
      if (!v) {
        fail(a.offset, "instance " + std::to_string(a.instance) + " has no export named '" + std::string(a.name) + "'");
        return;
      }
      ExternKind want;
      switch (a.sort.sort) {
        case Sort::Func: want = ExternKind::Func; break;
        case Sort::Instance: want = ExternKind::Instance; break;
        case Sort::Type: want = ExternKind::Type; break;
        case Sort::Component: want = ExternKind::Component; break;
        case Sort::Core:
          if (a.sort.core == CoreSort::Module) {
            want = ExternKind::Module;
            break;
          }
          [[fallthrough]];
        default:
          fail(a.offset, std::string("cannot alias a ") + sort_name(a.sort) + " from a component instance");
          return;
      }
      if (v->kind != want) {
        fail(a.offset, "export '" + std::string(a.name) + "' of instance " + std::to_string(a.instance) + " is " +
                           article(extern_kind_name(v->kind)) + ", not " + article(extern_kind_name(want)));
        return;
      }
      add_value(f, *v);
      return;
    }
    case AliasDef::CoreInstanceExport: {
      if (a.sort.sort != Sort::Core) {
        fail(a.offset, std::string("core export aliases must have a core sort, found ") + sort_name(a.sort));
        return;
      }
      if (a.instance >= f.core_instances.size()) {
        fail(a.offset, "core instance index " + std::to_string(a.instance) + " out of bounds (there are " +
                           std::to_string(f.core_instances.size()) + ")");
        return;
      }
      const CoreItemVal* item = f.core_instances[a.instance].find(a.name);
      if (!item) {
        fail(a.offset, "core instance " + std::to_string(a.instance) + " has no export named '" + std::string(a.name) + "'");
        return;
      }
      CoreExternKind want;
      std::vector<CoreItemVal>* space;
      switch (a.sort.core) {
        case CoreSort::Func: want = CoreExternKind::Func; space = &f.core_funcs; break;
        case CoreSort::Table: want = CoreExternKind::Table; space = &f.core_tables; break;
        case CoreSort::Memory: want = CoreExternKind::Memory; space = &f.core_memories; break;
        case CoreSort::Global: want = CoreExternKind::Global; space = &f.core_globals; break;
        case CoreSort::Tag: want = CoreExternKind::Tag; space = &f.core_tags; break;
        default:
          fail(a.offset, std::string("cannot alias a ") + sort_name(a.sort) + " from a core instance");
          return;
      }
      if (item->type.kind != want) {
        fail(a.offset, "export '" + std::string(a.name) + "' of core instance " + std::to_string(a.instance) + " is " +
                           article(core_extern_kind_name(item->type.kind)) + ", not " + article(core_extern_kind_name(want)));
        return;
      }
      space->push_back(*item);
      return;
    }
    case AliasDef::Outer: {
      bool crosses = false;
      Frame* target = outer_frame(f, a.outer_count, a.offset, crosses);
      if (!target) return;
      uint32_t i = a.outer_index;
      auto bounds = [&](size_t n) {
        if (i < n) return true;
        fail(a.offset, std::string("outer alias of ") + sort_name(a.sort) + " " + std::to_string(i) +
                           " out of bounds (the target scope has " + std::to_string(n) + ")");
        return false;
      };
      if (a.sort.sort == Sort::Type) {
        if (!bounds(target->types.size())) return;
        TypeId t = target->types[i];
        if (crosses && arena_.contains_resource(t) && a.outer_count > 0) {
          fail(a.offset, "outer alias of type " + std::to_string(i) +
                             " crosses a component boundary but refers to a resource type");
          return;
        }
        f.types.push_back(t);
      } else if (a.sort.sort == Sort::Core && a.sort.core == CoreSort::Type) {
        if (!bounds(target->core_types.size())) return;
        f.core_types.push_back(target->core_types[i]);
      } else if (a.sort.sort == Sort::Component) {
        if (!bounds(target->components.size())) return;
        f.components.push_back(target->components[i]);
      } else if (a.sort.sort == Sort::Core && a.sort.core == CoreSort::Module) {
        if (!bounds(target->modules.size())) return;
        f.modules.push_back(target->modules[i]);
      } else {
        fail(a.offset, std::string("outer aliases may only alias types, core types, components and core modules, not ") +
                           sort_name(a.sort));
      }
      return;
    }
  }
}

void Elaborator::type_def(Frame& f, const TypeDef& d) {
  TypeId t = resolve_type(f, d, false);
  if (ok()) f.types.push_back(t);
}

std::optional<CoreItemRef> Elaborator::canon_memory(Frame& f, const CanonOptions& o) {
  if (!o.memory) return std::nullopt;
  const CoreItemVal* m = core_item(f, CoreSort::Memory, *o.memory, o.offset);
  if (!m) return std::nullopt;
  if (m->type.memory.limits.is64) {
    fail(o.offset, "canon memory " + std::to_string(*o.memory) + " is a 64-bit memory; WASI 0.2 requires a 32-bit memory");
    return std::nullopt;
  }
  return m->ref;
}

void Elaborator::canon(Frame& f, const CanonDef& d) {
  auto options = [&](TypeId ft, AbiContext ctx, PlanOptions& out) -> bool {
    const CanonOptions& o = d.options;
    out.encoding = o.encoding.value_or(StringEncoding::Utf8);
    out.memory = canon_memory(f, o);
    if (!ok()) return false;
    const Type& t = arena_.get(ft);
    FuncLayout layout = func_layout(layouts_, arena_, ft, ctx);
    bool params_memory = false, result_memory = false;
    for (const auto& p : t.fields) params_memory = params_memory || needs_memory(p.type);
    if (t.ok != kNoType) result_memory = needs_memory(t.ok);
    bool memory = params_memory || result_memory || layout.params_in_memory || layout.result_in_memory;
    // Values move into this side's memory: the callee's params when lifting,
    // the results when lowering; that needs an allocator.
    bool realloc = ctx == AbiContext::Lift ? (params_memory || layout.params_in_memory) : result_memory;
    const char* op = ctx == AbiContext::Lift ? "canon lift" : "canon lower";
    if (memory && !o.memory)
      return fail(o.offset, std::string(op) + " of " + arena_.describe(ft) +
                                " requires the memory option: its parameters or results are passed through memory");
    if (o.realloc && !o.memory)
      return fail(o.offset, std::string(op) + ": the realloc option requires the memory option (realloc allocates in that memory)");
    if (o.realloc) {
      const CoreItemVal* r = core_item(f, CoreSort::Func, *o.realloc, o.offset);
      if (!r) return false;
      CoreFuncType want{{CoreValType::I32, CoreValType::I32, CoreValType::I32, CoreValType::I32}, {CoreValType::I32}};
      if (!(r->type.func == want))
        return fail(o.offset, "realloc core func " + std::to_string(*o.realloc) + " must have type " + want.to_string() +
                                  ", found " + r->type.func.to_string());
      out.realloc = r->ref;
    } else if (realloc) {
      return fail(o.offset, std::string(op) + " of " + arena_.describe(ft) +
                                " requires the realloc option: strings or lists are copied into this component's memory");
    }
    if (o.post_return) {
      if (ctx == AbiContext::Lower) return fail(o.offset, "canon lower does not accept the post-return option");
      const CoreItemVal* pr = core_item(f, CoreSort::Func, *o.post_return, o.offset);
      if (!pr) return false;
      CoreFuncType want{layout.flat_results, {}};
      if (!(pr->type.func == want))
        return fail(o.offset, "post-return core func " + std::to_string(*o.post_return) + " must have type " +
                                  want.to_string() + ", found " + pr->type.func.to_string());
      out.post_return = pr->ref;
    }
    return true;
  };

  switch (d.kind) {
    case CanonDef::Lift: {
      const CoreItemVal* core = core_item(f, CoreSort::Func, d.func, d.offset);
      if (!core) return;
      if (d.type >= f.types.size()) {
        fail(d.offset, "type index " + std::to_string(d.type) + " out of bounds (there are " + std::to_string(f.types.size()) + ")");
        return;
      }
      TypeId ft = f.types[d.type];
      if (arena_.get(ft).kind != TypeKind::Func) {
        fail(d.offset, "canon lift requires a func type, but type " + std::to_string(d.type) + " is " + arena_.describe(ft));
        return;
      }
      FuncLayout layout = func_layout(layouts_, arena_, ft, AbiContext::Lift);
      if (!(core->type.func == layout.core_type())) {
        fail(d.offset, "lift of core func " + std::to_string(d.func) + ": expected type " + layout.core_type().to_string() +
                           " for " + arena_.describe(ft) + ", got " + core->type.func.to_string());
        return;
      }
      PlanLifted lifted;
      lifted.instance = current_instance_;
      lifted.core = core->ref;
      lifted.type = ft;
      if (!options(ft, AbiContext::Lift, lifted.options)) return;
      ExternVal v;
      v.kind = ExternKind::Func;
      v.type = ft;
      v.func.kind = FuncSource::Lifted;
      v.func.index = uint32_t(plan_->lifted.size());
      plan_->lifted.push_back(std::move(lifted));
      f.funcs.push_back(v);
      return;
    }
    case CanonDef::Lower: {
      if (d.func >= f.funcs.size()) {
        fail(d.offset, "func index " + std::to_string(d.func) + " out of bounds (there are " + std::to_string(f.funcs.size()) + ")");
        return;
      }
      const ExternVal& callee = f.funcs[d.func];
      PlanLowered lowered;
      lowered.instance = current_instance_;
      lowered.callee = callee.func;
      lowered.type = callee.type;
      if (!options(callee.type, AbiContext::Lower, lowered.options)) return;
      CoreItemVal item;
      item.ref.kind = CoreItemRef::Lowered;
      item.ref.index = uint32_t(plan_->lowered.size());
      item.type.kind = CoreExternKind::Func;
      item.type.func = func_layout(layouts_, arena_, callee.type, AbiContext::Lower).core_type();
      plan_->lowered.push_back(std::move(lowered));
      f.core_funcs.push_back(item);
      return;
    }
    case CanonDef::ResourceNew:
    case CanonDef::ResourceDrop:
    case CanonDef::ResourceRep: {
      const char* op = d.kind == CanonDef::ResourceNew ? "resource.new" : d.kind == CanonDef::ResourceDrop ? "resource.drop" : "resource.rep";
      if (d.type >= f.types.size()) {
        fail(d.offset, std::string("canon ") + op + ": type index " + std::to_string(d.type) + " out of bounds");
        return;
      }
      const Type& t = arena_.get(f.types[d.type]);
      if (t.kind != TypeKind::Resource) {
        fail(d.offset, std::string("canon ") + op + " requires a resource type, but type " + std::to_string(d.type) +
                           " is " + arena_.describe(f.types[d.type]));
        return;
      }
      if (d.kind != CanonDef::ResourceDrop && !f.own_resources.count(t.resource)) {
        fail(d.offset, std::string("canon ") + op + " requires a resource type defined by this component, but type " +
                           std::to_string(d.type) + " is " + arena_.describe(f.types[d.type]) +
                           ", which this component imports or takes from another component");
        return;
      }
      CoreItemVal item;
      item.ref.kind = d.kind == CanonDef::ResourceNew ? CoreItemRef::ResourceNew
                      : d.kind == CanonDef::ResourceDrop ? CoreItemRef::ResourceDrop
                                                         : CoreItemRef::ResourceRep;
      item.ref.index = plan_resource(t.resource);
      item.ref.instance = current_instance_;
      item.type.kind = CoreExternKind::Func;
      item.type.func.params = {CoreValType::I32};
      if (d.kind != CanonDef::ResourceDrop) item.type.func.results = {CoreValType::I32};
      f.core_funcs.push_back(item);
      return;
    }
  }
}

void Elaborator::import(Frame& f, const ImportDef& d, const Args* args, bool root) {
  ExternType et;
  if (!resolve_extern(f, d.desc, d.offset, et)) return;
  std::string name(d.name);
  ExternVal v;
  const bool from_host = !args || (plugged_ && depth_ == 0 && args->find(name) == args->end());
  if (!from_host) {
    auto it = args->find(name);
    if (it == args->end()) {
      fail(d.offset, "missing instantiate argument for import '" + name + "'");
      return;
    }
    v = it->second;
    if (et.kind == ExternKind::Type && d.desc.sub_resource) {
      if (v.kind != ExternKind::Type || arena_.get(v.type).kind != TypeKind::Resource) {
        fail(d.offset, "instantiate argument '" + name + "': expected a resource type");
        return;
      }
      et.type = v.type;
    } else {
      // Abstract resources of the declared type bind to the argument's;
      // any other resource it names (`(eq $a)` of an earlier import, already
      // substituted) must be the argument's very resource.
      std::vector<ResourceId> fresh;
      if (et.kind == ExternKind::Instance || et.kind == ExternKind::Component)
        et.type = freshen(et.type, fresh, name, false, {});
      Bindings bind = unbound(fresh);
      if (!check_subtype(v, et, bind, "instantiate argument '" + name + "'", d.offset)) return;
      if (et.kind == ExternKind::Instance) et.type = arena_.substitute(et.type, bound(bind));
    }
  } else {
    if (et.kind == ExternKind::Type && d.desc.sub_resource) {
      ResourceId r = arena_.new_resource(name, root);
      if (root) plan_->resources[plan_resource(r)].path = {name};
      et.type = arena_.resource_type(r);
    } else if (et.kind == ExternKind::Instance || et.kind == ExternKind::Component) {
      std::vector<ResourceId> fresh;
      et.type = freshen(et.type, fresh, name, root, {name});
    }
    v = abstract_value(et, {name}, root);
  }
  if (!check_name(f, d.name, et, true, d.offset)) return;
  make_visible(f, et, true);
  if (!check_visible(f, et, name, true, d.offset)) return;
  if (!check_named(f, et, name, true, d.offset)) return;
  add_value(f, v);
  f.world_imports.push_back({name, et});
  if (from_host) {
    f.host_imports.push_back({name, et});
    f.host_values.push_back({name, v});
    f.plan_imports.push_back(plan_item(name, v));
  }
}

// `v` seen through type `t`, a supertype of its own (an export's ascribed
// type): an instance keeps only the exports `t` lists, a function takes
// `t`'s (equal) type.
ExternVal Elaborator::seen_as(const ExternVal& v, const ExternType& t) {
  if (t.type == kNoType) return v;
  ExternVal out = v;
  switch (v.kind) {
    case ExternKind::Func: out.type = t.type; break;
    case ExternKind::Instance: {
      out.instance = std::make_shared<InstanceVal>();
      std::vector<NamedExtern> exports = arena_.get(t.type).exports;
      for (const auto& e : exports)
        if (const ExternVal* x = v.instance->find(e.name)) out.instance->exports.push_back({e.name, seen_as(*x, e.type)});
      break;
    }
    default: break;
  }
  return out;
}

void Elaborator::export_(Frame& f, const ExportDef& d) {
  ExternVal v = item_value(f, d.item, d.offset);
  if (!ok()) return;
  std::string name(d.name);
  ExternType et = type_of(v);
  if (d.desc) {
    ExternType ascribed;
    if (!resolve_extern(f, *d.desc, d.offset, ascribed)) return;
    if (ascribed.kind == ExternKind::Type && d.desc->sub_resource) {
      if (v.kind != ExternKind::Type || arena_.get(v.type).kind != TypeKind::Resource) {
        fail(d.offset, "export '" + name + "' is ascribed (sub resource) but is not a resource type");
        return;
      }
    } else {
      // The ascribed type's own (sub resource) exports are abstract.
      Bindings bind;
      if (ascribed.kind == ExternKind::Instance) bind = unbound(arena_.get(ascribed.type).defined_resources);
      if (!check_subtype(v, ascribed, bind, "export '" + name + "'", d.offset)) return;
      // From here on the export is what its ascribed type says: an
      // instance ascribed fewer exports no longer offers the others.
      if (ascribed.kind == ExternKind::Instance || ascribed.kind == ExternKind::Func) {
        et = ascribed;
        et.type = arena_.substitute(ascribed.type, bound(bind));
        if (et.kind == ExternKind::Instance && !arena_.get(et.type).defined_resources.empty()) {
          Type copy = arena_.get(et.type);  // its resources are the item's now
          copy.defined_resources.clear();
          et.type = arena_.add(std::move(copy));
        }
        v = seen_as(v, et);
      }
    }
  }
  if (!check_name(f, d.name, et, false, d.offset)) return;
  // Exported resources become visible before the check so that an instance
  // exporting a resource and its methods together passes.
  make_visible(f, et, false);
  if (!check_visible(f, et, name, false, d.offset)) return;
  if (!check_named(f, et, name, false, d.offset)) return;
  add_value(f, v);
  f.exported->exports.push_back({name, v});
  f.world_exports.push_back({name, et});
  f.plan_exports.push_back(plan_item(name, v));
}

Frame* Elaborator::elaborate_component(const Component& c, Frame* env, const std::string& path, const Args* args,
                                       bool root) {
  Frame* f = new_frame(env, true, path);
  f->check_named = args == nullptr || (plugged_ && depth_ == 0);
  path_ = path;
  current_instance_ = plan_->component_instances++;
  // Arguments no import asks for are ignored, and their names are not
  // interpreted (Explainer.md, "Instance Definitions").
  for (const Definition& d : c.order) {
    switch (d.kind) {
      case Definition::CoreModule:
        item_ = "core module[" + std::to_string(d.index) + "]";
        core_module(*f, c, d.index);
        break;
      case Definition::CoreInstance:
        item_ = "core instance[" + std::to_string(d.index) + "]";
        core_instance(*f, c.core_instances[d.index]);
        break;
      case Definition::CoreType:
        item_ = "core type[" + std::to_string(d.index) + "]";
        core_type_def(*f, c.core_types[d.index]);
        break;
      case Definition::Component:
        item_ = "component[" + std::to_string(d.index) + "]";
        nested_component(*f, c, d.index);
        break;
      case Definition::Instance:
        item_ = "instance[" + std::to_string(d.index) + "]";
        instance(*f, c.instances[d.index]);
        break;
      case Definition::Alias:
        item_ = "alias[" + std::to_string(d.index) + "]";
        alias(*f, c.aliases[d.index]);
        break;
      case Definition::Type:
        item_ = "type[" + std::to_string(d.index) + "]";
        type_def(*f, c.types[d.index]);
        break;
      case Definition::Canon:
        item_ = "canon[" + std::to_string(d.index) + "]";
        canon(*f, c.canons[d.index]);
        break;
      case Definition::Import:
        item_ = "import[" + std::to_string(d.index) + "]";
        import(*f, c.imports[d.index], args, root);
        break;
      case Definition::Export:
        item_ = "export[" + std::to_string(d.index) + "]";
        export_(*f, c.exports[d.index]);
        break;
    }
    if (!ok()) return nullptr;
  }
  item_.clear();
  return f;
}

bool Elaborator::elaborate_root(const Component& root, World& world) {
  std::map<ResourceId, uint32_t> resources;
  std::map<const CoreModuleDef*, uint32_t> modules;
  resource_index_ = &resources;
  module_index_ = &modules;
  link_phase_ = true;
  auto f = elaborate_component(root, nullptr, "component", nullptr, true);
  if (!f) return false;
  plan_->resource_index = resources;
  world.imports = f->world_imports;
  world.exports = f->world_exports;
  plan_->imports = f->plan_imports;
  plan_->exports = f->plan_exports;
  return true;
}

bool Elaborator::elaborate_set(const std::vector<const Component*>& components, const std::vector<Wire>& wires,
                               World& world) {
  std::map<ResourceId, uint32_t> resources;
  std::map<const CoreModuleDef*, uint32_t> modules;
  resource_index_ = &resources;
  module_index_ = &modules;
  link_phase_ = true;
  plugged_ = true;
  const size_t n = components.size();
  path_ = "link";
  item_.clear();
  for (const Wire& w : wires) {
    if (w.importer >= n || w.exporter >= n)
      return fail_link(0, "wire " + w.import + " -> " + w.export_name + " names component " +
                         std::to_string(std::max(w.importer, w.exporter)) + ", but only " + std::to_string(n) +
                         " were given");
    if (w.importer == w.exporter)
      return fail_link(0, "component " + std::to_string(w.importer) + " cannot satisfy its own import '" + w.import + "'");
  }
  // Exporters are instantiated before their importers.
  std::vector<uint32_t> order;
  std::vector<int> state(n, 0);  // 0 new, 1 on the stack, 2 done
  std::function<bool(uint32_t)> visit = [&](uint32_t i) {
    if (state[i] == 2) return true;
    if (state[i] == 1) return fail_link(0, "the wiring has a cycle through component " + std::to_string(i));
    state[i] = 1;
    for (const Wire& w : wires)
      if (w.importer == i && !visit(w.exporter)) return false;
    state[i] = 2;
    order.push_back(i);
    return true;
  };
  for (uint32_t i = 0; i < n; ++i)
    if (!visit(i)) return false;

  std::vector<Frame*> frames(n, nullptr);
  // Imports of the same name are one host import across the set, so that
  // resources (a WASI output-stream, say) are the same type everywhere.
  Args shared;
  for (uint32_t i : order) {
    Args args = shared;
    for (const Wire& w : wires) {
      if (w.importer != i) continue;
      bool imported = false;
      for (const auto& imp : components[i]->imports) imported = imported || imp.name == w.import;
      if (!imported) return fail_link(0, "component " + std::to_string(i) + " has no import named '" + w.import + "'");
      const ExternVal* v = frames[w.exporter]->exported->find(w.export_name);
      if (!v)
        return fail_link(0, "component " + std::to_string(w.exporter) + " has no export named '" + w.export_name +
                           "' for import '" + w.import + "' of component " + std::to_string(i));
      args[w.import] = *v;
    }
    source_ = i;
    Frame* f = elaborate_component(*components[i], nullptr, "component#" + std::to_string(i), &args, true);
    if (!f) return false;
    frames[i] = f;
    for (const auto& [name, v] : f->host_values) shared.emplace(name, v);
    for (size_t k = 0; k < f->host_imports.size(); ++k) {
      bool seen = false;
      for (const auto& e : world.imports) seen = seen || e.name == f->host_imports[k].name;
      if (seen) continue;
      world.imports.push_back(f->host_imports[k]);
      plan_->imports.push_back(f->plan_imports[k]);
    }
  }
  plan_->resource_index = resources;
  world.exports = frames[0]->world_exports;
  plan_->exports = frames[0]->plan_exports;
  return true;
}

}  // namespace

bool elaborate_set(const std::vector<const Component*>& components, const std::vector<Wire>& wires, TypeArena& arena,
                   Plan& plan, World& world, Error& error) {
  Elaborator e(arena, plan, error);
  return e.elaborate_set(components, wires, world);
}

bool elaborate(const Component& root, TypeArena& arena, Plan& plan, World& world, Error& error) {
  Elaborator e(arena, plan, error);
  return e.elaborate_root(root, world);
}

}  // namespace compoly
