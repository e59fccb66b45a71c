// WebKit (Safari's engine) for the browser tests: Debian's WebKitGTK MiniBrowser, driven
// through WebKitWebDriver (W3C WebDriver classic, plain HTTP) under its own Xvfb display
// (../shared/browsers.md). Playwright's WebKit would be a downloaded browser, so this gives
// the small part of Playwright's page API the tests use: goto, reload, evaluate, waitForFunction
// and 'pageerror'. Page errors are collected by the pages themselves (the classic script in
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
    await webdriver(this.base, 'POST', `/session/${this.session}/url`, { url });
  }

  async reload() {
    await webdriver(this.base, 'POST', `/session/${this.session}/refresh`, {});
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
    const { sessionId } = await webdriver(base, 'POST', '/session', {
      capabilities: {
        alwaysMatch: {
          browserName: 'MiniBrowser',
          'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
          timeouts: { script: 600_000 },
        },
      },
    });
    return {
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
