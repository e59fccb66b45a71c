// The frame of a browser test: one browser, one page whose uncaught errors are collected, and
// everything closed however the test ends.
import assert from 'node:assert/strict';

/**
 * Launches `browser`, opens a page and awaits `body(page)`; then asserts the page had no
 * uncaught errors. The browser and `servers` (each with `close()`) are closed in any case.
 */
export async function withPage(browser, servers, body) {
  try {
    const instance = await browser.launch();
    try {
      const page = await instance.newPage();
      const pageErrors = [];
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await body(page);
      assert.deepEqual(pageErrors, [], 'uncaught page errors');
    } finally {
      await instance.close();
    }
  } finally {
    for (const server of servers) await server.close();
  }
}
