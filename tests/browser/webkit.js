// WebKit (Safari's engine) for the browser tests: Debian's WebKitGTK MiniBrowser, driven
// through WebKitWebDriver (W3C WebDriver classic, plain HTTP) under its own Xvfb display
// (../shared/browsers.md). Playwright's WebKit would be a downloaded browser, so this gives
// the small part of Playwright's page API the tests and benches use: goto, reload, close,
// evaluate, waitForFunction, waitForSelector, setInputFiles, 'pageerror' and locators (text,
// evaluate). Page errors are collected by the test pages themselves (the classic script in
// tests/browser/pages/page-errors.js) and drained with every evaluate.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

const DRIVER = '/usr/bin/WebKitWebDriver';
const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const XVFB = '/usr/bin/Xvfb';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Xvfb picks a free display itself and writes its number to the descriptor given.
function startXvfb() {
  return new Promise((resolve, reject) => {
    const xvfb = spawn(XVFB, ['-displayfd', '3', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    xvfb.stderr.on('data', (d) => (err += d));
    xvfb.stdio[3].on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve({ xvfb, display: `:${out.trim()}` });
    });
    xvfb.once('error', reject);
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited (${code}) before it had a display: ${err.trim()}`)));
  });
}

async function webdriver(base, method, path, body) {
  const response = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const { value } = await response.json();
  if (value?.error) throw new Error(`WebKitWebDriver ${method} ${path}: ${value.error}: ${value.message}`);
  return value;
}

// Runs `fn(arg)` in the page (awaiting a returned Promise) and hands back its value and the
// page errors recorded since the last call.
const EVALUATE = `
  const [source, arg, done] = arguments;
  const drain = () => (window.__compolyPageErrors ?? []).splice(0);
  Promise.resolve()
    .then(() => (0, eval)('(' + source + ')')(arg))
    .then((value) => done({ value, errors: drain() }), (e) => done({ thrown: e instanceof Error ? e.name + ': ' + e.message + '\\n' + e.stack : String(e), errors: drain() }));
`;

// Elements as a Playwright locator chain finds them: each selector within the matches of the one
// before. Runs in the page (its source is sent with the call).
function resolveChain(selectors) {
  let elements = [document];
  for (const selector of selectors) elements = elements.flatMap((e) => [...e.querySelectorAll(selector)]);
  return elements;
}

/** The part of Playwright's Locator the tests use, resolved afresh in the page on every call. */
class Locator {
  constructor(page, selectors) {
    this.page = page;
    this.selectors = selectors;
  }

  locator(selector) {
    return new Locator(this.page, [...this.selectors, selector]);
  }

  // `fn(elements, arg)` in the page.
  all(fn, arg) {
    const run = `([selectors, arg]) => (${fn})((${resolveChain})(selectors), arg)`;
    return this.page.evaluate(run, [this.selectors, arg ?? null]);
  }

  // `fn(element, arg)` on the one element the chain finds (Playwright's strict mode).
  one(fn, arg) {
    const what = this.selectors.join(' >> ');
    const run = `(elements, arg) => {
      if (elements.length !== 1) throw new Error('locator ' + ${JSON.stringify(JSON.stringify(what))} + ' matches ' + elements.length + ' elements');
      return (${fn})(elements[0], arg);
    }`;
    return this.all(run, arg);
  }

  evaluate(fn, arg) {
    return this.one(fn, arg);
  }

  evaluateAll(fn, arg) {
    return this.all(fn, arg);
  }

  innerText() {
    return this.one((e) => e.innerText);
  }

  textContent() {
    return this.one((e) => e.textContent);
  }

  allTextContents() {
    return this.all((elements) => elements.map((e) => e.textContent));
  }
}

class WebKitPage {
  constructor(base, session) {
    this.base = base;
    this.session = session;
    this.listeners = [];
  }

  on(event, listener) {
    if (event === 'pageerror') this.listeners.push(listener);
  }

  async goto(url) {
    await this.#navigate('url', { url });
  }

  async reload() {
    await this.#navigate('refresh', {});
  }

  // The window stays (it is the session's only one); leave the page so its realm goes.
  async close() {
    await webdriver(this.base, 'POST', `/session/${this.session}/url`, { url: 'about:blank' });
  }

  // WebKitWebDriver can answer a navigation before the new document has run its scripts (seen
  // in CI), where Playwright waits for the load event: so wait for it here, in the new
  // document (the old one is marked first).
  async #navigate(command, body) {
    await this.evaluate(() => {
      window.__compolyLeaving = true;
    }).catch(() => {});
    await webdriver(this.base, 'POST', `/session/${this.session}/${command}`, body);
    await this.waitForFunction(() => !window.__compolyLeaving && document.readyState === 'complete', null, { timeout: 60_000 });
  }

  async evaluate(fn, arg) {
    const result = await webdriver(this.base, 'POST', `/session/${this.session}/execute/async`, {
      script: EVALUATE,
      args: [String(fn), arg ?? null],
    });
    for (const message of result?.errors ?? []) for (const listener of this.listeners) listener({ message });
    if (result?.thrown !== undefined) throw new Error(`in WebKit: ${result.thrown}`);
    return result?.value;
  }

  locator(selector) {
    return new Locator(this, [selector]);
  }

  waitForSelector(selector, { timeout = 30_000 } = {}) {
    return this.waitForFunction((s) => document.querySelector(s) !== null, selector, { timeout });
  }

  // One file, given as Playwright's { name, mimeType, buffer }, picked in a file input.
  async setInputFiles(selector, { name, mimeType, buffer }) {
    const problem = await this.evaluate(
      ([s, file]) => {
        const input = document.querySelector(s);
        if (!input) return `no element matches ${s}`;
        const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
        const picked = new DataTransfer();
        picked.items.add(new File([bytes], file.name, { type: file.mimeType }));
        input.files = picked.files;
        input.dispatchEvent(new Event('input', { bubbles: true }));
        input.dispatchEvent(new Event('change', { bubbles: true }));
        return null;
      },
      [selector, { name, mimeType, base64: Buffer.from(buffer).toString('base64') }],
    );
    if (problem) throw new Error(`setInputFiles: ${problem}`);
  }

  async waitForFunction(fn, arg, { timeout = 30_000 } = {}) {
    const deadline = Date.now() + timeout;
    let lastError = null;
    for (;;) {
      // A page still loading may throw (its globals are not there yet): that counts as "not yet".
      const value = await this.evaluate(fn, arg).catch((e) => {
        lastError = e;
        return undefined;
      });
      if (value) return value;
      if (Date.now() > deadline) {
        throw new Error(`waitForFunction timed out after ${timeout} ms: ${fn}${lastError ? ` (last error: ${lastError.message})` : ''}`);
      }
      await sleep(100);
    }
  }
}

async function launch() {
  const { xvfb, display } = await startXvfb();
  const port = await freePort();
  // SharedArrayBuffer (the worker path's Atomics.wait) is off in WebKitGTK unless asked for.
  const env = { ...process.env, DISPLAY: display, JSC_useSharedArrayBuffer: '1' };
  const driver = spawn(DRIVER, [`--port=${port}`], { env, stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  const stop = () => {
    driver.kill();
    xvfb.kill();
  };
  try {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const ready = await webdriver(base, 'GET', '/status').then((s) => s?.ready, () => false);
      if (ready) break;
      if (Date.now() > deadline) throw new Error(`WebKitWebDriver did not answer on port ${port} within 15 s`);
      await sleep(100);
    }
    const { sessionId, capabilities } = await webdriver(base, 'POST', '/session', {
      capabilities: {
        alwaysMatch: {
          browserName: 'MiniBrowser',
          'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
          timeouts: { script: 600_000 },
        },
      },
    });
    return {
      version: () => capabilities.browserVersion,
      // One window per session: each "new page" is that window (tests and benches open one at a time).
      async newPage() {
        return new WebKitPage(base, sessionId);
      },
      async close() {
        await webdriver(base, 'DELETE', `/session/${sessionId}`).catch(() => {});
        stop();
      },
    };
  } catch (e) {
    stop();
    throw e;
  }
}

export const webkit = {
  name: 'webkit',
  available: () => existsSync(DRIVER) && existsSync(MINIBROWSER) && existsSync(XVFB),
  launch,
};
