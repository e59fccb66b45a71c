// Shared set-up for the runtime tests over jco's and wit-bindgen's runtime
// fixtures (../shared/corpus/jco-runtime): find and compile a fixture, and
// build the host imports it needs.
//
// Most fixtures import WASI interfaces (stdout, streams, filesystem, …) even
// though the paths the tests drive never use them. When js/wasi/index.js
// exists, its WasiHost serves them; until then (or when it cannot be loaded)
// small stand-ins are made from the component's own import list: resource
// types become empty classes, stdout/stderr writes are captured, and every
// other function throws if the guest ever calls it. Set
// COMPOLY_TEST_WASI_STANDINS=1 (Node) to use the stand-ins even when WasiHost exists.
//
// Portable: no Node-only API, so the runtime tests also run in browsers
// (tests/browser/portable.test.js); files are read through helpers/files.js.
import { compile, instantiate } from '../../../js/index.js';
import { corpusUrl, exists, readBytes } from './files.js';

export const CORPUS_DIR = new URL('jco-runtime/', corpusUrl);

const WASI_INDEX = new URL('../../../js/wasi/index.js', import.meta.url);

const located = new Map();

/**
 * Resolves to the fixture's URL, trying `NAME` (when it has an extension),
 * `NAME.component.wasm` and `NAME.wasm`; null when none exists.
 */
export function fixtureUrl(name) {
  let p = located.get(name);
  if (!p) {
    p = (async () => {
      const candidates = [`${name}.component.wasm`, `${name}.wasm`];
      if (name.includes('.')) candidates.unshift(name);
      for (const candidate of candidates) {
        const url = new URL(candidate, CORPUS_DIR);
        if (await exists(url)) return url;
      }
      return null;
    })();
    located.set(name, p);
  }
  return p;
}

/**
 * For node:test's `skip` option (await it: `{ skip: await skipUnlessFixture(name) }`):
 * false when the fixture is there, otherwise a message saying what is missing.
 */
export async function skipUnlessFixture(name) {
  if (await fixtureUrl(name)) return false;
  return `corpus fixture '${name}' not found under ${decodeURI(CORPUS_DIR.pathname)} (../shared/corpus is absent)`;
}

const compiled = new Map();

/** Compiles a corpus fixture once per test process (or page). */
export function loadFixture(name) {
  let p = compiled.get(name);
  if (!p) {
    p = fixtureUrl(name).then(async (url) => {
      if (!url) throw new Error(`corpus fixture '${name}' is missing`);
      return compile(await readBytes(url));
    });
    compiled.set(name, p);
  }
  return p;
}

// ---- naming, as jco does it ------------------------------------------------------

function camel(kebab) {
  return kebab
    .split('-')
    .map((w, i) => (i === 0 ? w.toLowerCase() : w === w.toUpperCase() ? w : w[0].toUpperCase() + w.slice(1)))
    .join('');
}

function upperCamel(kebab) {
  const c = camel(kebab);
  return c[0].toUpperCase() + c.slice(1);
}

// ---- WASI stand-ins --------------------------------------------------------------

/** Bytes written to stdout/stderr by the guest, decoded on demand. */
export class Captured {
  constructor() {
    this.chunks = [];
  }

  write = (bytes) => {
    this.chunks.push(Uint8Array.from(bytes));
  };

  text() {
    const total = this.chunks.reduce((n, c) => n + c.length, 0);
    const all = new Uint8Array(total);
    let at = 0;
    for (const c of this.chunks) {
      all.set(c, at);
      at += c.length;
    }
    return new TextDecoder().decode(all);
  }
}

function notProvided(iface, name) {
  return () => {
    throw new Error(`test stand-in: the guest called ${iface} ${name}, which this test does not provide`);
  };
}

/**
 * Stand-ins for the WASI interfaces a component imports, made from its plan:
 * resource classes per interface (shared by name across interfaces, as
 * `use` makes them the same type), captured stdout/stderr streams, and
 * throwing functions for everything else.
 */
export function wasiStandIns(component, { stdout, stderr }) {
  const classes = new Map();
  const classFor = (name) => {
    let cls = classes.get(name);
    if (!cls) {
      const className = upperCamel(name);
      cls = { [className]: class {} }[className];
      classes.set(name, cls);
    }
    return cls;
  };
  const OutputStream = classFor('output-stream');
  const sinks = new WeakMap();
  const stdoutStream = new OutputStream();
  const stderrStream = new OutputStream();
  sinks.set(stdoutStream, stdout);
  sinks.set(stderrStream, stderr);
  const streamMethods = {
    checkWrite() {
      return 4096n;
    },
    write(bytes) {
      sinks.get(this)?.(bytes);
    },
    blockingWriteAndFlush(bytes) {
      sinks.get(this)?.(bytes);
    },
    flush() {},
    blockingFlush() {},
  };
  const stdinStream = new (classFor('input-stream'))();
  const known = {
    'wasi:cli/stdin': { getStdin: () => stdinStream },
    'wasi:cli/stdout': { getStdout: () => stdoutStream },
    'wasi:cli/stderr': { getStderr: () => stderrStream },
    'wasi:filesystem/preopens': { getDirectories: () => [] },
    'wasi:filesystem/types': { filesystemErrorCode: () => undefined },
    'wasi:cli/environment': { getEnvironment: () => [], getArguments: () => [], initialCwd: () => undefined },
    'wasi:cli/terminal-stdin': { getTerminalStdin: () => undefined },
    'wasi:cli/terminal-stdout': { getTerminalStdout: () => undefined },
    'wasi:cli/terminal-stderr': { getTerminalStderr: () => undefined },
  };

  const out = {};
  for (const item of component.plan.imports) {
    if (item.kind !== 'instance' || !item.name.startsWith('wasi:')) continue;
    const bare = item.name.replace(/@.*$/, '');
    const iface = {};
    for (const member of item.items) {
      if (member.kind === 'type') {
        const t = component.plan.types[member.type];
        if (t?.kind === 'resource') iface[upperCamel(member.name)] = classFor(member.name);
      }
    }
    for (const member of item.items) {
      if (member.kind !== 'func') continue;
      const m = /^\[(constructor|method|static)\]([^.]+)(?:\.(.+))?$/.exec(member.name);
      if (!m) {
        const name = camel(member.name);
        iface[name] = known[bare]?.[name] ?? notProvided(item.name, member.name);
        continue;
      }
      const [, kind, resource, fname] = m;
      const cls = (iface[upperCamel(resource)] ??= classFor(resource));
      if (kind === 'method') {
        const name = camel(fname);
        if (!Object.prototype.hasOwnProperty.call(cls.prototype, name)) {
          cls.prototype[name] =
            resource === 'output-stream' && name in streamMethods
              ? streamMethods[name]
              : notProvided(item.name, member.name);
        }
      } else if (kind === 'static') {
        cls[camel(fname)] ??= notProvided(item.name, member.name);
      }
    }
    out[item.name] = iface;
  }
  return out;
}

let wasiHostModule;

async function loadWasiHost() {
  if (wasiHostModule !== undefined) return wasiHostModule;
  wasiHostModule = null;
  // COMPOLY_TEST_WASI_STANDINS=1 keeps WasiHost out, to tell its bugs from the runtime's.
  if (globalThis.process?.env?.COMPOLY_TEST_WASI_STANDINS !== '1') {
    try {
      const mod = await import(WASI_INDEX.href);
      if (typeof mod.WasiHost === 'function') wasiHostModule = mod;
    } catch {
      // Absent or still being written: the stand-ins serve.
    }
  }
  return wasiHostModule;
}

/**
 * Host imports for a fixture: WASI (WasiHost if available, else stand-ins,
 * the stand-ins filling any interface WasiHost does not provide) plus the
 * test's own imports, which win.
 */
export async function hostImports(component, extra = {}) {
  const stdout = new Captured();
  const stderr = new Captured();
  let wasi = {};
  const mod = await loadWasiHost();
  if (mod) {
    try {
      wasi = new mod.WasiHost({ stdout: stdout.write, stderr: stderr.write }).imports();
    } catch {
      wasi = {};
    }
  }
  const standIns = wasiStandIns(component, { stdout: stdout.write, stderr: stderr.write });
  const imports = { ...standIns };
  for (const [name, value] of Object.entries(wasi)) {
    const bare = name.replace(/@.*$/, '');
    for (const key of Object.keys(imports)) if (key.replace(/@.*$/, '') === bare) delete imports[key];
    imports[name] = value;
  }
  return { imports: { ...imports, ...extra }, stdout, stderr };
}

/** Wraps host functions so that every call's arguments are kept in calls[name]. */
export function recorder(calls) {
  return (name, fn) =>
    function (...args) {
      (calls[name] ??= []).push(args);
      return fn(...args);
    };
}

/**
 * Compiles (once) and instantiates a fixture with WASI and the given test
 * imports. Returns the exports and the captured stdout/stderr.
 */
export async function instantiateFixture(name, extra = {}) {
  const component = await loadFixture(name);
  const { imports, stdout, stderr } = await hostImports(component, extra);
  const { exports } = await instantiate(component, imports);
  return { exports, stdout, stderr, component };
}
