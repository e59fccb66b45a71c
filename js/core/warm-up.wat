;; The component js/core/load.js compiles once when it loads the core, so that V8
;; compiles the core's common paths (it compiles wasm lazily, function by function,
;; on first call) while a page is still downloading the component it wants.
;; It uses what WASI components use: an imported interface with a resource,
;; methods and named types, lowered and lifted functions with strings and lists,
;; and a core module instantiated with memory and realloc.
(component
  (import "wasi:demo/files@0.2.0" (instance $files
    (export "descriptor" (type (sub resource)))
    (type $error' (enum "access" "busy" "exist"))
    (export "error-code" (type $error (eq $error')))
    (type $flags' (flags "read" "write"))
    (export "flags" (type $flags (eq $flags')))
    (type $stat' (record (field "size" u64) (field "flags" $flags)))
    (export "stat" (type $stat (eq $stat')))
    (export "[method]descriptor.read" (func (param "self" (borrow 0)) (param "len" u64)
      (result (result (tuple (list u8) bool) (error $error)))))
    (export "[method]descriptor.stat" (func (param "self" (borrow 0)) (result (result $stat (error $error)))))
    (export "open" (func (param "path" string) (result (result (own 0) (error $error)))))
  ))
  (alias export $files "[method]descriptor.read" (func $read))
  (alias export $files "open" (func $open))
  (core module $mem
    (memory (export "memory") 1)
    (global $next (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (global.get $next)))
  (core instance $mem-inst (instantiate $mem))
  (alias core export $mem-inst "memory" (core memory $memory))
  (alias core export $mem-inst "realloc" (core func $realloc))
  (core func $read-lowered (canon lower (func $read) (memory $memory) (realloc $realloc)))
  (core func $open-lowered (canon lower (func $open) (memory $memory) (realloc $realloc) string-encoding=utf8))
  (core module $main
    (import "files" "read" (func (param i32 i64 i32)))
    (import "files" "open" (func (param i32 i32 i32)))
    (func (export "greet") (param i32 i32) (result i32) (i32.const 0))
    (func (export "post-greet") (param i32)))
  (core instance $imports
    (export "read" (func $read-lowered))
    (export "open" (func $open-lowered)))
  (core instance $main-inst (instantiate $main (with "files" (instance $imports))))
  (alias core export $main-inst "greet" (core func $greet))
  (alias core export $main-inst "post-greet" (core func $post))
  (type $greet-type (func (param "names" (list string)) (result (option string))))
  (func $greet-lifted (type $greet-type)
    (canon lift (core func $greet) (memory $memory) (realloc $realloc) string-encoding=utf8 (post-return $post)))
  (export "greet" (func $greet-lifted))
)
