// A compiled component: its bytes, the plan the C++ core made of them, and
// the engine's compiled core modules. Instantiating it runs the plan.
import { loadCore, loadFullCore } from '../core/load.js';
import { readLeb } from '../core/read-ranges.js';
import { CompileError } from '../errors.js';
import { TypeTable } from './abi.js';
import { findImport } from './imports.js';

function parseResult(json) {
  const result = JSON.parse(json);
  if (!result.ok) throw new CompileError(result.error);
  return result;
}

export class Component {
  #bytes;
  #wit = null;

  /** @internal use compile() or link() */
  constructor(bytes, plan, modules, wit = null) {
    this.#bytes = bytes;
    this.#wit = wit;
    /** The instantiation plan (see docs/plan.md). */
    this.plan = plan;
    /** The engine's compiled core modules, in plan.modules order. */
    this.modules = modules;
    /** @internal the plan's types as descriptors: lift/lower closures hang off these, so every
     *  instance of this component shares them. */
    this.types = new TypeTable(plan.types, plan.resources);
  }

  /**
   * The component's world as WIT text. Asynchronous: the WIT printer is in the full core,
   * which a page loads on first need (js/core/load.js).
   * @returns {Promise<string>}
   */
  async wit() {
    if (this.#wit === null) this.#wit = parseResult((await loadFullCore()).wit(this.#bytes)).wit;
    return this.#wit;
  }

  /** The component's imports and exports as names and kinds. */
  get imports() {
    return this.plan.imports.map(({ name, kind }) => ({ name, kind }));
  }

  get exports() {
    return this.plan.exports.map(({ name, kind }) => ({ name, kind }));
  }

  /** @internal the bytes the plan's module ranges point into */
  static bytesOf(component) {
    return component.#bytes;
  }
}

/**
 * The plan of a component, from the lean core. A failure there carries no text, so the full
 * core compiles the same bytes again to say what, where and why (a CompileError).
 */
async function planOf(bytes) {
  const fromLean = JSON.parse((await loadCore()).compile(bytes));
  if (fromLean.ok) return fromLean.plan;
  return parseResult((await loadFullCore()).compile(bytes)).plan;
}

/**
 * Decodes, validates and links a component, and compiles its core modules.
 * @param {Uint8Array} bytes
 * @param {{ compileModules?: boolean }} [options]
 */
export async function compileBytes(bytes, options = {}) {
  const compileModules = options.compileModules !== false;
  // The engine compiles core modules off the main thread: start it before
  // the core's own (synchronous) pass so that the two overlap.
  const early = compileModules ? startCoreModuleCompiles(bytes) : new Map();
  const plan = await planOf(bytes);
  let modules = [];
  if (compileModules) {
    // Views into the component's bytes: nothing is re-encoded or copied here.
    modules = await Promise.all(
      plan.modules.map(([offset, size]) =>
        (early.get(offset) ?? WebAssembly.compile(bytes.subarray(offset, offset + size))).catch((error) => {
          // The core checks a module's imports and exports, the engine its
          // code: report the engine's verdict in the same form.
          const reason = `the engine rejected the core module's code: ${error.message}`;
          const where = `core module at byte 0x${offset.toString(16)}`;
          throw new CompileError(
            { phase: 'validate', path: where, offset, reason, message: `${where}: ${reason}` },
            { cause: error },
          );
        }),
      ),
    );
  }
  return new Component(bytes, plan, modules);
}

/**
 * Finds the core module sections of a component (and of the components
 * nested in it) by their section headers alone and starts
 * WebAssembly.compile on each; keyed by the module's offset, as in
 * plan.modules. Malformed bytes just stop the scan: the core reports them.
 */
function startCoreModuleCompiles(bytes) {
  const started = new Map();
  const scan = (start, end, depth) => {
    let p = start + 8; // preamble
    while (p < end) {
      const id = bytes[p];
      const header = readLeb(bytes, p + 1, end);
      if (header === null) return;
      const size = header.value;
      p = header.next;
      if (p + size > end) return;
      if (id === 1) {
        const pending = WebAssembly.compile(bytes.subarray(p, p + size));
        pending.catch(() => {}); // an invalid module is reported by the core's pass
        started.set(p, pending);
      } else if (id === 4 && depth < 16) {
        scan(p, p + size, depth + 1);
      }
      p += size;
    }
  };
  scan(0, bytes.length, 0);
  return started;
}

/** Resolves a plug's key against the importer's import names (exact, unversioned or semver-compatible). */
function importNameFor(main, key) {
  const names = main.plan.imports.map((i) => i.name);
  if (names.includes(key)) return key;
  const found = names.filter((n) => findImport({ [key]: true }, n));
  if (found.length === 1) return found[0];
  if (found.length > 1) throw new TypeError(`link: '${key}' matches several imports (${found.join(', ')}); name one with its version`);
  throw new TypeError(`link: the component has no import '${key}' (its imports: ${names.join(', ') || 'none'})`);
}

/** The plug's export that satisfies import `name` (exact, or the same interface at a compatible version). */
function exportNameFor(plug, name, key) {
  const names = plug.plan.exports.map((e) => e.name);
  if (names.includes(name)) return name;
  const found = names.filter((n) => findImport({ [n]: true }, name));
  if (found.length) return found[0];
  throw new TypeError(`link: the component plugged into '${key}' exports no '${name}' (its exports: ${names.join(', ') || 'none'})`);
}

/**
 * Plugs components into another's imports, like `wac plug`: the result is one
 * component whose imports are those left unsatisfied and whose exports are
 * `main`'s. Calls between the plugged components go through the canonical
 * ABI in JS (fused adapter modules are planned).
 * @param {Component} main
 * @param {Record<string, Component>} plugs import name (with or without version) → component exporting it
 */
export async function linkComponents(main, plugs) {
  const core = await loadFullCore();
  const parts = [main];
  const wires = [];
  for (const [key, plug] of Object.entries(plugs)) {
    if (!(plug instanceof Component)) throw new TypeError(`link: '${key}' must be a compiled Component (from compile())`);
    const name = importNameFor(main, key);
    let index = parts.indexOf(plug);
    if (index < 0) index = parts.push(plug) - 1;
    wires.push(`0\t${name}\t${index}\t${exportNameFor(plug, name, key)}`);
  }
  const sources = parts.map((p) => Component.bytesOf(p));
  const { plan, wit } = parseResult(core.link(sources, wires.join('\n')));
  // The modules are already compiled, each by its own component.
  const modules = plan.modules.map(([offset, , source = 0]) => {
    const part = parts[source];
    const i = part.plan.modules.findIndex(([o]) => o === offset);
    return part.modules[i];
  });
  // Module ranges stay relative to their own component's bytes.
  plan.modules = plan.modules.map(([offset, size, source = 0]) => [offset, size, source]);
  return new Component(sources[0], plan, modules, wit);
}
