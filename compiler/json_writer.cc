#include "json_writer.h"

#include <charconv>
#include <cstring>

namespace orchc {

void JsonWriter::Separate() {
  Level& level = levels_.back();
  if (indent_ >= 0) {
    out_ += level.members ? ",\n" : "\n";
    out_.append(static_cast<size_t>(depth_) * static_cast<size_t>(indent_), ' ');
  } else if (level.members) {
    out_ += ',';
  }
  level.members = true;
}

void JsonWriter::Element() {
  if (after_key_) {
    after_key_ = false;
  } else if (!levels_.empty()) {
    Separate();
  }
}

void JsonWriter::Open(char c) {
  Element();
  out_ += c;
  levels_.push_back({});
  ++depth_;
}

void JsonWriter::Close(char c) {
  const bool members = levels_.back().members;
  levels_.pop_back();
  --depth_;
  if (members && indent_ >= 0) {
    out_ += '\n';
    out_.append(static_cast<size_t>(depth_) * static_cast<size_t>(indent_), ' ');
  }
  out_ += c;
}

void JsonWriter::Key(std::string_view key) {
  Separate();
  Quoted(key);
  out_ += indent_ >= 0 ? ": " : ":";
  after_key_ = true;
}

void JsonWriter::Int(int64_t v) {
  Element();
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, res.ptr);
}

// nlohmann's escaping with ensure_ascii off: the two-character escapes, \u00xx (lower-case hex)
// for the other control characters, everything else as it is (the loader has checked UTF-8).
// Beyond nlohmann, DEL (0x7f) and the C1 controls U+0080-U+009F are escaped too (\u007f,
// \u0080...): JSON allows them raw, but common tools choke on them; the parsed text is the same.
namespace {

// The bytes a JSON string cannot hold as they are, and 0xC2, the lead byte of a C1 control
// (written escaped only when a C1 continuation byte follows).
struct EscapeTable {
  bool escape[256] = {};
  constexpr EscapeTable() {
    for (int c = 0; c < 0x20; ++c) escape[c] = true;
    escape[static_cast<unsigned char>('"')] = escape[static_cast<unsigned char>('\\')] = true;
    escape[0x7f] = escape[0xc2] = true;
  }
};
constexpr EscapeTable kEscape;

// Whether any of the 8 bytes at p is below 0x20, '"', '\\', 0x7f or 0xc2 (the classic "has a zero
// byte" and "has a byte less than n" word tricks; exact, no false answers either way).
bool NeedsEscape8(const char* p) {
  uint64_t x;
  std::memcpy(&x, p, sizeof x);
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  auto has_zero = [&](uint64_t v) { return ((v - kOnes) & ~v & kHigh) != 0; };
  const bool below_space = ((x - kOnes * 0x20) & ~x & kHigh) != 0;
  return below_space || has_zero(x ^ (kOnes * '"')) || has_zero(x ^ (kOnes * '\\')) ||
         has_zero(x ^ (kOnes * 0x7f)) || has_zero(x ^ (kOnes * 0xc2));
}

}  // namespace

void JsonWriter::Quoted(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out_ += '"';
  size_t run = 0;  // start of the bytes not yet copied
  for (size_t i = 0; i < s.size(); ++i) {
    // Eight bytes at a time while none of them needs escaping (most strings need none).
    while (i + 8 <= s.size() && !NeedsEscape8(s.data() + i)) i += 8;
    if (i >= s.size()) break;
    const auto c = static_cast<unsigned char>(s[i]);
    if (!kEscape.escape[c]) continue;
    if (c == 0xc2) {  // U+0080-U+009F is C2 80 - C2 9F
      const auto next = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0;
      if (next < 0x80 || next > 0x9f) continue;
      out_.append(s.data() + run, i - run);
      const char esc[] = {'\\', 'u', '0', '0', kHex[next >> 4], kHex[next & 0xF]};
      out_.append(esc, sizeof esc);
      run = i + 2;
      ++i;
      continue;
    }
    out_.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out_ += "\\\"";
        break;
      case '\\':
        out_ += "\\\\";
        break;
      case '\b':
        out_ += "\\b";
        break;
      case '\f':
        out_ += "\\f";
        break;
      case '\n':
        out_ += "\\n";
        break;
      case '\r':
        out_ += "\\r";
        break;
      case '\t':
        out_ += "\\t";
        break;
      default: {
        const char esc[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out_.append(esc, sizeof esc);
      }
    }
  }
  out_.append(s.data() + run, s.size() - run);
  out_ += '"';
}

// Recursive. The values written are built from a spec, whose nesting is bounded by
// the loader's max_depth (64 levels of maps and lists, aliases included: yaml_tree.h), plus a few
// levels the compiler adds.
void JsonWriter::Value(const Json& j) {
  switch (j.type()) {
    case Json::value_t::object:
      BeginObject();
      for (const auto& [k, v] : j.get_ref<const Json::object_t&>()) {
        Key(k);
        Value(v);
      }
      EndObject();
      return;
    case Json::value_t::array:
      BeginArray();
      for (const Json& v : j.get_ref<const Json::array_t&>()) Value(v);
      EndArray();
      return;
    case Json::value_t::string:
      String(j.get_ref<const std::string&>());
      return;
    case Json::value_t::boolean:
      Bool(j.get<bool>());
      return;
    case Json::value_t::null:
      Null();
      return;
    case Json::value_t::number_integer:
      Int(j.get<int64_t>());
      return;
    default:  // unsigned, float (nlohmann's shortest round-trip form), binary, discarded: rare
      Element();
      out_ += j.dump(-1, ' ', false, Json::error_handler_t::strict);
      return;
  }
}

size_t CompactJsonSize(std::string_view text) {
  size_t layout = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character, '"' included
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      ++layout;
    }
  }
  return text.size() - layout;
}

}  // namespace orchc
