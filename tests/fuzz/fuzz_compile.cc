// Fuzz target over the whole core: decode, validate, link and write the
// plan. Any input must end in either a plan or an error, never a crash.
#include <cstddef>
#include <cstdint>

#include "api/compile.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  compoly::compile_to_json(data, size);
  return 0;
}
