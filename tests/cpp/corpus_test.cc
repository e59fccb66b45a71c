// The conformance corpus (../shared/corpus beside the project: jco-runtime/ and
// wasmtime-p2/) through the whole core, one test per file:
//   CorpusValid      every component decodes, validates and links;
//   CorpusPrefixes   every prefix of a small component (all lengths up to 4 KiB, then a
//                    stride, plus the bytes around each top-level section boundary) ends in
//                    an error, except a cut exactly at a section boundary, which leaves a
//                    shorter component that may be valid;
//   CorpusMutations  deterministic random byte flips of every component either compile or
//                    fail with an error that names a path and a byte offset inside the input.
// Inputs are always copied into exactly-sized heap blocks so ASan sees any read past the
// end, and a watchdog aborts the process (naming the input) if one input takes too long.
// Without the corpus the tests skip, saying where they looked.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "api/compile.h"

namespace compoly {
namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<uint8_t>;

#ifndef COMPOLY_SOURCE_DIR
#error "COMPOLY_SOURCE_DIR must name the project root (CMakeLists.txt defines it)"
#endif

// "Small" components get the every-prefix treatment.
constexpr size_t kSmall = 300 * 1024;
// Every prefix length up to this, then kPrefixStrideCount lengths spread over the rest.
constexpr size_t kAllPrefixesUpTo = 4096;
constexpr size_t kPrefixStrideCount = 256;
// Mutants per component: kMutantBytes / size, clamped to [kMinMutants, kMaxMutants], so the
// small components (cheap, and most varied) get the most. Half of them flip bytes outside
// the core modules (the component structure), where the core does the most work.
constexpr size_t kMutantBytes = 4 << 20;
constexpr size_t kMinMutants = 16;
constexpr size_t kMaxMutants = 96;
// One input may take at most this long (under ASan, on a loaded machine).
constexpr auto kInputTimeLimit = std::chrono::seconds(30);

fs::path corpus_dir() {
  return (fs::path(COMPOLY_SOURCE_DIR) / ".." / "shared" / "corpus").lexically_normal();
}

// Corpus .wasm files as "folder/name", sorted; an empty string stands for "no corpus" so
// that each suite still has one (skipping) case.
std::vector<std::string> corpus_files(size_t max_size) {
  std::vector<std::string> files;
  for (const char* folder : {"jco-runtime", "wasmtime-p2"}) {
    std::error_code ec;
    fs::path dir = corpus_dir() / folder;
    if (!fs::is_directory(dir, ec)) continue;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".wasm") continue;
      if (entry.file_size() >= max_size) continue;
      files.push_back(std::string(folder) + "/" + entry.path().filename().string());
    }
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) files.push_back("");
  return files;
}

std::string test_name(const testing::TestParamInfo<std::string>& info) {
  if (info.param.empty()) return "corpus_absent";
  std::string name;
  // '_' doubles so that many_arguments and many-arguments stay apart.
  for (char c : info.param) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      name += c;
    } else {
      name += c == '_' ? "__" : "_";
    }
  }
  return name;
}

#define SKIP_OR_READ(bytes)                                                                 \
  if (GetParam().empty()) GTEST_SKIP() << "../shared/corpus not found: " << corpus_dir(); \
  Bytes bytes = read_file(corpus_dir() / GetParam());                                      \
  ASSERT_FALSE(bytes.empty()) << "cannot read " << GetParam()

Bytes read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// ------------------------------------------------------------------ a strict JSON reader
// Enough to check that compile_to_json always writes well-formed JSON (and valid UTF-8,
// which is what the JS side's TextDecoder expects) and to pick fields out of it.
struct Json {
  enum Kind { Null, Bool, Number, String, Array, Object } kind = Null;
  bool boolean = false;
  double number = 0;
  std::string string;
  std::vector<Json> array;
  std::vector<std::pair<std::string, Json>> object;

  const Json* get(std::string_view key) const {
    for (const auto& [k, v] : object) {
      if (k == key) return &v;
    }
    return nullptr;
  }
};

class JsonReader {
 public:
  explicit JsonReader(std::string_view text) : s_(text) {}

  // Parses the whole text; on failure returns false with error() saying where.
  bool parse(Json& out) {
    if (!valid_utf8()) return false;
    skip_ws();
    if (!value(out, 0)) return false;
    skip_ws();
    if (i_ != s_.size()) return fail("trailing characters");
    return true;
  }
  const std::string& error() const { return error_; }

 private:
  bool fail(const char* what) {
    if (error_.empty()) error_ = std::string(what) + " at character " + std::to_string(i_);
    return false;
  }
  void skip_ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) ++i_;
  }
  bool literal(std::string_view word) {
    if (s_.substr(i_, word.size()) != word) return fail("bad literal");
    i_ += word.size();
    return true;
  }
  bool value(Json& out, int depth) {
    if (depth > 200) return fail("nesting too deep");
    if (i_ >= s_.size()) return fail("unexpected end");
    char c = s_[i_];
    if (c == '{') return object(out, depth);
    if (c == '[') return array(out, depth);
    if (c == '"') {
      out.kind = Json::String;
      return string(out.string);
    }
    if (c == 't') {
      out.kind = Json::Bool;
      out.boolean = true;
      return literal("true");
    }
    if (c == 'f') {
      out.kind = Json::Bool;
      return literal("false");
    }
    if (c == 'n') return literal("null");
    return number(out);
  }
  bool object(Json& out, int depth) {
    out.kind = Json::Object;
    ++i_;
    skip_ws();
    if (i_ < s_.size() && s_[i_] == '}') return ++i_, true;
    for (;;) {
      skip_ws();
      std::string key;
      if (i_ >= s_.size() || s_[i_] != '"') return fail("expected a key");
      if (!string(key)) return false;
      if (out.get(key)) return fail("duplicate key");
      skip_ws();
      if (i_ >= s_.size() || s_[i_] != ':') return fail("expected ':'");
      ++i_;
      skip_ws();
      Json v;
      if (!value(v, depth + 1)) return false;
      out.object.emplace_back(std::move(key), std::move(v));
      skip_ws();
      if (i_ < s_.size() && s_[i_] == ',') {
        ++i_;
        continue;
      }
      if (i_ < s_.size() && s_[i_] == '}') return ++i_, true;
      return fail("expected ',' or '}'");
    }
  }
  bool array(Json& out, int depth) {
    out.kind = Json::Array;
    ++i_;
    skip_ws();
    if (i_ < s_.size() && s_[i_] == ']') return ++i_, true;
    for (;;) {
      skip_ws();
      Json v;
      if (!value(v, depth + 1)) return false;
      out.array.push_back(std::move(v));
      skip_ws();
      if (i_ < s_.size() && s_[i_] == ',') {
        ++i_;
        continue;
      }
      if (i_ < s_.size() && s_[i_] == ']') return ++i_, true;
      return fail("expected ',' or ']'");
    }
  }
  static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
  bool string(std::string& out) {
    ++i_;  // the opening quote
    while (i_ < s_.size()) {
      unsigned char c = static_cast<unsigned char>(s_[i_]);
      if (c == '"') return ++i_, true;
      if (c < 0x20) return fail("raw control character in a string");
      if (c != '\\') {
        out += char(c);
        ++i_;
        continue;
      }
      if (++i_ >= s_.size()) break;
      char e = s_[i_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          if (i_ + 4 > s_.size()) return fail("short \\u escape");
          unsigned cp = 0;
          for (int k = 0; k < 4; ++k) {
            int h = hex(s_[i_++]);
            if (h < 0) return fail("bad \\u escape");
            cp = cp * 16 + unsigned(h);
          }
          // Only what the core writes (control characters); enough for the checks here.
          out += cp < 0x80 ? char(cp) : '?';
          break;
        }
        default: return fail("bad escape");
      }
    }
    return fail("unterminated string");
  }
  bool number(Json& out) {
    size_t start = i_;
    if (i_ < s_.size() && s_[i_] == '-') ++i_;
    auto digits = [&] {
      size_t d = i_;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
      return i_ - d;
    };
    size_t int_start = i_;
    size_t n = digits();
    if (n == 0) return fail("expected a value");
    if (n > 1 && s_[int_start] == '0') return fail("leading zero");
    if (i_ < s_.size() && s_[i_] == '.') {
      ++i_;
      if (digits() == 0) return fail("bad fraction");
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      if (digits() == 0) return fail("bad exponent");
    }
    out.kind = Json::Number;
    out.number = std::strtod(std::string(s_.substr(start, i_ - start)).c_str(), nullptr);
    return true;
  }
  bool valid_utf8() {
    const auto* p = reinterpret_cast<const unsigned char*>(s_.data());
    size_t n = s_.size();
    for (size_t k = 0; k < n;) {
      unsigned char c = p[k];
      size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
      if (len == 0 || k + len > n) {
        i_ = k;
        return fail("invalid UTF-8");
      }
      uint32_t cp = len == 1 ? c : c & (0x7f >> len);
      for (size_t m = 1; m < len; ++m) {
        if ((p[k + m] & 0xc0) != 0x80) {
          i_ = k;
          return fail("invalid UTF-8");
        }
        cp = cp << 6 | (p[k + m] & 0x3f);
      }
      static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
      if (cp < kMin[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        i_ = k;
        return fail("invalid UTF-8 (overlong, surrogate or out of range)");
      }
      k += len;
    }
    return true;
  }

  std::string_view s_;
  size_t i_ = 0;
  std::string error_;
};

// ------------------------------------------------------------------ the watchdog
// Aborts the process, naming the input, when one input runs longer than the limit: a hang
// then fails the test run at once instead of waiting for ctest's timeout.
class Watchdog {
 public:
  explicit Watchdog(std::chrono::steady_clock::duration limit) : limit_(limit), thread_([this] { loop(); }) {}
  ~Watchdog() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  void arm(std::string what) {
    std::lock_guard<std::mutex> lock(mu_);
    what_ = std::move(what);
    start_ = std::chrono::steady_clock::now();
    armed_ = true;
  }
  void disarm() {
    std::lock_guard<std::mutex> lock(mu_);
    armed_ = false;
  }

 private:
  void loop() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stop_) {
      cv_.wait_for(lock, std::chrono::milliseconds(100));
      if (armed_ && std::chrono::steady_clock::now() - start_ > limit_) {
        std::fprintf(stderr, "\nwatchdog: %s has been running for more than %lld s: a hang\n", what_.c_str(),
                     static_cast<long long>(std::chrono::duration_cast<std::chrono::seconds>(limit_).count()));
        std::abort();
      }
    }
  }

  std::chrono::steady_clock::duration limit_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool armed_ = false;
  std::string what_;
  std::chrono::steady_clock::time_point start_;
  std::thread thread_;  // last: started once the members above exist
};

// ------------------------------------------------------------------ helpers

struct Verdict {
  bool ok = false;
  std::string message;  // error.message when !ok
  Json json;
};

// Runs compile_to_json on an exactly-sized copy of `input` under the watchdog and checks the
// contract every caller relies on: well-formed JSON; on success a plan whose core modules
// lie inside the input; on failure an error with a phase, a non-empty path, an offset
// within the input (the end of the input counts: "unexpected end") and a message that
// starts with the path and says the offset. Failures are reported with `what`.
Verdict compile_checked(const uint8_t* data, size_t size, Watchdog& dog, const std::string& what) {
  Bytes exact(data, data + size);
  dog.arm(what);
  std::string out = compile_to_json(exact.empty() ? nullptr : exact.data(), exact.size());
  dog.disarm();

  Verdict v;
  JsonReader reader(out);
  if (!reader.parse(v.json)) {
    ADD_FAILURE() << what << ": compile_to_json wrote malformed JSON (" << reader.error()
                  << "): " << out.substr(0, 400);
    return v;
  }
  const Json* ok = v.json.get("ok");
  if (v.json.kind != Json::Object || !ok || ok->kind != Json::Bool) {
    ADD_FAILURE() << what << ": no \"ok\" field: " << out.substr(0, 400);
    return v;
  }
  v.ok = ok->boolean;
  if (v.ok) {
    const Json* plan = v.json.get("plan");
    const Json* modules = plan ? plan->get("modules") : nullptr;
    if (!modules || modules->kind != Json::Array) {
      ADD_FAILURE() << what << ": plan without modules: " << out.substr(0, 400);
      return v;
    }
    for (const Json& m : modules->array) {
      bool in_range = m.kind == Json::Array && m.array.size() == 2 && m.array[0].number >= 0 &&
                      m.array[1].number >= 0 && m.array[0].number + m.array[1].number <= double(size);
      EXPECT_TRUE(in_range) << what << ": a core module's byte range is not inside the input";
    }
    return v;
  }
  const Json* error = v.json.get("error");
  if (!error || error->kind != Json::Object) {
    ADD_FAILURE() << what << ": failure without an error object: " << out.substr(0, 400);
    return v;
  }
  const Json* phase = error->get("phase");
  const Json* path = error->get("path");
  const Json* offset = error->get("offset");
  const Json* reason = error->get("reason");
  const Json* message = error->get("message");
  if (!phase || !path || !offset || !reason || !message || path->kind != Json::String ||
      offset->kind != Json::Number || message->kind != Json::String || reason->kind != Json::String) {
    ADD_FAILURE() << what << ": incomplete error: " << out.substr(0, 400);
    return v;
  }
  v.message = message->string;
  std::set<std::string> phases = {"decode", "validate", "link"};
  EXPECT_TRUE(phases.count(phase->string)) << what << ": phase " << phase->string;
  EXPECT_FALSE(path->string.empty()) << what << ": error without a path: " << v.message;
  EXPECT_FALSE(reason->string.empty()) << what << ": error without a reason: " << v.message;
  EXPECT_LE(offset->number, double(size)) << what << ": error offset past the end of the input: " << v.message;
  char at[40];
  std::snprintf(at, sizeof at, " at byte 0x%llx: ", static_cast<unsigned long long>(offset->number));
  EXPECT_EQ(v.message.rfind(path->string, 0), 0u) << what << ": message does not start with the path: " << v.message;
  EXPECT_NE(v.message.find(at), std::string::npos) << what << ": message does not give the offset: " << v.message;
  return v;
}

uint64_t fnv1a(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ull;
  return h;
}

// Ends of the top-level sections (and of the 8-byte preamble): a cut there leaves a whole,
// shorter component. Stops at the first section that does not fit.
std::vector<size_t> section_ends(const Bytes& b) {
  std::vector<size_t> ends;
  if (b.size() < 8) return ends;
  size_t p = 8;
  ends.push_back(p);
  while (p < b.size()) {
    ++p;  // section id
    uint64_t len = 0;
    int shift = 0;
    for (;;) {
      if (p >= b.size() || shift > 28) return ends;
      uint8_t byte = b[p++];
      len |= uint64_t(byte & 0x7f) << shift;
      shift += 7;
      if (!(byte & 0x80)) break;
    }
    if (len > b.size() - p) return ends;
    p += len;
    ends.push_back(p);
  }
  return ends;
}

// ------------------------------------------------------------------ the tests

class CorpusValid : public testing::TestWithParam<std::string> {};

TEST_P(CorpusValid, DecodesValidatesAndLinks) {
  SKIP_OR_READ(bytes);
  EXPECT_EQ(check_component(bytes.data(), bytes.size()), "") << GetParam();
}

INSTANTIATE_TEST_SUITE_P(Corpus, CorpusValid, testing::ValuesIn(corpus_files(SIZE_MAX)), test_name);

class CorpusPrefixes : public testing::TestWithParam<std::string> {};

TEST_P(CorpusPrefixes, EveryPrefixIsAnError) {
  SKIP_OR_READ(bytes);
  std::vector<size_t> ends = section_ends(bytes);
  ASSERT_FALSE(ends.empty());
  ASSERT_EQ(ends.back(), bytes.size()) << "the top-level sections do not tile the file";
  std::set<size_t> boundaries(ends.begin(), ends.end());

  std::set<size_t> lengths;
  for (size_t n = 0; n < std::min(bytes.size(), kAllPrefixesUpTo + 1); ++n) lengths.insert(n);
  if (bytes.size() > kAllPrefixesUpTo) {
    size_t stride = std::max<size_t>(1, (bytes.size() - kAllPrefixesUpTo) / kPrefixStrideCount);
    for (size_t n = kAllPrefixesUpTo; n < bytes.size(); n += stride) lengths.insert(n);
  }
  for (size_t end : ends) {
    for (size_t n : {end - 1, end, end + 1}) {
      if (n < bytes.size()) lengths.insert(n);
    }
  }
  lengths.insert(bytes.size() - 1);

  Watchdog dog(kInputTimeLimit);
  size_t errors = 0, whole = 0;
  for (size_t n : lengths) {
    std::string what = GetParam() + " cut to " + std::to_string(n) + " bytes";
    Verdict v = compile_checked(bytes.data(), n, dog, what);
    if (v.ok) {
      EXPECT_TRUE(boundaries.count(n)) << what << ": a prefix that is not a whole component compiled";
      ++whole;
    } else {
      ++errors;
    }
    if (HasFailure()) break;  // one report per file is enough
  }
  RecordProperty("prefixes", std::to_string(lengths.size()));
  std::printf("%s: %zu prefixes, %zu errors, %zu compiled (cut at a section boundary)\n", GetParam().c_str(),
              lengths.size(), errors, whole);
}

INSTANTIATE_TEST_SUITE_P(Corpus, CorpusPrefixes, testing::ValuesIn(corpus_files(kSmall)), test_name);

class CorpusMutations : public testing::TestWithParam<std::string> {};

TEST_P(CorpusMutations, RandomByteFlipsCompileOrFailCleanly) {
  SKIP_OR_READ(bytes);
  Watchdog dog(kInputTimeLimit);

  // Bytes outside the core modules: the component structure itself.
  Verdict original = compile_checked(bytes.data(), bytes.size(), dog, GetParam());
  ASSERT_TRUE(original.ok) << original.message;
  std::vector<std::pair<size_t, size_t>> structure;  // [begin, end) ranges
  {
    std::vector<std::pair<size_t, size_t>> modules;
    for (const Json& m : original.json.get("plan")->get("modules")->array) {
      size_t off = size_t(m.array[0].number);
      modules.emplace_back(off, off + size_t(m.array[1].number));
    }
    std::sort(modules.begin(), modules.end());
    size_t p = 0;
    for (auto [b, e] : modules) {
      if (b > p) structure.emplace_back(p, b);
      p = std::max(p, e);
    }
    if (p < bytes.size()) structure.emplace_back(p, bytes.size());
  }
  size_t structure_bytes = 0;
  for (auto [b, e] : structure) structure_bytes += e - b;

  const uint64_t seed = fnv1a(GetParam());
  size_t compiled = 0, failed = 0;
  const size_t mutants = std::clamp(kMutantBytes / bytes.size(), kMinMutants, kMaxMutants);
  for (size_t i = 0; i < mutants; ++i) {
    std::mt19937_64 rng(seed + uint64_t(i));
    Bytes mutant = bytes;
    bool in_structure = (i % 2 == 0) && structure_bytes > 0;
    int flips = 1 + int(rng() % 4);
    std::string what = GetParam() + " mutant " + std::to_string(i) + " (seed " + std::to_string(seed) + "+" +
                       std::to_string(i) + "; bytes";
    for (int f = 0; f < flips; ++f) {
      size_t pos = 0;
      if (in_structure) {
        size_t k = rng() % structure_bytes;
        for (auto [b, e] : structure) {
          if (k < e - b) {
            pos = b + k;
            break;
          }
          k -= e - b;
        }
      } else {
        pos = rng() % mutant.size();
      }
      uint8_t x = uint8_t(1 + rng() % 255);
      mutant[pos] ^= x;
      char buf[48];
      std::snprintf(buf, sizeof buf, " 0x%zx^=0x%02x", pos, x);
      what += buf;
    }
    what += ")";
    Verdict v = compile_checked(mutant.data(), mutant.size(), dog, what);
    (v.ok ? compiled : failed)++;
    if (HasFailure()) break;
  }
  std::printf("%s: %zu mutants, %zu compiled, %zu errors\n", GetParam().c_str(), mutants, compiled, failed);
}

INSTANTIATE_TEST_SUITE_P(Corpus, CorpusMutations, testing::ValuesIn(corpus_files(SIZE_MAX)), test_name);

}  // namespace
}  // namespace compoly
