// Every validation rule has a hand-written invalid component in
// tests/fixtures/invalid/<rule>.wat whose first line says which error it
// must produce:
//   ;; expect: <substring of the error message>
//   ;; phase: decode|validate|link          (optional)
// Each is assembled at test time with jco's `parse` (wasm-tools' text
// parser: it encodes without validating) and must be rejected by compile()
// with a CompileError that names the rule and says where it is. A few valid
// components in tests/fixtures/valid/ are positive controls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { assemble, watFiles } from './helpers/node-inputs.js';

const invalidDir = new URL('../fixtures/invalid/', import.meta.url);
const validDir = new URL('../fixtures/valid/', import.meta.url);

function header(text, key) {
  const m = text.match(new RegExp(`^;; ${key}: (.*)$`, 'm'));
  return m ? m[1].trim() : undefined;
}

const { compile, CompileError } = await import('../../js/index.js');

test('there is a fixture for each rule', () => {
  assert.ok(watFiles(invalidDir).length >= 80, 'expected at least 80 invalid fixtures');
});

for (const name of watFiles(invalidDir)) {
  test(name, async () => {
    const text = readFileSync(new URL(name, invalidDir), 'utf8');
    const expected = header(text, 'expect');
    assert.ok(expected, `${name} must start with a ";; expect: ..." line`);
    const phase = header(text, 'phase');
    const bytes = await assemble(text);

    let error;
    try {
      await compile(bytes);
    } catch (err) {
      error = err;
    }
    assert.ok(error, `${name}: compile() accepted an invalid component (expected: ${expected})`);
    assert.ok(error instanceof CompileError, `${name}: expected a CompileError, got ${error?.stack ?? error}`);
    assert.ok(error.message.includes(expected), `${name}: message does not name the rule\n  message:  ${error.message}\n  expected: ${expected}`);
    if (phase) assert.equal(error.phase, phase, `${name}: phase (message: ${error.message})`);

    // Where: an absolute offset into the component's bytes (the end of the
    // input for truncation), and a section path from the root component.
    assert.ok(Number.isInteger(error.offset) && error.offset >= 0 && error.offset <= bytes.length,
      `${name}: offset ${error.offset} is outside the ${bytes.length}-byte binary`);
    assert.match(error.path, /^component( > |$)/, `${name}: path ${error.path}`);
    assert.ok(error.message.startsWith(`${error.path} at byte 0x${error.offset.toString(16)}: `),
      `${name}: message should start with its path and offset: ${error.message}`);
    assert.ok(error.message.endsWith(error.reason), `${name}: reason is the message without the location`);
  });
}

for (const name of watFiles(validDir)) {
  test(`valid: ${name}`, async () => {
    const bytes = await assemble(readFileSync(new URL(name, validDir), 'utf8'));
    const component = await compile(bytes);
    assert.ok(component.plan, `${name}: compiled without a plan`);
    assert.equal(component.modules.length, component.plan.modules.length);
  });
}
