// A compiled component: its bytes, the plan the C++ core made of them, and
// the engine's compiled core modules. Instantiating it runs the plan.
import { loadCore } from '../core/load.js';
import { CompileError } from '../errors.js';
import { TypeTable } from './abi.js';

function parseResult(json) {
  const result = JSON.parse(json);
  if (!result.ok) throw new CompileError(result.error);
  return result;
}

export class Component {
  #bytes;
  #wit = null;

  /** @internal use compile() */
  constructor(bytes, plan, modules) {
    this.#bytes = bytes;
    /** The instantiation plan (see docs/plan.md). */
    this.plan = plan;
    /** The engine's compiled core modules, in plan.modules order. */
    this.modules = modules;
    /** @internal the plan's types as descriptors: lift/lower closures hang off these, so every
     *  instance of this component shares them. */
    this.types = new TypeTable(plan.types, plan.resources);
  }

  /** The component's world as WIT text. */
  wit() {
    if (this.#wit === null) this.#wit = parseResult(Component.core.wit(this.#bytes)).wit;
    return this.#wit;
  }

  /** The component's imports and exports as names and kinds. */
  get imports() {
    return this.plan.imports.map(({ name, kind }) => ({ name, kind }));
  }

  get exports() {
    return this.plan.exports.map(({ name, kind }) => ({ name, kind }));
  }

  /** @internal */
  static core = null;
}

/**
 * Decodes, validates and links a component, and compiles its core modules.
 * @param {Uint8Array} bytes
 * @param {{ compileModules?: boolean }} [options]
 */
export async function compileBytes(bytes, options = {}) {
  const core = await loadCore();
  Component.core = core;
  const { plan } = parseResult(core.compile(bytes));
  let modules = [];
  if (options.compileModules !== false) {
    // Views into the component's bytes: nothing is re-encoded or copied here.
    modules = await Promise.all(
      plan.modules.map(([offset, size]) => WebAssembly.compile(bytes.subarray(offset, offset + size))),
    );
  }
  return new Component(bytes, plan, modules);
}
