#include "link/elaborator.h"

#include <string>

#include "abi/layout.h"
#include "validate/names.h"

namespace compoly::elab {

void Elaborator::label_checks(const PodVector<std::string_view>& labels, size_t offset, const char* what) {
  // Most types have a handful of labels: those are compared pairwise, without building
  // lower-cased keys.
  const bool pairwise = labels.size() <= 64;
  KeySet seen;
  // In binary order, a label's own validity before its uniqueness.
  for (size_t i = 0; i < labels.size(); ++i) {
    if (!is_label(labels[i])) {
      fail(offset, "{} label '{}' is not a valid kebab-case label", {what, labels[i]});
      return;
    }
    bool repeats = false;
    if (pairwise) {
      for (size_t j = 0; j < i && !repeats; ++j) repeats = equal_folded(labels[i], labels[j]);
    } else {
      repeats = !seen.add_folded(labels[i]);
    }
    if (repeats) {
      fail(offset, "{} label '{}' is not unique (labels must be strongly-unique)", {what, labels[i]});
      return;
    }
  }
}

TypeId Elaborator::resolve_valtype(Frame& f, const ValTypeRef& v) {
  if (v.is_prim) return arena_.prim(v.prim);
  if (v.index >= f.types().size()) {
    fail(v.offset, "type index {} out of bounds (there are {} types)", {v.index, f.types().size()});
    return kNoType;
  }
  TypeId t = f.types()[v.index].type;
  if (!arena_.is_value_type(t)) {
    fail(v.offset, "type index {} is {} type, but a value type is required here",
         {v.index, article(type_kind_name(arena_.get(t).kind))});
    return kNoType;
  }
  return t;
}

// A record's fields or a function's parameters, into t.fields.
bool Elaborator::resolve_fields(Frame& f, const PodVector<LabeledType>& fields, size_t offset, const char* what,
                                Type& t) {
  PodVector<std::string_view> labels;
  for (const auto& fld : fields) {
    TypeId ft = resolve_valtype(f, fld.type);
    if (!ok()) return false;
    t.fields.push_back({fld.label, ft});
    labels.emplace_back(fld.label);
  }
  label_checks(labels, offset, what);
  return ok();
}

namespace {

// The TypeKind of a defvaltype other than a primitive: their opcodes count down from Record's
// in TypeKind's order, past the 0x6c between Enum and Option.
TypeKind type_kind(DefKind k) { return TypeKind(0x73 - int(k) - (k < DefKind::Enum)); }
static_assert(TypeKind(0x73 - int(DefKind::Record)) == TypeKind::Record &&
              TypeKind(0x73 - int(DefKind::Enum)) == TypeKind::Enum &&
              TypeKind(0x72 - int(DefKind::Option)) == TypeKind::Option &&
              TypeKind(0x72 - int(DefKind::Borrow)) == TypeKind::Borrow);

}  // namespace

TypeId Elaborator::resolve_defval(Frame& f, const DefValTypeDef& d, size_t offset) {
  if (d.kind == DefKind::Prim) return arena_.prim(d.prim);
  Type t;
  t.kind = type_kind(d.kind);
  switch (d.kind) {
    case DefKind::Prim: break;
    case DefKind::Record: {
      if (d.fields.empty()) {
        fail(offset, "record types must have at least one field");
        return kNoType;
      }
      resolve_fields(f, d.fields, offset, "record field", t);
      break;
    }
    case DefKind::Variant: {
      if (d.cases.empty()) {
        fail(offset, "variant types must have at least one case");
        return kNoType;
      }
      PodVector<std::string_view> labels;
      for (const auto& c : d.cases) {
        TypeId ct = c.type ? resolve_valtype(f, *c.type) : kNoType;
        if (!ok()) return kNoType;
        t.fields.push_back({c.label, ct});
        labels.emplace_back(c.label);
      }
      label_checks(labels, offset, "variant case");
      break;
    }
    case DefKind::List:
    case DefKind::Option:
      t.elements.push_back(resolve_valtype(f, d.elements[0]));
      break;
    case DefKind::Tuple:
      if (d.elements.empty()) {
        fail(offset, "tuple types must have at least one element");
        return kNoType;
      }
      for (const auto& e : d.elements) t.elements.push_back(resolve_valtype(f, e));
      break;
    case DefKind::Flags:
    case DefKind::Enum: {
      if (d.labels.empty()) {
        fail(offset, "{} types must have at least one label", {d.kind == DefKind::Flags ? "flags" : "enum"});
        return kNoType;
      }
      if (d.kind == DefKind::Flags && d.labels.size() > 32) {
        fail(offset, "flags types may have at most 32 labels in WASI 0.2, found {}", {d.labels.size()});
        return kNoType;
      }
      for (auto l : d.labels) t.labels.emplace_back(l);
      label_checks(t.labels, offset, d.kind == DefKind::Flags ? "flags" : "enum");
      break;
    }
    case DefKind::Result:
      if (d.ok) t.ok = resolve_valtype(f, *d.ok);
      if (d.err) t.err = resolve_valtype(f, *d.err);
      break;
    case DefKind::Own:
    case DefKind::Borrow: {
      if (d.resource >= f.types().size()) {
        fail(offset, "type index {} out of bounds in {}", {d.resource, (d.kind == DefKind::Own ? "own" : "borrow")});
        return kNoType;
      }
      const TypeId handle_of = f.types()[d.resource].type;
      const Type& r = arena_.get(handle_of);
      if (r.kind != TypeKind::Resource) {
        fail(offset, "{} requires a resource type, but type {} is {}",
             {d.kind == DefKind::Own ? "own" : "borrow", d.resource, describe(handle_of)});
        return kNoType;
      }
      t.resource = r.resource;
      t.handle_of = handle_of;
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
  if (!resolve_fields(f, d.params, offset, "parameter", t)) return kNoType;
  if (d.result) {
    t.ok = resolve_valtype(f, *d.result);
    if (!ok()) return kNoType;
    if (arena_.contains_borrow(t.ok)) {
      fail(offset, "function results may not contain borrow handles (found {})", {describe(t.ok)});
      return kNoType;
    }
  }
  if (!ok()) return kNoType;
  return arena_.add(std::move(t));
}

// A component type's import may not use a resource the type exports, however it reaches
// it (an outer alias into an import's instance type, say): imports come before exports
// (wasm-tools: "local resource type found in imports").
bool Elaborator::check_import_uses_no_export(Frame& f, const ExternType& t, std::string_view name, size_t offset) {
  if (f.defined_resources().empty() || t.kind == ExternKind::Module) return true;
  PodVector<ResourceId> used;
  arena_.collect_resources(t.type, used);
  for (ResourceId r : used)
    for (ResourceId d : f.defined_resources())
      if (r == d)
        return fail(offset,
                    "import '{}' refers to {}, which this component type exports (an import may not use "
                    "what the type exports)",
                    {name, resource_label(r)});
  return true;
}

bool Elaborator::check_type_size(TypeId t, size_t offset) {
  if (t == kNoType || arena_.get(t).size <= kMaxTypeSize) return true;
  return fail(offset, "the type's effective size (its parts counted as a tree) is more than {} (an implementation limit, "
                      "as in wasm-tools)",
              {kMaxTypeSize});
}

TypeId Elaborator::without_defined_resources(TypeId t) {
  Type copy = arena_.get(t);
  copy.defined_resources.clear();
  return arena_.add(std::move(copy));
}

TypeId Elaborator::named_copy(TypeId t) {
  Type copy = arena_.get(t);
  copy.copy_of = t;
  return arena_.add(std::move(copy));
}

// Gives the abstract resources a type introduces new identities, so that two
// imports of the same instance type do not share resources.
TypeId Elaborator::freshen(TypeId t, PodVector<ResourceId>& fresh, std::string_view label, const NamePath* host) {
  const Type& ty = arena_.get(t);
  // A component type's exported resources are fresh per instantiation
  // (instance() mints them), not per import of the type.
  if (ty.kind != TypeKind::Instance) return t;
  IdMap<ResourceId> map;
  PodVector<ResourceId> defined = ty.defined_resources;
  for (ResourceId r : defined) {
    // Name it after the type export that introduced it.
    std::string_view name = arena_.resource(r).name;
    ResourceId n = arena_.new_resource(name.empty() ? label : name, host != nullptr);
    map[r] = n;
    fresh.push_back(n);
    if (host) {
      uint32_t idx = plan_resource(n);
      plan_->resources[idx].path = *host;
      plan_->resources[idx].path.push_back(name);
    }
  }
  TypeId out = arena_.substitute(t, map);
  // The fresh resources are no longer this type's to define.
  return map.empty() ? out : without_defined_resources(out);
}

void Elaborator::introduce(ExternType& et, bool sub_resource, std::string_view name, PodVector<ResourceId>& fresh,
                           const NamePath* host) {
  if (et.kind == ExternKind::Type && sub_resource) {
    ResourceId r = arena_.new_resource(name, host != nullptr);
    fresh.push_back(r);
    if (host) plan_->resources[plan_resource(r)].path = *host;
    et.type = arena_.resource_type(r);
  } else if (et.kind == ExternKind::Instance || et.kind == ExternKind::Component) {
    et.type = freshen(et.type, fresh, name, host);
  } else if (et.kind == ExternKind::Type) {
    et.type = named_copy(et.type);
  }
}

bool Elaborator::resolve_extern(Frame& f, const ExternDesc& d, size_t offset, ExternType& out) {
  out.kind = d.kind;
  switch (d.kind) {
    case ExternKind::Module: {
      if (d.index >= f.core_types.size()) return fail(offset, "core type index {} out of bounds", {d.index});
      if (!f.core_types[d.index].is_module) return fail(offset, "core type {} is not a module type", {d.index});
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
      if (d.index >= f.types().size())
        return fail(offset, "type index {} out of bounds (there are {} types)", {d.index, f.types().size()});
      TypeId t = f.types()[d.index].type;
      TypeKind want = d.kind == ExternKind::Func ? TypeKind::Func
                      : d.kind == ExternKind::Component ? TypeKind::Component
                                                        : TypeKind::Instance;
      if (d.kind != ExternKind::Type && arena_.get(t).kind != want)
        return fail(offset, "{} requires {} type, but type {} is {}",
                    {extern_kind_name(d.kind), article(type_kind_name(want)), d.index, describe(t)});
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
    v.func = &d.func;
    return v;
  }
  v.is_module = true;
  // A module type has its own, initially empty, core type space (of func types, as above).
  PodVector<const CoreFuncType*> own_types;
  Type mt;
  mt.kind = TypeKind::Module;
  KeySet import_names, export_names;
  for (const auto& decl : d.module) {
    switch (decl.kind) {
      case CoreModuleDecl::Import:
      case CoreModuleDecl::Export: {
        CoreExternType t = decl.type;
        t.kind = decl.extern_kind;
        // A func's or tag's type is an index into the module type's own type space.
        if (t.kind == CoreExternKind::Func || t.kind == CoreExternKind::Tag) {
          if (decl.func_type_index >= own_types.size()) {
            fail(decl.offset, "core type index {} out of bounds in module type", {decl.func_type_index});
            return v;
          }
          t.func = *own_types[decl.func_type_index];
        }
        if (decl.kind == CoreModuleDecl::Import) {
          if (!import_names.add(decl.module, decl.name)) {
            fail(decl.offset, "duplicate import '{}' '{}' in module type", {decl.module, decl.name});
            return v;
          }
          mt.module.imports.push_back({decl.module, decl.name, t});
        } else {
          if (!export_names.add(decl.name)) {
            fail(decl.offset, "duplicate export '{}' in module type", {decl.name});
            return v;
          }
          mt.module.exports.push_back({decl.name, t});
        }
        break;
      }
      case CoreModuleDecl::Type:
        own_types.push_back(&decl.type_def->func);
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
          fail(decl.offset, "outer alias of core type {} out of bounds", {decl.outer_index});
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
      fail(offset, "outer alias count {} exceeds the number of enclosing scopes ({})", {count, i});
      return nullptr;
    }
  }
  return target;
}

TypeId Elaborator::resolve_decls(Frame& outer, const ObjectVector<Decl>& decls, bool component_type, size_t offset) {
  Frame* f = new_frame(&outer, false);
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
        if (ok() && check_type_size(t, d.offset)) add_type(*f, t);
        break;
      }
      case Decl::Alias: {
        const AliasDef& a = d.alias;
        if (a.target == AliasDef::Outer) {
          if (!(a.sort.sort == Sort::Type || (a.sort.sort == Sort::Core && a.sort.core == CoreSort::Type))) {
            fail(d.offset, "outer aliases in type declarators may only alias types and core types, not {}",
                 {sort_name(a.sort)});
            break;
          }
        } else if (a.target == AliasDef::InstanceExport) {
          if (!(a.sort.sort == Sort::Type || a.sort.sort == Sort::Instance)) {
            fail(d.offset, "export aliases in type declarators may only alias types and instances, not {}",
                 {sort_name(a.sort)});
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
        std::string_view name = d.name;
        introduce(et, d.desc.sub_resource, name, f->side(is_import).quantified, nullptr);
        if (is_import && !check_import_uses_no_export(*f, et, name, d.offset)) break;
        if (!check_name(*f, d.name, et, is_import, d.offset)) break;
        if (!check_named(*f, et, name, is_import, d.offset)) break;
        make_visible(*f, et, is_import);
        ExternVal v = abstract_value(et, nullptr);
        add_value(*f, v);
        f->side(is_import).externs.push_back({name, et});
        break;
      }
    }
    if (!ok()) return kNoType;
  }
  Type t;
  t.kind = component_type ? TypeKind::Component : TypeKind::Instance;
  t.imports = std::move(f->imports());
  t.exports = std::move(f->exports());
  t.imported_resources = std::move(f->imported_resources());
  t.defined_resources = std::move(f->defined_resources());
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
      if (d.resource.rep == CoreValType::I64) {
        fail(d.offset, "a resource represented by i64 (memory64's, 🐘) is beyond WASI 0.2 and not supported");
        return kNoType;
      }
      if (d.resource.rep != CoreValType::I32) {
        fail(d.offset, "resource representation must be i32, found {}", {core_valtype_name(d.resource.rep)});
        return kNoType;
      }
      ResourceId r = arena_.new_resource("", false);
      f.own_resources.insert(r);
      uint32_t idx = plan_resource(r);
      plan_->resources[idx].instance = current_instance_;
      if (d.resource.dtor) {
        const CoreItemVal* dtor = core_item(f, CoreSort::Func, *d.resource.dtor, d.offset);
        if (!dtor) return kNoType;
        if (!is_i32_func(dtor->type->func, 1, 0)) {
          fail(d.offset, "resource destructor core func {} must have type {}, found {}",
               {*d.resource.dtor, describe_i32_func(1, 0), describe(dtor->type->func)});
          return kNoType;
        }
        plan_->resources[idx].dtor = dtor->ref;
      }
      return arena_.resource_type(r);
    }
  }
  return kNoType;
}

}  // namespace compoly::elab
