// A workflow's resources and outputs in the stack: its log groups, own task definition, state
// machine and role, triggers (triggers.h), lease table (overlap.h) and alarms.
#include <string>
#include <unordered_set>

#include "iam_statements.h"
#include "integrations.h"
#include "lower_util.h"
#include "overlap.h"
#include "triggers.h"

namespace orchc {

namespace {

// AWS: "Prevent cross-service confused deputy" in Step Functions' IAM role documentation.
constexpr const char* kStatesTrustReason =
    "Step Functions assumes this role to run the state machine; the aws:SourceAccount condition "
    "lets only this account's state machines do so (AWS's cross-service confused-deputy "
    "prevention).";

class ResourceBuilder {
 public:
  // Appends the workflow's resources and outputs to `stack`. `groups`: the logical IDs of the
  // schedule groups made so far.
  ResourceBuilder(const Spec& spec, const WorkflowSpec& w, const WorkflowIR& wf, StackIR& stack,
                  std::unordered_set<std::string>& groups)
      : spec_(spec),
        w_(w),
        wf_(wf),
        stack_(stack),
        groups_(groups),
        p_(wf.id_prefix),
        subs_(scratch_) {
    subs_.spec = &spec;
  }

  void Run() {
    const bool logging = w_.logs.level != "OFF";
    if (logging) {
      LogGroup(p_ + "LogGroup", w_.log_group_name.value, w_.logs.retention_days,
               NameLoc(w_.log_group_name.written() ? w_.log_group_name : w_.state_machine_name));
    }
    if (w_.task_definition) TaskDefinition();
    OverlapResources(spec_, w_, p_, stack_);
    StateMachineRoleAndMachine(logging);
    TriggerContext triggers{spec_, w_, p_, subs_, stack_, groups_};
    LowerTriggers(triggers);
    if (w_.alarms) Alarms();
    stack_.outputs.push_back({p_ + "StateMachineArn", "ARN of the " + w_.name + " state machine",
                              Json{{"Ref", sm_id()}},
                              spec_.env + "-" + w_.name + "-StateMachineArn", w_.loc});
    stack_.outputs.push_back({p_ + "StateMachineName", "Name of the " + w_.name + " state machine",
                              GetAtt(sm_id(), "Name"),
                              spec_.env + "-" + w_.name + "-StateMachineName", w_.loc});
  }

 private:
  std::string sm_id() const { return p_ + "StateMachine"; }

  void Tag(Resource& r) {
    if (!spec_.tags.empty()) r.properties["Tags"] = Tags(spec_);
  }

  // Where a physical name is written, or the workflow's key when it is derived (the default
  // log group name is derived from the state machine's).
  SourceLoc NameLoc(const LocatedString& s) const { return s.loc.line ? s.loc : w_.loc; }

  void LogGroup(const std::string& id, const std::string& name, int64_t retention,
                SourceLoc name_loc) {
    Resource lg = MakeResource(id, "AWS::Logs::LogGroup");
    lg.properties["LogGroupName"] = name;
    lg.name_loc = name_loc;
    lg.properties["RetentionInDays"] = retention;
    Tag(lg);
    lg.deletion_policy = lg.update_replace_policy = w_.logs.retain ? "Retain" : "Delete";
    stack_.resources.push_back(std::move(lg));
  }

  void TaskDefinition() {
    const TaskDefinitionSpec& d = *w_.task_definition;
    std::string family = TaskDefinitionFamily(spec_, w_);
    LogGroup(p_ + "TaskLogGroup", "/ecs/" + family, d.log_retention_days, w_.loc);
    Resource td = MakeResource(p_ + "TaskDefinition", "AWS::ECS::TaskDefinition");
    td.properties["Family"] = family;
    td.properties["Cpu"] = std::to_string(d.cpu);
    td.properties["Memory"] = std::to_string(d.memory);
    td.properties["NetworkMode"] = "awsvpc";
    td.properties["RequiresCompatibilities"] = Json::array({"FARGATE"});
    td.properties["ExecutionRoleArn"] = subs_.Import("executionRole");
    td.properties["TaskRoleArn"] = subs_.Import("taskRole");
    td.properties["ContainerDefinitions"] =
        Json::array({{{"Name", d.container.value},
                      {"Image", d.image.value},
                      {"Essential", true},
                      {"LogConfiguration",
                       {{"LogDriver", "awslogs"},
                        {"Options",
                         {{"awslogs-group", {{"Ref", p_ + "TaskLogGroup"}}},
                          {"awslogs-region", {{"Ref", "AWS::Region"}}},
                          {"awslogs-stream-prefix", w_.name}}}}}}});
    Tag(td);
    stack_.resources.push_back(std::move(td));
  }

  void StateMachineRoleAndMachine(bool logging) {
    const std::string role_id = p_ + "StateMachineRole";
    Resource role = MakeResource(role_id, "AWS::IAM::Role");
    role.properties["RoleName"] = w_.state_machine_role_name.value;
    role.name_loc = NameLoc(w_.state_machine_role_name);
    role.trust = {
        TrustStatement("states.amazonaws.com",
                       {{"StringEquals", {{"aws:SourceAccount", {{"Ref", "AWS::AccountId"}}}}}})};
    role.trust[0].reason = kStatesTrustReason;
    AttributeStatements(role.trust, 0, "workflow '" + w_.name + "', its state machine", w_.loc);
    role.properties["AssumeRolePolicyDocument"] = PolicyDocument(role.trust);
    role.properties["Policies"] = Json::array(
        {{{"PolicyName", "StateMachinePolicy"}, {"PolicyDocument", PolicyDocument(wf_.iam)}}});
    role.policy = wf_.iam;
    Tag(role);
    stack_.resources.push_back(std::move(role));

    Resource sm = MakeResource(sm_id(), "AWS::StepFunctions::StateMachine");
    sm.workflow = &wf_;
    sm.properties["StateMachineName"] = w_.state_machine_name.value;
    sm.name_loc = NameLoc(w_.state_machine_name);
    sm.properties["StateMachineType"] = w_.express ? "EXPRESS" : "STANDARD";
    sm.properties["RoleArn"] = GetAtt(role_id, "Arn");
    // Definition/DefinitionString and DefinitionSubstitutions are added by the back end.
    if (logging) {
      sm.properties["LoggingConfiguration"] = {
          {"Level", w_.logs.level},
          {"IncludeExecutionData", w_.logs.include_execution_data},
          {"Destinations", Json::array({{{"CloudWatchLogsLogGroup",
                                          {{"LogGroupArn", GetAtt(p_ + "LogGroup", "Arn")}}}}})}};
    }
    sm.properties["TracingConfiguration"] = {{"Enabled", w_.tracing}};
    Tag(sm);
    stack_.resources.push_back(std::move(sm));
  }

  void Alarms() {
    const AlarmsSpec& a = *w_.alarms;
    struct Metric {
      const char* name;
      const char* suffix;
      int64_t threshold;
    };
    for (const Metric& m : {Metric{"ExecutionsFailed", "executions-failed", a.failed},
                            Metric{"ExecutionsTimedOut", "executions-timed-out", a.timed_out},
                            Metric{"ExecutionsAborted", "executions-aborted", a.aborted}}) {
      if (m.threshold <= 0) continue;
      Resource al = MakeResource(p_ + m.name + "Alarm", "AWS::CloudWatch::Alarm");
      al.properties["AlarmName"] = w_.state_machine_name.value + "-" + m.suffix;
      al.name_loc = NameLoc(w_.state_machine_name);
      al.properties["AlarmDescription"] = std::string(m.name) + " of the " + w_.name +
                                          " workflow reached " + std::to_string(m.threshold) +
                                          " in " + std::to_string(a.period_s / 60) + " min";
      al.properties["Namespace"] = "AWS/States";
      al.properties["MetricName"] = m.name;
      al.properties["Dimensions"] =
          Json::array({{{"Name", "StateMachineArn"}, {"Value", {{"Ref", sm_id()}}}}});
      al.properties["Statistic"] = "Sum";
      al.properties["Period"] = a.period_s;
      al.properties["EvaluationPeriods"] = 1;
      al.properties["Threshold"] = m.threshold;
      al.properties["ComparisonOperator"] = "GreaterThanOrEqualToThreshold";
      al.properties["TreatMissingData"] = "notBreaching";
      al.properties["AlarmActions"] = Json::array({subs_.Import(a.notify.value)});
      stack_.resources.push_back(std::move(al));
    }
  }

  const Spec& spec_;
  const WorkflowSpec& w_;
  const WorkflowIR& wf_;
  StackIR& stack_;
  std::unordered_set<std::string>& groups_;
  std::string p_;
  WorkflowIR scratch_;  // Substitutions needs one; only its Import/Text are used here
  Substitutions subs_;
};

}  // namespace

void LowerWorkflowResources(const Spec& spec, const WorkflowSpec& w, const WorkflowIR& wf,
                            StackIR& stack, std::unordered_set<std::string>& groups) {
  ResourceBuilder(spec, w, wf, stack, groups).Run();
}

}  // namespace orchc
