#ifndef BATCH_JOB_REDACTOR_H_
#define BATCH_JOB_REDACTOR_H_

#include <string>
#include <string_view>
#include <vector>

namespace batch {

// The secrets of one process (password, secret JSON, DATABASE_URL, ...), registered as soon as
// they are read from the environment. Every string that reaches a log line passes through Scrub,
// so libpq or parser messages that echo connection parameters cannot leak them.
class Redactor {
 public:
  static constexpr std::string_view kMask = "***";

  // Secrets shorter than this cannot be told apart from ordinary text (a password "day" occurs
  // in "yesterday"): a value containing one is masked whole, which also hides where it occurred.
  static constexpr size_t kMinInlineLength = 4;

  // Registers a secret; empty strings are ignored. Longer secrets are replaced first, so a URL is
  // masked whole rather than around its password.
  void Add(std::string_view secret);
  // `text` (one value from outside the program) with every occurrence of a secret replaced by
  // kMask; "***" as a whole when it contains a secret shorter than kMinInlineLength.
  std::string Scrub(std::string_view text) const;

 private:
  std::vector<std::string> secrets_;  // sorted by decreasing length, no duplicates
};

}  // namespace batch

#endif  // BATCH_JOB_REDACTOR_H_
