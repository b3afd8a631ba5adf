#include "diag.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace orchc {

std::string_view SourceFile::Line(uint32_t line) const {
  if (line == 0) return {};
  size_t pos = 0;
  for (uint32_t l = 1; l < line; ++l) {
    pos = text.find('\n', pos);
    if (pos == std::string::npos) return {};
    ++pos;
  }
  size_t end = text.find('\n', pos);
  if (end == std::string::npos) end = text.size();
  std::string_view s(text.data() + pos, end - pos);
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  return s;
}

void DiagSink::Error(SourceLoc loc, std::string message, uint32_t length) {
  ++errors_;
  auto it = std::find_if(per_file_.begin(), per_file_.end(),
                         [&](const FileErrors& f) { return f.file == loc.file; });
  if (it == per_file_.end()) it = per_file_.insert(per_file_.end(), FileErrors{loc.file});
  if (++it->reported > kMaxErrorsPerFile) {
    saturated_ = true;
    return;
  }
  diags_.push_back({Severity::kError, loc, std::move(message), length, std::nullopt});
}

void DiagSink::Warning(WarningClass cls, SourceLoc loc, std::string message, uint32_t length) {
  if (silenced_.test(static_cast<size_t>(cls))) return;
  ++warnings_;
  diags_.push_back({Severity::kWarning, loc, std::move(message), length, cls});
}

std::string_view WarningClassName(WarningClass cls) {
  for (const WarningClassInfo& w : kWarningClasses) {
    if (w.cls == cls) return w.name;
  }
  return "warning";
}

std::optional<WarningClass> FindWarningClass(std::string_view name) {
  for (const WarningClassInfo& w : kWarningClasses) {
    if (w.name == name) return w.cls;
  }
  return std::nullopt;
}

bool WantColor(std::string_view mode, bool is_terminal, const char* no_color_env) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  return is_terminal && (no_color_env == nullptr || *no_color_env == '\0');
}

namespace {

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kNote:
      return "note";
  }
  return "error";
}

// Makes a source line printable: control characters and invalid bytes would corrupt a terminal.
std::string Printable(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  for (unsigned char c : line) out.push_back(c < 0x20 && c != '\t' ? '?' : static_cast<char>(c));
  return out;
}

}  // namespace

std::vector<Diagnostic> DiagSink::Sorted() const {
  // In the order of the files, then of positions in each file: the order a person reads.
  std::vector<const Diagnostic*> sorted;
  for (const Diagnostic& d : diags_) sorted.push_back(&d);
  auto file_rank = [&](const Diagnostic* d) {
    for (size_t i = 0; i < sources_.size(); ++i) {
      if (&sources_[i]->path == d->loc.file) return i;
    }
    return sources_.size();
  };
  std::stable_sort(sorted.begin(), sorted.end(), [&](const Diagnostic* a, const Diagnostic* b) {
    size_t fa = file_rank(a), fb = file_rank(b);
    if (fa != fb) return fa < fb;
    if (a->loc.line != b->loc.line) return a->loc.line < b->loc.line;
    return a->loc.col < b->loc.col;
  });
  // Each diagnostic in an included file is followed by the chain of places that included it.
  std::vector<Diagnostic> shown;
  for (const Diagnostic* d : sorted) {
    shown.push_back(*d);
    const std::string* file = d->loc.file;
    for (int hops = 0; file && hops < 64; ++hops) {
      auto inc = std::find_if(includes_.begin(), includes_.end(),
                              [&](const Include& i) { return i.file == file; });
      if (inc == includes_.end()) break;
      shown.push_back(
          {Severity::kNote, inc->from, "included from here", inc->length, std::nullopt});
      file = inc->from.file;
    }
  }
  return shown;
}

std::vector<Diagnostic> DiagSink::SortedWithLimitNotes() const {
  std::vector<Diagnostic> all = Sorted();
  for (const FileErrors& f : per_file_) {
    if (f.reported <= kMaxErrorsPerFile) continue;
    all.push_back({Severity::kNote, SourceLoc{f.file},
                   "too many errors: " + std::to_string(f.reported - kMaxErrorsPerFile) +
                       " more not shown (the first " + std::to_string(kMaxErrorsPerFile) +
                       " are listed)",
                   0, std::nullopt});
  }
  return all;
}

const SourceFile* DiagSink::FindSource(const std::string* file) const {
  const SourceFile* src = nullptr;
  for (const SourceFile* s : sources_) {
    if (&s->path == file) src = s;
  }
  return src;
}

namespace {

// ANSI colours as clang uses them: the location in bold, the severity in bold colour.
constexpr const char* kBold = "\x1b[1m";
constexpr const char* kReset = "\x1b[0m";
const char* SeverityColor(Severity s) {
  switch (s) {
    case Severity::kError:
      return "\x1b[1;31m";  // bold red
    case Severity::kWarning:
      return "\x1b[1;35m";  // bold magenta
    case Severity::kNote:
      return "\x1b[1;36m";  // bold cyan
  }
  return kBold;
}

// "file:line:col: severity: " with the location and the severity coloured when asked.
void AppendHead(std::string& out, const std::string& location, Severity severity, bool color) {
  if (color) out += kBold;
  out += location;
  out += ':';
  if (color) out += kReset;
  out += ' ';
  if (color) out += SeverityColor(severity);
  out += SeverityName(severity);
  out += ':';
  if (color) out += kReset;
  out += ' ';
}

}  // namespace

std::string DiagSink::Render(const TextStyle& style) const {
  std::string out;
  for (const Diagnostic& d : Sorted()) {
    std::string location = d.loc.file ? *d.loc.file : std::string("orchc");
    if (d.loc.line > 0) {
      location += ':' + std::to_string(d.loc.line) + ':' + std::to_string(d.loc.col);
    }
    AppendHead(out, location, d.severity, style.color);
    out += Printable(d.message);  // spec text quoted in a message cannot drive the terminal
    if (d.warning_class) {
      out += " [";
      out += WarningClassName(*d.warning_class);
      out += ']';
    }
    out += '\n';
    if (!style.show_source || d.loc.line == 0 || !d.loc.file) continue;
    const SourceFile* src = FindSource(d.loc.file);
    if (!src) continue;
    std::string_view line = src->Line(d.loc.line);
    if (line.size() > 200) continue;  // a huge line helps nobody; the position says enough
    out += "  ";
    out += Printable(line);
    out += "\n  ";
    uint32_t col = std::max<uint32_t>(d.loc.col, 1);
    for (uint32_t i = 1; i < col && i - 1 < line.size(); ++i) {
      out += line[i - 1] == '\t' ? '\t' : ' ';
    }
    out += '^';
    uint32_t avail = line.size() >= col ? static_cast<uint32_t>(line.size() - col) : 0;
    uint32_t tail = std::min(d.length > 0 ? d.length - 1 : 0, avail);
    out.append(tail, '~');
    out += '\n';
  }
  for (const FileErrors& f : per_file_) {
    if (f.reported <= kMaxErrorsPerFile) continue;
    AppendHead(out, f.file ? *f.file : std::string("orchc"), Severity::kNote, style.color);
    out += "too many errors: " + std::to_string(f.reported - kMaxErrorsPerFile) +
           " more not shown (the first " + std::to_string(kMaxErrorsPerFile) +
           " are above; fix those first)\n";
  }
  return out;
}

namespace {

using OJson = nlohmann::ordered_json;

}  // namespace

std::string DiagSink::RenderJson() const {
  OJson arr = OJson::array();
  auto add = [&](const std::string* file, uint32_t line, uint32_t col, uint32_t length,
                 Severity sev, std::optional<WarningClass> cls, const std::string& message) {
    OJson o = OJson::object();
    o["file"] = file ? OJson(*file) : OJson(nullptr);
    o["line"] = line > 0 ? OJson(line) : OJson(nullptr);
    o["column"] = line > 0 ? OJson(col) : OJson(nullptr);
    o["length"] = line > 0 ? OJson(length) : OJson(nullptr);
    o["severity"] = SeverityName(sev);
    o["class"] = cls ? OJson(std::string(WarningClassName(*cls))) : OJson(nullptr);
    o["message"] = message;
    arr.push_back(std::move(o));
  };
  for (const Diagnostic& d : SortedWithLimitNotes()) {
    add(d.loc.file, d.loc.line, d.loc.col, d.length, d.severity, d.warning_class, d.message);
  }
  return arr.dump(2, ' ', false, OJson::error_handler_t::replace) + "\n";
}

std::string DiagSink::RenderSarif(std::string_view tool_version) const {
  // Rules: "error" for every spec error, one per warning class, "note" for notes. ruleIndex
  // points into this list.
  OJson rules = OJson::array();
  auto rule = [](std::string_view id, std::string_view summary, const char* level) {
    OJson r = OJson::object();
    r["id"] = std::string(id);
    r["shortDescription"] = {{"text", std::string(summary)}};
    r["defaultConfiguration"] = {{"level", level}};
    return r;
  };
  rules.push_back(rule("error", "The spec is invalid and cannot be compiled", "error"));
  for (const WarningClassInfo& w : kWarningClasses) {
    rules.push_back(rule(w.name, w.summary, "warning"));
  }
  rules.push_back(rule("note", "Information about other diagnostics", "note"));
  auto rule_index = [](Severity sev, std::optional<WarningClass> cls) -> size_t {
    if (sev == Severity::kError) return 0;
    if (sev == Severity::kWarning && cls) {
      for (size_t i = 0; i < std::size(kWarningClasses); ++i) {
        if (kWarningClasses[i].cls == *cls) return i + 1;
      }
    }
    return std::size(kWarningClasses) + 1;
  };

  OJson results = OJson::array();
  auto add = [&](const std::string* file, uint32_t line, uint32_t col, uint32_t length,
                 Severity sev, std::optional<WarningClass> cls, const std::string& message) {
    size_t index = rule_index(sev, cls);
    OJson r = OJson::object();
    r["ruleId"] = rules[index]["id"];
    r["ruleIndex"] = index;
    r["level"] = SeverityName(sev);
    r["message"] = {{"text", message}};
    if (file) {
      OJson physical = OJson::object();
      physical["artifactLocation"] = {{"uri", *file}};
      OJson region = OJson::object();
      // A whole-file diagnostic points at its first line: code scanning needs a line.
      region["startLine"] = line > 0 ? line : 1;
      region["startColumn"] = line > 0 ? std::max<uint32_t>(col, 1) : 1;
      if (line > 0 && length > 1) region["endColumn"] = std::max<uint32_t>(col, 1) + length;
      physical["region"] = std::move(region);
      r["locations"] = OJson::array({{{"physicalLocation", std::move(physical)}}});
    }
    results.push_back(std::move(r));
  };
  for (const Diagnostic& d : SortedWithLimitNotes()) {
    add(d.loc.file, d.loc.line, d.loc.col, d.length, d.severity, d.warning_class, d.message);
  }

  OJson driver = OJson::object();
  driver["name"] = "orchc";
  driver["version"] = std::string(tool_version);
  driver["rules"] = std::move(rules);
  OJson run = OJson::object();
  run["tool"] = {{"driver", std::move(driver)}};
  run["results"] = std::move(results);
  OJson log = OJson::object();
  log["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  log["version"] = "2.1.0";
  log["runs"] = OJson::array({std::move(run)});
  return log.dump(2, ' ', false, OJson::error_handler_t::replace) + "\n";
}

std::string SpellCheck(std::string_view word, const std::vector<std::string>& candidates) {
  if (word.size() > 64 || candidates.size() > kMaxSpellCandidates) return {};
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
  size_t best = std::string::npos;
  std::string best_word;
  for (const std::string& cand : candidates) {
    if (cand.size() > 64) continue;
    // Case-insensitive edit distance counting a swap of neighbours as one edit (optimal
    // string alignment): "retyr" is one edit from "retry".
    std::vector<size_t> prev2(cand.size() + 1), prev(cand.size() + 1), row(cand.size() + 1);
    for (size_t j = 0; j <= cand.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= word.size(); ++i) {
      row[0] = i;
      for (size_t j = 1; j <= cand.size(); ++j) {
        size_t cost = lower(word[i - 1]) == lower(cand[j - 1]) ? 0 : 1;
        row[j] = std::min({prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost});
        if (i > 1 && j > 1 && lower(word[i - 1]) == lower(cand[j - 2]) &&
            lower(word[i - 2]) == lower(cand[j - 1])) {
          row[j] = std::min(row[j], prev2[j - 2] + 1);
        }
      }
      prev2.swap(prev);
      prev.swap(row);
    }
    row = prev;
    size_t d = row[cand.size()];
    if (d < best) {
      best = d;
      best_word = cand;
    }
  }
  // Allow about one edit per three characters, at least one, at most three.
  size_t allowed = std::clamp<size_t>(word.size() / 3, 1, 3);
  return best <= allowed ? best_word : std::string();
}

}  // namespace orchc
