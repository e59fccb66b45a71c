// compoly-inspect: the native core on a file, for debugging and for the
// sanitizer runs over the corpus.
//   compoly-inspect FILE            "ok" or the error
//   compoly-inspect --plan FILE     the plan as JSON
//   compoly-inspect --wit FILE      the WIT text (as JSON)
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "api/compile.h"

int main(int argc, char** argv) {
  std::string mode;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--plan") == 0 || std::strcmp(argv[i], "--wit") == 0) {
      mode = argv[i];
    } else {
      files.push_back(argv[i]);
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "usage: compoly-inspect [--plan|--wit] FILE...\n");
    return 2;
  }
  int status = 0;
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "%s: cannot open\n", path.c_str());
      status = 1;
      continue;
    }
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (mode == "--plan") {
      std::printf("%s\n", compoly::compile_to_json(bytes.data(), bytes.size()).c_str());
    } else if (mode == "--wit") {
      std::printf("%s\n", compoly::wit_to_json(bytes.data(), bytes.size()).c_str());
    } else {
      std::string err = compoly::check_component(bytes.data(), bytes.size());
      if (err.empty()) {
        std::printf("%s: ok\n", path.c_str());
      } else {
        std::printf("%s: %s\n", path.c_str(), err.c_str());
        status = 1;
      }
    }
  }
  return status;
}
