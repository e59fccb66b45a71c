// compoly: the WebAssembly Component Model (WASI 0.2) on the engine's own Wasm.
import { compileBytes, Component, linkComponents } from './runtime/component.js';
import { readSource } from './runtime/source.js';
import { loadCore } from './core/load.js';

export { CompileError, ComponentError, LinkError, Trap } from './errors.js';
export { instantiate, jspiAvailable } from './runtime/instantiate.js';
export { Component };

/**
 * Compiles a component.
 * @param {Uint8Array | ArrayBuffer | Response | Promise<Response> | URL | string} source
 * @param {{ compileModules?: boolean }} [options] compileModules: false skips WebAssembly.compile of
 *   the core modules (for tools that only inspect, such as `compoly wit`).
 * @returns {Promise<Component>}
 */
export async function compile(source, options) {
  // Load the core (its .wasm fetched and compiled once per realm) while the component's bytes
  // arrive; compileBytes awaits the same promise and reports a failure to load.
  loadCore().catch(() => {});
  return compileBytes(await readSource(source), options);
}
export { run } from './wasi/run.js';
export { serve } from './wasi/serve.js';

/**
 * Plugs components into another's imports (like `wac plug`).
 * @param {Component} component the component whose exports the result has
 * @param {Record<string, Component>} plugs import name → a component that exports it
 * @returns {Promise<Component>}
 */
export async function link(component, plugs) {
  return linkComponents(component, plugs);
}
