// `compoly run [--dir HOST::GUEST] [--env K=V] [--argv0 NAME] app.wasm [args...]`:
// runs a wasi:cli/run component in Node as wasmtime's `run` does — the
// component sees only the directories, variables and arguments given.
import { readSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { compile } from '../index.js';
import { run } from '../wasi/run.js';

export const runUsage = `usage: compoly run [options] COMPONENT.wasm [ARGS...]

options:
  --dir HOST[::GUEST]   give the guest the host directory HOST as GUEST (default: the same path);
                        HOST::GUEST::ro (or --dir-ro) makes it read-only
  --env NAME[=VALUE]    set an environment variable (NAME alone copies it from this process)
  --argv0 NAME          the guest's argv[0] (default: the component file's base name)
  --inherit-env         give the guest all of this process's environment variables
`;

// wasmtime exits with 128 + SIGABRT when the guest traps.
const TRAP_EXIT = 134;

export function parseRunArgs(argv) {
  const opts = { dirs: [], env: [], argv0: null, inheritEnv: false, file: null, args: [] };
  let i = 0;
  const value = (flag) => {
    if (i + 1 >= argv.length) throw new UsageError(`${flag} needs a value`);
    return argv[++i];
  };
  for (; i < argv.length; i++) {
    let a = argv[i];
    let inline = null;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) {
      inline = a.slice(eq + 1);
      a = a.slice(0, eq);
    }
    const get = (flag) => (inline !== null ? inline : value(flag));
    if (a === '--dir' || a === '--dir-ro') {
      const spec = get(a);
      const parts = spec.split('::');
      const readonly = a === '--dir-ro' || parts[2] === 'ro';
      opts.dirs.push({ host: parts[0], guest: parts[1] ?? parts[0], readonly });
    } else if (a === '--env') {
      const spec = get(a);
      const k = spec.indexOf('=');
      if (k < 0) {
        if (process.env[spec] !== undefined) opts.env.push([spec, process.env[spec]]);
      } else opts.env.push([spec.slice(0, k), spec.slice(k + 1)]);
    } else if (a === '--argv0') {
      opts.argv0 = get(a);
    } else if (a === '--inherit-env') {
      opts.inheritEnv = true;
    } else if (a === '--') {
      i++;
      break;
    } else if (a.startsWith('-') && a !== '-') {
      throw new UsageError(`unknown option '${argv[i]}'`);
    } else break;
  }
  if (i >= argv.length) throw new UsageError('expected a component file');
  opts.file = argv[i];
  opts.args = argv.slice(i + 1);
  return opts;
}

export class UsageError extends Error {}

/** Runs the command; returns the process exit code. */
export async function runCommand(argv) {
  let opts;
  try {
    opts = parseRunArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`compoly run: ${e.message}\n\n${runUsage}`);
    return 2;
  }
  const bytes = new Uint8Array(await readFile(opts.file));
  const component = await compile(bytes);
  const env = opts.inheritEnv ? Object.entries(process.env) : [];
  env.push(...opts.env);
  const preopens = opts.dirs.map((d) => [d.guest, { path: d.host, readonly: d.readonly }]);
  const writer = (fd) => (chunk) => {
    let done = 0;
    while (done < chunk.length) {
      try {
        done += writeSync(fd, chunk, done, chunk.length - done);
      } catch (e) {
        if (e.code !== 'EAGAIN') throw e;
      }
    }
  };
  // stdin: read lazily and synchronously from fd 0 (a pipe, a file or a terminal).
  let stdinEnded = false;
  const stdin = (max) => {
    if (stdinEnded) return null;
    const buf = new Uint8Array(Math.min(max, 65536));
    for (;;) {
      try {
        const n = readSyncFd(0, buf);
        if (n === 0) {
          stdinEnded = true;
          return null;
        }
        return buf.subarray(0, n);
      } catch (e) {
        if (e.code === 'EAGAIN') continue;
        if (e.code === 'EOF') return null;
        throw e;
      }
    }
  };
  try {
    const { exitCode } = await run(component, {
      args: [opts.argv0 ?? basename(opts.file), ...opts.args],
      env,
      preopens: Object.fromEntries(preopens),
      stdin,
      stdout: writer(1),
      stderr: writer(2),
      terminal: { stdin: !!process.stdin.isTTY, stdout: !!process.stdout.isTTY, stderr: !!process.stderr.isTTY },
    });
    return exitCode;
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) {
      process.stderr.write(`compoly run: the component trapped: ${e.message}\n`);
      return TRAP_EXIT;
    }
    throw e;
  }
}

function readSyncFd(fd, buf) {
  return readSync(fd, buf, 0, buf.length, null);
}
