// The HTTP test components (tests/fixtures/http), built with componentize-js on first use
// (cached on disk by build.js) and compiled once per test process.
import { readFileSync } from 'node:fs';
import { compile } from '../../../js/index.js';
import { buildFetchCommand, buildProxy } from '../../fixtures/http/build.js';

const log = (m) => console.error(`# ${m}`);
const compiled = new Map();

function compiledOnce(name, build) {
  if (!compiled.has(name)) compiled.set(name, build({ log }).then((path) => compile(readFileSync(path))));
  return compiled.get(name);
}

/** The wasi:http proxy (world `proxy`), compiled. */
export const proxyComponent = () => compiledOnce('proxy', buildProxy);

/** The wasi:cli command that fetches what its environment says (world `fetch-command`), compiled. */
export const fetchCommandComponent = () => compiledOnce('fetch-command', buildFetchCommand);
