// tests/spec/wast.js (the .wast splitter) and the value helpers of
// tests/spec/runner.js, on small inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSexprs, splitWast, parseValue, WastSyntaxError } from '../spec/wast.js';

const { toJs, mismatch, camelCase } = await import('../spec/runner.js');

test('comments: line, nested block, and comment markers inside strings', () => {
  const src = `;; line (component
(; block (; nested ;) still (component ;)
(component (; inline ;) (core module $M)) ;; trailing
(assert_return (invoke "f;;x" (str.const "(; not a comment ;)")) (u32.const 1))`;
  const ds = splitWast(src);
  assert.equal(ds.length, 2);
  assert.equal(ds[0].kind, 'component');
  assert.equal(ds[0].line, 3);
  assert.equal(ds[0].component.text, '(component (core module $M))');
  assert.equal(ds[1].invoke.name, 'f;;x');
  assert.deepEqual(ds[1].invoke.args, [{ type: 'string', value: '(; not a comment ;)' }]);
});

test('string escapes: hex bytes, \\u{...}, quotes and backslashes', () => {
  const [form] = readSexprs(String.raw`(x "\00asm\0d\t\n\"\\\u{1F370}\u{41}")`);
  const s = form.items[1];
  assert.deepEqual([...s.bytes.slice(0, 6)], [0, 0x61, 0x73, 0x6d, 0x0d, 0x09]);
  assert.equal(s.text, '\0asm\r\t\n"\\🍰A');
});

test('component forms: definition, id, binary, quote, instance', () => {
  const ds = splitWast(`
(component definition $D (core module))
(component $C binary "\\00asm" "\\0d\\00\\01\\00")
(component instance $i $D)
(assert_malformed (component quote "(import \\"a\\" (func))") "msg")
(assert_invalid (component (type u32)) "bad")`);
  assert.deepEqual(
    ds.map((d) => d.kind),
    ['component', 'component', 'instance', 'assert_malformed', 'assert_invalid'],
  );
  assert.equal(ds[0].component.definition, true);
  assert.equal(ds[0].component.id, '$D');
  assert.equal(ds[0].component.text, '(component $D (core module))');
  assert.equal(ds[1].component.format, 'binary');
  assert.deepEqual([...ds[1].component.bytes], [0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0]);
  assert.deepEqual([ds[2].id, ds[2].of], ['$i', '$D']);
  assert.equal(ds[3].component.text, '(component (import "a" (func)))');
  assert.equal(ds[3].message, 'msg');
  assert.equal(ds[4].component.text, '(component (type u32))');
});

test('syntax errors say where', () => {
  assert.throws(() => readSexprs('(a\n(b'), WastSyntaxError);
  assert.throws(() => readSexprs('(a "x)'), /unterminated string/);
  assert.throws(() => readSexprs('(a (; x)'), /unterminated block comment/);
});

const v = (text) => parseValue(readSexprs(text)[0]);

test('value constants become jco-style JS values', () => {
  assert.equal(toJs(v('(u32.const 0xffff_ffff)')), 0xffffffff);
  assert.equal(toJs(v('(s8.const -1)')), -1);
  assert.equal(toJs(v('(u64.const 18446744073709551615)')), 18446744073709551615n);
  assert.equal(toJs(v('(s64.const -14)')), -14n);
  assert.ok(Number.isNaN(toJs(v('(f32.const nan)'))));
  assert.equal(toJs(v('(f64.const -inf)')), -Infinity);
  assert.equal(toJs(v('(f32.const 0x1p-1)')), 0.5);
  assert.equal(toJs(v('(char.const "🍰")')), '🍰');
  assert.deepEqual(toJs(v('(list.const (u8.const 1) (u8.const 2))')), [1, 2]);
  assert.deepEqual(toJs(v('(tuple.const (str.const "x") (bool.const true))')), ['x', true]);
  assert.deepEqual(toJs(v('(record.const (field "the-name" str.const "p") (field "n" (u32.const 7)))')), { theName: 'p', n: 7 });
  assert.deepEqual(toJs(v('(variant.const "s" (str.const "hi"))')), { tag: 's', val: 'hi' });
  assert.deepEqual(toJs(v('(variant.const "none")')), { tag: 'none' });
  assert.equal(toJs(v('(enum.const "red")')), 'red');
  assert.deepEqual(toJs(v('(flags.const "a" "b-c")')), { a: true, bC: true });
  assert.equal(toJs(v('(option.none)')), undefined);
  assert.equal(toJs(v('(option.some (u32.const 5))')), 5);
  assert.deepEqual(toJs(v('(option.some (option.none))')), { tag: 'none' });
  assert.deepEqual(toJs(v('(result.err (u32.const 404))')), { tag: 'err', val: 404 });
  assert.throws(() => v('(u8.const 256)'), /out of range/);
  assert.throws(() => v('(char.const "ab")'), /exactly one/);
});

test('comparison is NaN-, BigInt- and typed-array-aware', () => {
  assert.equal(mismatch(NaN, v('(f32.const nan)')), null);
  assert.match(mismatch(1, v('(f32.const nan)')), /NaN/);
  assert.match(mismatch(-0, v('(f64.const 0)')), /expected f64 0/);
  assert.equal(mismatch(5n, v('(u64.const 5)')), null);
  assert.match(mismatch(5, v('(u64.const 5)')), /BigInt/);
  assert.equal(mismatch(new Uint8Array([1, 2]), v('(list.const (u8.const 1) (u8.const 2))')), null);
  assert.equal(mismatch({ f1: true, f5: true, f9: true, f2: false }, v('(flags.const "f1" "f5" "f9")')), null);
  assert.match(mismatch({ f1: true, f2: true }, v('(flags.const "f1")')), /flags/);
  assert.equal(mismatch(undefined, v('(option.none)')), null);
  assert.equal(mismatch({ tag: 'x' }, v('(variant.const "x")')), null);
  assert.match(mismatch({ tag: 'y' }, v('(variant.const "x")')), /tag: 'x'/);
  assert.equal(camelCase('foo-bar-URL'), 'fooBarURL');
});
