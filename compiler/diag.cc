#include "diag.h"

#include <algorithm>
#include <deque>

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
  diags_.push_back({Severity::kError, loc, std::move(message), length});
}

void DiagSink::Warning(SourceLoc loc, std::string message, uint32_t length) {
  diags_.push_back({Severity::kWarning, loc, std::move(message), length});
}

void DiagSink::Note(SourceLoc loc, std::string message, uint32_t length) {
  diags_.push_back({Severity::kNote, loc, std::move(message), length});
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

std::string DiagSink::Render(bool show_source) const {
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
  std::deque<Diagnostic> notes;
  std::vector<const Diagnostic*> shown;
  for (const Diagnostic* d : sorted) {
    shown.push_back(d);
    const std::string* file = d->loc.file;
    for (int hops = 0; file && hops < 64; ++hops) {
      auto inc = std::find_if(includes_.begin(), includes_.end(),
                              [&](const Include& i) { return i.file == file; });
      if (inc == includes_.end()) break;
      notes.push_back({Severity::kNote, inc->from, "included from here", inc->length});
      shown.push_back(&notes.back());
      file = inc->from.file;
    }
  }
  std::string out;
  for (const Diagnostic* dp : shown) {
    const Diagnostic& d = *dp;
    const std::string file = d.loc.file ? *d.loc.file : std::string("orchc");
    out += file;
    if (d.loc.line > 0) {
      out += ':' + std::to_string(d.loc.line) + ':' + std::to_string(d.loc.col);
    }
    out += ": ";
    out += SeverityName(d.severity);
    out += ": ";
    out += Printable(d.message);  // spec text quoted in a message cannot drive the terminal
    out += '\n';
    if (!show_source || d.loc.line == 0 || !d.loc.file) continue;
    const SourceFile* src = nullptr;
    for (const SourceFile* s : sources_) {
      if (&s->path == d.loc.file) src = s;
    }
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
    out += (f.file ? *f.file : std::string("orchc")) + ": note: too many errors: " +
           std::to_string(f.reported - kMaxErrorsPerFile) + " more not shown (the first " +
           std::to_string(kMaxErrorsPerFile) + " are above; fix those first)\n";
  }
  return out;
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
