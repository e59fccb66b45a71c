// wasi-bench: the C program behind bench/60-wasi-*.bench.js (clang-14 --target=wasm32-wasi +
// Debian's wasi-libc, wrapped by `jco new --wasi-command`: the preview1 adapter), built at bench
// time by bench/components/wasi-build.js.
//
//   wasi-bench stdout BYTES CHUNK      writes BYTES bytes to stdout with fwrite calls of CHUNK
//                                      bytes each (byte i is i * 7 + 3 mod 256) and exits
//   wasi-bench files DIR BYTES CHUNK   writes DIR/bench.bin (BYTES bytes, in write() calls of
//                                      CHUNK bytes, then fsync), reads it back in read() calls of
//                                      CHUNK bytes (until the read of 0 at the end) into a buffer
//                                      of BYTES, checks every byte after the clock stops, removes it, and prints one
//                                      line: `write_ns N read_ns N open_ns N` (the monotonic clock
//                                      around the write calls + fsync, around the read calls,
//                                      and around the two opens). Exit status 1 on any failure.
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

// As in tests/fixtures/c/wasi-tour.c: hand the preview1 adapter our allocator, or its memory
// and malloc's collide once malloc grows the memory.
__attribute__((export_name("cabi_realloc"))) void *cabi_realloc(void *ptr, size_t old_size, size_t align, size_t new_size) {
  (void)old_size;
  (void)align;
  return realloc(ptr, new_size);
}

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static unsigned char pattern(size_t i) { return (unsigned char)(i * 7 + 3); }

static int bench_stdout(size_t bytes, size_t chunk) {
  unsigned char *buf = malloc(chunk);
  if (!buf) return 1;
  // The pattern repeats every 256 bytes: with CHUNK a multiple of 256 the buffer is filled once.
  for (size_t i = 0; i < chunk; i++) buf[i] = pattern(i);
  for (size_t at = 0; at < bytes; at += chunk) {
    size_t n = bytes - at < chunk ? bytes - at : chunk;
    if (chunk % 256 != 0)
      for (size_t i = 0; i < n; i++) buf[i] = pattern(at + i);
    if (fwrite(buf, 1, n, stdout) != n) return 1;
  }
  return fflush(stdout) == 0 ? 0 : 1;
}

static int bench_files(const char *dir, size_t bytes, size_t chunk) {
  char path[512];
  snprintf(path, sizeof path, "%s/bench.bin", dir);
  unsigned char *src = malloc(bytes);
  unsigned char *dst = malloc(bytes + chunk);
  if (!src || !dst) return 1;
  for (size_t i = 0; i < bytes; i++) src[i] = pattern(i);

  uint64_t t0 = now_ns();
  int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
  uint64_t open_ns = now_ns() - t0;
  if (fd < 0) {
    fprintf(stderr, "open %s for writing: %s\n", path, strerror(errno));
    return 1;
  }
  t0 = now_ns();
  for (size_t at = 0; at < bytes;) {
    size_t n = bytes - at < chunk ? bytes - at : chunk;
    ssize_t w = write(fd, src + at, n);
    if (w <= 0) {
      fprintf(stderr, "write: %s\n", strerror(errno));
      return 1;
    }
    at += (size_t)w;
  }
  if (fsync(fd) != 0) {
    fprintf(stderr, "fsync: %s\n", strerror(errno));
    return 1;
  }
  uint64_t write_ns = now_ns() - t0;
  close(fd);

  t0 = now_ns();
  fd = open(path, O_RDONLY);
  open_ns += now_ns() - t0;
  if (fd < 0) {
    fprintf(stderr, "open %s for reading: %s\n", path, strerror(errno));
    return 1;
  }
  size_t got = 0;
  t0 = now_ns();
  for (;;) {
    ssize_t r = read(fd, dst + got, got < bytes ? chunk : 1);
    if (r < 0) {
      fprintf(stderr, "read: %s\n", strerror(errno));
      return 1;
    }
    if (r == 0) break;
    got += (size_t)r;
    if (got > bytes) break;
  }
  uint64_t read_ns = now_ns() - t0;
  close(fd);
  if (got != bytes || memcmp(dst, src, bytes) != 0) {
    fprintf(stderr, "read back %zu bytes of %zu%s\n", got, bytes, got == bytes ? ", different" : "");
    return 1;
  }
  if (unlink(path) != 0) {
    fprintf(stderr, "unlink: %s\n", strerror(errno));
    return 1;
  }
  printf("write_ns %llu read_ns %llu open_ns %llu\n", (unsigned long long)write_ns, (unsigned long long)read_ns,
         (unsigned long long)open_ns);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 4 && strcmp(argv[1], "stdout") == 0) return bench_stdout(strtoul(argv[2], 0, 10), strtoul(argv[3], 0, 10));
  if (argc == 5 && strcmp(argv[1], "files") == 0) return bench_files(argv[2], strtoul(argv[3], 0, 10), strtoul(argv[4], 0, 10));
  fprintf(stderr, "usage: wasi-bench stdout BYTES CHUNK | files DIR BYTES CHUNK\n");
  return 2;
}
