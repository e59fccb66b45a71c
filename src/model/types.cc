#include "model/types.h"

#include "model/text.h"


namespace compoly {

const char* type_kind_name(TypeKind k) {
  switch (k) {
    case TypeKind::Prim: return "primitive";
    case TypeKind::Record: return "record";
    case TypeKind::Variant: return "variant";
    case TypeKind::List: return "list";
    case TypeKind::Tuple: return "tuple";
    case TypeKind::Flags: return "flags";
    case TypeKind::Enum: return "enum";
    case TypeKind::Option: return "option";
    case TypeKind::Result: return "result";
    case TypeKind::Own: return "own";
    case TypeKind::Borrow: return "borrow";
    case TypeKind::Func: return "func";
    case TypeKind::Component: return "component";
    case TypeKind::Instance: return "instance";
    case TypeKind::Resource: return "resource";
    case TypeKind::Module: return "core module";
  }
  return "?";
}

TypeArena::TypeArena() {
  // Room for the types of most components at once (the corpus's median is 113, a WASI
  // command's ~120): each Type holds nine vectors, and every regrowth moved them all.
  types_.reserve(256);
  prims_.resize(0x7f - 0x73 + 1);
  for (unsigned code = 0x73; code <= 0x7f; ++code) {
    Type t;
    t.kind = TypeKind::Prim;
    t.prim = PrimType(code);
    prims_[code - 0x73] = add(std::move(t));
  }
}

TypeId TypeArena::add(Type&& t) {
  uint64_t size = 1;
  auto plus = [&](TypeId part) {
    if (part != kNoType) size += types_[part].size;
  };
  for (const Field& f : t.fields) plus(f.type);
  for (TypeId e : t.elements) plus(e);
  plus(t.ok);
  plus(t.err);
  for (const NamedExtern& i : t.imports) plus(i.type.type);
  for (const NamedExtern& e : t.exports) plus(e.type.type);
  size += t.module.imports.size() + t.module.exports.size();
  t.size = size > 0xffffffffu ? 0xffffffffu : uint32_t(size);
  types_.take_back(t);
  return TypeId(types_.size() - 1);
}

ResourceId TypeArena::new_resource(std::string_view name, bool host) {
  resources_.push_back({name, host});
  return ResourceId(resources_.size() - 1);
}

TypeId TypeArena::resource_type(ResourceId r) {
  if (const TypeId* known = resource_types_.find(r)) return *known;
  Type t;
  t.kind = TypeKind::Resource;
  t.resource = r;
  TypeId id = add(std::move(t));
  resource_types_.insert(r, id);
  return id;
}

TypeId TypeArena::substitute(TypeId t, const IdMap<ResourceId>& map) {
  if (map.empty() || t == kNoType) return t;
  IdMap<TypeId> memo;
  return substitute_memo(t, map, memo);
}

TypeId TypeArena::substitute_memo(TypeId id, const IdMap<ResourceId>& map, IdMap<TypeId>& memo) {
  if (id == kNoType) return id;
  if (const TypeId* done = memo.find(id)) return *done;
  bool changed = false;
  auto rename = [&](ResourceId& r) {
    const ResourceId* to = map.find(r);
    if (to && *to != r) {
      r = *to;
      changed = true;
    }
  };
  const Type& t = types_[id];
  TypeId out = id;
  if (t.kind == TypeKind::Resource) {
    ResourceId r = t.resource;
    rename(r);
    if (changed) out = resource_type(r);
  } else if (t.kind != TypeKind::Prim && t.kind != TypeKind::Flags && t.kind != TypeKind::Enum &&
             t.kind != TypeKind::Module) {
    Type copy = t;  // a copy: add() may reallocate types_
    auto sub = [&](TypeId& x) {
      const TypeId y = substitute_memo(x, map, memo);
      if (y != x) changed = true;
      x = y;
    };
    for (auto& f : copy.fields) sub(f.type);
    for (auto& e : copy.elements) sub(e);
    sub(copy.ok);
    sub(copy.err);
    for (auto& i : copy.imports) sub(i.type.type);
    for (auto& e : copy.exports) sub(e.type.type);
    if (copy.kind == TypeKind::Own || copy.kind == TypeKind::Borrow) {
      sub(copy.handle_of);
      rename(copy.resource);
    }
    for (auto& r : copy.imported_resources) rename(r);
    for (auto& r : copy.defined_resources) rename(r);
    if (changed) out = add(std::move(copy));
  }
  memo[id] = out;
  return out;
}

namespace {

// Labels (parameter, field and case names, flags and enum labels) compare without regard to
// ASCII case, as in wasmparser (wasmtime, jco): two labels that differ only in case are one
// name to a bindings generator, which is why they may not both occur in one scope
// (Explainer.md, name uniqueness).
bool same_labels(const PodVector<std::string_view>& a, const PodVector<std::string_view>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!equal_folded(a[i], b[i])) return false;
  return true;
}

}  // namespace

bool TypeArena::equal(TypeId a, TypeId b) const {
  if (a == b) return true;
  if (a == kNoType || b == kNoType) return false;
  const Type& x = types_[a];
  const Type& y = types_[b];
  if (x.kind != y.kind) return false;
  switch (x.kind) {
    case TypeKind::Prim: return x.prim == y.prim;
    case TypeKind::Resource:
    case TypeKind::Own:
    case TypeKind::Borrow: return x.resource == y.resource;
    case TypeKind::Flags:
    case TypeKind::Enum: return same_labels(x.labels, y.labels);
    default: break;
  }
  if (x.fields.size() != y.fields.size() || x.elements.size() != y.elements.size() ||
      x.imports.size() != y.imports.size() || x.exports.size() != y.exports.size())
    return false;
  for (size_t i = 0; i < x.fields.size(); ++i)
    if (!equal_folded(x.fields[i].name, y.fields[i].name) || !equal(x.fields[i].type, y.fields[i].type)) return false;
  for (size_t i = 0; i < x.elements.size(); ++i)
    if (!equal(x.elements[i], y.elements[i])) return false;
  // kNoType (no result, no error type) is equal to itself only.
  if (!equal(x.ok, y.ok) || !equal(x.err, y.err)) return false;
  auto same_externs = [&](const PodVector<NamedExtern>& p, const PodVector<NamedExtern>& q) {
    for (size_t i = 0; i < p.size(); ++i)
      if (p[i].name != q[i].name || p[i].type.kind != q[i].type.kind || !equal(p[i].type.type, q[i].type.type))
        return false;
    return true;
  };
  return same_externs(x.imports, y.imports) && same_externs(x.exports, y.exports);
}

void TypeArena::collect_resources(TypeId id, PodVector<ResourceId>& out) const {
  if (id == kNoType) return;
  const Type& t = types_[id];
  switch (t.kind) {
    case TypeKind::Own:
    case TypeKind::Borrow:
    case TypeKind::Resource:
      out.push_back(t.resource);
      return;
    case TypeKind::Prim:
    case TypeKind::Flags:
    case TypeKind::Enum:
    case TypeKind::Module:
      return;
    default:
      break;
  }
  for (const auto& f : t.fields) collect_resources(f.type, out);
  for (TypeId e : t.elements) collect_resources(e, out);
  collect_resources(t.ok, out);
  collect_resources(t.err, out);
  // A component or instance type binds the resources it introduces (its imports' and its
  // exports' abstract ones): only the others are free in it.
  const size_t from = out.size();
  for (const auto& i : t.imports) collect_resources(i.type.type, out);
  for (const auto& e : t.exports) collect_resources(e.type.type, out);
  size_t kept = from;
  for (size_t k = from; k < out.size(); ++k) {
    const ResourceId r = out[k];
    bool bound = false;
    for (ResourceId b : t.imported_resources) bound |= b == r;
    for (ResourceId b : t.defined_resources) bound |= b == r;
    if (!bound) out[kept++] = r;
  }
  out.resize(kept);
}

bool TypeArena::contains_resource(TypeId t) const {
  PodVector<ResourceId> rs;
  collect_resources(t, rs);
  return !rs.empty();
}

bool TypeArena::contains_borrow(TypeId id) const {
  if (id == kNoType) return false;
  const Type& t = types_[id];
  if (t.kind == TypeKind::Borrow) return true;
  if (!is_value_type(id)) return false;
  for (const auto& f : t.fields)
    if (contains_borrow(f.type)) return true;
  for (TypeId e : t.elements)
    if (contains_borrow(e)) return true;
  return contains_borrow(t.ok) || contains_borrow(t.err);
}

#ifndef COMPOLY_LEAN  // message text only: see the declaration
std::string TypeArena::describe(TypeId id) const {
  if (id == kNoType) return "_";
  const Type& t = types_[id];
  auto list = [&](const PodVector<TypeId>& xs) {
    std::string s;
    for (size_t i = 0; i < xs.size(); ++i) s += (i ? ", " : "") + describe(xs[i]);
    return s;
  };
  auto res = [&](ResourceId r) { return resources_[r].name.empty() ? "resource#" + std::to_string(r) : std::string(resources_[r].name); };
  switch (t.kind) {
    case TypeKind::Prim: return prim_type_name(t.prim);
    case TypeKind::Record: {
      std::string s = "record { ";
      for (size_t i = 0; i < t.fields.size(); ++i) s += (i ? ", " : "") + std::string(t.fields[i].name) + ": " + describe(t.fields[i].type);
      return s + " }";
    }
    case TypeKind::Variant: {
      std::string s = "variant { ";
      for (size_t i = 0; i < t.fields.size(); ++i) {
        s += (i ? ", " : "") + std::string(t.fields[i].name);
        if (t.fields[i].type != kNoType) s += "(" + describe(t.fields[i].type) + ")";
      }
      return s + " }";
    }
    case TypeKind::List: return "list<" + describe(t.elements[0]) + ">";
    case TypeKind::Tuple: return "tuple<" + list(t.elements) + ">";
    case TypeKind::Flags:
    case TypeKind::Enum: {
      std::string s = t.kind == TypeKind::Flags ? "flags { " : "enum { ";
      for (size_t i = 0; i < t.labels.size(); ++i) s += (i ? ", " : "") + std::string(t.labels[i]);
      return s + " }";
    }
    case TypeKind::Option: return "option<" + describe(t.elements[0]) + ">";
    case TypeKind::Result: {
      if (t.ok == kNoType && t.err == kNoType) return "result";
      return "result<" + describe(t.ok) + ", " + describe(t.err) + ">";
    }
    case TypeKind::Own: return "own<" + res(t.resource) + ">";
    case TypeKind::Borrow: return "borrow<" + res(t.resource) + ">";
    case TypeKind::Resource: return "resource " + res(t.resource);
    case TypeKind::Func: {
      std::string s = "func(";
      for (size_t i = 0; i < t.fields.size(); ++i) s += (i ? ", " : "") + std::string(t.fields[i].name) + ": " + describe(t.fields[i].type);
      s += ")";
      if (t.ok != kNoType) s += " -> " + describe(t.ok);
      return s;
    }
    case TypeKind::Component:
    case TypeKind::Instance: {
      std::string s = t.kind == TypeKind::Component ? "component { " : "instance { ";
      for (const auto& i : t.imports) s += "import " + std::string(i.name) + "; ";
      for (const auto& e : t.exports) s += "export " + std::string(e.name) + "; ";
      return s + "}";
    }
    case TypeKind::Module: return "core module";
  }
  return "?";
}
#endif

}  // namespace compoly
