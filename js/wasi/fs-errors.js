// wasi:filesystem error codes: the error thrown inside the host (its
// `payload` is the error-code the guest receives) and the mapping from
// Node's errno names.

export class FsError extends Error {
  /** @param {string} code a wasi:filesystem/types error-code */
  constructor(code, message) {
    super(message ?? code);
    this.name = 'FsError';
    this.payload = code;
  }
}

const ERRNO = {
  EACCES: 'access',
  EAGAIN: 'would-block',
  EWOULDBLOCK: 'would-block',
  EALREADY: 'already',
  EBADF: 'bad-descriptor',
  EBUSY: 'busy',
  EDEADLK: 'deadlock',
  EDQUOT: 'quota',
  EEXIST: 'exist',
  EFBIG: 'file-too-large',
  EILSEQ: 'illegal-byte-sequence',
  EINPROGRESS: 'in-progress',
  EINTR: 'interrupted',
  EINVAL: 'invalid',
  EIO: 'io',
  EISDIR: 'is-directory',
  ELOOP: 'loop',
  EMLINK: 'too-many-links',
  EMSGSIZE: 'message-size',
  ENAMETOOLONG: 'name-too-long',
  ENODEV: 'no-device',
  ENOENT: 'no-entry',
  ENOLCK: 'no-lock',
  ENOMEM: 'insufficient-memory',
  ENOSPC: 'insufficient-space',
  ENOTDIR: 'not-directory',
  ENOTEMPTY: 'not-empty',
  ENOTRECOVERABLE: 'not-recoverable',
  ENOTSUP: 'unsupported',
  EOPNOTSUPP: 'unsupported',
  ENOSYS: 'unsupported',
  ENOTTY: 'no-tty',
  ENXIO: 'no-such-device',
  EOVERFLOW: 'overflow',
  EPERM: 'not-permitted',
  EPIPE: 'pipe',
  EROFS: 'read-only',
  ESPIPE: 'invalid-seek',
  ETXTBSY: 'text-file-busy',
  EXDEV: 'cross-device',
  EMFILE: 'insufficient-memory',
  ENFILE: 'insufficient-memory',
};

/** The error-code for any error thrown by a backend (FsError or a Node system error). */
export function errorCode(e) {
  if (e instanceof FsError) return e.payload;
  if (e && typeof e.code === 'string' && e.code in ERRNO) return ERRNO[e.code];
  return null;
}

/** Rethrows a backend error as an FsError; errors that are not I/O errors (host bugs) pass through. */
export function toFsError(e) {
  if (e instanceof FsError) return e;
  const code = errorCode(e);
  if (code) return new FsError(code, e.message);
  return e;
}
