// Imports each portable test file given in ?files=a,b (paths relative to
// the project root), runs what it registered, and leaves the results in
// window.__compolyResults for the Playwright driver.
import { runRegistered } from './shim/test.js';

const log = document.getElementById('log');
const files = (new URLSearchParams(location.search).get('files') ?? '').split(',').filter(Boolean);
const results = [];
window.__compolyResults = null;
for (const file of files) {
  try {
    await import(new URL(`../../${file}`, import.meta.url));
    results.push(...(await runRegistered(file)));
  } catch (e) {
    results.push({ name: `${file} (loading)`, status: 'fail', message: `${e?.name}: ${e?.message}\n${e?.stack ?? ''}` });
  }
  log.textContent += `${file}: done\n`;
}
window.__compolyResults = results;
