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

Json GraphJson(const Graph& g);

Json StateJson(const State& s) {
  Json j = Json::object();
  j["Type"] = s.type;
  for (const auto& [k, v] : s.fields.items()) j[k] = v;
  if (s.type == "Parallel") {
    Json branches = Json::array();
    for (const Graph& b : s.branches) branches.push_back(GraphJson(b));
    j["Branches"] = branches;
  } else if (s.type == "Map" && !s.branches.empty()) {
    Json processor = {{"ProcessorConfig", {{"Mode", "INLINE"}}}};
    Json g = GraphJson(s.branches[0]);
    for (const auto& [k, v] : g.items()) processor[k] = v;
    j["ItemProcessor"] = processor;
  }
  if (s.result_path_null) {
    j["ResultPath"] = nullptr;
  } else if (!s.result_path.empty()) {
    j["ResultPath"] = s.result_path;
  }
  if (s.timeout_s > 0) j["TimeoutSeconds"] = s.timeout_s;
  if (!s.retry.empty()) {
    Json retry = Json::array();
    for (const Retrier& r : s.retry) retry.push_back(RetrierJson(r));
    j["Retry"] = retry;
  }
  if (!s.catches.empty()) {
    Json catches = Json::array();
    for (const Catcher& c : s.catches) {
      Json rp = c.result_path.empty() ? Json(nullptr) : Json(c.result_path);
      catches.push_back({{"ErrorEquals", c.errors}, {"ResultPath", rp}, {"Next", c.next}});
    }
    j["Catch"] = catches;
  }
  if (!s.next.empty()) j["Next"] = s.next;
  if (s.end) j["End"] = true;
  return j;
}

Json GraphJson(const Graph& g) {
  Json j = Json::object();
  j["StartAt"] = g.start_at;
  Json states = Json::object();
  for (const State& s : g.states) states[s.name] = StateJson(s);
  j["States"] = states;
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
  Json g = GraphJson(wf.graph);
  j["StartAt"] = g["StartAt"];
  if (wf.timeout_s > 0) j["TimeoutSeconds"] = wf.timeout_s;
  j["States"] = g["States"];
  return j;
}

std::unique_ptr<Backend> MakeAslBackend() { return std::make_unique<AslBackend>(); }

}  // namespace orchc
