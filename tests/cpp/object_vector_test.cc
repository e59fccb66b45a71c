// ObjectVector (src/model/object_vector.h): a growable array of objects that own memory.
#include "model/object_vector.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace compoly {
namespace {

// Counts the live objects, so that a test sees every construction matched by
// one destruction through growth, copies, moves and clears.
struct Counted {
  static int live;
  std::string text;
  explicit Counted(std::string t = {}) : text(std::move(t)) { ++live; }
  Counted(const Counted& o) : text(o.text) { ++live; }
  Counted(Counted&& o) noexcept : text(std::move(o.text)) { ++live; }
  Counted& operator=(const Counted&) = default;
  ~Counted() { --live; }
};
int Counted::live = 0;

// Long enough that a moved-from std::string gives up its heap block.
std::string word(int i) { return "a string longer than any short-string buffer #" + std::to_string(i); }

ObjectVector<Counted> words(int n) {
  ObjectVector<Counted> v;
  for (int i = 0; i < n; ++i) v.emplace_back(word(i));
  return v;
}

std::vector<std::string> texts(const ObjectVector<Counted>& v) {
  std::vector<std::string> out;
  for (const Counted& c : v) out.push_back(c.text);
  return out;
}

TEST(ObjectVector, GrowsKeepingOrderAndDestroysEverything) {
  for (int n : {0, 1, 4, 5, 300}) {
    {
      ObjectVector<Counted> v = words(n);
      ASSERT_EQ(v.size(), size_t(n));
      for (int i = 0; i < n; ++i) EXPECT_EQ(v[i].text, word(i));
      EXPECT_EQ(Counted::live, n);
    }
    EXPECT_EQ(Counted::live, 0);
  }
}

TEST(ObjectVector, CopiesAndMovesAreIndependent) {
  {
    ObjectVector<Counted> a = words(20);
    ObjectVector<Counted> b = a;
    b[0].text = "changed";
    b.push_back(Counted("extra"));
    EXPECT_EQ(texts(a), texts(words(20)));
    EXPECT_EQ(b.size(), 21u);
    ObjectVector<Counted> c = words(3);
    c = a;  // copy-assign over elements that must be destroyed
    EXPECT_EQ(texts(c), texts(a));
    const ObjectVector<Counted>& same = c;
    c = same;
    EXPECT_EQ(texts(c), texts(a));
    ObjectVector<Counted> d = std::move(c);
    EXPECT_TRUE(c.empty());  // the moved-from state is part of the contract
    EXPECT_EQ(texts(d), texts(a));
    ObjectVector<Counted> e = words(7);
    e = std::move(d);
    EXPECT_EQ(texts(e), texts(a));
    EXPECT_TRUE(d.empty());
  }
  EXPECT_EQ(Counted::live, 0);
}

TEST(ObjectVector, PushesAnElementOfItselfWhileGrowing) {
  ObjectVector<Counted> v = words(4);  // full: the next push moves the block
  v.push_back(v[0]);
  v.push_back(v.back());
  ASSERT_EQ(v.size(), 6u);
  EXPECT_EQ(v[4].text, word(0));
  EXPECT_EQ(v[5].text, word(0));
}

TEST(ObjectVector, ResizesPopsAndClears) {
  {
    ObjectVector<Counted> v = words(5);
    v.pop_back();
    EXPECT_EQ(v.size(), 4u);
    v.resize(2);
    EXPECT_EQ(texts(v), (std::vector<std::string>{word(0), word(1)}));
    v.resize(4);
    EXPECT_EQ(v[3].text, "");
    EXPECT_EQ(Counted::live, 4);
    v.clear();
    EXPECT_EQ(Counted::live, 0);
    v.push_back(Counted("again"));
    EXPECT_EQ(v.front().text, "again");
  }
  EXPECT_EQ(Counted::live, 0);
}

TEST(ObjectVector, TakeBackLeavesAFreshElementBehind) {
  {
    ObjectVector<Counted> v = words(4);  // full: taking one grows the block
    Counted c(word(7));
    Counted& taken = v.take_back(c);
    EXPECT_EQ(&taken, &v.back());
    EXPECT_EQ(taken.text, word(7));
    EXPECT_EQ(c.text, "");
    EXPECT_EQ(v.size(), 5u);
    EXPECT_EQ(Counted::live, 6);
  }
  EXPECT_EQ(Counted::live, 0);
}

TEST(ObjectVector, HoldsMoveOnlyObjects) {
  ObjectVector<std::unique_ptr<int>> v;
  for (int i = 0; i < 10; ++i) v.push_back(std::make_unique<int>(i));
  v.reserve(100);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(*v[i], i);
}

// A tree, as the decoded AST nests declarators: a node's children are a vector of nodes.
struct Node {
  Counted label;
  ObjectVector<Node> children;
};

ObjectVector<Node> tree() {
  ObjectVector<Node> v;
  v.emplace_back();
  v[0].label.text = word(0);
  for (int i = 1; i <= 3; ++i) v[0].children.emplace_back().label.text = word(i);
  v.emplace_back().label.text = word(9);
  return v;
}

// `v = v[0].children` assigns from memory that v's own elements own; ASan reports
// a use after free if the elements go before the source is copied or taken.
TEST(ObjectVector, AssignsFromAVectorItsOwnElementOwns) {
  {
    ObjectVector<Node> v = tree();
    v = std::move(v[0].children);
    ASSERT_EQ(v.size(), 3u);
    EXPECT_EQ(v[2].label.text, word(3));
    ObjectVector<Node> w = tree();
    w = w[0].children;
    ASSERT_EQ(w.size(), 3u);
    EXPECT_EQ(w[0].label.text, word(1));
  }
  EXPECT_EQ(Counted::live, 0);
}

}  // namespace
}  // namespace compoly
