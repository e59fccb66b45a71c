;; The call benchmark's component (bench/30-calls.bench.js): one export,
;;   bench:calls/adder  add: func(a: u32, b: u32) -> u32     core: (i32, i32) -> i32
;; No memory, no realloc, no post-return: a call is the lift/lower of two u32s and one result.
;; Assembled at bench time with jco's parse (bench/node.js), cached in bench/build/.
(component
  (core module $m
    (func (export "add") (param i32 i32) (result i32)
      (i32.add (local.get 0) (local.get 1))))
  (core instance $i (instantiate $m))
  (type $add_t (func (param "a" u32) (param "b" u32) (result u32)))
  (func $add (type $add_t) (canon lift (core func $i "add")))
  (instance $adder (export "add" (func $add)))
  (export "bench:calls/adder" (instance $adder))
)
