// Schedule warnings. See schedule_warnings.h.
#include "schedule_warnings.h"

#include <cctype>
#include <cstdlib>
#include <ctime>
#include <deque>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "fire_times.h"
#include "overlap.h"
#include "schedule.h"
#include "spec.h"
#include "tzdb.h"

namespace orchc {

namespace {

constexpr int64_t kYear = 365 * 86400;

// The location of byte `offset` of an expression's text (as CheckExpression places errors).
SourceLoc At(const LocatedString& s, size_t offset) {
  SourceLoc at = s.loc;
  if (s.value.find('\n') == std::string::npos && at.line > 0) {
    at.col += static_cast<uint32_t>(offset) + (s.quoted ? 1 : 0);
  }
  return at;
}

// Byte offset and length of each field of "cron(f1 f2 ...)".
std::vector<std::pair<size_t, size_t>> CronFieldSpans(const std::string& v) {
  std::vector<std::pair<size_t, size_t>> spans;
  size_t i = 5;
  while (i < v.size() && v[i] != ')') {
    if (std::isspace(static_cast<unsigned char>(v[i]))) {
      ++i;
      continue;
    }
    size_t begin = i;
    while (i < v.size() && v[i] != ')' && !std::isspace(static_cast<unsigned char>(v[i]))) ++i;
    spans.emplace_back(begin, i - begin);
  }
  return spans;
}

std::string Hm(int64_t wall) { return FormatDateTime(wall).substr(11, 5); }
std::string Day(int64_t wall) { return FormatDateTime(wall).substr(0, 10); }

// A numeric day-of-week field: what it means in AWS cron, and the names a Unix cron reader
// meant (0 or 7 Sunday, 1 Monday). False when the field uses no numbers.
bool UnixStyleDays(const std::string& field, std::string* aws, std::string* unix_meant) {
  if (field.find_first_of("0123456789") == std::string::npos ||
      field.find_first_of("#L/") != std::string::npos) {
    return false;
  }
  aws->clear();
  unix_meant->clear();
  size_t start = 0;
  while (start <= field.size()) {
    size_t comma = field.find(',', start);
    std::string item =
        field.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    std::string a_text = item, u_text = item;
    size_t dash = item.find('-');
    auto num = [](const std::string& s, int* v) {
      if (s.empty() || !std::isdigit(static_cast<unsigned char>(s[0]))) return false;
      *v = std::atoi(s.c_str());
      return *v >= 1 && *v <= 7;
    };
    int a = 0, b = 0;
    if (dash == std::string::npos && num(item, &a)) {
      a_text = kCronDayNames[a - 1];
      u_text = kCronDayNames[a % 7];
    } else if (dash != std::string::npos && num(item.substr(0, dash), &a) &&
               num(item.substr(dash + 1), &b)) {
      a_text = std::string(kCronDayNames[a - 1]) + "-" + kCronDayNames[b - 1];
      if (a % 7 <= b % 7) {
        u_text = std::string(kCronDayNames[a % 7]) + "-" + kCronDayNames[b % 7];
      } else {
        u_text.clear();
        for (int d = a; d <= b; ++d)
          u_text += std::string(u_text.empty() ? "" : ",") + kCronDayNames[d % 7];
      }
    }
    *aws += (aws->empty() ? "" : ",") + a_text;
    *unix_meant += (unix_meant->empty() ? "" : ",") + u_text;
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return true;
}

// Why a cron schedule has no firing after `now`.
std::string NeverReason(const CronSpec& c, int64_t now) {
  int64_t y;
  unsigned m, d;
  CivilFromDays(now / 86400, &y, &m, &d);
  int last_year = -1;
  for (int i = 229; i >= 0; --i) {
    if (c.years.test(i)) {
      last_year = 1970 + i;
      break;
    }
  }
  if (last_year < y) return "its year field ends in " + std::to_string(last_year);
  return "no date from now on matches it";
}

void WarnDstChanges(const ScheduleSpec& s, const FireTimes& times, const TimeZone& zone,
                    int64_t now, DiagSink& sink) {
  // The zone's changes of offset in the next 12 months, to the second.
  std::vector<int64_t> changes;
  for (int64_t t = now; t < now + kYear; t += 86400) {
    if (zone.OffsetAt(t) == zone.OffsetAt(t + 86400)) continue;
    int64_t lo = t, hi = t + 86400;  // offset(lo) != offset(hi)
    while (hi - lo > 1) {
      int64_t mid = lo + (hi - lo) / 2;
      (zone.OffsetAt(mid) == zone.OffsetAt(lo) ? lo : hi) = mid;
    }
    changes.push_back(hi);
  }
  std::string dates;
  for (int64_t change : changes) {
    size_t skipped = 0, repeated = 0;
    int64_t first = 0, last = 0;
    for (const Firing& f : times.Next(change - 3 * 3600, 800)) {
      if (f.utc > change + 3 * 3600) break;
      if (f.note != DstNote::kSkipped && f.note != DstNote::kRepeated) continue;
      (f.note == DstNote::kSkipped ? skipped : repeated)++;
      if (skipped + repeated == 1) first = f.local;
      last = f.local;
    }
    const size_t n = skipped + repeated;
    if (n == 0) continue;
    std::string when = n == 1 ? Hm(first) : Hm(first) + " to " + Hm(last);
    std::string what =
        skipped
            ? (n == 1 ? when + " does not exist, the run is skipped"
                      : std::to_string(n) + " runs from " + when + " do not exist and are skipped")
            : (n == 1 ? when + " occurs twice, it runs once"
                      : std::to_string(n) + " runs from " + when + " occur twice, each runs once");
    dates += (dates.empty() ? "" : "; ") + Day(first) + ": " + what;
  }
  if (dates.empty()) return;
  sink.Warning(WarningClass::kScheduleDst, s.expression.loc,
               "this schedule's local time falls into daylight-saving changes of " +
                   std::string(zone.name()) + " in the next 12 months (" + dates +
                   "); choose a time outside the change, or see 'orchc schedule'",
               s.expression.written() ? s.expression.length : 1);
}

void WarnSchedule(const ScheduleSpec& s, DiagSink& sink, int64_t now) {
  const TimeZone* zone = s.timezone ? FindTimeZone(s.timezone->value) : &UtcZone();
  if (!zone || !s.enabled) return;
  FireSchedule fs;
  fs.expression = s.expression.value;
  fs.zone = zone;
  int64_t t;
  if (s.engine == TriggerEngine::kScheduler && s.start_date &&
      ParseRfc3339(s.start_date->value, &t))
    fs.start = t;
  if (s.engine == TriggerEngine::kScheduler && s.end_date && ParseRfc3339(s.end_date->value, &t))
    fs.end = t;
  FireTimes times;
  std::string error;
  if (!times.Init(fs, &error)) return;
  const uint32_t len = s.expression.written() ? s.expression.length : 1;
  const bool is_at = fs.expression.starts_with("at(");

  if (times.Next(now, 1).empty()) {
    const std::string now_text = FormatUtc(now);
    if (is_at) {
      sink.Warning(WarningClass::kScheduleNeverFires, s.expression.loc,
                   s.expression.value + " in " + zone->name() + " is before now (" + now_text +
                       "): this schedule never fires again",
                   len);
    } else if (fs.end && *fs.end <= now) {
      sink.Warning(WarningClass::kScheduleNeverFires, s.end_date->loc,
                   "endDate " + s.end_date->value + " is before now (" + now_text +
                       "): this schedule never fires again",
                   s.end_date->length);
    } else if (times.is_cron()) {
      sink.Warning(WarningClass::kScheduleNeverFires, s.expression.loc,
                   "this schedule never fires again: " + NeverReason(times.cron(), now) +
                       (fs.end ? " (before endDate " + s.end_date->value + ")" : ""),
                   len);
    } else if (fs.end) {
      sink.Warning(WarningClass::kScheduleNeverFires, s.end_date->loc,
                   "this schedule never fires again before endDate " + s.end_date->value,
                   s.end_date->length);
    }
  }

  if (!times.is_cron()) return;
  const auto spans = CronFieldSpans(s.expression.value);
  if (spans.size() == 6) {
    std::string field = s.expression.value.substr(spans[4].first, spans[4].second);
    std::string aws, unix_meant;
    if (UnixStyleDays(field, &aws, &unix_meant)) {
      sink.Warning(WarningClass::kScheduleUnixDayOfWeek, At(s.expression, spans[4].first),
                   "day-of-week '" + field + "' means " + aws +
                       " in AWS cron (1 is Sunday, 7 is Saturday); if you meant Unix cron's "
                       "numbering (1 is Monday), write " +
                       unix_meant,
                   static_cast<uint32_t>(spans[4].second));
    }
  }
  if (s.engine == TriggerEngine::kScheduler && zone != &UtcZone())
    WarnDstChanges(s, times, *zone, now, sink);
}

// Which workflows of a spec have executions that cannot outlive a known bound, memoized per
// workflow. CheckSpec refuses cycles of nested workflows; a cycle met anyway counts as unbounded
// (its entry is false while it is being computed), so the walk always ends.
class RunBounds {
 public:
  explicit RunBounds(const Spec& spec) {
    for (const WorkflowSpec& w : spec.workflows) by_name_[w.name] = &w;
  }

  // Whether an execution of `w` is bounded: an EXPRESS workflow (at most five minutes), a
  // workflow `timeout:`, or no step that can hang (UnboundedStep).
  bool Bounded(const WorkflowSpec& w) {
    if (w.express || w.timeout_s) return true;
    auto [it, inserted] = bounded_.try_emplace(w.name, false);
    if (!inserted) return it->second;
    const bool bounded = UnboundedStep(w) == nullptr;
    bounded_[w.name] = bounded;
    return bounded;
  }

  // A step of `w` (top-level steps first, then branches and map iterations, in order) that can
  // keep an execution running until Step Functions' execution limit: an ECS task without
  // `timeout:`, or a nested workflow step without `timeout:` whose child is not Bounded (an
  // imported state machine never is). nullptr when there is none.
  const StepSpec* UnboundedStep(const WorkflowSpec& w) {
    // A queue of step lists, not recursion: the walk is over user-sized input.
    std::deque<const StepList*> lists = {&w.steps};
    while (!lists.empty()) {
      const StepList* list = lists.front();
      lists.pop_front();
      for (const StepSpec& s : *list) {
        if (const auto* p = std::get_if<ParallelSpec>(&s.body)) {
          for (const StepList& b : p->branches) lists.push_back(&b);
        } else if (const auto* m = std::get_if<MapSpec>(&s.body)) {
          lists.push_back(&m->steps);
        } else if (s.timeout_s) {
          continue;
        } else if (std::holds_alternative<EcsTaskSpec>(s.body)) {
          return &s;
        } else if (const auto* n = std::get_if<NestedWorkflowSpec>(&s.body)) {
          auto child = n->workflow ? by_name_.find(n->workflow->value) : by_name_.end();
          if (child == by_name_.end() || !Bounded(*child->second)) return &s;
        }
      }
    }
    return nullptr;
  }

 private:
  std::map<std::string, const WorkflowSpec*> by_name_;
  std::map<std::string, bool> bounded_;
};

// schedule-without-timeout: a Standard workflow started by a schedule whose execution nothing
// bounds. Points at the first schedule's expression (scheduleExpression for orchestration:).
void WarnUnboundedRun(const WorkflowSpec& w, RunBounds& bounds, DiagSink& sink) {
  if (w.schedules.empty() || w.express || w.timeout_s) return;
  const StepSpec* step = bounds.UnboundedStep(w);
  if (!step) return;
  const bool task = std::holds_alternative<EcsTaskSpec>(step->body);
  std::string lease;
  if (w.overlap != Overlap::kAllow) {
    lease = "; its overlap lease expires after " + std::to_string(kDefaultLeaseSeconds / 3600) +
            " h without a timeout, so later ticks " +
            (w.overlap == Overlap::kSkip ? "are skipped" : "wait") +
            " until then, and the next one runs beside the hung execution";
  }
  const ScheduleSpec& s = w.schedules.front();
  sink.Warning(WarningClass::kScheduleWithoutTimeout, s.expression.loc,
               "workflow '" + w.name + "' runs on a schedule but has no timeout, and its " +
                   (task ? "task '" : "workflow step '") + step->name.value + "' " +
                   (task ? "has none either" : "has none and waits for a workflow without one") +
                   ": if it hangs, the execution runs until Step Functions' one-year limit" +
                   lease +
                   "; add timeout: to the workflow, a little above its longest expected run (or "
                   "a timeout: to every task" +
                   (task ? ")" : " and workflow step)"),
               s.expression.written() ? s.expression.length : 1);
}

}  // namespace

std::string WhyNeverFires(const FireSchedule& s, const FireTimes& times, int64_t t) {
  if (s.expression.starts_with("at(")) return "its at() time is before " + FormatUtc(t);
  if (s.end && *s.end <= t) return "its endDate is before " + FormatUtc(t);
  if (times.is_cron()) return NeverReason(times.cron(), t) + (s.end ? " before its endDate" : "");
  return "no firing before its endDate";
}

int64_t ScheduleWarningClock() {
  int64_t now;
  if (const char* env = std::getenv("ORCHC_NOW"); env && ParseRfc3339(env, &now)) return now;
  return static_cast<int64_t>(std::time(nullptr));
}

std::string ClockSettingError() {
  const char* env = std::getenv("ORCHC_NOW");
  int64_t now;
  if (!env || ParseRfc3339(env, &now)) return "";
  std::string shown;
  for (const char* p = env; *p && shown.size() < 64; ++p) {
    const auto c = static_cast<unsigned char>(*p);
    shown += c < 0x20 || c == 0x7f ? '?' : static_cast<char>(c);
  }
  return "ORCHC_NOW='" + shown +
         "' is not an RFC 3339 time such as 2026-12-01T09:00:00Z (it sets the clock of the "
         "schedule warnings); fix it or unset it";
}

void WarnSchedules(const Spec& spec, DiagSink& sink, int64_t now) {
  RunBounds bounds(spec);
  for (const WorkflowSpec& w : spec.workflows) {
    for (const ScheduleSpec& s : w.schedules) WarnSchedule(s, sink, now);
    WarnUnboundedRun(w, bounds, sink);
  }
}

}  // namespace orchc
