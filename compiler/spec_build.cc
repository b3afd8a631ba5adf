// Desugaring: a schema-valid YAML tree -> Spec, with defaults and ${...} expansion.
#include <algorithm>
#include <unordered_set>

#include "integrations/integration.h"
#include "literal_placeholders.h"
#include "spec.h"
#include "step_kinds.h"
#include "task_outcomes.h"

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

// The default log group prefix of `workflows:` entries. AWS recommends /aws/vendedlogs/ for log
// groups Step Functions delivers to: CloudWatch Logs' resource policy is limited to 5,120
// characters and covers such groups with one wildcard (Step Functions Developer Guide, "Avoiding
// CloudWatch Logs resource policy size restrictions"); the console uses /aws/vendedlogs/states.
constexpr const char* kVendedLogsPrefix = "/aws/vendedlogs/states/";

struct Vars {
  std::string env;
  std::string workflow;  // empty outside a workflow
};

// Whether a spec string has its ${env}/${workflow} expanded (names, subjects, descriptions) or
// is taken literally (commands, expressions, references to other names).
enum class Expansion { kExpand, kLiteral };

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
    spec.description = Str(stack ? stack->Get("description") : nullptr,
                           "Scheduled batch workflows (${env})", vars);
    if (const YNode* tags = stack ? stack->Get("tags") : nullptr) spec.tags = ReadTags(tags);

    const YNode* imports = root->Get("imports");
    for (const auto& [name, def] : StandardImports()) {
      ImportSpec imp;
      imp.export_name = Expand(def, vars, file_loc_, /*quoted=*/false);
      imp.loc = file_loc_;
      spec.imports[name] = imp;
    }
    if (imports) {
      for (const YNode::Entry& e : imports->entries) {
        ImportSpec imp;
        imp.loc = e.value->loc;
        imp.origin = Origin::kWritten;
        if (e.value->IsMap()) {
          const YNode* type = e.value->Get("type");
          imp.ssm = {e.value->Get("ssm")->value, type && type->value == "StringList"};
        } else {
          imp.export_name = Expand(e.value->value, vars, e.value->loc, e.value->quoted);
          expanded_.insert(e.value);
        }
        spec.imports[e.key] = imp;
      }
    }

    LogsSpec logs;
    ReadLogs(root->Get("logs"), logs);
    bool tracing = true;
    if (const YNode* t = root->Get("tracing")) AsBool(*t, &tracing);

    if (const YNode::Entry* orch = root->Find("orchestration")) {
      WorkflowSpec w =
          Defaults("sample-batch", orch->key_loc, logs, tracing, vars, "/aws/stepfunctions/");
      const YNode* o = orch->value;
      w.from_orchestration = true;
      Vars wv{spec.env, w.name};
      w.state_machine_role_name = Str(nullptr, "stepfunctions-role-${env}", wv);
      w.rule_role_name = Str(nullptr, "eventbridge-role-${env}", wv);
      ScheduleSpec sched;
      sched.loc = orch->key_loc;
      sched.name = w.rule_name;
      sched.expression = Str(o->Get("scheduleExpression"), "", wv, Expansion::kLiteral);
      AsBool(*o->Get("enabled"), &sched.enabled);
      w.schedules.push_back(sched);
      StepSpec step = SingleTaskStep(orch->key_loc, wv);
      EcsTaskSpec& task = std::get<EcsTaskSpec>(step.body);
      const YNode* path = o->Get("batchScriptPath");
      if (const YNode* interp = o->Get("interpreter")) {
        task.command.push_back(Str(interp, "", wv, Expansion::kLiteral));
      }
      task.command.push_back(Str(path, "", wv, Expansion::kLiteral));
      task.command_loc = path->loc;
      task.command_is_path.assign(task.command.size(), false);
      Reader reader(*this, wv);
      ReadTaskOutcomes(o, task, reader);
      if (const YNode* t = o->Get("timeout")) {
        step.timeout_s = {{Duration(t), t->loc}};
      }
      w.steps.push_back(std::move(step));
      w.single_task = true;
      ReadOverlap(o->Get("overlap"), w);
      w.description = Str(nullptr, DefaultDescription(w), wv, Expansion::kLiteral);
      w.state_machine_role_name.loc = w.rule_role_name.loc = w.description.loc = orch->key_loc;
      spec.workflows.push_back(std::move(w));
    }

    if (const YNode* wfs = root->Get("workflows")) {
      // Map keys are unique already; only the orchestration: block can clash.
      for (const YNode::Entry& e : wfs->entries) {
        if (!spec.workflows.empty() && spec.workflows[0].from_orchestration &&
            spec.workflows[0].name == e.key) {
          sink_.Error(e.key_loc,
                      "workflow '" + e.key +
                          "' is already defined by the orchestration: block (line " +
                          std::to_string(spec.workflows[0].loc.line) + "); rename one of them",
                      static_cast<uint32_t>(e.key.size()));
          failed_ = true;
          continue;
        }
        spec.workflows.push_back(ReadWorkflow(e, logs, tracing, spec.env));
      }
    }
    std::sort(spec.workflows.begin(), spec.workflows.end(),
              [](const WorkflowSpec& a, const WorkflowSpec& b) { return a.name < b.name; });
    if (!failed_) WarnLiteralPlaceholders(root, expanded_, sink_);
    return !failed_;
  }

 private:
  // overlap: as written (the schema allows allow, skip, queue); unwritten, skip when the
  // workflow has a schedule (a tick must not start a second run) and allow otherwise.
  static void ReadOverlap(const YNode* n, WorkflowSpec& w) {
    w.overlap = w.schedules.empty() ? Overlap::kAllow : Overlap::kSkip;
    if (!n) return;
    w.overlap_loc = n->loc;
    if (n->value == "allow") w.overlap = Overlap::kAllow;
    if (n->value == "skip") w.overlap = Overlap::kSkip;
    if (n->value == "queue") w.overlap = Overlap::kQueue;
  }

  static std::string DefaultDescription(const WorkflowSpec& w) {
    if (w.schedules.empty()) return "Runs the " + w.name + " workflow";
    const ScheduleSpec& s = w.schedules[0];
    std::string zone = s.timezone ? s.timezone->value : "UTC";
    return "Starts the " + w.name + " workflow on " + s.expression.value + " (" + zone + ")";
  }

  // The step that task: and orchestration: stand for, with the seed's retry.
  StepSpec SingleTaskStep(SourceLoc loc, const Vars& wv) {
    StepSpec step;
    step.loc = loc;
    step.name = Str(nullptr, "RunBatchTask", wv, Expansion::kLiteral);
    step.name.loc = loc;
    EcsTaskSpec task;
    task.container = Str(nullptr, "backend", wv, Expansion::kLiteral);
    task.container.loc = loc;
    step.body = std::move(task);
    step.retry = {DefaultTaskRetry(loc, wv)};
    step.result_path = ResultPath::At("$.taskResult");
    return step;
  }

  // The retry every ECS task gets unless it says `retry:` (docs/spec.md, "Task outcomes"): the
  // seed's 3 retries 30 s apart, doubling. Its `on` is not written: with exitCodes it becomes the
  // task's retryable outcomes.
  RetrySpec DefaultTaskRetry(SourceLoc loc, const Vars& wv) {
    RetrySpec r;
    r.loc = r.interval_loc = r.max_attempts_loc = r.backoff_loc = loc;
    r.errors.push_back(Str(nullptr, "States.TaskFailed", wv, Expansion::kLiteral));
    r.errors[0].loc = loc;
    return r;
  }

  // The default log group's prefix is the seed's /aws/stepfunctions/ for `orchestration:`, and
  // AWS's /aws/vendedlogs/states/ for `workflows:` entries (kVendedLogsPrefix).
  WorkflowSpec Defaults(const std::string& name, SourceLoc loc, const LogsSpec& logs, bool tracing,
                        const Vars& vars, const char* log_group_prefix) {
    WorkflowSpec w;
    w.name = name;
    w.loc = loc;
    w.logs = logs;
    w.tracing = tracing;
    Vars wv{vars.env, name};
    w.notify = Str(nullptr, "alertsTopic", wv, Expansion::kLiteral);
    w.subject = Str(nullptr, "[${env}] Batch Execution Failed", wv);
    w.state_machine_name = Str(nullptr, "${env}-${workflow}-workflow", wv);
    w.rule_name = Str(nullptr, "${env}-${workflow}-schedule", wv);
    w.state_machine_role_name = Str(nullptr, "${env}-${workflow}-sfn-role", wv);
    w.rule_role_name = Str(nullptr, "${env}-${workflow}-events-role", wv);
    w.scheduler_role_name = Str(nullptr, "${env}-${workflow}-scheduler-role", wv);
    w.log_group_name =
        Str(nullptr, log_group_prefix + w.state_machine_name.value, wv, Expansion::kLiteral);
    for (LocatedString* s :
         {&w.notify, &w.subject, &w.state_machine_name, &w.rule_name, &w.state_machine_role_name,
          &w.rule_role_name, &w.scheduler_role_name, &w.log_group_name}) {
      s->loc = loc;
    }
    return w;
  }

  WorkflowSpec ReadWorkflow(const YNode::Entry& e, const LogsSpec& logs, bool tracing,
                            const std::string& env) {
    Vars wv{env, e.key};
    WorkflowSpec w = Defaults(e.key, e.key_loc, logs, tracing, wv, kVendedLogsPrefix);
    const YNode* n = e.value;
    if (const YNode* names = n->Get("names")) {
      if (const YNode* v = names->Get("stateMachine")) {
        w.state_machine_name = Str(v, "", wv);
        w.log_group_name.value = kVendedLogsPrefix + w.state_machine_name.value;
      }
      if (const YNode* v = names->Get("rule")) w.rule_name = Str(v, "", wv);
      if (const YNode* v = names->Get("stateMachineRole"))
        w.state_machine_role_name = Str(v, "", wv);
      if (const YNode* v = names->Get("ruleRole")) w.rule_role_name = Str(v, "", wv);
      if (const YNode* v = names->Get("schedulerRole")) w.scheduler_role_name = Str(v, "", wv);
      if (const YNode* v = names->Get("logGroup")) w.log_group_name = Str(v, "", wv);
    }
    if (const YNode* s = n->Get("schedule")) w.schedules.push_back(ReadSchedule(s, w, wv));
    if (const YNode* list = n->Get("schedules")) {
      for (const YNode* s : list->items) w.schedules.push_back(ReadSchedule(s, w, wv));
    }
    w.description = Str(n->Get("description"), DefaultDescription(w), wv, Expansion::kLiteral);
    if (const YNode* t = n->Get("type")) {
      w.express = t->value == "EXPRESS";
      w.type_loc = t->loc;
    }
    if (const YNode* t = n->Get("timeout")) {
      w.timeout_s = {{Duration(t), t->loc}};
    }
    ReadOverlap(n->Get("overlap"), w);

    const YNode* task = n->Get("task");
    const YNode* steps = n->Get("steps");
    if (task && steps) {
      sink_.Error(n->Find("steps")->key_loc,
                  "workflow '" + w.name +
                      "' has both task: and steps:; task: is the one-step "
                      "form of steps:, keep one of them",
                  5);
      failed_ = true;
    } else if (!task && !steps) {
      sink_.Error(e.key_loc, "workflow '" + w.name + "' needs task: (one ECS task) or steps:",
                  static_cast<uint32_t>(w.name.size()));
      failed_ = true;
    } else if (task) {
      StepSpec step = SingleTaskStep(task->loc, wv);
      Reader reader(*this, wv);
      IntegrationFor<EcsTaskSpec>().Read(task, step, reader);
      if (const YNode* r = task->Get("retry")) step.retry = ReadRetries(r, wv);
      if (const YNode* t = task->Get("timeout")) {
        step.timeout_s = {{Duration(t), t->loc}};
      }
      w.steps.push_back(std::move(step));
      w.single_task = true;
    } else {
      w.steps = ReadSteps(steps, wv);
    }

    if (const YNode* f = n->Get("onFailure")) {
      bool b = true;
      if (AsBool(*f, &b)) {
        w.catch_failure = b;
      } else {
        if (const YNode* t = f->Get("notify")) w.notify = Str(t, "", wv, Expansion::kLiteral);
        if (const YNode* s = f->Get("subject")) w.subject = Str(s, "", wv);
        if (const YNode* end = f->Get("end")) w.end_failed = end->value == "fail";
      }
    }
    ReadLogs(n->Get("logs"), w.logs);
    if (const YNode* t = n->Get("tracing")) AsBool(*t, &w.tracing);
    if (const YNode* td = n->Get("taskDefinition")) {
      TaskDefinitionSpec& d = w.task_definition.emplace();
      d.loc = td->loc;
      d.log_retention_days = w.logs.retention_days;
      d.image = Str(td->Get("image"), "", wv);
      d.container = Str(td->Get("container"), "backend", wv, Expansion::kLiteral);
      if (!td->Get("container")) d.container.loc = td->loc;
      ReadInt(td->Get("cpu"), &d.cpu, &d.cpu_loc, td->loc);
      ReadInt(td->Get("memory"), &d.memory, &d.memory_loc, td->loc);
      ReadInt(td->Get("logRetentionDays"), &d.log_retention_days, &d.log_retention_loc, td->loc);
    }
    if (const YNode* al = n->Get("alarms")) {
      AlarmsSpec& a = w.alarms.emplace();
      a.loc = al->loc;
      a.notify = Str(al->Get("notify"), "alertsTopic", wv, Expansion::kLiteral);
      if (!al->Get("notify")) a.notify.loc = al->loc;
      a.period_loc = al->loc;
      if (const YNode* p = al->Get("period")) {
        a.period_s = Duration(p);
        a.period_loc = p->loc;
      }
      ReadInt(al->Get("failed"), &a.failed, &a.failed_loc, al->loc);
      ReadInt(al->Get("timedOut"), &a.timed_out, &a.timed_out_loc, al->loc);
      ReadInt(al->Get("aborted"), &a.aborted, &a.aborted_loc, al->loc);
    }
    return w;
  }

  void ReadInt(const YNode* n, int64_t* out, SourceLoc* loc, SourceLoc fallback) {
    *loc = fallback;
    if (!n) return;
    if (!AsInt(*n, out)) *out = -1;
    *loc = n->loc;
  }

  ScheduleSpec ReadSchedule(const YNode* n, const WorkflowSpec& w, const Vars& wv) {
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

  static TagList ReadTags(const YNode* n) {
    TagList out;
    for (const YNode::Entry& e : n->entries) {
      LocatedString k{e.key, e.key_loc, static_cast<uint32_t>(e.key.size()), false,
                      Origin::kWritten};
      LocatedString v{e.value->value, e.value->loc, e.value->length, e.value->quoted,
                      Origin::kWritten};
      out.emplace_back(k, v);
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.first.value < b.first.value; });
    return out;
  }

  std::vector<RetrySpec> ReadRetries(const YNode* r, const Vars& wv) {
    std::vector<RetrySpec> out;
    if (r->IsMap()) {
      out.push_back(ReadRetry(r, wv));
    } else {
      for (const YNode* item : r->items) out.push_back(ReadRetry(item, wv));
    }
    return out;
  }

  std::vector<StepSpec> ReadSteps(const YNode* list, const Vars& wv) {
    std::vector<StepSpec> steps;
    for (const YNode* n : list->items) steps.push_back(ReadStep(n, wv));
    return steps;
  }

  StepSpec ReadStep(const YNode* n, const Vars& wv) {
    StepSpec step;
    step.loc = n->loc;
    step.name = Str(n->Get("name"), "", wv, Expansion::kLiteral);
    std::vector<const YNode::Entry*> kinds;
    for (size_t i = 0; i < kStepKinds.size(); ++i) {
      if (const YNode::Entry* e = n->Find(kStepKinds[i].key)) {
        kinds.push_back(e);
        step.body = StepBodyAt(i);
      }
    }
    if (kinds.size() != 1) {
      std::string msg = kinds.empty() ? "step '" + step.name.value +
                                            "' says nothing to do; give it one of " + AllKindsList()
                                      : "step '" + step.name.value + "' has both " + kinds[0]->key +
                                            " and " + kinds[1]->key + "; a step is one of them";
      sink_.Error(kinds.size() > 1 ? kinds[1]->key_loc : n->loc, msg);
      failed_ = true;
      return step;
    }
    const YNode* body = kinds[0]->value;
    if (const YNode* c = n->Get("comment")) step.comment = c->value;
    std::visit(Overloaded{[&]<ServiceBody B>(B&) {
                            Reader reader(*this, wv);
                            IntegrationFor<B>().Read(body, step, reader);
                          },
                          [&](ParallelSpec& p) {
                            for (const YNode* branch : body->items) {
                              p.branches.push_back(ReadSteps(branch, wv));
                            }
                          },
                          [&](MapSpec& m) { ReadMap(body, m, wv); },
                          [&](ChoiceSpec& c) { ReadChoice(body, c, wv); },
                          [&](WaitSpec& w) { ReadWait(body, w); },
                          [&](PassSpec& p) {
                            if (body->IsMap()) p.result = body->Get("result");
                          },
                          [](SucceedSpec&) {},
                          [&](FailSpec& f) {
                            // Written empty, each is left out of the state, as when not written.
                            const YNode* e = body->Get("error");
                            if (e && !e->value.empty()) f.error = e->value;
                            const YNode* c = body->Get("cause");
                            if (c && !c->value.empty()) f.cause = c->value;
                          }},
               step.body);
    ReadCommon(n, step, wv);
    if (std::holds_alternative<EcsTaskSpec>(step.body) && !step.retry) {
      step.retry = {DefaultTaskRetry(step.loc, wv)};
    }
    return step;
  }

  void ReadMap(const YNode* body, MapSpec& m, const Vars& wv) {
    m.steps = ReadSteps(body->Get("steps"), wv);
    if (const YNode* p = body->Get("itemsPath")) m.items_path = p->value;
    m.items = body->Get("items");
    if (const YNode* mc = body->Get("maxConcurrency")) {
      AsInt(*mc, &m.max_concurrency);
      m.max_concurrency_loc = mc->loc;
    }
  }

  void ReadChoice(const YNode* body, ChoiceSpec& c, const Vars& wv) {
    for (const YNode* r : body->Get("rules")->items) {
      ChoiceRuleSpec rule;
      rule.loc = r->loc;
      rule.variable = r->Get("variable")->value;
      rule.next = Str(r->Get("next"), "", wv, Expansion::kLiteral);
      for (const YNode::Entry& e : r->entries) {
        if (e.key == "variable" || e.key == "next") continue;
        if (rule.value) {
          sink_.Error(e.key_loc,
                      "a choice rule compares once; put '" + e.key + "' in a rule of its own",
                      static_cast<uint32_t>(e.key.size()));
          failed_ = true;
        }
        rule.op = e.key;
        rule.value = e.value;
      }
      if (!rule.value) {
        sink_.Error(r->loc, "choice rule on " + rule.variable +
                                " has no comparison "
                                "(stringEquals, numericEquals, booleanEquals, isPresent, ...)");
        failed_ = true;
      }
      c.rules.push_back(rule);
    }
    c.default_step = OptStr(body->Get("default"), wv, Expansion::kLiteral);
  }

  void ReadWait(const YNode* body, WaitSpec& w) {
    w.loc = body->loc;
    if (!body->IsMap()) {
      w.what = WaitSeconds{Duration(body)};
      return;
    }
    if (const YNode* v = body->Get("until")) w.what = WaitUntil{v->value};
    if (const YNode* v = body->Get("timestampPath")) w.what = WaitTimestampPath{v->value};
    if (const YNode* v = body->Get("secondsPath")) w.what = WaitSecondsPath{v->value};
    if (body->entries.size() != 1) {
      sink_.Error(body->loc, "wait takes one of until, timestampPath, secondsPath");
      failed_ = true;
    }
  }

  // `resultPath:` null (discard the result) or a path (checked by CheckSpec).
  static ResultPath ReadResultPath(const YNode& n) {
    return Resolve(n) == ScalarType::kNull ? ResultPath::Discard() : ResultPath::At(n.value);
  }

  // What every kind of step may have: retry, catch, timeout, resultPath, next, end.
  void ReadCommon(const YNode* n, StepSpec& step, const Vars& wv) {
    if (const YNode* r = n->Get("retry")) step.retry = ReadRetries(r, wv);
    if (const YNode* c = n->Get("catch")) {
      for (const YNode* item : c->items) {
        CatchSpec cs;
        cs.loc = item->loc;
        if (const YNode* on = item->Get("on")) {
          for (const YNode* e : on->items) cs.errors.push_back(Str(e, "", wv, Expansion::kLiteral));
        } else {
          cs.errors.push_back(Str(nullptr, "States.ALL", wv, Expansion::kLiteral));
          cs.errors.back().loc = item->loc;
        }
        cs.next = Str(item->Get("next"), "", wv, Expansion::kLiteral);
        if (const YNode* rp = item->Get("resultPath")) cs.result_path = ReadResultPath(*rp);
        step.catches.push_back(cs);
      }
    }
    if (const YNode* t = n->Get("timeout")) {
      step.timeout_s = {{Duration(t), t->loc}};
    }
    if (const YNode::Entry* rp = n->Find("resultPath"))
      step.result_path = ReadResultPath(*rp->value);
    step.next = OptStr(n->Get("next"), wv, Expansion::kLiteral);
    if (const YNode* end = n->Get("end")) AsBool(*end, &step.end);
  }

  RetrySpec ReadRetry(const YNode* r, const Vars& wv) {
    RetrySpec spec;
    spec.loc = r->loc;
    spec.interval_loc = spec.max_attempts_loc = spec.backoff_loc = r->loc;
    if (const YNode* on = r->Get("on")) {
      for (const YNode* e : on->items) spec.errors.push_back(Str(e, "", wv, Expansion::kLiteral));
    } else {
      spec.errors.push_back(Str(nullptr, "States.TaskFailed", wv, Expansion::kLiteral));
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
      spec.max_delay_s = {{Duration(v), v->loc}};
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

  LocatedString Str(const YNode* n, const std::string& def, const Vars& vars,
                    Expansion expansion = Expansion::kExpand) {
    const bool expand = expansion == Expansion::kExpand;
    if (!n) {
      return LocatedString{expand ? Expand(def, vars, file_loc_, /*quoted=*/false) : def, file_loc_,
                           1, false, Origin::kDefault};
    }
    if (expand) expanded_.insert(n);
    return LocatedString{expand ? Expand(n->value, vars, n->loc, n->quoted) : n->value, n->loc,
                         n->length, n->quoted, Origin::kWritten};
  }

  // A value without a default: nullopt when not written.
  std::optional<LocatedString> OptStr(const YNode* n, const Vars& vars, Expansion expansion) {
    if (!n) return std::nullopt;
    return Str(n, "", vars, expansion);
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

  // How the service integrations read their strings (integrations/integration.h).
  class Reader final : public SpecReader {
   public:
    Reader(Builder& b, const Vars& vars) : b_(b), vars_(vars) {}
    LocatedString Literal(const YNode* n, const std::string& def) override {
      return b_.Str(n, def, vars_, Expansion::kLiteral);
    }
    LocatedString Expanded(const YNode* n, const std::string& def) override {
      return b_.Str(n, def, vars_);
    }
    TagList Tags(const YNode* n) override { return ReadTags(n); }

   private:
    Builder& b_;
    const Vars& vars_;
  };

  const YamlDoc& doc_;
  DiagSink& sink_;
  SourceLoc file_loc_;
  bool failed_ = false;
  std::unordered_set<const YNode*> expanded_;  // the scalars ${env}/${workflow} are replaced in
};

}  // namespace

bool BuildSpec(const YamlDoc& doc, Spec& spec, DiagSink& sink) {
  if (!doc.root) return false;
  return Builder(doc, sink).Build(spec);
}

}  // namespace orchc
