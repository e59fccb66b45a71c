// The web demo (web/index.html, what `bash scripts/demo.sh` ends by serving) in headless
// Chromium and Firefox and in WebKitGTK: served by scripts/serve-demo.js's server, it must show
// the calculator's WIT, imports/exports and the results of calling add and greet; the file
// picker must show a picked component's WIT and, for an invalid one, the CompileError's path
// and offset. (WebKit's driver sees no uncaught errors here: this is the user's page, without
// the test pages' error recorder.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { browsers } from './browsers.js';
import { withPage } from './with-page.js';
import { buildDemoComponents, startDemoServer } from '../../scripts/serve-demo.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

for (const browser of browsers) {
  test(`web demo page in ${browser.name}`, {
    skip: !browser.available() && `${browser.name} is not installed (bash scripts/setup.sh)`,
    timeout: 180_000,
  }, async (t) => {
    assert.ok(existsSync(`${ROOT}js/core/compoly-core.wasm`), 'the core is not built: run bash scripts/build-core.sh');
    for (const note of await buildDemoComponents()) t.diagnostic(note);
    const calculator = readFileSync(`${ROOT}demos/calculator/build/calculator.component.wasm`);

    const server = await startDemoServer();
    await withPage(browser, [server], async (page) => {
      await page.goto(server.url); // `/` redirects to web/index.html
      await page.waitForSelector('body:not([data-state="loading"])', { timeout: 60_000 });

      const state = await page.evaluate(() => document.body.dataset.state);
      const demo = await page.evaluate(() => window.compolyDemo);
      assert.equal(state, 'done', `page state: ${JSON.stringify(demo)}`);

      await t.test('the calculator: WIT, exports and call results on the page', async () => {
        const card = page.locator('#demo-calculator');
        const wit = await card.locator('pre.wit').textContent();
        assert.match(wit, /world root \{\n\s+export demo:calc\/calculator;\n\}/);
        const text = await card.innerText();
        assert.match(text, /add: func\(a: u32, b: u32\) -> u32/);
        assert.match(text, /greet: func\(name: string\) -> string/);
        const rows = await card.locator('.calls tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
        assert.deepEqual(rows, [
          ['add(40, 2)', '42'],
          ['add(4294967295, 1)', '0'],
          ["greet('web')", '"Hello, web!"'],
          ["greet('wörld ✓')", '"Hello, wörld ✓!"'],
        ]);
      });

      await t.test('the calculator playground calls add/greet with typed arguments', async () => {
        const card = page.locator('#demo-calculator .playground');
        // Set the values and fire `input` as typing does (Playwright's fill() appends to a
        // number input in Firefox instead of replacing its value).
        const type = (label, value) =>
          card.locator(`input[aria-label="${label}"]`).evaluate((input, v) => {
            input.value = v;
            input.dispatchEvent(new Event('input', { bubbles: true }));
          }, value);
        await type('a', '1000');
        await type('b', '234');
        await type('name', 'Firefox & Chromium');
        const outputs = await card.locator('output').allTextContents();
        assert.deepEqual(outputs, ['1234', '"Hello, Firefox & Chromium!"']);
      });

      await t.test('hello (when built) shows its WASI imports and its run export', { skip: !demo.demos.hello || demo.demos.hello.skipped }, async () => {
        const text = await page.locator('#demo-hello').innerText();
        assert.match(text, /import wasi:cli\/stdout@0\.2\.\d+;/);
        assert.match(text, /export wasi:cli\/run@0\.2\.\d+;/);
      });

      await t.test('hello (when built) runs in the page with the WASI host: args, env and a memfs file', { skip: !demo.demos.hello || demo.demos.hello.skipped }, async () => {
        const { run } = demo.demos.hello;
        assert.equal(run?.exitCode, 0, `exit code (output: ${run?.output ?? run?.error?.message})`);
        assert.match(run.output, /^Hej, web!\n/);
        assert.match(run.output, /argv\[2\] = \/data\/note\.txt/);
        assert.match(run.output, /a file in an in-memory preopen, read by C through WASI/);
      });

      await t.test('the file picker shows a picked component', async () => {
        await page.setInputFiles('#file', { name: 'picked.wasm', mimeType: 'application/wasm', buffer: calculator });
        await page.waitForSelector('#picked pre.wit');
        assert.match(await page.locator('#picked pre.wit').textContent(), /export demo:calc\/calculator;/);
        assert.match(await page.locator('#picked').innerText(), /greet: func\(name: string\) -> string/);
      });

      await t.test('the file picker shows a CompileError with its path and byte offset', async () => {
        // The calculator cut short: its last section runs past the end of the bytes.
        const cut = calculator.subarray(0, calculator.length - 20);
        await page.setInputFiles('#file', { name: 'cut.wasm', mimeType: 'application/wasm', buffer: Buffer.from(cut) });
        await page.waitForSelector('#picked .error');
        const text = await page.locator('#picked .error').innerText();
        assert.match(text, /CompileError \(decode\)/);
        assert.match(text, /byte offset\s+[\d,]+ \(0x[0-9a-f]+\)/);
        const picked = await page.evaluate(() => window.compolyDemo.picked);
        assert.equal(picked.ok, false);
        assert.equal(picked.error.name, 'CompileError');
        assert.ok(Number.isInteger(picked.error.offset) && picked.error.offset <= cut.length, `offset ${picked.error.offset}`);
        assert.ok(text.includes(picked.error.path || '(top level)'), text);
      });

    });
  });
}
