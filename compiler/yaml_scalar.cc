// YNode lookups and scalar resolution (YAML 1.2's core schema). See yaml_tree.h.
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "yaml_tree.h"

namespace orchc {

const YNode::Entry* YNode::Find(std::string_view key) const {
  for (const Entry& e : entries) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

const YNode* YNode::Get(std::string_view key) const {
  const Entry* e = Find(key);
  return e ? e->value : nullptr;
}

namespace {

bool IsOneOf(std::string_view s, std::initializer_list<std::string_view> words) {
  for (std::string_view w : words) {
    if (s == w) return true;
  }
  return false;
}

bool AllDigits(std::string_view s, bool hex = false) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = (c >= '0' && c <= '9') || (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
    if (!ok) return false;
  }
  return true;
}

bool IsCoreInt(std::string_view s) {
  if (s.starts_with("0x")) return AllDigits(s.substr(2), /*hex=*/true);
  if (s.starts_with("0o")) {
    std::string_view d = s.substr(2);
    return !d.empty() && d.find_first_not_of("01234567") == std::string_view::npos;
  }
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  return AllDigits(s);
}

// [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?  and the .inf/.nan spellings.
bool IsCoreFloat(std::string_view s) {
  if (IsOneOf(s, {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
                  ".nan", ".NaN", ".NAN"}))
    return true;
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  size_t int_digits = 0, frac_digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++int_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    size_t exp = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++exp;
    if (exp == 0) return false;
  }
  return i == s.size();
}

}  // namespace

bool IsYaml11Bool(std::string_view s) {
  std::string l;
  for (char c : s) l.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c);
  return IsOneOf(l, {"yes", "no", "on", "off", "y", "n"});
}

ScalarType Resolve(const YNode& n) {
  if (n.kind == YNode::Kind::kNull) return ScalarType::kNull;
  if (n.kind != YNode::Kind::kScalar) return ScalarType::kString;
  if (n.quoted) return ScalarType::kString;
  const std::string& s = n.value;
  if (IsOneOf(s, {"", "~", "null", "Null", "NULL"})) return ScalarType::kNull;
  if (IsOneOf(s, {"true", "True", "TRUE", "false", "False", "FALSE"})) return ScalarType::kBool;
  if (IsCoreInt(s)) return ScalarType::kInt;
  if (IsCoreFloat(s)) return ScalarType::kFloat;
  return ScalarType::kString;
}

bool AsBool(const YNode& n, bool* out) {
  if (Resolve(n) != ScalarType::kBool) return false;
  *out = n.value[0] == 't' || n.value[0] == 'T';
  return true;
}

bool AsInt(const YNode& n, int64_t* out) {
  if (Resolve(n) != ScalarType::kInt) return false;
  std::string_view s = n.value;
  int base = 10;
  bool neg = false;
  if (s.starts_with("0x")) {
    base = 16;
    s.remove_prefix(2);
  } else if (s.starts_with("0o")) {
    base = 8;
    s.remove_prefix(2);
  } else if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (ec != std::errc() || p != s.data() + s.size()) return false;
  if (v > static_cast<uint64_t>(INT64_MAX)) return false;
  *out = neg ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
  return true;
}

bool AsNumber(const YNode& n, double* out) {
  int64_t i;
  if (AsInt(n, &i)) {
    *out = static_cast<double>(i);
    return true;
  }
  if (Resolve(n) != ScalarType::kFloat) return false;
  std::string s = n.value;
  if (s.find("inf") != std::string::npos || s.find("Inf") != std::string::npos ||
      s.find("INF") != std::string::npos || s.find("nan") != std::string::npos ||
      s.find("NaN") != std::string::npos || s.find("NAN") != std::string::npos)
    return false;  // not a usable number in any field of the spec
  errno = 0;
  double d = std::strtod(s.c_str(), nullptr);
  if (errno == ERANGE || !std::isfinite(d)) return false;
  *out = d;
  return true;
}

}  // namespace orchc
