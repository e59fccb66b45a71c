// The decoded component: plain structs mirroring Binary.md, one per
// production. Names are string_views into the input, which must outlive the
// tree. Core modules are kept as byte ranges (never re-encoded) plus the
// scan of their imports and exports.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "model/core_types.h"
#include "model/object_vector.h"
#include "model/pod_vector.h"

namespace compoly {

// core:sort, with the opcodes of Binary.md.
enum class CoreSort : uint8_t {
  Func = 0x00,
  Table = 0x01,
  Memory = 0x02,
  Global = 0x03,
  Tag = 0x04,
  Type = 0x10,
  Module = 0x11,
  Instance = 0x12,
};

// sort, with the opcodes of Binary.md (Core carries a CoreSort).
enum class Sort : uint8_t {
  Core = 0x00,
  Func = 0x01,
  Value = 0x02,
  Type = 0x03,
  Component = 0x04,
  Instance = 0x05,
};

struct SortRef {
  Sort sort = Sort::Func;
  CoreSort core = CoreSort::Func;  // when sort == Core
  bool operator==(const SortRef& o) const {
    return sort == o.sort && (sort != Sort::Core || core == o.core);
  }
};

const char* sort_name(SortRef s);  // "func", "core memory", ...

struct SortIdx {
  SortRef sort;
  uint32_t index = 0;
};

// ---- core instances -------------------------------------------------------

struct CoreInstantiateArg {
  std::string_view name;
  uint32_t instance = 0;  // core instance index
};

struct CoreInlineExport {
  std::string_view name;
  CoreSort sort = CoreSort::Func;
  uint32_t index = 0;
};

struct CoreInstanceDef {
  enum Kind : uint8_t { Instantiate, FromExports } kind = Instantiate;
  uint32_t module = 0;
  PodVector<CoreInstantiateArg> args;
  PodVector<CoreInlineExport> exports;
  size_t offset = 0;
};

// ---- component instances --------------------------------------------------

struct InstantiateArg {
  std::string_view name;
  SortIdx item;
};

struct InlineExport {
  std::string_view name;
  SortIdx item;
};

struct InstanceDef {
  enum Kind : uint8_t { Instantiate, FromExports } kind = Instantiate;
  uint32_t component = 0;
  PodVector<InstantiateArg> args;
  PodVector<InlineExport> exports;
  size_t offset = 0;
};

// ---- aliases ----------------------------------------------------------------

struct AliasDef {
  enum Target : uint8_t { InstanceExport = 0, CoreInstanceExport = 1, Outer = 2 } target = InstanceExport;
  SortRef sort;
  uint32_t instance = 0;  // InstanceExport / CoreInstanceExport
  std::string_view name;
  uint32_t outer_count = 0;  // Outer
  uint32_t outer_index = 0;
  size_t offset = 0;
};

// ---- types ---------------------------------------------------------------------

// primvaltype opcodes.
enum class PrimType : uint8_t {
  Bool = 0x7f,
  S8 = 0x7e,
  U8 = 0x7d,
  S16 = 0x7c,
  U16 = 0x7b,
  S32 = 0x7a,
  U32 = 0x79,
  S64 = 0x78,
  U64 = 0x77,
  F32 = 0x76,
  F64 = 0x75,
  Char = 0x74,
  String = 0x73,
};

const char* prim_type_name(PrimType p);

// valtype: a primitive or an index into the type index space.
struct ValTypeRef {
  bool is_prim = true;
  PrimType prim = PrimType::Bool;
  uint32_t index = 0;
  size_t offset = 0;
};

// defvaltype opcodes.
enum class DefKind : uint8_t {
  Prim = 0,
  Record = 0x72,
  Variant = 0x71,
  List = 0x70,
  Tuple = 0x6f,
  Flags = 0x6e,
  Enum = 0x6d,
  Option = 0x6b,
  Result = 0x6a,
  Own = 0x69,
  Borrow = 0x68,
};

struct LabeledType {
  std::string_view label;
  ValTypeRef type;
};

struct CaseDef {
  std::string_view label;
  std::optional<ValTypeRef> type;
};

struct DefValTypeDef {
  DefKind kind = DefKind::Prim;
  PrimType prim = PrimType::Bool;      // Prim
  PodVector<LabeledType> fields;     // Record
  PodVector<CaseDef> cases;          // Variant
  PodVector<ValTypeRef> elements;    // Tuple; List/Option use elements[0]
  PodVector<std::string_view> labels;  // Flags, Enum
  std::optional<ValTypeRef> ok, err;   // Result
  uint32_t resource = 0;               // Own, Borrow: a type index
};

struct FuncTypeDef {
  PodVector<LabeledType> params;
  std::optional<ValTypeRef> result;
};

struct ResourceTypeDef {
  CoreValType rep = CoreValType::I32;
  std::optional<uint32_t> dtor;  // core func index
};

// externtype
enum class ExternKind : uint8_t {
  Module = 0x00,
  Func = 0x01,
  Value = 0x02,
  Type = 0x03,
  Component = 0x04,
  Instance = 0x05,
};

const char* extern_kind_name(ExternKind k);

struct ExternDesc {
  ExternKind kind = ExternKind::Func;
  uint32_t index = 0;         // type index (core type index for Module)
  bool sub_resource = false;  // Type: (sub resource) instead of (eq index)
};

// core:type inside components: a function type or a module type.
struct CoreModuleDecl;
struct CoreTypeDef {
  enum Kind : uint8_t { Func, Module } kind = Func;
  CoreFuncType func;
  ObjectVector<CoreModuleDecl> module;
  size_t offset = 0;
};

struct CoreModuleDecl {
  enum Kind : uint8_t { Import = 0, Type = 1, Alias = 2, Export = 3 } kind = Import;
  // Import: module/name/type; Export: name/type. The extern's function type
  // is given by `func_type_index` into the module type's own type space.
  std::string_view module;
  std::string_view name;
  CoreExternKind extern_kind = CoreExternKind::Func;
  uint32_t func_type_index = 0;
  CoreExternType type;  // table/memory/global details
  std::unique_ptr<CoreTypeDef> type_def;  // Type
  uint32_t outer_count = 0, outer_index = 0;  // Alias (outer, core type)
  size_t offset = 0;
};

struct TypeDef;

// A declarator in a component type or instance type.
struct Decl {
  enum Kind : uint8_t { CoreType = 0, Type = 1, Alias = 2, Import = 3, Export = 4 } kind = Type;
  std::unique_ptr<CoreTypeDef> core_type;
  std::unique_ptr<TypeDef> type;
  AliasDef alias;
  std::string_view name;  // Import, Export
  ExternDesc desc;
  size_t offset = 0;
};

struct TypeDef {
  enum Kind : uint8_t { DefVal, Func, Component, Instance, Resource } kind = DefVal;
  DefValTypeDef val;
  FuncTypeDef func;
  ObjectVector<Decl> decls;  // Component, Instance
  ResourceTypeDef resource;
  size_t offset = 0;
};

// ---- canon ----------------------------------------------------------------------

enum class StringEncoding : uint8_t { Utf8 = 0, Utf16 = 1, Latin1Utf16 = 2 };

const char* string_encoding_name(StringEncoding e);

struct CanonOptions {
  std::optional<StringEncoding> encoding;
  std::optional<uint32_t> memory;       // core memory index
  std::optional<uint32_t> realloc;      // core func index
  std::optional<uint32_t> post_return;  // core func index
  size_t offset = 0;
};

struct CanonDef {
  enum Kind : uint8_t { Lift, Lower, ResourceNew, ResourceDrop, ResourceRep } kind = Lift;
  uint32_t func = 0;  // Lift: core func; Lower: component func
  uint32_t type = 0;  // Lift: func type index; Resource*: resource type index
  CanonOptions options;
  size_t offset = 0;
};

// ---- imports and exports -----------------------------------------------------------

struct ImportDef {
  std::string_view name;
  ExternDesc desc;
  size_t offset = 0;
};

struct ExportDef {
  std::string_view name;
  SortIdx item;
  std::optional<ExternDesc> desc;
  size_t offset = 0;
};

// ---- modules and components ---------------------------------------------------------

struct CoreModuleDef {
  size_t offset = 0;  // absolute offset of the module's first byte (its magic)
  size_t size = 0;
  CoreModuleInfo info;
};

struct Component;

// Definitions in binary order: index spaces are built incrementally, so the
// validator and linker walk this list, not the per-kind vectors.
struct Definition {
  enum Kind : uint8_t {
    CoreModule,
    CoreInstance,
    CoreType,
    Component,
    Instance,
    Alias,
    Type,
    Canon,
    Import,
    Export,
  } kind;
  uint32_t index;  // into the vector of that kind
};

struct Component {
  size_t offset = 0;  // absolute offset of the preamble
  size_t size = 0;
  ObjectVector<CoreModuleDef> modules;
  ObjectVector<std::unique_ptr<Component>> components;
  ObjectVector<CoreInstanceDef> core_instances;
  ObjectVector<CoreTypeDef> core_types;
  ObjectVector<InstanceDef> instances;
  PodVector<AliasDef> aliases;
  ObjectVector<TypeDef> types;
  PodVector<CanonDef> canons;
  PodVector<ImportDef> imports;
  PodVector<ExportDef> exports;
  PodVector<Definition> order;
  std::string_view name;  // from the component-name custom section, if any
};

}  // namespace compoly
