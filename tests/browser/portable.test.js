// Runs the portable JS tests (tests/js files marked `// @portable`) in
// headless Chromium and Firefox and in WebKitGTK (under Xvfb): the same test
// list as in Node. Each browser-side test becomes one subtest here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { startServer } from './server.js';
import { browsers } from './browsers.js';
import { withPage } from './with-page.js';

const testsDir = new URL('../js/', import.meta.url);
const portable = readdirSync(testsDir)
  .filter((f) => f.endsWith('.test.js'))
  .filter((f) => /^\s*\/\/ @portable\b/m.test(readFileSync(new URL(f, testsDir), 'utf8').split('\n').slice(0, 5).join('\n')))
  .sort()
  .map((f) => `tests/js/${f}`);

for (const browser of browsers) {
  test(`portable tests in ${browser.name}`, { skip: !browser.available() && `${browser.name} is not installed (bash scripts/setup.sh)` }, async (t) => {
    if (portable.length === 0) t.skip('no portable test files');
    const server = await startServer();
    await withPage(browser, [server], async (page) => {
      for (const file of portable) {
        await page.goto(`${server.projectUrl}tests/browser/runner.html?files=${encodeURIComponent(file)}`);
        await page.waitForFunction(() => Array.isArray(window.__compolyResults), null, { timeout: 300_000 });
        const results = await page.evaluate(() => window.__compolyResults);
        for (const r of results) {
          await t.test(r.name, { skip: r.status === 'skip' ? r.message || true : false, todo: r.status === 'todo' ? r.message || true : false }, () => {
            if (r.status === 'fail') assert.fail(`${browser.name}: ${r.message}`);
          });
        }
      }
      // As `npm run bench` does after each bench file (every browser adapter has it).
      await page.close();
    });
  });
}
