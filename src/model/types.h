// Semantic component types: what the validator and linker reason about once
// type indices have been resolved. Types live in an arena and are referred to
// by TypeId; resource types carry a ResourceId whose identity is what makes
// two `own<T>` types equal or not (Explainer.md, "Resource types").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "model/ast.h"
#include "model/id_map.h"
#include "model/object_vector.h"
#include "model/pod_vector.h"

namespace compoly {

using TypeId = uint32_t;
using ResourceId = uint32_t;
constexpr TypeId kNoType = 0xffffffffu;

enum class TypeKind : uint8_t {
  Prim,
  Record,
  Variant,
  List,
  Tuple,
  Flags,
  Enum,
  Option,
  Result,
  Own,
  Borrow,
  Func,
  Component,
  Instance,
  Resource,
  Module,  // a core module type
};

// Names (fields, labels, imports, exports) are views into the component's
// bytes, which outlive every type built from them.
struct Field {
  std::string_view name;
  TypeId type = kNoType;  // kNoType: a variant case without payload
};

// The type of an imported or exported item.
struct ExternType {
  ExternKind kind = ExternKind::Func;
  TypeId type = kNoType;  // for Type: the type itself (a Resource type for resources)
};

struct NamedExtern {
  std::string_view name;
  ExternType type;
};

// Names are views into the component's bytes, like those of a scanned module.
struct CoreModuleType {
  ObjectVector<CoreImport> imports;
  ObjectVector<CoreExport> exports;
};

struct Type {
  TypeKind kind = TypeKind::Prim;
  PrimType prim = PrimType::Bool;
  PodVector<Field> fields;         // Record fields, Variant cases, Func params
  PodVector<TypeId> elements;      // Tuple; List and Option use elements[0]
  PodVector<std::string_view> labels;  // Flags, Enum
  TypeId ok = kNoType;               // Result ok; Func result
  TypeId err = kNoType;              // Result err
  ResourceId resource = 0;           // Own, Borrow, Resource
  // Own, Borrow: the resource type (index) the handle was written with. Two
  // handles of one resource are equal types, but only the one written with
  // an imported or exported type index may appear in an import or export
  // (Explainer.md, external visibility of types); `export $R' (type $R)`
  // gives $R' a type id of its own for that reason.
  TypeId handle_of = kNoType;
  // The type an import's or export's type index copies (Elaborator::named_copy): equal to
  // it, with an identity of its own for the rule above; the WIT printer follows it back.
  TypeId copy_of = kNoType;
  // The type's effective size: 1 + the sizes of its parts, as a tree (TypeArena::add; capped at
  // 2^32 - 1). Types share parts, so a type of a few bytes can stand for a tree of 10^n nodes.
  uint32_t size = 1;
  PodVector<NamedExtern> imports;  // Component
  PodVector<NamedExtern> exports;  // Component, Instance
  // Resources this type introduces: for a component type, those of its
  // imports (bound by the instantiator) then those of its exports (fresh per
  // instance); for an instance type, those of its exports.
  PodVector<ResourceId> imported_resources;
  PodVector<ResourceId> defined_resources;
  CoreModuleType module;
};

struct ResourceInfo {
  std::string_view name;  // the name it was imported or exported as, for messages
  bool host = false;  // introduced by a root import: provided by the JS host
};

class TypeArena {
 public:
  TypeArena();

  TypeId add(Type&& t);  // takes `t` over, leaving it a default Type
  const Type& get(TypeId id) const { return types_[id]; }
  size_t size() const { return types_.size(); }
  TypeId prim(PrimType p) const { return prims_[uint8_t(p) - 0x73]; }

  ResourceId new_resource(std::string_view name, bool host);
  const ResourceInfo& resource(ResourceId r) const { return resources_[r]; }
  ResourceInfo& resource(ResourceId r) { return resources_[r]; }
  size_t resource_count() const { return resources_.size(); }
  TypeId resource_type(ResourceId r);  // the (resource) type of r

  // A copy of `t` with resources renamed per `map`; shares unchanged parts.
  TypeId substitute(TypeId t, const IdMap<ResourceId>& map);

  // Structural equality (resources compare by identity).
  bool equal(TypeId a, TypeId b) const;

  // Whether a value type contains a borrow / any resource handle.
  bool contains_borrow(TypeId t) const;
  bool contains_resource(TypeId t) const;
  // Appends the resources free in t: those it uses that no component or instance type inside
  // it introduces itself.
  void collect_resources(TypeId t, PodVector<ResourceId>& out) const;

  bool is_value_type(TypeId t) const { return get(t).kind <= TypeKind::Borrow; }

  // A short text for messages: "u32", "list<string>", "func(a: string) -> u32".
#ifdef COMPOLY_LEAN
  // Messages are all it is for, and the lean core has none (format() in model/text.cc).
  std::string describe(TypeId) const { return {}; }
#else
  std::string describe(TypeId t) const;
#endif

 private:
  TypeId substitute_memo(TypeId t, const IdMap<ResourceId>& map, IdMap<TypeId>& memo);

  ObjectVector<Type> types_;
  PodVector<ResourceInfo> resources_;
  PodVector<TypeId> prims_;
  IdMap<TypeId> resource_types_;
};

const char* type_kind_name(TypeKind k);

}  // namespace compoly
