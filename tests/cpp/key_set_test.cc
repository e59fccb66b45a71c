// KeySet (src/model/key_set.h): the hash set behind the name uniqueness rules
// and the plan writer's type table; NameMap, the map built on it.
#include "model/key_set.h"
#include "model/text.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>

namespace compoly {
namespace {

TEST(KeySet, AddsEachKeyOnceAndNumbersThemInOrder) {
  KeySet s;
  EXPECT_EQ(s.insert("b"), std::make_pair(0u, true));
  EXPECT_EQ(s.insert("a"), std::make_pair(1u, true));
  EXPECT_EQ(s.insert("b"), std::make_pair(0u, false));
  EXPECT_TRUE(s.add(""));
  EXPECT_FALSE(s.add(""));
  EXPECT_EQ(s.size(), 3u);
  EXPECT_EQ(s.first(0), "b");
  EXPECT_EQ(s.first(1), "a");
  EXPECT_EQ(s.first(2), "");
}

TEST(KeySet, PairsDifferWhereTheirPartsSplit) {
  KeySet s;
  EXPECT_TRUE(s.add("ab", "c"));
  EXPECT_TRUE(s.add("a", "bc"));
  EXPECT_TRUE(s.add("abc"));
  EXPECT_FALSE(s.add("abc", ""));  // one part and an empty second part are the same key
  EXPECT_FALSE(s.add("ab", "c"));
  EXPECT_FALSE(s.add("a", "bc"));
  EXPECT_EQ(s.first(0), "ab");
}

TEST(KeySet, KeepsItsOwnCopiesOfKeys) {
  KeySet s;
  std::string key = "wasi:io/streams@0.2.0";
  EXPECT_TRUE(s.add(key));
  key[0] = 'W';
  EXPECT_EQ(s.first(0), "wasi:io/streams@0.2.0");
  EXPECT_FALSE(s.add("wasi:io/streams@0.2.0"));
  EXPECT_TRUE(s.add(key));
}

TEST(KeySet, AgreesWithStdSetAcrossGrowth) {
  // Keys with long shared prefixes and bytes of every value, past several rehashes.
  KeySet s;
  std::set<std::pair<std::string, std::string>> reference;
  uint32_t seed = 7;
  for (int i = 0; i < 5000; ++i) {
    seed = seed * 1103515245u + 12345u;
    std::string a = "{\"kind\":\"func\",\"params\":[" + std::to_string(seed % 700);
    a.push_back(char(seed >> 24));
    std::string b = (seed & 1) ? std::string(1, char(seed >> 16)) : std::string();
    const bool added = s.add(a, b);
    EXPECT_EQ(added, reference.insert({a, b}).second) << i;
  }
  EXPECT_EQ(s.size(), reference.size());
}

TEST(KeySet, FindsWhatWasAddedWithoutAdding) {
  KeySet s;
  EXPECT_EQ(s.find("a"), KeySet::kAbsent);
  s.add("ab", "c");
  s.add("b");
  EXPECT_EQ(s.find("ab", "c"), 0u);
  EXPECT_EQ(s.find("b"), 1u);
  EXPECT_EQ(s.find("a", "bc"), KeySet::kAbsent);
  EXPECT_EQ(s.find("abc"), KeySet::kAbsent);
  EXPECT_EQ(s.size(), 2u);
}

// insert_folded stores and compares the key lower-cased: the key add(ascii_lower(a)) would add.
TEST(KeySet, FoldedKeysAreTheirLowerCase) {
  KeySet s;
  EXPECT_EQ(s.insert_folded("Wasi:IO/Streams"), std::make_pair(0u, true));
  EXPECT_EQ(s.first(0), "wasi:io/streams");
  EXPECT_FALSE(s.add_folded("WASI:io/streams"));
  EXPECT_FALSE(s.add("wasi:io/streams"));
  EXPECT_TRUE(s.add("Wasi:IO/Streams"));  // insert() keeps case
  EXPECT_EQ(s.find("wasi:io/streams"), 0u);
  EXPECT_TRUE(s.add("a-b", "c"));
  EXPECT_TRUE(s.add_folded("A-BC"));  // not the pair ("a-b", "c")
  EXPECT_FALSE(s.add("a-bc"));
  // Bytes outside A-Z are kept as they are, including non-ASCII ones.
  EXPECT_TRUE(s.add_folded("\xc3\x89t\xc3\xa9-[@]"));
  EXPECT_EQ(s.first(4), "\xc3\x89t\xc3\xa9-[@]");
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(s.add_folded("Key-" + std::to_string(i)));  // through rehashes
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(s.add("key-" + std::to_string(i)));
}

// Keys are hashed four bytes at a time, a folded key's letters lower-cased in the word: every
// byte, at every place in a word and in the tail, must hash as its ascii_lower does.
TEST(KeySet, EveryByteFoldsAsAsciiLowerWherever) {
  for (int place = 0; place < 5; ++place) {
    KeySet s;
    for (int byte = 0; byte < 256; ++byte) {
      std::string key = "~~~~#";
      key[size_t(place)] = char(byte);
      std::string lower = key;
      lower[size_t(place)] = ascii_lower(char(byte));
      // A small letter's key is there already: its capital's, folded.
      const bool small = byte >= 'a' && byte <= 'z';
      ASSERT_EQ(s.add_folded(key), !small) << "byte " << byte << " at " << place;
      const uint32_t found = s.find(lower);
      ASSERT_NE(found, KeySet::kAbsent) << "byte " << byte << " at " << place;
      ASSERT_EQ(s.first(found), lower);
    }
  }
}

TEST(NameMap, InsertKeepsTheFirstValueAndSetReplacesIt) {
  NameMap<std::string> m;
  EXPECT_EQ(m.find("x"), nullptr);
  EXPECT_TRUE(m.insert("x", "one"));
  EXPECT_FALSE(m.insert("x", "two"));
  ASSERT_NE(m.find("x"), nullptr);
  EXPECT_EQ(*m.find("x"), "one");
  m.set("x", "three");
  m.set("y", "four");
  EXPECT_EQ(*m.find("x"), "three");
  EXPECT_EQ(*m.find("y"), "four");
  NameMap<std::string> copy = m;
  copy.set("x", "five");
  *m.find("y") = "six";
  EXPECT_EQ(*copy.find("x"), "five");
  EXPECT_EQ(*copy.find("y"), "four");
  EXPECT_EQ(*m.find("x"), "three");
  EXPECT_EQ(*m.find("y"), "six");
}

}  // namespace
}  // namespace compoly
