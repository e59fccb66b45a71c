// serve(component, options): wasi:http/incoming-handler as a fetch handler,
// `(request: Request) => Promise<Response>`, for Service Workers, Node's
// http server (js/cli/serve.js) and fetch-handler runtimes.
//
// Each request gets a fresh instance: componentize-js handlers (and the
// proxy world in general) may answer only one request per instance. The
// Response comes back as soon as the guest calls response-outparam.set; its
// body streams while the guest is still writing it.
import { instantiate, jspiAvailable } from '../runtime/instantiate.js';
import { WasiHost } from './index.js';
import { bytesBodySource, Fields, IncomingRequest, methodFromString, readableSource, ResponseOutparam, schemeFromProtocol } from './http.js';

// Statuses whose Response may not have a body.
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * @param {import('../runtime/component.js').Component} component
 * @param {ConstructorParameters<typeof WasiHost>[0] & { imports?: Record<string, any>, async?: boolean | 'auto',
 *   onError?: (error: unknown, request: Request) => void }} [options]
 *   async: 'auto' (the default) uses JSPI when the engine has it: request and response bodies stream
 *   and the guest may make outgoing requests; without it (async: false) the request body is read
 *   first and outgoing requests fail with a message.
 * @returns {Promise<(request: Request) => Promise<Response>>}
 */
export async function serve(component, options = {}) {
  const { imports: extra, async: asyncOption = 'auto', onError, ...config } = options;
  if (asyncOption !== true && asyncOption !== false && asyncOption !== 'auto') throw new TypeError("compoly serve: async must be true, false or 'auto'");
  const async = asyncOption === 'auto' ? jspiAvailable() : asyncOption;
  if (async && !jspiAvailable()) {
    throw new Error('compoly serve: { async: true } needs JSPI (WebAssembly.Suspending): Chromium, Firefox or Node 24 or later');
  }
  const exportName = component.plan.exports.map((e) => e.name).find((n) => /^wasi:http\/incoming-handler(@|$)/.test(n));
  if (!exportName) {
    const names = component.plan.exports.map((e) => e.name).join(', ') || 'none';
    throw new TypeError(`compoly serve: the component does not export wasi:http/incoming-handler (its exports: ${names})`);
  }
  new WasiHost({ ...config, async }); // checks the config now rather than on the first request

  const report = (error, request) => {
    if (onError) onError(error, request);
    else console.error('compoly serve:', error);
  };

  return async function handler(request) {
    const host = new WasiHost({ ...config, async });
    const { exports } = await instantiate(component, { ...host.imports(), ...extra }, { async });
    const url = new URL(request.url);
    const source = await requestSource(request, async);
    const incoming = new IncomingRequest({
      method: methodFromString(request.method),
      pathWithQuery: url.pathname + url.search,
      scheme: schemeFromProtocol(url.protocol),
      authority: url.host,
      headers: Fields.fromHeaders(request.headers),
      source,
      async,
    });

    let resolveDelivered;
    let answer; // set synchronously by response-outparam.set (or null when dropped)
    const delivered = new Promise((r) => (resolveDelivered = r));
    const outparam = new ResponseOutparam((response) => {
      answer = response;
      resolveDelivered(response);
    });
    let pipe = null;
    const call = (async () => exports[exportName].handle(incoming, outparam))();
    const done = call.then(
      () => ({ returned: true }),
      (error) => ({ error }),
    );
    let outcome = null;
    const settle = () => {
      if (!outcome || !pipe) return;
      if (outcome.error) {
        // The response is out: cut its body short so the client sees the failure.
        pipe.abort(outcome.error instanceof Error ? outcome.error : new Error(String(outcome.error)));
      } else if (!pipe.finished) {
        pipe.abort(new Error('wasi:http: the handler returned without finishing the response body'));
      }
    };
    done.then((o) => {
      outcome = o;
      if (o.error) report(o.error, request);
      settle();
    });
    let first = await Promise.race([delivered.then((response) => ({ response })), done]);
    // A handler that set its response and returned at once may win the race.
    if (answer !== undefined) first = { response: answer };
    if (first.error) return errorResponse(500, `the component failed: ${first.error?.message ?? first.error}`);
    if (!('response' in first) || first.response === null) return errorResponse(500, 'the component did not set a response');
    const result = first.response;
    if (result.tag === 'err') return errorResponse(502, `the component answered with error ${JSON.stringify(result.val)}`);
    const { status, headers, body } = result.val.parts();
    let responseBody = null;
    if (body && !NULL_BODY.has(status) && request.method !== 'HEAD') {
      pipe = body.pipe;
      responseBody = pipe.finished ? pipe.takeAll() : pipe.stream();
      settle();
    } else if (body) {
      // No body may be sent: drain what the guest writes so it never waits on backpressure.
      body.pipe.bytes().catch(() => {});
    }
    return new Response(responseBody, { status, headers: headers.toHeaders() });
  };
}

// A Request's body as a wasi:io source: streamed under JSPI, else read first.
// Firefox has no Request#body (undefined, not null): read it whole there too.
async function requestSource(request, async) {
  if (async && request.body !== undefined) return readableSource(request.body);
  if (request.body === null || request.method === 'GET' || request.method === 'HEAD') return bytesBodySource(new Uint8Array(0));
  return bytesBodySource(new Uint8Array(await request.arrayBuffer()));
}

function errorResponse(status, message) {
  return new Response(`compoly serve: ${message}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}
