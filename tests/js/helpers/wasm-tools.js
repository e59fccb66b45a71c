// wasm-tools as jco ships it (a component transpiled to JS), for tests that ask it about
// components: its instance refuses every call after one of its panics ("cannot enter
// component instance"), and some valid components make `componentWit` panic (a type import
// of a func type, say). So this loads its module again, as a new instance, after a panic.
// It is an instance of its own, apart from the one jco's `parse` (tests' `assemble`) uses.
// Every load is a module URL of its own (the module cache would hand back a poisoned one).
let loads = 0;

export class WasmTools {
  #entry = import.meta.resolve('@bytecodealliance/jco-transpile/wasm-tools');
  #tools = null;
  restarts = 0;

  async componentWit(bytes) {
    if (!this.#tools) {
      const module = await import(new URL(`../vendor/wasm-tools.js?instance=${loads++}`, this.#entry).href);
      await module.$init;
      this.#tools = module.tools;
    }
    try {
      return this.#tools.componentWit(bytes);
    } catch (e) {
      if (/wasm trap/.test(String(e?.message))) {
        this.#tools = null;
        this.restarts++;
      }
      throw e;
    }
  }
}
