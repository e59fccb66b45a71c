#include "binary/core_module.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "binary/reader.h"
#include "model/core_types.h"

namespace compoly {
namespace {

using Bytes = std::vector<uint8_t>;

// Concatenates byte runs, so module bytes read like the binary grammar.
Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

Bytes leb(uint64_t v) {
  Bytes out;
  do {
    uint8_t byte = v & 0x7f;
    v >>= 7;
    if (v) byte |= 0x80;
    out.push_back(byte);
  } while (v);
  return out;
}

Bytes str(std::string_view s) {
  Bytes out = leb(s.size());
  out.insert(out.end(), s.begin(), s.end());
  return out;
}

// A count-prefixed vector of already encoded items.
Bytes vec(std::initializer_list<Bytes> items) {
  Bytes out = leb(items.size());
  for (const Bytes& i : items) out.insert(out.end(), i.begin(), i.end());
  return out;
}

Bytes section(uint8_t id, const Bytes& content) { return cat({{id}, leb(content.size()), content}); }

const Bytes kPreamble = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};

Bytes module(std::initializer_list<Bytes> sections) {
  Bytes out = kPreamble;
  for (const Bytes& s : sections) out.insert(out.end(), s.begin(), s.end());
  return out;
}

constexpr uint8_t I32 = 0x7f, I64 = 0x7e, F64 = 0x7c, FUNCREF = 0x70, EXTERNREF = 0x6f;

Bytes functype(Bytes params, Bytes results) { return cat({{0x60}, leb(params.size()), params, leb(results.size()), results}); }

struct Scan {
  Bytes bytes;
  CoreModuleInfo info;
  bool ok = false;
  std::string error;
  size_t error_offset = 0;
};

Scan scan(Bytes bytes, size_t base = 0) {
  Scan s;
  s.bytes = std::move(bytes);
  Reader r(s.bytes.data(), s.bytes.size(), base);
  s.ok = scan_core_module(r, s.info);
  EXPECT_EQ(s.ok, r.ok());
  s.error = r.error();
  s.error_offset = r.error_offset();
  return s;
}

void expect_error(const Bytes& bytes, std::initializer_list<std::string_view> words) {
  Scan s = scan(bytes);
  EXPECT_FALSE(s.ok);
  for (std::string_view w : words) EXPECT_NE(s.error.find(w), std::string::npos) << "missing \"" << w << "\" in: " << s.error;
}

TEST(CoreModule, EmptyModule) {
  Scan s = scan(kPreamble);
  ASSERT_TRUE(s.ok) << s.error;
  EXPECT_TRUE(s.info.imports.empty());
  EXPECT_TRUE(s.info.exports.empty());
  EXPECT_FALSE(s.info.has_start);
}

// Exercises every import kind and resolves exports across the combined
// imported + defined index spaces.
Bytes full_module() {
  Bytes types = section(1, vec({functype({I32, I32}, {I32}), functype({}, {}), functype({I32}, {I32, I64})}));
  Bytes imports = section(
      2, vec({
             cat({str("env"), str("f"), {0x00, 0x00}}),                             // func type 0
             cat({str("env"), str("tab"), {0x01, FUNCREF, 0x01, 0x01, 0x0a}}),      // table funcref 1..10
             cat({str("env"), str("mem"), {0x02, 0x00, 0x01}}),                     // memory 1..
             cat({str("env"), str("g"), {0x03, I64, 0x01}}),                        // global mut i64
             cat({str("env"), str("tag"), {0x04, 0x00, 0x01}}),                     // tag type 1
         }));
  Bytes funcs = section(3, vec({{0x02}, {0x01}}));
  // The 0x40 0x00 form with an initializer expression (ref.null extern).
  Bytes tables = section(4, vec({{0x40, 0x00, EXTERNREF, 0x00, 0x04, 0xd0, 0x6f, 0x0b}}));
  Bytes memories = section(5, vec({{0x03, 0x01, 0x02}, {0x04, 0x80, 0x02}}));  // shared 1..2; i64 256..
  Bytes tags = section(13, vec({{0x00, 0x01}}));
  Bytes globals = section(
      6, vec({
             cat({{F64, 0x00, 0x44}, Bytes(8, 0x0b), {0x0b}}),  // f64.const whose bytes look like `end`
             {I32, 0x01, 0x23, 0x00, 0x41, 0x01, 0x6a, 0x0b},    // global.get 0; i32.const 1; i32.add
             {0x63, FUNCREF, 0x00, 0xd2, 0x01, 0x0b},            // (ref null func) = ref.func 1
         }));
  Bytes exports = section(7, vec({
                                 cat({str("f"), {0x00, 0x00}}),
                                 cat({str("g"), {0x00, 0x01}}),
                                 cat({str("h"), {0x00, 0x02}}),
                                 cat({str("tab"), {0x01, 0x00}}),
                                 cat({str("tab2"), {0x01, 0x01}}),
                                 cat({str("mem"), {0x02, 0x00}}),
                                 cat({str("shared"), {0x02, 0x01}}),
                                 cat({str("mem64"), {0x02, 0x02}}),
                                 cat({str("gl"), {0x03, 0x00}}),
                                 cat({str("f64"), {0x03, 0x01}}),
                                 cat({str("ref"), {0x03, 0x03}}),
                                 cat({str("tag"), {0x04, 0x01}}),
                             }));
  Bytes start = section(8, {0x02});
  Bytes elems = section(9, {0xff, 0xff});  // skipped, so garbage is fine
  Bytes datacount = section(12, {0x01});
  Bytes code = section(10, vec({{0x02, 0x00, 0x0b}, {0x02, 0x00, 0x0b}}));
  Bytes data = section(11, {0x01, 0xff});
  Bytes custom = section(0, cat({str("name"), {0x01, 0x02, 0x03}}));
  return module({custom, types, imports, funcs, tables, memories, tags, globals, exports, start, custom, elems,
                 datacount, code, data, custom});
}

TEST(CoreModule, ImportsAndExportsResolve) {
  Scan s = scan(full_module());
  ASSERT_TRUE(s.ok) << s.error;
  const CoreModuleInfo& m = s.info;
  ASSERT_EQ(m.imports.size(), 5u);
  EXPECT_EQ(m.imports[0].module, "env");
  EXPECT_EQ(m.imports[0].name, "f");
  EXPECT_EQ(m.imports[0].type.to_string(), "func (i32 i32) -> i32");
  EXPECT_EQ(m.imports[1].type.to_string(), "table funcref 1..10");
  EXPECT_EQ(m.imports[2].type.to_string(), "memory 1..");
  EXPECT_EQ(m.imports[3].type.to_string(), "global mut i64");
  EXPECT_EQ(m.imports[4].type.to_string(), "tag () -> ()");
  EXPECT_TRUE(m.has_start);

  ASSERT_EQ(m.exports.size(), 12u);
  auto type_of = [&](std::string_view name) {
    const CoreExport* e = m.find_export(name);
    return e ? e->type.to_string() : std::string("<missing>");
  };
  EXPECT_EQ(type_of("f"), "func (i32 i32) -> i32");        // imported
  EXPECT_EQ(type_of("g"), "func (i32) -> (i32 i64)");      // first defined
  EXPECT_EQ(type_of("h"), "func () -> ()");                // second defined
  EXPECT_EQ(type_of("tab"), "table funcref 1..10");
  EXPECT_EQ(type_of("tab2"), "table externref 4..");
  EXPECT_EQ(type_of("mem"), "memory 1..");
  EXPECT_EQ(type_of("shared"), "memory 1..2 shared");
  EXPECT_EQ(type_of("mem64"), "memory i64 256..");
  EXPECT_EQ(type_of("gl"), "global mut i64");
  EXPECT_EQ(type_of("f64"), "global f64");
  EXPECT_EQ(type_of("ref"), "global funcref");
  EXPECT_EQ(type_of("tag"), "tag () -> ()");

  const CoreExport* mem = m.find_export("shared");
  ASSERT_NE(mem, nullptr);
  EXPECT_EQ(mem->type.kind, CoreExternKind::Memory);
  EXPECT_EQ(mem->type.memory.limits.min, 1u);
  EXPECT_EQ(mem->type.memory.limits.max, 2u);
  EXPECT_TRUE(mem->type.memory.limits.shared);
  EXPECT_FALSE(mem->type.memory.limits.is64);
}

// Where each section of `m` ends: the only places a prefix is a whole module.
std::vector<size_t> section_ends(const Bytes& m) {
  std::vector<size_t> ends = {8};
  size_t p = 8;
  while (p < m.size()) {
    ++p;  // id
    uint64_t size = 0;
    for (unsigned shift = 0;; shift += 7) {
      uint8_t b = m[p++];
      size |= uint64_t(b & 0x7f) << shift;
      if (!(b & 0x80)) break;
    }
    p += size;
    ends.push_back(p);
  }
  return ends;
}

TEST(CoreModule, EveryTruncationFailsCleanly) {
  Bytes full = full_module();
  std::vector<size_t> ends = section_ends(full);
  ASSERT_EQ(ends.back(), full.size());
  for (size_t n = 0; n < full.size(); ++n) {
    Scan s = scan(Bytes(full.begin(), full.begin() + n));
    bool boundary = std::find(ends.begin(), ends.end(), n) != ends.end();
    if (!boundary) {
      EXPECT_FALSE(s.ok) << "prefix " << n;
    }
    EXPECT_EQ(s.ok, s.error.empty()) << "prefix " << n;
  }
}

TEST(CoreModule, WrongMagic) {
  expect_error({0x00, 0x61, 0x73, 0x6e, 0x01, 0x00, 0x00, 0x00}, {"core module", "magic"});
  expect_error({}, {"magic"});
  expect_error({0x00, 0x61, 0x73}, {"magic"});
  expect_error({0x00, 0x61, 0x73, 0x6d, 0x01}, {"version"});
  expect_error({0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00}, {"unsupported version 0x02"});
}

TEST(CoreModule, ComponentPreamble) {
  Scan s = scan({0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00});
  EXPECT_FALSE(s.ok);
  EXPECT_EQ(s.error, "expected a core module, found a component");
  EXPECT_EQ(s.error_offset, 4u);
}

TEST(CoreModule, TruncatedSection) {
  // The type section claims one type but ends inside its parameter list.
  expect_error(module({section(1, {0x01, 0x60, 0x02, I32, I32})}),
               {"type section", "type 0", "unexpected end", "result count"});
  // The header itself is cut after the id.
  expect_error(cat({kPreamble, {0x01}}), {"core module", "section size"});
}

TEST(CoreModule, SectionSizeOverruns) {
  expect_error(cat({kPreamble, {0x01, 0x10, 0x00}}), {"type section size 16 exceeds the 1 remaining bytes"});
}

TEST(CoreModule, SectionWithTrailingBytes) {
  expect_error(module({section(5, {0x01, 0x00, 0x01, 0xaa})}), {"memory section", "1 unread bytes"});
}

TEST(CoreModule, DuplicateSection) {
  Bytes types = section(1, vec({functype({}, {})}));
  expect_error(module({types, types}), {"duplicate type section"});
}

TEST(CoreModule, OutOfOrderSection) {
  Bytes types = section(1, vec({functype({}, {})}));
  Bytes funcs = section(3, vec({}));
  expect_error(module({funcs, types}), {"type section out of order", "function section"});
  // Tag (13) belongs between memory (5) and global (6); data count (12) before code (10).
  Bytes tags = section(13, vec({}));
  Bytes globals = section(6, vec({}));
  Bytes memories = section(5, vec({}));
  EXPECT_TRUE(scan(module({memories, tags, globals})).ok);
  expect_error(module({globals, tags}), {"tag section out of order"});
  EXPECT_TRUE(scan(module({section(12, {0x00}), section(10, {0x00})})).ok);
  expect_error(module({section(10, {0x00}), section(12, {0x00})}), {"data count section out of order"});
  expect_error(module({section(14, {})}), {"unknown section id 0x0e"});
}

TEST(CoreModule, ExportIndexOutOfRange) {
  Bytes types = section(1, vec({functype({}, {})}));
  Bytes funcs = section(3, vec({{0x00}}));
  Bytes exports = section(7, vec({cat({str("a"), {0x00, 0x00}}), cat({str("b"), {0x00, 0x01}})}));
  Bytes code = section(10, vec({{0x02, 0x00, 0x0b}}));
  expect_error(module({types, funcs, exports, code}), {"export section, export 1", "function index 1 out of range"});
  expect_error(module({section(7, vec({cat({str("m"), {0x02, 0x00}})}))}), {"memory index 0 out of range"});
  expect_error(module({section(7, vec({cat({str("m"), {0x05, 0x00}})}))}), {"unknown external kind 0x05"});
}

TEST(CoreModule, DuplicateExport) {
  Bytes memories = section(5, vec({{0x00, 0x01}}));
  Bytes exports = section(7, vec({cat({str("m"), {0x02, 0x00}}), cat({str("m"), {0x02, 0x00}})}));
  expect_error(module({memories, exports}), {"export 1", "duplicate export name \"m\""});
}

TEST(CoreModule, GcTypesRejected) {
  expect_error(module({section(1, {0x01, 0x4e, 0x01, 0x60, 0x00, 0x00})}),
               {"core module uses GC types (rec/sub/struct/array), which compoly does not support"});
  expect_error(module({section(1, {0x01, 0x50, 0x00, 0x60, 0x00, 0x00})}), {"GC types"});
  expect_error(module({section(1, {0x01, 0x5f, 0x00})}), {"GC types"});
  expect_error(module({section(1, {0x01, 0x5e, 0x7f, 0x00})}), {"GC types"});
  expect_error(module({section(1, {0x01, 0x61})}), {"unknown type form 0x61"});
}

TEST(CoreModule, ReferenceTypeForms) {
  // (ref null extern) is externref; (ref func) and (ref $t) need typed references.
  auto one_param = [](Bytes valtype) { return module({section(1, vec({cat({{0x60, 0x01}, valtype, {0x00}})}))}); };
  Scan s = scan(module({section(1, vec({cat({{0x60, 0x02, 0x63, EXTERNREF, 0x63, FUNCREF, 0x01, 0x63, 0x69}})}))}));
  ASSERT_TRUE(s.ok) << s.error;
  expect_error(one_param({0x64, FUNCREF}), {"non-nullable", "typed function references"});
  expect_error(one_param({0x63, 0x00}), {"typed function references", "type index 0"});
  expect_error(one_param({0x63, 0xf0, 0x7f}), {"malformed heap type"});
  expect_error(one_param({0x63, 0x6e}), {"GC types", "any"});
  expect_error(one_param({0x63, 0x50}), {"unknown heap type 0x50"});
  expect_error(module({section(1, vec({functype({0x6e}, {})}))}), {"GC types", "anyref"});
  expect_error(module({section(1, vec({functype({0x40}, {})}))}), {"unknown value type 0x40"});
}

TEST(CoreModule, BadLeb) {
  // A type count whose LEB runs past five bytes.
  expect_error(module({section(1, {0x80, 0x80, 0x80, 0x80, 0x80, 0x00})}), {"type section", "LEB128", "type count"});
  // A section size LEB that is too long is reported at the header.
  expect_error(cat({kPreamble, {0x01, 0xff, 0xff, 0xff, 0xff, 0x7f}}), {"core module", "section size"});
}

TEST(CoreModule, ImportErrorsNameTheItem) {
  Bytes types = section(1, vec({functype({}, {})}));
  auto func = [](const char* name) { return cat({str("m"), str(name), {0x00, 0x00}}); };
  Bytes imports = section(2, vec({func("f"), func("g"), func("h"), cat({str("m"), str("x"), {0x07}})}));
  Scan s = scan(module({types, imports}));
  EXPECT_FALSE(s.ok);
  EXPECT_EQ(s.error, "core module import section, import 3: unknown external kind 0x07");

  // A component's core modules import each two-level name once.
  expect_error(module({types, section(2, vec({func("f"), func("g"), func("f")}))}),
               {"import 2", "duplicate import name `m:f`"});

  expect_error(module({types, section(2, vec({cat({str("m"), str("f"), {0x00, 0x01}})}))}),
               {"import 0", "type index 1 out of range"});
  expect_error(module({section(2, vec({cat({str("m"), str("t"), {0x01, I32, 0x00, 0x00}})}))}),
               {"not a reference type"});
  expect_error(module({section(2, vec({cat({str("m"), str("g"), {0x03, I32, 0x04}})}))}), {"mutability 0x04"});
  expect_error(module({section(2, vec({cat({str("m"), str("g"), {0x03, I32, 0x03}})}))}),
               {"a shared global (flags 0x03) needs shared-everything threads"});
  expect_error(module({types, section(2, vec({cat({str("m"), str("t"), {0x04, 0x01, 0x00}})}))}),
               {"tag attribute 0x01"});
  expect_error(module({section(2, vec({cat({str("m"), {0x02, 0xc0, 0x80}, str("n"), {0x02, 0x00, 0x00}})}))}),
               {"invalid UTF-8", "import name"});
}

TEST(CoreModule, BadLimits) {
  expect_error(module({section(5, vec({{0x01, 0x03, 0x02}}))}), {"memory section, memory 0", "minimum 3 is greater than maximum 2"});
  expect_error(module({section(5, vec({{0x08, 0x00}}))}), {"unknown memory limits flags 0x08"});
  expect_error(module({section(5, vec({{0x02, 0x01}}))}), {"shared memory needs a maximum"});
  expect_error(module({section(5, vec({cat({{0x00}, leb(65537)})}))}), {"memory size must be at most 65536 pages, found 65537"});
  expect_error(module({section(4, vec({{FUNCREF, 0x02, 0x00}}))}), {"unknown table limits flags 0x02"});
  // 64-bit limits use u64: values past u32 are fine.
  Scan s = scan(module({section(5, vec({cat({{0x05}, leb(1), leb(uint64_t(1) << 40)})}))}));
  EXPECT_TRUE(s.ok) << s.error;
}

TEST(CoreModule, ConstantExpressions) {
  // An instruction outside the constant set is named.
  expect_error(module({section(6, vec({{I32, 0x00, 0x10, 0x00, 0x0b}}))}), {"global section, global 0", "0x10"});
  // A missing `end` runs into the section's end.
  expect_error(module({section(6, vec({{I32, 0x00, 0x41, 0x00}}))}), {"global 0", "unexpected end"});
  // v128.const carries sixteen immediate bytes.
  Scan s = scan(module({section(6, vec({cat({{0x7b, 0x00, 0xfd, 0x0c}, Bytes(16, 0x0b), {0x0b}})}))}));
  EXPECT_TRUE(s.ok) << s.error;
}

TEST(CoreModule, AdversarialCounts) {
  // A count far larger than the section is rejected before any allocation.
  expect_error(module({section(1, cat({leb(999999), {0x60}}))}), {"type count 999999 exceeds the 1 bytes left"});
  expect_error(module({section(1, cat({leb(0xffffffff)}))}), {"type count", "implementation limit"});
  expect_error(module({section(1, vec({cat({{0x60}, leb(5000)})}))}), {"parameter count 5000"});
}

TEST(CoreModule, FunctionAndCodeCountsAgree) {
  Bytes types = section(1, vec({functype({}, {})}));
  Bytes funcs = section(3, vec({{0x00}, {0x00}}));
  expect_error(module({types, funcs}), {"declares 2 functions", "0 bodies"});
  expect_error(module({types, funcs, section(10, vec({{0x02, 0x00, 0x0b}}))}), {"1 bodies"});
  expect_error(module({section(12, {0x02}), section(11, {0x01})}), {"data count"});
  expect_error(module({section(8, {0x00})}), {"start function index 0 out of range"});
}

TEST(CoreModule, OffsetsAreAbsolute) {
  Bytes bad = cat({kPreamble, {0x01, 0x10}});
  Scan s = scan(bad, 1000);
  EXPECT_FALSE(s.ok);
  EXPECT_EQ(s.error_offset, 1008u);
}

CoreExternType func_type(CoreValTypes params, CoreValTypes results) {
  CoreExternType t;
  t.kind = CoreExternKind::Func;
  t.func.params = std::move(params);
  t.func.results = std::move(results);
  return t;
}

CoreExternType memory_type(uint64_t min, std::optional<uint64_t> max, bool shared = false, bool is64 = false) {
  CoreExternType t;
  t.kind = CoreExternKind::Memory;
  t.memory.limits = {min, max, shared, is64};
  return t;
}

CoreExternType table_type(CoreValType element, uint64_t min, std::optional<uint64_t> max) {
  CoreExternType t;
  t.kind = CoreExternKind::Table;
  t.table.element = element;
  t.table.limits.min = min;
  t.table.limits.max = max;
  return t;
}

CoreExternType global_type(CoreValType type, bool mut) {
  CoreExternType t;
  t.kind = CoreExternKind::Global;
  t.global = {type, mut};
  return t;
}

TEST(CoreTypes, ToString) {
  using V = CoreValType;
  EXPECT_EQ(func_type({V::I32, V::I32}, {V::I32}).func.to_string(), "(i32 i32) -> i32");
  EXPECT_EQ(func_type({}, {}).func.to_string(), "() -> ()");
  EXPECT_EQ(func_type({V::I32}, {V::I32, V::I64}).func.to_string(), "(i32) -> (i32 i64)");
  EXPECT_EQ(func_type({V::I32}, {V::I32}).to_string(), "func (i32) -> i32");
  EXPECT_EQ(memory_type(1, std::nullopt).to_string(), "memory 1..");
  EXPECT_EQ(memory_type(1, 2).to_string(), "memory 1..2");
  EXPECT_EQ(table_type(V::FuncRef, 4, std::nullopt).to_string(), "table funcref 4..");
  EXPECT_EQ(global_type(V::I32, true).to_string(), "global mut i32");
  EXPECT_EQ(global_type(V::ExnRef, false).to_string(), "global exnref");
  EXPECT_STREQ(core_valtype_name(V::V128), "v128");
  EXPECT_STREQ(core_valtype_name(V::ExternRef), "externref");
  EXPECT_STREQ(core_extern_kind_name(CoreExternKind::Tag), "tag");
  EXPECT_STREQ(core_extern_kind_name(CoreExternKind::Memory), "memory");
}

TEST(CoreTypes, Matches) {
  using V = CoreValType;
  // Kinds must agree.
  EXPECT_FALSE(core_extern_matches(memory_type(1, std::nullopt), table_type(V::FuncRef, 1, std::nullopt)));
  // Functions: exact equality.
  EXPECT_TRUE(core_extern_matches(func_type({V::I32}, {}), func_type({V::I32}, {})));
  EXPECT_FALSE(core_extern_matches(func_type({V::I32}, {}), func_type({V::I64}, {})));
  EXPECT_FALSE(core_extern_matches(func_type({}, {V::I32}), func_type({}, {})));
  // Limits: actual within expected.
  EXPECT_TRUE(core_extern_matches(memory_type(2, std::nullopt), memory_type(1, std::nullopt)));
  EXPECT_FALSE(core_extern_matches(memory_type(1, std::nullopt), memory_type(2, std::nullopt)));
  EXPECT_TRUE(core_extern_matches(memory_type(1, 5), memory_type(1, 10)));
  EXPECT_TRUE(core_extern_matches(memory_type(1, 10), memory_type(1, 10)));
  EXPECT_FALSE(core_extern_matches(memory_type(1, 11), memory_type(1, 10)));
  EXPECT_FALSE(core_extern_matches(memory_type(1, std::nullopt), memory_type(1, 10)));
  EXPECT_TRUE(core_extern_matches(memory_type(1, 10), memory_type(1, std::nullopt)));
  EXPECT_FALSE(core_extern_matches(memory_type(1, 2, true), memory_type(1, 2, false)));
  EXPECT_FALSE(core_extern_matches(memory_type(1, 2, false, true), memory_type(1, 2)));
  // Tables: element types equal, limits within.
  EXPECT_TRUE(core_extern_matches(table_type(V::FuncRef, 4, 8), table_type(V::FuncRef, 2, std::nullopt)));
  EXPECT_FALSE(core_extern_matches(table_type(V::ExternRef, 4, 8), table_type(V::FuncRef, 2, std::nullopt)));
  EXPECT_FALSE(core_extern_matches(table_type(V::FuncRef, 1, 8), table_type(V::FuncRef, 2, std::nullopt)));
  // Globals: invariant in type and mutability.
  EXPECT_TRUE(core_extern_matches(global_type(V::I32, true), global_type(V::I32, true)));
  EXPECT_FALSE(core_extern_matches(global_type(V::I32, true), global_type(V::I32, false)));
  EXPECT_FALSE(core_extern_matches(global_type(V::I32, false), global_type(V::I64, false)));
}


TEST(CoreValTypes, KeepsOrderAndEqualityPastTheInlineCapacity) {
  CoreValTypes a, b;
  for (int i = 0; i < 40; ++i) {
    CoreValType t = i % 3 == 0 ? CoreValType::I64 : CoreValType::F32;
    a.push_back(t);
    b.push_back(t);
    ASSERT_EQ(a.size(), size_t(i + 1));
    ASSERT_EQ(a[size_t(i)], t);
    ASSERT_TRUE(a == b) << i;
  }
  CoreValTypes copy = a;
  EXPECT_TRUE(copy == a);
  size_t n = 0;
  for (CoreValType t : copy) EXPECT_EQ(t, n++ % 3 == 0 ? CoreValType::I64 : CoreValType::F32);
  EXPECT_EQ(n, 40u);
  b.push_back(CoreValType::I32);
  EXPECT_FALSE(a == b);
  CoreValTypes shorter = {CoreValType::I64, CoreValType::F32};
  EXPECT_FALSE(shorter == a);
  EXPECT_EQ(func_type({CoreValType::I32}, {}).to_string(), "func (i32) -> ()");
}

TEST(InlineVector, ViewsSpillPastTheInlineCapacityAndCopy) {
  InlineVector<std::string_view, 3> path = {"wasi:io/streams@0.2.0", "output-stream"};
  for (const char* name : {"a", "b", "c"}) path.push_back(name);
  InlineVector<std::string_view, 3> copy = path;
  ASSERT_EQ(copy.size(), 5u);
  EXPECT_EQ(copy[0], "wasi:io/streams@0.2.0");
  EXPECT_EQ(copy[4], "c");
  EXPECT_TRUE(copy == path);
  copy.push_back("d");
  EXPECT_FALSE(copy == path);
}

}  // namespace
}  // namespace compoly
