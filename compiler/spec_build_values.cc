// Desugaring of scalars: strings with ${env}/${workflow} expanded (or taken literally), located,
// with their defaults; durations in seconds; integers; tag mappings.
#include <algorithm>
#include <string>
#include <vector>

#include "spec_build_internal.h"

namespace orchc::spec_build_detail {

// Seconds of a duration node: whole seconds, or "1h30m"-style text. -1 when invalid.
int64_t Builder::Duration(const YNode* n) {
  int64_t secs = 0;
  if (AsInt(*n, &secs)) return secs;
  const std::string& s = n->value;
  if (s.empty()) {
    sink_.Error(n->loc, "empty duration; write whole seconds or a string like 30s, 5m, 2h");
    failed_ = true;
    return -1;
  }
  int64_t total = 0, num = 0;
  size_t digits = 0;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      if (++digits > 9) {
        sink_.Error(n->loc, "duration '" + s + "' is too large", n->length);
        failed_ = true;
        return -1;
      }
      num = num * 10 + (c - '0');
      continue;
    }
    int64_t unit = c == 'h' ? 3600 : c == 'm' ? 60 : 1;
    total += num * unit;
    num = 0;
    digits = 0;
  }
  return total;
}

void Builder::ReadInt(const YNode* n, int64_t* out, SourceLoc* loc, SourceLoc fallback) {
  *loc = fallback;
  if (!n) return;
  if (!AsInt(*n, out)) *out = -1;
  *loc = n->loc;
}

LocatedString Builder::Str(const YNode* n, const std::string& def, const Vars& vars,
                           Expansion expansion) {
  const bool expand = expansion == Expansion::kExpand;
  if (!n) {
    return LocatedString{expand ? Expand(def, vars, file_loc_, /*quoted=*/false) : def, file_loc_,
                         1, false, Origin::kDefault};
  }
  if (expand) expanded_.insert(n);
  return LocatedString{expand ? Expand(n->value, vars, n->loc, n->quoted) : n->value, n->loc,
                       n->length, n->quoted, Origin::kWritten};
}

// A value without a default: nullopt when not written.
std::optional<LocatedString> Builder::OptStr(const YNode* n, const Vars& vars,
                                             Expansion expansion) {
  if (!n) return std::nullopt;
  return Str(n, "", vars, expansion);
}

// Replaces ${env} and ${workflow}; $${ stands for a literal ${. Anything else is an error.
std::string Builder::Expand(const std::string& text, const Vars& vars, SourceLoc loc, bool quoted) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 3, "$${") == 0) {
      out += "${";
      i += 2;
      continue;
    }
    if (text.compare(i, 2, "${") != 0) {
      out += text[i];
      continue;
    }
    size_t close = text.find('}', i + 2);
    SourceLoc at = loc;
    if (at.line > 0) at.col += static_cast<uint32_t>(i) + (quoted ? 1 : 0);
    if (close == std::string::npos) {
      sink_.Error(at, "unterminated '${' (write $${ for a literal ${)", 2);
      failed_ = true;
      return text;
    }
    std::string name = text.substr(i + 2, close - i - 2);
    uint32_t len = static_cast<uint32_t>(close - i + 1);
    if (name == "env") {
      out += vars.env;
    } else if (name == "workflow" && !vars.workflow.empty()) {
      out += vars.workflow;
    } else {
      std::vector<std::string> known = {"env"};
      if (!vars.workflow.empty()) known.push_back("workflow");
      std::string msg = "unknown variable '${" + name + "}'; known here: ${env}";
      if (!vars.workflow.empty()) msg += ", ${workflow}";
      std::string guess = SpellCheck(name, known);
      if (!guess.empty()) msg += "; did you mean '${" + guess + "}'?";
      sink_.Error(at, msg + " (write $${ for a literal ${)", len);
      failed_ = true;
    }
    i = close;
  }
  return out;
}

TagList Builder::ReadTags(const YNode* n) {
  TagList out;
  for (const YNode::Entry& e : n->entries) {
    LocatedString k{e.key, e.key_loc, static_cast<uint32_t>(e.key.size()), false, Origin::kWritten};
    LocatedString v{e.value->value, e.value->loc, e.value->length, e.value->quoted,
                    Origin::kWritten};
    out.emplace_back(k, v);
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.first.value < b.first.value; });
  return out;
}

}  // namespace orchc::spec_build_detail
