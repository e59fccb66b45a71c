#include "validate/names.h"

#include "model/text.h"

namespace compoly {
namespace {

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_lower(c) || is_upper(c) || is_digit(c); }

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

// `words ::= first-word ('-' word)*`: like a label but lowercase only. The
// spec uses it for namespaces and packages, which therefore cannot contain
// acronyms even though the interface projection (a label) can.
bool is_words(std::string_view s) {
  if (s.empty() || !is_lower(s[0])) return false;
  bool prev_dash = false;
  for (char c : s) {
    if (c == '-') {
      if (prev_dash) return false;
      prev_dash = true;
    } else if (is_lower(c) || is_digit(c)) {
      prev_dash = false;
    } else {
      return false;
    }
  }
  return !prev_dash;
}

// semver numeric identifier: "0" or no leading zero.
bool is_semver_number(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!is_digit(c)) return false;
  return s.size() == 1 || s[0] != '0';
}

// Dot-separated non-empty identifiers of [0-9A-Za-z-]. Pre-release
// identifiers that are purely numeric must not have leading zeros; build
// identifiers may.
bool is_semver_idents(std::string_view s, bool numeric_no_leading_zero) {
  if (s.empty()) return false;
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    std::string_view id =
        s.substr(start, dot == std::string_view::npos ? s.npos : dot - start);
    if (id.empty()) return false;
    bool all_digits = true;
    for (char c : id) {
      if (!is_alnum(c) && c != '-') return false;
      if (!is_digit(c)) all_digits = false;
    }
    if (numeric_no_leading_zero && all_digits && id.size() > 1 && id[0] == '0')
      return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

// `canonversion` (🔗): "1", "0.2", "0.0.1", "0.0.0". Only used to give a
// specific error, since canonical versions are newer than WASI 0.2.
bool is_canonversion(std::string_view v) {
  if (v == "0.0.0") return true;
  std::string_view rest = v;
  if (rest.substr(0, 4) == "0.0.") {
    rest = rest.substr(4);
  } else if (rest.substr(0, 2) == "0.") {
    rest = rest.substr(2);
  }
  return !rest.empty() && rest[0] != '0' && is_semver_number(rest);
}

std::string quoted(std::string_view name) {
  std::string s = "\"";
  s.append(name);
  s += '"';
  return s;
}

// Never empty: callers read an empty result as a valid name. So in the lean core, which has
// no message text (model/text.h), it is one character; a literal message stays a pointer that
// nothing reads (not a string_view, whose constructor the optimiser keeps), so it is dropped.
#ifdef COMPOLY_LEAN
std::string fail(std::string_view, const char*) { return "!"; }
std::string fail(std::string_view, const std::string&) { return "!"; }
#else
std::string fail(std::string_view name, std::string_view why) {
  std::string s = "invalid import/export name " + quoted(name) + ": ";
  s.append(why);
  return s;
}
#endif

// Shared by interface names and dependency package paths: "ns:pkg" with both
// parts `words`. More than one ':' is a nested namespace (🪺).
std::string check_namespace_package(std::string_view name,
                                    std::string_view ns_pkg) {
  std::string_view ns, pkg;
  if (!split_first(ns_pkg, ':', ns, pkg))
    return fail(name, "expected \"namespace:package\"");
  if (pkg.find(':') != std::string_view::npos)
    return fail(name,
                "nested namespaces (🪺) are beyond WASI 0.2 and not supported");
  if (!is_words(ns)) return fail(name, format("namespace {} is not lowercase kebab-case words", {quoted(ns)}));
  if (!is_words(pkg)) return fail(name, format("package {} is not lowercase kebab-case words", {quoted(pkg)}));
  return {};
}

std::string check_interface_version(std::string_view name, std::string_view v) {
  if (is_valid_semver(v)) return {};
  if (is_canonversion(v))
    return fail(name, format("canonical interface version {} (🔗) is beyond WASI 0.2; use a full semver", {quoted(v)}));
  return fail(name, format("version {} is not a valid semver", {quoted(v)}));
}

std::string parse_interface(std::string_view name, ExternName& out) {
  std::string_view path = name, version;
  bool has_version = split_first(name, '@', path, version);
  if (has_version && version.empty())
    return fail(name, "empty version after '@'");
  std::string_view ns_pkg, iface;
  if (!split_first(path, '/', ns_pkg, iface))
    return fail(name, "interface name needs \"namespace:package/interface\"");
  if (std::string err = check_namespace_package(name, ns_pkg); !err.empty())
    return err;
  if (iface.find('/') != std::string_view::npos)
    return fail(name,
                "nested packages (🪺) are beyond WASI 0.2 and not supported");
  if (!is_label(iface)) return fail(name, format("interface {} is not a kebab-case label", {quoted(iface)}));
  if (has_version) {
    if (std::string err = check_interface_version(name, version); !err.empty())
      return err;
  }
  out.kind = NameKind::Interface;
  out.interface_no_version = path;
  out.version = version;
  return {};
}

// SRI integrity-metadata: whitespace-separated `alg-base64[?options]`, where SRI's grammar
// allows the algorithms sha256, sha384 and sha512 (wasm-tools alike: "unrecognized hash
// algorithm").
bool is_integrity_metadata(std::string_view s) {
  bool any = false;
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] == ' ' || s[i] == '\t') {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < s.size() && s[end] != ' ' && s[end] != '\t') ++end;
    std::string_view tok = s.substr(i, end - i);
    i = end;
    size_t dash = tok.find('-');
    if (dash == std::string_view::npos) return false;
    std::string_view alg = tok.substr(0, dash);
    if (alg != "sha256" && alg != "sha384" && alg != "sha512") return false;
    std::string_view value = tok.substr(dash + 1);
    size_t q = value.find('?');
    std::string_view b64 = value.substr(0, q);
    // base64 or base64url body followed by at most two '=' pads.
    size_t pad_start = b64.find('=');
    std::string_view body = b64.substr(0, pad_start);
    if (body.empty()) return false;
    for (char c : body)
      if (!is_alnum(c) && c != '+' && c != '/' && c != '-' && c != '_')
        return false;
    if (pad_start != std::string_view::npos) {
      std::string_view pad = b64.substr(pad_start);
      if (pad != "=" && pad != "==") return false;
    }
    if (q != std::string_view::npos) {
      for (char c : value.substr(q + 1))
        if (c <= ' ' || c > '~') return false;  // VCHAR only
    }
    any = true;
  }
  return any;
}

// "integrity=<...>" exactly (the whole of `s`).
bool is_hashname(std::string_view s) {
  constexpr std::string_view kPrefix = "integrity=<";
  if (s.substr(0, kPrefix.size()) != kPrefix || s.size() <= kPrefix.size() ||
      s.back() != '>')
    return false;
  std::string_view meta = s.substr(kPrefix.size(), s.size() - kPrefix.size() - 1);
  if (meta.find_first_of("<>") != std::string_view::npos) return false;
  return is_integrity_metadata(meta);
}

// After a locked-dep or url body: nothing, or ",integrity=<...>".
bool is_optional_hash_suffix(std::string_view rest) {
  if (rest.empty()) return true;
  return rest[0] == ',' && is_hashname(rest.substr(1));
}

std::string check_pkgpath(std::string_view name, std::string_view p) {
  // A '/' projection only exists in the nested pkgpath form (🪺).
  if (p.find('/') != std::string_view::npos)
    return fail(name,
                "nested package paths (🪺) are beyond WASI 0.2 and not supported");
  return check_namespace_package(name, p);
}

// verrange ::= '@*' | '@{' verlower '}' | '@{' verupper '}'
//            | '@{' verlower ' ' verupper '}'
bool is_verrange(std::string_view r) {
  if (r == "@*") return true;
  if (r.size() < 3 || r.substr(0, 2) != "@{" || r.back() != '}') return false;
  std::string_view inner = r.substr(2, r.size() - 3);
  auto lower_ok = [](std::string_view s) {
    return s.substr(0, 2) == ">=" && is_valid_semver(s.substr(2));
  };
  auto upper_ok = [](std::string_view s) {
    return s.substr(0, 1) == "<" && is_valid_semver(s.substr(1));
  };
  std::string_view lo, hi;
  if (split_first(inner, ' ', lo, hi)) return lower_ok(lo) && upper_ok(hi);
  return lower_ok(inner) || upper_ok(inner);
}

std::string parse_dependency(std::string_view name, ExternName& out) {
  constexpr std::string_view kUnlocked = "unlocked-dep=<";
  constexpr std::string_view kLocked = "locked-dep=<";
  constexpr std::string_view kUrl = "url=<";
  out.kind = NameKind::Dependency;
  if (name.substr(0, kUnlocked.size()) == kUnlocked) {
    // The version range itself contains '<' and '>', so the body runs to the
    // final '>' rather than the first one; no hashname may follow.
    if (name.back() != '>' || name.size() == kUnlocked.size())
      return fail(name, "unlocked-dep must end with '>'");
    std::string_view body =
        name.substr(kUnlocked.size(), name.size() - kUnlocked.size() - 1);
    std::string_view path = body, range;
    size_t at = body.find('@');
    if (at != std::string_view::npos) {
      path = body.substr(0, at);
      range = body.substr(at);
    }
    if (std::string err = check_pkgpath(name, path); !err.empty()) return err;
    if (!range.empty() && !is_verrange(range))
      return fail(name, format("version range {} is not '@*', '@{>=v}', '@{<v}' or '@{>=v <v}'", {quoted(range)}));
    out.interface_no_version = path;
    return {};
  }
  if (name.substr(0, kLocked.size()) == kLocked) {
    std::string_view rest = name.substr(kLocked.size());
    size_t close = rest.find('>');
    if (close == std::string_view::npos)
      return fail(name, "locked-dep is missing its closing '>'");
    std::string_view body = rest.substr(0, close);
    std::string_view path = body, version;
    bool has_version = split_first(body, '@', path, version);
    if (std::string err = check_pkgpath(name, path); !err.empty()) return err;
    if (has_version && !is_valid_semver(version))
      return fail(name, format("version {} is not a valid semver", {quoted(version)}));
    if (!is_optional_hash_suffix(rest.substr(close + 1)))
      return fail(name, "expected nothing or \",integrity=<...>\" after locked-dep");
    out.interface_no_version = path;
    out.version = version;
    return {};
  }
  if (name.substr(0, kUrl.size()) == kUrl) {
    std::string_view rest = name.substr(kUrl.size());
    size_t close = rest.find('>');
    if (close == std::string_view::npos)
      return fail(name, "url is missing its closing '>'");
    if (rest.substr(0, close).find('<') != std::string_view::npos)
      return fail(name, "url may not contain '<' or '>'");
    if (!is_optional_hash_suffix(rest.substr(close + 1)))
      return fail(name, "expected nothing or \",integrity=<...>\" after url");
    return {};
  }
  // Only reached for names starting with "integrity=<".
  if (!is_hashname(name))
    return fail(name, "integrity metadata must be \"integrity=<alg-base64 ...>\", alg one of sha256, sha384 and sha512");
  return {};
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::string parse_annotated(std::string_view name, ExternName& out) {
  size_t close = name.find(']');
  if (close == std::string_view::npos)
    return fail(name, "annotation '[' has no closing ']'");
  std::string_view annotation = name.substr(1, close - 1);
  std::string_view rest = name.substr(close + 1);
  if (annotation == "constructor") {
    if (!is_label(rest))
      return fail(name, "[constructor] must be followed by a kebab-case resource label");
    out.kind = NameKind::Constructor;
    out.label = rest;
    out.resource = rest;
    return {};
  }
  if (annotation == "method" || annotation == "static") {
    std::string_view resource, func;
    if (!split_first(rest, '.', resource, func))
      return fail(name, format("[{}] must be followed by \"resource.function\"", {annotation}));
    if (!is_label(resource)) return fail(name, format("resource {} is not a kebab-case label", {quoted(resource)}));
    if (!is_label(func)) return fail(name, format("function {} is not a kebab-case label", {quoted(func)}));
    out.kind = annotation == "method" ? NameKind::Method : NameKind::Static;
    out.label = func;
    out.resource = resource;
    return {};
  }
  // Async annotations existed in post-0.2 drafts (and are now expressed in
  // the function type instead); name them explicitly so users understand the
  // component targets something newer than WASI 0.2.
  if (annotation == "async" || annotation == "async method" ||
      annotation == "async static")
    return fail(name, format("the [{}] annotation is beyond WASI 0.2 and not supported", {annotation}));
  return fail(name, format("unknown annotation [{}]", {annotation}));
}

}  // namespace

bool is_label(std::string_view s) {
  if (s.empty() || !(is_lower(s[0]) || is_upper(s[0]))) return false;
  size_t start = 0;
  while (true) {
    size_t dash = s.find('-', start);
    std::string_view frag =
        s.substr(start, dash == std::string_view::npos ? s.npos : dash - start);
    if (frag.empty()) return false;  // leading, trailing or doubled '-'
    bool has_lower = false, has_upper = false;
    for (char c : frag) {
      if (is_lower(c)) has_lower = true;
      else if (is_upper(c)) has_upper = true;
      else if (!is_digit(c)) return false;
    }
    // A fragment is a word or an acronym, never mixed case.
    if (has_lower && has_upper) return false;
    if (dash == std::string_view::npos) return true;
    start = dash + 1;
  }
}

bool is_valid_semver(std::string_view v) {
  std::string_view core = v, pre, build;
  size_t plus = v.find('+');
  if (plus != std::string_view::npos) {
    core = v.substr(0, plus);
    build = v.substr(plus + 1);
    if (!is_semver_idents(build, /*numeric_no_leading_zero=*/false)) return false;
  }
  size_t dash = core.find('-');
  if (dash != std::string_view::npos) {
    pre = core.substr(dash + 1);
    core = core.substr(0, dash);
    if (!is_semver_idents(pre, /*numeric_no_leading_zero=*/true)) return false;
  }
  std::string_view major, rest, minor, patch;
  if (!split_first(core, '.', major, rest)) return false;
  if (!split_first(rest, '.', minor, patch)) return false;
  return is_semver_number(major) && is_semver_number(minor) &&
         is_semver_number(patch);
}

std::string parse_extern_name(std::string_view name, ExternName& out) {
  out = ExternName{};
  if (name.empty()) return fail(name, "name is empty");
  if (name[0] == '[') return parse_annotated(name, out);
  if (starts_with(name, "unlocked-dep=<") || starts_with(name, "locked-dep=<") ||
      starts_with(name, "url=<") || starts_with(name, "integrity=<"))
    return parse_dependency(name, out);
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

std::string parse_export_name(std::string_view name, ExternName& out) {
  std::string problem = parse_extern_name(name, out);
  if (problem.empty() && out.kind == NameKind::Dependency)
    return fail(name, "dependency, URL and hash names (locked-dep=, unlocked-dep=, url=, integrity=) may only name imports, not exports");
  return problem;
}

std::string ascii_lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = ascii_lower(c);
  return r;
}

std::string uniqueness_key(std::string_view name, const ExternName& parsed) {
  // Spec step 1.1: lowercase every uppercase letter (ascii_lower).
  switch (parsed.kind) {
    case NameKind::Method:
    case NameKind::Static: {
      // Steps 1.2/1.3: "[method]l.l" becomes "l", other "[method]r.f" and
      // "[static]r.f" lose their annotation, so [method]r.f and [static]r.f
      // collide with each other (but not with any label, which has no '.').
      std::string r = ascii_lower(parsed.resource), f = ascii_lower(parsed.label);
      if (r == f) return f;
      return r + "." + f;
    }
    case NameKind::Constructor:
      // [constructor] is the one annotation the spec keeps, so
      // "[constructor]r" and "r" are strongly-unique.
      return "[constructor]" + ascii_lower(parsed.label);
    case NameKind::Dependency:
      // Its letters are no acronyms: package names are lowercase words, and what else it
      // holds (a URL, an integrity hash, a version's pre-release) is data in which case
      // matters (wasm-tools compares these names exactly). '=' keeps it apart from the rest.
      return std::string(name);
    case NameKind::Label:
    case NameKind::Interface:
      // These contain no annotation; interface names contain ':', which no label or
      // method key does, so kinds cannot collide.
      break;
  }
  return ascii_lower(name);
}

}  // namespace compoly
