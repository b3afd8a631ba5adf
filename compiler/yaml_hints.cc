#include "yaml_hints.h"

#include <optional>
#include <string_view>
#include <vector>

namespace orchc {

namespace {

// The file's lines, split once (SourceFile::Line scans from the start: quadratic in a loop).
class Lines {
 public:
  explicit Lines(const std::string& text) {
    size_t pos = 0;
    while (pos <= text.size()) {
      size_t end = text.find('\n', pos);
      if (end == std::string::npos) end = text.size();
      std::string_view l(text.data() + pos, end - pos);
      if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
      lines_.push_back(l);
      pos = end + 1;
    }
  }
  std::string_view Line(uint32_t line) const {
    return line >= 1 && line <= lines_.size() ? lines_[line - 1] : std::string_view();
  }

 private:
  std::vector<std::string_view> lines_;
};

// One character of a quoted scalar at `i`: a backslash escape in "..." takes the next one too;
// the closing quote clears `quote`.
void SkipInQuote(std::string_view s, size_t& i, char& quote) {
  if (s[i] == '\\' && quote == '"') {
    ++i;
  } else if (s[i] == quote) {
    quote = 0;
  }
}

// One line of the file as YAML sees it: indentation and the text before any comment.
struct LineText {
  uint32_t indent = 0;
  std::string_view content;  // from the first non-space character, comment and trailing blanks cut
  bool blank() const { return content.empty(); }
};

LineText Split(std::string_view line) {
  LineText t;
  while (t.indent < line.size() && line[t.indent] == ' ') ++t.indent;
  std::string_view rest = line.substr(t.indent);
  char quote = 0;
  size_t end = rest.size();
  for (size_t i = 0; i < rest.size(); ++i) {
    char c = rest[i];
    if (quote) {
      SkipInQuote(rest, i, quote);
    } else if (c == '#' && (i == 0 || rest[i - 1] == ' ' || rest[i - 1] == '\t')) {
      end = i;
      break;
    } else if ((c == '"' || c == '\'') && (i == 0 || rest[i - 1] == ' ' || rest[i - 1] == '[' ||
                                           rest[i - 1] == '{' || rest[i - 1] == ',')) {
      quote = c;
    }
  }
  rest = rest.substr(0, end);
  while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\t' || rest.back() == '\r')) {
    rest.remove_suffix(1);
  }
  t.content = rest;
  return t;
}

// Whether position `i` of `s` starts a value: after "key: ", "- ", "? ", at the start, or
// (inside a flow collection) after '[', '{' or ','.
bool StartsValue(std::string_view s, size_t i, bool in_flow) {
  size_t j = i;
  while (j > 0 && s[j - 1] == ' ') --j;
  if (j == 0) return true;
  char p = s[j - 1];
  if (j < i && (p == ':' || p == '-' || p == '?')) return true;
  return in_flow && (p == '[' || p == '{' || p == ',');
}

// The position of the bracket closing the one at `open` on the same text, or npos.
size_t MatchingClose(std::string_view s, size_t open) {
  std::vector<char> stack;
  char quote = 0;
  for (size_t i = open; i < s.size(); ++i) {
    char c = s[i];
    if (quote) {
      SkipInQuote(s, i, quote);
      continue;
    }
    if ((c == '"' || c == '\'') && StartsValue(s, i, /*in_flow=*/true)) {
      quote = c;
    } else if (c == '[' || c == '{') {
      stack.push_back(c == '[' ? ']' : '}');
    } else if (c == ']' || c == '}') {
      if (stack.empty() || stack.back() != c) return std::string_view::npos;
      stack.pop_back();
      if (stack.empty()) return i;
    }
  }
  return std::string_view::npos;
}

std::string Quoted(std::string_view v) {
  if (v.find('"') == std::string_view::npos && v.find('\\') == std::string_view::npos) {
    return "\"" + std::string(v) + "\"";
  }
  std::string out = "'";
  for (char c : v) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// A value such as `[${env}] failed` or `{x} y`: a flow collection followed by more text.
std::optional<YamlSyntaxError> TextAfterFlowValue(uint32_t line_no, const LineText& t) {
  std::string_view s = t.content;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((s[i] != '[' && s[i] != '{') || !StartsValue(s, i, /*in_flow=*/true)) continue;
    size_t close = MatchingClose(s, i);
    if (close == std::string_view::npos) continue;
    size_t next = close + 1;
    while (next < s.size() && s[next] == ' ') ++next;
    if (next >= s.size() || s[next] == ',' || s[next] == ']' || s[next] == '}' || s[next] == ':') {
      continue;
    }
    size_t end = next;
    while (end < s.size() && s[end] != ',' && s[end] != ']' && s[end] != '}') ++end;
    while (end > i && s[end - 1] == ' ') --end;
    std::string_view value = s.substr(i, end - i);
    YamlSyntaxError e;
    e.line = line_no;
    e.col = t.indent + static_cast<uint32_t>(i) + 1;
    e.length = static_cast<uint32_t>(value.size());
    e.message = std::string("invalid YAML: a value that starts with '") + s[i] + "' is read as a " +
                (s[i] == '[' ? "list" : "mapping") + ", and this one goes on after its '" +
                s[close] + "'; quote it: " + Quoted(value);
    return e;
  }
  return std::nullopt;
}

// The last '[' or '{' opened before (line, col) and never closed.
std::optional<YamlSyntaxError> UnclosedBracket(const Lines& src, uint32_t line, uint32_t col) {
  struct Open {
    char c;
    uint32_t line, col;
  };
  std::vector<Open> stack;
  for (uint32_t l = 1; l <= line; ++l) {
    LineText t = Split(src.Line(l));
    std::string_view s = t.content;
    if (l == line) s = s.substr(0, col > t.indent + 1 ? col - 1 - t.indent : 0);
    char quote = 0;
    for (size_t i = 0; i < s.size(); ++i) {
      char c = s[i];
      if (quote) {
        SkipInQuote(s, i, quote);
        continue;
      }
      bool in_flow = !stack.empty();
      if ((c == '"' || c == '\'') && StartsValue(s, i, in_flow)) {
        quote = c;
      } else if ((c == '[' || c == '{') && StartsValue(s, i, in_flow)) {
        stack.push_back({c, l, t.indent + static_cast<uint32_t>(i) + 1});
      } else if ((c == ']' || c == '}') && in_flow) {
        stack.pop_back();
      }
    }
  }
  if (stack.empty()) return std::nullopt;
  const Open& o = stack.back();
  if (o.line == line) {
    // Open where the parser stopped: unclosed only if nothing on the line closes it.
    LineText t = Split(src.Line(line));
    if (MatchingClose(t.content, o.col - 1 - t.indent) != std::string_view::npos) {
      return std::nullopt;
    }
  }
  YamlSyntaxError e;
  e.line = o.line;
  e.col = o.col;
  e.message = std::string("invalid YAML: this '") + o.c + "' is never closed; add '" +
              (o.c == '[' ? ']' : '}') + "' where the " + (o.c == '[' ? "list" : "mapping") +
              " ends (or quote the value if the bracket is text)";
  return e;
}

// Whether `s` holds a mapping key: "key:" at the end or "key: value", outside quotes.
bool HasKey(std::string_view s) {
  if (s.starts_with("- ")) s.remove_prefix(2);
  if (s.empty() || s[0] == '"' || s[0] == '\'' || s[0] == '[' || s[0] == '{') {
    return !s.empty() && s.find(": ") != std::string_view::npos;
  }
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ':' && (i + 1 == s.size() || s[i + 1] == ' ')) return true;
  }
  return false;
}

// The previous line that holds something, or 0.
uint32_t PreviousContentLine(const Lines& src, uint32_t line) {
  for (uint32_t l = line; l-- > 1;) {
    if (!Split(src.Line(l)).blank()) return l;
  }
  return 0;
}

// `env prod` or `task` on the line before the parser noticed: a key without its ':'.
std::optional<YamlSyntaxError> MissingColon(const Lines& src, uint32_t line) {
  uint32_t prev = PreviousContentLine(src, line);
  if (prev == 0) return std::nullopt;
  LineText p = Split(src.Line(prev)), here = Split(src.Line(line));
  if (p.content.starts_with("- ")) {  // a list item: its key starts after the dash
    p.content.remove_prefix(2);
    p.indent += 2;
  }
  std::string_view s = p.content;
  if (here.indent < p.indent || HasKey(s) || s.starts_with("-") || s.starts_with("[") ||
      s.starts_with("{") || s.starts_with("\"") || s.starts_with("'") || s.starts_with("|") ||
      s.starts_with(">") || s.starts_with("---")) {
    return std::nullopt;
  }
  size_t space = s.find(' ');
  YamlSyntaxError e;
  e.line = prev;
  e.col = p.indent + 1;
  e.length = static_cast<uint32_t>(s.size());
  std::string shown(s.substr(0, 60));
  if (space == std::string_view::npos) {
    e.message =
        "invalid YAML: '" + shown + "' has no ':' after it; a key is written '" + shown + ":'";
  } else {
    e.message = "invalid YAML: '" + shown + "' has no ':'; a key and its value are written '" +
                std::string(s.substr(0, space)) + ": " + std::string(s.substr(space + 1, 60)) + "'";
  }
  return e;
}

// A line indented to a depth where no mapping is open: say the depths that are.
std::optional<YamlSyntaxError> BadIndent(const Lines& src, uint32_t line) {
  LineText here = Split(src.Line(line));
  if (!HasKey(here.content)) return std::nullopt;
  std::vector<std::pair<uint32_t, std::string>> keys;  // indent, key: the open mappings
  uint32_t below = here.indent + 1000;
  bool first = true;
  for (uint32_t l = line; l-- > 1 && below > 0;) {
    LineText t = Split(src.Line(l));
    if (t.blank() || !HasKey(t.content)) continue;
    uint32_t indent = t.indent;
    std::string_view s = t.content;
    if (s.starts_with("- ")) {
      s.remove_prefix(2);
      indent += 2;
    }
    if (!first && indent >= below) continue;
    first = false;
    below = indent;
    size_t colon = s.find(':');
    keys.emplace_back(indent, std::string(s.substr(0, std::min<size_t>(colon, 40))));
  }
  for (const auto& k : keys) {
    if (k.first == here.indent) return std::nullopt;  // a real sibling: not this cause
  }
  if (keys.empty()) return std::nullopt;
  YamlSyntaxError e;
  e.line = line;
  e.col = here.indent + 1;
  e.message = "invalid YAML: this line is indented " + std::to_string(here.indent) +
              " spaces, where no mapping is open; the keys above it are indented ";
  for (size_t i = 0; i < keys.size() && i < 4; ++i) {
    e.message += (i ? ", " : "") + std::to_string(keys[i].first) + " ('" + keys[i].second + "')";
  }
  e.message += ": indent it like the key it belongs beside";
  return e;
}

// `key: a: b`: a plain value holding ': ', which YAML reads as a second key.
std::optional<YamlSyntaxError> ColonInValue(uint32_t line_no, const LineText& t) {
  std::string_view s = t.content;
  uint32_t indent = t.indent;
  if (s.starts_with("- ")) {
    s.remove_prefix(2);
    indent += 2;
  }
  if (s.empty() || s[0] == '"' || s[0] == '\'' || s[0] == '[' || s[0] == '{') return std::nullopt;
  size_t colon = s.find(": ");
  if (colon == std::string_view::npos) return std::nullopt;
  size_t value = colon + 2;
  while (value < s.size() && s[value] == ' ') ++value;
  if (value >= s.size() || s[value] == '"' || s[value] == '\'' || s[value] == '[' ||
      s[value] == '{' || s.find(": ", value) == std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view v = s.substr(value);
  YamlSyntaxError e;
  e.line = line_no;
  e.col = indent + static_cast<uint32_t>(value) + 1;
  e.length = static_cast<uint32_t>(v.size());
  e.message =
      "invalid YAML: this value contains ': ', which YAML reads as another key; quote it: " +
      Quoted(v);
  return e;
}

// yaml-cpp's own messages, made readable.
std::string ParserMessage(const std::string& msg) {
  if (msg == "illegal map value") {
    return "invalid YAML: a ':' where no mapping value can start (quote the value if it "
           "contains ': ')";
  }
  if (msg == "end of map not found" || msg == "end of map flow not found") {
    return "invalid YAML: a mapping is not closed; check indentation and '}'";
  }
  if (msg == "end of sequence not found" || msg == "end of sequence flow not found") {
    return "invalid YAML: a sequence is not closed; check indentation and ']'";
  }
  return "invalid YAML: " + msg;
}

}  // namespace

YamlSyntaxError ExplainYamlSyntaxError(const SourceFile& file, uint32_t line, uint32_t col,
                                       const std::string& parser_message) {
  const Lines src(file.text);
  if (uint32_t prev = PreviousContentLine(src, line); prev != 0) {
    if (auto e = TextAfterFlowValue(prev, Split(src.Line(prev)))) return *e;
  }
  if (auto e = TextAfterFlowValue(line, Split(src.Line(line)))) return *e;
  if (auto e = UnclosedBracket(src, line, col)) return *e;
  if (parser_message == "illegal map value") {
    if (auto e = MissingColon(src, line)) return *e;
    if (auto e = ColonInValue(line, Split(src.Line(line)))) return *e;
  }
  if (parser_message == "end of map not found") {
    if (auto e = BadIndent(src, line)) return *e;
  }
  YamlSyntaxError e;
  e.line = line;
  e.col = col;
  e.message = ParserMessage(parser_message);
  // In a {...} mapping "? " starts a complex key: the cron expressions users write there.
  std::string_view text = src.Line(line);
  if (text.find('{') != std::string_view::npos && text.find(" ? ") != std::string_view::npos) {
    e.message += "; in a {...} mapping quote values that contain ' ? ', e.g. \"cron(0 2 * * ? *)\"";
  }
  return e;
}

}  // namespace orchc
