// The raw peer of bench/60-wasi-opfs.bench.js: a module worker that does what
// bench/components/wasi-bench.c's `files` mode does, with a FileSystemSyncAccessHandle of its
// own and no component: write BYTES in CHUNK-byte writes + flush, then read them back in
// CHUNK-byte reads (and the read of 0 bytes at the end) into a buffer of BYTES, each phase
// timed with performance.now() around the same calls as the C program's clock; the opens
// (getFileHandle + createSyncAccessHandle, truncate to 0) are timed apart, as in C.
const pattern = (i) => (i * 7 + 3) & 0xff;

self.onmessage = async ({ data: { dir: name, bytes, chunk } }) => {
  try {
    let dir = await navigator.storage.getDirectory();
    for (const seg of name.split('/').filter(Boolean)) dir = await dir.getDirectoryHandle(seg, { create: true });
    const src = new Uint8Array(bytes);
    for (let i = 0; i < bytes; i++) src[i] = pattern(i);
    const dst = new Uint8Array(bytes + chunk);

    let t0 = performance.now();
    let access = await (await dir.getFileHandle('raw.bin', { create: true })).createSyncAccessHandle();
    access.truncate(0);
    let openMs = performance.now() - t0;
    t0 = performance.now();
    for (let at = 0; at < bytes; ) at += access.write(src.subarray(at, Math.min(at + chunk, bytes)), { at });
    access.flush();
    const writeMs = performance.now() - t0;
    access.close();

    t0 = performance.now();
    access = await (await dir.getFileHandle('raw.bin')).createSyncAccessHandle();
    openMs += performance.now() - t0;
    let got = 0;
    t0 = performance.now();
    for (;;) {
      const n = access.read(dst.subarray(got, got + (got < bytes ? chunk : 1)), { at: got });
      if (n === 0) break;
      got += n;
      if (got > bytes) break;
    }
    const readMs = performance.now() - t0;
    access.close();
    if (got !== bytes) throw new Error(`read back ${got} bytes of ${bytes}`);
    for (let i = 0; i < bytes; i++) if (dst[i] !== src[i]) throw new Error(`byte ${i} read back is wrong`);
    await dir.removeEntry('raw.bin');
    self.postMessage({ writeMs, readMs, openMs });
  } catch (e) {
    self.postMessage({ error: `${e?.name ?? 'Error'}: ${e?.message ?? e}` });
  }
};
