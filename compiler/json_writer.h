// Writes JSON text straight into a string, without building a tree: the back ends stream a
// template of any size through it. The text is byte for byte what nlohmann's
// dump(indent, ' ', /*ensure_ascii=*/false) prints for the same document, so the output does not
// depend on which of the two produced it (tests compare both), except that DEL (0x7f) and the C1
// controls (U+0080-U+009F) are escaped as \u007f, \u0080...: JSON allows them raw, but common
// tools reject or mangle them. The parsed text is the same.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ir.h"

namespace orchc {

class JsonWriter {
 public:
  // indent < 0: compact ("a":1,"b":2); otherwise pretty, `indent` spaces a level, starting at
  // `depth` levels (for a document nested in another one's text).
  explicit JsonWriter(std::string& out, int indent = 2, int depth = 0)
      : out_(out), indent_(indent), depth_(depth) {}

  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }
  // The next value is this member of the current object.
  void Key(std::string_view key);

  void String(std::string_view s) {
    Element();
    Quoted(s);
  }
  void Int(int64_t v);
  void Bool(bool v) {
    Element();
    out_ += v ? "true" : "false";
  }
  void Null() {
    Element();
    out_ += "null";
  }
  void Value(const Json& j);  // a whole subtree

  // Convenience: Key + value.
  void Member(std::string_view key, std::string_view s) { Key(key), String(s); }
  void Member(std::string_view key, const char* s) { Key(key), String(s); }
  void Member(std::string_view key, const std::string& s) { Key(key), String(s); }
  void Member(std::string_view key, int64_t v) { Key(key), Int(v); }
  void Member(std::string_view key, const Json& j) { Key(key), Value(j); }

 private:
  struct Level {
    bool members = false;  // anything written inside yet
  };
  void Open(char c);
  void Close(char c);
  void Element();   // separator and indentation before a value in an array
  void Separate();  // before a member or an element
  void Quoted(std::string_view s);

  std::string& out_;
  int indent_;
  int depth_;
  bool after_key_ = false;
  std::vector<Level> levels_;
};

// The length of `text`, JSON printed by JsonWriter or nlohmann with any indent, as it would be
// printed compact: without the whitespace between tokens (strings escape every newline, so a
// space or newline outside a string is layout).
size_t CompactJsonSize(std::string_view text);

}  // namespace orchc
