// Diagnostics: located messages collected in a sink and rendered once.
#pragma once

#include <bitset>
#include <cstdint>
#include <iterator>
#include <optional>
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

// Every warning belongs to one class, named in kebab-case: text output ends the warning with
// "[name]", JSON and SARIF carry it, and `--no-warn=name` silences it. The names are a stable
// interface (users write them in CI configuration): never rename one. Adding a class is one
// line here: X(enumerator, "name", "one-line description used as the SARIF rule's summary").
#define ORCHC_WARNING_CLASSES(X)                                                            \
  X(kNoWorkflows, "no-workflows", "The spec defines no workflows")                          \
  X(kExportLockIn, "export-lock-in",                                                        \
    "An imported task definition ARN pins a revision of the exporting stack")               \
  X(kInlineTemplateSize, "inline-template-size",                                            \
    "The template is too large to deploy inline and must go through S3")                    \
  X(kScheduleNeverFires, "schedule-never-fires",                                            \
    "A schedule will not fire again: at() or endDate passed, or its cron years all passed") \
  X(kScheduleDst, "schedule-dst",                                                           \
    "A schedule's local time falls into a daylight-saving change in the next 12 months")    \
  X(kScheduleUnixDayOfWeek, "schedule-unix-day-of-week",                                    \
    "A numeric day-of-week written as in Unix cron: AWS counts 1 as Sunday")                \
  X(kAdoptStaleEntry, "adopt-stale-entry",                                                  \
    "An entry of the adoption sidecar names a resource the stack no longer has")            \
  X(kNearLimit, "near-limit",                                                               \
    "A size or count of the template is above 80% of its AWS limit (orchc explain)")        \
  X(kScheduleWithoutTimeout, "schedule-without-timeout",                                    \
    "A scheduled workflow has no timeout and a task that can hang until the 1-year limit")  \
  X(kLiteralPlaceholder, "literal-placeholder",                                             \
    "${env} or ${workflow} written where it is not replaced: it stays literal text")

enum class WarningClass : uint8_t {
#define ORCHC_WARNING_ENUM(e, name, summary) e,
  ORCHC_WARNING_CLASSES(ORCHC_WARNING_ENUM)
#undef ORCHC_WARNING_ENUM
};

// A warning class's name and summary, by class.
struct WarningClassInfo {
  WarningClass cls;
  std::string_view name;
  std::string_view summary;
};
inline constexpr WarningClassInfo kWarningClasses[] = {
#define ORCHC_WARNING_INFO(e, name, summary) {WarningClass::e, name, summary},
    ORCHC_WARNING_CLASSES(ORCHC_WARNING_INFO)
#undef ORCHC_WARNING_INFO
};
static_assert(std::size(kWarningClasses) <= 64, "DiagSink keeps silenced classes in 64 bits");

std::string_view WarningClassName(WarningClass cls);
// The class named `name`, or nullopt.
std::optional<WarningClass> FindWarningClass(std::string_view name);

struct Diagnostic {
  Severity severity = Severity::kError;
  SourceLoc loc;
  std::string message;
  uint32_t length = 1;                        // how many bytes the caret underline covers
  std::optional<WarningClass> warning_class;  // set on warnings only
};

// How the text format is rendered.
struct TextStyle {
  bool show_source = true;  // the source line and a caret under each located diagnostic
  bool color = false;       // ANSI colours on the location and the severity, as clang does
};

// Whether text diagnostics get colour. `mode` is "always", "never" or "auto"; auto colours
// when the stream is a terminal and NO_COLOR is unset or empty (https://no-color.org).
bool WantColor(std::string_view mode, bool is_terminal, const char* no_color_env);

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
  // A warning of class `cls`; dropped when that class is silenced.
  void Warning(WarningClass cls, SourceLoc loc, std::string message, uint32_t length = 1);

  bool has_errors() const { return errors_ > 0; }
  // Whether some file has reached kMaxErrorsPerFile: a stage looping over many items may stop.
  bool saturated() const { return saturated_; }
  size_t error_count() const { return errors_; }
  size_t warning_count() const { return warnings_; }  // silenced ones not included

  // Warnings of class `cls` reported from now on are dropped.
  void Silence(WarningClass cls) { silenced_.set(static_cast<size_t>(cls)); }
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
  // Warnings end with their class, " [export-lock-in]".
  std::string Render(bool show_source = true) const { return Render(TextStyle{show_source}); }
  std::string Render(const TextStyle& style) const;

  // The diagnostics as a JSON array (docs/cli.md, "Diagnostics"): one object per diagnostic
  // with file, line, column, length, severity, class and message.
  std::string RenderJson() const;
  // The diagnostics as a SARIF 2.1.0 log with one run whose tool is orchc `tool_version`.
  std::string RenderSarif(std::string_view tool_version) const;

 private:
  struct Include {
    const std::string* file;
    SourceLoc from;
    uint32_t length;
  };
  std::vector<Include> includes_;  // one per included file; a file is included once
  std::vector<Diagnostic> diags_;
  std::vector<const SourceFile*> sources_;
  // Per file (keyed by SourceLoc::file): errors reported, and those not kept.
  struct FileErrors {
    const std::string* file;
    size_t reported = 0;
  };
  std::vector<FileErrors> per_file_;
  size_t errors_ = 0;
  size_t warnings_ = 0;
  std::bitset<64> silenced_;
  bool saturated_ = false;

  // Diagnostics in reading order: by file (as added), then line and column.
  // The diagnostics in reading order, each in an included file followed by its include chain.
  std::vector<Diagnostic> Sorted() const;
  // Sorted(), then a note per file whose errors went over kMaxErrorsPerFile (JSON, SARIF).
  std::vector<Diagnostic> SortedWithLimitNotes() const;
  const SourceFile* FindSource(const std::string* file) const;
};

// Above this many candidates "did you mean" is not attempted: a guess among thousands of names
// is rarely right, and the cost (an edit distance per candidate) would grow with every error.
inline constexpr size_t kMaxSpellCandidates = 500;

// The closest candidate to `word` by edit distance, or "" when none is close enough to be a
// plausible typo (or there are more than kMaxSpellCandidates). Used for "did you mean" hints.
std::string SpellCheck(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace orchc
