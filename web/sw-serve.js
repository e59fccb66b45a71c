// A Service Worker that answers the page's requests under a path prefix with a
// wasi:http/incoming-handler component (the wasi:http/proxy world), through
// compoly's serve(): each request runs in a fresh instance of the component.
//
//   navigator.serviceWorker.register(
//     '/web/sw-serve.js?component=/app/proxy.wasm&prefix=/web/app/&allow-host=127.0.0.1:8080',
//     { type: 'module' });
//
// Query parameters: `component` (URL of the .wasm, relative to this script),
// `prefix` (path prefix to answer; default: the registration's scope),
// `allow-host` (repeatable: the hosts the component may fetch; default: any),
// `env` (repeatable NAME=VALUE). Requests outside the prefix or to another
// origin go to the network as usual. It is a module worker (`type: 'module'`):
// Chromium and Firefox run those.
import createCompolyCore from '../js/core/compoly-core.mjs';
import createCompolyCoreFull from '../js/core/compoly-core-full.mjs';
import { compile, serve } from '../js/index.js';
import { provideCoreFactory } from '../js/core/load.js';

const params = new URL(self.location.href).searchParams;
const componentUrl = new URL(params.get('component') ?? 'proxy.wasm', self.location.href);
const prefix = params.get('prefix') ?? new URL(self.registration.scope).pathname;
const allowedHosts = params.getAll('allow-host');
const env = params.getAll('env').map((kv) => {
  const i = kv.indexOf('=');
  return i < 0 ? [kv, ''] : [kv.slice(0, i), kv.slice(i + 1)];
});

// compile() loads compoly's core with a dynamic import(), which Service Workers
// refuse: the glues are imported statically here and handed over (the full core's
// explains a component that does not compile).
provideCoreFactory(createCompolyCore, createCompolyCoreFull);

let handlerPromise = null;
function handler() {
  handlerPromise ??= (async () => {
    const response = await fetch(componentUrl);
    if (!response.ok) throw new Error(`compoly sw-serve: ${componentUrl} answered ${response.status}`);
    const component = await compile(response);
    const options = { env, onError: (e) => console.error('compoly sw-serve:', e) };
    if (allowedHosts.length) options.http = { allowedHosts };
    return serve(component, options);
  })().catch((e) => {
    handlerPromise = null; // a later request tries again
    throw e;
  });
  return handlerPromise;
}

self.addEventListener('install', (event) => {
  self.skipWaiting();
  event.waitUntil(handler().catch((e) => console.error('compoly sw-serve:', e)));
});
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith(prefix)) return;
  event.respondWith(
    handler()
      .then((h) => h(event.request))
      .catch(
        (e) =>
          new Response(`compoly sw-serve: ${e?.message ?? e}\n`, {
            status: 500,
            headers: { 'content-type': 'text/plain; charset=utf-8' },
          }),
      ),
  );
});
