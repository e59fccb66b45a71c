// Turns whatever the user hands to compile() into the component's bytes.

/**
 * @param {Uint8Array | ArrayBuffer | ArrayBufferView | Response | Promise<Response> | URL | string} source
 * @returns {Promise<Uint8Array>}
 */
export async function readSource(source) {
  source = await source;
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  if (typeof Response !== 'undefined' && source instanceof Response) {
    if (!source.ok) throw new TypeError(`compile: fetching ${source.url || 'the component'} failed with HTTP ${source.status}`);
    return new Uint8Array(await source.arrayBuffer());
  }
  if (source instanceof URL || typeof source === 'string') {
    const url = source instanceof URL ? source : new URL(source, globalThis.location?.href);
    if (url.protocol === 'file:') {
      const { readFile } = await import('node:fs/promises');
      return new Uint8Array(await readFile(url));
    }
    return readSource(fetch(url));
  }
  throw new TypeError(
    'compile: expected the component as a Uint8Array, ArrayBuffer, Response, Promise<Response> or URL, got ' +
      (source === null ? 'null' : typeof source),
  );
}
