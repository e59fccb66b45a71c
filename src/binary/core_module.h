// Scans an embedded core module for what the component layer needs: its
// imports, its exports with their resolved types, and whether it has a start
// function. Function bodies, element and data segments are skipped by size:
// the browser's own WebAssembly.compile validates them later, and decoding
// them here would only duplicate that work.
#pragma once

#include "binary/reader.h"
#include "model/core_types.h"

namespace compoly {

// Scans the core module whose bytes `r` covers exactly (a sub-reader;
// r.offset() is absolute). Fills `out` and returns r.ok(). Errors go through
// r.fail(...) with messages that name the section and item, e.g.
// "core module import section, import 3: unknown external kind 0x07".
// The names in `out` point into the bytes `r` reads.
bool scan_core_module(Reader& r, CoreModuleInfo& out);

// The core spec's types, read the same way for a module's own imports and
// definitions and for those a core module type or core func type of the
// component declares: (ref null func) is funcref spelled out, the other
// reference forms are typed references' or GC's and are rejected by name.
CoreValType read_core_valtype(Reader& r);
CoreTableType read_core_table_type(Reader& r);
CoreGlobalType read_core_global_type(Reader& r);

// A table's or memory's limits with the core spec's rules: for a module's own
// tables and memories, and for those a core module type declares.
Limits read_limits(Reader& r, bool memory);

}  // namespace compoly
