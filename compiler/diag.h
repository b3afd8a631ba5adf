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

// Errors kept per file; later ones are counted, not stored, and rendering says how many there
// were (a compiler's error limit: one root cause rarely needs more than a screenful).
inline constexpr size_t kMaxErrorsPerFile = 100;

// Collects diagnostics from every stage. Stages report and carry on; nothing is thrown across
// layers. Rendering happens once, at the end, in the order reported. At most kMaxErrorsPerFile
// errors are kept per file; error_count() still counts every error reported.
class DiagSink {
 public:
  void Error(SourceLoc loc, std::string message, uint32_t length = 1);
  void Warning(SourceLoc loc, std::string message, uint32_t length = 1);
  void Note(SourceLoc loc, std::string message, uint32_t length = 1);

  bool has_errors() const { return errors_ > 0; }
  // Whether some file has reached kMaxErrorsPerFile: a stage looping over many items may stop.
  bool saturated() const { return saturated_; }
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
  // Per file (keyed by SourceLoc::file): errors reported, and those not kept.
  struct FileErrors {
    const std::string* file;
    size_t reported = 0;
  };
  std::vector<FileErrors> per_file_;
  std::vector<Include> includes_;  // one per included file; a file is included once
  size_t errors_ = 0;
  bool saturated_ = false;
};

// Above this many candidates "did you mean" is not attempted: a guess among thousands of names
// is rarely right, and the cost (an edit distance per candidate) would grow with every error.
inline constexpr size_t kMaxSpellCandidates = 500;

// The closest candidate to `word` by edit distance, or "" when none is close enough to be a
// plausible typo (or there are more than kMaxSpellCandidates). Used for "did you mean" hints.
std::string SpellCheck(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace orchc
