;; The string benchmark's component (bench/40-strings.bench.js): one export,
;;   bench:strings/echo  roundtrip: func(s: string) -> string
;;                       core: (ptr: i32, len: i32) -> retptr: i32
;; The caller copies the argument in through cabi_realloc (a bump allocator); the guest returns
;; the same bytes (its own copy of the argument, which it owns) through a return area, and
;; post-return resets the allocator. The guest does no work of its own, so a call measures what
;; the runtime does: allocate, encode into memory, call, decode out of memory.
;; Assembled at bench time with jco's parse (bench/node.js), cached in bench/build/.
(component
  (core module $m
    (memory (export "memory") 1)
    ;; 8..15: the return area; the heap starts at 1024.
    (global $heap (mut i32) (i32.const 1024))

    ;; cabi_realloc(old_ptr, old_size, align, new_size) -> ptr: a bump allocator that grows memory.
    (func $realloc (export "cabi_realloc")
        (param $old_ptr i32) (param $old_size i32) (param $align i32) (param $new_size i32)
        (result i32)
      (local $ptr i32)
      (local $end i32)
      (local.set $ptr
        (i32.and
          (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
          (i32.sub (i32.const 0) (local.get $align))))
      (local.set $end (i32.add (local.get $ptr) (local.get $new_size)))
      (if (i32.lt_u (local.get $end) (local.get $ptr)) (then unreachable))
      (if (i32.gt_u (local.get $end) (i32.mul (memory.size) (i32.const 65536)))
        (then
          (if (i32.eq
                (memory.grow
                  (i32.sub
                    (i32.shr_u (i32.add (local.get $end) (i32.const 65535)) (i32.const 16))
                    (memory.size)))
                (i32.const -1))
            (then unreachable))))
      (global.set $heap (local.get $end))
      (if (local.get $old_ptr)
        (then
          (memory.copy (local.get $ptr) (local.get $old_ptr)
            (select (local.get $old_size) (local.get $new_size)
              (i32.lt_u (local.get $old_size) (local.get $new_size))))))
      (local.get $ptr))

    (func (export "roundtrip") (param $ptr i32) (param $len i32) (result i32)
      (i32.store offset=0 (i32.const 8) (local.get $ptr))
      (i32.store offset=4 (i32.const 8) (local.get $len))
      (i32.const 8))

    (func (export "cabi_post_roundtrip") (param $retptr i32)
      (global.set $heap (i32.const 1024)))
  )
  (core instance $i (instantiate $m))
  (alias core export $i "memory" (core memory $memory))
  (alias core export $i "cabi_realloc" (core func $realloc))
  (alias core export $i "cabi_post_roundtrip" (core func $post))
  (type $rt_t (func (param "s" string) (result string)))
  (func $roundtrip (type $rt_t)
    (canon lift (core func $i "roundtrip")
      (memory $memory) (realloc $realloc) string-encoding=utf8 (post-return $post)))
  (instance $echo (export "roundtrip" (func $roundtrip)))
  (export "bench:strings/echo" (instance $echo))
)
