;; The WASI 0.2 part of upstream test/values/post-return.wast (at the commit
;; named in ../wast/README.md; Apache-2.0, see ../wast/LICENSE-APACHE): calling
;; an import, resource.new or resource.drop from inside a post-return function
;; traps. Upstream's $Tester also declares stream/future types and async
;; built-ins, so compoly skips all of it; this keeps only what 0.2 has.
(component definition $Tester
  (component $C
    (core module $CM
      (func (export "import"))
    )
    (core instance $cm (instantiate $CM))
    (func (export "import") (canon lift (core func $cm "import")))
  )
  (component $D
    (import "import" (func $import))
    (type $R (resource (rep i32)))
    (canon resource.new $R (core func $resource.new))
    (canon resource.drop $R (core func $resource.drop))
    (canon lower (func $import) (core func $import'))
    (core module $DM
      (import "" "import" (func $import))
      (import "" "resource.new" (func $resource.new (param i32) (result i32)))
      (import "" "resource.drop" (func $resource.drop (param i32)))
      (func (export "noop"))
      (func (export "trap-calling-import") (call $import))
      (func (export "trap-calling-resource-new") (drop (call $resource.new (i32.const 0))))
      (func (export "trap-calling-resource-drop") (call $resource.drop (i32.const 0)))
    )
    (core instance $dm (instantiate $DM (with "" (instance
      (export "import" (func $import'))
      (export "resource.new" (func $resource.new))
      (export "resource.drop" (func $resource.drop))
    ))))
    (func (export "noop") (canon lift (core func $dm "noop") (post-return (core func $dm "noop"))))
    (func (export "trap-calling-import") (canon lift (core func $dm "noop") (post-return (core func $dm "trap-calling-import"))))
    (func (export "trap-calling-resource-new") (canon lift (core func $dm "noop") (post-return (core func $dm "trap-calling-resource-new"))))
    (func (export "trap-calling-resource-drop") (canon lift (core func $dm "noop") (post-return (core func $dm "trap-calling-resource-drop"))))
  )
  (instance $c (instantiate $C))
  (instance $d (instantiate $D (with "import" (func $c "import"))))
  (func (export "noop") (alias export $d "noop"))
  (func (export "trap-calling-import") (alias export $d "trap-calling-import"))
  (func (export "trap-calling-resource-new") (alias export $d "trap-calling-resource-new"))
  (func (export "trap-calling-resource-drop") (alias export $d "trap-calling-resource-drop"))
)

(component instance $i0 $Tester)
(assert_return (invoke "noop"))
(component instance $i1 $Tester)
(assert_trap (invoke "trap-calling-import") "cannot leave component instance")
(component instance $i2 $Tester)
(assert_trap (invoke "trap-calling-resource-new") "cannot leave component instance")
(component instance $i3 $Tester)
(assert_trap (invoke "trap-calling-resource-drop") "cannot leave component instance")
