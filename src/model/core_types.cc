#include "model/core_types.h"

namespace compoly {

const char* core_valtype_name(CoreValType t) {
  switch (t) {
    case CoreValType::I32: return "i32";
    case CoreValType::I64: return "i64";
    case CoreValType::F32: return "f32";
    case CoreValType::F64: return "f64";
    case CoreValType::V128: return "v128";
    case CoreValType::FuncRef: return "funcref";
    case CoreValType::ExternRef: return "externref";
    case CoreValType::ExnRef: return "exnref";
  }
  return "?";
}

const char* core_extern_kind_name(CoreExternKind k) {
  switch (k) {
    case CoreExternKind::Func: return "func";
    case CoreExternKind::Table: return "table";
    case CoreExternKind::Memory: return "memory";
    case CoreExternKind::Global: return "global";
    case CoreExternKind::Tag: return "tag";
  }
  return "?";
}

namespace {

// Core wasm's limits subtyping: the actual range must lie inside the
// expected one, and an expected maximum can only be met by an actual one.
bool limits_match(const Limits& actual, const Limits& expected) {
  if (actual.min < expected.min) return false;
  if (expected.max) {
    if (!actual.max || *actual.max > *expected.max) return false;
  }
  return true;
}

}  // namespace

#ifndef COMPOLY_LEAN  // message text only: see the declarations
namespace {

void append_valtypes(std::string& out, const CoreValTypes& types) {
  out += '(';
  for (size_t i = 0; i < types.size(); ++i) {
    if (i) out += ' ';
    out += core_valtype_name(types[i]);
  }
  out += ')';
}

// "1.." for an open range, "1..2" for a bounded one.
void append_limits(std::string& out, const Limits& l) {
  if (l.is64) out += "i64 ";
  out += std::to_string(l.min);
  out += "..";
  if (l.max) out += std::to_string(*l.max);
  if (l.shared) out += " shared";
}

}  // namespace

std::string CoreFuncType::to_string() const {
  std::string out;
  append_valtypes(out, params);
  out += " -> ";
  // A single result reads better bare; none or several need the parens.
  if (results.size() == 1) {
    out += core_valtype_name(results[0]);
  } else {
    append_valtypes(out, results);
  }
  return out;
}

std::string CoreExternType::to_string() const {
  std::string out = core_extern_kind_name(kind);
  out += ' ';
  switch (kind) {
    case CoreExternKind::Func:
    case CoreExternKind::Tag:
      out += func.to_string();
      break;
    case CoreExternKind::Table:
      out += core_valtype_name(table.element);
      out += ' ';
      append_limits(out, table.limits);
      break;
    case CoreExternKind::Memory:
      append_limits(out, memory.limits);
      break;
    case CoreExternKind::Global:
      if (global.mut) out += "mut ";
      out += core_valtype_name(global.type);
      break;
  }
  return out;
}
#endif

bool core_extern_matches(const CoreExternType& actual, const CoreExternType& expected) {
  if (actual.kind != expected.kind) return false;
  switch (actual.kind) {
    case CoreExternKind::Func:
    case CoreExternKind::Tag:
      return actual.func == expected.func;
    case CoreExternKind::Table:
      // Address types (table64) never convert into each other.
      return actual.table.element == expected.table.element &&
             actual.table.limits.is64 == expected.table.limits.is64 &&
             limits_match(actual.table.limits, expected.table.limits);
    case CoreExternKind::Memory:
      return actual.memory.limits.shared == expected.memory.limits.shared &&
             actual.memory.limits.is64 == expected.memory.limits.is64 &&
             limits_match(actual.memory.limits, expected.memory.limits);
    case CoreExternKind::Global:
      // Globals are invariant: a mutable global is read and written through
      // the same cell, so neither direction of subtyping is sound.
      return actual.global.type == expected.global.type && actual.global.mut == expected.global.mut;
  }
  return false;
}

}  // namespace compoly
