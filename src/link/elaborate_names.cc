#include "link/elaborator.h"

#include <string>

#include "validate/names.h"

namespace compoly::elab {

bool Elaborator::check_name(Frame& f, std::string_view name, const ExternType& type, bool is_import, size_t offset) {
  ExternName parsed;
  NameProblem problem = is_import ? check_extern_name(name, parsed) : check_export_name(name, parsed);
  if (!problem.ok()) return fail(offset, std::move(problem));
  if (!add_uniqueness_key(f.side(is_import).keys, name, parsed))
    return fail(offset, "{} name '{}' conflicts with an earlier one (names must be strongly-unique)",
                {is_import ? "import" : "export", name});
  Frame::Side& side = f.side(is_import);
  if (parsed.kind == NameKind::Label && type.kind == ExternKind::Type &&
      arena_.get(type.type).kind == TypeKind::Resource) {
    const Frame::ResourceLabel label = {arena_.get(type.type).resource, type.type};
    side.resource_labels.set(parsed.label, label);
  }
  if (parsed.kind == NameKind::Constructor || parsed.kind == NameKind::Method || parsed.kind == NameKind::Static) {
    const char* form = parsed.kind == NameKind::Constructor ? "[constructor]" : parsed.kind == NameKind::Method ? "[method]" : "[static]";
    const std::string_view res = parsed.resource;
    if (type.kind != ExternKind::Func)
      return fail(offset, "'{}': {} names are only allowed on functions", {name, form});
    const Frame::ResourceLabel* r = side.resource_labels.find(res);
    if (!r)
      return fail(offset, "'{}' refers to resource '{}', which is not a preceding resource {} of this scope",
                  {name, res, (is_import ? "import" : "export")});
    const Type& ft = arena_.get(type.type);
    // Whether `t` is own<r>/borrow<r> of this very resource (not just any handle), written
    // with the type index the label's import or export made (Binary.md: "(borrow $R), where
    // $R is the resource labeled r"; an earlier index of the same resource is not it).
    auto is_handle_of = [&](TypeId t, TypeKind kind) {
      const Type& h = arena_.get(t);
      return h.kind == kind && h.resource == r->resource && (h.handle_of == kNoType || h.handle_of == r->type);
    };
    if (parsed.kind == NameKind::Method) {
      if (ft.fields.empty() || ft.fields[0].name != "self" || !is_handle_of(ft.fields[0].type, TypeKind::Borrow)) {
        MessageText found =
            ft.fields.empty()
                ? MessageText("no parameters")
                : message("first parameter `{}: {}`", {ft.fields[0].name, describe(ft.fields[0].type)});
        return fail(offset, "'{}': a [method] must take `self: borrow<{}>` as its first parameter, found {}",
                    {name, res, found});
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
        return fail(offset, "'{}': a [constructor] must return own<{}> or result<own<{}>, E>, found {}",
                    {name, res, res, (ft.ok == kNoType ? MessageText("no result") : describe(ft.ok))});
    }
  }
  return true;
}

void Elaborator::make_visible(Frame& f, const ExternType& t, bool is_import) {
  if (t.type == kNoType) return;
  const Type& ty = arena_.get(t.type);
  if (t.kind == ExternKind::Type && ty.kind == TypeKind::Resource) {
    f.sides[0].visible_resources.insert(ty.resource);
    if (is_import) f.sides[1].visible_resources.insert(ty.resource);
  } else if (t.kind == ExternKind::Instance) {
    for (const auto& e : ty.exports) make_visible(f, e.type, is_import);
  }
}

#ifndef COMPOLY_LEAN
std::string Elaborator::resource_label(ResourceId r) {
  std::string_view name = arena_.resource(r).name;
  return name.empty() ? std::string("a resource defined by this component") : message("resource '{}'", {name});
}
#endif

bool Elaborator::check_visible(Frame& f, const ExternType& t, std::string_view name, bool is_import, size_t offset) {
  PodVector<ResourceId> used;
  if (t.kind == ExternKind::Component || t.kind == ExternKind::Module) return true;
  arena_.collect_resources(t.type, used);
  const IdSet& visible = f.side(is_import).visible_resources;
  for (ResourceId r : used) {
    if (!visible.contains(r))
      return fail(offset, "{}{}' refers to {}{}",
                  {is_import ? "import '" : "export '", name, resource_label(r),
                   (is_import ? ", which is not introduced by a preceding import (an import's type may only "
                                "use imported resources)"
                              : ", which is not introduced by a preceding import or export")});
  }
  return true;
}

// Whether value type `t`, used by an import (export), names only types this
// scope has imported (or exported): records, variants, enums and flags must
// be such types themselves, anonymous types must be made of them, and a
// handle's resource must be one (wasm-tools' type_named_type_id).
bool Elaborator::is_named(Frame& f, TypeId t, bool is_import) {
  if (t == kNoType) return true;
  const IdSet& types = f.side(is_import).named_types;
  const IdSet& resources = f.side(is_import).named_resources;
  const Type& ty = arena_.get(t);
  switch (ty.kind) {
    case TypeKind::Prim: return true;
    case TypeKind::Record:
    case TypeKind::Variant:
    case TypeKind::Enum:
    case TypeKind::Flags: return types.contains(t);
    case TypeKind::Own:
    case TypeKind::Borrow:
      return ty.handle_of != kNoType ? types.contains(ty.handle_of) : resources.contains(ty.resource);
    case TypeKind::Tuple:
    case TypeKind::List:
    case TypeKind::Option:
    case TypeKind::Result: {
      for (TypeId e : ty.elements)
        if (!is_named(f, e, is_import)) return false;
      return is_named(f, ty.ok, is_import) && is_named(f, ty.err, is_import);
    }
    default: return true;
  }
}

// Whether everything `t` refers to one layer down is named (wasm-tools'
// all_valtypes_named): the fields of a record, the parameters of a function,
// the exports of an instance type.
bool Elaborator::all_named(Frame& f, TypeId t, bool is_import) {
  if (t == kNoType) return true;
  const Type& ty = arena_.get(t);  // is_named and all_named never add to the arena
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
        f.sides[0].named_resources.insert(ty.resource);
        if (is_import) f.sides[1].named_resources.insert(ty.resource);
      }
      f.sides[0].named_types.insert(t.type);
      if (is_import) f.sides[1].named_types.insert(t.type);
      return true;
    }
    case ExternKind::Instance: {
      // In order: a type export makes it named for the exports after it. (Registering
      // only fills the frame's sets: the arena, and this reference into it, stay put.)
      for (const auto& e : arena_.get(t.type).exports)
        if (!register_named(f, e.type, is_import)) return false;
      return true;
    }
    case ExternKind::Func: return all_named(f, t.type, is_import);
    default: return true;  // components and core modules are self-contained
  }
}

bool Elaborator::check_named(Frame& f, const ExternType& t, std::string_view name, bool is_import,
                             size_t offset) {
  if (!f.check_named || register_named(f, t, is_import)) return true;
  const char* kind = t.kind == ExternKind::Type ? "type" : extern_kind_name(t.kind);
  return fail(offset,
              "{} not valid to be used as {}: {}{}' refers to a record, variant, enum, flags or resource type "
              "that is not itself {} by this component (Explainer.md, external visibility of types)",
              {kind, (is_import ? "import" : "export"), (is_import ? "import '" : "export '"), name,
               (is_import ? "imported" : "imported or exported")});
}

}  // namespace compoly::elab
