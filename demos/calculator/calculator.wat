;; A component written by hand, canonical ABI included: it exports the interface
;; `demo:calc/calculator` (see calculator.wit) with
;;
;;   add:   func(a: u32, b: u32) -> u32         core: (i32, i32) -> i32
;;   greet: func(name: string) -> string        core: (ptr: i32, len: i32) -> retptr: i32
;;
;; `greet` takes its argument as (ptr, len) in linear memory: the caller allocates it through
;; `cabi_realloc` and copies the UTF-8 bytes in. Its result does not fit in one flat value, so
;; the core function returns a pointer to a return area holding (ptr: i32, len: i32) of the
;; result string. After the caller has read the result it calls `cabi_post_greet`, which frees
;; everything the call allocated (the allocator is a bump allocator reset after every call).
;;
;; Assembled at demo time with `jco parse calculator.wat -o build/calculator.component.wasm`.
(component
  (core module $calc
    (memory (export "memory") 1)

    ;; 0..7: "Hello, "; 16..23: greet's return area; the heap starts at 1024.
    (data (i32.const 0) "Hello, ")
    (global $heap_base i32 (i32.const 1024))
    (global $heap (mut i32) (i32.const 1024))

    ;; cabi_realloc(old_ptr, old_size, align, new_size) -> ptr: a bump allocator.
    (func $realloc (export "cabi_realloc")
        (param $old_ptr i32) (param $old_size i32) (param $align i32) (param $new_size i32)
        (result i32)
      (local $ptr i32)
      (local $end i32)
      ;; ptr = align_up(heap, align); align is a power of two (1, 2, 4 or 8)
      (local.set $ptr
        (i32.and
          (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
          (i32.sub (i32.const 0) (local.get $align))))
      (local.set $end (i32.add (local.get $ptr) (local.get $new_size)))
      ;; overflow of the 32-bit address space
      (if (i32.lt_u (local.get $end) (local.get $ptr)) (then unreachable))
      ;; grow memory to cover [ptr, end)
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
      ;; a reallocation keeps the old contents (the shorter of the two sizes)
      (if (local.get $old_ptr)
        (then
          (memory.copy (local.get $ptr) (local.get $old_ptr)
            (select (local.get $old_size) (local.get $new_size)
              (i32.lt_u (local.get $old_size) (local.get $new_size))))))
      (local.get $ptr))

    (func (export "add") (param $a i32) (param $b i32) (result i32)
      (i32.add (local.get $a) (local.get $b)))

    ;; greet(name) = "Hello, " ++ name ++ "!"
    (func (export "greet") (param $name_ptr i32) (param $name_len i32) (result i32)
      (local $out i32)
      (local $out_len i32)
      (local.set $out_len (i32.add (local.get $name_len) (i32.const 8)))
      (local.set $out (call $realloc (i32.const 0) (i32.const 0) (i32.const 1) (local.get $out_len)))
      (memory.copy (local.get $out) (i32.const 0) (i32.const 7))
      (memory.copy (i32.add (local.get $out) (i32.const 7)) (local.get $name_ptr) (local.get $name_len))
      (i32.store8 (i32.add (local.get $out) (i32.sub (local.get $out_len) (i32.const 1))) (i32.const 33)) ;; '!'
      ;; return area: (ptr, len)
      (i32.store offset=0 (i32.const 16) (local.get $out))
      (i32.store offset=4 (i32.const 16) (local.get $out_len))
      (i32.const 16))

    ;; post-return: the caller has copied the result out; free the call's allocations
    (func (export "cabi_post_greet") (param $retptr i32)
      (global.set $heap (global.get $heap_base)))
  )
  (core instance $i (instantiate $calc))

  (alias core export $i "memory" (core memory $memory))
  (alias core export $i "cabi_realloc" (core func $realloc))
  (alias core export $i "cabi_post_greet" (core func $post_greet))

  (type $add_t (func (param "a" u32) (param "b" u32) (result u32)))
  (type $greet_t (func (param "name" string) (result string)))

  (func $add (type $add_t) (canon lift (core func $i "add")))
  (func $greet (type $greet_t)
    (canon lift (core func $i "greet")
      (memory $memory) (realloc $realloc) (post-return $post_greet)))

  (instance $calculator
    (export "add" (func $add))
    (export "greet" (func $greet)))
  (export "demo:calc/calculator" (instance $calculator))
)
