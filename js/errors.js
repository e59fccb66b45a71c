// Errors raised by compoly. A CompileError carries where in the binary the
// problem is, as the C++ core reported it.

export class CompileError extends Error {
  /**
   * @param {{ phase: string, path: string, offset: number, reason: string, message: string }} info
   */
  constructor(info, options) {
    super(info.message, options);
    this.name = 'CompileError';
    this.phase = info.phase; // 'decode' | 'validate' | 'link'
    this.path = info.path; // e.g. 'component > component[1] > canon[5]'
    this.offset = info.offset; // absolute byte offset in the component
    this.reason = info.reason; // the message without the location
  }
}

/**
 * A trap: the component broke a rule of the canonical ABI (or its core code
 * trapped). The instance refuses further calls afterwards.
 */
export class Trap extends WebAssembly.RuntimeError {
  constructor(message, options) {
    super(message, options);
    this.name = 'Trap';
  }
}

/** An import is missing or does not fit the component's expectations. */
export class LinkError extends WebAssembly.LinkError {
  constructor(message) {
    super(message);
    this.name = 'LinkError';
  }
}

/**
 * The `err` case of a `result` returned by a component export (thrown at the
 * top level of an export call, as jco does), or thrown by a host import to
 * return `err(payload)` to the guest.
 */
export class ComponentError extends Error {
  constructor(payload) {
    super(typeof payload === 'string' ? payload : `component returned an error: ${describe(payload)}`);
    this.name = 'ComponentError';
    this.payload = payload;
  }
}

function describe(value) {
  try {
    return JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
  } catch {
    return String(value);
  }
}
