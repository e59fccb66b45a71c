// link_framed_to_json: the framing of several components and their wires,
// and the wiring errors elaborate_set reports.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api/compile.h"

namespace {

const std::string kEmptyComponent("\0asm\x0d\0\x01\0", 8);

std::string frame(const std::vector<std::string>& parts) {
  std::string out;
  auto u32 = [&](uint32_t v) {
    for (int i = 0; i < 4; ++i) out += char((v >> (8 * i)) & 0xff);
  };
  u32(uint32_t(parts.size()));
  for (const auto& p : parts) {
    u32(uint32_t(p.size()));
    out += p;
  }
  return out;
}

std::string link(const std::string& framed, const std::string& wires) {
  return compoly::link_framed_to_json(reinterpret_cast<const uint8_t*>(framed.data()), framed.size(), wires);
}

TEST(LinkSet, TwoEmptyComponentsLink) {
  std::string out = link(frame({kEmptyComponent, kEmptyComponent}), "");
  EXPECT_EQ(out.rfind("{\"ok\":true", 0), 0u) << out;
}

TEST(LinkSet, TruncatedFramingIsAnError) {
  std::string framed = frame({kEmptyComponent});
  EXPECT_NE(link(framed.substr(0, 2), "").find("missing the component count"), std::string::npos);
  EXPECT_NE(link(framed.substr(0, framed.size() - 1), "").find("runs past the end"), std::string::npos);
}

TEST(LinkSet, MalformedWireIsAnError) {
  std::string out = link(frame({kEmptyComponent, kEmptyComponent}), "0\tx\t1");
  EXPECT_NE(out.find("four tab-separated fields"), std::string::npos) << out;
}

TEST(LinkSet, WiringErrorsSayWhich) {
  std::string two = frame({kEmptyComponent, kEmptyComponent});
  EXPECT_NE(link(two, "0\tx\t5\ty").find("only 2 were given"), std::string::npos);
  EXPECT_NE(link(two, "0\tx\t0\ty").find("cannot satisfy its own import"), std::string::npos);
  EXPECT_NE(link(two, "0\tx\t1\ty\n1\tz\t0\tw").find("cycle"), std::string::npos);
  std::string out = link(two, "0\tx\t1\ty");
  EXPECT_NE(out.find("has no import named 'x'"), std::string::npos) << out;
  EXPECT_NE(out.find("\"phase\":\"link\""), std::string::npos) << out;
}

TEST(LinkSet, ADecodeErrorNamesTheComponent) {
  std::string out = link(frame({kEmptyComponent, std::string("\0asm\x01\0\0\0", 8)}), "");
  EXPECT_NE(out.find("component#1"), std::string::npos) << out;
}

}  // namespace
