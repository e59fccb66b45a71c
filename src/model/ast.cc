#include "model/ast.h"

namespace compoly {

const char* sort_name(SortRef s) {
  if (s.sort == Sort::Core) {
    switch (s.core) {
      case CoreSort::Func: return "core func";
      case CoreSort::Table: return "core table";
      case CoreSort::Memory: return "core memory";
      case CoreSort::Global: return "core global";
      case CoreSort::Tag: return "core tag";
      case CoreSort::Type: return "core type";
      case CoreSort::Module: return "core module";
      case CoreSort::Instance: return "core instance";
    }
    return "core ?";
  }
  switch (s.sort) {
    case Sort::Func: return "func";
    case Sort::Value: return "value";
    case Sort::Type: return "type";
    case Sort::Component: return "component";
    case Sort::Instance: return "instance";
    case Sort::Core: break;
  }
  return "?";
}

const char* prim_type_name(PrimType p) {
  switch (p) {
    case PrimType::Bool: return "bool";
    case PrimType::S8: return "s8";
    case PrimType::U8: return "u8";
    case PrimType::S16: return "s16";
    case PrimType::U16: return "u16";
    case PrimType::S32: return "s32";
    case PrimType::U32: return "u32";
    case PrimType::S64: return "s64";
    case PrimType::U64: return "u64";
    case PrimType::F32: return "f32";
    case PrimType::F64: return "f64";
    case PrimType::Char: return "char";
    case PrimType::String: return "string";
  }
  return "?";
}

const char* extern_kind_name(ExternKind k) {
  switch (k) {
    case ExternKind::Module: return "core module";
    case ExternKind::Func: return "func";
    case ExternKind::Value: return "value";
    case ExternKind::Type: return "type";
    case ExternKind::Component: return "component";
    case ExternKind::Instance: return "instance";
  }
  return "?";
}

const char* string_encoding_name(StringEncoding e) {
  switch (e) {
    case StringEncoding::Utf8: return "utf8";
    case StringEncoding::Utf16: return "utf16";
    case StringEncoding::Latin1Utf16: return "latin1+utf16";
  }
  return "?";
}

}  // namespace compoly
