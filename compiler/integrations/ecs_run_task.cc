// ECS RunTask (.sync): the `task:` step (and a workflow's `task:`), run on Fargate with the
// container's command and environment overridden, waited for until the task stops.
#include <algorithm>
#include <set>

#include "integrations/unit_util.h"
#include "jsonpath.h"
#include "task_outcomes.h"

namespace orchc {

namespace {

using integration::Arn;

// ECS RunTask, .sync (waits for the task to stop), on Fargate, with the container command
// overridden: the state's Resource and Parameters, and its IAM statements added to `wf`.
void EcsRunTaskSync(const WorkflowSpec& w, const EcsTaskSpec& task, Substitutions& subs,
                    WorkflowIR& wf, State& s);

// A string literal of an intrinsic function: single-quoted, with ' { } \ escaped.
std::string IntrinsicString(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '{' || c == '}' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

// The container override as ECS receives it, for its 8,192-character limit: measured from the
// spec's command, environment and container name as written (the command's paths unresolved).
size_t OverridesChars(const EcsTaskSpec& t) {
  Json command = Json::array();
  for (const LocatedString& arg : t.command) command.push_back(arg.value);
  Json env = Json::array();
  for (const auto& [k, v] : t.environment) env.push_back({{"name", k.value}, {"value", v.value}});
  Json container = {{"name", t.container.value}, {"command", command}};
  if (!env.empty()) container["environment"] = env;
  Json overrides = {{"containerOverrides", Json::array({container})}};
  return overrides.dump(-1, ' ', false, Json::error_handler_t::replace).size();
}

class EcsRunTask final : public Integration {
 public:
  const char* name() const override { return "ecs:runTask.sync"; }
  size_t step_kind() const override { return KindIndex<EcsTaskSpec>(); }

  void Read(const YNode* t, StepSpec& step, SpecReader& r) const override {
    EcsTaskSpec& task = std::get<EcsTaskSpec>(step.body);
    task.container = r.Literal(nullptr, "backend");
    task.container.loc = t->loc;
    if (const YNode* c = t->Get("container")) task.container = r.Literal(c);
    const YNode* cmd = t->Get("command");
    task.command_loc = cmd->loc;
    task.command.clear();
    task.command_is_path.clear();
    for (const YNode* arg : cmd->items) {
      bool path = arg->IsMap();
      task.command.push_back(r.Literal(path ? arg->Get("path") : arg));
      task.command_is_path.push_back(path);
    }
    if (const YNode* env = t->Get("environment")) task.environment = r.Tags(env);
    if (const YNode* logs = t->Get("logs")) {
      task.logs = {r.Expanded(logs->Get("group")), r.Expanded(logs->Get("streamPrefix")),
                   logs->loc};
    }
    if (const YNode* pv = t->Get("platformVersion")) task.platform_version = pv->value;
    if (const YNode* ip = t->Get("assignPublicIp")) AsBool(*ip, &task.assign_public_ip);
    if (const YNode* cps = t->Get("capacityProviders")) {
      task.capacity_loc = cps->loc;
      for (const YNode* cp : cps->items) {
        CapacityProviderSpec p;
        p.loc = cp->loc;
        p.provider = cp->Get("provider")->value;
        if (const YNode* v = cp->Get("weight")) AsInt(*v, &p.weight);
        if (const YNode* v = cp->Get("base")) AsInt(*v, &p.base);
        task.capacity_providers.push_back(p);
      }
    }
    if (const YNode* pt = t->Get("propagateTags")) AsBool(*pt, &task.propagate_tags);
    if (const YNode* tags = t->Get("tags")) task.tags = r.Tags(tags);
    ReadTaskOutcomes(t, task, r);
    // The stopped task is kept beside the input rather than replacing it.
    step.result_path = ResultPath::At("$.taskResult");
  }

  void Check(const StepSpec& s, CheckContext& ctx) const override {
    const EcsTaskSpec& t = std::get<EcsTaskSpec>(s.body);
    DiagSink& sink = ctx.sink;
    for (size_t i = 0; i < t.command.size() && i < t.command_is_path.size(); ++i) {
      if (!t.command_is_path[i]) continue;
      const LocatedString& path = t.command[i];
      check::NoPlaceholder(sink, path.value, path.loc, "command path");
      // Pasted into States.Array(...): only a single-node path, so it cannot add arguments.
      if (path.value.starts_with("$") && path.value.find("${") == std::string::npos) {
        if (std::string why =
                JsonPathError(path.value, PathKind::kIntrinsicArgument, ContextObject::kAllowed);
            !why.empty()) {
          sink.Error(path.loc, "command path '" + path.value +
                                   "' is not a JSONPath Step Functions accepts here: " + why);
        }
      }
    }
    if (ctx.workflow.express) {
      check::Err(sink, s.name,
                 "step '" + s.name.value +
                     "' runs an ECS task and waits for it (.sync), "
                     "which EXPRESS workflows cannot do; use type: STANDARD");
    }
    check::ContainerName(sink, t.container);
    if (t.logs) {
      if (ctx.workflow.task_definition) {
        sink.Error(t.logs->loc,
                   "logs applies to an imported task definition; the workflow's own "
                   "taskDefinition logs to /ecs/<env>-<workflow> already");
      }
      check::Name(sink, t.logs->group, "logs.group", 512, "._/#A-Za-z0-9-");
      check::Name(sink, t.logs->stream_prefix, "logs.streamPrefix", 512, "._/#A-Za-z0-9-");
    }
    std::set<std::string> providers;
    int with_base = 0, weighted = 0;
    for (const CapacityProviderSpec& p : t.capacity_providers) {
      if (!providers.insert(p.provider).second)
        sink.Error(p.loc, "capacity provider " + p.provider + " is listed twice");
      if (p.weight < 0 || p.weight > 1000)
        sink.Error(p.loc, "capacity provider weight must be 0 to 1000");
      if (p.base < 0 || p.base > 100000)
        sink.Error(p.loc, "capacity provider base must be 0 to 100000");
      with_base += p.base > 0;
      weighted += p.weight > 0;
    }
    if (with_base > 1) sink.Error(t.capacity_loc, "only one capacity provider may have a base");
    if (!t.capacity_providers.empty() && weighted == 0) {
      sink.Error(t.capacity_loc, "at least one capacity provider needs a weight above 0");
    }
    check::Tags(sink, t.tags);
  }

  void Lower(const StepSpec& s, LowerContext& ctx, State& state) const override {
    const EcsTaskSpec& task = std::get<EcsTaskSpec>(s.body);
    EcsRunTaskSync(ctx.workflow, task, ctx.subs, ctx.wf, state);
    const SourceLoc& at = task.command_loc;
    ctx.wf.step_sizes.push_back(
        {OverridesChars(task), at.line ? at : ctx.workflow.loc, s.name.value, this});
  }

  void CheckLimits(const SizeUse& overrides, LimitContext& ctx) const override {
    const uint64_t chars = overrides.used;
    if (ctx.budget) {
      ctx.budget->push_back(
          {"container overrides characters: " + ctx.workflow.name + "/" + overrides.step, chars,
           ctx.limits.max_overrides_chars, overrides.loc});
    }
    if (chars <= ctx.limits.max_overrides_chars) return;
    ctx.sink.Error(overrides.loc,
                   "the container command of step '" + overrides.step + "' of workflow '" +
                       ctx.workflow.name + "' makes " + Grouped(chars) +
                       " characters of ECS overrides, over ECS's limit of " +
                       Grouped(ctx.limits.max_overrides_chars) +
                       "; pass long inputs another way (a file in the image, an S3 object)");
  }
};

// The container's overrides: its command (literal, or joined at run time from values of the
// state) and environment.
Json ContainerOverride(const EcsTaskSpec& task, const std::string& container, Substitutions& subs) {
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
  return override;
}

// The statements the role needs to run the task, wait for it and stop it.
void RunTaskStatements(const EcsTaskSpec& task, const Json& task_definition,
                       const Json& cluster_name, Substitutions& subs, WorkflowIR& wf) {
  // RunTask acts on the task definition. The task ARN is task/<cluster>/<id> and ecs:cluster
  // narrows every action to the imported cluster.
  Json cluster_arn = Arn("ecs", "cluster/${Import}", cluster_name);
  Json cluster_condition = {{"ArnEquals", {{"ecs:cluster", cluster_arn}}}};
  Json tasks = Arn("ecs", "task/${Import}/*", cluster_name);
  wf.iam.push_back({{"ecs:RunTask"}, {task_definition}, cluster_condition});
  wf.iam.back().reason =
      "Step Functions' ECS integration starts the task with ecs:RunTask on its task definition.";
  // .sync polls and, when the execution is stopped, stops the task it started.
  wf.iam.push_back({{"ecs:DescribeTasks", "ecs:StopTask"}, {tasks}, std::move(cluster_condition)});
  wf.iam.back().reason =
      "Step Functions' ECS .sync integration polls the task with ecs:DescribeTasks and stops it "
      "with ecs:StopTask when the execution stops.";
  // Tagging a task at launch needs ecs:TagResource on it, and only then.
  if (task.propagate_tags || !task.tags.empty()) {
    wf.iam.push_back(
        {{"ecs:TagResource"}, {tasks}, {{"StringEquals", {{"ecs:CreateAction", "RunTask"}}}}});
    wf.iam.back().reason =
        "ECS authorizes tagging a task at launch (tags, propagateTags) with ecs:TagResource.";
  }
  // .sync learns that the task stopped through this managed rule.
  wf.iam.push_back({{"events:DescribeRule", "events:PutRule", "events:PutTargets"},
                    {Arn("events", "rule/StepFunctionsGetEventsForECSTaskRule")},
                    nullptr});
  wf.iam.back().reason =
      "Step Functions' ECS .sync integration learns that the task stopped through its managed "
      "EventBridge rule StepFunctionsGetEventsForECSTaskRule.";
  // The task's roles, and only to ECS tasks.
  wf.iam.push_back({{"iam:PassRole"},
                    {subs.Import("taskRole"), subs.Import("executionRole")},
                    {{"StringEquals", {{"iam:PassedToService", "ecs-tasks.amazonaws.com"}}}}});
  wf.iam.back().reason =
      "RunTask hands the task definition's task and execution roles to ECS, which needs "
      "iam:PassRole on them (only to ecs-tasks.amazonaws.com).";
}

}  // namespace

const Integration* EcsRunTaskIntegration() {
  static const EcsRunTask kUnit;
  return &kUnit;
}

namespace {

void EcsRunTaskSync(const WorkflowSpec& w, const EcsTaskSpec& task, Substitutions& subs,
                    WorkflowIR& wf, State& s) {
  Json cluster_name = subs.Import("cluster");
  Json task_definition = w.task_definition ? Json{{"Ref", wf.id_prefix + "TaskDefinition"}}
                                           : subs.Import("taskDefinition");
  std::string container = task.container.value;
  if (w.task_definition && !task.container.written()) {
    container = w.task_definition->container.value;
  }

  s.type = "Task";
  s.fields["Resource"] = std::string(integration::kStatesArnPrefix) + "ecs:runTask.sync";
  Json override = ContainerOverride(task, container, subs);
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

  RunTaskStatements(task, task_definition, cluster_name, subs, wf);
}

}  // namespace

}  // namespace orchc
