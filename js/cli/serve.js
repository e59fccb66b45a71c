// `compoly serve [--addr HOST:PORT] proxy.wasm`: a wasi:http/incoming-handler
// component behind Node's http server, as `wasmtime serve` does. Each request
// is answered by a fresh instance (js/wasi/serve.js).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { compile } from '../index.js';
import { serve } from '../wasi/serve.js';

export const serveUsage = `usage: compoly serve [options] COMPONENT.wasm

Answers HTTP requests with a wasi:http/incoming-handler component (the wasi:http/proxy world).

options:
  --addr HOST:PORT        where to listen (default 0.0.0.0:8080; use 127.0.0.1 for loopback only)
  --env NAME[=VALUE]      set an environment variable for the component
  --allow-host HOST[:PORT]  allow outgoing requests only to these hosts (repeatable; default: any)
  --sync                  do not use JSPI: request bodies are read first, outgoing requests fail
`;

class UsageError extends Error {}

export function parseServeArgs(argv) {
  const opts = { addr: '0.0.0.0:8080', env: [], allowHosts: null, sync: false, file: null };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    let inline = null;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) {
      inline = a.slice(eq + 1);
      a = a.slice(0, eq);
    }
    const value = () => {
      if (inline !== null) return inline;
      if (i + 1 >= argv.length) throw new UsageError(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--addr') opts.addr = value();
    else if (a === '--env') {
      const spec = value();
      const k = spec.indexOf('=');
      if (k < 0) {
        if (process.env[spec] !== undefined) opts.env.push([spec, process.env[spec]]);
      } else opts.env.push([spec.slice(0, k), spec.slice(k + 1)]);
    } else if (a === '--allow-host') (opts.allowHosts ??= []).push(value());
    else if (a === '--sync') opts.sync = true;
    else if (a.startsWith('-')) throw new UsageError(`unknown option '${argv[i]}'`);
    else if (opts.file === null) opts.file = a;
    else throw new UsageError(`unexpected argument '${a}'`);
  }
  if (opts.file === null) throw new UsageError('expected a component file');
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(opts.addr);
  if (!m) throw new UsageError(`--addr must be HOST:PORT (got '${opts.addr}')`);
  opts.host = m[1] ?? (m[2] || '0.0.0.0');
  opts.port = Number(m[3]);
  return opts;
}

/**
 * A node:http request listener answering with `handler` (a `(Request) => Promise<Response>`).
 * @param {(request: Request) => Promise<Response>} handler
 * @param {{ origin?: string }} [options] origin for request URLs when the client sends no Host
 */
export function nodeListener(handler, { origin = 'http://localhost' } = {}) {
  return async (req, res) => {
    try {
      const headers = new Headers();
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const name = req.rawHeaders[i];
        if (name.startsWith(':')) continue;
        try {
          headers.append(name, req.rawHeaders[i + 1]);
        } catch {
          /* a header fetch's Headers refuses: leave it out */
        }
      }
      const host = req.headers.host ?? new URL(origin).host;
      const url = `http://${host}${req.url}`;
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
      const request = new Request(url, {
        method: req.method,
        headers,
        body: hasBody ? Readable.toWeb(req) : undefined,
        duplex: hasBody ? 'half' : undefined,
      });
      const response = await handler(request);
      const out = {};
      response.headers.forEach((value, name) => {
        if (name === 'set-cookie') return;
        out[name] = value;
      });
      const cookies = response.headers.getSetCookie?.() ?? [];
      if (cookies.length) out['set-cookie'] = cookies;
      res.writeHead(response.status, response.statusText || undefined, out);
      if (!response.body || req.method === 'HEAD') {
        response.body?.cancel().catch(() => {});
        res.end();
        return;
      }
      const reader = response.body.getReader();
      res.on('close', () => reader.cancel().catch(() => {}));
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (!res.write(value)) await new Promise((r) => res.once('drain', r));
      }
      res.end();
    } catch (error) {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`compoly serve: ${error?.message ?? error}\n`);
      } else {
        // The body failed half-way: cut the connection so the client sees it.
        res.destroy(error instanceof Error ? error : undefined);
      }
    }
  };
}

/** Starts the server; resolves to { server, url, close() }. */
export async function startServe(component, { host = '127.0.0.1', port = 0, ...options } = {}) {
  const handler = await serve(component, options);
  const server = createServer(nodeListener(handler, { origin: `http://${host}:${port}` }));
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { server, url: `http://${shown}:${address.port}/`, close: () => new Promise((r) => server.close(r)) };
}

export async function serveCommand(argv) {
  let opts;
  try {
    opts = parseServeArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`compoly serve: ${e.message}\n\n${serveUsage}`);
    return 2;
  }
  const component = await compile(new Uint8Array(await readFile(opts.file)));
  const options = { host: opts.host, port: opts.port, env: opts.env, async: opts.sync ? false : 'auto' };
  if (opts.allowHosts) options.http = { allowedHosts: opts.allowHosts };
  const { url } = await startServe(component, options);
  process.stderr.write(`compoly serve: listening on ${url}\n`);
  // Runs until the process is stopped.
  return new Promise(() => {});
}
