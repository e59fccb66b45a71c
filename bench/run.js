// npm run bench: runs bench/*.bench.js in file-name order, in Node and in headless Chromium in
// the same run, and prints one table per file with a column per environment.
//
// A bench file exports `title`, an optional `prepare()` (Node only: builds its inputs, returns
// JSON-able input or { skip: 'why' }), a default `async run(env, input)` returning
// { rows: [{ measure, value, goal?, ok? }] } or { skip: 'why' }, and `browser = false` if it
// runs in Node only. `env` is { name, bytes(path), url(path) } with paths relative to the
// project root; in the browser the same module runs in bench/browser.html, served by
// tests/browser/server.js.
//
//   node bench/run.js [filter…] [--browsers=chromium,firefox,webkit | --browsers=none]
// runs the files whose name contains a filter (all without one).
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cpus } from 'node:os';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = join(here, '..');
const args = process.argv.slice(2);
const filters = args.filter((a) => !a.startsWith('--'));
const browserArg = args.find((a) => a.startsWith('--browsers='))?.slice('--browsers='.length) ?? 'chromium';
const browserNames = browserArg === 'none' ? [] : browserArg.split(',').filter(Boolean);
const files = (await readdir(here))
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

const nodeEnv = {
  name: 'node',
  bytes: async (path) => new Uint8Array(await readFile(join(ROOT, path))),
  url: (path) => pathToFileURL(join(ROOT, path)).href,
};

// ---- browsers --------------------------------------------------------------------------------

const { browsers } = await import('../tests/browser/browsers.js');
const envs = [{ name: 'node', run: (file, mod, input) => mod.default(nodeEnv, input) }];
const notes = [];
let server = null;
const launched = [];
for (const name of browserNames) {
  const b = browsers.find((x) => x.name === name);
  if (!b) throw new Error(`unknown browser ${name} (one of ${browsers.map((x) => x.name).join(', ')})`);
  if (!b.available()) {
    notes.push(`${name}: not installed (bash scripts/setup.sh), column left empty`);
    envs.push({ name, run: null });
    continue;
  }
  server ??= await (await import('../tests/browser/server.js')).startServer();
  const instance = await b.launch();
  launched.push(instance);
  notes.push(`${name} ${instance.version()}`);
  envs.push({
    name,
    async run(file, mod, input) {
      if (mod.browser === false) return { skip: 'Node only' };
      // A fresh page (and realm) per bench file, as a user's page would be.
      const page = await instance.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      try {
        await page.goto(`${server.projectUrl}bench/browser.html`);
        await page.waitForFunction(() => window.__compolyBenchReady === true, null, { timeout: 60_000 });
        return await page.evaluate(([f, i, n]) => window.__compolyBench(f, i, n), [file, input, name]);
      } catch (e) {
        throw new Error(`${String(e?.message ?? e).split('\n')[0]}${errors.length ? ` (page: ${errors.join('; ')})` : ''}`);
      } finally {
        await page.close();
      }
    },
  });
}

// ---- tables ------------------------------------------------------------------------------

function table(header, rows) {
  const width = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (row) => '  ' + row.map((s, i) => s.padEnd(width[i])).join('  ').trimEnd();
  return [line(header), line(width.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** One row per measure (in the order first seen), one value column per environment. */
function merge(results) {
  const measures = new Map();
  for (const [env, result] of results) {
    if (!result?.rows) continue;
    for (const row of result.rows) {
      if (!measures.has(row.measure)) measures.set(row.measure, { goal: row.goal, values: new Map(), ok: new Map() });
      const m = measures.get(row.measure);
      m.values.set(env, row.value);
      if (row.ok !== undefined) m.ok.set(env, row.ok);
    }
  }
  const header = ['measure', ...results.map(([env]) => env), 'goal', 'status'];
  const rows = [...measures].map(([measure, m]) => {
    let status = '';
    if (m.ok.size) {
      const met = [...m.ok].filter(([, ok]) => ok).map(([env]) => env);
      const missed = [...m.ok].filter(([, ok]) => !ok).map(([env]) => env);
      status = missed.length === 0 ? 'met' : met.length === 0 ? 'missed' : `met (${met.join(', ')}), missed (${missed.join(', ')})`;
    }
    return [measure, ...results.map(([env, r]) => (r?.rows ? (m.values.get(env) ?? '') : r?.skip ? '—' : 'error')), m.goal ?? '', status];
  });
  return table(header, rows);
}

const cpu = cpus();
console.log(`node ${process.version}, ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}`);
for (const n of notes) console.log(n);
console.log();

let failed = false;
try {
  for (const f of files) {
    const mod = await import(pathToFileURL(join(here, f)).href);
    console.log(`${f}: ${mod.title ?? ''}`);
    let input = {};
    try {
      input = mod.prepare ? await mod.prepare() : {};
    } catch (error) {
      failed = true;
      console.log(`  error preparing: ${error?.stack ?? error}\n`);
      continue;
    }
    if (input?.skip) {
      console.log(`  skipped: ${input.skip}\n`);
      continue;
    }
    const results = [];
    const errors = [];
    for (const env of envs) {
      if (!env.run) {
        results.push([env.name, { skip: 'not installed' }]);
        continue;
      }
      try {
        results.push([env.name, await env.run(f, mod, input)]);
      } catch (error) {
        failed = true;
        results.push([env.name, null]);
        errors.push(`  ${env.name}: error: ${error?.stack ?? error}`);
      }
    }
    const skips = results.filter(([, r]) => r?.skip).map(([env, r]) => `${env}: ${r.skip}`);
    if (results.every(([, r]) => !r?.rows)) {
      for (const s of skips) console.log(`  skipped in ${s}`);
    } else {
      console.log(merge(results));
      for (const s of skips) console.log(`  (skipped in ${s})`);
    }
    for (const e of errors) console.log(e);
    console.log();
  }
} finally {
  for (const b of launched) await b.close();
  await server?.close();
}
if (failed) process.exitCode = 1;
