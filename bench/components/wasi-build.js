// Node only (imported from the prepare() of bench/60-wasi-*.bench.js): builds
// bench/components/wasi-bench.c as scripts/build-test-components.sh builds the test programs —
// clang-14 --target=wasm32-wasi --sysroot=/usr -O2 (Debian's wasi-libc, a preview1 module), then
// `jco new --wasi-command` (the preview1 adapter shipped in jco) — into
// bench/build/wasi-bench-<hash>/wasi-bench.wasm, cached by a hash of the source, clang's and
// jco's versions. Returns { wasm } (project-relative) or { skip: 'why' } without the toolchain.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUILD = join(ROOT, 'bench', 'build');
const SOURCE = join(ROOT, 'bench', 'components', 'wasi-bench.c');
const JCO = join(ROOT, 'node_modules', '.bin', 'jco');

function toolchainMissing() {
  if (spawnSync('clang-14', ['--version']).status !== 0) return 'clang-14 not found';
  if (!existsSync('/usr/lib/wasm32-wasi/libc.a')) return 'wasi-libc not installed (/usr/lib/wasm32-wasi/libc.a)';
  const clangLib = '/usr/lib/llvm-14/lib/clang';
  const versions = existsSync(clangLib) ? readdirSync(clangLib).filter((v) => v.startsWith('14')) : [];
  if (!versions.some((v) => existsSync(`${clangLib}/${v}/lib/wasi/libclang_rt.builtins-wasm32.a`))) return 'libclang-rt-14-dev-wasm32 not installed';
  if (!existsSync(JCO)) return 'jco not installed (node_modules/.bin/jco)';
  return null;
}

function sh(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

export async function wasiBenchComponent() {
  const missing = toolchainMissing();
  if (missing) return { skip: `${missing} (bash scripts/setup.sh)` };
  const source = await readFile(SOURCE, 'utf8');
  const clang = sh('clang-14', ['--version']).split('\n')[0];
  const jco = JSON.parse(await readFile(join(ROOT, 'node_modules', '@bytecodealliance', 'jco', 'package.json'), 'utf8')).version;
  const key = createHash('sha256').update(`${source}\0${clang}\0${jco}`).digest('hex').slice(0, 16);
  const dir = join(BUILD, `wasi-bench-${key}`);
  const wasm = join(dir, 'wasi-bench.wasm');
  if (!existsSync(wasm)) {
    await mkdir(BUILD, { recursive: true });
    for (const e of await readdir(BUILD)) if (e.startsWith('wasi-bench-')) await rm(join(BUILD, e), { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const core = join(dir, 'wasi-bench.core.wasm');
    sh('clang-14', ['--target=wasm32-wasi', '--sysroot=/usr', '-O2', '-Wall', '-Werror', '-s', SOURCE, '-o', core]);
    sh(JCO, ['new', core, '--wasi-command', '-o', `${wasm}.tmp`]);
    await rename(`${wasm}.tmp`, wasm);
    await writeFile(join(dir, 'versions.txt'), `${clang}\njco ${jco}\n`);
  }
  return { wasm: relative(ROOT, wasm).split('\\').join('/'), jco };
}
