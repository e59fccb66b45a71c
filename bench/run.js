// npm run bench: runs bench/*.bench.js in file-name order and prints one table per file.
// Each file exports `title` and a default async function returning
//   { rows: [{ measure, value, goal?, status? }] }   or   { skip: 'why' }.
// `node bench/run.js size` runs only the files whose name contains "size".
import { readdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cpus } from 'node:os';

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const files = (await readdir(here))
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

function table(rows) {
  const cols = ['measure', 'value', 'goal', 'status'].filter((c) => rows.some((r) => r[c] !== undefined));
  const cells = rows.map((r) => cols.map((c) => String(r[c] ?? '')));
  const width = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
  const line = (row) => '  ' + row.map((s, i) => s.padEnd(width[i])).join('  ').trimEnd();
  return [line(cols), line(width.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

const cpu = cpus();
console.log(`node ${process.version}, ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}\n`);
let failed = false;
for (const f of files) {
  const mod = await import(pathToFileURL(`${here}/${f}`).href);
  console.log(`${f}: ${mod.title ?? ''}`);
  try {
    const result = await mod.default();
    console.log(result.skip ? `  skipped: ${result.skip}` : table(result.rows));
  } catch (error) {
    failed = true;
    console.log(`  error: ${error?.stack ?? error}`);
  }
  console.log();
}
if (failed) process.exitCode = 1;
