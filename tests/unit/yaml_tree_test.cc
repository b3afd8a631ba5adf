#include "yaml_tree.h"

#include <gtest/gtest.h>

namespace orchc {
namespace {

struct Loaded {
  DiagSink sink;
  YamlDoc doc;
};

std::unique_ptr<Loaded> Load(const std::string& text, LoadLimits limits = {}) {
  auto l = std::make_unique<Loaded>();
  l->doc = LoadYaml("t.yaml", text, l->sink, limits);
  return l;
}

TEST(YamlTreeTest, KeepsLineAndColumnOfEveryNode) {
  auto l = Load("a:\n  b: [x, 'y']\n  c: {d: 1}\n");
  ASSERT_NE(l->doc.root, nullptr) << l->sink.Render();
  const YNode* b = l->doc.root->Get("a")->Get("b");
  EXPECT_EQ(b->loc.line, 2u);
  EXPECT_EQ(b->loc.col, 6u);
  EXPECT_EQ(b->items[1]->loc.col, 10u);
  EXPECT_TRUE(b->items[1]->quoted);
  EXPECT_FALSE(b->items[0]->quoted);
  const YNode::Entry* d = l->doc.root->Get("a")->Get("c")->Find("d");
  EXPECT_EQ(d->key_loc.line, 3u);
  EXPECT_EQ(d->key_loc.col, 7u);
}

TEST(YamlTreeTest, CrlfAndBomKeepColumns) {
  auto l = Load(
      "\xEF\xBB\xBF"
      "a: 1\r\nb:   two\r\n");
  ASSERT_NE(l->doc.root, nullptr) << l->sink.Render();
  EXPECT_EQ(l->doc.root->Get("b")->loc.line, 2u);
  EXPECT_EQ(l->doc.root->Get("b")->loc.col, 6u);
  EXPECT_EQ(l->doc.root->Get("b")->value, "two");
}

TEST(YamlTreeTest, RejectsDuplicateKeysEverywhere) {
  auto l = Load("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n");
  EXPECT_EQ(l->doc.root, nullptr);
  EXPECT_EQ(l->sink.Render(false),
            "t.yaml:4:3: error: duplicate key 'c'; the first is at line 3, remove one of them\n"
            "t.yaml:5:1: error: duplicate key 'a'; the first is at line 1, remove one of them\n");
}

TEST(YamlTreeTest, RejectsSecondDocument) {
  auto l = Load("a: 1\n---\nb: 2\n");
  EXPECT_EQ(l->doc.root, nullptr);
  EXPECT_EQ(l->sink.Render(false),
            "t.yaml:2:1: error: the file holds more than one YAML document; a spec is one document "
            "(put each environment in its own file)\n");
}

TEST(YamlTreeTest, AcceptsLeadingDocumentMarker) {
  auto l = Load("---\na: 1\n");
  EXPECT_NE(l->doc.root, nullptr) << l->sink.Render();
}

TEST(YamlTreeTest, RejectsTabIndentationInvalidUtf8AndNul) {
  EXPECT_EQ(Load("a:\n\tb: 1\n")->sink.Render(false),
            "t.yaml:2:1: error: tab character in indentation; YAML indents with spaces only\n");
  EXPECT_EQ(Load("a: \xC3\x28\n")->sink.Render(false),
            "t.yaml:1:4: error: invalid UTF-8 byte sequence; save the spec as UTF-8\n");
  EXPECT_EQ(Load("a: \xED\xA0\x80\n")->sink.Render(false),  // a UTF-16 surrogate
            "t.yaml:1:4: error: invalid UTF-8 byte sequence; save the spec as UTF-8\n");
  EXPECT_EQ(Load(std::string("a: b\0c\n", 7))->sink.Render(false),
            "t.yaml:1:5: error: the file contains a NUL byte; a spec must be UTF-8 text\n");
  EXPECT_NE(Load("a: \"tab\there\"\n")->doc.root, nullptr);
  EXPECT_NE(Load("a: caf\xC3\xA9\n")->doc.root, nullptr);
}

TEST(YamlTreeTest, EmptyAndCommentOnlyFilesAreEmptySpecs) {
  const char* kMsg =
      "t.yaml: error: the spec is empty; it needs at least 'version: 1' and 'env:'\n";
  EXPECT_EQ(Load("")->sink.Render(false), kMsg);
  EXPECT_EQ(Load("# nothing\n# here\n")->sink.Render(false), kMsg);
}

TEST(YamlTreeTest, BoundsAliasExpansion) {
  std::string laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'i'; ++c) {
    laughs += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) laughs += std::string(i ? ", " : "") + "*" + prev;
    laughs += "]\n";
    prev = c;
  }
  auto l = Load(laughs);
  EXPECT_EQ(l->doc.root, nullptr);
  EXPECT_NE(l->sink.Render(false).find("expands to more than 200000 nodes"), std::string::npos)
      << l->sink.Render(false);
}

TEST(YamlTreeTest, CountsEachNodeOnceWithoutAliases) {
  // About 60 KB, 20,000 leaves 40 levels deep: 20,041 nodes. Counting every node once per
  // ancestor would make it 820,000 and refuse it as if aliases expanded it.
  std::string text = "a: " + std::string(40, '[');
  for (int i = 0; i < 20000; ++i) text += i ? ",1" : "1";
  text += std::string(40, ']') + "\n";
  auto l = Load(text);
  EXPECT_NE(l->doc.root, nullptr) << l->sink.Render(false);
  EXPECT_FALSE(l->sink.has_errors());
}

// Syntax errors are reported at their root cause, with what to write.
TEST(YamlTreeTest, SyntaxErrorsPointAtTheCause) {
  const struct {
    const char* text;
    const char* first_line;
  } cases[] = {
      {"version: 1\nenv prod\nworkflows: {}\n",
       "t.yaml:2:1: error: invalid YAML: 'env prod' has no ':'; a key and its value are written "
       "'env: prod'"},
      {"a:\n  task\n    command: [x]\n",
       "t.yaml:2:3: error: invalid YAML: 'task' has no ':' after it; a key is written 'task:'"},
      {"s:\n  - name: x\n  - name y\n    publish: {}\n",
       "t.yaml:3:5: error: invalid YAML: 'name y' has no ':'; a key and its value are written "
       "'name: y'"},
      {"a:\n  subject: [${env}] failed\n",
       "t.yaml:2:12: error: invalid YAML: a value that starts with '[' is read as a list, and this "
       "one goes on after its ']'; quote it: \"[${env}] failed\""},
      {"a: {subject: [x] \"y\"}\n",
       "t.yaml:1:14: error: invalid YAML: a value that starts with '[' is read as a list, and this "
       "one goes on after its ']'; quote it: '[x] \"y\"'"},
      {"a:\n  command: [x\n  b: 1\n",
       "t.yaml:2:12: error: invalid YAML: this '[' is never closed; add ']' where the list ends "
       "(or "
       "quote the value if the bracket is text)"},
      {"a: {b: 1\nc: 2\n",
       "t.yaml:1:4: error: invalid YAML: this '{' is never closed; add '}' where the mapping ends "
       "(or quote the value if the bracket is text)"},
      {"a:\n  b:\n    c: 1\n   d: 2\n",
       "t.yaml:4:4: error: invalid YAML: this line is indented 3 spaces, where no mapping is open; "
       "the keys above it are indented 4 ('c'), 2 ('b'), 0 ('a'): indent it like the key it "
       "belongs beside"},
      {"a:\n  description: x: y\n",
       "t.yaml:2:16: error: invalid YAML: this value contains ': ', which YAML reads as another "
       "key; quote it: \"x: y\""},
      {"a: {e: cron(0 2 * * ? *)}\n",
       "t.yaml:1:21: error: invalid YAML: a mapping is not closed; check indentation and '}'; in a "
       "{...} mapping quote values that contain ' ? ', e.g. \"cron(0 2 * * ? *)\""},
  };
  for (const auto& c : cases) {
    auto l = Load(c.text);
    std::string r = l->sink.Render(false);
    EXPECT_EQ(r.substr(0, r.find('\n')), c.first_line) << c.text;
    EXPECT_EQ(l->sink.error_count(), 1u) << r;
  }
}

// The explanation looks at the text around the error once: linear in the file's size.
TEST(YamlTreeTest, SyntaxErrorExplanationOnALargeFile) {
  std::string text;
  for (int i = 0; i < 40000; ++i) text += "k" + std::to_string(i) + ": [a, b]\n";
  text += "last: [x\n";
  auto l = Load(text);
  EXPECT_NE(l->sink.Render(false).find("t.yaml:40001:7: error: invalid YAML: this '[' is never"),
            std::string::npos)
      << l->sink.Render(false).substr(0, 300);
}

TEST(YamlTreeTest, RecursiveAliasIsAnErrorNotACycle) {
  for (const char* text : {"b: &b [*b, *b]\n", "m: &m {k: *m}\n", "a: &a [[1, [*a]]]\n"}) {
    auto l = Load(text);
    EXPECT_EQ(l->doc.root, nullptr) << text;
    EXPECT_NE(
        l->sink.Render(false).find("this alias refers to the mapping or list that contains it"),
        std::string::npos)
        << l->sink.Render(false);
  }
}

TEST(YamlTreeTest, SmallAliasesAreExpanded) {
  auto l = Load("a: &x {k: v}\nb: *x\n");
  ASSERT_NE(l->doc.root, nullptr) << l->sink.Render();
  EXPECT_EQ(l->doc.root->Get("b")->Get("k")->value, "v");
}

TEST(YamlTreeTest, LimitsDepthAndSize) {
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "[";
  for (int i = 0; i < 100; ++i) deep += "]";
  auto l = Load(deep);
  EXPECT_EQ(l->doc.root, nullptr);
  EXPECT_NE(l->sink.Render(false).find("nesting"), std::string::npos) << l->sink.Render(false);
  LoadLimits small;
  small.max_bytes = 4;
  EXPECT_EQ(Load("a: 12345\n", small)->sink.Render(false),
            "t.yaml: error: the file is 9 bytes, over the limit of 4 (raise it with "
            "--max-input-bytes if this is really a spec)\n");
}

// Aliases count towards the nesting limit with the levels they stand for: a chain of anchors,
// each nesting the previous one 30 levels deeper, would otherwise build a document thousands of
// levels deep, too deep for the recursive walks over a spec's values.
TEST(YamlTreeTest, LimitsDepthThroughAliases) {
  auto chain = [](int links) {
    std::string text;
    for (int i = 0; i < links; ++i) {
      text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " ";
      for (int d = 0; d < 30; ++d) text += "[";
      text += i == 0 ? "1" : "*a" + std::to_string(i - 1);
      for (int d = 0; d < 30; ++d) text += "]";
      text += "\n";
    }
    return text;
  };
  auto ok = Load(chain(2));  // 1 + 30 + 30 levels: within 64
  EXPECT_NE(ok->doc.root, nullptr) << ok->sink.Render(false);
  auto l = Load(chain(500));
  EXPECT_EQ(l->doc.root, nullptr);
  EXPECT_NE(l->sink.Render(false).find("t.yaml:3:39: error: this alias makes the document nest "
                                       "deeper than 64 levels"),
            std::string::npos)
      << l->sink.Render(false).substr(0, 500);
}

TEST(YamlTreeTest, RejectsCloudFormationTags) {
  EXPECT_EQ(Load("a: !Ref Foo\n")->sink.Render(false),
            "t.yaml:1:4: error: YAML tag '!Ref' is not supported; a spec is plain data "
            "(CloudFormation tags such as !Ref do not apply: name exports under imports:)\n");
}

TEST(YamlTreeTest, ReportsParserErrorsWithPosition) {
  auto l = Load("a: [1, 2\nb: 3\n");
  EXPECT_EQ(l->doc.root, nullptr);
  std::string r = l->sink.Render(false);
  EXPECT_EQ(r.rfind("t.yaml:", 0), 0u) << r;
  EXPECT_NE(r.find("invalid YAML"), std::string::npos) << r;
}

TEST(YamlTreeTest, UnquotedQuestionMarkInAFlowMappingGetsAHint) {
  auto l = Load("a: {expression: cron(0 2 * * ? *), enabled: true}\n");
  EXPECT_EQ(l->doc.root, nullptr);
  EXPECT_NE(l->sink.Render(false).find(
                "in a {...} mapping quote values that contain ' ? ', e.g. \"cron(0 2 * * ? *)\""),
            std::string::npos)
      << l->sink.Render(false);
}

TEST(YamlTreeTest, ResolvesScalarsByYaml12CoreSchema) {
  auto l = Load(
      "t: true\nf: False\ny: yes\nn: ~\ni: 42\nh: 0x1F\no: 0o17\nd: 2.5\ns: '42'\ne: 1e3\n"
      "big: 99999999999999999999\n");
  ASSERT_NE(l->doc.root, nullptr);
  const YNode* r = l->doc.root;
  bool b = false;
  EXPECT_TRUE(AsBool(*r->Get("t"), &b) && b);
  EXPECT_TRUE(AsBool(*r->Get("f"), &b) && !b);
  EXPECT_EQ(Resolve(*r->Get("y")), ScalarType::kString);
  EXPECT_TRUE(IsYaml11Bool(r->Get("y")->value));
  EXPECT_EQ(Resolve(*r->Get("n")), ScalarType::kNull);
  int64_t i = 0;
  EXPECT_TRUE(AsInt(*r->Get("i"), &i) && i == 42);
  EXPECT_TRUE(AsInt(*r->Get("h"), &i) && i == 31);
  EXPECT_TRUE(AsInt(*r->Get("o"), &i) && i == 15);
  double d = 0;
  EXPECT_TRUE(AsNumber(*r->Get("d"), &d) && d == 2.5);
  EXPECT_TRUE(AsNumber(*r->Get("e"), &d) && d == 1000.0);
  EXPECT_EQ(Resolve(*r->Get("s")), ScalarType::kString);
  EXPECT_FALSE(AsInt(*r->Get("big"), &i));
}

}  // namespace
}  // namespace orchc
