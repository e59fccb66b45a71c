#include "api/compile.h"

#include <cstdio>
#include <memory>

#include "binary/component_decoder.h"
#include "link/elaborate.h"
#include "link/plan.h"
#include "model/error.h"
#include "model/types.h"
#include "wit/printer.h"

namespace compoly {
namespace {

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += char(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += char(c);
    }
  }
  out += '"';
}

std::string error_json(const Error& e) {
  std::string s = "{\"ok\":false,\"error\":{\"phase\":";
  append_json_string(s, phase_name(e.phase));
  s += ",\"path\":";
  append_json_string(s, e.path);
  s += ",\"offset\":" + std::to_string(e.offset) + ",\"reason\":";
  append_json_string(s, e.message);
  s += ",\"message\":";
  append_json_string(s, e.to_string());
  return s + "}}";
}

// Everything one compilation produces; the decoded tree points into the
// caller's bytes.
struct Compilation {
  std::unique_ptr<Component> component;
  TypeArena arena;
  Plan plan;
  World world;
  Error error;
  bool ok = false;
};

void run(const uint8_t* data, size_t size, Compilation& c) {
  c.component = decode_component(data, size, c.error);
  if (!c.component) return;
  c.ok = elaborate(*c.component, c.arena, c.plan, c.world, c.error);
}

}  // namespace

std::string compile_to_json(const uint8_t* data, size_t size) {
  Compilation c;
  run(data, size, c);
  if (!c.ok) return error_json(c.error);
  return "{\"ok\":true,\"plan\":" + plan_to_json(c.plan, c.arena) + "}";
}

std::string wit_to_json(const uint8_t* data, size_t size) {
  Compilation c;
  run(data, size, c);
  if (!c.ok) return error_json(c.error);
  WitWorld w;
  w.arena = &c.arena;
  w.imports = c.world.imports;
  w.exports = c.world.exports;
  std::string s = "{\"ok\":true,\"wit\":";
  append_json_string(s, print_wit(w));
  return s + "}";
}

std::string check_component(const uint8_t* data, size_t size) {
  Compilation c;
  run(data, size, c);
  return c.ok ? std::string() : c.error.to_string();
}

}  // namespace compoly
