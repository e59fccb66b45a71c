#include "validate/names.h"

#include <cstring>

#include "model/text.h"

namespace compoly {
namespace {

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_lower(c) || is_upper(c) || is_digit(c); }

// Whether `s` is, or starts with, a literal: its length is known, so neither strlen nor the
// string_view calls that -Oz leaves out of line.
template <size_t N>
bool is(std::string_view s, const char (&literal)[N]) {
  return s.size() == N - 1 && std::memcmp(s.data(), literal, N - 1) == 0;
}
template <size_t N>
bool starts_with(std::string_view s, const char (&literal)[N]) {
  return s.size() >= N - 1 && std::memcmp(s.data(), literal, N - 1) == 0;
}

// Splits `s` at the first `sep`; returns false (and leaves outputs untouched)
// when `sep` does not occur.
bool split_first(std::string_view s, char sep, std::string_view& before,
                 std::string_view& after) {
  size_t pos = s.find(sep);
  if (pos == std::string_view::npos) return false;
  before = s.substr(0, pos);
  after = s.substr(pos + 1);
  return true;
}

// A label (allow_upper) or `words`: fragments separated by single '-', each
// of letters and digits, never mixing lowercase and uppercase (a fragment is a
// word or an acronym); the first starts with a letter. `words` are lowercase
// only: the spec uses them for namespaces and packages, which therefore cannot
// contain acronyms even though the interface projection (a label) can.
bool is_kebab(std::string_view s, bool allow_upper) {
  if (!s.empty() && is_digit(s[0])) return false;
  bool lower = false, upper = false;
  char prev = '-';  // so that a leading '-' reads as a doubled one
  for (char c : s) {
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

bool is_words(std::string_view s) { return is_kebab(s, false); }

enum class SemverPart { Core, PreRelease, Build };

// Dot-separated non-empty identifiers of [0-9A-Za-z-]. Purely numeric ones
// must not have leading zeros, except in build metadata; the core is exactly
// three numeric identifiers (MAJOR.MINOR.PATCH).
bool is_semver_part(std::string_view s, SemverPart part) {
  for (int count = 1;; ++count) {
    std::string_view id = s, rest;
    bool more = split_first(s, '.', id, rest);
    if (id.empty()) return false;
    bool numeric = true;
    for (char c : id) {
      if (!is_alnum(c) && c != '-') return false;
      numeric = numeric && is_digit(c);
    }
    if (!numeric && part == SemverPart::Core) return false;
    if (numeric && id.size() > 1 && id[0] == '0' && part != SemverPart::Build) return false;
    if (!more) return part != SemverPart::Core || count == 3;
    s = rest;
  }
}

// `canonversion` (🔗) for a version that is not a valid semver: "1" or "0.2"
// ("0.0.1" and "0.0.0" are valid semvers). Only used to give a specific error,
// since canonical versions are newer than WASI 0.2.
bool is_canonversion(std::string_view v) {
  if (starts_with(v, "0.")) v.remove_prefix(2);
  return !v.empty() && v[0] != '0' && v.find_first_not_of("0123456789") == std::string_view::npos;
}

// For messages only: the lean core, which has none, quotes nothing.
#ifdef COMPOLY_LEAN
std::string_view quoted(std::string_view) { return {}; }
#else
std::string quoted(std::string_view name) {
  std::string s = "\"";
  s.append(name);
  s += '"';
  return s;
}
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

// Shared by interface names and dependency package paths: "ns:pkg" with both
// parts `words`. More than one ':' is a nested namespace (🪺).
NameProblem check_namespace_package(std::string_view name, std::string_view ns_pkg) {
  std::string_view ns, pkg;
  if (!split_first(ns_pkg, ':', ns, pkg))
    return fail(name, "expected \"namespace:package\"");
  if (pkg.find(':') != std::string_view::npos)
    return fail(name,
                "nested namespaces (🪺) are beyond WASI 0.2 and not supported");
  if (!is_words(ns)) return fail(name, message("namespace {} is not lowercase kebab-case words", {quoted(ns)}));
  if (!is_words(pkg)) return fail(name, message("package {} is not lowercase kebab-case words", {quoted(pkg)}));
  return {};
}

NameProblem check_interface_version(std::string_view name, std::string_view v) {
  if (is_valid_semver(v)) return {};
  // Chosen inside the message() call, which the lean core (no messages) drops, choice and all.
  return fail(name, message(is_canonversion(v) ? "canonical interface version {} (🔗) is beyond WASI 0.2; use a full semver"
                                              : "version {} is not a valid semver",
                           {quoted(v)}));
}

NameProblem parse_interface(std::string_view name, ExternName& out) {
  std::string_view path = name, version;
  bool has_version = split_first(name, '@', path, version);
  if (has_version && version.empty())
    return fail(name, "empty version after '@'");
  std::string_view ns_pkg, iface;
  if (!split_first(path, '/', ns_pkg, iface))
    return fail(name, "interface name needs \"namespace:package/interface\"");
  if (NameProblem problem = check_namespace_package(name, ns_pkg); !problem.ok())
    return problem;
  if (iface.find('/') != std::string_view::npos)
    return fail(name,
                "nested packages (🪺) are beyond WASI 0.2 and not supported");
  if (!is_label(iface)) return fail(name, message("interface {} is not a kebab-case label", {quoted(iface)}));
  if (has_version) {
    if (NameProblem problem = check_interface_version(name, version); !problem.ok())
      return problem;
  }
  out.kind = NameKind::Interface;
  out.interface_no_version = path;
  out.version = version;
  return {};
}

// One `alg-base64[?options]` of SRI integrity metadata, where SRI's grammar allows the
// algorithms sha256, sha384 and sha512 (wasm-tools alike: "unrecognized hash algorithm"):
// a base64 or base64url body, at most two '=' pads, then options of VCHARs.
bool is_integrity_token(std::string_view t) {
  std::string_view alg = t.substr(0, 7);
  if (!is(alg, "sha256-") && !is(alg, "sha384-") && !is(alg, "sha512-")) return false;
  size_t i = alg.size();
  while (i < t.size() && (is_alnum(t[i]) || t[i] == '+' || t[i] == '/' || t[i] == '-' || t[i] == '_')) ++i;
  if (i == alg.size()) return false;  // an empty body
  for (int pads = 0; pads < 2 && i < t.size() && t[i] == '='; ++pads) ++i;
  if (i == t.size()) return true;
  if (t[i] != '?') return false;
  for (char c : t.substr(i + 1))
    if (c <= ' ' || c > '~') return false;
  return true;
}

// SRI integrity-metadata: at least one token, tokens separated by spaces and tabs.
bool is_integrity_metadata(std::string_view s) {
  bool any = false;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i < s.size() && s[i] != ' ' && s[i] != '\t') continue;
    if (i > start) {
      if (!is_integrity_token(s.substr(start, i - start))) return false;
      any = true;
    }
    start = i + 1;
  }
  return any;
}

// What follows "integrity=<": the metadata, then '>' and nothing else.
bool is_hash_body(std::string_view body) {
  std::string_view meta, rest;
  return split_first(body, '>', meta, rest) && rest.empty() && meta.find('<') == std::string_view::npos &&
         is_integrity_metadata(meta);
}

// After a locked-dep or url: nothing, or ",integrity=<...>".
bool is_optional_hash_suffix(std::string_view rest) {
  return rest.empty() || (starts_with(rest, ",integrity=<") && is_hash_body(rest.substr(12)));
}

NameProblem check_pkgpath(std::string_view name, std::string_view p) {
  // A '/' projection only exists in the nested pkgpath form (🪺).
  if (p.find('/') != std::string_view::npos)
    return fail(name,
                "nested package paths (🪺) are beyond WASI 0.2 and not supported");
  return check_namespace_package(name, p);
}

// verrange ::= '@*' | '@{' verlower '}' | '@{' verupper '}'
//            | '@{' verlower ' ' verupper '}'
bool is_verrange(std::string_view r) {
  if (is(r, "@*")) return true;
  if (!starts_with(r, "@{") || r.back() != '}') return false;
  std::string_view inner = r.substr(2, r.size() - 3);
  auto lower_ok = [](std::string_view s) { return starts_with(s, ">=") && is_valid_semver(s.substr(2)); };
  auto upper_ok = [](std::string_view s) { return starts_with(s, "<") && is_valid_semver(s.substr(1)); };
  std::string_view lo, hi;
  if (split_first(inner, ' ', lo, hi)) return lower_ok(lo) && upper_ok(hi);
  return lower_ok(inner) || upper_ok(inner);
}

// `scheme=<...>`, the dependency, URL and hash names; `body` is what follows "=<".
NameProblem parse_dependency(std::string_view name, std::string_view scheme, std::string_view body,
                             ExternName& out) {
  out.kind = NameKind::Dependency;
  if (is(scheme, "unlocked-dep")) {
    // The version range itself contains '<' and '>', so the body runs to the
    // final '>' rather than the first one; no hashname may follow.
    if (name.back() != '>') return fail(name, "unlocked-dep must end with '>'");
    body.remove_suffix(1);
    std::string_view path = body.substr(0, body.find('@')), range = body.substr(path.size());
    if (NameProblem problem = check_pkgpath(name, path); !problem.ok()) return problem;
    if (!range.empty() && !is_verrange(range))
      return fail(name, message("version range {} is not '@*', '@{>=v}', '@{<v}' or '@{>=v <v}'", {quoted(range)}));
    out.interface_no_version = path;
    return {};
  }
  if (is(scheme, "integrity")) {
    if (!is_hash_body(body))
      return fail(name, "integrity metadata must be \"integrity=<alg-base64 ...>\", alg one of sha256, sha384 and sha512");
    return {};
  }
  // locked-dep and url: the body runs to the first '>'; a hashname may follow.
  std::string_view inside, after;
  if (!split_first(body, '>', inside, after)) return fail(name, message("{} is missing its closing '>'", {scheme}));
  if (is(scheme, "url")) {
    if (inside.find('<') != std::string_view::npos) return fail(name, "url may not contain '<' or '>'");
  } else {
    std::string_view path = inside, version;
    bool has_version = split_first(inside, '@', path, version);
    if (NameProblem problem = check_pkgpath(name, path); !problem.ok()) return problem;
    if (has_version && !is_valid_semver(version))
      return fail(name, message("version {} is not a valid semver", {quoted(version)}));
    out.interface_no_version = path;
    out.version = version;
  }
  if (!is_optional_hash_suffix(after))
    return fail(name, message("expected nothing or \",integrity=<...>\" after {}", {scheme}));
  return {};
}

NameProblem parse_annotated(std::string_view name, ExternName& out) {
  size_t close = name.find(']');
  if (close == std::string_view::npos)
    return fail(name, "annotation '[' has no closing ']'");
  std::string_view annotation = name.substr(1, close - 1);
  std::string_view rest = name.substr(close + 1);
  if (is(annotation, "constructor")) {
    if (!is_label(rest))
      return fail(name, "[constructor] must be followed by a kebab-case resource label");
    out.kind = NameKind::Constructor;
    out.label = rest;
    out.resource = rest;
    return {};
  }
  if (is(annotation, "method") || is(annotation, "static")) {
    std::string_view resource, func;
    if (!split_first(rest, '.', resource, func))
      return fail(name, message("[{}] must be followed by \"resource.function\"", {annotation}));
    if (!is_label(resource)) return fail(name, message("resource {} is not a kebab-case label", {quoted(resource)}));
    if (!is_label(func)) return fail(name, message("function {} is not a kebab-case label", {quoted(func)}));
    out.kind = is(annotation, "method") ? NameKind::Method : NameKind::Static;
    out.label = func;
    out.resource = resource;
    return {};
  }
  // Async annotations existed in post-0.2 drafts (and are now expressed in
  // the function type instead); name them explicitly so users understand the
  // component targets something newer than WASI 0.2.
  // The lean core has no messages to tell them apart.
#ifndef COMPOLY_LEAN
  if (is(annotation, "async") || is(annotation, "async method") || is(annotation, "async static"))
    return fail(name, message("the [{}] annotation is beyond WASI 0.2 and not supported", {annotation}));
#endif
  return fail(name, message("unknown annotation [{}]", {annotation}));
}

}  // namespace

bool is_label(std::string_view s) { return is_kebab(s, true); }

bool is_valid_semver(std::string_view v) {
  std::string_view core = v, pre, build;
  if (split_first(v, '+', core, build) && !is_semver_part(build, SemverPart::Build)) return false;
  if (split_first(core, '-', core, pre) && !is_semver_part(pre, SemverPart::PreRelease)) return false;
  return is_semver_part(core, SemverPart::Core);
}

NameProblem check_extern_name(std::string_view name, ExternName& out) {
  out = ExternName{};
  if (name.empty()) return fail(name, "name is empty");
  if (name[0] == '[') return parse_annotated(name, out);
  // "unlocked-dep=<", "locked-dep=<", "url=<" and "integrity=<": no scheme has an '='.
  std::string_view scheme, rest;
  if (split_first(name, '=', scheme, rest) && starts_with(rest, "<") &&
      (is(scheme, "unlocked-dep") || is(scheme, "locked-dep") || is(scheme, "url") || is(scheme, "integrity")))
    return parse_dependency(name, scheme, rest.substr(1), out);
  if (name.find(':') != std::string_view::npos) return parse_interface(name, out);
  if (!is_label(name))
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

std::string ascii_lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = ascii_lower(c);
  return r;
}

// Spec step 1.1 lowercases every uppercase letter (ascii_lower); the rest
// depends on the kind of name.
std::string uniqueness_key(std::string_view name, const ExternName& parsed) {
  switch (parsed.kind) {
    case NameKind::Method:
    case NameKind::Static:
      // Steps 1.2/1.3: "[method]l.l" becomes "l", other "[method]r.f" and
      // "[static]r.f" lose their annotation, so [method]r.f and [static]r.f
      // collide with each other (but not with any label, which has no '.').
      if (equal_folded(parsed.resource, parsed.label)) return ascii_lower(parsed.label);
      return ascii_lower(name.substr(name.find(']') + 1));
    case NameKind::Dependency:
      // Its letters are no acronyms: package names are lowercase words, and what else it
      // holds (a URL, an integrity hash, a version's pre-release) is data in which case
      // matters (wasm-tools compares these names exactly). '=' keeps it apart from the rest.
      return std::string(name);
    case NameKind::Constructor:
      // [constructor] is the one annotation the spec keeps, so "[constructor]r"
      // and "r" are strongly-unique.
    case NameKind::Label:
    case NameKind::Interface:
      // Interface names contain ':', which no label or method key does, so
      // kinds cannot collide.
      break;
  }
  return ascii_lower(name);
}

}  // namespace compoly
