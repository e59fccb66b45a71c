// Syntax and uniqueness of component import/export names
// (Explainer.md: "Import and Export Definitions", "Name Uniqueness").
//
// Scope is WASI 0.2: plain names ([constructor]/[method]/[static]) and
// single-level interface names with an optional full semver. Features the
// spec gates behind emoji (nested namespaces/packages 🪺, canonical
// versions 🔗) and the removed [async ...] annotations are rejected with a
// message that says so, so users learn *why* a newer component fails.
// depname/urlname/hashname come from an earlier revision of the spec and are
// accepted syntactically only, because older tooling can still emit them.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "model/key_set.h"
#include "model/text.h"

namespace compoly {

enum class NameKind { Label, Constructor, Method, Static, Interface, Dependency };

// All views point into the string passed to check_extern_name; they are only
// valid while that string is alive.
struct ExternName {
  NameKind kind = NameKind::Label;
  // Label: the whole name. Constructor: the resource. Method/Static: the
  // function part after '.'.
  std::string_view label;
  // Method/Static: the resource label before '.'. Constructor: same as label.
  std::string_view resource;
  // Interface: "ns:pkg/iface". Dependency (locked-dep/unlocked-dep): the
  // package path "ns:pkg"; empty for url=/integrity= names.
  std::string_view interface_no_version;
  // Interface: "1.2.3" or empty. Dependency: the locked-dep version or empty
  // (an unlocked-dep version range is not a version and is not stored).
  std::string_view version;
};

// kebab-case label: fragments separated by single '-', each fragment all
// lowercase+digits or all uppercase+digits, the first starting with a letter.
bool is_label(std::string_view s);

// What is wrong with a name, if anything. The lean core, which has no message text
// (model/text.h), keeps only whether something is: no string is made, moved or freed.
#ifdef COMPOLY_LEAN
struct NameProblem {
  bool invalid = false;
  bool ok() const { return !invalid; }
};
#else
struct NameProblem {
  std::string message;  // empty: none; else what is wrong with the name (quoting it)
  bool ok() const { return message.empty(); }
  std::string text() && { return std::move(message); }
};
#endif

// Parses an import name into `out`. On failure `out` is left in an unspecified (but valid)
// state.
NameProblem check_extern_name(std::string_view name, ExternName& out);

// check_extern_name for an export: export names are plain or interface names only;
// dependency, URL and hash names may only name imports (Explainer.md, `exportname` and
// `importname`).
NameProblem check_export_name(std::string_view name, ExternName& out);

// A key such that two names conflict (are not strongly-unique) iff their keys
// are equal: `text`, a part of the name, with its ASCII letters lower-cased if `folded`
// (KeySet::add_folded compares it so without a lower-cased copy). `parsed` must be the
// result of a successful parse of `name`.
struct UniquenessKey {
  std::string_view text;
  bool folded = true;
};
UniquenessKey uniqueness_key(std::string_view name, const ExternName& parsed);
// Adds `name`'s key to `keys`; false when an earlier name has that key.
bool add_uniqueness_key(KeySet& keys, std::string_view name, const ExternName& parsed);

// Semantic Versioning 2.0.0 "valid semver" (MAJOR.MINOR.PATCH with optional
// -prerelease and +build; no leading zeros in numeric identifiers).
bool is_valid_semver(std::string_view v);

}  // namespace compoly
