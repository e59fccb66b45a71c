// libFuzzer entry point for the core module scanner. Beyond "no crash", it
// checks the contract callers rely on: success means no error message, and
// failure always comes with one at an offset inside the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "binary/core_module.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  compoly::Reader r(data, size);
  compoly::CoreModuleInfo info;
  bool ok = compoly::scan_core_module(r, info);
  if (ok != r.error().empty()) std::abort();
  if (!ok && r.error_offset() > size) std::abort();
  // Touch the results so that dangling names would show up under ASan.
  size_t total = 0;
  for (const auto& i : info.imports) total += i.module.size() + i.name.size() + i.type.to_string().size();
  for (const auto& e : info.exports) total += e.name.size() + e.type.to_string().size();
  if (total == SIZE_MAX) std::abort();
  return 0;
}
