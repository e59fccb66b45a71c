// Tests for import/export name syntax and strong uniqueness, following
// Explainer.md "Import and Export Definitions" and "Name Uniqueness".
#include "validate/names.h"

#include <gtest/gtest.h>

#include <string>

namespace compoly {
namespace {

// A name's problem as text, "" when it is valid: what the assertions below compare.
std::string parse_extern_name(std::string_view name, ExternName& out) { return check_extern_name(name, out).text(); }
std::string parse_export_name(std::string_view name, ExternName& out) { return check_export_name(name, out).text(); }

std::string parse(std::string_view name) {
  ExternName out;
  return parse_extern_name(name, out);
}

std::string key(std::string_view name) {
  ExternName out;
  std::string err = parse_extern_name(name, out);
  EXPECT_EQ(err, "") << name;
  const UniquenessKey k = uniqueness_key(name, out);
  std::string text(k.text);
  if (k.folded)
    for (char& c : text) c = ascii_lower(c);
  return text;
}

bool conflict(std::string_view a, std::string_view b) { return key(a) == key(b); }

TEST(Names, LabelsValidPerSpecExamples) {
  for (const char* s : {"a", "a-b-c", "a1-2-3", "A", "A-B-C", "A1-2-3", "a11-w0rds",
                        "A11-4CR0NYMS", "m1x3d-4CR0NYMS", "a-b", "a1", "is-XML",
                        "get-JSON", "custom-hook", "x2", "a-1"}) {
    EXPECT_TRUE(is_label(s)) << s;
    EXPECT_EQ(parse(s), "") << s;
  }
}

TEST(Names, LabelsInvalid) {
  // Each fragment must be all-lowercase or all-uppercase, so "ABC-def" is
  // fine but "Abc" (mixed within one fragment) is not.
  EXPECT_TRUE(is_label("ABC-def"));
  for (const char* s : {"", "1-2-3", "1a", "-a", "a-", "a--b", "Abc", "aB", "a-Bc",
                        "a_b", "a.b", "a b", "é", "a-b-", "-", "a/b"}) {
    EXPECT_FALSE(is_label(s)) << s;
    EXPECT_NE(parse(s), "") << s;
  }
}

TEST(Names, LabelParseFields) {
  ExternName n;
  ASSERT_EQ(parse_extern_name("foo-bar", n), "");
  EXPECT_EQ(n.kind, NameKind::Label);
  EXPECT_EQ(n.label, "foo-bar");
  EXPECT_EQ(n.resource, "");
}

TEST(Names, ErrorQuotesName) {
  std::string err = parse("a--b");
  EXPECT_NE(err.find("\"a--b\""), std::string::npos) << err;
  EXPECT_NE(parse("").find("empty"), std::string::npos);
}

TEST(Names, Constructor) {
  ExternName n;
  ASSERT_EQ(parse_extern_name("[constructor]r", n), "");
  EXPECT_EQ(n.kind, NameKind::Constructor);
  EXPECT_EQ(n.label, "r");
  EXPECT_EQ(n.resource, "r");
  EXPECT_EQ(parse("[constructor]my-RES"), "");
  EXPECT_NE(parse("[constructor]My-res"), "");  // "My" mixes cases
  EXPECT_NE(parse("[constructor]"), "");
  EXPECT_NE(parse("[constructor]r.f"), "");
  EXPECT_NE(parse("[constructor]1r"), "");
}

TEST(Names, MethodAndStatic) {
  ExternName n;
  ASSERT_EQ(parse_extern_name("[method]r.f", n), "");
  EXPECT_EQ(n.kind, NameKind::Method);
  EXPECT_EQ(n.resource, "r");
  EXPECT_EQ(n.label, "f");
  ASSERT_EQ(parse_extern_name("[static]my-res.make-NEW", n), "");
  EXPECT_EQ(n.kind, NameKind::Static);
  EXPECT_EQ(n.resource, "my-res");
  EXPECT_EQ(n.label, "make-NEW");
  EXPECT_EQ(parse("[static]r.F-oo"), "");  // acronym then word: fine

  for (const char* s : {"[method]r", "[static]r", "[method]r.", "[method].f",
                        "[method]r.f.g", "[method]r--x.f", "[static]r.Fo-o",
                        "[method]", "[method", "method]r.f", "[Method]r.f",
                        "[method] r.f"}) {
    EXPECT_NE(parse(s), "") << s;
  }
}

TEST(Names, UnknownAndAsyncAnnotationsRejected) {
  for (const char* s : {"[async]f", "[async method]r.f", "[async static]r.f"}) {
    std::string err = parse(s);
    EXPECT_NE(err.find("async"), std::string::npos) << s << ": " << err;
    EXPECT_NE(err.find("WASI 0.2"), std::string::npos) << s << ": " << err;
  }
  std::string err = parse("[destructor]r");
  EXPECT_NE(err.find("unknown annotation"), std::string::npos) << err;
}

TEST(Names, InterfaceNames) {
  ExternName n;
  ASSERT_EQ(parse_extern_name("wasi:io/streams@0.2.0", n), "");
  EXPECT_EQ(n.kind, NameKind::Interface);
  EXPECT_EQ(n.interface_no_version, "wasi:io/streams");
  EXPECT_EQ(n.version, "0.2.0");

  ASSERT_EQ(parse_extern_name("wasi:io/streams@0.2.0-rc-2023-11-10", n), "");
  EXPECT_EQ(n.version, "0.2.0-rc-2023-11-10");

  ASSERT_EQ(parse_extern_name("wasi:io/streams", n), "");
  EXPECT_EQ(n.interface_no_version, "wasi:io/streams");
  EXPECT_EQ(n.version, "");

  EXPECT_EQ(parse("wasi:http/outgoing-handler@0.2.3"), "");
  EXPECT_EQ(parse("my-ns:my-pkg2/iface-XML@1.0.0+build.5"), "");
  EXPECT_EQ(parse("foo:bar/BAZ"), "");  // projection is a label
}

TEST(Names, InterfaceNamesInvalid) {
  for (const char* s : {"wasi:io", "wasi:/streams", ":io/streams", "wasi:io/",
                        "Wasi:io/streams",   // namespace is `words`: lowercase only
                        "wasi:IO/streams",   // so is the package
                        "wasi:io/streams@",  // empty version
                        "wasi:io/streams@1.0", "wasi:io/streams@01.0.0",
                        "wasi:io/streams@1.0.0-", "wasi:io/streams@1.0.0+",
                        "wasi:io/streams@1.0.0-01", "wasi:io/str--eams",
                        "wa_si:io/streams", "wasi:io/streams@1.0.0@2.0.0"}) {
    EXPECT_NE(parse(s), "") << s;
  }
}

TEST(Names, NestedNamespacesAndPackagesRejected) {
  for (const char* s : {"a:b/c/d", "a:b:c/d", "a:b/c/d@1.0.0"}) {
    std::string err = parse(s);
    EXPECT_NE(err.find("nested"), std::string::npos) << s << ": " << err;
  }
}

TEST(Names, CanonicalVersionRejectedAsPost02) {
  std::string err = parse("wasi:http/types@0.2");
  EXPECT_NE(err.find("WASI 0.2"), std::string::npos) << err;
  EXPECT_NE(parse("wasi:http/types@1"), "");
  // "0.0.0" is both a canonversion and a valid semver: accepted.
  EXPECT_EQ(parse("wasi:http/types@0.0.0"), "");
}

TEST(Names, Semver) {
  for (const char* v : {"0.0.0", "1.2.3", "10.20.30", "1.0.0-alpha", "1.0.0-alpha.1",
                        "1.0.0-0.3.7", "1.0.0-x.7.z.92", "1.0.0-x-y-z.--",
                        "1.0.0+20130313144700", "1.0.0-beta+exp.sha.5114f85",
                        "1.0.0+21AF26D3----117B344092BD", "1.0.0+001",
                        "0.2.0-rc-2023-11-10"}) {
    EXPECT_TRUE(is_valid_semver(v)) << v;
  }
  for (const char* v : {"", "1", "1.2", "1.2.3.4", "01.1.1", "1.01.1", "1.1.01",
                        "1.2.3-", "1.2.3+", "1.2.3-01", "1.2.3-a..b", "1.2.3-a_b",
                        "v1.2.3", "1.2.3 ", "-1.2.3", "1.2.-3", "a.b.c", "1..3",
                        "1.2.3+a+b"}) {
    EXPECT_FALSE(is_valid_semver(v)) << v;
  }
}

TEST(Names, DependencyNamesAccepted) {
  ExternName n;
  ASSERT_EQ(parse_extern_name("locked-dep=<a:b@1.2.3>", n), "");
  EXPECT_EQ(n.kind, NameKind::Dependency);
  EXPECT_EQ(n.interface_no_version, "a:b");
  EXPECT_EQ(n.version, "1.2.3");
  ASSERT_EQ(parse_extern_name("unlocked-dep=<a:b@{>=1.0.0 <2.0.0}>", n), "");
  EXPECT_EQ(n.kind, NameKind::Dependency);
  EXPECT_EQ(n.interface_no_version, "a:b");
  for (const char* s : {"locked-dep=<a:b>", "unlocked-dep=<a:b>",
                        "unlocked-dep=<a:b@*>", "unlocked-dep=<a:b@{>=1.0.0}>",
                        "unlocked-dep=<a:b@{<2.0.0}>",
                        "locked-dep=<a:b@1.0.0>,integrity=<sha256-abc+/=>",
                        "url=<https://example.com/x.wasm>",
                        "url=<https://example.com/x.wasm>,integrity=<sha384-AbC123==>",
                        "url=<>", "integrity=<sha256-abc>",
                        "integrity=<sha256-abc sha512-def?opt>"}) {
    EXPECT_EQ(parse(s), "") << s;
  }
}

TEST(Names, DependencyNamesOnlyNameImports) {
  ExternName n;
  for (const char* s : {"locked-dep=<a:b@1.2.3>", "unlocked-dep=<a:b>", "url=<https://example.com/x.wasm>",
                        "integrity=<sha256-abc>"}) {
    EXPECT_EQ(parse_extern_name(s, n), "") << s;
    EXPECT_NE(parse_export_name(s, n).find("may only name imports"), std::string::npos) << s;
  }
  for (const char* s : {"foo", "[constructor]r", "[method]r.f", "wasi:io/streams@0.2.0"}) {
    EXPECT_EQ(parse_export_name(s, n), "") << s;
  }
}

TEST(Names, DependencyNamesInvalid) {
  for (const char* s : {"locked-dep=<a:b", "locked-dep=<a:b@1.0>",
                        "locked-dep=<a:b>x", "locked-dep=<a:b>,integrity=<>",
                        "locked-dep=<A:b>", "unlocked-dep=<a:b@1.0.0>",
                        "unlocked-dep=<a:b@{1.0.0}>", "unlocked-dep=<a:b@{>=1.0.0 }>",
                        "unlocked-dep=<a:b>,integrity=<sha256-abc>",
                        "url=<a<b>", "url=<x>junk", "url=<x",
                        "integrity=<>", "integrity=<sha256>", "integrity=<-abc>",
                        "integrity=<sha256-a===>", "integrity=<sha256-abc>x"}) {
    EXPECT_NE(parse(s), "") << s;
  }
  EXPECT_NE(parse("locked-dep=<a:b/c>").find("nested"), std::string::npos);
  EXPECT_NE(parse("unlocked-dep=<a:b:c>").find("nested"), std::string::npos);
}

// The spec's own example sets: the first are pairwise strongly-unique, and
// each of the second conflicts with something in the first.
TEST(Names, UniquenessSpecExamples) {
  const char* unique[] = {"foo", "foo-bar", "[constructor]foo", "[method]foo.bar",
                          "[static]foo.baz", "foo:bar/baz"};
  for (const char* a : unique)
    for (const char* b : unique)
      if (std::string_view(a) != b) {
        EXPECT_FALSE(conflict(a, b)) << a << " vs " << b;
      }

  const char* clashing[] = {"foo", "FOO", "foo-BAR", "[constructor]FOO",
                            "[method]foo.BAR", "[static]foo.bar", "[method]foo.baz",
                            "[method]foo.foo", "[static]foo-BAR.FOO-bar", "foo:bar/BAZ"};
  for (const char* c : clashing) {
    bool any = false;
    for (const char* u : unique) any = any || conflict(c, u);
    EXPECT_TRUE(any) << c;
  }
}

TEST(Names, UniquenessPairs) {
  EXPECT_TRUE(conflict("a-b", "A-B"));
  EXPECT_TRUE(conflict("[method]r.f", "[static]r.f"));
  EXPECT_FALSE(conflict("r", "[constructor]r"));  // constructor prefix is kept
  EXPECT_TRUE(conflict("r", "[method]r.r"));
  EXPECT_TRUE(conflict("r", "[static]R.r"));
  EXPECT_FALSE(conflict("f", "[method]r.f"));
  EXPECT_FALSE(conflict("[method]r.f", "[method]s.f"));
  EXPECT_TRUE(conflict("[constructor]r", "[constructor]R"));
  EXPECT_FALSE(conflict("wasi:io/streams@0.2.0", "wasi:io/streams@0.2.1"));
  EXPECT_TRUE(conflict("wasi:io/streams@0.2.0", "wasi:io/streams@0.2.0"));
  EXPECT_FALSE(conflict("wasi:io/streams", "wasi:io/streams@0.2.0"));
  EXPECT_TRUE(conflict("wasi:io/XML", "wasi:io/xml"));
}

}  // namespace
}  // namespace compoly
