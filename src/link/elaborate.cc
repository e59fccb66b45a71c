#include "link/elaborate.h"

#include <algorithm>
#include <string>

#include "link/elaborator.h"
#include "validate/names.h"

namespace compoly::elab {

#ifndef COMPOLY_LEAN
bool Elaborator::fail(size_t offset, const char* pattern, std::initializer_list<FormatArg> args) {
  if (!ok()) return false;
  std::string message = format(pattern, args);
  return fail(offset, std::move(message));
}

bool Elaborator::fail_link(size_t offset, const char* pattern, std::initializer_list<FormatArg> args) {
  if (!ok()) return false;
  std::string message = format(pattern, args);
  return fail_link(offset, std::move(message));
}

// "a func", "an instance": for messages that name a kind.
std::string article(std::string_view noun) {
  bool vowel = !noun.empty() && std::string_view("aeiou").find(noun[0]) != std::string_view::npos;
  return std::string(vowel ? "an " : "a ") + std::string(noun);
}
#endif

Elaborator::~Elaborator() {
  for (Frame* f : frames_) delete f;
  for (InstanceVal* i : instances_) delete i;
  for (ComponentVal* c : components_) delete c;
  for (CoreExternType* t : kept_types_) delete t;
}

const CoreExternType* Elaborator::keep(CoreExternType t) {
  CoreExternType* k = new CoreExternType(std::move(t));
  kept_types_.push_back(k);
  return k;
}

// Default-initialised: every member has its initialiser, so there is nothing to clear first.
Frame* Elaborator::new_frame(Frame* parent, bool component_scope) {
  Frame* f = new Frame;
  frames_.push_back(f);
  f->parent = parent;
  f->component_scope = component_scope;
  f->exported = new_instance();
  return f;
}

InstanceVal* Elaborator::new_instance() {
  InstanceVal* i = new InstanceVal;
  instances_.push_back(i);
  return i;
}

ComponentVal* Elaborator::new_component(const Component* def, Frame* env, MessageText path) {
  ComponentVal* c = new ComponentVal;
  components_.push_back(c);
  c->def = def;
  c->env = env;
  c->path = std::move(path);
  return c;
}

// ---- definitions -----------------------------------------------------------------------------

void Elaborator::core_module(Frame& f, const Component& c, uint32_t i) {
  const CoreModuleDef* def = &c.modules[i];
  ExternVal v;
  v.kind = ExternKind::Module;
  ModuleVal& m = v.module;
  m.def = def;
  const auto key = reinterpret_cast<uintptr_t>(def);
  if (const uint32_t* known = module_index_->find(key)) {
    m.plan_module = *known;
  } else {
    m.plan_module = uint32_t(plan_->modules.size());
    plan_->modules.push_back({def->offset, def->size, source_});
    module_index_->insert(key, m.plan_module);
  }
  f.modules().push_back(v);
}

void Elaborator::core_instance(Frame& f, const CoreInstanceDef& d) {
  PodVector<NamedCoreItem>& out = f.core_exports;
  if (d.kind == CoreInstanceDef::FromExports) {
    KeySet names;
    for (const auto& e : d.exports) {
      if (!names.add(e.name)) {
        fail(d.offset, "duplicate export name '{}' in core instance", {e.name});
        return;
      }
      const CoreItemVal* item = core_item(f, e.sort, e.index, d.offset);
      if (!item) return;
      out.push_back({e.name, *item});
    }
    f.core_instances.push_back(uint32_t(out.size()));
    return;
  }
  if (d.module >= f.modules().size()) {
    fail(d.offset, "core module index {} out of bounds (there are {})", {d.module, f.modules().size()});
    return;
  }
  const ModuleVal& m = f.modules()[d.module].module;
  // The arguments' instances by name.
  NameMap<uint32_t> arg_instances;
  for (const auto& a : d.args) {
    if (a.instance >= f.core_instances.size()) {
      fail(d.offset, "core instance index {} out of bounds in argument '{}'", {a.instance, a.name});
      return;
    }
    if (!arg_instances.insert(a.name, a.instance)) {
      fail(d.offset, "duplicate core instantiate argument '{}'", {a.name});
      return;
    }
  }
  const ObjectVector<CoreImport>& imports = m.imported ? arena_.get(m.type).module.imports : m.def->info.imports;
  const ObjectVector<CoreExport>& exports = m.imported ? arena_.get(m.type).module.exports : m.def->info.exports;
  PlanInstantiate step;
  step.module = m.plan_module;
  for (const auto& imp : imports) {
    const uint32_t* arg = arg_instances.find(imp.module);
    if (!arg) {
      fail(d.offset, "core module {} imports '{}' '{}', but no instantiate argument is named '{}'",
           {d.module, imp.module, imp.name, imp.module});
      return;
    }
    const uint32_t instance = *arg;
    const CoreItemVal* item = f.core_export(instance, imp.name);
    if (!item) {
      fail(d.offset, "core module {} imports '{}' '{}', but core instance {} has no export '{}'",
           {d.module, imp.module, imp.name, instance, imp.name});
      return;
    }
    if (!core_extern_matches(*item->type, imp.type)) {
      fail(d.offset, "core module {} import '{}' '{}' expects {}, but the argument provides {}",
           {d.module, imp.module, imp.name, describe(imp.type), describe(*item->type)});
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
    // An imported module's type is in the arena, which may move it.
    item.type = m.imported ? keep(e.type) : &e.type;
    out.push_back({e.name, item});
  }
  f.core_instances.push_back(uint32_t(out.size()));
}

void Elaborator::core_type_def(Frame& f, const CoreTypeDef& d) {
  f.core_types.push_back(resolve_core_type(f, d));
}

void Elaborator::nested_component(Frame& f, const Component& c, uint32_t i) {
  const Component& inner = *c.components[i];
  ComponentVal* val = new_component(&inner, &f, item_path(path_, "component", i));
  // Validate it on its own, with abstract imports, into a scratch plan; this
  // also yields its component type.
  Plan scratch;
  IdMap<uint32_t> scratch_resources;
  IdMap<uint32_t> scratch_modules;
  Plan* saved_plan = plan_;
  auto saved_resources = resource_index_;
  auto saved_modules = module_index_;
  bool saved_link = link_phase_;
  MessageText saved_path = path_;
  ItemLabel saved_item = item_;
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
  t.imports = frame->imports();
  t.exports = frame->exports();
  t.imported_resources.reserve(frame->sides[0].visible_resources.size());
  for (IdSet::Key r : frame->sides[0].visible_resources.keys()) t.imported_resources.push_back(ResourceId(r));
  val->type = arena_.add(std::move(t));
  if (!check_type_size(val->type, inner.offset)) return;
  ExternVal v;
  v.kind = ExternKind::Component;
  v.type = val->type;
  v.component = val;
  f.components().push_back(v);
}

void Elaborator::instance(Frame& f, const InstanceDef& d) {
  if (d.kind == InstanceDef::FromExports) {
    InstanceVal* inst = new_instance();
    KeySet keys;
    for (const auto& e : d.exports) {
      ExternName parsed;
      NameProblem problem = check_export_name(e.name, parsed);
      if (!problem.ok()) {
        fail(d.offset, std::move(problem));
        return;
      }
      if (!add_uniqueness_key(keys, e.name, parsed)) {
        fail(d.offset, "duplicate export name '{}' in instance", {e.name});
        return;
      }
      // A bag of exports introduces no type indices, so no resource has a
      // name in it: [constructor]/[method]/[static] names cannot refer to one
      // (wasm-tools' validator rules the same way).
      if (parsed.kind == NameKind::Constructor || parsed.kind == NameKind::Method ||
          parsed.kind == NameKind::Static) {
        fail(d.offset,

             "export '{}' of an inline-exports instance: resource '{}' does not have a name in this context (an "
             "instance built from exports defines no resource names for [constructor]/[method]/[static] functions)",
             {e.name, parsed.resource});
        return;
      }
      ExternVal v = item_value(f, e.item, d.offset);
      if (!ok()) return;
      inst->exports.push_back({e.name, v});
    }
    add_instance(f, inst);
    return;
  }
  if (d.component >= f.components().size()) {
    fail(d.offset, "component index {} out of bounds (there are {})", {d.component, f.components().size()});
    return;
  }
  ComponentVal* comp = f.components()[d.component].component;
  Args args;
  for (const auto& a : d.args) {
    ExternVal v = item_value(f, a.item, d.offset);
    if (!ok()) return;
    if (!args.insert(a.name, v)) {
      fail(d.offset, "duplicate instantiate argument '{}'", {a.name});
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
      const ExternVal* arg = args.find(imp.name);
      if (!arg) {
        fail(d.offset, "missing instantiate argument for import '{}'", {imp.name});
        return;
      }
      if (!check_subtype(*arg, imp.type, bind, message("instantiate argument '{}'", {imp.name}), d.offset)) return;
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
    // abstract_value never adds to the arena: the reference stays valid.
    const PodVector<NamedExtern>& exports = arena_.get(substituted).exports;
    InstanceVal* inst = new_instance();
    for (const auto& e : exports) inst->exports.push_back({e.name, abstract_value(e.type, nullptr)});
    add_instance(f, inst);
    return;
  }
  MessageText saved_path = path_;
  ItemLabel saved_item = item_;
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
  add_instance(f, frame->exported);
}

void Elaborator::alias(Frame& f, const AliasDef& a) {
  switch (a.target) {
    case AliasDef::InstanceExport: {
      if (a.instance >= f.instances().size()) {
        fail(a.offset, "instance index {} out of bounds (there are {})", {a.instance, f.instances().size()});
        return;
      }
      const ExternVal* v = f.instances()[a.instance].instance->find(a.name);
      if (!v) {
        fail(a.offset, "instance {} has no export named '{}'", {a.instance, a.name});
        return;
      }
      if (a.sort.sort == Sort::Value || (a.sort.sort == Sort::Core && a.sort.core != CoreSort::Module)) {
        fail(a.offset, "cannot alias a {} from a component instance", {sort_name(a.sort)});
        return;
      }
      // Sort::Core stands for its core module here, whose ExternKind is 0 too.
      const auto want = ExternKind(a.sort.sort);
      if (v->kind != want) {
        fail(a.offset, "export '{}' of instance {} is {}, not {}",
             {a.name, a.instance, article(extern_kind_name(v->kind)), article(extern_kind_name(want))});
        return;
      }
      add_value(f, *v);
      return;
    }
    case AliasDef::CoreInstanceExport: {
      if (a.sort.sort != Sort::Core) {
        fail(a.offset, "core export aliases must have a core sort, found {}", {sort_name(a.sort)});
        return;
      }
      if (a.instance >= f.core_instances.size()) {
        fail(a.offset, "core instance index {} out of bounds (there are {})", {a.instance, f.core_instances.size()});
        return;
      }
      const CoreItemVal* item = f.core_export(a.instance, a.name);
      if (!item) {
        fail(a.offset, "core instance {} has no export named '{}'", {a.instance, a.name});
        return;
      }
      if (!is_core_item_sort(a.sort.core)) {
        fail(a.offset, "cannot alias a {} from a core instance", {sort_name(a.sort)});
        return;
      }
      const auto want = CoreExternKind(a.sort.core);
      if (item->type->kind != want) {
        fail(a.offset, "export '{}' of core instance {} is {}, not {}",
             {a.name, a.instance, article(core_extern_kind_name(item->type->kind)),
              article(core_extern_kind_name(want))});
        return;
      }
      f.core_items[size_t(a.sort.core)].push_back(*item);
      return;
    }
    case AliasDef::Outer: {
      bool crosses = false;
      Frame* target = outer_frame(f, a.outer_count, a.offset, crosses);
      if (!target) return;
      uint32_t i = a.outer_index;
      auto bounds = [&](size_t n) {
        if (i < n) return true;
        fail(a.offset, "outer alias of {} {} out of bounds (the target scope has {})", {sort_name(a.sort), i, n});
        return false;
      };
      if (a.sort.sort == Sort::Core && a.sort.core == CoreSort::Type) {
        if (bounds(target->core_types.size())) f.core_types.push_back(target->core_types[i]);
        return;
      }
      if (a.sort.sort != Sort::Type && a.sort.sort != Sort::Component &&
          !(a.sort.sort == Sort::Core && a.sort.core == CoreSort::Module)) {
        fail(a.offset, "outer aliases may only alias types, core types, components and core modules, not {}",
             {sort_name(a.sort)});
        return;
      }
      // Sort::Core stands for its core module here, as above.
      const PodVector<ExternVal>& space = target->space(ExternKind(a.sort.sort));
      if (!bounds(space.size())) return;
      const ExternVal v = space[i];
      if (v.kind == ExternKind::Type && crosses && arena_.contains_resource(v.type) && a.outer_count > 0) {
        fail(a.offset, "outer alias of type {} crosses a component boundary but refers to a resource type", {i});
        return;
      }
      add_value(f, v);
      return;
    }
  }
}

void Elaborator::type_def(Frame& f, const TypeDef& d) {
  TypeId t = resolve_type(f, d, false);
  if (ok() && check_type_size(t, d.offset)) add_type(f, t);
}

void Elaborator::import(Frame& f, const ImportDef& d, const Args* args, bool root) {
  ExternType et;
  if (!resolve_extern(f, d.desc, d.offset, et)) return;
  std::string_view name = d.name;
  ExternVal v;
  const ExternVal* arg = args ? args->find(name) : nullptr;
  const bool from_host = !args || (plugged_ && depth_ == 0 && !arg);
  if (!from_host) {
    if (!arg) {
      fail(d.offset, "missing instantiate argument for import '{}'", {name});
      return;
    }
    v = *arg;
    if (et.kind == ExternKind::Type && d.desc.sub_resource) {
      if (v.kind != ExternKind::Type || arena_.get(v.type).kind != TypeKind::Resource) {
        fail(d.offset, "instantiate argument '{}': expected a resource type", {name});
        return;
      }
      et.type = v.type;
    } else {
      // Abstract resources of the declared type bind to the argument's;
      // any other resource it names (`(eq $a)` of an earlier import, already
      // substituted) must be the argument's very resource.
      PodVector<ResourceId> fresh;
      if (et.kind == ExternKind::Instance || et.kind == ExternKind::Component)
        et.type = freshen(et.type, fresh, name, nullptr);
      Bindings bind = unbound(fresh);
      if (!check_subtype(v, et, bind, message("instantiate argument '{}'", {name}), d.offset)) return;
      if (et.kind == ExternKind::Instance) et.type = arena_.substitute(et.type, bound(bind));
    }
  } else {
    // Like an export, a type import is a new type index: a later import using the index the
    // `(eq ...)` bound names instead of this one does not use an imported type. (An
    // instantiate argument's type keeps its identity: the instantiating component named it.)
    const NamePath path = {name};
    PodVector<ResourceId> fresh;
    const NamePath* host = root ? &path : nullptr;
    introduce(et, d.desc.sub_resource, name, fresh, host);
    v = abstract_value(et, host);
  }
  if (!declare(f, name, et, v, true, d.offset)) return;
  f.imports().push_back({name, et});
  if (from_host) {
#ifndef COMPOLY_LEAN
    f.host_imports.push_back({name, et});
    f.host_values.push_back({name, v});
#endif
    f.plan_imports().push_back(plan_item(name, v));
  }
}

// The checks a component's import or export passes, in order; then `v` takes its index.
bool Elaborator::declare(Frame& f, std::string_view name, const ExternType& et, const ExternVal& v, bool is_import,
                         size_t offset) {
  if (!check_name(f, name, et, is_import, offset)) return false;
  // Exported resources become visible before the check so that an instance
  // exporting a resource and its methods together passes.
  make_visible(f, et, is_import);
  if (!check_visible(f, et, name, is_import, offset) || !check_named(f, et, name, is_import, offset)) return false;
  add_value(f, v);
  return true;
}

void Elaborator::export_(Frame& f, const ExportDef& d) {
  ExternVal v = item_value(f, d.item, d.offset);
  if (!ok()) return;
  std::string_view name = d.name;
  ExternType et = type_of(v);
  if (d.desc) {
    ExternType ascribed;
    if (!resolve_extern(f, *d.desc, d.offset, ascribed)) return;
    if (ascribed.kind == ExternKind::Type && d.desc->sub_resource) {
      // An ascription must be a supertype of the item's type, and (sub
      // resource) introduces a new abstract resource type, which no resource
      // is (wasm-tools alike).
      if (v.kind != ExternKind::Type || arena_.get(v.type).kind != TypeKind::Resource)
        fail(d.offset, "export '{}' is ascribed (sub resource) but is not a resource type", {name});
      else
        fail(d.offset,

             "export '{}': resource types are not the same: the ascription (sub resource) introduces a new "
             "abstract resource type, and {} is not that type (export it without an ascription, or with (eq ...))",
             {name, resource_label(arena_.get(v.type).resource)});
      return;
    }
    // The ascribed type's own (sub resource) exports are abstract.
    Bindings bind;
    if (ascribed.kind == ExternKind::Instance) bind = unbound(arena_.get(ascribed.type).defined_resources);
    if (!check_subtype(v, ascribed, bind, message("export '{}'", {name}), d.offset)) return;
    // From here on the export is what its ascribed type says: an
    // instance ascribed fewer exports no longer offers the others.
    if (ascribed.kind == ExternKind::Instance || ascribed.kind == ExternKind::Func) {
      et = ascribed;
      et.type = arena_.substitute(ascribed.type, bound(bind));
      // Its resources are the item's now.
      if (et.kind == ExternKind::Instance && !arena_.get(et.type).defined_resources.empty())
        et.type = without_defined_resources(et.type);
      v = seen_as(v, et);
    }
  }
  if (et.kind == ExternKind::Type) {
    // The export is a new type index with an identity of its own: equal to
    // the exported type, but a function that uses the original index
    // instead of this one does not use an exported type (wasm-tools alike).
    et.type = named_copy(et.type);
    v.type = et.type;
  }
  if (!declare(f, name, et, v, false, d.offset)) return;
  f.exported->exports.push_back({name, v});
  f.exports().push_back({name, et});
  f.plan_exports().push_back(plan_item(name, v));
}

Frame* Elaborator::elaborate_component(const Component& c, Frame* env, const MessageText& path, const Args* args,
                                       bool root) {
  // Every instantiation elaborates the component's body again, so nesting multiplies the work:
  // ten instances of a component of ten instances of ... is 10^n elaborations, from an input of
  // a few hundred bytes (wasm-tools refuses those: "effective type size exceeds the limit").
  // The budget counts elaborations and the definitions they go through, which is what takes
  // memory; real components stay far below both.
  elaborated_definitions_ += c.order.size();
  if (++elaborations_ > kMaxElaborations || elaborated_definitions_ > kMaxElaboratedDefinitions) {
    fail(c.offset,
         "nested components instantiate one another too many times over: more than {} component elaborations "
         "or {} definitions elaborated (an implementation limit)",
         {kMaxElaborations, kMaxElaboratedDefinitions});
    return nullptr;
  }
  Frame* f = new_frame(env, true);
  f->check_named = args == nullptr || (plugged_ && depth_ == 0);
  path_ = path;
  current_instance_ = plan_->component_instances++;
  // Arguments no import asks for are ignored, and their names are not
  // interpreted (Explainer.md, "Instance Definitions").
  for (const Definition& d : c.order) {
    switch (d.kind) {
      case Definition::CoreModule:
        item_ = {"core module", d.index};
        core_module(*f, c, d.index);
        break;
      case Definition::CoreInstance:
        item_ = {"core instance", d.index};
        core_instance(*f, c.core_instances[d.index]);
        break;
      case Definition::CoreType:
        item_ = {"core type", d.index};
        core_type_def(*f, c.core_types[d.index]);
        break;
      case Definition::Component:
        item_ = {"component", d.index};
        nested_component(*f, c, d.index);
        break;
      case Definition::Instance:
        item_ = {"instance", d.index};
        instance(*f, c.instances[d.index]);
        break;
      case Definition::Alias:
        item_ = {"alias", d.index};
        alias(*f, c.aliases[d.index]);
        break;
      case Definition::Type:
        item_ = {"type", d.index};
        type_def(*f, c.types[d.index]);
        break;
      case Definition::Canon:
        item_ = {"canon", d.index};
        canon(*f, c.canons[d.index]);
        break;
      case Definition::Import:
        item_ = {"import", d.index};
        import(*f, c.imports[d.index], args, root);
        break;
      case Definition::Export:
        item_ = {"export", d.index};
        export_(*f, c.exports[d.index]);
        break;
    }
    if (!ok()) return nullptr;
  }
  item_ = {};
  return f;
}

bool Elaborator::elaborate_root(const Component& root, World& world) {
  IdMap<uint32_t> resources;
  IdMap<uint32_t> modules;
  resource_index_ = &resources;
  module_index_ = &modules;
  link_phase_ = true;
  auto f = elaborate_component(root, nullptr, "component", nullptr, true);
  if (!f) return false;
  // Taken: nothing reads the root's frame (or these maps) again.
  plan_->resource_index = std::move(resources);
  world.imports = std::move(f->imports());
  world.exports = std::move(f->exports());
  plan_->imports = std::move(f->plan_imports());
  plan_->exports = std::move(f->plan_exports());
  return true;
}

#ifndef COMPOLY_LEAN
bool Elaborator::elaborate_set(const PodVector<const Component*>& components, const ObjectVector<Wire>& wires,
                               World& world) {
  IdMap<uint32_t> resources;
  IdMap<uint32_t> modules;
  resource_index_ = &resources;
  module_index_ = &modules;
  link_phase_ = true;
  plugged_ = true;
  const size_t n = components.size();
  path_ = "link";
  item_ = {};
  for (const Wire& w : wires) {
    if (w.importer >= n || w.exporter >= n)
      return fail_link(0, "wire {} -> {} names component {}, but only {} were given",
                       {w.import, w.export_name, std::max(w.importer, w.exporter), n});
    if (w.importer == w.exporter)
      return fail_link(0, "component {} cannot satisfy its own import '{}'", {w.importer, w.import});
  }
  // Exporters are instantiated before their importers.
  PodVector<uint32_t> order;
  PodVector<int> state(n, 0);  // 0 new, 1 on the stack, 2 done
  auto visit = [&](auto& self, uint32_t i) -> bool {
    if (state[i] == 2) return true;
    if (state[i] == 1) return fail_link(0, "the wiring has a cycle through component {}", {i});
    state[i] = 1;
    for (const Wire& w : wires)
      if (w.importer == i && !self(self, w.exporter)) return false;
    state[i] = 2;
    order.push_back(i);
    return true;
  };
  for (uint32_t i = 0; i < n; ++i)
    if (!visit(visit, i)) return false;

  PodVector<Frame*> frames(n, nullptr);
  // Imports of the same name are one host import across the set, so that
  // resources (a WASI output-stream, say) are the same type everywhere.
  Args shared;
  for (uint32_t i : order) {
    Args args = shared;
    for (const Wire& w : wires) {
      if (w.importer != i) continue;
      bool imported = false;
      for (const auto& imp : components[i]->imports) imported = imported || imp.name == w.import;
      if (!imported) return fail_link(0, "component {} has no import named '{}'", {i, w.import});
      const ExternVal* v = frames[w.exporter]->exported->find(w.export_name);
      if (!v)
        return fail_link(0, "component {} has no export named '{}' for import '{}' of component {}",
                         {w.exporter, w.export_name, w.import, i});
      args.set(w.import, *v);
    }
    source_ = i;
    Frame* f = elaborate_component(*components[i], nullptr, message("component#{}", {i}), &args, true);
    if (!f) return false;
    frames[i] = f;
    for (const auto& [name, v] : f->host_values) shared.insert(name, v);
    for (size_t k = 0; k < f->host_imports.size(); ++k) {
      bool seen = false;
      for (const auto& e : world.imports) seen = seen || e.name == f->host_imports[k].name;
      if (seen) continue;
      world.imports.push_back(f->host_imports[k]);
      plan_->imports.push_back(f->plan_imports()[k]);
    }
  }
  plan_->resource_index = resources;
  world.exports = frames[0]->exports();
  plan_->exports = frames[0]->plan_exports();
  return true;
}
#endif

}  // namespace compoly::elab

namespace compoly {

#ifndef COMPOLY_LEAN
bool elaborate_set(const PodVector<const Component*>& components, const ObjectVector<Wire>& wires, TypeArena& arena,
                   LayoutCache& layouts, Plan& plan, World& world, Error& error) {
  elab::Elaborator e(arena, layouts, plan, error);
  return e.elaborate_set(components, wires, world);
}
#endif

bool elaborate(const Component& root, TypeArena& arena, LayoutCache& layouts, Plan& plan, World& world,
               Error& error) {
  elab::Elaborator e(arena, layouts, plan, error);
  return e.elaborate_root(root, world);
}

}  // namespace compoly
