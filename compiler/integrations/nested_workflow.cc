// Step Functions StartExecution (.sync:2): the `workflow:` step starts a state machine, a
// workflow of this spec or an imported ARN, and waits for its execution to end; the step's
// result is the execution's description with its output as JSON. AWS: "Start a new AWS Step
// Functions state machine from a running execution" (connect-stepfunctions) and its IAM policies
// (stepfunctions-iam), cited in docs/spec.md.
#include <map>

#include "integrations/unit_util.h"
#include "lower_util.h"

namespace orchc {

namespace {

using integration::Arn;

// The workflows of this spec that `steps` start, nested lists included. Recursive over nested
// lists only; their depth is bounded by the loader's max_depth (yaml_tree.h).
void StartedWorkflows(const StepList& steps, std::vector<const LocatedString*>& out) {
  for (const StepSpec& s : steps) {
    if (const auto* n = std::get_if<NestedWorkflowSpec>(&s.body)) {
      if (n->workflow) out.push_back(&*n->workflow);
    }
    for (const StepList* nested : NestedLists(s)) StartedWorkflows(*nested, out);
  }
}

// The chain of workflows from `from` that starts `to` again ("b -> c -> a"), or "" when none
// does. Breadth-first over the spec's workflows, each visited once.
std::string ChainBack(const Spec& spec, const std::string& from, const std::string& to) {
  std::map<std::string, const WorkflowSpec*> by_name;
  for (const WorkflowSpec& w : spec.workflows) by_name.emplace(w.name, &w);
  std::map<std::string, std::string> parent = {{from, ""}};
  std::vector<std::string> queue = {from};
  for (size_t i = 0; i < queue.size(); ++i) {
    auto it = by_name.find(queue[i]);
    if (it == by_name.end()) continue;
    std::vector<const LocatedString*> started;
    StartedWorkflows(it->second->steps, started);
    for (const LocatedString* next : started) {
      if (next->value == to) {
        std::string chain = to;
        for (std::string at = queue[i]; !at.empty(); at = parent[at]) chain = at + " -> " + chain;
        return chain;
      }
      if (parent.emplace(next->value, queue[i]).second) queue.push_back(next->value);
    }
  }
  return "";
}

const WorkflowSpec* FindWorkflow(const Spec& spec, const std::string& name) {
  for (const WorkflowSpec& w : spec.workflows) {
    if (w.name == name) return &w;
  }
  return nullptr;
}

class NestedWorkflow final : public Integration {
 public:
  const char* name() const override { return "states:startExecution.sync:2"; }
  size_t step_kind() const override { return KindIndex<NestedWorkflowSpec>(); }

  void Read(const YNode* body, StepSpec& step, SpecReader& r) const override {
    NestedWorkflowSpec& n = std::get<NestedWorkflowSpec>(step.body);
    n.loc = body->loc;
    if (!body->IsMap()) {
      n.workflow = r.Literal(body);
    } else {
      if (const YNode* v = body->Get("name")) n.workflow = r.Literal(v);
      if (const YNode* v = body->Get("import")) n.import = r.Literal(v);
      n.input = body->Get("input");
    }
    // The execution's description is kept beside the input rather than replacing it.
    step.result_path = ResultPath::At("$.workflowResult");
  }

  void Check(const StepSpec& s, CheckContext& ctx) const override {
    const NestedWorkflowSpec& n = std::get<NestedWorkflowSpec>(s.body);
    const std::string& step = s.name.value;
    if (n.workflow.has_value() == n.import.has_value()) {
      ctx.sink.Error(n.loc, !n.import
                                ? "workflow step '" + step +
                                      "' needs name: (a workflow of this spec) or import: (an "
                                      "import holding a state machine ARN)"
                                : "workflow step '" + step +
                                      "' has both name: and import:; it starts one state machine");
      return;
    }
    if (ctx.workflow.express) {
      check::Err(ctx.sink, s.name,
                 "step '" + step +
                     "' starts a workflow and waits for it (.sync), which EXPRESS workflows "
                     "cannot do; use type: STANDARD");
    }
    if (n.import) {
      check::ImportExists(ctx.sink, ctx.imports, *n.import, "workflow.import");
      return;
    }
    const std::string& target = n.workflow->value;
    if (!FindWorkflow(ctx.spec, target)) {
      std::vector<std::string> names;
      for (const WorkflowSpec& w : ctx.spec.workflows) names.push_back(w.name);
      std::string guess = SpellCheck(target, names);
      check::Err(ctx.sink, *n.workflow,
                 "'" + target + "' is not a workflow of this spec" +
                     (guess.empty() ? "" : "; did you mean '" + guess + "'?"));
      return;
    }
    const std::string& self = ctx.workflow.name;
    if (target == self) {
      check::Err(ctx.sink, *n.workflow,
                 "workflow '" + self + "' starts itself (step '" + step +
                     "'); a state machine cannot name its own ARN (CloudFormation: circular "
                     "dependency) and each execution would start another");
      return;
    }
    std::string chain = ChainBack(ctx.spec, target, self);
    if (!chain.empty()) {
      check::Err(ctx.sink, *n.workflow,
                 "workflow '" + self + "' starts '" + target + "', which starts '" + self +
                     "' again (" + self + " -> " + chain +
                     "); state machines that name each other's ARNs are a circular dependency "
                     "CloudFormation refuses");
    }
  }

  void Lower(const StepSpec& s, LowerContext& ctx, State& state) const override {
    const NestedWorkflowSpec& n = std::get<NestedWorkflowSpec>(s.body);
    Substitutions& subs = ctx.subs;
    Json arn, executions;
    std::string placeholder;
    if (n.import) {
      arn = subs.Import(n.import->value);
      placeholder = "StateMachine_" + n.import->value;
      // arn:<partition>:states:<region>:<account>:stateMachine:<name>; its executions are
      // arn:<partition>:states:<region>:<account>:execution:<name>:<id>.
      auto part = [&](int i) {
        return Json{{"Fn::Select", Json::array({i, {{"Fn::Split", Json::array({":", arn})}}})}};
      };
      executions = {{"Fn::Sub", Json::array({"arn:${Partition}:states:${Region}:${Account}:"
                                             "execution:${Name}:*",
                                             {{"Partition", part(1)},
                                              {"Region", part(3)},
                                              {"Account", part(4)},
                                              {"Name", part(6)}}})}};
    } else {
      const WorkflowSpec& target = *FindWorkflow(ctx.spec, n.workflow->value);
      const std::string prefix = PascalCase(target.name);
      arn = {{"Ref", prefix + "StateMachine"}};
      placeholder = prefix + "StateMachineArn";
      executions = Arn("states", "execution:" + target.state_machine_name.value + ":*");
    }
    state.type = "Task";
    state.fields["Resource"] =
        std::string(integration::kStatesArnPrefix) + "states:startExecution.sync:2";
    Json input = n.input ? ValueJson(n.input, &subs) : Json::object();
    // Links the started execution to this one in the console (connect-stepfunctions).
    input["AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$"] = "$$.Execution.Id";
    state.fields["Parameters"] = {{"StateMachineArn", subs.Ref(placeholder, arn)},
                                  {"Input", std::move(input)}};

    ctx.wf.iam.push_back({{"states:StartExecution"}, {arn}, nullptr});
    ctx.wf.iam.back().reason =
        "Step Functions' nested execution integration starts the state machine with "
        "states:StartExecution on it.";
    // .sync polls the execution and, when this one is stopped, stops it.
    ctx.wf.iam.push_back(
        {{"states:DescribeExecution", "states:StopExecution"}, {executions}, nullptr});
    ctx.wf.iam.back().reason =
        "The .sync:2 integration polls the started execution with states:DescribeExecution and "
        "stops it with states:StopExecution when this execution stops.";
    // .sync learns that the execution ended through this managed rule.
    ctx.wf.iam.push_back(
        {{"events:DescribeRule", "events:PutRule", "events:PutTargets"},
         {Arn("events", "rule/StepFunctionsGetEventsForStepFunctionsExecutionRule")},
         nullptr});
    ctx.wf.iam.back().reason =
        "The .sync:2 integration learns that the started execution ended through its managed "
        "EventBridge rule StepFunctionsGetEventsForStepFunctionsExecutionRule.";
  }
};

}  // namespace

const Integration* NestedWorkflowIntegration() {
  static const NestedWorkflow kUnit;
  return &kUnit;
}

}  // namespace orchc
