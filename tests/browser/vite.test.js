// compoly used as an application uses it: tests/vite is a minimal page that imports
// `compoly` by package name (a `file:../..` dependency on this checkout), built by Vite.
// This test installs the app's dependencies (once), runs `vite build`, serves dist/ on
// loopback and opens it in headless Chromium (and Firefox and WebKitGTK when installed): the
// runtime, the Emscripten glue (js/core/compoly-core.mjs) and the core's .wasm must all resolve
// in the bundle, and the page must compile the calculator demo component and call its exports.
// WebKit's driver reports neither requests nor this page's uncaught errors: there the page's
// results, and its resource timing entry for the bundled .wasm, say that the assets loaded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { browsers } from './browsers.js';
import { withPage } from './with-page.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const APP = fileURLToPath(new URL('../vite/', import.meta.url));
const DIST = join(APP, 'dist');
const chromium = browsers.find((b) => b.name === 'chromium');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
};

/** Serves `dir` on 127.0.0.1 (a random port); resolves to { url, close() }. */
function serveStatic(dir) {
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (path.endsWith('/')) path += 'index.html';
    const file = normalize(join(dir, path));
    if (!file.startsWith(dir + sep)) return void res.writeHead(403).end();
    let stat;
    try {
      stat = statSync(file);
    } catch {
      return void res.writeHead(404).end('not found');
    }
    if (!stat.isFile()) return void res.writeHead(404).end('not a file');
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': stat.size,
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((r) => server.close(r)) }),
    );
  });
}

function run(command, args, cwd) {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) failed:\n${error.stdout ?? ''}${error.stderr ?? error.message}`);
  }
}

/** npm install in tests/vite, only when the pinned vite is not there yet. */
function installApp() {
  const wanted = JSON.parse(readFileSync(join(APP, 'package.json'), 'utf8')).devDependencies.vite;
  const installed = join(APP, 'node_modules/vite/package.json');
  const linked = join(APP, 'node_modules/compoly/package.json');
  if (existsSync(installed) && existsSync(linked) && JSON.parse(readFileSync(installed, 'utf8')).version === wanted) return;
  run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock'], APP);
}

test('a page built with Vite imports compoly by package name and runs a component', {
  skip: !chromium.available() && 'chromium is not installed (bash scripts/setup.sh)',
  timeout: 300_000,
}, async (t) => {
  assert.ok(existsSync(join(ROOT, 'js/core/compoly-core.wasm')), 'the core is not built: run bash scripts/build-core.sh');

  // The component: demos/calculator, assembled from its .wat (jco parse), into the app's public/.
  const { DEMOS } = await import('../../demos/run-demo.js');
  const calculator = await DEMOS.find((d) => d.name === 'calculator').build();
  mkdirSync(join(APP, 'public'), { recursive: true });
  copyFileSync(calculator, join(APP, 'public/calculator.component.wasm'));

  installApp();
  rmSync(DIST, { recursive: true, force: true });
  const log = run(process.execPath, [join(APP, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], APP);
  if (log.trim()) t.diagnostic(`vite build warnings:\n${log.trim()}`);

  // The glue and the core's .wasm went into the bundle as assets, not left as paths into js/core.
  const assets = readdirSync(join(DIST, 'assets'));
  assert.ok(assets.some((f) => /^compoly-core-.*\.wasm$/.test(f)), `no compoly-core .wasm among the assets: ${assets}`);
  for (const file of assets.filter((f) => f.endsWith('.js'))) {
    assert.doesNotMatch(readFileSync(join(DIST, 'assets', file), 'utf8'), /js\/core\//, `${file} refers to js/core/`);
  }

  const server = await serveStatic(DIST);
  try {
    for (const browser of browsers) {
      await t.test(`in ${browser.name}`, { skip: !browser.available() && `${browser.name} is not installed` }, async () => {
        // The server serves every browser: it is closed after the loop.
        await withPage(browser, [], async (page) => {
          const failed = [];
          page.on('requestfailed', (r) => failed.push(r.url()));
          page.on('response', (r) => r.status() >= 400 && failed.push(`${r.status()} ${r.url()}`));
          await page.goto(server.url);
          await page.waitForFunction(() => document.getElementById('status').textContent !== 'loading…', null, { timeout: 60_000 });
          const shown = await page.evaluate(() => ({
            status: document.getElementById('status').textContent,
            wit: document.getElementById('wit').textContent,
            add: document.getElementById('add').textContent,
            greet: document.getElementById('greet').textContent,
          }));
          assert.equal(shown.status, 'done', shown.status);
          assert.equal(shown.add, '42');
          assert.equal(shown.greet, 'Hello, vite!');
          assert.match(shown.wit, /^world root \{\n  export demo:calc\/calculator;\n\}/m);
          assert.deepEqual(failed, [], 'failed requests');
          const fetched = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
          assert.ok(fetched.some((url) => /\/assets\/compoly-core-[^/]*\.wasm$/.test(url)), `the bundled core .wasm was not fetched: ${fetched}`);
        });
      });
    }
  } finally {
    await server.close();
  }
});
