// The WIT printer on a world built by hand, checked against the text
// wit-component would print for the same world.
#include "wit/printer.h"

#include <gtest/gtest.h>

#include <utility>

namespace compoly {
namespace {

// Small constructors so the test reads like the WIT it builds.
struct Builder {
  TypeArena arena;

  TypeId prim(PrimType p) { return arena.prim(p); }
  TypeId one(TypeKind k, TypeId e) {
    Type t;
    t.kind = k;
    t.elements = {e};
    return arena.add(std::move(t));
  }
  TypeId list(TypeId e) { return one(TypeKind::List, e); }
  TypeId option(TypeId e) { return one(TypeKind::Option, e); }
  TypeId tuple(PodVector<TypeId> es) {
    Type t;
    t.kind = TypeKind::Tuple;
    t.elements = std::move(es);
    return arena.add(std::move(t));
  }
  TypeId result(TypeId ok, TypeId err) {
    Type t;
    t.kind = TypeKind::Result;
    t.ok = ok;
    t.err = err;
    return arena.add(std::move(t));
  }
  TypeId fields(TypeKind k, PodVector<Field> fs) {
    Type t;
    t.kind = k;
    t.fields = std::move(fs);
    return arena.add(std::move(t));
  }
  TypeId labels(TypeKind k, PodVector<std::string_view> ls) {
    Type t;
    t.kind = k;
    t.labels = std::move(ls);
    return arena.add(std::move(t));
  }
  TypeId handle(TypeKind k, ResourceId r) {
    Type t;
    t.kind = k;
    t.resource = r;
    return arena.add(std::move(t));
  }
  TypeId func(PodVector<Field> params, TypeId result = kNoType) {
    Type t;
    t.kind = TypeKind::Func;
    t.fields = std::move(params);
    t.ok = result;
    return arena.add(std::move(t));
  }
  TypeId instance(PodVector<NamedExtern> exports) {
    Type t;
    t.kind = TypeKind::Instance;
    t.exports = std::move(exports);
    return arena.add(std::move(t));
  }
  static NamedExtern type(std::string_view name, TypeId t) { return {name, {ExternKind::Type, t}}; }
  static NamedExtern fn(std::string_view name, TypeId t) { return {name, {ExternKind::Func, t}}; }
  static NamedExtern inst(std::string_view name, TypeId t) { return {name, {ExternKind::Instance, t}}; }
};

struct DemoWorld {
  Builder b;
  WitWorld world;

  DemoWorld() {
    TypeId u8 = b.prim(PrimType::U8), u32 = b.prim(PrimType::U32), s32 = b.prim(PrimType::S32);
    TypeId str = b.prim(PrimType::String);

    TypeId point = b.fields(TypeKind::Record, {{"x", s32}, {"y", s32}});
    TypeId color = b.labels(TypeKind::Enum, {"red", "green", "blue"});
    ResourceId blob_r = b.arena.new_resource("blob", false);
    TypeId blob = b.arena.resource_type(blob_r);
    TypeId own_blob = b.handle(TypeKind::Own, blob_r);
    TypeId borrow_blob = b.handle(TypeKind::Borrow, blob_r);

    TypeId types_iface = b.instance({
        Builder::type("point", point),
        Builder::type("color", color),
        Builder::type("blob", blob),
        Builder::fn("[constructor]blob", b.func({{"init", b.list(u8)}}, own_blob)),
        Builder::fn("[method]blob.read", b.func({{"self", borrow_blob}, {"n", u32}}, b.list(u8))),
        Builder::fn("[static]blob.merge", b.func({{"a", own_blob}, {"b", own_blob}}, own_blob)),
        Builder::fn("process", b.func({{"names", b.list(str)},
                                       {"limit", b.option(u32)},
                                       {"b", borrow_blob},
                                       {"type", u32}},
                                      b.result(b.tuple({point, color}), str))),
    });
    // Same package: `use types.{point}`; other package: the full path.
    TypeId geometry_iface = b.instance({
        Builder::type("point", point),
        Builder::fn("center", b.func({{"p", point}}, point)),
    });
    TypeId other_iface = b.instance({
        Builder::type("pt", point),
        Builder::fn("list", b.func({}, b.list(point))),
    });
    TypeId run_iface = b.instance({Builder::fn("run", b.func({}, b.result(kNoType, kNoType)))});
    TypeId host_iface = b.instance({Builder::fn("log", b.func({{"msg", str}}))});

    world.arena = &b.arena;
    world.imports = {
        Builder::inst("test:demo/types@1.0.0", types_iface),
        Builder::inst("test:demo/geometry@1.0.0", geometry_iface),
        Builder::inst("other:pkg/user", other_iface),
        Builder::inst("host", host_iface),
        Builder::type("blob", blob),
        Builder::fn("now", b.func({}, b.prim(PrimType::U64))),
    };
    world.exports = {
        Builder::fn("consume", b.func({{"b", own_blob}}, b.result(kNoType, str))),
        Builder::inst("test:demo/run@1.0.0", run_iface),
    };
  }
};

TEST(WitPrinter, WorldLikeJco) {
  DemoWorld d;
  EXPECT_EQ(print_wit(d.world),
            "package root:component;\n"
            "\n"
            "world root {\n"
            "  import test:demo/types@1.0.0;\n"
            "  import test:demo/geometry@1.0.0;\n"
            "  import other:pkg/user;\n"
            "  import host: interface {\n"
            "    log: func(msg: string);\n"
            "  }\n"
            "  use test:demo/types@1.0.0.{blob};\n"
            "  import now: func() -> u64;\n"
            "\n"
            "  export consume: func(b: blob) -> result<_, string>;\n"
            "  export test:demo/run@1.0.0;\n"
            "}\n");
}

TEST(WitPrinter, NestedPackages) {
  DemoWorld d;
  d.world.nested_packages = true;
  std::string text = print_wit(d.world);
  std::string packages = text.substr(text.find("}\n\npackage ") + 2);
  EXPECT_EQ(packages,
            "\n"
            "package test:demo@1.0.0 {\n"
            "  interface types {\n"
            "    record point {\n"
            "      x: s32,\n"
            "      y: s32,\n"
            "    }\n"
            "\n"
            "    enum color {\n"
            "      red,\n"
            "      green,\n"
            "      blue,\n"
            "    }\n"
            "\n"
            "    resource blob {\n"
            "      constructor(init: list<u8>);\n"
            "      read: func(n: u32) -> list<u8>;\n"
            "      merge: static func(a: blob, b: blob) -> blob;\n"
            "    }\n"
            "\n"
            "    process: func(names: list<string>, limit: option<u32>, b: borrow<blob>, %type: u32) -> "
            "result<tuple<point, color>, string>;\n"
            "  }\n"
            "\n"
            "  interface geometry {\n"
            "    use types.{point};\n"
            "\n"
            "    center: func(p: point) -> point;\n"
            "  }\n"
            "\n"
            "  interface run {\n"
            "    run: func() -> result;\n"
            "  }\n"
            "}\n"
            "\n"
            "package other:pkg {\n"
            "  interface user {\n"
            "    use test:demo/types@1.0.0.{point as pt};\n"
            "\n"
            "    %list: func() -> list<pt>;\n"
            "  }\n"
            "}\n");
}

TEST(WitPrinter, WorldResourceAndAliases) {
  // A resource defined by the world itself (what `resource-borrow-simple`
  // decodes to), a local alias of a named type and of a primitive.
  Builder b;
  ResourceId r = b.arena.new_resource("r", false);
  TypeId res = b.arena.resource_type(r);
  TypeId flags = b.labels(TypeKind::Flags, {"read", "write"});
  TypeId variant = b.fields(TypeKind::Variant, {{"none", kNoType}, {"some", b.prim(PrimType::String)}});
  WitWorld w;
  w.arena = &b.arena;
  w.imports = {
      Builder::type("r", res),
      Builder::fn("[constructor]r", b.func({}, b.handle(TypeKind::Own, r))),
      Builder::type("perms", flags),
      Builder::type("mode", flags),
      Builder::type("size", b.prim(PrimType::U64)),
      Builder::type("maybe", variant),
      Builder::fn("test", b.func({{"r", b.handle(TypeKind::Borrow, r)}, {"p", flags}})),
  };
  w.exports = {Builder::fn("test-imports", b.func({}))};
  EXPECT_EQ(print_wit(w),
            "package root:component;\n"
            "\n"
            "world root {\n"
            "  resource r {\n"
            "    constructor();\n"
            "  }\n"
            "\n"
            "  flags perms {\n"
            "    read,\n"
            "    write,\n"
            "  }\n"
            "\n"
            "  type mode = perms;\n"
            "\n"
            "  type size = u64;\n"
            "\n"
            "  variant maybe {\n"
            "    none,\n"
            "    some(string),\n"
            "  }\n"
            "  import test: func(r: borrow<r>, p: perms);\n"
            "\n"
            "  export test-imports: func();\n"
            "}\n");
}

TEST(WitPrinter, SameInterfaceImportedAndExported) {
  // Its record is not a `use` of itself, and nested printing shows it once.
  Builder b;
  TypeId rec = b.fields(TypeKind::Record, {{"a", b.prim(PrimType::U8)}});
  TypeId iface = b.instance({Builder::type("rec", rec), Builder::fn("f", b.func({{"r", rec}}))});
  WitWorld w;
  w.arena = &b.arena;
  w.nested_packages = true;
  w.imports = {Builder::inst("test:x/t", iface)};
  w.exports = {Builder::inst("test:x/t", iface)};
  std::string text = print_wit(w);
  EXPECT_NE(text.find("  import test:x/t;\n\n  export test:x/t;\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("use "), std::string::npos) << text;
  EXPECT_EQ(text.find("interface t"), text.rfind("interface t")) << text;
}

TEST(WitPrinter, Escaping) {
  EXPECT_EQ(wit_escape("type"), "%type");
  EXPECT_EQ(wit_escape("constructor"), "%constructor");
  EXPECT_EQ(wit_escape("types"), "types");
  WitWorld none;
  EXPECT_EQ(print_wit(none), "");
}

TEST(WitPrinter, FallibleConstructor) {
  // A [constructor] returning result<own<r>, E> is written with its result; own<r> alone is not.
  Builder b;
  ResourceId r = b.arena.new_resource("r", false);
  TypeId own = b.handle(TypeKind::Own, r);
  WitWorld w;
  w.arena = &b.arena;
  w.imports = {
      Builder::type("r", b.arena.resource_type(r)),
      Builder::fn("[constructor]r", b.func({{"x", b.prim(PrimType::U32)}}, b.result(own, b.prim(PrimType::String)))),
  };
  std::string text = print_wit(w);
  EXPECT_NE(text.find("    constructor(x: u32) -> result<r, string>;\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace compoly
