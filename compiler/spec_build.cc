// Desugaring: a schema-valid YAML tree -> Spec, with defaults and ${...} expansion.
#include <algorithm>

#include "spec.h"

namespace orchc {

const std::vector<std::pair<std::string, std::string>>& StandardImports() {
  static const std::vector<std::pair<std::string, std::string>> kImports = {
      {"cluster", "${env}-EcsClusterName"},
      {"taskDefinition", "${env}-TaskDefinitionArn"},
      {"taskRole", "${env}-TaskRoleArn"},
      {"executionRole", "${env}-TaskExecutionRoleArn"},
      {"subnets", "${env}-PrivateSubnetIds"},
      {"securityGroup", "${env}-EcsSecurityGroupId"},
      {"alertsTopic", "${env}-CriticalAlertsTopicArn"},
  };
  return kImports;
}

namespace {

struct Vars {
  std::string env;
  std::string workflow;  // empty outside a workflow
};

class Builder {
 public:
  Builder(const YamlDoc& doc, DiagSink& sink) : doc_(doc), sink_(sink) {}

  bool Build(Spec& spec) {
    const YNode* root = doc_.root;
    spec.source = doc_.source.get();
    file_loc_ = SourceLoc{&doc_.source->path, 0, 0};
    const YNode* env = root->Get("env");
    spec.env = env->value;
    spec.env_loc = env->loc;
    Vars vars{spec.env, ""};

    const YNode* stack = root->Get("stack");
    spec.stack_name = Str(stack ? stack->Get("name") : nullptr, "OrchestrationStack-${env}", vars);
    spec.description =
        Str(stack ? stack->Get("description") : nullptr, "Scheduled batch workflows (${env})", vars);
    if (const YNode* tags = stack ? stack->Get("tags") : nullptr) {
      for (const YNode::Entry& e : tags->entries) {
        LocatedString k{e.key, e.key_loc, static_cast<uint32_t>(e.key.size()), false, false};
        LocatedString v{e.value->value, e.value->loc, e.value->length, e.value->quoted, false};
        spec.tags.emplace_back(k, v);
      }
      std::sort(spec.tags.begin(), spec.tags.end(),
                [](const auto& a, const auto& b) { return a.first.value < b.first.value; });
    }

    const YNode* imports = root->Get("imports");
    for (const auto& [name, def] : StandardImports()) {
      spec.imports[name] = ImportSpec{Expand(def, vars, file_loc_, false), file_loc_, true};
    }
    if (imports) {
      for (const YNode::Entry& e : imports->entries) {
        spec.imports[e.key] =
            ImportSpec{Expand(e.value->value, vars, e.value->loc, e.value->quoted), e.value->loc,
                       false};
      }
    }

    LogsSpec logs;
    ReadLogs(root->Get("logs"), logs);
    bool tracing = true;
    if (const YNode* t = root->Get("tracing")) AsBool(*t, &tracing);

    if (const YNode::Entry* orch = root->Find("orchestration")) {
      WorkflowSpec w = Defaults("sample-batch", orch->key_loc, logs, tracing, vars);
      const YNode* o = orch->value;
      w.from_orchestration = true;
      Vars wv{spec.env, w.name};
      w.state_machine_role_name = Str(nullptr, "stepfunctions-role-${env}", wv);
      w.rule_role_name = Str(nullptr, "eventbridge-role-${env}", wv);
      w.has_schedule = true;
      const YNode* expr = o->Get("scheduleExpression");
      w.schedule = Str(expr, "", wv, /*expand=*/false);
      AsBool(*o->Get("enabled"), &w.schedule_enabled);
      const YNode* path = o->Get("batchScriptPath");
      if (const YNode* interp = o->Get("interpreter")) w.command.push_back(Str(interp, "", wv, false));
      w.command.push_back(Str(path, "", wv, false));
      w.command_loc = path->loc;
      w.description = Str(nullptr, DefaultDescription(w), wv, false);
      w.state_machine_role_name.loc = w.rule_role_name.loc = w.description.loc = orch->key_loc;
      spec.workflows.push_back(std::move(w));
    }

    if (const YNode* wfs = root->Get("workflows")) {
      for (const YNode::Entry& e : wfs->entries) {
        bool clash = false;
        for (const WorkflowSpec& other : spec.workflows) {
          if (other.name == e.key) {
            sink_.Error(e.key_loc,
                        "workflow '" + e.key +
                            "' is already defined by the orchestration: block (line " +
                            std::to_string(other.loc.line) + "); rename one of them",
                        static_cast<uint32_t>(e.key.size()));
            clash = true;
            failed_ = true;
          }
        }
        if (clash) continue;
        spec.workflows.push_back(ReadWorkflow(e, logs, tracing, spec.env));
      }
    }
    std::sort(spec.workflows.begin(), spec.workflows.end(),
              [](const WorkflowSpec& a, const WorkflowSpec& b) { return a.name < b.name; });
    return !failed_;
  }

 private:
  static std::string DefaultDescription(const WorkflowSpec& w) {
    return "Starts the " + w.name + " workflow on " + w.schedule.value + " (UTC)";
  }

  WorkflowSpec Defaults(const std::string& name, SourceLoc loc, const LogsSpec& logs,
                        bool tracing, const Vars& vars) {
    WorkflowSpec w;
    w.name = name;
    w.loc = loc;
    w.logs = logs;
    w.tracing = tracing;
    Vars wv{vars.env, name};
    w.container = Str(nullptr, "backend", wv, false);
    RetrySpec r;
    r.loc = loc;
    r.errors.push_back(Str(nullptr, "States.TaskFailed", wv, false));
    w.retry.push_back(r);
    w.notify = Str(nullptr, "alertsTopic", wv, false);
    w.subject = Str(nullptr, "[${env}] Batch Execution Failed", wv);
    w.state_machine_name = Str(nullptr, "${env}-${workflow}-workflow", wv);
    w.rule_name = Str(nullptr, "${env}-${workflow}-schedule", wv);
    w.state_machine_role_name = Str(nullptr, "${env}-${workflow}-sfn-role", wv);
    w.rule_role_name = Str(nullptr, "${env}-${workflow}-events-role", wv);
    w.log_group_name =
        Str(nullptr, "/aws/stepfunctions/" + w.state_machine_name.value, wv, false);
    for (LocatedString* s : {&w.container, &w.notify, &w.subject, &w.state_machine_name,
                             &w.rule_name, &w.state_machine_role_name, &w.rule_role_name,
                             &w.log_group_name}) {
      s->loc = loc;
    }
    w.retry[0].errors[0].loc = loc;
    return w;
  }

  WorkflowSpec ReadWorkflow(const YNode::Entry& e, const LogsSpec& logs, bool tracing,
                            const std::string& env) {
    Vars wv{env, e.key};
    WorkflowSpec w = Defaults(e.key, e.key_loc, logs, tracing, wv);
    const YNode* n = e.value;
    if (const YNode* s = n->Get("schedule")) {
      w.has_schedule = true;
      w.schedule = Str(s->Get("expression"), "", wv, false);
      if (const YNode* en = s->Get("enabled")) AsBool(*en, &w.schedule_enabled);
    }
    w.description = Str(n->Get("description"), DefaultDescription(w), wv, false);
    if (!w.has_schedule && !n->Get("description")) {
      w.description.value = "Runs the " + w.name + " workflow";
    }

    const YNode* task = n->Get("task");
    if (const YNode* c = task->Get("container")) w.container = Str(c, "", wv, false);
    const YNode* cmd = task->Get("command");
    w.command_loc = cmd->loc;
    for (const YNode* arg : cmd->items) w.command.push_back(Str(arg, "", wv, false));
    if (const YNode* r = task->Get("retry")) {
      w.retry.clear();
      if (r->IsMap()) {
        w.retry.push_back(ReadRetry(r, wv));
      } else {
        for (const YNode* item : r->items) w.retry.push_back(ReadRetry(item, wv));
      }
    }
    if (const YNode* t = task->Get("timeout")) {
      w.timeout_s = Duration(t);
      w.timeout_loc = t->loc;
    }
    if (const YNode* pv = task->Get("platformVersion")) w.platform_version = pv->value;
    if (const YNode* ip = task->Get("assignPublicIp")) AsBool(*ip, &w.assign_public_ip);

    if (const YNode* f = n->Get("onFailure")) {
      bool b = true;
      if (AsBool(*f, &b)) {
        w.catch_failure = b;
      } else {
        if (const YNode* t = f->Get("notify")) w.notify = Str(t, "", wv, false);
        if (const YNode* s = f->Get("subject")) w.subject = Str(s, "", wv);
        if (const YNode* end = f->Get("end")) w.end_failed = end->value == "fail";
      }
    }
    if (const YNode* names = n->Get("names")) {
      if (const YNode* v = names->Get("stateMachine")) {
        w.state_machine_name = Str(v, "", wv);
        w.log_group_name.value = "/aws/stepfunctions/" + w.state_machine_name.value;
      }
      if (const YNode* v = names->Get("rule")) w.rule_name = Str(v, "", wv);
      if (const YNode* v = names->Get("stateMachineRole")) w.state_machine_role_name = Str(v, "", wv);
      if (const YNode* v = names->Get("ruleRole")) w.rule_role_name = Str(v, "", wv);
      if (const YNode* v = names->Get("logGroup")) w.log_group_name = Str(v, "", wv);
    }
    ReadLogs(n->Get("logs"), w.logs);
    if (const YNode* t = n->Get("tracing")) AsBool(*t, &w.tracing);
    return w;
  }

  RetrySpec ReadRetry(const YNode* r, const Vars& wv) {
    RetrySpec spec;
    spec.loc = r->loc;
    spec.interval_loc = spec.max_attempts_loc = spec.backoff_loc = spec.max_delay_loc = r->loc;
    if (const YNode* on = r->Get("on")) {
      for (const YNode* e : on->items) spec.errors.push_back(Str(e, "", wv, false));
    } else {
      spec.errors.push_back(Str(nullptr, "States.TaskFailed", wv, false));
      spec.errors.back().loc = r->loc;
    }
    if (const YNode* v = r->Get("interval")) {
      spec.interval_s = Duration(v);
      spec.interval_loc = v->loc;
    }
    if (const YNode* v = r->Get("maxAttempts")) {
      if (!AsInt(*v, &spec.max_attempts)) spec.max_attempts = -1;
      spec.max_attempts_loc = v->loc;
    }
    if (const YNode* v = r->Get("backoffRate")) {
      AsNumber(*v, &spec.backoff_rate);
      spec.backoff_loc = v->loc;
    }
    if (const YNode* v = r->Get("maxDelay")) {
      spec.max_delay_s = Duration(v);
      spec.max_delay_loc = v->loc;
    }
    if (const YNode* v = r->Get("jitter")) spec.jitter = v->value;
    return spec;
  }

  void ReadLogs(const YNode* n, LogsSpec& logs) {
    if (!n) return;
    if (const YNode* v = n->Get("retentionDays")) {
      if (!AsInt(*v, &logs.retention_days)) logs.retention_days = -1;
      logs.retention_loc = v->loc;
    }
    if (const YNode* v = n->Get("removalPolicy")) logs.retain = v->value == "retain";
    if (const YNode* v = n->Get("level")) logs.level = v->value;
    if (const YNode* v = n->Get("includeExecutionData")) AsBool(*v, &logs.include_execution_data);
  }

  // Seconds of a duration node: whole seconds, or "1h30m"-style text. -1 when invalid.
  int64_t Duration(const YNode* n) {
    int64_t secs = 0;
    if (AsInt(*n, &secs)) return secs;
    const std::string& s = n->value;
    if (s.empty()) {
      sink_.Error(n->loc, "empty duration; write whole seconds or a string like 30s, 5m, 2h");
      failed_ = true;
      return -1;
    }
    int64_t total = 0, num = 0;
    size_t digits = 0;
    for (char c : s) {
      if (c >= '0' && c <= '9') {
        if (++digits > 9) {
          sink_.Error(n->loc, "duration '" + s + "' is too large", n->length);
          failed_ = true;
          return -1;
        }
        num = num * 10 + (c - '0');
        continue;
      }
      int64_t unit = c == 'h' ? 3600 : c == 'm' ? 60 : 1;
      total += num * unit;
      num = 0;
      digits = 0;
    }
    return total;
  }

  LocatedString Str(const YNode* n, const std::string& def, const Vars& vars, bool expand = true) {
    if (!n) {
      return LocatedString{expand ? Expand(def, vars, file_loc_, false) : def, file_loc_, 1,
                           false, true};
    }
    return LocatedString{expand ? Expand(n->value, vars, n->loc, n->quoted) : n->value, n->loc,
                         n->length, n->quoted, false};
  }

  // Replaces ${env} and ${workflow}; $${ stands for a literal ${. Anything else is an error.
  std::string Expand(const std::string& text, const Vars& vars, SourceLoc loc, bool quoted) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text.compare(i, 3, "$${") == 0) {
        out += "${";
        i += 2;
        continue;
      }
      if (text.compare(i, 2, "${") != 0) {
        out += text[i];
        continue;
      }
      size_t close = text.find('}', i + 2);
      SourceLoc at = loc;
      if (at.line > 0) at.col += static_cast<uint32_t>(i) + (quoted ? 1 : 0);
      if (close == std::string::npos) {
        sink_.Error(at, "unterminated '${' (write $${ for a literal ${)", 2);
        failed_ = true;
        return text;
      }
      std::string name = text.substr(i + 2, close - i - 2);
      uint32_t len = static_cast<uint32_t>(close - i + 1);
      if (name == "env") {
        out += vars.env;
      } else if (name == "workflow" && !vars.workflow.empty()) {
        out += vars.workflow;
      } else {
        std::vector<std::string> known = {"env"};
        if (!vars.workflow.empty()) known.push_back("workflow");
        std::string msg = "unknown variable '${" + name + "}'; known here: ${env}";
        if (!vars.workflow.empty()) msg += ", ${workflow}";
        std::string guess = SpellCheck(name, known);
        if (!guess.empty()) msg += "; did you mean '${" + guess + "}'?";
        sink_.Error(at, msg + " (write $${ for a literal ${)", len);
        failed_ = true;
      }
      i = close;
    }
    return out;
  }

  const YamlDoc& doc_;
  DiagSink& sink_;
  SourceLoc file_loc_;
  bool failed_ = false;
};

}  // namespace

bool BuildSpec(const YamlDoc& doc, Spec& spec, DiagSink& sink) {
  if (!doc.root) return false;
  return Builder(doc, sink).Build(spec);
}

}  // namespace orchc
