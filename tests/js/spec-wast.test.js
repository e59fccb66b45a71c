// The component-model spec tests (WebAssembly/component-model test/values,
// test/resources, test/validation, test/linking, test/binary; vendored in
// tests/spec/wast/) run against compoly: each .wast is split by
// tests/spec/wast.js, its components assembled with jco's `parse` at test
// time, and every directive run by tests/spec/runner.js — one subtest per
// directive, named `folder/file.wast:line kind`.
//
// Skipped: directives that need more than WASI 0.2 (compoly says so when it
// rejects the component) or a core feature this engine lacks. Known gaps
// (tests/spec/known-gaps.js) are `todo`. The summary line per folder is what
// README.md reports.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { splitWast } from '../spec/wast.js';
import { WastRunner } from '../spec/runner.js';
import { KNOWN_GAPS } from '../spec/known-gaps.js';

// `local`: our own 0.2-only cut-downs of upstream tests that mix in post-0.2
// features (tests/spec/local/, each says what it derives from).
const FOLDERS = ['values', 'resources', 'validation', 'linking', 'binary', 'local'];
const root = new URL('../spec/wast/', import.meta.url);
const folderUrl = (folder) => (folder === 'local' ? new URL('../spec/local/', import.meta.url) : new URL(`${folder}/`, root));

const totals = Object.fromEntries(FOLDERS.map((f) => [f, { pass: 0, fail: 0, skip: 0, todo: 0 }]));
const nowPassing = [];

for (const folder of FOLDERS) {
  const dir = folderUrl(folder);
  const files = readdirSync(dir)
    .filter((n) => n.endsWith('.wast'))
    .sort();
  describe(folder, () => {
    for (const file of files) {
      const directives = splitWast(readFileSync(new URL(file, dir), 'utf8'));
      describe(file, () => {
        const runner = new WastRunner();
        for (const d of directives) {
          const key = `${folder}/${file}:${d.line}`;
          const todo = KNOWN_GAPS.get(key);
          test(`${key} ${d.kind}`, todo ? { todo } : {}, async (t) => {
            const outcome = await runner.run(d);
            const count = totals[folder];
            if (outcome.status === 'skip') {
              count.skip++;
              t.skip(outcome.reason);
              return;
            }
            if (outcome.status === 'pass') {
              count.pass++;
              if (todo) nowPassing.push(key);
              if (outcome.note) t.diagnostic(outcome.note);
              return;
            }
            if (todo) count.todo++;
            else count.fail++;
            assert.fail(outcome.reason);
          });
        }
      });
    }
  });
}

test('every known gap names a directive that exists', () => {
  const keys = new Set();
  for (const folder of FOLDERS) {
    const dir = folderUrl(folder);
    for (const file of readdirSync(dir).filter((n) => n.endsWith('.wast'))) {
      for (const d of splitWast(readFileSync(new URL(file, dir), 'utf8'))) keys.add(`${folder}/${file}:${d.line}`);
    }
  }
  const stale = [...KNOWN_GAPS.keys()].filter((k) => !keys.has(k));
  assert.deepEqual(stale, [], 'tests/spec/known-gaps.js lists directives that are not in the vendored .wast files');
});

after(() => {
  const sum = { pass: 0, fail: 0, skip: 0, todo: 0 };
  for (const folder of FOLDERS) {
    const c = totals[folder];
    for (const k of Object.keys(sum)) sum[k] += c[k];
    console.log(`spec ${folder}: pass ${c.pass}, fail ${c.fail}, skip ${c.skip}, todo ${c.todo}`);
  }
  console.log(`spec total: pass ${sum.pass}, fail ${sum.fail}, skip ${sum.skip}, todo ${sum.todo}`);
  if (nowPassing.length) console.log(`spec: known gaps that pass now (remove them from tests/spec/known-gaps.js): ${nowPassing.join(', ')}`);
});
