/* A small WASI 0.2 command, built from C: greets, shows its arguments and an environment
 * variable, and prints a file if it is given one (read through a preopened directory).
 *
 *   hello [NAME] [FILE]
 *
 * Environment: GREETING (default "Hello").
 * Built by build.sh: clang-14 --target=wasm32-wasi, then `jco new --wasi-command`, which
 * wraps the preview1 imports in the preview1-to-0.2 adapter. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int print_file(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) {
    fprintf(stderr, "hello: cannot open %s: %s\n", path, strerror(errno));
    return 1;
  }
  printf("--- %s ---\n", path);
  char buf[4096];
  size_t n, total = 0;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
    fwrite(buf, 1, n, stdout);
    total += n;
  }
  int failed = ferror(f);
  fclose(f);
  if (failed) {
    fprintf(stderr, "hello: error reading %s\n", path);
    return 1;
  }
  printf("--- %zu bytes ---\n", total);
  return 0;
}

int main(int argc, char **argv) {
  const char *greeting = getenv("GREETING");
  if (!greeting || !*greeting) greeting = "Hello";
  const char *name = argc > 1 ? argv[1] : "world";

  printf("%s, %s!\n", greeting, name);
  printf("argc = %d\n", argc);
  for (int i = 0; i < argc; i++) printf("argv[%d] = %s\n", i, argv[i]);

  if (argc > 2) return print_file(argv[2]);
  return 0;
}
