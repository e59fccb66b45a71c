#include "validate/names.h"

#include <cstring>

#include "model/text.h"

namespace compoly {
namespace {

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_lower(c) || is_upper(c) || is_digit(c); }

// The pieces of a name are scanned as ranges [p, e) of its bytes, split where a separator is
// found: a string_view per piece would go through memory at each split and each call (-Oz
// leaves even string_view's constructor out of line), and only the pieces stored in an
// ExternName or quoted in a message need one.
std::string_view view(const char* p, const char* e) { return std::string_view(p, size_t(e - p)); }
void set(std::string_view& field, const char* p, const char* e) { field = view(p, e); }

// Whether [p, e) is, or starts with, a literal, whose length is known: no strlen.
template <size_t N>
bool is(const char* p, const char* e, const char (&literal)[N]) {
  return size_t(e - p) == N - 1 && std::memcmp(p, literal, N - 1) == 0;
}
template <size_t N>
bool starts_with(const char* p, const char* e, const char (&literal)[N]) {
  return size_t(e - p) >= N - 1 && std::memcmp(p, literal, N - 1) == 0;
}

// The first `c` in [p, e), or e.
const char* find(const char* p, const char* e, char c) {
  while (p < e && *p != c) ++p;
  return p;
}

// A label (allow_upper) or `words`: fragments separated by single '-', each
// of letters and digits, never mixing lowercase and uppercase (a fragment is a
// word or an acronym); the first starts with a letter. `words` are lowercase
// only: the spec uses them for namespaces and packages, which therefore cannot
// contain acronyms even though the interface projection (a label) can.
bool is_kebab(const char* p, const char* e, bool allow_upper) {
  if (p < e && is_digit(*p)) return false;
  bool lower = false, upper = false;
  char prev = '-';  // so that a leading '-' reads as a doubled one
  for (; p < e; ++p) {
    char c = *p;
    if (c == '-') {
      if (prev == '-') return false;
      lower = upper = false;
    } else if (is_lower(c)) {
      lower = true;
    } else if (is_upper(c) && allow_upper) {
      upper = true;
    } else if (!is_digit(c)) {
      return false;
    }
    if (lower && upper) return false;
    prev = c;
  }
  return prev != '-';  // empty, or a trailing '-'
}

bool is_label(const char* p, const char* e) { return is_kebab(p, e, true); }
bool is_words(const char* p, const char* e) { return is_kebab(p, e, false); }

enum class SemverPart { Core, PreRelease, Build };

// Dot-separated non-empty identifiers of [0-9A-Za-z-]. Purely numeric ones
// must not have leading zeros, except in build metadata; the core is exactly
// three numeric identifiers (MAJOR.MINOR.PATCH).
bool is_semver_part(const char* p, const char* e, SemverPart part) {
  for (int count = 1;; ++count) {
    const char* dot = find(p, e, '.');
    if (dot == p) return false;
    bool numeric = true;
    for (const char* c = p; c < dot; ++c) {
      if (!is_alnum(*c) && *c != '-') return false;
      numeric = numeric && is_digit(*c);
    }
    if (!numeric && part == SemverPart::Core) return false;
    if (numeric && dot - p > 1 && *p == '0' && part != SemverPart::Build) return false;
    if (dot == e) return part != SemverPart::Core || count == 3;
    p = dot + 1;
  }
}

bool is_semver(const char* p, const char* e) {
  const char* plus = find(p, e, '+');
  if (plus < e && !is_semver_part(plus + 1, e, SemverPart::Build)) return false;
  const char* minus = find(p, plus, '-');
  if (minus < plus && !is_semver_part(minus + 1, plus, SemverPart::PreRelease)) return false;
  return is_semver_part(p, minus, SemverPart::Core);
}

// `canonversion` (🔗) for a version that is not a valid semver: "1" or "0.2"
// ("0.0.1" and "0.0.0" are valid semvers). Only used to give a specific error,
// since canonical versions are newer than WASI 0.2: the lean core, which has no
// messages, does not look (the optimiser keeps a call whose loop it cannot prove ends).
#ifdef COMPOLY_LEAN
bool is_canonversion(const char*) { return false; }  // given text(), which is nullptr there
#else
bool is_canonversion(std::string_view v) {
  if (v.substr(0, 2) == "0.") v.remove_prefix(2);
  return !v.empty() && v[0] != '0' && v.find_first_not_of("0123456789") == std::string_view::npos;
}
#endif

// A piece of the name as a message's text, as is or quoted. The lean core, which has no
// messages, makes no view of it.
#ifdef COMPOLY_LEAN
const char* text(const char*, const char*) { return nullptr; }
const char* quoted(const char*, const char*) { return nullptr; }
#else
std::string_view text(const char* p, const char* e) { return view(p, e); }
std::string quoted(std::string_view name) {
  std::string s = "\"";
  s.append(name);
  s += '"';
  return s;
}
std::string quoted(const char* p, const char* e) { return quoted(view(p, e)); }
#endif

#ifdef COMPOLY_LEAN
// The lean core has no message text (model/text.h): a literal message stays a pointer that
// nothing reads (not a string_view, whose constructor the optimiser keeps), so it is dropped.
NameProblem fail(std::string_view, const char*) { return {true}; }
NameProblem fail(std::string_view, const MessageText&) { return {true}; }
#else
NameProblem fail(std::string_view name, std::string_view why) {
  std::string s = "invalid import/export name " + quoted(name) + ": ";
  s.append(why);
  return {std::move(s)};
}
#endif

// Shared by interface names and dependency package paths: "ns:pkg" in [p, e) with both
// parts `words`. More than one ':' is a nested namespace (🪺).
NameProblem check_namespace_package(std::string_view name, const char* p, const char* e) {
  const char* colon = find(p, e, ':');
  if (colon == e)
    return fail(name, "expected \"namespace:package\"");
  if (find(colon + 1, e, ':') < e)
    return fail(name,
                "nested namespaces (🪺) are beyond WASI 0.2 and not supported");
  if (!is_words(p, colon))
    return fail(name, message("namespace {} is not lowercase kebab-case words", {quoted(p, colon)}));
  if (!is_words(colon + 1, e))
    return fail(name, message("package {} is not lowercase kebab-case words", {quoted(colon + 1, e)}));
  return {};
}

NameProblem parse_interface(std::string_view name, ExternName& out) {
  const char* p = name.data();
  const char* e = p + name.size();
  const char* at = find(p, e, '@');  // the path before it, the version after
  if (e - at == 1)
    return fail(name, "empty version after '@'");
  const char* slash = find(p, at, '/');
  if (slash == at)
    return fail(name, "interface name needs \"namespace:package/interface\"");
  if (NameProblem problem = check_namespace_package(name, p, slash); !problem.ok())
    return problem;
  if (find(slash + 1, at, '/') < at)
    return fail(name,
                "nested packages (🪺) are beyond WASI 0.2 and not supported");
  if (!is_label(slash + 1, at))
    return fail(name, message("interface {} is not a kebab-case label", {quoted(slash + 1, at)}));
  if (at < e) {
    // Chosen inside the message() call, which the lean core (no messages) drops, choice and all.
    if (!is_semver(at + 1, e))
      return fail(name, message(is_canonversion(text(at + 1, e))
                                    ? "canonical interface version {} (🔗) is beyond WASI 0.2; use a full semver"
                                    : "version {} is not a valid semver",
                                {quoted(at + 1, e)}));
    set(out.version, at + 1, e);
  }
  out.kind = NameKind::Interface;
  set(out.interface_no_version, p, at);
  return {};
}

// One `alg-base64[?options]` of SRI integrity metadata, where SRI's grammar allows the
// algorithms sha256, sha384 and sha512 (wasm-tools alike: "unrecognized hash algorithm"):
// a base64 or base64url body, at most two '=' pads, then options of VCHARs.
bool is_integrity_token(const char* p, const char* e) {
  if (!starts_with(p, e, "sha256-") && !starts_with(p, e, "sha384-") && !starts_with(p, e, "sha512-")) return false;
  const char* body = p += 7;
  while (p < e && (is_alnum(*p) || *p == '+' || *p == '/' || *p == '-' || *p == '_')) ++p;
  if (p == body) return false;
  for (int pads = 0; pads < 2 && p < e && *p == '='; ++pads) ++p;
  if (p == e) return true;
  if (*p != '?') return false;
  while (++p < e)
    if (*p <= ' ' || *p > '~') return false;
  return true;
}

// What follows "integrity=<": SRI integrity-metadata (at least one token, tokens separated by
// spaces and tabs), then '>' and nothing else.
bool is_hash_body(const char* p, const char* e) {
  const char* close = find(p, e, '>');
  if (e - close != 1 || find(p, close, '<') < close) return false;
  bool any = false;
  for (;;) {
    while (p < close && (*p == ' ' || *p == '\t')) ++p;
    if (p == close) return any;
    const char* token = p;
    while (p < close && *p != ' ' && *p != '\t') ++p;
    if (!is_integrity_token(token, p)) return false;
    any = true;
  }
}

// After a locked-dep or url: nothing, or ",integrity=<...>".
bool is_optional_hash_suffix(const char* p, const char* e) {
  return p == e || (starts_with(p, e, ",integrity=<") && is_hash_body(p + 12, e));
}

NameProblem check_pkgpath(std::string_view name, const char* p, const char* e) {
  // A '/' projection only exists in the nested pkgpath form (🪺).
  if (find(p, e, '/') < e)
    return fail(name,
                "nested package paths (🪺) are beyond WASI 0.2 and not supported");
  return check_namespace_package(name, p, e);
}

// verrange ::= '@*' | '@{' verlower '}' | '@{' verupper '}'
//            | '@{' verlower ' ' verupper '}'
// [p, e) is not empty.
bool is_verrange(const char* p, const char* e) {
  if (is(p, e, "@*")) return true;
  if (!starts_with(p, e, "@{") || e[-1] != '}') return false;
  // Within the braces, of which there are two ('{' is no '}').
  p += 2;
  --e;
  auto lower_ok = [](const char* a, const char* b) { return starts_with(a, b, ">=") && is_semver(a + 2, b); };
  auto upper_ok = [](const char* a, const char* b) { return starts_with(a, b, "<") && is_semver(a + 1, b); };
  const char* space = find(p, e, ' ');
  if (space < e) return lower_ok(p, space) && upper_ok(space + 1, e);
  return lower_ok(p, e) || upper_ok(p, e);
}

// `scheme=<...>`, the dependency, URL and hash names; the body [p, e) is what follows "=<".
// The scheme is [name.data(), scheme_end).
NameProblem parse_dependency(std::string_view name, const char* scheme_end, const char* p, const char* e,
                             ExternName& out) {
  const char* scheme = name.data();
  out.kind = NameKind::Dependency;
  if (is(scheme, scheme_end, "unlocked-dep")) {
    // The version range itself contains '<' and '>', so the body runs to the
    // final '>' rather than the first one; no hashname may follow.
    if (name.back() != '>') return fail(name, "unlocked-dep must end with '>'");
    --e;
    const char* at = find(p, e, '@');  // the path before it, the range from it
    if (NameProblem problem = check_pkgpath(name, p, at); !problem.ok()) return problem;
    if (at < e && !is_verrange(at, e))
      return fail(name, message("version range {} is not '@*', '@{>=v}', '@{<v}' or '@{>=v <v}'", {quoted(at, e)}));
    set(out.interface_no_version, p, at);
    return {};
  }
  if (is(scheme, scheme_end, "integrity")) {
    if (!is_hash_body(p, e))
      return fail(name, "integrity metadata must be \"integrity=<alg-base64 ...>\", alg one of sha256, sha384 and sha512");
    return {};
  }
  // locked-dep and url: the body runs to the first '>'; a hashname may follow.
  const char* close = find(p, e, '>');
  if (close == e) return fail(name, message("{} is missing its closing '>'", {text(scheme, scheme_end)}));
  if (is(scheme, scheme_end, "url")) {
    if (find(p, close, '<') < close) return fail(name, "url may not contain '<' or '>'");
  } else {
    const char* at = find(p, close, '@');  // the path before it, the version after
    if (NameProblem problem = check_pkgpath(name, p, at); !problem.ok()) return problem;
    if (at < close) {
      if (!is_semver(at + 1, close)) return fail(name, message("version {} is not a valid semver", {quoted(at + 1, close)}));
      set(out.version, at + 1, close);
    }
    set(out.interface_no_version, p, at);
  }
  if (!is_optional_hash_suffix(close + 1, e))
    return fail(name, message("expected nothing or \",integrity=<...>\" after {}", {text(scheme, scheme_end)}));
  return {};
}

NameProblem parse_annotated(std::string_view name, ExternName& out) {
  const char* p = name.data();
  const char* e = p + name.size();
  const char* close = find(p, e, ']');
  if (close == e)
    return fail(name, "annotation '[' has no closing ']'");
  const char* annotation = p + 1;  // to `close`
  const char* rest = close + 1;
  if (is(annotation, close, "constructor")) {
    if (!is_label(rest, e))
      return fail(name, "[constructor] must be followed by a kebab-case resource label");
    out.kind = NameKind::Constructor;
    set(out.label, rest, e);
    out.resource = out.label;
    return {};
  }
  if (is(annotation, close, "method") || is(annotation, close, "static")) {
    const char* dot = find(rest, e, '.');
    if (dot == e)
      return fail(name, message("[{}] must be followed by \"resource.function\"", {text(annotation, close)}));
    if (!is_label(rest, dot)) return fail(name, message("resource {} is not a kebab-case label", {quoted(rest, dot)}));
    if (!is_label(dot + 1, e)) return fail(name, message("function {} is not a kebab-case label", {quoted(dot + 1, e)}));
    out.kind = *annotation == 'm' ? NameKind::Method : NameKind::Static;
    set(out.label, dot + 1, e);
    set(out.resource, rest, dot);
    return {};
  }
  // Async annotations existed in post-0.2 drafts (and are now expressed in
  // the function type instead); name them explicitly so users understand the
  // component targets something newer than WASI 0.2.
  // The lean core has no messages to tell them apart.
#ifndef COMPOLY_LEAN
  if (is(annotation, close, "async") || is(annotation, close, "async method") || is(annotation, close, "async static"))
    return fail(name, message("the [{}] annotation is beyond WASI 0.2 and not supported", {text(annotation, close)}));
#endif
  return fail(name, message("unknown annotation [{}]", {text(annotation, close)}));
}

}  // namespace

bool is_label(std::string_view s) { return is_label(s.data(), s.data() + s.size()); }

bool is_valid_semver(std::string_view v) { return is_semver(v.data(), v.data() + v.size()); }

NameProblem check_extern_name(std::string_view name, ExternName& out) {
  out = ExternName{};
  if (name.empty()) return fail(name, "name is empty");
  if (name[0] == '[') return parse_annotated(name, out);
  // "unlocked-dep=<", "locked-dep=<", "url=<" and "integrity=<": no scheme has an '='.
  const char* p = name.data();
  const char* e = p + name.size();
  const char* eq = find(p, e, '=');
  if (e - eq > 1 && eq[1] == '<') {
    if (is(p, eq, "unlocked-dep") || is(p, eq, "locked-dep") || is(p, eq, "url") || is(p, eq, "integrity"))
      return parse_dependency(name, eq, eq + 2, e, out);
  }
  if (find(p, e, ':') < e) return parse_interface(name, out);
  if (!is_label(p, e))
    return fail(name,
                "not a kebab-case label (words of lowercase letters/digits or "
                "all-uppercase acronyms, separated by single '-', starting "
                "with a letter)");
  out.kind = NameKind::Label;
  out.label = name;
  return {};
}

NameProblem check_export_name(std::string_view name, ExternName& out) {
  NameProblem problem = check_extern_name(name, out);
  if (problem.ok() && out.kind == NameKind::Dependency)
    return fail(name, "dependency, URL and hash names (locked-dep=, unlocked-dep=, url=, integrity=) may only name imports, not exports");
  return problem;
}

// Spec step 1.1 lowercases every uppercase letter (ascii_lower); the rest
// depends on the kind of name.
UniquenessKey uniqueness_key(std::string_view name, const ExternName& parsed) {
  switch (parsed.kind) {
    case NameKind::Method:
    case NameKind::Static:
      // Steps 1.2/1.3: "[method]l.l" becomes "l", other "[method]r.f" and
      // "[static]r.f" lose their annotation, so [method]r.f and [static]r.f
      // collide with each other (but not with any label, which has no '.').
      if (equal_folded(parsed.resource, parsed.label)) return {parsed.label};
      return {view(find(name.data(), name.data() + name.size(), ']') + 1, name.data() + name.size())};
    case NameKind::Dependency:
      // Its letters are no acronyms: package names are lowercase words, and what else it
      // holds (a URL, an integrity hash, a version's pre-release) is data in which case
      // matters (wasm-tools compares these names exactly). '=' keeps it apart from the rest.
      return {name, false};
    case NameKind::Constructor:
      // [constructor] is the one annotation the spec keeps, so "[constructor]r"
      // and "r" are strongly-unique.
    case NameKind::Label:
    case NameKind::Interface:
      // Interface names contain ':', which no label or method key does, so
      // kinds cannot collide.
      break;
  }
  return {name};
}

bool add_uniqueness_key(KeySet& keys, std::string_view name, const ExternName& parsed) {
  const UniquenessKey key = uniqueness_key(name, parsed);
  return key.folded ? keys.add_folded(key.text) : keys.add(key.text);
}

}  // namespace compoly
