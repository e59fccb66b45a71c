// A worker of the page's own (not run()'s): it runs the C tour with an OPFS preopen that it
// opened itself, as a user's worker would. The page (wasi-c.js) sends
// { url, dir | grant, stdinLength }; the worker answers with the run's result or { error }.
// With `dir` it calls opfs(dir), which starts the OPFS agent from this worker; with `grant`
// it calls opfs(grant) on an agent the page started (opfsForWorker). With `pauseAfterOpen` it
// says { opened: true } and waits for a message before it runs.
import { tourInputs, tourStdin } from '../../fixtures/c/tour.js';

const loaded = Promise.all([import('../../../js/index.js'), import('../../../js/wasi/index.js')]);

self.onmessage = async ({ data }) => {
  try {
    const [compoly, wasi] = await loaded;
    const fs = await wasi.opfs(data.grant ?? data.dir);
    if (data.pauseAfterOpen) {
      // The page may end the grant's agent now; the run then starts on the next message.
      const go = new Promise((resolve) => (self.onmessage = resolve));
      self.postMessage({ opened: true });
      await go;
    }
    const stdin = tourStdin(data.stdinLength);
    const { args, env } = tourInputs(stdin);
    const decoder = [new TextDecoder(), new TextDecoder()];
    let stdout = '';
    let stderr = '';
    const started = performance.now();
    const { exitCode } = await compoly.run(await compoly.compile(fetch(data.url)), {
      args: ['wasi-tour', ...args],
      env,
      stdin,
      preopens: { '/data': fs },
      stdout: (b) => (stdout += decoder[0].decode(b, { stream: true })),
      stderr: (b) => (stderr += decoder[1].decode(b, { stream: true })),
    });
    fs.dispose?.();
    self.postMessage({ exitCode, stdout, stderr, ms: performance.now() - started, backend: fs.constructor.name });
  } catch (e) {
    self.postMessage({ error: `${e?.name}: ${e?.message}\n${e?.stack ?? ''}` });
  }
};
