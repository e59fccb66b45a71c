#include "binary/core_module.h"

#include <cstring>
#include <string>
#include <utility>
#include "model/key_set.h"
#include "model/object_vector.h"
#include "model/pod_vector.h"
#include "model/text.h"

namespace compoly {

uint8_t read_heap_type(Reader& s);

namespace {

// The implementation limits of the WebAssembly JS API. Every browser rejects
// modules beyond them at compile time anyway, and applying them here keeps
// adversarial inputs from making us copy large function types into many
// imports and exports (each resolved extern type holds its own copy).
constexpr uint32_t kMaxTypes = 1000000;
constexpr uint32_t kMaxFunctions = 1000000;
constexpr uint32_t kMaxImports = 100000;
constexpr uint32_t kMaxExports = 100000;
constexpr uint32_t kMaxGlobals = 1000000;
constexpr uint32_t kMaxTables = 100000;
constexpr uint32_t kMaxParams = 1000;
constexpr uint32_t kMaxResults = 1000;

// Page counts past these cannot be addressed (core spec, memory types).
constexpr uint64_t kMaxMemory32Pages = uint64_t(1) << 16;
constexpr uint64_t kMaxMemory64Pages = uint64_t(1) << 48;

enum SectionId : uint8_t {
  kCustom = 0,
  kType = 1,
  kImport = 2,
  kFunction = 3,
  kTable = 4,
  kMemory = 5,
  kGlobal = 6,
  kExport = 7,
  kStart = 8,
  kElement = 9,
  kCode = 10,
  kData = 11,
  kDataCount = 12,
  kTag = 13,
};
constexpr uint8_t kLastSectionId = kTag;

const char* section_name(uint8_t id) {
  static const char* const names[] = {"custom", "type",  "import",  "function", "table",
                                      "memory", "global", "export", "start",    "element",
                                      "code",   "data",  "data count", "tag"};
  return id <= kLastSectionId ? names[id] : "unknown";
}

// Ids were assigned as proposals landed, so the required order is not the
// numeric one: tag sits between memory and global, data count before code.
int section_rank(uint8_t id) {
  static const int ranks[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6};
  return ranks[id];
}

// The abstract heap types are the single bytes 0x68..0x75. Each has a name and a shorthand
// value type: 0x6e is anyref, the bottom types' are null...ref (0x73 nullfuncref is
// (ref null nofunc)).
constexpr uint8_t kFirstHeapType = 0x68, kLastHeapType = 0x75;
struct HeapTypeNames {
  const char* name;
  const char* shorthand;
};
const HeapTypeNames kHeapTypes[] = {
    {"cont", "contref"},     {"exn", "exnref"},       {"array", "arrayref"},        {"struct", "structref"},
    {"i31", "i31ref"},       {"eq", "eqref"},         {"any", "anyref"},            {"extern", "externref"},
    {"func", "funcref"},     {"none", "nullref"},     {"noextern", "nullexternref"}, {"nofunc", "nullfuncref"},
    {"noexn", "nullexnref"}, {"nocont", "nullcontref"}};

bool is_heap_type(uint8_t code) { return code >= kFirstHeapType && code <= kLastHeapType; }
const char* heap_type_name(uint8_t code) { return kHeapTypes[code - kFirstHeapType].name; }

// The proposal a heap type beyond reference types comes from, for the error that rejects it.
const char* heap_type_feature(uint8_t code) { return code == 0x68 || code == 0x75 ? "stack switching" : "GC types"; }

// Fails on a value or heap type byte compoly does not know, naming the later proposal
// whose prefix it is, if any.
void fail_unknown_type(Reader& s, size_t at, uint8_t code, const char* what) {
  switch (code) {
    case 0x65:
      s.fail_at(at, "a shared type (0x65) needs shared-everything threads, which compoly does not support");
      break;
    case 0x62:
      s.fail_at(at, "an exact type (0x62) needs custom descriptors, which compoly does not support");
      break;
    default:
      s.fail_at(at, "unknown {} {}", {what, hex(code)});
  }
}

// A func type's text, for messages: none in the lean core (model/text.h).
#ifdef COMPOLY_LEAN
MessageText func_type_text(const CoreFuncType&) { return {}; }
#else
std::string func_type_text(const CoreFuncType& t) { return t.to_string(); }
#endif

bool is_ref_type(CoreValType t) {
  return t == CoreValType::FuncRef || t == CoreValType::ExternRef || t == CoreValType::ExnRef;
}

class ModuleScanner {
 public:
  ModuleScanner(Reader& r, CoreModuleInfo& out) : r_(r), out_(out) {}

  bool scan();

 private:
  bool read_preamble();
  void read_section(uint8_t id, Reader& s);

  void type_section(Reader& s);
  void import_section(Reader& s);
  void function_section(Reader& s);
  void table_section(Reader& s);
  void memory_section(Reader& s);
  void tag_section(Reader& s);
  void global_section(Reader& s);
  void export_section(Reader& s);
  void start_section(Reader& s);
  void code_section(Reader& s);
  void data_section(Reader& s);
  void data_count_section(Reader& s);
  void custom_section(Reader& s);

  uint32_t read_count(Reader& s, const char* what, uint32_t limit);
  void read_func_type(Reader& s, CoreFuncType& out);
  uint32_t read_type_index(Reader& s);
  uint32_t read_tag_type(Reader& s);
  void skip_const_expr(Reader& s);
  void resolve_export(Reader& s, size_t at, uint8_t kind, uint32_t index, CoreExternType& out);
  void check_function_count(Reader& s, size_t at, uint64_t defined);

#ifdef COMPOLY_LEAN
  MessageText context() const { return {}; }  // messages only, which the lean core has none of
#else
  std::string context() const;
#endif

  Reader& r_;
  CoreModuleInfo& out_;

  // The index spaces, imports first. Functions and tags keep a type index
  // rather than a copy of the type so that large modules stay cheap.
  ObjectVector<CoreFuncType> types_;
  PodVector<uint32_t> funcs_;
  PodVector<CoreTableType> tables_;
  PodVector<CoreMemoryType> memories_;
  PodVector<CoreGlobalType> globals_;
  PodVector<uint32_t> tags_;

  size_t imported_funcs_ = 0;
  uint32_t code_count_ = 0;
  bool has_data_count_ = false;
  uint32_t data_count_ = 0;
  uint32_t data_segments_ = 0;

  // Where we are, for error messages; only formatted when something fails.
#ifdef COMPOLY_LEAN
  // The lean core has no messages: what is assigned here is dropped, and with it the names.
  struct Unused {
    template <typename T>
    void operator=(T) {}
  };
  Unused section_, item_, index_;
#else
  const char* section_ = nullptr;
  const char* item_ = nullptr;
  uint32_t index_ = 0;
#endif
};

#ifndef COMPOLY_LEAN
std::string ModuleScanner::context() const {
  std::string c = "core module";
  if (section_) {
    c += ' ';
    c += section_;
    c += " section";
  }
  if (item_) {
    c += ", ";
    c += item_;
    c += ' ';
    c += std::to_string(index_);
  }
  return c;
}
#endif

bool ModuleScanner::read_preamble() {
  // Checked by hand rather than through the reader, whose generic
  // end-of-input message would hide that this is not wasm at all.
  size_t at = r_.offset();
  if (r_.remaining() < 4 || std::memcmp(r_.pos(), "\0asm", 4) != 0) {
    r_.fail_at(at, "core module: not a WebAssembly binary (bad magic bytes)");
    return false;
  }
  r_.skip(4);
  at = r_.offset();
  if (r_.remaining() < 4) {
    r_.fail_at(at, "core module: truncated preamble (missing version)");
    return false;
  }
  std::string_view version = r_.bytes(4, "version");
  if (std::memcmp(version.data(), "\x01\0\0\0", 4) == 0) return true;
  // A component's preamble shares the magic; only version and layer differ.
  if (uint8_t(version[2]) == 0x01 && uint8_t(version[3]) == 0x00) {
    r_.fail_at(at, "expected a core module, found a component");
  } else {
    unsigned long long v = uint8_t(version[0]) | uint8_t(version[1]) << 8 |
                           uint32_t(uint8_t(version[2])) << 16 | uint32_t(uint8_t(version[3])) << 24;
    r_.fail_at(at, "core module: unsupported version {}", {hex(v)});
  }
  return false;
}

bool ModuleScanner::scan() {
  if (!read_preamble()) return false;
  bool seen[kLastSectionId + 1] = {};
  uint8_t last_id = kCustom;
  while (r_.ok() && !r_.at_end()) {
    // The header goes through a scratch reader so that a bad size LEB is
    // reported with the same "core module" prefix as everything else. The lean
    // core has no prefix to add (model/text.h) and reads it in place.
    size_t at = r_.offset();
#ifdef COMPOLY_LEAN
    uint8_t id = r_.u8();
    uint32_t size = r_.u32();
    if (!r_.ok()) break;
#else
    Reader h(r_.pos(), r_.remaining(), at);
    uint8_t id = h.u8("section id");
    uint32_t size = h.u32("section size");
    if (!h.ok()) {
      r_.fail_at(h.error_offset(), "core module: section header: {}", {h.error()});
      break;
    }
    r_.skip(h.offset() - at);
#endif
    if (id > kLastSectionId) {
      r_.fail_at(at, "core module: unknown section id {}", {hex(id)});
      break;
    }
    if (size > r_.remaining()) {
      r_.fail_at(at, "core module: {} section size {} exceeds the {} remaining bytes",
                 {section_name(id), size, r_.remaining()});
      break;
    }
    if (id != kCustom) {
      if (seen[id]) {
        r_.fail_at(at, "core module: duplicate {} section", {section_name(id)});
        break;
      }
      if (last_id != kCustom && section_rank(id) < section_rank(last_id)) {
        r_.fail_at(at, "core module: {} section out of order (it must come before the {} section)",
                   {section_name(id), section_name(last_id)});
        break;
      }
      seen[id] = true;
      last_id = id;
    }
    Reader s = r_.sub(size, "section");
    section_ = section_name(id);
    item_ = nullptr;
    read_section(id, s);
    if (s.ok() && !s.at_end()) {
      item_ = nullptr;  // the leftovers belong to no item
      s.fail("{} unread bytes at the end of the section", {s.remaining()});
    }
    if (!s.ok()) r_.fail_at(s.error_offset(), "{}: {}", {context(), s.error()});
  }
  section_ = nullptr;
  if (!r_.ok()) return false;

  size_t defined = funcs_.size() - imported_funcs_;
  if (defined != code_count_) {
    r_.fail("core module: the function section declares {} functions but the code section has {} bodies",
            {defined, code_count_});
  } else if (has_data_count_ && data_count_ != data_segments_) {
    r_.fail("core module: the data count section says {} segments but the data section has {}",
            {data_count_, data_segments_});
  }
  return r_.ok();
}

void ModuleScanner::read_section(uint8_t id, Reader& s) {
  switch (id) {
    case kCustom: custom_section(s); break;
    case kType: type_section(s); break;
    case kImport: import_section(s); break;
    case kFunction: function_section(s); break;
    case kTable: table_section(s); break;
    case kMemory: memory_section(s); break;
    case kTag: tag_section(s); break;
    case kGlobal: global_section(s); break;
    case kExport: export_section(s); break;
    case kStart: start_section(s); break;
    case kCode: code_section(s); break;
    case kData: data_section(s); break;
    case kDataCount: data_count_section(s); break;
    // Element segments only matter to instantiation, which the browser does.
    case kElement: s.skip(s.remaining()); break;
  }
}

// Every item takes at least one byte, so a count larger than what is left
// is malformed; rejecting it up front keeps vectors from growing on a lie.
uint32_t ModuleScanner::read_count(Reader& s, const char* what, uint32_t limit) {
  size_t at = s.offset();
  uint32_t n = s.u32(what);
  if (!s.ok()) return 0;
  if (n > limit) {
    s.fail_at(at, "{} {} exceeds the implementation limit of {}", {what, n, limit});
    return 0;
  }
  if (n > s.remaining()) {
    s.fail_at(at, "{} {} exceeds the {} bytes left in the section", {what, n, s.remaining()});
    return 0;
  }
  return n;
}

void ModuleScanner::read_func_type(Reader& s, CoreFuncType& out) {
  // Params, then results: one loop for both (after a failure the count reads as 0).
  for (int results = 0; results < 2; ++results) {
    auto& list = results ? out.results : out.params;
    uint32_t n = read_count(s, results ? "result count" : "parameter count", results ? kMaxResults : kMaxParams);
    for (uint32_t i = 0; i < n && s.ok(); ++i) list.push_back(read_core_valtype(s));
  }
}

uint32_t ModuleScanner::read_type_index(Reader& s) {
  size_t at = s.offset();
  uint32_t index = s.u32("type index");
  if (!s.ok()) return 0;
  if (index >= types_.size()) {
    s.fail_at(at, "type index {} out of range (the module has {} types)", {index, types_.size()});
    return 0;
  }
  return index;
}

uint32_t ModuleScanner::read_tag_type(Reader& s) {
  size_t at = s.offset();
  uint8_t attribute = s.u8("tag attribute");
  if (!s.ok()) return 0;
  if (attribute != 0) {
    s.fail_at(at, "unknown tag attribute {}", {hex(attribute)});
    return 0;
  }
  at = s.offset();
  uint32_t index = read_type_index(s);
  if (s.ok() && !types_[index].results.empty()) {
    s.fail_at(at,
              "tag type {} has results: exception tags have none, and tags with results need stack switching, "
              "which compoly does not support",
              {func_type_text(types_[index])});
  }
  return index;
}

// Constant expressions are skipped, not evaluated, but instruction by
// instruction: the end is only known by decoding, since 0x0b may also occur
// inside an immediate.
void ModuleScanner::skip_const_expr(Reader& s) {
  while (s.ok()) {
    size_t at = s.offset();
    uint8_t op = s.u8("constant expression");
    if (!s.ok()) return;
    switch (op) {
      case 0x0b: return;  // end
      case 0x41: s.s32("i32.const immediate"); break;
      case 0x42: s.s64("i64.const immediate"); break;
      case 0x43: s.skip(4, "f32.const immediate"); break;
      case 0x44: s.skip(8, "f64.const immediate"); break;
      case 0xd0: read_heap_type(s); break;  // ref.null
      case 0xd2: s.u32("ref.func index"); break;
      case 0x23: s.u32("global.get index"); break;
      // Extended constant expressions: i32/i64 add, sub, mul.
      case 0x6a:
      case 0x6b:
      case 0x6c:
      case 0x7c:
      case 0x7d:
      case 0x7e:
        break;
      case 0xfd: {
        uint32_t sub = s.u32("SIMD opcode");
        if (!s.ok()) return;
        if (sub != 12) {
          s.fail_at(at, "unsupported instruction 0xfd {} in constant expression", {sub});
          return;
        }
        s.skip(16, "v128.const immediate");
        break;
      }
      default:
        s.fail_at(at, "unsupported instruction {} in constant expression", {hex(op)});
        return;
    }
  }
}

void ModuleScanner::type_section(Reader& s) {
  uint32_t n = read_count(s, "type count", kMaxTypes);
  if (!s.ok()) return;  // a bad count belongs to the section, not to an item
  item_ = "type";
  for (uint32_t i = 0; i < n && s.ok(); ++i) {
    index_ = i;
    size_t at = s.offset();
    uint8_t form = s.u8("type form");
    if (!s.ok()) return;
    switch (form) {
      case 0x60:
        types_.emplace_back();
        read_func_type(s, types_.back());
        break;
      case 0x4e:  // rec
      case 0x50:  // sub
      case 0x4f:  // sub final
      case 0x5f:  // struct
      case 0x5e:  // array
        s.fail_at(at, "core module uses GC types (rec/sub/struct/array), which compoly does not support");
        return;
      default:
        s.fail_at(at, "unknown type form {}", {hex(form)});
        return;
    }
  }
}

void ModuleScanner::import_section(Reader& s) {
  uint32_t n = read_count(s, "import count", kMaxImports);
  if (!s.ok()) return;
  item_ = "import";
  // Core WebAssembly allows the same two-level name twice; a component's
  // modules may not (Explainer.md, "Import and Export Definitions": the
  // names mangle to one "module:name" key, and jco/wasmtime import by it).
  KeySet names;
  for (uint32_t i = 0; i < n && s.ok(); ++i) {
    index_ = i;
    CoreImport imp;
    size_t name_at = s.offset();
    imp.module = s.name("import module name");
    imp.name = s.name("import name");
    if (!s.ok()) return;
    if (!names.add(imp.module, imp.name)) {
      s.fail_at(name_at,
                "duplicate import name `{}:{}` (core modules in a component must import each two-level name once)",
                {imp.module, imp.name});
      return;
    }
    size_t at = s.offset();
    uint8_t kind = s.u8("import kind");
    if (!s.ok()) return;
    CoreExternType& t = imp.type;
    switch (kind) {
      case 0x00:
      case 0x04: {
        // A func and a tag both take a func type: a tag's is checked for results.
        uint32_t index = kind ? read_tag_type(s) : read_type_index(s);
        if (!s.ok()) return;
        t.func = types_[index];
        (kind ? tags_ : funcs_).push_back(index);
        break;
      }
      case 0x01:
        t.table = read_core_table_type(s);
        tables_.push_back(t.table);
        break;
      case 0x02:
        t.memory.limits = read_limits(s, true);
        memories_.push_back(t.memory);
        break;
      case 0x03:
        t.global = read_core_global_type(s);
        globals_.push_back(t.global);
        break;
      case 0x20:
        s.fail_at(at,
                  "an exact func import (external kind 0x20, from the custom descriptors proposal) is not supported");
        return;
      default:
        s.fail_at(at, "unknown external kind {}", {hex(kind)});
        return;
    }
    t.kind = CoreExternKind(kind);  // the binary's external kinds, in the same order
    if (s.ok()) out_.imports.push_back(std::move(imp));
  }
  imported_funcs_ = funcs_.size();
}

void ModuleScanner::check_function_count(Reader& s, size_t at, uint64_t defined) {
  if (imported_funcs_ + defined > kMaxFunctions) {
    s.fail_at(at, "function count {} (imported and defined) exceeds the implementation limit of {}",
              {imported_funcs_ + defined, kMaxFunctions});
  }
}

void ModuleScanner::function_section(Reader& s) {
  size_t at = s.offset();
  uint32_t n = read_count(s, "function count", kMaxFunctions);
  check_function_count(s, at, n);
  if (!s.ok()) return;
  item_ = "function";
  for (uint32_t i = 0; i < n && s.ok(); ++i) {
    index_ = i;
    uint32_t index = read_type_index(s);
    if (s.ok()) funcs_.push_back(index);
  }
}

void ModuleScanner::table_section(Reader& s) {
  uint32_t n = read_count(s, "table count", kMaxTables);
  if (!s.ok()) return;
  item_ = "table";
  if (s.ok() && tables_.size() + n > kMaxTables) {
    s.fail("table count exceeds the implementation limit of {}", {kMaxTables});
  }
  for (uint32_t i = 0; i < n && s.ok(); ++i) {
    index_ = i;
    // 0x40 0x00 introduces a table with an explicit initializer
    // (function references); a table type never starts with 0x40.
    bool has_init = s.peek() == 0x40;
    if (has_init) {
      s.u8();
      size_t at = s.offset();
      uint8_t reserved = s.u8("table reserved byte");
      if (s.ok() && reserved != 0) {
        s.fail_at(at, "malformed table definition: expected 0x00 after 0x40, found {}", {hex(reserved)});
        return;
      }
    }
    CoreTableType t = read_core_table_type(s);
    if (has_init) skip_const_expr(s);
    if (s.ok()) tables_.push_back(t);
  }
}

void ModuleScanner::memory_section(Reader& s) {
  uint32_t n = read_count(s, "memory count", UINT32_MAX);
  if (!s.ok()) return;
  item_ = "memory";
  for (uint32_t i = 0; i < n && s.ok(); ++i) {
    index_ = i;
    CoreMemoryType m;
    m.limits = read_limits(s, true);
    if (s.ok()) memories_.push_back(m);
  }
}

void ModuleScanner::tag_section(Reader& s) {
  uint32_t n = read_count(s, "tag count", UINT32_MAX);
  if (!s.ok()) return;
  item_ = "tag";
  for (uint32_t i = 0; i < n && s.ok(); ++i) {
    index_ = i;
    uint32_t index = read_tag_type(s);
    if (s.ok()) tags_.push_back(index);
  }
}

void ModuleScanner::global_section(Reader& s) {
  uint32_t n = read_count(s, "global count", kMaxGlobals);
  if (!s.ok()) return;
  item_ = "global";
  if (s.ok() && globals_.size() + n > kMaxGlobals) {
    s.fail("global count exceeds the implementation limit of {}", {kMaxGlobals});
  }
  for (uint32_t i = 0; i < n && s.ok(); ++i) {
    index_ = i;
    CoreGlobalType g = read_core_global_type(s);
    skip_const_expr(s);
    if (s.ok()) globals_.push_back(g);
  }
}

void ModuleScanner::resolve_export(Reader& s, size_t at, uint8_t kind, uint32_t index,
                                   CoreExternType& out) {
  static const char* const kinds[] = {"function", "table", "memory", "global", "tag"};
  size_t count = 0;
  switch (kind) {
    case 0x00:
    case 0x04: {
      const PodVector<uint32_t>& space = kind ? tags_ : funcs_;  // type indices, both
      count = space.size();
      if (index < count) out.func = types_[space[index]];
      break;
    }
    case 0x01:
      count = tables_.size();
      if (index < count) out.table = tables_[index];
      break;
    case 0x02:
      count = memories_.size();
      if (index < count) out.memory = memories_[index];
      break;
    case 0x03:
      count = globals_.size();
      if (index < count) out.global = globals_[index];
      break;
    default:
      s.fail_at(at, "unknown external kind {}", {hex(kind)});
      return;
  }
  if (index >= count) {
    s.fail_at(at, "{} index {} out of range (the module has {})", {kinds[kind], index, count});
    return;
  }
  out.kind = CoreExternKind(kind);  // the binary's external kinds, in the same order
}

void ModuleScanner::export_section(Reader& s) {
  uint32_t n = read_count(s, "export count", kMaxExports);
  if (!s.ok()) return;
  item_ = "export";
  KeySet names;
  for (uint32_t i = 0; i < n && s.ok(); ++i) {
    index_ = i;
    CoreExport e;
    size_t name_at = s.offset();
    e.name = s.name("export name");
    size_t at = s.offset();
    uint8_t kind = s.u8("export kind");
    uint32_t index = s.u32("export index");
    if (!s.ok()) return;
    if (!names.add(e.name)) {
      s.fail_at(name_at, "duplicate export name \"{}\"", {e.name});
      return;
    }
    resolve_export(s, at, kind, index, e.type);
    if (s.ok()) out_.exports.push_back(std::move(e));
  }
}

void ModuleScanner::start_section(Reader& s) {
  size_t at = s.offset();
  uint32_t index = s.u32("start function index");
  if (!s.ok()) return;
  if (index >= funcs_.size()) {
    s.fail_at(at, "start function index {} out of range (the module has {} functions)", {index, funcs_.size()});
    return;
  }
  out_.has_start = true;
}

// Bodies are the browser's to validate; only the count is checked here, as
// it must agree with the function section.
void ModuleScanner::code_section(Reader& s) {
  code_count_ = s.u32("function body count");
  s.skip(s.remaining());
}

void ModuleScanner::data_section(Reader& s) {
  data_segments_ = s.u32("data segment count");
  s.skip(s.remaining());
}

void ModuleScanner::data_count_section(Reader& s) {
  has_data_count_ = true;
  data_count_ = s.u32("data count");
}

void ModuleScanner::custom_section(Reader& s) {
  s.name("custom section name");
  s.skip(s.remaining());
}

}  // namespace

// Only the abstract heap types are single bytes (negative s33 values); a
// non-negative s33 is a type index, which only typed references allow.
// Returns 0 after failing.
uint8_t read_heap_type(Reader& s) {
  size_t at = s.offset();
  uint8_t b = s.peek();
  if (!s.at_end() && b >= 0x40 && b < 0x80) {
    s.u8();
    if (!is_heap_type(b)) {
      fail_unknown_type(s, at, b, "heap type");
      return 0;
    }
    return b;
  }
  int64_t index = s.s33("heap type");
  if (!s.ok()) return 0;
  if (index >= 0) {
    s.fail_at(at, "concrete heap type (type index {}) needs typed function references, which compoly does not support",
              {index});
  } else {
    s.fail_at(at, "malformed heap type (multi-byte encoding of an abstract heap type)");
  }
  return 0;
}

CoreValType read_core_valtype(Reader& s) {
  size_t at = s.offset();
  uint8_t b = s.u8("value type");
  if (!s.ok()) return CoreValType::I32;
  switch (b) {
    case 0x7f:
    case 0x7e:
    case 0x7d:
    case 0x7c:
    case 0x7b:
    case 0x70:
    case 0x6f:
    case 0x69:
      return CoreValType(b);
    case 0x63:
    case 0x64: {
      uint8_t ht = read_heap_type(s);
      if (!s.ok()) return CoreValType::I32;
      // (ref null func) is funcref spelled out; likewise extern and exn. The
      // other heap types (any, eq, struct, ...) are GC's.
      bool pre_gc = ht == 0x70 || ht == 0x6f || ht == 0x69;
      if (b == 0x64) {
        s.fail_at(at, "non-nullable reference type (ref {}) needs {}, which compoly does not support",
                  {heap_type_name(ht), (pre_gc ? "typed function references" : heap_type_feature(ht))});
        return CoreValType::I32;
      }
      if (pre_gc) return CoreValType(ht);
      s.fail_at(at, "reference type (ref null {}) needs {}, which compoly does not support",
                {heap_type_name(ht), heap_type_feature(ht)});
      return CoreValType::I32;
    }
    default:
      if (is_heap_type(b)) {
        // The shorthands anyref, eqref, nullfuncref, ... are GC's (contref and
        // nullcontref stack switching's).
        s.fail_at(at, "reference type {} needs {}, which compoly does not support",
                  {kHeapTypes[b - kFirstHeapType].shorthand, heap_type_feature(b)});
      } else {
        fail_unknown_type(s, at, b, "value type");
      }
      return CoreValType::I32;
  }
}

CoreTableType read_core_table_type(Reader& s) {
  CoreTableType t;
  size_t at = s.offset();
  t.element = read_core_valtype(s);
  if (!s.ok()) return t;
  if (!is_ref_type(t.element)) {
    s.fail_at(at, "table element type {} is not a reference type", {core_valtype_name(t.element)});
    return t;
  }
  t.limits = read_limits(s, false);
  return t;
}

CoreGlobalType read_core_global_type(Reader& s) {
  CoreGlobalType g;
  g.type = read_core_valtype(s);
  size_t at = s.offset();
  uint8_t m = s.u8("global mutability");
  if (!s.ok()) return g;
  if (m > 1) {
    // Bit 1 marks a shared global (shared-everything threads).
    if (m <= 3)
      s.fail_at(at, "a shared global (flags {}) needs shared-everything threads, which compoly does not support",
                {hex(m)});
    else
      s.fail_at(at, "malformed global mutability {}", {hex(m)});
    return g;
  }
  g.mut = m == 1;
  return g;
}

// Flags: bit 0 has a maximum, bit 1 shared (threads), bit 2 64-bit
// addresses (memory64, which also brought table64). Shared tables are a
// later proposal and stay rejected.
Limits read_limits(Reader& s, bool memory) {
  Limits l;
  size_t at = s.offset();
  uint8_t flags = s.u8("limits flags");
  if (!s.ok()) return l;
  uint8_t allowed = memory ? 0x07 : 0x05;
  if (flags & ~allowed) {
    s.fail_at(at, "unknown {} limits flags {}", {(memory ? "memory" : "table"), hex(flags)});
    return l;
  }
  l.shared = flags & 0x02;
  l.is64 = flags & 0x04;
  bool has_max = flags & 0x01;
  if (l.is64) {
    l.min = s.u64("limits minimum");
    if (has_max) l.max = s.u64("limits maximum");
  } else {
    l.min = s.u32("limits minimum");
    if (has_max) l.max = s.u32("limits maximum");
  }
  if (!s.ok()) return l;
  if (l.max && l.min > *l.max) {
    s.fail_at(at, "bad limits: minimum {} is greater than maximum {}", {l.min, *l.max});
    return l;
  }
  if (memory) {
    uint64_t cap = l.is64 ? kMaxMemory64Pages : kMaxMemory32Pages;
    if (l.min > cap || (l.max && *l.max > cap)) {
      s.fail_at(at, "bad limits: memory size must be at most {} pages, found {}",
                {cap, l.max && *l.max > cap ? *l.max : l.min});
      return l;
    }
    // Shared memories cannot grow past what was agreed at creation, since
    // other threads hold their buffer; the threads proposal requires a max.
    if (l.shared && !l.max) s.fail_at(at, "bad limits: a shared memory needs a maximum");
  }
  return l;
}

bool scan_core_module(Reader& r, CoreModuleInfo& out) {
  ModuleScanner scanner(r, out);
  return scanner.scan();
}

}  // namespace compoly
