// Core WebAssembly types as the component layer sees them: enough to type
// check core instantiation, aliases of core exports and canon definitions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/inline_vector.h"
#include "model/object_vector.h"

namespace compoly {

// Encoded as in the core binary format.
enum class CoreValType : uint8_t {
  I32 = 0x7f,
  I64 = 0x7e,
  F32 = 0x7d,
  F64 = 0x7c,
  V128 = 0x7b,
  FuncRef = 0x70,
  ExternRef = 0x6f,
  ExnRef = 0x69,
};

const char* core_valtype_name(CoreValType t);

// Component core functions rarely take more than a few values, and function
// types are copied into every import, export and index-space item that has one.
// 17 in place: the canonical ABI's flat lists (abi/layout.h) never hold more.
using CoreValTypes = InlineVector<CoreValType, 17>;

struct CoreFuncType {
  CoreValTypes params;
  CoreValTypes results;
  bool operator==(const CoreFuncType& o) const { return params == o.params && results == o.results; }
#ifdef COMPOLY_LEAN
  std::string to_string() const { return {}; }  // for messages, which the lean core has none of
#else
  std::string to_string() const;  // "(i32 i32) -> i32"
#endif
};

struct Limits {
  uint64_t min = 0;
  std::optional<uint64_t> max;
  bool shared = false;
  bool is64 = false;
};

struct CoreTableType {
  CoreValType element = CoreValType::FuncRef;
  Limits limits;
};

struct CoreMemoryType {
  Limits limits;
};

struct CoreGlobalType {
  CoreValType type = CoreValType::I32;
  bool mut = false;
};

// Encoded as core:sort / core:externtype kinds.
enum class CoreExternKind : uint8_t { Func = 0, Table = 1, Memory = 2, Global = 3, Tag = 4 };

const char* core_extern_kind_name(CoreExternKind k);

struct CoreExternType {
  CoreExternKind kind = CoreExternKind::Func;
  CoreFuncType func;  // Func and Tag
  CoreTableType table;
  CoreMemoryType memory;
  CoreGlobalType global;

#ifdef COMPOLY_LEAN
  std::string to_string() const { return {}; }  // for messages, which the lean core has none of
#else
  std::string to_string() const;
#endif
};

// `actual` may be supplied where `expected` is wanted (core wasm's import
// matching: equal function types, limits within limits, equal globals).
bool core_extern_matches(const CoreExternType& actual, const CoreExternType& expected);

struct CoreImport {
  std::string_view module;
  std::string_view name;
  CoreExternType type;
};

struct CoreExport {
  std::string_view name;
  CoreExternType type;  // the resolved type of the exported item
};

// What the component layer needs to know of a core module, scanned from
// its binary without decoding function bodies.
struct CoreModuleInfo {
  ObjectVector<CoreImport> imports;
  ObjectVector<CoreExport> exports;
  bool has_start = false;

  const CoreExport* find_export(std::string_view name) const {
    for (const auto& e : exports)
      if (e.name == name) return &e;
    return nullptr;
  }
};

}  // namespace compoly
