// Core WebAssembly types as the component layer sees them: enough to type
// check core instantiation, aliases of core exports and canon definitions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

// A list of core value types, the first kInline kept in place: component
// core functions rarely take more than a few values, and function types are
// copied into every import, export and index-space item that has one.
class CoreValTypes {
 public:
  CoreValTypes() = default;
  CoreValTypes(std::initializer_list<CoreValType> init) {
    for (CoreValType t : init) push_back(t);
  }
  CoreValTypes(const CoreValType* first, const CoreValType* last) {
    for (; first != last; ++first) push_back(*first);
  }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const CoreValType* begin() const { return size_ <= kInline ? in_place_ : spilled_.data(); }
  const CoreValType* end() const { return begin() + size_; }
  CoreValType operator[](size_t i) const { return begin()[i]; }
  void push_back(CoreValType t) {
    if (size_ < kInline) {
      in_place_[size_++] = t;
      return;
    }
    if (size_ == kInline) spilled_.assign(in_place_, in_place_ + kInline);
    spilled_.push_back(t);
    ++size_;
  }
  bool operator==(const CoreValTypes& o) const {
    if (size_ != o.size_) return false;
    for (size_t i = 0; i < size_; ++i)
      if (begin()[i] != o.begin()[i]) return false;
    return true;
  }

 private:
  static constexpr size_t kInline = 12;
  uint32_t size_ = 0;
  CoreValType in_place_[kInline] = {};
  std::vector<CoreValType> spilled_;  // all of them, once there are more than kInline
};

struct CoreFuncType {
  CoreValTypes params;
  CoreValTypes results;
  bool operator==(const CoreFuncType& o) const { return params == o.params && results == o.results; }
  std::string to_string() const;  // "(i32 i32) -> i32"
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

  std::string to_string() const;
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
  std::vector<CoreImport> imports;
  std::vector<CoreExport> exports;
  bool has_start = false;

  const CoreExport* find_export(std::string_view name) const {
    for (const auto& e : exports)
      if (e.name == name) return &e;
    return nullptr;
  }
};

}  // namespace compoly
