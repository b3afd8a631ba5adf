// Desugaring of a schedule: an entry of `schedules:` (or `schedule:`) with its default name and
// its trigger engine.
#include <string>

#include "spec_build_internal.h"

namespace orchc::spec_build_detail {

ScheduleSpec Builder::ReadSchedule(const YNode* n, const WorkflowSpec& w, const Vars& wv) {
  ScheduleSpec s;
  s.loc = n->loc;
  size_t index = w.schedules.size();
  std::string suffix = index == 0 ? "" : "-" + std::to_string(index + 1);
  s.name = Str(n->Get("name"), w.rule_name.value + suffix, wv,
               n->Get("name") ? Expansion::kExpand : Expansion::kLiteral);
  if (!n->Get("name")) s.name.loc = w.rule_name.written() ? w.rule_name.loc : n->loc;
  s.expression = Str(n->Get("expression"), "", wv, Expansion::kLiteral);
  if (const YNode* en = n->Get("enabled")) AsBool(*en, &s.enabled);
  if (const YNode* eng = n->Get("engine")) {
    s.engine = eng->value == "scheduler" ? TriggerEngine::kScheduler : TriggerEngine::kRule;
    s.engine_loc = eng->loc;
  }
  s.timezone = OptStr(n->Get("timezone"), wv, Expansion::kLiteral);
  s.input = n->Get("input");
  s.group = OptStr(n->Get("group"), wv, Expansion::kExpand);
  if (const YNode* f = n->Get("flexibleWindow")) {
    s.flexible_window_s = Duration(f);
    s.flexible_loc = f->loc;
  }
  s.start_date = OptStr(n->Get("startDate"), wv, Expansion::kLiteral);
  s.end_date = OptStr(n->Get("endDate"), wv, Expansion::kLiteral);
  if (const YNode* r = n->Get("retry")) {
    if (const YNode* a = r->Get("attempts")) {
      int64_t v = -1;
      AsInt(*a, &v);
      s.retry_attempts = {{v, a->loc}};
    }
    if (const YNode* a = r->Get("maxEventAge")) {
      s.max_event_age_s = {{Duration(a), a->loc}};
    }
  }
  s.dead_letter_queue = OptStr(n->Get("deadLetterQueue"), wv, Expansion::kLiteral);
  return s;
}

}  // namespace orchc::spec_build_detail
