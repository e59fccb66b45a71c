#include "api/compile.h"

#include <cstdlib>
#include <memory>
#include <string_view>

#include "binary/component_decoder.h"
#include "link/elaborate.h"
#include "link/plan.h"
#include "model/error.h"
#include "model/object_vector.h"
#include "model/pod_vector.h"
#include "model/text.h"
#include "model/types.h"
#include "wit/printer.h"

namespace compoly {
namespace {


void error_json(TextOut& s, const Error& e) {
#ifdef COMPOLY_LEAN
  // No text to report (see format()): js/core/load.js asks the full core, which has it.
  (void)e;
  s += "{\"ok\":false}";
#else
  s += "{\"ok\":false,\"error\":{\"phase\":";
  append_json_string(s, phase_name(e.phase));
  s += ",\"path\":";
  append_json_string(s, e.path);
  s += ",\"offset\":";
  append_decimal(s, e.offset);
  s += ",\"reason\":";
  append_json_string(s, e.message);
  s += ",\"message\":";
  append_json_string(s, e.to_string());
  s += "}}";
#endif
}

// Everything one compilation produces; the decoded tree points into the
// caller's bytes.
struct Compilation {
  std::unique_ptr<Component> component;
  TypeArena arena;
  LayoutCache layouts{arena};
  Plan plan;
  World world;
  Error error;
  bool ok = false;
};

void run(const uint8_t* data, size_t size, Compilation& c) {
  c.component = decode_component(data, size, c.error);
  if (!c.component) return;
  c.ok = elaborate(*c.component, c.arena, c.layouts, c.plan, c.world, c.error);
}

}  // namespace

void compile_to_json(TextOut& s, const uint8_t* data, size_t size) {
  Compilation c;
  run(data, size, c);
  if (!c.ok) return error_json(s, c.error);
  s += "{\"ok\":true,\"plan\":";
  plan_to_json(s, c.plan, c.layouts);
  s += "}";
}

void wit_to_json(TextOut& s, const uint8_t* data, size_t size) {
  Compilation c;
  run(data, size, c);
  if (!c.ok) return error_json(s, c.error);
  WitWorld w;
  w.arena = &c.arena;
  w.imports = c.world.imports;
  w.exports = c.world.exports;
  s += "{\"ok\":true,\"wit\":";
  append_json_string(s, print_wit(w));
  s += "}";
}

#ifndef COMPOLY_LEAN
namespace {

void link_to_json(TextOut& s, const PodVector<std::string_view>& inputs, const ObjectVector<Wire>& wires) {
  ObjectVector<std::unique_ptr<Component>> decoded;
  PodVector<const Component*> components;
  Error error;
  for (size_t i = 0; i < inputs.size(); ++i) {
    auto c = decode_component(reinterpret_cast<const uint8_t*>(inputs[i].data()), inputs[i].size(), error);
    if (!c) {
      error.path = error.path.empty() ? format("component#{}", {i}) : format("component#{} > {}", {i, error.path});
      return error_json(s, error);
    }
    components.push_back(c.get());
    decoded.push_back(std::move(c));
  }
  TypeArena arena;
  LayoutCache layouts(arena);
  Plan plan;
  World world;
  if (!elaborate_set(components, wires, arena, layouts, plan, world, error)) return error_json(s, error);
  WitWorld w;
  w.arena = &arena;
  w.imports = world.imports;
  w.exports = world.exports;
  s += "{\"ok\":true,\"plan\":";
  plan_to_json(s, plan, layouts);
  s += ",\"wit\":";
  append_json_string(s, print_wit(w));
  s += "}";
}

}  // namespace

void link_framed_to_json(TextOut& s, const uint8_t* data, size_t size, std::string_view wires_text) {
  // [u32 count] then count × [u32 length][bytes], little-endian.
  auto u32 = [&](size_t at) {
    return uint32_t(data[at]) | uint32_t(data[at + 1]) << 8 | uint32_t(data[at + 2]) << 16 | uint32_t(data[at + 3]) << 24;
  };
  Error error;
  error.phase = Phase::Link;
  error.path = "link";
  PodVector<std::string_view> inputs;
  size_t at = 0;
  if (size < 4) {
    error.message = "link input is not framed: missing the component count";
    return error_json(s, error);
  }
  uint32_t count = u32(0);
  at = 4;
  for (uint32_t i = 0; i < count; ++i) {
    if (size - at < 4 || size - at - 4 < u32(at)) {
      error.message = format("link input is not framed: component {} runs past the end", {i});
      return error_json(s, error);
    }
    uint32_t len = u32(at);
    inputs.emplace_back(reinterpret_cast<const char*>(data + at + 4), len);
    at += 4 + size_t(len);
  }
  // One wire per line: importer TAB import TAB exporter TAB export.
  ObjectVector<Wire> wires;
  size_t pos = 0;
  while (pos < wires_text.size()) {
    size_t end = wires_text.find('\n', pos);
    if (end == std::string_view::npos) end = wires_text.size();
    std::string_view line = wires_text.substr(pos, end - pos);
    pos = end + 1;
    if (line.empty()) continue;
    std::string_view fields[4];
    size_t from = 0;
    for (int k = 0; k < 4; ++k) {
      size_t tab = k < 3 ? line.find('\t', from) : line.size();
      if (tab == std::string_view::npos) {
        error.message = format("wire '{}' does not have four tab-separated fields", {line});
        return error_json(s, error);
      }
      fields[k] = line.substr(from, tab - from);
      from = tab + 1;
    }
    Wire w;
    w.importer = uint32_t(std::strtoul(std::string(fields[0]).c_str(), nullptr, 10));
    w.import = std::string(fields[1]);
    w.exporter = uint32_t(std::strtoul(std::string(fields[2]).c_str(), nullptr, 10));
    w.export_name = std::string(fields[3]);
    wires.push_back(std::move(w));
  }
  link_to_json(s, inputs, wires);
}
#endif

// The std::string forms, for callers that keep the text (tests, the inspector, the fuzzer).

std::string compile_to_json(const uint8_t* data, size_t size) {
  TextOut out;
  compile_to_json(out, data, size);
  return std::string(out.view());
}

std::string wit_to_json(const uint8_t* data, size_t size) {
  TextOut out;
  wit_to_json(out, data, size);
  return std::string(out.view());
}

#ifndef COMPOLY_LEAN
std::string link_framed_to_json(const uint8_t* data, size_t size, std::string_view wires) {
  TextOut out;
  link_framed_to_json(out, data, size, wires);
  return std::string(out.view());
}
#endif

std::string check_component(const uint8_t* data, size_t size) {
  Compilation c;
  run(data, size, c);
  return c.ok ? std::string() : c.error.to_string();
}

}  // namespace compoly
