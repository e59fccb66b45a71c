#!/usr/bin/env node
// Serves the web demo (web/index.html): builds the demo components (demos/run-demo.js has the
// build steps), starts a static server on loopback whose root is the project, prints the URL
// and serves until Ctrl-C. `bash scripts/demo.sh` ends with this.
//
//   node scripts/serve-demo.js [--port N]   serve (default port 8123, another one if taken)
//   node scripts/serve-demo.js --check      open the page in headless Chromium, wait for the
//                                           demo's results, print them, exit (1 on failure)
//
// With no terminal on stdin, or with CI set, nothing waits for Ctrl-C: it runs the --check
// instead (or only prints the URL when Chromium is not installed). --serve forces serving.
import { createServer } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { extname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
export const PAGE = 'web/index.html';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.wat': 'text/plain; charset=utf-8',
  '.wit': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * A static server for the project folder on 127.0.0.1 (`/` redirects to the demo page;
 * dot-files such as .git are not served), with the cross-origin isolation headers that
 * SharedArrayBuffer needs. Resolves to { url, pageUrl, close() }.
 */
export function startDemoServer({ port = 0 } = {}) {
  const server = createServer((req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      return void res.writeHead(400).end('bad request');
    }
    if (path === '/') return void res.writeHead(302, { location: `/${PAGE}` }).end();
    let file = normalize(join(ROOT, path));
    const inside = relative(ROOT, file);
    if (inside.startsWith('..') || inside.split(sep).some((part) => part.startsWith('.'))) {
      return void res.writeHead(403).end('forbidden');
    }
    let stat;
    try {
      stat = statSync(file);
      if (stat.isDirectory()) {
        if (!path.endsWith('/')) return void res.writeHead(302, { location: `${path}/` }).end();
        file = join(file, 'index.html');
        stat = statSync(file);
      }
    } catch {
      return void res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${path}`);
    }
    if (!stat.isFile()) return void res.writeHead(404).end('not a file');
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': stat.size,
      'cache-control': 'no-store',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
      'cross-origin-resource-policy': 'same-origin',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const url = `http://127.0.0.1:${server.address().port}/`;
      resolve({
        url,
        pageUrl: `${url}${PAGE}`,
        close: () =>
          new Promise((r) => {
            server.closeAllConnections?.();
            server.close(r);
          }),
      });
    });
  });
}

/**
 * Builds the demo components the page loads (demos/run-demo.js's DEMOS): the calculator must
 * build; the others (hello needs clang with wasi-libc) are shown only when they do.
 * Returns the lines to print about what could not be built.
 */
export async function buildDemoComponents({ log = () => {} } = {}) {
  const { DEMOS } = await import('../demos/run-demo.js');
  const notes = [];
  for (const demo of DEMOS) {
    try {
      const path = await demo.build();
      log(`built ${relative(ROOT, path)}`);
    } catch (error) {
      if (demo.name === 'calculator') throw error;
      notes.push(`${demo.name} not built (${String(error?.message ?? error).split('\n')[0]}); the page shows the others`);
    }
  }
  return notes;
}

/**
 * Opens the page in headless Chromium and waits for the demo to finish; resolves to
 * window.compolyDemo (what the page showed) plus `state` and uncaught page errors.
 */
export async function checkPage(pageUrl, { screenshot } = {}) {
  const { browsers } = await import('../tests/browser/browsers.js');
  const chromium = browsers.find((b) => b.name === 'chromium');
  if (!chromium.available()) throw new Error('chromium is not installed (bash scripts/setup.sh)');
  const browser = await chromium.launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(pageUrl);
    await page.waitForSelector('body:not([data-state="loading"])', { timeout: 60_000 });
    const shown = await page.evaluate(() => ({ state: document.body.dataset.state, ...window.compolyDemo }));
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
    return { ...shown, pageErrors };
  } finally {
    await browser.close();
  }
}

function ensureCore() {
  if (existsSync(join(ROOT, 'js/core/compoly-core.wasm')) && existsSync(join(ROOT, 'js/core/compoly-core.mjs'))) return;
  console.log('serve-demo: the core is not built yet; building it (scripts/build-core.sh)');
  execFileSync('bash', [join(ROOT, 'scripts/build-core.sh')], { stdio: 'inherit' });
}

function printCheck(shown) {
  for (const [name, demo] of Object.entries(shown.demos ?? {})) {
    if (demo.skipped) {
      console.log(`  ${name}: ${demo.skipped}`);
      continue;
    }
    console.log(`  ${name}: ${demo.ok ? 'ok' : 'FAILED'}${demo.exports?.length ? `, exports ${demo.exports.join(', ')}` : ''}`);
    if (demo.error) console.log(`    ${demo.error.name}: ${demo.error.message}`);
    for (const [call, result] of Object.entries(demo.results ?? {})) console.log(`    ${call} = ${result}`);
  }
  for (const e of shown.pageErrors ?? []) console.log(`  page error: ${e}`);
}

async function main(args) {
  const flag = (name) => args.includes(name);
  const portAt = args.indexOf('--port');
  const port = portAt >= 0 ? Number(args[portAt + 1]) : 8123;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a port number: ${args[portAt + 1]}`);
  const interactive = process.stdin.isTTY && !process.env.CI;
  const check = flag('--check') || (!flag('--serve') && !interactive);

  ensureCore();
  for (const note of await buildDemoComponents()) console.log(`serve-demo: ${note}`);

  let server;
  try {
    server = await startDemoServer({ port });
  } catch (error) {
    if (error?.code !== 'EADDRINUSE' || portAt >= 0) throw error;
    server = await startDemoServer({ port: 0 }); // the default port is taken: any free one
  }

  if (!check) {
    console.log(`\nThe web demo: ${server.pageUrl}`);
    console.log('Open it in a browser: the calculator and hello components compiled in the page, their WIT,');
    console.log('imports and exports, the calculator\'s add/greet results, and a picker for your own .wasm.');
    console.log('Serving on loopback only; Ctrl-C stops it.');
    const stop = async () => {
      await server.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return null; // keep serving
  }

  try {
    const { browsers } = await import('../tests/browser/browsers.js');
    if (!flag('--check') && !browsers.find((b) => b.name === 'chromium').available()) {
      console.log(`serve-demo: no terminal (or CI), and no Chromium to check the page with; not serving ${server.pageUrl}`);
      return 0;
    }
    if (!flag('--check')) console.log('serve-demo: no terminal (or CI): checking the page in headless Chromium instead of serving it');
    console.log(`serve-demo --check: ${server.pageUrl} in headless Chromium`);
    const shown = await checkPage(server.pageUrl);
    printCheck(shown);
    const ok = shown.state === 'done' && shown.pageErrors.length === 0;
    console.log(ok ? 'web demo: ok' : `web demo: FAILED (page state ${shown.state})`);
    return ok ? 0 : 1;
  } finally {
    await server.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then(
    (code) => {
      if (code != null) process.exit(code);
    },
    (error) => {
      console.error(`serve-demo: ${error?.message ?? error}`);
      process.exit(1);
    },
  );
}
