// malloc and its family for the Emscripten core, over BumpHeap (src/heap/bump_heap.h), which
// says why a bump allocator suffices. Linked with -sMALLOC=none, in the Emscripten build only
// (CMakeLists.txt): natively the core runs on the system's malloc, under ASan.
#include <emscripten/heap.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "heap/bump_heap.h"

// Where the linker ends the static data and the stack: the heap starts there.
extern "C" char __heap_base;

namespace {

bool grow(uintptr_t end) { return end <= emscripten_get_heap_size() || emscripten_resize_heap(end); }

// malloc's state is global by nature: one per Wasm instance.
constinit compoly::BumpHeap heap(&__heap_base, grow);

}  // namespace

extern "C" {

void* malloc(size_t size) { return heap.allocate(size); }

void free(void* block) { heap.release(block); }

void* realloc(void* block, size_t size) { return heap.resize(block, size); }

void* calloc(size_t count, size_t size) {
  if (size && count > SIZE_MAX / size) return nullptr;
  void* block = heap.allocate(count * size);
  if (block) std::memset(block, 0, count * size);
  return block;
}

}  // extern "C"
