# Post-process Emscripten 3.1.6's ES6 glue (compoly-core.mjs) so it loads as an ES module
# under Node. Run by the compoly-core post-build step:
#   cmake -DGLUE=path/to/compoly-core.mjs -P cmake/patch-glue.cmake
#
# Emscripten 3.1.6 emits, for ENVIRONMENT=node with EXPORT_ES6, CommonJS-only code that runs
# at start-up:   scriptDirectory=__dirname+"/"
# `__dirname` does not exist in an ES module, so the import throws a ReferenceError.
# We replace it with the directory of the module's own URL. (Later Emscripten versions emit
# the equivalent themselves.) The other CommonJS bits (`require("fs")`, `require("path")`)
# only run when the glue reads the .wasm itself; js/core/load.js always passes `wasmBinary`
# under Node, so they are never reached.
# If the pattern is missing (a different Emscripten), the build fails instead of shipping a
# glue file that may break in Node.
if(NOT GLUE)
  message(FATAL_ERROR "patch-glue.cmake: pass -DGLUE=<file>")
endif()
file(READ "${GLUE}" text)
set(from [[scriptDirectory=__dirname+"/"]])
set(to [[scriptDirectory=new URL(".",import.meta.url).pathname]])
string(FIND "${text}" "${to}" already)
if(already GREATER -1)
  return()
endif()
string(FIND "${text}" "${from}" at)
if(at EQUAL -1)
  string(FIND "${text}" "__dirname" any)
  if(any GREATER -1)
    message(FATAL_ERROR "patch-glue.cmake: ${GLUE} uses __dirname in an unexpected way; update the patch")
  endif()
  return()
endif()
string(REPLACE "${from}" "${to}" text "${text}")
file(WRITE "${GLUE}" "${text}")
