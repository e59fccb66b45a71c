// A view of a core memory that survives memory.grow: the DataView is
// rebuilt only when the memory's buffer changes.
export class MemoryView {
  #memory;
  #buffer = null;
  #view = null;

  constructor(memory) {
    this.#memory = memory;
  }

  view() {
    const buffer = this.#memory.buffer;
    if (buffer !== this.#buffer) {
      this.#buffer = buffer;
      this.#view = new DataView(buffer);
    }
    return this.#view;
  }

  buffer() {
    return this.#memory.buffer;
  }

  byteLength() {
    return this.#memory.buffer.byteLength;
  }

  bytes(ptr, len) {
    return new Uint8Array(this.#memory.buffer, ptr, len);
  }
}
