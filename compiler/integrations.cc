#include "integrations.h"

#include "spec.h"

namespace orchc {

namespace {

// Service integration ARNs name the partition literally: the ASL schema that cfn-lint checks
// Definition against accepts only the aws partition there (docs/differences-from-cdk.md).
constexpr const char* kStatesArnPrefix = "arn:aws:states:::";

// arn:${AWS::Partition}:<service>:${AWS::Region}:${AWS::AccountId}:<resource>, where the
// resource may name the imported value as ${Import}.
Json Arn(const std::string& service, const std::string& resource, const Json& import = nullptr) {
  std::string text = "arn:${AWS::Partition}:" + service + ":${AWS::Region}:${AWS::AccountId}:" + resource;
  if (import.is_null()) return Json{{"Fn::Sub", text}};
  return Json{{"Fn::Sub", Json::array({text, {{"Import", import}}})}};
}

// The items of a comma-separated import, as the text between the quotes of a JSON string
// array: a,b,c -> a","b","c (the definition writes ["${X}"] around it).
Json CommaListItems(const Json& import) {
  return Json{{"Fn::Join", Json::array({"\",\"", Json{{"Fn::Split", Json::array({",", import})}}})}};
}

}  // namespace

std::string Substitutions::Ref(const std::string& name, const Json& expr) {
  bool known = false;
  for (const auto& [k, v] : wf_.substitutions) known = known || k == name;
  if (!known) wf_.substitutions.emplace_back(name, expr);
  return "${" + name + "}";
}

std::string Substitutions::Text(const std::string& text) {
  if (text.find("${") == std::string::npos) return text;
  // The value is the string's JSON-escaped text with every '$' as \u0024: DefinitionSubstitutions
  // replaces placeholders repeatedly, and no "${" must survive for it to find.
  std::string escaped = Json(text).dump(-1, ' ', false, Json::error_handler_t::replace);
  escaped = escaped.substr(1, escaped.size() - 2);
  std::string value;
  for (char c : escaped) {
    if (c == '$') {
      value += "\\u0024";
    } else {
      value += c;
    }
  }
  return Ref("Literal" + std::to_string(++literals_), value);
}

Json Substitutions::Import(const std::string& import_name) const {
  return Json{{"Fn::ImportValue", spec->imports.at(import_name).export_name}};
}

State EcsRunTaskSync(const WorkflowSpec& w, Substitutions& subs, WorkflowIR& wf) {
  Json cluster_name = subs.Import("cluster");
  Json task_definition = subs.Import("taskDefinition");

  State s;
  s.name = "RunBatchTask";
  s.type = "Task";
  s.fields["Resource"] = std::string(kStatesArnPrefix) + "ecs:runTask.sync";
  Json command = Json::array();
  for (const LocatedString& arg : w.command) command.push_back(subs.Text(arg.value));
  Json params = Json::object();
  params["Cluster"] = subs.Ref("ClusterArn", Arn("ecs", "cluster/${Import}", cluster_name));
  params["TaskDefinition"] = subs.Ref("TaskDefinitionArn", task_definition);
  params["LaunchType"] = "FARGATE";
  params["PlatformVersion"] = subs.Text(w.platform_version);
  params["NetworkConfiguration"] = {
      {"AwsvpcConfiguration",
       {{"Subnets", Json::array({subs.Ref("Subnets", CommaListItems(subs.Import("subnets")))})},
        {"SecurityGroups",
         Json::array({subs.Ref("SecurityGroups", CommaListItems(subs.Import("securityGroup")))})},
        {"AssignPublicIp", w.assign_public_ip ? "ENABLED" : "DISABLED"}}}};
  params["Overrides"] = {
      {"ContainerOverrides",
       Json::array({Json{{"Name", subs.Text(w.container.value)}, {"Command", command}}})}};
  s.fields["Parameters"] = params;
  s.result_path = "$.taskResult";
  if (w.timeout_s) s.timeout_s = *w.timeout_s;
  for (const RetrySpec& r : w.retry) {
    Retrier out;
    for (const LocatedString& e : r.errors) out.errors.push_back(e.value);
    out.interval_s = r.interval_s;
    out.max_attempts = r.max_attempts;
    out.backoff_rate = r.backoff_rate;
    out.max_delay_s = r.max_delay_s.value_or(0);
    out.jitter = r.jitter;
    s.retry.push_back(out);
  }

  // RunTask acts on the task definition. The task ARN is task/<cluster>/<id> and ecs:cluster
  // narrows RunTask to the imported cluster.
  Json cluster_arn = Arn("ecs", "cluster/${Import}", cluster_name);
  Json cluster_condition = {{"ArnEquals", {{"ecs:cluster", cluster_arn}}}};
  wf.iam.push_back({{"ecs:RunTask"}, {task_definition}, cluster_condition});
  // .sync polls and, when the execution is stopped, stops the task it started.
  wf.iam.push_back({{"ecs:DescribeTasks", "ecs:StopTask"},
                    {Arn("ecs", "task/${Import}/*", cluster_name)},
                    cluster_condition});
  // .sync learns that the task stopped through this managed rule.
  wf.iam.push_back({{"events:DescribeRule", "events:PutRule", "events:PutTargets"},
                    {Arn("events", "rule/StepFunctionsGetEventsForECSTaskRule")},
                    nullptr});
  // The task's roles, and only to ECS tasks.
  wf.iam.push_back({{"iam:PassRole"},
                    {subs.Import("taskRole"), subs.Import("executionRole")},
                    {{"StringEquals", {{"iam:PassedToService", "ecs-tasks.amazonaws.com"}}}}});
  return s;
}

State SnsPublishFailure(const WorkflowSpec& w, Substitutions& subs, WorkflowIR& wf) {
  Json topic = subs.Import(w.notify.value);
  State s;
  s.name = "NotifyFailure";
  s.type = "Task";
  s.fields["Resource"] = std::string(kStatesArnPrefix) + "sns:publish";
  std::string placeholder = w.notify.value == "alertsTopic" ? "AlertsTopicArn" : "Topic_" + w.notify.value;
  s.fields["Parameters"] = {{"TopicArn", subs.Ref(placeholder, topic)},
                            {"Subject", subs.Text(w.subject.value)},
                            {"Message",
                             {{"error.$", "$.error.Error"},
                              {"cause.$", "$.error.Cause"},
                              {"executionName.$", "$$.Execution.Name"},
                              {"timestamp.$", "$$.State.EnteredTime"}}}};
  s.result_path = "$.notification";
  wf.iam.push_back({{"sns:Publish"}, {topic}, nullptr});
  return s;
}

void LoggingAndTracingStatements(bool logging, bool tracing, WorkflowIR& wf) {
  // Neither CloudWatch Logs' log delivery API nor X-Ray's trace API supports resource-level
  // permissions: AWS documents "*" for both.
  IamStatement st;
  st.resources = {"*"};
  if (logging) {
    st.actions = {"logs:CreateLogDelivery",  "logs:DeleteLogDelivery",
                  "logs:DescribeLogGroups",  "logs:DescribeResourcePolicies",
                  "logs:GetLogDelivery",     "logs:ListLogDeliveries",
                  "logs:PutResourcePolicy",  "logs:UpdateLogDelivery"};
  }
  if (tracing) {
    for (const char* a : {"xray:GetSamplingRules", "xray:GetSamplingTargets",
                          "xray:PutTelemetryRecords", "xray:PutTraceSegments"}) {
      st.actions.push_back(a);
    }
  }
  if (!st.actions.empty()) wf.iam.push_back(st);
}

}  // namespace orchc
