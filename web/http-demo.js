// web/http-demo.html: registers web/sw-serve.js for the component given as
// ?component=URL and sends the page's requests under the prefix to it.
// window.compolyHttp is what tests drive: { ready, send(path, init), servePage(init) }.
const here = new URL(location.href);
const component = here.searchParams.get('component');
const prefixUrl = new URL('app/', location.href);
const prefix = prefixUrl.pathname;
document.getElementById('prefix').textContent = prefix;
const status = document.getElementById('status');
const out = document.getElementById('out');

async function register() {
  if (!component) throw new Error('no ?component=URL given');
  if (!('serviceWorker' in navigator)) throw new Error('this browser has no Service Workers here (a secure context is needed: https or localhost)');
  const script = new URL('sw-serve.js', location.href);
  script.searchParams.set('component', new URL(component, location.href).href);
  script.searchParams.set('prefix', prefix);
  for (const h of here.searchParams.getAll('allow-host')) script.searchParams.append('allow-host', h);
  const registration = await navigator.serviceWorker.register(script.href, { type: 'module', scope: new URL('./', location.href).pathname });
  await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) {
    await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
  }
  return registration;
}

/** Sends a request to the component (through the Service Worker); resolves to plain data. */
async function send(path, init = {}) {
  const started = performance.now();
  const response = await fetch(new URL(path, prefixUrl), init);
  const headers = {};
  response.headers.forEach((v, k) => (headers[k] = v));
  const body = await response.text();
  return { status: response.status, headers, body, ms: performance.now() - started };
}

/**
 * The same component served in the page itself (no Service Worker): compoly's
 * serve() called directly with a Request.
 */
async function servePage(path, init = {}, options = {}) {
  const { compile, serve } = await import('../js/index.js');
  const c = await compile(fetch(new URL(component, location.href)));
  const handler = await serve(c, options);
  const response = await handler(new Request(new URL(path, prefixUrl), init));
  const headers = {};
  response.headers.forEach((v, k) => (headers[k] = v));
  return { status: response.status, headers, body: await response.text() };
}

const ready = register().then(
  () => {
    status.textContent = `the Service Worker answers ${prefix}`;
    document.body.dataset.state = 'ready';
  },
  (e) => {
    status.textContent = `error: ${e?.message ?? e}`;
    document.body.dataset.state = 'error';
    throw e;
  },
);
window.compolyHttp = { ready, send, servePage, prefix };

document.getElementById('form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const method = document.getElementById('method').value;
  const body = document.getElementById('body').value;
  try {
    await ready;
    const r = await send(document.getElementById('path').value, method === 'GET' ? { method } : { method, body });
    out.textContent = `${r.status} (${r.ms.toFixed(0)} ms)\n${Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${r.body}`;
  } catch (e) {
    out.textContent = `error: ${e?.message ?? e}`;
  }
});
