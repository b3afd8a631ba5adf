// Lowering: checked Spec -> StackIR (resources with stable logical IDs, workflow graphs).
#include <algorithm>
#include <map>

#include "integrations.h"
#include "ir.h"
#include "spec.h"

namespace orchc {

std::vector<IamStatement> MergeStatements(std::vector<IamStatement> in) {
  std::vector<IamStatement> out;
  for (IamStatement& st : in) {
    auto same = std::find_if(out.begin(), out.end(), [&](const IamStatement& o) {
      return o.resources == st.resources && o.condition == st.condition;
    });
    if (same == out.end()) {
      out.push_back(std::move(st));
      same = out.end() - 1;
    } else {
      same->actions.insert(same->actions.end(), st.actions.begin(), st.actions.end());
    }
    std::sort(same->actions.begin(), same->actions.end());
    same->actions.erase(std::unique(same->actions.begin(), same->actions.end()),
                        same->actions.end());
  }
  return out;
}

Json PolicyDocument(const std::vector<IamStatement>& statements) {
  Json stmts = Json::array();
  for (const IamStatement& st : statements) {
    Json s = Json::object();
    s["Effect"] = "Allow";
    s["Action"] = st.actions.size() == 1 ? Json(st.actions[0]) : Json(st.actions);
    s["Resource"] = st.resources.size() == 1 ? st.resources[0] : Json(st.resources);
    if (!st.condition.is_null()) s["Condition"] = st.condition;
    stmts.push_back(s);
  }
  return Json{{"Version", "2012-10-17"}, {"Statement", stmts}};
}

namespace {

// sample-batch -> SampleBatch
std::string PascalCase(const std::string& name) {
  std::string out;
  bool up = true;
  for (char c : name) {
    if (c == '-' || c == '_') {
      up = true;
      continue;
    }
    out += up && c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c;
    up = false;
  }
  return out;
}

Json Tags(const Spec& spec) {
  Json tags = Json::array();
  for (const auto& [k, v] : spec.tags) tags.push_back({{"Key", k.value}, {"Value", v.value}});
  return tags;
}

Json Trust(const char* service, Json condition) {
  Json st = {{"Effect", "Allow"}, {"Principal", {{"Service", service}}}, {"Action", "sts:AssumeRole"}};
  if (!condition.is_null()) st["Condition"] = condition;
  return Json{{"Version", "2012-10-17"}, {"Statement", Json::array({st})}};
}

Resource MakeResource(std::string logical_id, std::string type) {
  Resource r;
  r.logical_id = std::move(logical_id);
  r.type = std::move(type);
  return r;
}

Json GetAtt(const std::string& id, const char* attr) {
  return Json{{"Fn::GetAtt", Json::array({id, attr})}};
}

WorkflowIR LowerWorkflow(const Spec& spec, const WorkflowSpec& w) {
  WorkflowIR wf;
  wf.name = w.name;
  wf.id_prefix = PascalCase(w.name);
  Substitutions subs(wf);
  subs.spec = &spec;
  wf.comment = subs.Text(w.description.defaulted
                             ? "Runs the " + w.name + " batch task on ECS Fargate; notifies on failure"
                             : w.description.value);

  State run = EcsRunTaskSync(w, subs, wf);
  wf.start_at = run.name;
  State success;
  success.name = "Success";
  success.type = "Succeed";
  run.next = success.name;
  std::vector<State> tail;
  if (w.catch_failure) {
    State notify = SnsPublishFailure(w, subs, wf);
    run.catches.push_back({{"States.ALL"}, "$.error", notify.name});
    if (w.end_failed) {
      State failed;
      failed.name = "Failed";
      failed.type = "Fail";
      // The caught error and cause become the execution's: alarms and the console show them.
      failed.fields["ErrorPath"] = "$.error.Error";
      failed.fields["CausePath"] = "$.error.Cause";
      notify.next = failed.name;
      tail.push_back(std::move(notify));
      tail.push_back(std::move(failed));
    } else {
      notify.end = true;
      tail.push_back(std::move(notify));
    }
  }
  wf.states.push_back(std::move(run));
  wf.states.push_back(std::move(success));
  for (State& s : tail) wf.states.push_back(std::move(s));
  LoggingAndTracingStatements(w.logs.level != "OFF", w.tracing, wf);
  wf.iam = MergeStatements(std::move(wf.iam));
  return wf;
}

void AddWorkflowResources(const Spec& spec, const WorkflowSpec& w, const WorkflowIR& wf,
                          StackIR& stack) {
  const std::string& p = wf.id_prefix;
  const bool logging = w.logs.level != "OFF";
  const std::string log_group_id = p + "LogGroup";
  const std::string role_id = p + "StateMachineRole";
  const std::string sm_id = p + "StateMachine";
  const std::string rule_role_id = p + "ScheduleRole";
  const std::string rule_id = p + "ScheduleRule";

  if (logging) {
    Resource lg = MakeResource(log_group_id, "AWS::Logs::LogGroup");
    lg.properties["LogGroupName"] = w.log_group_name.value;
    lg.properties["RetentionInDays"] = w.logs.retention_days;
    if (!spec.tags.empty()) lg.properties["Tags"] = Tags(spec);
    lg.deletion_policy = lg.update_replace_policy = w.logs.retain ? "Retain" : "Delete";
    stack.resources.push_back(std::move(lg));
  }

  std::vector<IamStatement> sm_statements = wf.iam;
  Resource role = MakeResource(role_id, "AWS::IAM::Role");
  role.properties["RoleName"] = w.state_machine_role_name.value;
  role.properties["AssumeRolePolicyDocument"] =
      Trust("states.amazonaws.com",
            {{"StringEquals", {{"aws:SourceAccount", {{"Ref", "AWS::AccountId"}}}}}});
  role.properties["Policies"] = Json::array(
      {{{"PolicyName", "StateMachinePolicy"}, {"PolicyDocument", PolicyDocument(sm_statements)}}});
  if (!spec.tags.empty()) role.properties["Tags"] = Tags(spec);
  stack.resources.push_back(std::move(role));

  Resource sm = MakeResource(sm_id, "AWS::StepFunctions::StateMachine");
  sm.workflow = &wf;
  sm.properties["StateMachineName"] = w.state_machine_name.value;
  sm.properties["StateMachineType"] = "STANDARD";
  sm.properties["RoleArn"] = GetAtt(role_id, "Arn");
  // Definition/DefinitionString and DefinitionSubstitutions are added by the back end.
  if (logging) {
    sm.properties["LoggingConfiguration"] = {
        {"Level", w.logs.level},
        {"IncludeExecutionData", w.logs.include_execution_data},
        {"Destinations",
         Json::array({{{"CloudWatchLogsLogGroup", {{"LogGroupArn", GetAtt(log_group_id, "Arn")}}}}})}};
  }
  sm.properties["TracingConfiguration"] = {{"Enabled", w.tracing}};
  if (!spec.tags.empty()) sm.properties["Tags"] = Tags(spec);
  stack.resources.push_back(std::move(sm));

  if (w.has_schedule) {
    Resource rr = MakeResource(rule_role_id, "AWS::IAM::Role");
    rr.properties["RoleName"] = w.rule_role_name.value;
    rr.properties["AssumeRolePolicyDocument"] = Trust("events.amazonaws.com", nullptr);
    rr.properties["Policies"] = Json::array(
        {{{"PolicyName", "StartExecutionPolicy"},
          {"PolicyDocument",
           PolicyDocument({{{"states:StartExecution"}, {Json{{"Ref", sm_id}}}, nullptr}})}}});
    if (!spec.tags.empty()) rr.properties["Tags"] = Tags(spec);
    stack.resources.push_back(std::move(rr));

    Resource rule = MakeResource(rule_id, "AWS::Events::Rule");
    rule.properties["Name"] = w.rule_name.value;
    rule.properties["Description"] = w.description.value;
    rule.properties["ScheduleExpression"] = w.schedule.value;
    rule.properties["State"] = w.schedule_enabled ? "ENABLED" : "DISABLED";
    rule.properties["Targets"] = Json::array(
        {{{"Id", "StateMachine"},
          {"Arn", {{"Ref", sm_id}}},
          {"RoleArn", GetAtt(rule_role_id, "Arn")},
          {"InputTransformer",
           {{"InputPathsMap", {{"time", "$.time"}}},
            {"InputTemplate", "{\"triggerSource\":\"EventBridge\",\"timestamp\":<time>}"}}}}});
    stack.resources.push_back(std::move(rule));
  }

  stack.outputs.push_back({p + "StateMachineArn", "ARN of the " + w.name + " state machine",
                           Json{{"Ref", sm_id}},
                           spec.env + "-" + w.name + "-StateMachineArn"});
  stack.outputs.push_back({p + "StateMachineName", "Name of the " + w.name + " state machine",
                           GetAtt(sm_id, "Name"), spec.env + "-" + w.name + "-StateMachineName"});
}

}  // namespace

bool Lower(const Spec& spec, StackIR& out, DiagSink& sink) {
  out.name = spec.stack_name.value;
  out.description = spec.description.value;
  out.workflows.reserve(spec.workflows.size());  // resources point into it
  std::map<std::string, const WorkflowSpec*> prefixes;
  bool ok = true;
  for (const WorkflowSpec& w : spec.workflows) {
    out.workflows.push_back(LowerWorkflow(spec, w));
    auto [it, fresh] = prefixes.emplace(out.workflows.back().id_prefix, &w);
    if (!fresh) {
      sink.Error(w.loc,
                 "workflows '" + it->second->name + "' and '" + w.name +
                     "' give the same CloudFormation logical IDs (" + it->first +
                     "...); rename one of them",
                 static_cast<uint32_t>(w.name.size()));
      ok = false;
    }
  }
  for (size_t i = 0; i < spec.workflows.size(); ++i) {
    AddWorkflowResources(spec, spec.workflows[i], out.workflows[i], out);
  }
  return ok;
}

}  // namespace orchc
