// Outgoing wasi:http on the worker path (run(…, { worker: true })). The guest
// runs synchronously in a worker, which cannot wait for fetch(); so its
// outgoing-handler forwards each request to the page (or Node's main thread)
// over the worker channel, and blocks on Atomics.wait whenever the guest
// waits: for the response head (future-incoming-response) or for body bytes.
//
// The page side runs the request through the same outgoing-handler as the
// JSPI path (http.js, async mode, with the user's http config: allow-list,
// fetch, redirects, timeouts), so both paths give the same answers and the
// same error codes. Request bodies go as one-way messages as the guest writes
// them; fetch reads them as they come in Node, and once the guest has finished
// the body in browsers (which cannot stream a request body), as on JSPI.
//
//   worker side: remoteHttpImports(channel, imports) puts an outgoing-handler
//     of this kind in a WasiHost's imports;
//   page side:   httpRequests(config) answers the 'http.*' requests.
import { Fields, FutureIncomingResponse, IncomingResponse, httpImports } from './http.js';
import { httpErrorCodes, httpStreamError } from './http-body.js';

const timeoutMs = (ms) => (ms === null || ms === undefined || !Number.isFinite(ms) ? null : ms);

// ---- the worker side -----------------------------------------------------------------------

/** A response body read from the page: bytes as they arrive, null at the end. */
function remoteBodySource(channel, id) {
  let done = false;
  return {
    read(n) {
      if (done) return null;
      const got = channel.call('http.read', { id, n });
      if (got instanceof Uint8Array) return got;
      done = true;
      if (got.end) return null;
      throw httpStreamError(got.error, got.message);
    },
    ready: () => done || channel.call('http.ready', { id }),
    waitSync: (ms) => channel.call('http.wait', { id, ms: timeoutMs(ms) }),
    close() {
      if (!done) channel.send('http.drop', { id });
      done = true;
    },
  };
}

/** The future of a request the page makes: its head, asked for when the guest looks or waits. */
function remoteFuture(channel, id) {
  let result = null;
  // Waits up to `ms` for the head (0: only looks; null: until it is there).
  const poll = (ms) => {
    if (result !== null) return result;
    const head = channel.call('http.head', { id, ms });
    if (head.pending) return null;
    if (head.error) result = { tag: 'err', val: head.error };
    else {
      const headers = Fields.fromPairs(head.headers, { immutable: true });
      result = { tag: 'ok', val: new IncomingResponse(head.status, headers, remoteBodySource(channel, id), false) };
    }
    return result;
  };
  return new FutureIncomingResponse(() => poll(0), { waitSync: (ms) => poll(timeoutMs(ms)) }, false);
}

function remoteOutgoingHandler(channel) {
  return {
    handle(request, options) {
      const { body, headers } = request.parts();
      const started = channel.call('http.start', {
        method: request.method(),
        scheme: request.scheme(),
        authority: request.authority(),
        path: request.pathWithQuery(),
        headers: headers.pairs(),
        timeouts: options
          ? [options.connectTimeout(), options.firstByteTimeout(), options.betweenBytesTimeout()]
          : null,
        body: body !== null,
      });
      if (started.error) throw started.error;
      const { id } = started;
      // What the guest has written goes now, the rest as it writes it.
      body?.pipe.forward({
        chunk: (bytes) => channel.send('http.body', { id, bytes }),
        finish: () => channel.send('http.finish', { id }),
        abort: (error) => channel.send('http.abort', { id, message: error?.message }),
      });
      return remoteFuture(channel, id);
    },
  };
}

/** `imports` (a sync WasiHost's) with outgoing requests made by the page over `channel`. */
export function remoteHttpImports(channel, imports) {
  return { ...imports, 'wasi:http/outgoing-handler': remoteOutgoingHandler(channel) };
}

// ---- the page side -------------------------------------------------------------------------

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
// Waits for a pollable of the async host, or `ms` (null: no limit).
const waitFor = (pollable, ms) => (ms === null ? pollable.block() : Promise.race([pollable.block(), sleep(ms)]));

/**
 * The page's half: a handler for the worker's 'http.*' requests (see
 * worker-run.js), making them with http.js's async outgoing-handler under
 * `config` (the run's `http` option).
 */
export function httpRequests(config) {
  const imports = httpImports(config, { async: true });
  const types = imports['wasi:http/types'];
  const handler = imports['wasi:http/outgoing-handler'];
  const requests = new Map();
  let nextId = 1;

  const start = (a) => {
    let request;
    try {
      request = new types.OutgoingRequest(Fields.fromPairs(a.headers));
      request.setMethod(a.method);
      request.setScheme(a.scheme);
      request.setAuthority(a.authority);
      request.setPathWithQuery(a.path);
    } catch {
      // The worker's request passed the same checks; a failure here is a bug of ours.
      return { error: { tag: 'internal-error', val: 'compoly: the request could not be rebuilt on the page' } };
    }
    let options;
    if (a.timeouts) {
      options = new types.RequestOptions();
      options.setConnectTimeout(a.timeouts[0]);
      options.setFirstByteTimeout(a.timeouts[1]);
      options.setBetweenBytesTimeout(a.timeouts[2]);
    }
    const body = a.body ? request.body() : null;
    let future;
    try {
      future = handler.handle(request, options);
    } catch (e) {
      if (e && typeof e === 'object' && typeof e.tag === 'string') return { error: e };
      throw e;
    }
    const id = nextId++;
    requests.set(id, { body, future, response: null, input: null });
    return { id };
  };

  const find = (id) => {
    const r = requests.get(id);
    if (!r) throw new Error(`compoly worker: no outgoing HTTP request ${id}`);
    return r;
  };
  const inputOf = (r) => (r.input ??= r.response.consume().stream());

  // The body's one-way messages may come after the request failed (fetch gave up, its reader
  // went away): the guest learns that from the response, so they are dropped then.
  const toBody = (id, f) => {
    const body = requests.get(id)?.body;
    if (!body) return;
    try {
      f(body);
    } catch {
      /* the request has failed */
    }
  };

  return async (op, a) => {
    switch (op) {
      case 'http.start':
        return start(a);
      case 'http.body':
        toBody(a.id, (body) => body.pipe.push(a.bytes));
        return undefined;
      case 'http.finish':
        toBody(a.id, (body) => types.OutgoingBody.finish(body));
        return undefined;
      case 'http.abort':
        toBody(a.id, (body) => body.pipe.abort(new Error(a.message ?? 'the outgoing-body was dropped')));
        return undefined;
      case 'http.head': {
        const r = find(a.id);
        if (a.ms !== 0) await waitFor(r.future.subscribe(), a.ms);
        const got = r.future.get();
        if (got === undefined) return { pending: true };
        const result = got.val;
        if (result.tag === 'err') {
          requests.delete(a.id);
          return { error: result.val };
        }
        r.response = result.val;
        return { status: r.response.status(), headers: r.response.headers().pairs() };
      }
      case 'http.read': {
        const input = inputOf(find(a.id));
        try {
          return input.read(BigInt(a.n));
        } catch (e) {
          requests.delete(a.id);
          if (e?.tag === 'closed') return { end: true };
          if (e?.tag === 'last-operation-failed') {
            const code = httpErrorCodes.get(e.val) ?? { tag: 'internal-error', val: e.val?.message };
            return { error: code, message: e.val?.message };
          }
          throw e;
        }
      }
      case 'http.ready':
        return inputOf(find(a.id)).subscribe().ready();
      case 'http.wait':
        await waitFor(inputOf(find(a.id)).subscribe(), a.ms);
        return undefined;
      case 'http.drop': {
        const r = requests.get(a.id);
        requests.delete(a.id);
        if (r?.input) r.input[Symbol.dispose]();
        else if (r?.response) r.response.consume()[Symbol.dispose]();
        return undefined;
      }
      default:
        throw new Error(`compoly worker: unknown request '${op}'`);
    }
  };
}
