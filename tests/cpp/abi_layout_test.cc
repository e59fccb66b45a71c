// Expected values are worked out by hand from definitions.py (alignment,
// elem_size, flatten_type, flatten_functype), not from our implementation.
#include "abi/layout.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace compoly {
namespace {

using V = CoreValType;
using Flat = std::vector<CoreValType>;

struct Builder {
  TypeArena arena;

  TypeId prim(PrimType p) { return arena.prim(p); }
  TypeId record(PodVector<TypeId> types) {
    Type t;
    t.kind = TypeKind::Record;
    for (size_t i = 0; i < types.size(); ++i) t.fields.push_back({"f" + std::to_string(i), types[i]});
    return arena.add(std::move(t));
  }
  TypeId tuple(PodVector<TypeId> types) {
    Type t;
    t.kind = TypeKind::Tuple;
    t.elements = std::move(types);
    return arena.add(std::move(t));
  }
  TypeId variant(PodVector<TypeId> cases) {
    Type t;
    t.kind = TypeKind::Variant;
    for (size_t i = 0; i < cases.size(); ++i) t.fields.push_back({"c" + std::to_string(i), cases[i]});
    return arena.add(std::move(t));
  }
  TypeId labelled(TypeKind kind, size_t n) {
    Type t;
    t.kind = kind;
    for (size_t i = 0; i < n; ++i) t.labels.push_back("l" + std::to_string(i));
    return arena.add(std::move(t));
  }
  TypeId one(TypeKind kind, TypeId element) {
    Type t;
    t.kind = kind;
    t.elements = {element};
    return arena.add(std::move(t));
  }
  TypeId result(TypeId ok, TypeId err) {
    Type t;
    t.kind = TypeKind::Result;
    t.ok = ok;
    t.err = err;
    return arena.add(std::move(t));
  }
  TypeId handle(TypeKind kind) {
    Type t;
    t.kind = kind;
    t.resource = arena.new_resource("r", false);
    return arena.add(std::move(t));
  }
  TypeId func(PodVector<TypeId> params, TypeId result) {
    Type t;
    t.kind = TypeKind::Func;
    for (size_t i = 0; i < params.size(); ++i) t.fields.push_back({"p" + std::to_string(i), params[i]});
    t.ok = result;
    return arena.add(std::move(t));
  }
};

void expect_layout(LayoutCache& cache, TypeId t, uint32_t size, uint32_t align, const Flat& flat) {
  const ValueLayout l = cache.view(t);
  EXPECT_EQ(l.size, size);
  EXPECT_EQ(l.align, align);
  EXPECT_EQ(Flat(l.flat.begin(), l.flat.end()), flat);
  EXPECT_FALSE(l.flat_truncated);
}

TEST(AbiLayout, Primitives) {
  Builder b;
  LayoutCache c(b.arena);
  expect_layout(c, b.prim(PrimType::Bool), 1, 1, {V::I32});
  expect_layout(c, b.prim(PrimType::U8), 1, 1, {V::I32});
  expect_layout(c, b.prim(PrimType::S8), 1, 1, {V::I32});
  expect_layout(c, b.prim(PrimType::U16), 2, 2, {V::I32});
  expect_layout(c, b.prim(PrimType::S16), 2, 2, {V::I32});
  expect_layout(c, b.prim(PrimType::U32), 4, 4, {V::I32});
  expect_layout(c, b.prim(PrimType::S32), 4, 4, {V::I32});
  expect_layout(c, b.prim(PrimType::Char), 4, 4, {V::I32});
  expect_layout(c, b.prim(PrimType::F32), 4, 4, {V::F32});
  expect_layout(c, b.prim(PrimType::U64), 8, 8, {V::I64});
  expect_layout(c, b.prim(PrimType::S64), 8, 8, {V::I64});
  expect_layout(c, b.prim(PrimType::F64), 8, 8, {V::F64});
  expect_layout(c, b.prim(PrimType::String), 8, 4, {V::I32, V::I32});
  expect_layout(c, b.handle(TypeKind::Own), 4, 4, {V::I32});
  expect_layout(c, b.handle(TypeKind::Borrow), 4, 4, {V::I32});
}

TEST(AbiLayout, RecordAndTuple) {
  Builder b;
  TypeId u8 = b.prim(PrimType::U8), u32 = b.prim(PrimType::U32), u64 = b.prim(PrimType::U64);
  LayoutCache c(b.arena);
  // a@0, pad, b@4, c@8, rounded to 12.
  expect_layout(c, b.record({u8, u32, u8}), 12, 4, {V::I32, V::I32, V::I32});
  expect_layout(c, b.tuple({u8, u64}), 16, 8, {V::I32, V::I64});
  expect_layout(c, b.record({}), 0, 1, {});
}

TEST(AbiLayout, VariantJoinsPayloads) {
  Builder b;
  TypeId f32 = b.prim(PrimType::F32), u64 = b.prim(PrimType::U64);
  LayoutCache c(b.arena);
  // u8 discriminant, payload at 8 (max case alignment), 8 bytes: 16/8.
  // join(f32, i64) = i64.
  expect_layout(c, b.variant({kNoType, f32, u64}), 16, 8, {V::I32, V::I64});
  // join(i32, f32) = i32; payload-free cases contribute nothing.
  expect_layout(c, b.variant({b.prim(PrimType::U32), f32}), 8, 4, {V::I32, V::I32});
  // Longer payloads extend the flat list: [disc, join(f32,i32)=i32, i32].
  TypeId s = b.prim(PrimType::String);
  expect_layout(c, b.variant({f32, s}), 12, 4, {V::I32, V::I32, V::I32});
  // join(f64, i32) = i64.
  expect_layout(c, b.variant({b.prim(PrimType::F64), b.prim(PrimType::U8)}), 16, 8, {V::I32, V::I64});
}

TEST(AbiLayout, EnumDiscriminants) {
  Builder b;
  LayoutCache c(b.arena);
  expect_layout(c, b.labelled(TypeKind::Enum, 1), 1, 1, {V::I32});
  expect_layout(c, b.labelled(TypeKind::Enum, 256), 1, 1, {V::I32});
  expect_layout(c, b.labelled(TypeKind::Enum, 257), 2, 2, {V::I32});
  expect_layout(c, b.labelled(TypeKind::Enum, 65536), 2, 2, {V::I32});
  expect_layout(c, b.labelled(TypeKind::Enum, 65537), 4, 4, {V::I32});
}

TEST(AbiLayout, OptionAndResult) {
  Builder b;
  TypeId s = b.prim(PrimType::String), u32 = b.prim(PrimType::U32), f32 = b.prim(PrimType::F32);
  LayoutCache c(b.arena);
  expect_layout(c, b.one(TypeKind::Option, s), 12, 4, {V::I32, V::I32, V::I32});
  expect_layout(c, b.one(TypeKind::Option, b.prim(PrimType::U8)), 2, 1, {V::I32, V::I32});
  expect_layout(c, b.result(u32, f32), 8, 4, {V::I32, V::I32});
  expect_layout(c, b.result(kNoType, kNoType), 1, 1, {V::I32});
  expect_layout(c, b.result(b.prim(PrimType::U64), kNoType), 16, 8, {V::I32, V::I64});
  expect_layout(c, b.result(kNoType, s), 12, 4, {V::I32, V::I32, V::I32});
}

TEST(AbiLayout, Flags) {
  Builder b;
  LayoutCache c(b.arena);
  expect_layout(c, b.labelled(TypeKind::Flags, 1), 1, 1, {V::I32});
  expect_layout(c, b.labelled(TypeKind::Flags, 8), 1, 1, {V::I32});
  expect_layout(c, b.labelled(TypeKind::Flags, 9), 2, 2, {V::I32});
  expect_layout(c, b.labelled(TypeKind::Flags, 16), 2, 2, {V::I32});
  expect_layout(c, b.labelled(TypeKind::Flags, 17), 4, 4, {V::I32});
  expect_layout(c, b.labelled(TypeKind::Flags, 32), 4, 4, {V::I32});
  expect_layout(c, b.labelled(TypeKind::Flags, 33), 8, 4, {V::I32, V::I32});
  expect_layout(c, b.labelled(TypeKind::Flags, 64), 8, 4, {V::I32, V::I32});
  expect_layout(c, b.labelled(TypeKind::Flags, 0), 0, 1, {});
}

TEST(AbiLayout, ListOfRecord) {
  Builder b;
  TypeId rec = b.record({b.prim(PrimType::U64), b.prim(PrimType::String)});
  LayoutCache c(b.arena);
  expect_layout(c, b.one(TypeKind::List, rec), 8, 4, {V::I32, V::I32});
}

TEST(AbiLayout, NonValueTypesAreEmpty) {
  Builder b;
  TypeId f = b.func({}, kNoType);
  LayoutCache c(b.arena);
  EXPECT_EQ(c.view(f).size, 0u);
  EXPECT_TRUE(c.view(f).flat.empty());
  EXPECT_TRUE(c.view(kNoType).flat.empty());
  EXPECT_TRUE(c.view(TypeId(b.arena.size() + 5)).flat.empty());
}

TEST(AbiLayout, ArenaGrowsWhileCacheAlive) {
  Builder b;
  LayoutCache c(b.arena);
  const ValueLayout first = c.view(b.prim(PrimType::U16));
  // Many new types after the first lookup: old references must stay valid.
  TypeId last = kNoType;
  for (int i = 0; i < 200; ++i) last = b.tuple({b.prim(PrimType::U16), b.prim(PrimType::U8)});
  expect_layout(c, last, 4, 2, {V::I32, V::I32});
  EXPECT_EQ(first.size, 2u);
}

TEST(FuncLayout, SmallFlat) {
  Builder b;
  TypeId u32 = b.prim(PrimType::U32);
  TypeId f = b.func({u32, u32}, u32);
  LayoutCache c(b.arena);
  for (AbiContext ctx : {AbiContext::Lift, AbiContext::Lower}) {
    FuncLayout l = func_layout(c, b.arena, f, ctx);
    EXPECT_EQ(l.core_type(), (CoreFuncType{{V::I32, V::I32}, {V::I32}}));
    EXPECT_FALSE(l.params_in_memory);
    EXPECT_FALSE(l.result_in_memory);
  }
  FuncLayout none = func_layout(c, b.arena, b.func({}, kNoType), AbiContext::Lift);
  EXPECT_TRUE(none.flat_params.empty());
  EXPECT_TRUE(none.flat_results.empty());
}

TEST(FuncLayout, SixteenParamsStayFlatSeventeenSpill) {
  Builder b;
  TypeId u32 = b.prim(PrimType::U32);
  LayoutCache c(b.arena);
  FuncLayout sixteen = func_layout(c, b.arena, b.func(PodVector<TypeId>(16, u32), kNoType), AbiContext::Lift);
  EXPECT_FALSE(sixteen.params_in_memory);
  EXPECT_EQ(Flat(sixteen.flat_params.begin(), sixteen.flat_params.end()), Flat(16, V::I32));
  FuncLayout seventeen = func_layout(c, b.arena, b.func(PodVector<TypeId>(17, u32), kNoType), AbiContext::Lift);
  EXPECT_TRUE(seventeen.params_in_memory);
  EXPECT_EQ(Flat(seventeen.flat_params.begin(), seventeen.flat_params.end()), Flat{V::I32});
  EXPECT_TRUE(seventeen.flat_results.empty());
}

TEST(FuncLayout, StringResult) {
  Builder b;
  TypeId u32 = b.prim(PrimType::U32), s = b.prim(PrimType::String);
  TypeId f = b.func({u32, s}, s);
  LayoutCache c(b.arena);
  FuncLayout lift = func_layout(c, b.arena, f, AbiContext::Lift);
  EXPECT_TRUE(lift.result_in_memory);
  EXPECT_EQ(lift.core_type(), (CoreFuncType{{V::I32, V::I32, V::I32}, {V::I32}}));
  FuncLayout lower = func_layout(c, b.arena, f, AbiContext::Lower);
  EXPECT_TRUE(lower.result_in_memory);
  EXPECT_EQ(Flat(lower.flat_params.begin(), lower.flat_params.end()), Flat(4, V::I32));
  EXPECT_TRUE(lower.flat_results.empty());
}

TEST(FuncLayout, RecordOfTwentyU8) {
  Builder b;
  TypeId u8 = b.prim(PrimType::U8);
  TypeId rec = b.record(PodVector<TypeId>(20, u8));
  TypeId f = b.func({rec}, b.prim(PrimType::String));
  LayoutCache c(b.arena);
  const ValueLayout l = c.view(rec);
  EXPECT_EQ(l.size, 20u);
  EXPECT_EQ(l.align, 1u);
  // 20 flat values: more than anyone can pass flat, so only a prefix is kept.
  EXPECT_TRUE(l.flat_truncated);
  EXPECT_EQ(l.flat.size(), kMaxFlatParams + 1);

  FuncLayout lift = func_layout(c, b.arena, f, AbiContext::Lift);
  EXPECT_TRUE(lift.params_in_memory);
  EXPECT_EQ(lift.core_type(), (CoreFuncType{{V::I32}, {V::I32}}));
  FuncLayout lower = func_layout(c, b.arena, f, AbiContext::Lower);
  EXPECT_TRUE(lower.params_in_memory);
  EXPECT_TRUE(lower.result_in_memory);
  EXPECT_EQ(lower.core_type(), (CoreFuncType{{V::I32, V::I32}, {}}));
}

TEST(ValueSize, SmallTypesAreOk) {
  Builder b;
  LayoutCache c(b.arena);
  EXPECT_TRUE(value_size_ok(c, b.prim(PrimType::String)));
  EXPECT_TRUE(value_size_ok(c, b.record({b.prim(PrimType::U8), b.prim(PrimType::U64)})));
}

TEST(ValueSize, NestedTuplesOverflowFastAndSaturate) {
  Builder b;
  LayoutCache c(b.arena);
  auto start = std::chrono::steady_clock::now();
  // string: 8 = 2^3; each level multiplies by 16: level k is 2^(3+4k).
  TypeId t = b.prim(PrimType::String);
  for (int level = 1; level <= 6; ++level) {
    t = b.tuple(PodVector<TypeId>(16, t));
    EXPECT_EQ(c.view(t).size, uint32_t(1) << (3 + 4 * level));
    EXPECT_TRUE(value_size_ok(c, t)) << level;  // 2^27 at level 6
  }
  TypeId over = b.tuple(PodVector<TypeId>(16, t));  // 2^31
  EXPECT_FALSE(value_size_ok(c, over));
  EXPECT_EQ(c.view(over).size, uint32_t(1) << 31);
  // Far beyond 2^32: saturates instead of wrapping to something small.
  TypeId huge = over;
  for (int level = 0; level < 40; ++level) huge = b.tuple(PodVector<TypeId>(16, huge));
  EXPECT_EQ(c.view(huge).size, UINT32_MAX);
  EXPECT_FALSE(value_size_ok(c, huge));
  EXPECT_TRUE(c.view(huge).flat_truncated);
  EXPECT_LE(c.view(huge).flat.size(), kMaxFlatParams + 1);
  // A huge type hidden behind a list: the list is 8 bytes but still invalid,
  // as is a variant or option carrying it.
  TypeId list = b.one(TypeKind::List, over);
  EXPECT_EQ(c.view(list).size, 8u);
  EXPECT_FALSE(value_size_ok(c, list));
  EXPECT_FALSE(value_size_ok(c, b.one(TypeKind::Option, huge)));
  EXPECT_FALSE(value_size_ok(c, b.variant({kNoType, huge})));
  // Heavy sharing must be linear: 16^47 paths, a few hundred types.
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(std::chrono::duration_cast<std::chrono::seconds>(elapsed).count(), 2);
}

TEST(ValueSize, SaturatedSizesDoNotWrapInVariants) {
  Builder b;
  LayoutCache c(b.arena);
  TypeId t = b.prim(PrimType::U64);
  for (int level = 0; level < 10; ++level) t = b.tuple(PodVector<TypeId>(256, t));
  TypeId v = b.variant({t, t, kNoType});
  EXPECT_EQ(c.view(v).size, UINT32_MAX);
  EXPECT_FALSE(value_size_ok(c, v));
  TypeId r = b.result(t, t);
  EXPECT_FALSE(value_size_ok(c, r));
}

}  // namespace
}  // namespace compoly
