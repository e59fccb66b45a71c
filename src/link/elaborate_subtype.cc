#include "link/elaborator.h"

#include <string>

namespace compoly::elab {

namespace {

// The last of `list` named `name`, or null.
const NamedExtern* find_last(const PodVector<NamedExtern>& list, std::string_view name) {
  const NamedExtern* found = nullptr;
  for (const auto& x : list)
    if (x.name == name) found = &x;
  return found;
}

}  // namespace

Bindings unbound(const PodVector<ResourceId>& abstract) {
  Bindings b;
  for (ResourceId r : abstract) b[r] = kUnbound;
  return b;
}

Bindings bound(const Bindings& b) {
  Bindings out;
  for (size_t i = 0; i < b.size(); ++i)
    if (b.value_at(i) != kUnbound) out[b.key_at(i)] = b.value_at(i);
  return out;
}

bool Elaborator::check_subtype(const ExternVal& actual, const ExternType& expected_in, Bindings& bind,
                               const MessageText& what, size_t offset) {
  if (++subtype_checks_ > kMaxSubtypeChecks)
    return fail(offset, "{}: more than {} subtype checks (nested component types make one check many; an implementation limit)",
                {what, kMaxSubtypeChecks});
  if (actual.kind != expected_in.kind)
    return fail(offset, "{}: expected {}, found {}",
                {what, article(extern_kind_name(expected_in.kind)), article(extern_kind_name(actual.kind))});
  ExternType expected = expected_in;
  switch (expected.kind) {
    case ExternKind::Type: {
      const Type& want = arena_.get(expected.type);
      const Type& have = arena_.get(actual.type);
      if (want.kind == TypeKind::Resource) {
        if (have.kind != TypeKind::Resource)
          return fail(offset, "{}: expected a resource type, found {}", {what, describe(actual.type)});
        ResourceId* bound_to = bind.find(want.resource);
        if (bound_to && *bound_to == kUnbound) {
          *bound_to = have.resource;  // an abstract resource of the expected type: bind it
          return true;
        }
        ResourceId need = bound_to ? *bound_to : want.resource;
        if (need != have.resource)
          return fail(offset, "{}: resource types are not the same: expected {}, found a different resource {}",
                      {what, describe(arena_.resource_type(need)), describe(actual.type)});
        return true;
      }
      [[fallthrough]];  // a value type: equal once the bindings are substituted, as a func's
    }
    case ExternKind::Func: {
      TypeId want = arena_.substitute(expected.type, bound(bind));
      if (!arena_.equal(actual.type, want))
        return fail(offset, expected.kind == ExternKind::Func ? "{}: expected {}, found {}" : "{}: expected type {}, found {}",
                    {what, describe(want), describe(actual.type)});
      return true;
    }
    case ExternKind::Instance: {
      const Type& want = arena_.get(expected.type);
      PodVector<NamedExtern> exports = want.exports;
      for (const auto& e : exports) {
        const ExternVal* have = actual.instance->find(e.name);
        if (!have)
          return fail(offset, "{}: missing expected export '{}' ({})",
                      {what, e.name, article(extern_kind_name(e.type.kind))});
        if (!check_subtype(*have, e.type, bind, message("{} export '{}'", {what, e.name}), offset)) return false;
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
        const NamedExtern* j = find_last(want.imports, i.name);
        if (!j) return fail(offset, "{}: component imports '{}', which the expected type does not", {what, i.name});
        ExternVal provided = abstract_value(j->type, nullptr);
        if (!check_subtype(provided, i.type, have_bind, message("{} import '{}'", {what, i.name}), offset)) return false;
      }
      // Exports are covariant, seen through the bindings of the imports.
      Bindings have_bound = bound(have_bind);
      // The expected type's exported resources are abstract: the actual
      // component's exports supply them.
      for (ResourceId r : want.defined_resources)
        bind.insert(r, kUnbound);
      for (const auto& e : want.exports) {
        const NamedExtern* h = find_last(have.exports, e.name);
        if (!h) return fail(offset, "{}: component is missing expected export '{}'", {what, e.name});
        ExternType ht = h->type;
        ht.type = arena_.substitute(ht.type, have_bound);
        ExternVal provided = abstract_value(ht, nullptr);
        if (!check_subtype(provided, e.type, bind, message("{} export '{}'", {what, e.name}), offset)) return false;
      }
      return true;
    }
    case ExternKind::Module: {
      // type_of() may add to the arena, so the references into it are taken after it.
      const TypeId have_type = type_of(actual).type;
      const CoreModuleType& want = arena_.get(expected.type).module;
      const CoreModuleType& have = arena_.get(have_type).module;
      for (const auto& i : have.imports) {
        const CoreImport* match = nullptr;
        for (const auto& j : want.imports)
          if (j.module == i.module && j.name == i.name) match = &j;
        if (!match || !core_extern_matches(match->type, i.type))
          return fail(offset, "{}: module import '{}' '{}' is not in the expected module type",
                      {what, i.module, i.name});
      }
      for (const auto& e : want.exports) {
        const CoreExport* match = nullptr;
        for (const auto& h : have.exports)
          if (h.name == e.name) match = &h;
        if (!match) return fail(offset, "{}: module is missing export '{}'", {what, e.name});
        if (!core_extern_matches(match->type, e.type))
          return fail(offset, "{}: module export '{}' has type {}, expected {}",
                      {what, e.name, describe(match->type), describe(e.type)});
      }
      return true;
    }
    case ExternKind::Value: return fail(offset, "values are not part of WASI 0.2");
  }
  return true;
}

}  // namespace compoly::elab
