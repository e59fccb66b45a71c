#include "binary/component_decoder.h"

#include <cstring>
#include <string>

#include "binary/core_module.h"
#include "binary/reader.h"
#include "model/text.h"

namespace compoly {
namespace {

// Nesting of components and of type declarators is bounded so that a
// crafted input cannot exhaust the native stack.
constexpr int kMaxDepth = 64;

// Canon built-ins added after WASI 0.2 (Binary.md: 🔀 async, 📝 error-context,
// 🧵 threads), by opcode, so that a newer component is rejected with a name
// the user can look up rather than a number. nullptr: not a known built-in.
struct CanonName {
  const char* name;
  const char* feature;
};

CanonName post_mvp_canon_name(uint8_t k) {
#ifdef COMPOLY_LEAN
  // Only messages use the names, and the lean core has none (model/text.h).
  (void)k;
  return {nullptr, nullptr};
#else
  switch (k) {
    case 0x05: return {"task.cancel", "async"};
    case 0x06: return {"subtask.cancel", "async"};
    case 0x07: return {"resource.drop async", "async"};
    case 0x08: return {"backpressure.set", "async"};
    case 0x09: return {"task.return", "async"};
    case 0x0a: return {"context.get", "async"};
    case 0x0b: return {"context.set", "async"};
    case 0x0c: return {"thread.yield", "async"};
    case 0x0d: return {"subtask.drop", "async"};
    case 0x0e: return {"stream.new", "async"};
    case 0x0f: return {"stream.read", "async"};
    case 0x10: return {"stream.write", "async"};
    case 0x11: return {"stream.cancel-read", "async"};
    case 0x12: return {"stream.cancel-write", "async"};
    case 0x13: return {"stream.drop-readable", "async"};
    case 0x14: return {"stream.drop-writable", "async"};
    case 0x15: return {"future.new", "async"};
    case 0x16: return {"future.read", "async"};
    case 0x17: return {"future.write", "async"};
    case 0x18: return {"future.cancel-read", "async"};
    case 0x19: return {"future.cancel-write", "async"};
    case 0x1a: return {"future.drop-readable", "async"};
    case 0x1b: return {"future.drop-writable", "async"};
    case 0x1c: return {"error-context.new", "error-context"};
    case 0x1d: return {"error-context.debug-message", "error-context"};
    case 0x1e: return {"error-context.drop", "error-context"};
    case 0x1f: return {"waitable-set.new", "async"};
    case 0x20: return {"waitable-set.wait", "async"};
    case 0x21: return {"waitable-set.poll", "async"};
    case 0x22: return {"waitable-set.drop", "async"};
    case 0x23: return {"waitable.join", "async"};
    case 0x24: return {"backpressure.inc", "async"};
    case 0x25: return {"backpressure.dec", "async"};
    case 0x26: return {"thread.index", "threads"};
    case 0x27: return {"thread.new-indirect", "threads"};
    case 0x28: return {"thread.resume-later", "threads"};
    case 0x29: return {"thread.suspend", "threads"};
    case 0x2a: return {"thread.suspend-then-resume", "threads"};
    case 0x2b: return {"thread.yield-then-resume", "threads"};
    case 0x2c: return {"thread.suspend-then-promote", "threads"};
    case 0x2d: return {"thread.yield-then-promote", "threads"};
    case 0x40: return {"thread.spawn-ref", "shared-everything threads"};
    case 0x41: return {"thread.spawn-indirect", "shared-everything threads"};
    case 0x42: return {"thread.available-parallelism", "shared-everything threads"};
    default: return {nullptr, nullptr};
  }
#endif
}

// Type forms added after WASI 0.2, by opcode: the message that rejects each by name, or nullptr.
const char* post_mvp_type_form(uint8_t code) {
#ifdef COMPOLY_LEAN
  // Only messages use them, and the lean core has none (model/text.h).
  (void)code;
  return nullptr;
#else
  switch (code) {
    case 0x67: return "fixed-length lists are beyond WASI 0.2 and not supported";
    case 0x66: return "the stream type is beyond WASI 0.2 (async) and not supported";
    case 0x65: return "the future type is beyond WASI 0.2 (async) and not supported";
    case 0x64: return "the error-context type is beyond WASI 0.2 and not supported";
    case 0x63: return "the map type is beyond WASI 0.2 and not supported";
    case 0x43: return "async function types are beyond WASI 0.2 and not supported";
    case 0x3e: return "async resource destructors are beyond WASI 0.2 and not supported";
    default: return nullptr;
  }
#endif
}

// Where an item starts, which the validator's messages give. The lean core has no messages, so
// its tree keeps offsets 0 rather than work them out.
void mark(size_t& offset, const Reader& r) {
#ifdef COMPOLY_LEAN
  (void)offset;
  (void)r;
#else
  offset = r.offset();
#endif
}

class Decoder {
 public:
  explicit Decoder(Error& error) : error_(error) {}

  // `path`: where the component is, for messages.
  std::unique_ptr<Component> decode(Reader& r, const MessageText& path, int depth);

 private:
  // A section of definitions: a count of `what`, then that many items, each read by `item`.
  using ItemReader = void (Decoder::*)(Reader& r, Component& c);
  void items(Reader& r, Component& c, const char* what, ItemReader item);
  // One item of each section, read into a new element at the end of its vector.
  void core_instance(Reader& r, Component& c);
  void core_type_item(Reader& r, Component& c);
  void instance(Reader& r, Component& c);
  void alias_item(Reader& r, Component& c);
  void type_item(Reader& r, Component& c);
  void canon(Reader& r, Component& c);
  void import(Reader& r, Component& c);
  void export_(Reader& r, Component& c);
  void custom(Reader& r, Component& c);

  // Productions.
  CoreSort core_sort(Reader& r);
  SortRef sort(Reader& r);
  void alias(Reader& r, AliasDef& a);
  void core_type(Reader& r, CoreTypeDef& out, int depth);
  void core_module_decl(Reader& r, CoreModuleDecl& out, int depth);
  // A core import's or export's kind and type (its func type index for a func or tag).
  void core_extern(Reader& r, CoreModuleDecl& d);
  void type(Reader& r, TypeDef& out, int depth);
  void decls(Reader& r, ObjectVector<Decl>& out, bool component_type, int depth);
  ValTypeRef valtype(Reader& r);
  // A count of `what`, then that many labels, each with a value type: record fields, parameters.
  void labeled_types(Reader& r, PodVector<LabeledType>& out, const char* what);
  std::optional<ValTypeRef> optional_valtype(Reader& r);
  // A flag byte, `what`, that says whether something follows: 0x01 yes, 0x00 no, else a failure
  // (`pattern`, with the byte).
  bool present(Reader& r, const char* what, const char* pattern);
  ExternDesc extern_desc(Reader& r);
  std::string_view extern_name(Reader& r);
  std::string_view label(Reader& r);
  void canon_options(Reader& r, CanonOptions& o);
  uint32_t count(Reader& r, const char* what);

  // Remembers where the current item lives so that a failure can be
  // reported with its section path (or, with kind nullptr, that it is in no item). Only
  // messages say where: the lean core remembers nothing.
  void enter(const char* kind, size_t index = 0) {
#ifdef COMPOLY_LEAN
    (void)kind;
    (void)index;
#else
    item_kind_ = kind;
    item_index_ = index;
#endif
  }
  // A new item of `kind`, `what` in messages, at the end of `defs` and of the definition order.
  // Added before it is read: a failure discards the whole component, so a half-read item is
  // never seen.
  template <typename Defs>
  auto& add(Component& c, Definition::Kind kind, const char* what, Defs& defs) {
    start_item(c, kind, what, defs.size());
    return defs.emplace_back();
  }
  // What add() does whatever the kind: out of line, so not written again for each.
  void start_item(Component& c, Definition::Kind kind, const char* what, size_t index);
  void fail_with_path(const Reader& r, const MessageText& path) {
#ifdef COMPOLY_LEAN
    // A lean failure reports nothing but itself (model/text.h): the error keeps no text.
    (void)r;
    (void)path;
#else
    if (error_.message.empty()) {
      error_.phase = Phase::Decode;
      error_.path = item_kind_ ? item_path(path, item_kind_, item_index_) : path;
      error_.offset = r.error_offset();
      error_.message = r.error();
    }
#endif
  }

  [[maybe_unused]] Error& error_;  // the lean core records no error (fail_with_path)
#ifndef COMPOLY_LEAN
  const char* item_kind_ = nullptr;
  size_t item_index_ = 0;
#endif
};

void Decoder::start_item(Component& c, Definition::Kind kind, const char* what, size_t index) {
  enter(what, index);
  c.order.push_back({kind, uint32_t(index)});
}

uint32_t Decoder::count(Reader& r, const char* what) {
  size_t at = r.offset();
  uint32_t n = r.u32(what);
  // Every element takes at least one byte, so a larger count is malformed;
  // checking here keeps a crafted count from driving a huge allocation.
  if (r.ok() && n > r.remaining())
    r.fail_at(at, "{} count {} exceeds the remaining {} bytes", {what, n, r.remaining()});
  return r.ok() ? n : 0;
}

CoreSort Decoder::core_sort(Reader& r) {
  size_t at = r.offset();
  uint8_t b = r.u8("core sort");
  switch (b) {
    case 0x00: case 0x01: case 0x02: case 0x03: case 0x04:
    case 0x10: case 0x11: case 0x12:
      return CoreSort(b);
    case 0x20:
      r.fail_at(at, "core sort 0x20 (an exact func, from the custom descriptors proposal) is not supported");
      return CoreSort::Func;
    default:
      r.fail_hex(at, "unknown core sort {}", b);
      return CoreSort::Func;
  }
}

SortRef Decoder::sort(Reader& r) {
  size_t at = r.offset();
  uint8_t b = r.u8("sort");
  SortRef s;
  switch (b) {
    case 0x00:
      s.sort = Sort::Core;
      s.core = core_sort(r);
      return s;
    case 0x01: case 0x03: case 0x04: case 0x05:
      s.sort = Sort(b);
      return s;
    case 0x02:
      r.fail_at(at, "value definitions (sort 0x02) are not part of WASI 0.2 and not supported");
      return s;
    default:
      r.fail_hex(at, "unknown sort {}", b);
      return s;
  }
}

std::string_view Decoder::extern_name(Reader& r) {
  size_t at = r.offset();
  uint8_t tag = r.u8("name kind");
  // 0x01 is the pre-2023 discriminator of interface names (now told apart by
  // their syntax); older encoders still emit it, so it reads like 0x00.
  if (tag == 0x02) {
    // Names with attributes (implements, versionsuffix, external-id) came
    // after WASI 0.2; wasmtime only reads them behind its
    // component-model-implements feature. Rejected rather than read and
    // dropped, since their validation rules are not checked here.
    r.fail_at(at, "import/export names with attributes (0x02: implements, versionsuffix, external-id) are beyond WASI 0.2 and not supported");
    return {};
  }
  if (tag != 0x00 && tag != 0x01) {
    r.fail_hex(at, "unknown import/export name form {} (expected 0x00 or 0x01)", tag);
    return {};
  }
  return r.name("import/export name");
}

std::string_view Decoder::label(Reader& r) { return r.name("label"); }

void Decoder::core_extern(Reader& r, CoreModuleDecl& d) {
  size_t at = r.offset();
  uint8_t k = r.u8("core extern kind");
  if (k == 0x20) {
    r.fail_at(at, "an exact func (core extern kind 0x20, from the custom descriptors proposal) is not supported");
    return;
  }
  if (k > 0x04) {
    r.fail_hex(at, "unknown core extern kind {}", k);
    return;
  }
  d.extern_kind = d.type.kind = CoreExternKind(k);
  switch (d.extern_kind) {
    case CoreExternKind::Func:
      d.func_type_index = r.u32("core type index");
      break;
    case CoreExternKind::Table:
      d.type.table = read_core_table_type(r);
      break;
    case CoreExternKind::Memory:
      d.type.memory.limits = read_limits(r, true);
      break;
    case CoreExternKind::Global:
      d.type.global = read_core_global_type(r);
      break;
    case CoreExternKind::Tag: {
      size_t tag_at = r.offset();
      if (r.u8("tag attribute") != 0) r.fail_at(tag_at, "invalid tag attribute");
      d.func_type_index = r.u32("core type index");
      break;
    }
  }
}

void Decoder::core_module_decl(Reader& r, CoreModuleDecl& d, int depth) {
  mark(d.offset, r);
  uint8_t kind = r.u8("module type declarator");
  switch (kind) {
    case 0x00:
    case 0x03:  // an import has a module name and a name, an export a name
      d.kind = CoreModuleDecl::Kind(kind);  // numbered as the opcodes
      if (kind == 0x00) d.module = r.name("core import module");
      d.name = r.name(kind == 0x00 ? "core import name" : "core export name");
      core_extern(r, d);
      break;
    case 0x01:
      d.kind = CoreModuleDecl::Type;
      d.type_def = std::make_unique<CoreTypeDef>();
      core_type(r, *d.type_def, depth + 1);
      if (r.ok() && d.type_def->kind == CoreTypeDef::Module)
        r.fail_at(d.offset, "a module type may not define a module type");
      break;
    case 0x02: {
      d.kind = CoreModuleDecl::Alias;
      size_t at = r.offset();
      uint8_t s = r.u8("core alias sort");
      uint8_t t = r.u8("core alias target");
      if (s != 0x10 || t != 0x01) {
        r.fail_at(at, "module type aliases must be outer aliases of core types (0x10 0x01)");
        return;
      }
      d.outer_count = r.u32("outer count");
      d.outer_index = r.u32("outer index");
      break;
    }
    default:
      r.fail_hex(d.offset, "unknown module type declarator {}", kind);
  }
}

void Decoder::core_type(Reader& r, CoreTypeDef& t, int depth) {
  mark(t.offset, r);
  if (depth > kMaxDepth) {
    r.fail("type nesting deeper than {}", {kMaxDepth});
    return;
  }
  uint8_t form = r.u8("core type form");
  if (form == 0x00 || form == 0x4f) {
    // A core:subtype: 0x00 0x50 (non-final; the 0x00 keeps it apart from
    // 0x50, a module type) or 0x4f (final), then supertypes and a comptype.
    // Without supertypes around a func type it is that plain func type; GC
    // proper (supertypes, struct, array) stays unsupported.
    size_t at = r.offset();
    if (form == 0x00) {
      uint8_t sub = r.u8("core subtype");
      if (r.ok() && sub != 0x50) {
        r.fail_hex(at, "expected 0x50 (sub) after the 0x00 core type prefix, found {}", sub);
        return;
      }
    }
    size_t supers_at = r.offset();
    uint32_t supers = r.u32("core supertype count");
    if (r.ok() && supers != 0) {
      r.fail_at(supers_at, "core GC types (a sub type with supertypes) are not supported");
      return;
    }
    size_t comp_at = r.offset();
    if (r.ok() && !r.at_end() && r.peek() != 0x60) {
      r.fail_hex(comp_at,
                 "core GC types (rec/sub/struct/array) are not supported: a core sub type here must "
                 "wrap a func type, found form {}",
                 r.peek());
      return;
    }
    r.u8("core type form");
    form = 0x60;
  }
  if (form == 0x60) {
    t.kind = CoreTypeDef::Func;
    for (int results = 0; results < 2; ++results) {  // params, then results: one loop for both
      auto& list = results ? t.func.results : t.func.params;
      uint32_t n = count(r, results ? "core result" : "core param");
      for (uint32_t i = 0; i < n && r.ok(); ++i) list.push_back(read_core_valtype(r));
    }
  } else if (form == 0x50) {
    t.kind = CoreTypeDef::Module;
    uint32_t n = count(r, "module type declarator");
    for (uint32_t i = 0; i < n && r.ok(); ++i) {
      t.module.emplace_back();
      core_module_decl(r, t.module.back(), depth);
    }
  } else if (form == 0x4e || form == 0x5f || form == 0x5e) {
    r.fail_at(t.offset, "core GC types (rec/sub/struct/array) are not supported");
  } else {
    if (form == 0x65)
      r.fail_at(t.offset, "a shared core type (0x65) needs shared-everything threads, which compoly does not support");
    else
      r.fail_hex(t.offset, "unknown core type form {}", form);
  }
}

ValTypeRef Decoder::valtype(Reader& r) {
  ValTypeRef v;
  mark(v.offset, r);
  const uint8_t* start = r.pos();
  int64_t x = r.s33("value type");
  if (!r.ok()) return v;
  if (x >= 0) {
    v.is_prim = false;
    v.index = uint32_t(x);
    if (x > 0xffffffffLL) r.fail_at(v.offset, "type index out of range");
    return v;
  }
  // A primitive type is one byte (a negative s33 from -64); a longer encoding of a negative
  // number is no primitive code, as in wasm-tools, which reads one only from the first byte.
  if (r.pos() - start != 1) {
    r.fail_at(v.offset,
              "value type {} is neither a primitive type nor a type index (a negative number in more than one byte)",
              {x});
    return v;
  }
  uint8_t code = uint8_t(x & 0x7f);
  if (code >= 0x73 && code <= 0x7f) {
    v.prim = PrimType(code);
  } else if (code == 0x64) {
    r.fail_at(v.offset, "the error-context type is beyond WASI 0.2 and not supported");
  } else {
    r.fail_hex(v.offset, "value type {} is not a primitive type or type index", code);
  }
  return v;
}

void Decoder::labeled_types(Reader& r, PodVector<LabeledType>& out, const char* what) {
  uint32_t n = count(r, what);
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    LabeledType f;
    f.label = label(r);
    f.type = valtype(r);
    out.push_back(f);
  }
}

bool Decoder::present(Reader& r, const char* what, const char* pattern) {
  size_t at = r.offset();
  uint8_t b = r.u8(what);
  if (b > 0x01) r.fail_hex(at, pattern, b);
  return b == 0x01;
}

std::optional<ValTypeRef> Decoder::optional_valtype(Reader& r) {
  if (!present(r, "optional type flag", "expected 0x00 or 0x01 before an optional type, found {}")) return std::nullopt;
  return valtype(r);
}

ExternDesc Decoder::extern_desc(Reader& r) {
  ExternDesc d;
  size_t at = r.offset();
  uint8_t k = r.u8("extern kind");
  switch (k) {
    case 0x00: {
      uint8_t m = r.u8("core module sort");
      if (m != 0x11) r.fail_hex(at, "expected 0x11 (core module) after extern kind 0x00, found {}", m);
      d.kind = ExternKind::Module;
      d.index = r.u32("core type index");
      break;
    }
    case 0x01: case 0x04: case 0x05:
      d.kind = ExternKind(k);
      d.index = r.u32("type index");
      break;
    case 0x02:
      r.fail_at(at, "value imports and exports are not part of WASI 0.2 and not supported");
      break;
    case 0x03: {
      d.kind = ExternKind::Type;
      size_t bat = r.offset();
      uint8_t bound = r.u8("type bound");
      if (bound == 0x00) {
        d.index = r.u32("type index");
      } else if (bound == 0x01) {
        d.sub_resource = true;
      } else {
        r.fail_hex(bat, "unknown type bound {}", bound);
      }
      break;
    }
    default:
      r.fail_hex(at, "unknown extern kind {}", k);
  }
  return d;
}

void Decoder::alias(Reader& r, AliasDef& a) {
  mark(a.offset, r);
  a.sort = sort(r);
  size_t at = r.offset();
  uint8_t target = r.u8("alias target");
  switch (target) {
    case 0x00:
      a.target = AliasDef::InstanceExport;
      a.instance = r.u32("instance index");
      a.name = r.name("export name");
      break;
    case 0x01:
      a.target = AliasDef::CoreInstanceExport;
      a.instance = r.u32("core instance index");
      a.name = r.name("core export name");
      break;
    case 0x02:
      a.target = AliasDef::Outer;
      a.outer_count = r.u32("outer count");
      a.outer_index = r.u32("outer index");
      break;
    default:
      r.fail_hex(at, "unknown alias target {}", target);
  }
}

void Decoder::decls(Reader& r, ObjectVector<Decl>& out, bool component_type, int depth) {
  uint32_t n = count(r, "declarator");
  // Room for the declarators up front, so that reading them does not move the
  // (large) ones already read; capped, since the count comes from the input.
  out.reserve(n < 1024 ? n : 1024);
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    Decl& d = out.emplace_back();
    mark(d.offset, r);
    uint8_t k = r.u8("declarator kind");
    switch (k) {
      case 0x00:
        d.kind = Decl::CoreType;
        d.core_type = std::make_unique<CoreTypeDef>();
        core_type(r, *d.core_type, depth + 1);
        break;
      case 0x01:
        d.kind = Decl::Type;
        d.type = std::make_unique<TypeDef>();
        type(r, *d.type, depth + 1);
        break;
      case 0x02:
        d.kind = Decl::Alias;
        alias(r, d.alias);
        break;
      case 0x03:
        if (!component_type) {
          r.fail_at(d.offset, "instance types may not contain imports");
          break;
        }
        [[fallthrough]];
      case 0x04:
        d.kind = Decl::Kind(k);  // Import and Export are numbered as their opcodes
        d.name = extern_name(r);
        d.desc = extern_desc(r);
        break;
      default:
        r.fail_hex(d.offset, "unknown declarator kind {}", k);
    }
  }
}

void Decoder::type(Reader& r, TypeDef& t, int depth) {
  mark(t.offset, r);
  if (depth > kMaxDepth) {
    r.fail("type nesting deeper than {}", {kMaxDepth});
    return;
  }
  // A single opcode byte: the resource form 0x3f would read as a positive
  // (index-like) s33, so this is not decoded as a valtype.
  uint8_t code = r.u8("type form");
  if (!r.ok()) return;
  DefValTypeDef& v = t.val;
  t.kind = TypeDef::DefVal;
  switch (code) {
    case 0x7f: case 0x7e: case 0x7d: case 0x7c: case 0x7b: case 0x7a: case 0x79:
    case 0x78: case 0x77: case 0x76: case 0x75: case 0x74: case 0x73:
      v.kind = DefKind::Prim;
      v.prim = PrimType(code);
      break;
    case 0x72:
      v.kind = DefKind::Record;
      labeled_types(r, v.fields, "record field");
      break;
    case 0x71: {
      v.kind = DefKind::Variant;
      uint32_t n = count(r, "variant case");
      for (uint32_t i = 0; i < n && r.ok(); ++i) {
        CaseDef c;
        c.label = label(r);
        c.type = optional_valtype(r);
        size_t at = r.offset();
        uint8_t refines = r.u8("variant case terminator");
        if (refines != 0x00)
          r.fail_hex(at, "variant case 'refines' is not supported (expected 0x00, found {})", refines);
        v.cases.push_back(c);
      }
      break;
    }
    case 0x70: case 0x6b:  // list, option
      v.kind = DefKind(code);
      v.elements.push_back(valtype(r));
      break;
    case 0x6f: {
      v.kind = DefKind::Tuple;
      uint32_t n = count(r, "tuple element");
      for (uint32_t i = 0; i < n && r.ok(); ++i) v.elements.push_back(valtype(r));
      break;
    }
    case 0x6e: case 0x6d: {
      v.kind = DefKind(code);
      uint32_t n = count(r, code == 0x6e ? "flag" : "enum case");
      for (uint32_t i = 0; i < n && r.ok(); ++i) v.labels.push_back(label(r));
      break;
    }
    case 0x6a:
      v.kind = DefKind::Result;
      v.ok = optional_valtype(r);
      v.err = optional_valtype(r);
      break;
    case 0x69: case 0x68:
      v.kind = DefKind(code);
      v.resource = r.u32("resource type index");
      break;
    case 0x40: {
      t.kind = TypeDef::Func;
      labeled_types(r, t.func.params, "parameter");
      size_t at = r.offset();
      uint8_t form = r.u8("result list");
      if (form == 0x00) {
        t.func.result = valtype(r);
      } else if (form == 0x01) {
        size_t zat = r.offset();
        uint32_t named = r.u32("named result count");
        if (named != 0)
          r.fail_at(zat, "named results were removed from the component model; expected 0x01 0x00 for no result");
      } else {
        r.fail_hex(at, "unknown result list form {}", form);
      }
      break;
    }
    case 0x41:
      t.kind = TypeDef::Component;
      decls(r, t.decls, true, depth);
      break;
    case 0x42:
      t.kind = TypeDef::Instance;
      decls(r, t.decls, false, depth);
      break;
    case 0x3f:
      t.kind = TypeDef::Resource;
      t.resource.rep = read_core_valtype(r);
      if (r.ok() && present(r, "resource destructor flag",
                            "expected 0x00 or 0x01 before a resource destructor, found {}"))
        t.resource.dtor = r.u32("destructor core func index");
      break;
    default:
      if (const char* beyond = post_mvp_type_form(code))
        r.fail_at(t.offset, beyond);
      else
        r.fail_hex(t.offset, "unknown type form {}", code);
  }
}

void Decoder::canon_options(Reader& r, CanonOptions& o) {
  mark(o.offset, r);
  uint32_t n = count(r, "canon option");
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    size_t at = r.offset();
    uint8_t k = r.u8("canon option");
    auto once = [&](bool present, const char* what) {
      if (present) r.fail_at(at, "duplicate or conflicting canon option: {}", {what});
    };
    switch (k) {
      case 0x00: case 0x01: case 0x02:
        once(o.encoding.has_value(), "string-encoding");
        o.encoding = StringEncoding(k);
        break;
      case 0x03:
        once(o.memory.has_value(), "memory");
        o.memory = r.u32("memory index");
        break;
      case 0x04:
        once(o.realloc.has_value(), "realloc");
        o.realloc = r.u32("realloc func index");
        break;
      case 0x05:
        once(o.post_return.has_value(), "post-return");
        o.post_return = r.u32("post-return func index");
        break;
      case 0x06:
        r.fail_at(at, "the async canon option is beyond WASI 0.2 and not supported");
        break;
      case 0x07:
        r.fail_at(at, "the callback canon option is beyond WASI 0.2 (async) and not supported");
        break;
      default:
        if (k == 0x08 || k == 0x09)
          r.fail_at(at, "the canon option {} ({}) is wasm-tools' GC canonical ABI, beyond WASI 0.2 and not supported",
                    {hex(k), (k == 0x08 ? "core-type" : "gc")});
        else
          r.fail_hex(at, "unknown canon option {}", k);
    }
  }
}

void Decoder::items(Reader& r, Component& c, const char* what, ItemReader item) {
  uint32_t n = count(r, what);
  for (uint32_t i = 0; i < n && r.ok(); ++i) (this->*item)(r, c);
}

void Decoder::canon(Reader& r, Component& c) {
  CanonDef& d = add(c, Definition::Canon, "canon", c.canons);
  mark(d.offset, r);
  uint8_t k = r.u8("canon kind");
  switch (k) {
    case 0x00: case 0x01: {  // lift (of a core func, then a func type) and lower (of a func)
      bool lift = k == 0x00;
      size_t at = r.offset();
      if (r.u8(lift ? "core func sort" : "func sort") != 0x00)
        r.fail_at(at, lift ? "expected 0x00 (core func) after canon lift" : "expected 0x00 (func) after canon lower");
      d.kind = CanonDef::Kind(k);  // the kinds are numbered as their opcodes
      d.func = r.u32(lift ? "core func index" : "func index");
      canon_options(r, d.options);
      if (lift) d.type = r.u32("func type index");
      break;
    }
    case 0x02: case 0x03: case 0x04:
      d.kind = CanonDef::Kind(k);
      d.type = r.u32("resource type index");
      break;
    default: {
      CanonName b = post_mvp_canon_name(k);
      if (b.name)
        r.fail_at(d.offset, "canon {} ({}, {}) is beyond WASI 0.2 and not supported", {b.name, hex(k), b.feature});
      else
        r.fail_hex(d.offset, "unknown canon kind {}", k);
    }
  }
}

void Decoder::core_instance(Reader& r, Component& c) {
  CoreInstanceDef& d = add(c, Definition::CoreInstance, "core instance", c.core_instances);
  mark(d.offset, r);
  uint8_t k = r.u8("core instance kind");
  if (k == 0x00) {
    d.kind = CoreInstanceDef::Instantiate;
    d.module = r.u32("module index");
    uint32_t na = count(r, "instantiate argument");
    for (uint32_t j = 0; j < na && r.ok(); ++j) {
      CoreInstantiateArg a;
      a.name = r.name("argument name");
      size_t at = r.offset();
      uint8_t s = r.u8("argument sort");
      if (s != 0x12) r.fail_hex(at, "core instantiate arguments must be core instances (0x12), found {}", s);
      a.instance = r.u32("core instance index");
      d.args.push_back(a);
    }
  } else if (k == 0x01) {
    d.kind = CoreInstanceDef::FromExports;
    uint32_t ne = count(r, "inline export");
    for (uint32_t j = 0; j < ne && r.ok(); ++j) {
      CoreInlineExport e;
      e.name = r.name("export name");
      e.sort = core_sort(r);
      e.index = r.u32("index");
      d.exports.push_back(e);
    }
  } else {
    r.fail_hex(d.offset, "unknown core instance kind {}", k);
  }
}

void Decoder::core_type_item(Reader& r, Component& c) {
  core_type(r, add(c, Definition::CoreType, "core type", c.core_types), 0);
}

void Decoder::instance(Reader& r, Component& c) {
  InstanceDef& d = add(c, Definition::Instance, "instance", c.instances);
  mark(d.offset, r);
  uint8_t k = r.u8("instance kind");
  if (k == 0x00) {
    d.kind = InstanceDef::Instantiate;
    d.component = r.u32("component index");
    uint32_t na = count(r, "instantiate argument");
    for (uint32_t j = 0; j < na && r.ok(); ++j) {
      InstantiateArg a;
      a.name = r.name("argument name");
      a.item.sort = sort(r);
      a.item.index = r.u32("index");
      d.args.push_back(a);
    }
  } else if (k == 0x01) {
    d.kind = InstanceDef::FromExports;
    uint32_t ne = count(r, "inline export");
    for (uint32_t j = 0; j < ne && r.ok(); ++j) {
      InlineExport e;
      e.name = extern_name(r);
      e.item.sort = sort(r);
      e.item.index = r.u32("index");
      d.exports.push_back(e);
    }
  } else {
    r.fail_hex(d.offset, "unknown instance kind {}", k);
  }
}

void Decoder::alias_item(Reader& r, Component& c) {
  alias(r, add(c, Definition::Alias, "alias", c.aliases));
}

void Decoder::type_item(Reader& r, Component& c) {
  type(r, add(c, Definition::Type, "type", c.types), 0);
}

void Decoder::import(Reader& r, Component& c) {
  ImportDef& d = add(c, Definition::Import, "import", c.imports);
  mark(d.offset, r);
  d.name = extern_name(r);
  d.desc = extern_desc(r);
}

void Decoder::export_(Reader& r, Component& c) {
  ExportDef& d = add(c, Definition::Export, "export", c.exports);
  mark(d.offset, r);
  d.name = extern_name(r);
  d.item.sort = sort(r);
  d.item.index = r.u32("index");
  if (present(r, "export type flag", "expected 0x00 or 0x01 before an export's type, found {}"))
    d.desc = extern_desc(r);
}

void Decoder::custom(Reader& r, Component& c) {
  // The section's name must be well-formed (a length within the section,
  // valid UTF-8); a failure here fails the component. Its content is
  // another matter, below.
  std::string_view name = r.name("custom section name");
  if (!r.ok()) return;
  if (name.size() != 14 || std::memcmp(name.data(), "component-name", 14) != 0) {
    r.skip(r.remaining());
    return;
  }
  // The name section is advisory: a malformed one is ignored, never an
  // error (Binary.md, "Name Section").
  Reader names = r.sub(r.remaining(), "component-name");
  while (names.ok() && !names.at_end()) {
    uint8_t id = names.u8();
    uint32_t size = names.u32();
    Reader sub = names.sub(size, "name subsection");
    if (!names.ok()) return;
    if (id == 0) {
      std::string_view n = sub.name();
      if (sub.ok()) c.name = n;
    }
  }
}

std::unique_ptr<Component> Decoder::decode(Reader& r, const MessageText& path, int depth) {
  auto c = std::make_unique<Component>();
  c->offset = r.offset();
  c->size = r.remaining();
  enter(nullptr);

  std::string_view magic = r.bytes(4, "preamble");
  if (r.ok() && std::memcmp(magic.data(), "\0asm", 4) != 0) {
    r.fail_at(c->offset, "not a WebAssembly binary (bad magic number)");
  }
  size_t vat = r.offset();
  uint16_t version = r.u8("version");
  version |= uint16_t(r.u8("version")) << 8;
  uint16_t layer = r.u8("layer");
  layer |= uint16_t(r.u8("layer")) << 8;
  if (r.ok()) {
    if (layer == 0) {
      r.fail_at(vat, "this is a core WebAssembly module, not a component (layer 0)");
    } else if (layer != 1) {
      r.fail_at(vat + 2, "unknown layer {} (expected 1, a component)", {layer});
    } else if (version != 0x0d) {
      r.fail_hex(vat, "unsupported component binary version {} (expected 0x0d)", version);
    }
  }

  // Every failure, in the preamble or a section, leaves this loop and is reported below,
  // placed in the item being read when it failed (item_kind_), if any.
  while (r.ok() && !r.at_end()) {
    enter(nullptr);
    size_t section_at = r.offset();
    uint8_t id = r.u8("section id");
    uint32_t size = r.u32("section size");
    Reader body = r.sub(size, "section body");
    if (!r.ok()) break;
    switch (id) {
      case 0: custom(body, *c); break;  // only a malformed section name fails the component
      case 1: {
        enter("core module", c->modules.size());
        CoreModuleDef m;
        m.offset = body.offset();
        m.size = size;
        scan_core_module(body, m.info);
        if (body.ok()) {
          c->order.push_back({Definition::CoreModule, uint32_t(c->modules.size())});
          c->modules.push_back(std::move(m));
        }
        break;
      }
      case 2: items(body, *c, "core instance", &Decoder::core_instance); break;
      case 3: items(body, *c, "core type", &Decoder::core_type_item); break;
      case 4: {
        if (depth >= kMaxDepth) {
          body.fail_at(section_at, "components nested deeper than {}", {kMaxDepth});
          break;
        }
        MessageText inner_path = item_path(path, "component", c->components.size());
        auto inner = decode(body, inner_path, depth + 1);
        enter(nullptr);
        if (!inner) return nullptr;  // error already recorded with its own path
        c->order.push_back({Definition::Component, uint32_t(c->components.size())});
        c->components.push_back(std::move(inner));
        break;
      }
      case 5: items(body, *c, "instance", &Decoder::instance); break;
      case 6: items(body, *c, "alias", &Decoder::alias_item); break;
      case 7: items(body, *c, "type", &Decoder::type_item); break;
      case 8: items(body, *c, "canon", &Decoder::canon); break;
      case 9:
        body.fail_at(section_at, "the start section (value-based start functions) is not part of WASI 0.2 and not supported");
        break;
      case 10: items(body, *c, "import", &Decoder::import); break;
      case 11: items(body, *c, "export", &Decoder::export_); break;
      case 12:
        body.fail_at(section_at, "the value section is not part of WASI 0.2 and not supported");
        break;
      default:
        body.fail_at(section_at, "unknown section id {}", {id});
    }
    if (body.ok() && !body.at_end()) {
      enter(nullptr);
      body.fail("section {} has {} unread bytes at its end (its size says more than its contents)",
                {id, body.remaining()});
    }
    r.absorb(body);
  }
  if (!r.ok()) {
    fail_with_path(r, path);
    return nullptr;
  }
  return c;
}

}  // namespace

bool looks_like_component(const uint8_t* data, size_t size) {
  return size >= 8 && data[0] == 0 && data[1] == 'a' && data[2] == 's' && data[3] == 'm' && data[6] == 1 &&
         data[7] == 0;
}

std::unique_ptr<Component> decode_component(const uint8_t* data, size_t size, Error& error) {
  Reader r(data, size, 0);
  Decoder d(error);
  return d.decode(r, "component", 0);
}

}  // namespace compoly
