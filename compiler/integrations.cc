#include "integrations.h"

#include <algorithm>
#include <cctype>

#include "spec.h"

namespace orchc {

namespace {

// Service integration ARNs name the partition literally: the ASL schema that cfn-lint checks
// Definition against accepts only the aws partition there (docs/differences-from-cdk.md).
constexpr const char* kStatesArnPrefix = "arn:aws:states:::";

// arn:${AWS::Partition}:<service>:${AWS::Region}:${AWS::AccountId}:<resource>, where the
// resource may name the imported value as ${Import}.
Json Arn(const std::string& service, const std::string& resource, const Json& import = nullptr) {
  std::string text =
      "arn:${AWS::Partition}:" + service + ":${AWS::Region}:${AWS::AccountId}:" + resource;
  if (import.is_null()) return Json{{"Fn::Sub", text}};
  return Json{{"Fn::Sub", Json::array({text, {{"Import", import}}})}};
}

// A string literal of an intrinsic function: single-quoted, with ' { } \ escaped.
std::string IntrinsicString(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '{' || c == '}' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

}  // namespace

std::string Substitutions::Ref(const std::string& name, const Json& expr) {
  if (index_.emplace(name, wf_.substitutions.size()).second) {
    wf_.substitutions.emplace_back(name, expr);
  }
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

std::string Substitutions::Key(const std::string& key) {
  if (!IsIntrinsicFunctionKey(key)) return Text(key);
  return Ref("Literal" + std::to_string(++literals_), key);  // no "${": the key as it is
}

std::string ImportParameterId(const std::string& import_name) {
  std::string id = "Import" + import_name;
  id[6] = static_cast<char>(std::toupper(static_cast<unsigned char>(id[6])));
  return id;
}

Json Substitutions::Import(const std::string& import_name) const {
  const ImportSpec& imp = spec->imports.at(import_name);
  if (!imp.ssm.empty()) return Json{{"Ref", ImportParameterId(import_name)}};
  return Json{{"Fn::ImportValue", imp.export_name}};
}

Json Substitutions::CommaListItems(const std::string& import_name) const {
  const ImportSpec& imp = spec->imports.at(import_name);
  Json list = imp.ssm_list ? Import(import_name)
                           : Json{{"Fn::Split", Json::array({",", Import(import_name)})}};
  return Json{{"Fn::Join", Json::array({"\",\"", list})}};
}

void EcsRunTaskSync(const WorkflowSpec& w, const EcsTaskSpec& task, Substitutions& subs,
                    WorkflowIR& wf, State& s) {
  Json cluster_name = subs.Import("cluster");
  Json task_definition = w.task_definition.enabled ? Json{{"Ref", wf.id_prefix + "TaskDefinition"}}
                                                   : subs.Import("taskDefinition");
  std::string container = task.container.value;
  if (w.task_definition.enabled && task.container.defaulted) {
    container = w.task_definition.container.value;
  }

  s.type = "Task";
  s.fields["Resource"] = std::string(kStatesArnPrefix) + "ecs:runTask.sync";
  Json override = {{"Name", subs.Text(container)}};
  bool any_path = std::find(task.command_is_path.begin(), task.command_is_path.end(), true) !=
                  task.command_is_path.end();
  if (any_path) {
    // Literal arguments and values of the state, joined at run time by States.Array.
    std::string expr = "States.Array(";
    for (size_t i = 0; i < task.command.size(); ++i) {
      if (i) expr += ", ";
      expr +=
          task.command_is_path[i] ? task.command[i].value : IntrinsicString(task.command[i].value);
    }
    override["Command.$"] = subs.Text(expr + ")");
  } else {
    Json command = Json::array();
    for (const LocatedString& arg : task.command) command.push_back(subs.Text(arg.value));
    override["Command"] = std::move(command);
  }
  if (!task.environment.empty()) {
    Json env = Json::array();
    for (const auto& [k, v] : task.environment) {
      env.push_back({{"Name", subs.Text(k.value)}, {"Value", subs.Text(v.value)}});
    }
    override["Environment"] = std::move(env);
  }
  Json params = Json::object();
  params["Cluster"] = subs.Ref("ClusterArn", Arn("ecs", "cluster/${Import}", cluster_name));
  params["TaskDefinition"] = subs.Ref("TaskDefinitionArn", task_definition);
  if (task.capacity_providers.empty()) {
    params["LaunchType"] = "FARGATE";
  } else {
    Json strategy = Json::array();
    for (const CapacityProviderSpec& p : task.capacity_providers) {
      Json item = {{"CapacityProvider", p.provider}, {"Weight", p.weight}};
      if (p.base > 0) item["Base"] = p.base;
      strategy.push_back(std::move(item));
    }
    params["CapacityProviderStrategy"] = std::move(strategy);
  }
  params["PlatformVersion"] = subs.Text(task.platform_version);
  params["NetworkConfiguration"] = {
      {"AwsvpcConfiguration",
       {{"Subnets", Json::array({subs.Ref("Subnets", subs.CommaListItems("subnets"))})},
        {"SecurityGroups",
         Json::array({subs.Ref("SecurityGroups", subs.CommaListItems("securityGroup"))})},
        {"AssignPublicIp", task.assign_public_ip ? "ENABLED" : "DISABLED"}}}};
  params["Overrides"] = {{"ContainerOverrides", Json::array({std::move(override)})}};
  if (task.propagate_tags) params["PropagateTags"] = "TASK_DEFINITION";
  if (!task.tags.empty()) {
    Json tags = Json::array();
    for (const auto& [k, v] : task.tags) {
      tags.push_back({{"Key", subs.Text(k.value)}, {"Value", subs.Text(v.value)}});
    }
    params["Tags"] = std::move(tags);
  }
  s.fields["Parameters"] = std::move(params);

  // RunTask acts on the task definition. The task ARN is task/<cluster>/<id> and ecs:cluster
  // narrows every action to the imported cluster.
  Json cluster_arn = Arn("ecs", "cluster/${Import}", cluster_name);
  Json cluster_condition = {{"ArnEquals", {{"ecs:cluster", cluster_arn}}}};
  Json tasks = Arn("ecs", "task/${Import}/*", cluster_name);
  wf.iam.push_back({{"ecs:RunTask"}, {task_definition}, cluster_condition});
  // .sync polls and, when the execution is stopped, stops the task it started.
  wf.iam.push_back({{"ecs:DescribeTasks", "ecs:StopTask"}, {tasks}, std::move(cluster_condition)});
  // Tagging a task at launch needs ecs:TagResource on it, and only then.
  if (task.propagate_tags || !task.tags.empty()) {
    wf.iam.push_back(
        {{"ecs:TagResource"}, {tasks}, {{"StringEquals", {{"ecs:CreateAction", "RunTask"}}}}});
  }
  // .sync learns that the task stopped through this managed rule.
  wf.iam.push_back({{"events:DescribeRule", "events:PutRule", "events:PutTargets"},
                    {Arn("events", "rule/StepFunctionsGetEventsForECSTaskRule")},
                    nullptr});
  // The task's roles, and only to ECS tasks.
  wf.iam.push_back({{"iam:PassRole"},
                    {subs.Import("taskRole"), subs.Import("executionRole")},
                    {{"StringEquals", {{"iam:PassedToService", "ecs-tasks.amazonaws.com"}}}}});
}

Json FailureMessage() {
  return {{"error.$", "$.error.Error"},
          {"cause.$", "$.error.Cause"},
          {"executionName.$", "$$.Execution.Name"},
          {"timestamp.$", "$$.State.EnteredTime"}};
}

void SnsPublish(const std::string& topic_import, const std::string& subject, const Json& message,
                Substitutions& subs, WorkflowIR& wf, State& s) {
  Json topic = subs.Import(topic_import);
  s.type = "Task";
  s.fields["Resource"] = std::string(kStatesArnPrefix) + "sns:publish";
  std::string placeholder =
      topic_import == "alertsTopic" ? "AlertsTopicArn" : "Topic_" + topic_import;
  Json params = {{"TopicArn", subs.Ref(placeholder, topic)}};
  if (!subject.empty()) params["Subject"] = subs.Text(subject);
  params["Message"] = message;
  s.fields["Parameters"] = std::move(params);
  wf.iam.push_back({{"sns:Publish"}, {topic}, nullptr});
}

void LoggingAndTracingStatements(bool logging, bool tracing, WorkflowIR& wf) {
  // Neither CloudWatch Logs' log delivery API nor X-Ray's trace API supports resource-level
  // permissions: AWS documents "*" for both.
  IamStatement st;
  st.resources = {"*"};
  if (logging) {
    st.actions = {"logs:CreateLogDelivery", "logs:DeleteLogDelivery",
                  "logs:DescribeLogGroups", "logs:DescribeResourcePolicies",
                  "logs:GetLogDelivery",    "logs:ListLogDeliveries",
                  "logs:PutResourcePolicy", "logs:UpdateLogDelivery"};
  }
  if (tracing) {
    for (const char* a : {"xray:GetSamplingRules", "xray:GetSamplingTargets",
                          "xray:PutTelemetryRecords", "xray:PutTraceSegments"}) {
      st.actions.push_back(a);
    }
  }
  if (!st.actions.empty()) wf.iam.push_back(std::move(st));
}

}  // namespace orchc
