// Locating and parsing the JSON text adoption reads (a deployed template, a sidecar). See
// adopt_internal.h.
#include <cctype>

#include "adopt_internal.h"

namespace orchc::adopt_detail {

SourceLoc LocAt(const SourceFile& f, size_t offset) {
  SourceLoc loc{&f.path, 1, 1};
  for (size_t i = 0; i < offset && i < f.text.size(); ++i) {
    if (f.text[i] == '\n') {
      ++loc.line;
      loc.col = 1;
    } else {
      ++loc.col;
    }
  }
  return loc;
}

size_t FindKey(const std::string& text, const std::string& key, size_t from) {
  const std::string quoted = "\"" + key + "\"";
  for (size_t at = text.find(quoted, from); at != std::string::npos;
       at = text.find(quoted, at + 1)) {
    size_t k = at + quoted.size();
    while (k < text.size() && std::isspace(static_cast<unsigned char>(text[k]))) ++k;
    if (k < text.size() && text[k] == ':') return at;
  }
  return std::string::npos;
}

SourceLoc ResourceLoc(const SourceFile& f, const std::string& id, const std::string& property) {
  size_t at = FindKey(f.text, "Resources", 0);
  at = FindKey(f.text, id, at == std::string::npos ? 0 : at);
  if (at == std::string::npos) return SourceLoc{&f.path, 0, 0};
  if (!property.empty()) {
    size_t p = FindKey(f.text, property, at);
    if (p != std::string::npos) at = p;
  }
  return LocAt(f, at);
}

size_t TooDeep(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) return i;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return std::string_view::npos;
}

bool ParseJson(const SourceFile& f, DiagSink& sink, Json* out) {
  if (size_t at = TooDeep(f.text); at != std::string_view::npos) {
    sink.Error(LocAt(f, at), "the JSON nests deeper than " + std::to_string(kMaxJsonDepth) +
                                 " levels; a CloudFormation template is never this deep");
    return false;
  }
  try {
    *out = Json::parse(f.text);
    return true;
  } catch (const Json::parse_error& e) {
    std::string what = e.what();
    sink.Error(LocAt(f, e.byte > 0 ? e.byte - 1 : 0),
               "not valid JSON: " + what.substr(what.find(": ") + 2));
    return false;
  }
}

std::string StringOr(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string BaseName(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace orchc::adopt_detail
