// WIT text for a component's imports and exports, laid out the way
// wit-component's printer (`jco wit`) lays out a decoded component, so that
// tests can compare our view of a component with jco's.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/pod_vector.h"
#include "model/types.h"

namespace compoly {

struct WitWorld {
  std::string package = "root:component";  // what wit-component names a decoded component's package
  std::string world = "root";
  const TypeArena* arena = nullptr;
  PodVector<NamedExtern> imports;
  PodVector<NamedExtern> exports;
  // `jco wit` prints only the root package; `wasm-tools component wit` also
  // prints every interface the world names, as nested `package ns:pkg { .. }`
  // blocks. Off by default so that the output matches jco's.
  bool nested_packages = false;
};

// Never fails: items WIT cannot express (core modules, component or value
// imports) are left out, and a type that has no name where WIT needs one is
// printed structurally so that the text still says what it is.
std::string print_wit(const WitWorld& world);

// `name`, with a `%` in front when it is a WIT keyword.
std::string wit_escape(std::string_view name);

}  // namespace compoly
