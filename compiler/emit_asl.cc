// The ASL back end: one Amazon States Language file per workflow. The definition is written
// straight as text (JsonWriter); the CloudFormation back end embeds it with the same writer.
#include "backend.h"
#include "json_writer.h"

namespace orchc {

std::string Pretty(const Json& j) {
  return j.dump(2, ' ', false, Json::error_handler_t::strict) + "\n";
}

void WriteStrings(const std::vector<std::string>& items, JsonWriter& w) {
  w.BeginArray();
  for (const std::string& s : items) w.String(s);
  w.EndArray();
}

namespace {

void WriteRetrier(const Retrier& r, JsonWriter& w) {
  w.BeginObject();
  w.Key("ErrorEquals");
  WriteStrings(r.errors, w);
  w.Member("IntervalSeconds", r.interval_s);
  w.Member("MaxAttempts", r.max_attempts);
  w.Member("BackoffRate", Json(r.backoff_rate));
  if (r.max_delay_s) w.Member("MaxDelaySeconds", *r.max_delay_s);
  if (r.jitter) w.Member("JitterStrategy", *r.jitter);
  w.EndObject();
}

// ResultPath: nothing for ASL's default, null to discard the result, or the path.
void WriteResultPath(const ResultPath& rp, JsonWriter& w) {
  switch (rp.mode) {
    case ResultPathMode::kDefault:
      return;
    case ResultPathMode::kDiscard:
      w.Key("ResultPath");
      w.Null();
      return;
    case ResultPathMode::kPath:
      w.Member("ResultPath", rp.path);
      return;
  }
}

void WriteStates(const Graph& g, JsonWriter& w);

// Recursive with WriteStates over parallel branches and map steps, whose nesting is bounded by
// the loader's max_depth (64 levels of maps and lists, aliases included: yaml_tree.h); the states
// of one graph are written in a loop.
void WriteState(const State& s, JsonWriter& w) {
  w.BeginObject();
  w.Member("Type", s.type);
  for (const auto& [k, v] : s.fields.get_ref<const Json::object_t&>()) w.Member(k, v);
  if (s.type == "Parallel") {
    w.Key("Branches");
    w.BeginArray();
    for (const Graph& b : s.branches) {
      w.BeginObject();
      WriteStates(b, w);
      w.EndObject();
    }
    w.EndArray();
  } else if (s.type == "Map" && !s.branches.empty()) {
    w.Key("ItemProcessor");
    w.BeginObject();
    w.Key("ProcessorConfig");
    w.BeginObject();
    w.Member("Mode", "INLINE");
    w.EndObject();
    WriteStates(s.branches[0], w);
    w.EndObject();
  }
  WriteResultPath(s.result_path, w);
  if (s.timeout_s) w.Member("TimeoutSeconds", *s.timeout_s);
  if (!s.retry.empty()) {
    w.Key("Retry");
    w.BeginArray();
    for (const Retrier& r : s.retry) WriteRetrier(r, w);
    w.EndArray();
  }
  if (!s.catches.empty()) {
    w.Key("Catch");
    w.BeginArray();
    for (const Catcher& c : s.catches) {
      w.BeginObject();
      w.Key("ErrorEquals");
      WriteStrings(c.errors, w);
      WriteResultPath(c.result_path, w);
      w.Member("Next", c.next);
      w.EndObject();
    }
    w.EndArray();
  }
  if (s.next) w.Member("Next", *s.next);
  if (s.end) {
    w.Key("End");
    w.Bool(true);
  }
  w.EndObject();
}

// "StartAt" and "States" of a graph, as members of the object being written.
void WriteStartAt(const Graph& g, JsonWriter& w) { w.Member("StartAt", g.start_at); }
void WriteStateMap(const Graph& g, JsonWriter& w) {
  w.Key("States");
  w.BeginObject();
  for (const State& s : g.states) {
    w.Key(s.name);
    WriteState(s, w);
  }
  w.EndObject();
}
void WriteStates(const Graph& g, JsonWriter& w) {
  WriteStartAt(g, w);
  WriteStateMap(g, w);
}

class AslBackend : public Backend {
 public:
  void Emit(const StackIR& stack, const EmitOptions& options,
            std::vector<OutputFile>& out) const override {
    for (const WorkflowIR& wf : stack.workflows) {
      OutputFile& file = out.emplace_back();
      file.name = stack.name + "." + wf.name + kDefinitionFileSuffix;
      file.kind = OutputKind::kWorkflowDefinition;
      file.workflow = wf.name;
      JsonWriter w(file.content, options.compact ? -1 : 2);
      WriteAslDefinition(wf, w);
      file.content += '\n';
    }
  }
};

}  // namespace

void WriteAslDefinition(const WorkflowIR& wf, JsonWriter& w) {
  w.BeginObject();
  if (!wf.comment.empty()) w.Member("Comment", wf.comment);
  WriteStartAt(wf.graph, w);
  if (wf.timeout_s) w.Member("TimeoutSeconds", *wf.timeout_s);
  WriteStateMap(wf.graph, w);
  w.EndObject();
}

std::string CompactAslDefinition(const WorkflowIR& wf) {
  std::string text;
  JsonWriter w(text, -1);
  WriteAslDefinition(wf, w);
  return text;
}

std::unique_ptr<Backend> MakeAslBackend() { return std::make_unique<AslBackend>(); }

}  // namespace orchc
