// The JSONPath validator (jsonpath.h). A single left-to-right scan, no recursion: filters are
// checked for balanced parentheses and closed quotes only, as Step Functions evaluates them.
#include "jsonpath.h"

namespace orchc {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsSimpleNameChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || IsDigit(c) || c == '_' || c == '-';
}

// A byte that may appear in a `.name` segment: not a JSONPath operator, quote, space or control.
bool IsNameChar(unsigned char c) {
  if (c < 0x20 || c == 0x7f) return false;
  switch (c) {
    case '.':
    case '[':
    case ']':
    case '\'':
    case '"':
    case '\\':
    case ',':
    case '(':
    case ')':
    case '*':
    case '?':
    case '@':
    case ':':
    case '$':
    case ' ':
    case '{':
    case '}':
      return false;
    default:
      return true;
  }
}

std::string At(size_t i, const std::string& what) {
  return what + " at character " + std::to_string(i + 1);
}

// Checks `[...]` starting at path[i] == '['; on success sets `i` past the ']'.
std::string Bracket(std::string_view p, size_t& i, PathKind kind) {
  size_t start = i++;
  if (i >= p.size()) return At(start, "unclosed '['");
  if (p[i] == '\'') {  // ['name']
    if (kind == PathKind::kIntrinsicArgument) return At(i, "a quoted name cannot be used here");
    size_t j = i + 1;
    while (j < p.size() && p[j] != '\'') {
      unsigned char c = static_cast<unsigned char>(p[j]);
      if (c == '\\' || c < 0x20 || c == 0x7f)
        return At(j, "a quoted name cannot contain this character");
      ++j;
    }
    if (j >= p.size()) return At(i, "unclosed quote");
    if (j == i + 1) return At(i, "empty name");
    if (j + 1 >= p.size() || p[j + 1] != ']') return At(j + 1, "expected ']'");
    i = j + 2;
    return "";
  }
  if (IsDigit(p[i])) {  // [N], or in a Path [N,M,...] / [N:M]
    size_t j = i;
    bool list = false;
    while (j < p.size() && p[j] != ']') {
      if (!IsDigit(p[j])) {
        if (kind != PathKind::kPath || (p[j] != ',' && p[j] != ':' && p[j] != '-')) {
          return At(j, "an index is a number");
        }
        list = true;
      }
      ++j;
    }
    if (j >= p.size()) return At(start, "unclosed '['");
    (void)list;
    i = j + 1;
    return "";
  }
  if (kind != PathKind::kPath) {
    return At(i, "only .name, ['name'] and [index] select a single node here");
  }
  if (p[i] == '*') {
    if (i + 1 >= p.size() || p[i + 1] != ']') return At(i + 1, "expected ']'");
    i += 2;
    return "";
  }
  if (p[i] == ':' || p[i] == '-') {  // [:2], [-1:]
    size_t j = i;
    while (j < p.size() && (IsDigit(p[j]) || p[j] == ':' || p[j] == '-')) ++j;
    if (j >= p.size() || p[j] != ']') return At(j, "expected ']'");
    i = j + 1;
    return "";
  }
  if (p[i] == '?') {  // [?(...)]: balanced parentheses, closed quotes
    if (i + 1 >= p.size() || p[i + 1] != '(') return At(i + 1, "a filter is [?(...)]");
    size_t j = i + 1;
    int depth = 0;
    char quote = 0;
    for (; j < p.size(); ++j) {
      char c = p[j];
      if (static_cast<unsigned char>(c) < 0x20) return At(j, "control character");
      if (quote) {
        if (c == quote) quote = 0;
        continue;
      }
      if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '(') {
        ++depth;
      } else if (c == ')') {
        if (--depth == 0) break;
      }
    }
    if (j >= p.size()) return At(i, "unclosed filter");
    if (j + 1 >= p.size() || p[j + 1] != ']') return At(j + 1, "expected ']'");
    i = j + 2;
    return "";
  }
  return At(i, "unexpected character after '['");
}

}  // namespace

std::string JsonPathError(std::string_view p, PathKind kind, ContextObject context) {
  if (p.empty()) return "empty path";
  if (p[0] != '$') return "a path starts with $";
  size_t i = 1;
  if (p.size() > 1 && p[1] == '$') {
    if (context == ContextObject::kRefused) {
      return "the Context Object ($$) cannot be used here";
    }
    i = 2;
    if (p.size() == 2) return "";
    if (p[2] != '.') return At(2, "expected '.' after $$");
  }
  while (i < p.size()) {
    char c = p[i];
    if (c == '[') {
      if (std::string e = Bracket(p, i, kind); !e.empty()) return e;
      continue;
    }
    if (c != '.') {
      return At(i, "expected '.' or '['") +
             (c == ',' || c == ' ' ? " (one path only; no spaces or commas after it)" : "");
    }
    ++i;
    if (i < p.size() && p[i] == '.') {  // ..name (deep scan)
      if (kind != PathKind::kPath) return At(i, "'..' selects many nodes; not allowed here");
      ++i;
    }
    if (i < p.size() && p[i] == '*') {
      if (kind != PathKind::kPath) return At(i, "'*' selects many nodes; not allowed here");
      ++i;
      continue;
    }
    size_t start = i;
    while (i < p.size() && IsNameChar(static_cast<unsigned char>(p[i]))) {
      if (kind == PathKind::kIntrinsicArgument && !IsSimpleNameChar(p[i])) {
        return At(i, "a name here is letters, digits, '_' and '-'");
      }
      ++i;
    }
    if (i == start) {
      if (i >= p.size()) return At(i - 1, "a name must follow '.'");
      return At(i, "a name must follow '.'") +
             (p[i] == ',' || p[i] == ' ' ? " (one path only; no spaces or commas)" : "");
    }
  }
  return "";
}

}  // namespace orchc
