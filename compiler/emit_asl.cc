// The ASL back end: one Amazon States Language file per workflow.
#include "backend.h"

namespace orchc {

std::string Pretty(const Json& j) {
  return j.dump(2, ' ', false, Json::error_handler_t::strict) + "\n";
}

namespace {

Json RetrierJson(const Retrier& r) {
  Json j = Json::object();
  j["ErrorEquals"] = r.errors;
  j["IntervalSeconds"] = r.interval_s;
  j["MaxAttempts"] = r.max_attempts;
  j["BackoffRate"] = r.backoff_rate;
  if (r.max_delay_s > 0) j["MaxDelaySeconds"] = r.max_delay_s;
  if (!r.jitter.empty()) j["JitterStrategy"] = r.jitter;
  return j;
}

Json StateJson(const State& s) {
  Json j = Json::object();
  j["Type"] = s.type;
  for (const auto& [k, v] : s.fields.items()) j[k] = v;
  if (!s.result_path.empty()) j["ResultPath"] = s.result_path;
  if (s.timeout_s > 0) j["TimeoutSeconds"] = s.timeout_s;
  if (!s.retry.empty()) {
    Json retry = Json::array();
    for (const Retrier& r : s.retry) retry.push_back(RetrierJson(r));
    j["Retry"] = retry;
  }
  if (!s.catches.empty()) {
    Json catches = Json::array();
    for (const Catcher& c : s.catches) {
      catches.push_back(
          {{"ErrorEquals", c.errors}, {"ResultPath", c.result_path}, {"Next", c.next}});
    }
    j["Catch"] = catches;
  }
  if (!s.next.empty()) j["Next"] = s.next;
  if (s.end) j["End"] = true;
  return j;
}

class AslBackend : public Backend {
 public:
  const char* name() const override { return "asl"; }
  void Emit(const StackIR& stack, const EmitOptions&, std::vector<OutputFile>& out) const override {
    for (const WorkflowIR& wf : stack.workflows) {
      out.push_back({stack.name + "." + wf.name + ".asl.json", Pretty(AslDefinition(wf))});
    }
  }
};

}  // namespace

Json AslDefinition(const WorkflowIR& wf) {
  Json j = Json::object();
  if (!wf.comment.empty()) j["Comment"] = wf.comment;
  j["StartAt"] = wf.start_at;
  Json states = Json::object();
  for (const State& s : wf.states) states[s.name] = StateJson(s);
  j["States"] = states;
  return j;
}

std::unique_ptr<Backend> MakeAslBackend() { return std::make_unique<AslBackend>(); }

}  // namespace orchc
