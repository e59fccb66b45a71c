// The page tests/browser/wasi-http-worker.test.js drives: runs the fetch
// command (tests/fixtures/http/fetch-command) with run() and returns its exit
// code and the JSON line it printed. Exposed as window.httpWorker.
let compoly;
const components = new Map();

async function load() {
  compoly = await import('../../../js/index.js');
  return { jspi: compoly.jspiAvailable(), crossOriginIsolated: globalThis.crossOriginIsolated === true };
}

/** `{ exitCode, printed }` of one run, or `{ error }`. */
async function runCommand(url, env, options) {
  try {
    if (!components.has(url)) components.set(url, compoly.compile(fetch(url)));
    let stdout = '';
    const decoder = new TextDecoder();
    const { exitCode } = await compoly.run(await components.get(url), {
      env,
      stdout: (b) => (stdout += decoder.decode(b, { stream: true })),
      ...options,
    });
    const printed = JSON.parse(stdout.trim());
    delete printed.headers?.date;
    return { exitCode, printed };
  } catch (e) {
    return { error: `${e?.name}: ${e?.message}\n${e?.stack ?? ''}` };
  }
}

window.httpWorker = { ready: load(), run: runCommand };
