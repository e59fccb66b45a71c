// Errors raised by compoly. A CompileError carries where in the binary the
// problem is, as the C++ core reported it.

export class CompileError extends Error {
  /**
   * @param {{ phase: string, path: string, offset: number, reason: string, message: string }} info
   */
  constructor(info) {
    super(info.message);
    this.name = 'CompileError';
    this.phase = info.phase; // 'decode' | 'validate' | 'link'
    this.path = info.path; // e.g. 'component > component[1] > canon[5]'
    this.offset = info.offset; // absolute byte offset in the component
    this.reason = info.reason; // the message without the location
  }
}
