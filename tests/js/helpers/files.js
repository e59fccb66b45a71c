// Reading test inputs the same way in Node (file: URLs) and in browsers
// (http: URLs served by tests/browser/server.js, which serves the project's
// parent folder, so `new URL('../../../shared/corpus/', import.meta.url)`
// points at the corpus in both).

const inNode = typeof process === 'object' && typeof process.versions?.node === 'string';

/** The conformance corpus folder (../shared/corpus beside the project). */
export const corpusUrl = new URL('../../../../shared/corpus/', import.meta.url);

export async function exists(url) {
  if (url.protocol === 'file:') {
    const { existsSync } = await import('node:fs');
    return existsSync(url);
  }
  const response = await fetch(url, { method: 'HEAD' });
  return response.ok;
}

export async function readBytes(url) {
  if (url.protocol === 'file:') {
    const { readFile } = await import('node:fs/promises');
    return new Uint8Array(await readFile(url));
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`fetching ${url} failed: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

export async function readJson(url) {
  return JSON.parse(new TextDecoder().decode(await readBytes(url)));
}

export const environment = inNode ? `node ${process.versions.node}` : navigator.userAgent;
