// JsonWriter must print exactly what nlohmann's dump prints for the same document, except that
// DEL and the C1 controls are escaped (\u007f, \u0080-\u009f): the back ends stream through it,
// and the goldens were written by dump.
#include "json_writer.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <limits>
#include <random>

namespace orchc {
namespace {

// nlohmann's dump with DEL and C1 controls escaped as JsonWriter does (such bytes occur only
// inside strings of dump's output).
std::string Dump(const Json& j, int indent) {
  const std::string text = j.dump(indent, ' ', false, Json::error_handler_t::strict);
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const auto next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
    char buf[8];
    if (c == 0x7f) {
      out += "\\u007f";
    } else if (c == 0xc2 && next >= 0x80 && next <= 0x9f) {
      std::snprintf(buf, sizeof buf, "\\u00%02x", next);
      out += buf;
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string Written(const Json& j, int indent) {
  std::string out;
  JsonWriter w(out, indent);
  w.Value(j);
  return out;
}

void ExpectSame(const Json& j) {
  for (int indent : {-1, 0, 2, 4}) {
    EXPECT_EQ(Written(j, indent), Dump(j, indent)) << "indent " << indent;
  }
}

std::string AllControlCharacters() {
  std::string s;
  for (int c = 0; c < 0x20; ++c) s += static_cast<char>(c);
  return s + "\"\\/\x7f" + "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80";
}

TEST(JsonWriter, ScalarsAsDumpPrintsThem) {
  for (const Json& j :
       {Json(nullptr), Json(true), Json(false), Json(0), Json(-1),
        Json(std::numeric_limits<int64_t>::min()), Json(std::numeric_limits<int64_t>::max()),
        Json(std::numeric_limits<uint64_t>::max()), Json(2.0), Json(0.1), Json(1e300), Json(-0.0),
        Json(1.5), Json(""), Json(AllControlCharacters())}) {
    ExpectSame(j);
  }
}

// DEL and C1 controls are legal in JSON strings but break common tools: written escaped; the
// other characters after a 0xC2 lead byte (U+00A0 and up) stay as they are.
TEST(JsonWriter, EscapesDeleteAndC1Controls) {
  std::string out;
  JsonWriter w(out, -1);
  w.String(
      "a\x7f"
      "b\xc2\x80"
      "c\xc2\x85"
      "d\xc2\x9f"
      "e\xc2\xa0"
      "f\xc2\xa9");
  EXPECT_EQ(out,
            "\"a\\u007fb\\u0080c\\u0085d\\u009fe\xc2\xa0"
            "f\xc2\xa9\"");
  EXPECT_EQ(Json::parse(out),
            "a\x7f"
            "b\xc2\x80"
            "c\xc2\x85"
            "d\xc2\x9f"
            "e\xc2\xa0"
            "f\xc2\xa9");
}

TEST(JsonWriter, EscapesAtEveryOffsetOfLongStrings) {
  // The writer scans eight bytes at a time: put each special byte at every offset around that.
  for (char special : {'\0', '\x01', '\n', '\x1f', '"', '\\', ' ', '\x7f', '\x80', '\x85'}) {
    for (size_t len : {7u, 8u, 9u, 16u, 23u, 40u}) {
      for (size_t at = 0; at < len; ++at) {
        std::string s(len, 'a');
        s[at] = special;
        if (special == '\x80') {
          s = std::string(at, 'a') + "\xc3\xa9" + std::string(len - at - 1, 'a');  // é
        } else if (special == '\x85') {
          s = std::string(at, 'a') + "\xc2\x85" + std::string(len - at - 1, 'a');  // NEL (C1)
        }
        ExpectSame(Json(s));
      }
    }
  }
}

TEST(JsonWriter, ContainersEmptyAndNested) {
  ExpectSame(Json::object());
  ExpectSame(Json::array());
  ExpectSame(
      Json{{"a", Json::object()}, {"b", Json::array()}, {"c", Json::array({Json::array()})}});
  ExpectSame(Json{{AllControlCharacters(), {{"k", Json::array({1, "x", nullptr, 2.5})}}}});
  ExpectSame(Json::array({Json::object(), Json{{"x", 1}}, Json::array({Json::object()})}));
}

TEST(JsonWriter, StreamedMembersAsTheTreeOfThem) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject();
  w.Member("s", "text");
  w.Member("i", int64_t{42});
  w.Key("list");
  w.BeginArray();
  w.String("a");
  w.Null();
  w.Bool(false);
  w.BeginObject();
  w.EndObject();
  w.EndArray();
  w.Member("tree", Json{{"x", Json::array({1, 2})}});
  w.EndObject();
  Json same = {{"s", "text"},
               {"i", 42},
               {"list", Json::array({"a", nullptr, false, Json::object()})},
               {"tree", {{"x", Json::array({1, 2})}}}};
  EXPECT_EQ(out, Dump(same, 2));
}

TEST(JsonWriter, DocumentNestedInAnotherOnesText) {
  // The template embeds each definition: written at depth 1 after a key, it reads as a member.
  Json inner = {{"StartAt", "A"}, {"States", {{"A", {{"Type", "Succeed"}}}}}};
  std::string out = "{\n  \"Definition\": ";
  JsonWriter w(out, 2, 1);
  w.Value(inner);
  out += "\n}";
  EXPECT_EQ(out, Dump(Json{{"Definition", inner}}, 2));
}

// Random documents of every kind of value, keys and strings drawn from awkward characters.
Json RandomJson(std::mt19937& rng, int depth) {
  static const char* const kPieces[] = {
      "a",    "b",    "\"",   "\\",       "\n",       "\t",
      "\x01", "\x1f", "/",    " ",        "\xc3\xa9", "\xf0\x9f\x98\x80",
      "${",   "}",    "\x7f", "\xc2\x85", "\xc2\x9f", "\xc2\xa0"};
  auto text = [&] {
    std::string s;
    for (int n = static_cast<int>(rng() % 6); n > 0; --n) s += kPieces[rng() % std::size(kPieces)];
    return s;
  };
  switch (depth > 4 ? rng() % 5 : rng() % 7) {
    case 0:
      return nullptr;
    case 1:
      return (rng() & 1) != 0;
    case 2:
      return static_cast<int64_t>(rng()) - (1LL << 31);
    case 3:
      return static_cast<double>(rng() % 1000) / 8.0;
    case 4:
      return text();
    case 5: {
      Json a = Json::array();
      for (int n = static_cast<int>(rng() % 4); n > 0; --n) a.push_back(RandomJson(rng, depth + 1));
      return a;
    }
    default: {
      Json o = Json::object();
      for (int n = static_cast<int>(rng() % 4); n > 0; --n) o[text()] = RandomJson(rng, depth + 1);
      return o;
    }
  }
}

TEST(JsonWriter, RandomDocumentsAsDumpPrintsThem) {
  std::mt19937 rng(20261129);
  for (int i = 0; i < 2000; ++i) {
    Json j = RandomJson(rng, 0);
    ASSERT_EQ(Written(j, 2), Dump(j, 2)) << "document " << i;
    ASSERT_EQ(Written(j, -1), Dump(j, -1)) << "document " << i;
    ASSERT_EQ(CompactJsonSize(Dump(j, 2) + "\n"), Dump(j, -1).size()) << "document " << i;
    ASSERT_EQ(CompactJsonSize(Dump(j, 4)), Dump(j, -1).size()) << "document " << i;
  }
}

}  // namespace
}  // namespace orchc
