// format() and the JSON string writer (src/model/text.h).
#include "model/text.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace compoly {
namespace {

TEST(Format, ReplacesEachPlaceholderInOrder) {
  std::string owned = "owned";
  std::string_view view = "view";
  EXPECT_EQ(format("a {} b {} c {} d", {owned, view, "literal"}), "a owned b view c literal d");
  EXPECT_EQ(format("{}{}", {std::string("tmp"), 7u}), "tmp7");
}

TEST(Format, WritesIntegersOfEveryWidthAndSign) {
  EXPECT_EQ(format("{} {} {} {}", {uint32_t(0), uint64_t(18446744073709551615ull), size_t(42), -5}),
            "0 18446744073709551615 42 -5");
  EXPECT_EQ(format("{}", {int64_t(INT64_MIN)}), "-9223372036854775808");
}

TEST(Format, KeepsPlaceholdersWithoutArgumentsAndLoneBraces) {
  EXPECT_EQ(format("{} and {}", {1}), "1 and {}");
  EXPECT_EQ(format("record { {} }", {"x"}), "record { x }");
  EXPECT_EQ(format("no placeholders", {}), "no placeholders");
}

TEST(JsonString, EscapesQuotesBackslashesAndControls) {
  TextOut out;
  append_json_string(out, std::string_view("a\"b\\c\n\x01", 7));
  EXPECT_EQ(out.view(), "\"a\\\"b\\\\c\\n\\u0001\"");
  append_json_string(out, "plain");
  EXPECT_EQ(out.view(), "\"a\\\"b\\\\c\\n\\u0001\"\"plain\"");
}

TEST(TextOut, GrowsAcrossManyAppendsAndMoves) {
  TextOut out;
  std::string expected;
  for (int i = 0; i < 2000; ++i) {
    out += 'x';
    out += std::string_view("yz");
    out += "literal";
    append_decimal(out, uint64_t(i) * 1000003u);
    expected += "xyzliteral" + std::to_string(uint64_t(i) * 1000003u);
  }
  EXPECT_EQ(out.view(), expected);
  TextOut moved = std::move(out);
  EXPECT_EQ(moved.view(), expected);
  EXPECT_EQ(out.size(), 0u);
  out += "again";
  EXPECT_EQ(out.view(), "again");
  moved.clear();
  EXPECT_EQ(moved.view(), "");
}

}  // namespace
}  // namespace compoly
