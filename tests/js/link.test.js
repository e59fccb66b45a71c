// link(): plugging one component's export into another's import (like
// `wac plug`), from component text in tests/fixtures/link assembled with
// jco parse at test time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { parse } from '@bytecodealliance/jco';
import { compile, instantiate, link, CompileError } from '../../js/index.js';

const fixtures = new URL('../fixtures/link/', import.meta.url);
const load = async (name) => compile(await parse(await readFile(new URL(name, fixtures), 'utf8')));

const app = await load('app.wat');
const shout = await load('shout.wat');

test('the linked component has the app exports and no longer imports what was plugged', async () => {
  const linked = await link(app, { 'demo:text/shout': shout });
  assert.match(await app.wit(), /import demo:text\/shout@0\.1\.0;/);
  assert.doesNotMatch(await linked.wit(), /import/);
  assert.match(await linked.wit(), /export greet: func\(name: string\) -> string;/);
  assert.deepEqual(linked.imports, []);
  assert.deepEqual(linked.exports.map((e) => e.name), ['greet', 'twice-plus-one']);
});

test('calls cross from one component into the other: strings and numbers', async () => {
  const linked = await link(app, { 'demo:text/shout@0.1.0': shout });
  const { exports } = await instantiate(linked, {});
  assert.equal(exports.greet('web'), 'web!');
  assert.equal(exports.greet('wörld ✓'), 'wörld ✓!');
  assert.equal(exports.twicePlusOne(20), 41);
  // The same app with the import from the host instead.
  const host = await instantiate(app, { 'demo:text/shout': { shout: (s) => `${s}!`, double: (x) => 2 * x } });
  assert.equal(host.exports.greet('web'), exports.greet('web'));
});

test('the plugged component\'s modules are reused, not compiled again', async () => {
  const linked = await link(app, { 'demo:text/shout': shout });
  for (const m of shout.modules) assert.ok(linked.modules.includes(m));
  for (const m of app.modules) assert.ok(linked.modules.includes(m));
});

test('one linked component instantiates many times, each with its own state', async () => {
  const linked = await link(app, { 'demo:text/shout': shout });
  const a = await instantiate(linked, {});
  const b = await instantiate(linked, {});
  assert.equal(a.exports.greet('a'), 'a!');
  assert.equal(b.exports.greet('b'), 'b!');
});

test('bad plugs are clear errors', async () => {
  await assert.rejects(link(app, { 'demo:text/whisper': shout }), /has no import 'demo:text\/whisper'.*demo:text\/shout@0\.1\.0/);
  await assert.rejects(link(app, { 'demo:text/shout': app }), /exports no 'demo:text\/shout@0\.1\.0'/);
  await assert.rejects(link(app, { 'demo:text/shout': new Uint8Array() }), /must be a compiled Component/);
});

test('a plug whose export has the wrong type is rejected by the core with where and why', async () => {
  const wrong = await compile(
    await parse(`(component
      (core module $m (func (export "f") (param i32) (result i32) (local.get 0)))
      (core instance $i (instantiate $m))
      (func $f (param "x" u32) (result u32) (canon lift (core func $i "f")))
      (instance $api (export "shout" (func $f)) (export "double" (func $f)))
      (export "demo:text/shout@0.1.0" (instance $api)))`),
  );
  await assert.rejects(link(app, { 'demo:text/shout': wrong }), (e) => {
    assert.ok(e instanceof CompileError);
    assert.match(e.message, /shout/);
    assert.match(e.message, /expected func\(s: string\) -> string/);
    return true;
  });
});
