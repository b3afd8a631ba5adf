// Diagnostics: located messages collected in a sink and rendered once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace orchc {

// A position in a spec file. `line` and `col` are 1-based; col counts bytes of UTF-8 text,
// like gcc and clang. line 0 means "the file as a whole" (no position).
struct SourceLoc {
  const std::string* file = nullptr;  // owned by the SourceFile, lives as long as it
  uint32_t line = 0;
  uint32_t col = 0;
};

enum class Severity { kError, kWarning, kNote };

struct Diagnostic {
  Severity severity = Severity::kError;
  SourceLoc loc;
  std::string message;
  uint32_t length = 1;  // how many bytes the caret underline covers
};

// The text of one spec file, kept for rendering source lines under diagnostics.
struct SourceFile {
  std::string path;
  std::string text;
  // Returns line `line` (1-based) without its end-of-line characters, or "" when out of range.
  std::string_view Line(uint32_t line) const;
};

// Collects diagnostics from every stage. Stages report and carry on; nothing is thrown across
// layers. Rendering happens once, at the end, in the order reported.
class DiagSink {
 public:
  void Error(SourceLoc loc, std::string message, uint32_t length = 1);
  void Warning(SourceLoc loc, std::string message, uint32_t length = 1);
  void Note(SourceLoc loc, std::string message, uint32_t length = 1);

  bool has_errors() const { return errors_ > 0; }
  size_t error_count() const { return errors_; }
  const std::vector<Diagnostic>& diagnostics() const { return diags_; }

  // Registers the text of a file so that rendering can show its lines.
  void AddSource(const SourceFile* file) { sources_.push_back(file); }

  // Marks `file` (a registered SourceFile's path) as read because of the text at `from` (an
  // `extends:` value in another file): every diagnostic in `file` is rendered followed by
  // "note: included from here" at `from`, and so on up the chain of files.
  void SetIncludedFrom(const std::string* file, SourceLoc from, uint32_t length = 1) {
    includes_.push_back({file, from, length});
  }

  // "file:line:col: error: message" followed by the source line and a caret, per diagnostic.
  std::string Render(bool show_source = true) const;

 private:
  std::vector<Diagnostic> diags_;
  struct Include {
    const std::string* file;
    SourceLoc from;
    uint32_t length;
  };
  std::vector<const SourceFile*> sources_;
  std::vector<Include> includes_;  // one per included file; a file is included once
  size_t errors_ = 0;
};

// The closest candidate to `word` by edit distance, or "" when none is close enough to be a
// plausible typo. Used for "did you mean" hints.
std::string SpellCheck(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace orchc
