// compoly/wasi: the host side of WASI 0.2 for components run by compoly.
//
//   const host = new WasiHost({ args, env, stdin, stdout, stderr, preopens, clocks, random });
//   const { exports } = await instantiate(component, host.imports());
//
// imports() is keyed by interface name without version ('wasi:cli/stdout'),
// which the runtime matches to any 0.2.x import. One file per interface
// family: cli.js, clocks.js, random.js, io.js, filesystem.js, sockets.js.
import { cliImports, makeStdio, normalizeEnv } from './cli.js';
import { clockImports, makeClocks } from './clocks.js';
import { filesystemImports, normalizePreopens } from './filesystem.js';
import { checkMirrorsWritable } from './fs-opfs.js';
import { ioImports } from './io.js';
import { randomImports } from './random.js';
import { normalizeSocketConfig, socketImports } from './sockets.js';
import { httpImports, normalizeHttpConfig } from './http.js';

export { memfs, MemFs } from './fs-memory.js';
export { nodeDir, NodeFs } from './fs-node.js';
export { FsError } from './fs-errors.js';
export { Descriptor, DirectoryEntryStream } from './filesystem.js';
export { InputStream, OutputStream, Pollable, IoError, memorySink, bytesSource } from './io.js';
export { ExitSignal } from './cli.js';
export { opfs, opfsForWorker, OpfsFs } from './fs-opfs.js';

const KNOWN = new Set(['args', 'env', 'stdin', 'stdout', 'stderr', 'preopens', 'clocks', 'random', 'cwd', 'terminal', 'async', 'http', 'sockets']);

export class WasiHost {
  #config;
  #stdio;
  #preopens;
  #clocks;
  #mode;

  /**
   * @param {{
   *   args?: string[], env?: Record<string, string> | [string, string][],
   *   stdin?: string | Uint8Array | ReadableStream | ((maxBytes: number) => Uint8Array | string | null),
   *   stdout?: ((bytes: Uint8Array) => void) | WritableStream, stderr?: ((bytes: Uint8Array) => void) | WritableStream,
   *   preopens?: Record<string, any>, clocks?: { monotonic?: any, wall?: any }, random?: { seed?: any },
   *   cwd?: string, terminal?: { stdin?: boolean, stdout?: boolean, stderr?: boolean },
   *   async?: boolean, sockets?: { allow?: boolean | ((use: object) => boolean) },
   * }} [config] async: true makes the blocking calls (poll, pollable.block, blocking reads of a
   *   ReadableStream stdin, blocking writes to a WritableStream) return Promises; instantiate with
   *   `{ async: true }` (JSPI) so the guest is suspended on them.
   */
  constructor(config = {}) {
    if (config === null || typeof config !== 'object') throw new TypeError('compoly wasi: the config must be an object');
    for (const key of Object.keys(config)) {
      if (!KNOWN.has(key)) throw new TypeError(`compoly wasi: unknown config option '${key}' (known: ${[...KNOWN].join(', ')})`);
    }
    if (config.args !== undefined && !Array.isArray(config.args)) throw new TypeError('compoly wasi: args must be an array of strings');
    normalizeEnv(config.env); // validates
    if (config.async !== undefined && typeof config.async !== 'boolean') throw new TypeError('compoly wasi: async must be true or false');
    this.#config = config;
    normalizeHttpConfig(config.http); // validates
    normalizeSocketConfig(config.sockets); // validates
    this.#mode = { async: config.async === true };
    this.#stdio = makeStdio(config, this.#mode);
    this.#preopens = normalizePreopens(config.preopens);
    checkMirrorsWritable(this.#preopens);
    this.#clocks = makeClocks(config.clocks);
  }

  /** The preopens as [guestPath, backend, readonly] entries. */
  get preopens() {
    return this.#preopens;
  }

  /** The stdio sources and sinks (the stdin source's `drain()` reads a ReadableStream ahead). */
  get stdio() {
    return this.#stdio;
  }

  /** The import object for instantiate(): every WASI 0.2 interface, keyed without version. */
  imports() {
    return {
      ...ioImports(this.#mode),
      ...cliImports(this.#config, this.#stdio, this.#mode),
      ...clockImports(this.#clocks, this.#mode),
      ...randomImports(this.#config.random),
      ...filesystemImports(this.#preopens),
      ...socketImports(this.#config.sockets, this.#mode),
      ...httpImports(this.#config.http, this.#mode),
    };
  }
}
