// Desugaring of a workflow: an entry of `workflows:` or the seed's `orchestration:` block, with
// the defaults of its names, description, overlap, failure handling, logs, task definition and
// alarms.
#include <string>
#include <utility>

#include "spec_build_internal.h"
#include "task_outcomes.h"

namespace orchc::spec_build_detail {

namespace {

// The default log group prefix of `workflows:` entries. AWS recommends /aws/vendedlogs/ for log
// groups Step Functions delivers to: CloudWatch Logs' resource policy is limited to 5,120
// characters and covers such groups with one wildcard (Step Functions Developer Guide, "Avoiding
// CloudWatch Logs resource policy size restrictions"); the console uses /aws/vendedlogs/states.
constexpr const char* kVendedLogsPrefix = "/aws/vendedlogs/states/";

}  // namespace

// The default log group's prefix is the seed's /aws/stepfunctions/ for `orchestration:`, and
// AWS's /aws/vendedlogs/states/ for `workflows:` entries (kVendedLogsPrefix).
WorkflowSpec Builder::Defaults(const std::string& name, SourceLoc loc, const Inherited& top,
                               const char* log_group_prefix) {
  WorkflowSpec w;
  w.name = name;
  w.loc = loc;
  w.logs = top.logs;
  w.tracing = top.tracing;
  Vars wv{top.env, name};
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

// The seed's `orchestration:` block: a workflow named sample-batch with the seed's names, one
// schedule and one ECS task.
WorkflowSpec Builder::ReadOrchestration(const YNode::Entry& orch, const Inherited& top) {
  WorkflowSpec w = Defaults("sample-batch", orch.key_loc, top, "/aws/stepfunctions/");
  const YNode* o = orch.value;
  w.from_orchestration = true;
  Vars wv{top.env, w.name};
  w.state_machine_role_name = Str(nullptr, "stepfunctions-role-${env}", wv);
  w.rule_role_name = Str(nullptr, "eventbridge-role-${env}", wv);
  ScheduleSpec sched;
  sched.loc = orch.key_loc;
  sched.name = w.rule_name;
  sched.expression = Str(o->Get("scheduleExpression"), "", wv, Expansion::kLiteral);
  AsBool(*o->Get("enabled"), &sched.enabled);
  w.schedules.push_back(sched);
  StepSpec step = SingleTaskStep(orch.key_loc, wv);
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
  w.state_machine_role_name.loc = w.rule_role_name.loc = w.description.loc = orch.key_loc;
  return w;
}

WorkflowSpec Builder::ReadWorkflow(const YNode::Entry& e, const Inherited& top) {
  Vars wv{top.env, e.key};
  WorkflowSpec w = Defaults(e.key, e.key_loc, top, kVendedLogsPrefix);
  const YNode* n = e.value;
  if (const YNode* names = n->Get("names")) ReadNames(names, w, wv);
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
  ReadWorkflowSteps(e, w, wv);
  if (const YNode* f = n->Get("onFailure")) ReadOnFailure(f, w, wv);
  ReadLogs(n->Get("logs"), w.logs);
  if (const YNode* t = n->Get("tracing")) AsBool(*t, &w.tracing);
  if (const YNode* td = n->Get("taskDefinition")) ReadTaskDefinition(td, w, wv);
  if (const YNode* al = n->Get("alarms")) ReadAlarms(al, w.alarms.emplace(), wv);
  return w;
}

// names: the AWS names of a workflow's resources, replacing the defaults.
void Builder::ReadNames(const YNode* names, WorkflowSpec& w, const Vars& wv) {
  if (const YNode* v = names->Get("stateMachine")) {
    w.state_machine_name = Str(v, "", wv);
    w.log_group_name.value = kVendedLogsPrefix + w.state_machine_name.value;
  }
  if (const YNode* v = names->Get("rule")) w.rule_name = Str(v, "", wv);
  if (const YNode* v = names->Get("stateMachineRole")) w.state_machine_role_name = Str(v, "", wv);
  if (const YNode* v = names->Get("ruleRole")) w.rule_role_name = Str(v, "", wv);
  if (const YNode* v = names->Get("schedulerRole")) w.scheduler_role_name = Str(v, "", wv);
  if (const YNode* v = names->Get("logGroup")) w.log_group_name = Str(v, "", wv);
}

// A workflow's steps: `task:` (one ECS task) or `steps:`, exactly one of them.
void Builder::ReadWorkflowSteps(const YNode::Entry& e, WorkflowSpec& w, const Vars& wv) {
  const YNode* n = e.value;
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
}

// onFailure: false, or where and what the failure notification sends and how the run ends.
void Builder::ReadOnFailure(const YNode* f, WorkflowSpec& w, const Vars& wv) {
  bool b = true;
  if (AsBool(*f, &b)) {
    w.catch_failure = b;
    return;
  }
  if (const YNode* t = f->Get("notify")) w.notify = Str(t, "", wv, Expansion::kLiteral);
  if (const YNode* s = f->Get("subject")) w.subject = Str(s, "", wv);
  if (const YNode* end = f->Get("end")) w.end_failed = end->value == "fail";
}

// taskDefinition: a task definition the stack creates; its log retention defaults to the
// workflow's (read before it).
void Builder::ReadTaskDefinition(const YNode* td, WorkflowSpec& w, const Vars& wv) {
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

void Builder::ReadAlarms(const YNode* al, AlarmsSpec& a, const Vars& wv) {
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

void Builder::ReadLogs(const YNode* n, LogsSpec& logs) {
  if (!n) return;
  if (const YNode* v = n->Get("retentionDays")) {
    if (!AsInt(*v, &logs.retention_days)) logs.retention_days = -1;
    logs.retention_loc = v->loc;
  }
  if (const YNode* v = n->Get("removalPolicy")) logs.retain = v->value == "retain";
  if (const YNode* v = n->Get("level")) logs.level = v->value;
  if (const YNode* v = n->Get("includeExecutionData")) AsBool(*v, &logs.include_execution_data);
}

// overlap: as written (the schema allows allow, skip, queue); unwritten, skip when the
// workflow has a schedule (a tick must not start a second run) and allow otherwise.
void Builder::ReadOverlap(const YNode* n, WorkflowSpec& w) {
  w.overlap = w.schedules.empty() ? Overlap::kAllow : Overlap::kSkip;
  if (!n) return;
  w.overlap_loc = n->loc;
  if (n->value == "allow") w.overlap = Overlap::kAllow;
  if (n->value == "skip") w.overlap = Overlap::kSkip;
  if (n->value == "queue") w.overlap = Overlap::kQueue;
}

std::string Builder::DefaultDescription(const WorkflowSpec& w) {
  if (w.schedules.empty()) return "Runs the " + w.name + " workflow";
  const ScheduleSpec& s = w.schedules[0];
  std::string zone = s.timezone ? s.timezone->value : "UTC";
  return "Starts the " + w.name + " workflow on " + s.expression.value + " (" + zone + ")";
}

}  // namespace orchc::spec_build_detail
