// libFuzzer target: the EventBridge schedule expression checker alone (cron/rate).
// Checks that issues are sorted, lie inside the expression, carry a message, and that a valid
// expression fills the parsed form consistently.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "schedule.h"

namespace {
[[noreturn]] void Violation(const char* what) {
  std::fprintf(stderr, "fuzz_schedule: invariant violated: %s\n", what);
  std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view expr(reinterpret_cast<const char*>(data), size);
  orchc::Schedule parsed;
  auto issues = orchc::CheckScheduleExpression(expr, &parsed);
  // schedule.h promises issues sorted by offset (regressions/fuzz_schedule/unsorted-early-return
  // once broke it).
  size_t last = 0;
  for (const auto& issue : issues) {
    if (issue.offset < last) Violation("issues are not sorted by offset");
    if (issue.offset > size || issue.length > size - issue.offset)
      Violation("issue outside the text");
    if (issue.message.empty()) Violation("issue without a message");
    last = issue.offset;
  }
  if (issues.empty()) {
    if (parsed.kind == orchc::ScheduleKind::kCron && parsed.cron_fields.size() != 6)
      Violation("valid cron without 6 fields");
    if (parsed.kind == orchc::ScheduleKind::kRate &&
        (parsed.rate_value < 1 || parsed.rate_unit.empty()))
      Violation("valid rate with a bad value or unit");
  }
  return 0;
}
