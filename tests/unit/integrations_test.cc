// Service integrations (compiler/integrations/): the table of units against the step kinds, and
// what each unit lowers to.
#include <gtest/gtest.h>

#include <set>
#include <utility>

#include "integrations/integration.h"
#include "test_util.h"

namespace orchc {
namespace {

template <size_t... I>
std::vector<bool> ServiceKinds(std::index_sequence<I...>) {
  return {ServiceBody<std::variant_alternative_t<I, StepBody>>...};
}

TEST(IntegrationsTest, EveryServiceKindHasExactlyOneUnit) {
  const std::vector<bool> service =
      ServiceKinds(std::make_index_sequence<std::variant_size_v<StepBody>>{});
  std::set<size_t> kinds;
  for (const Integration* unit : Integrations()) {
    ASSERT_NE(unit, nullptr);
    if (unit->step_kind() == kNoStepKind) continue;
    ASSERT_LT(unit->step_kind(), service.size()) << unit->name();
    EXPECT_TRUE(service[unit->step_kind()])
        << unit->name() << " implements " << kStepKinds[unit->step_kind()].key
        << ", whose body does not derive from ServiceStep";
    EXPECT_TRUE(kinds.insert(unit->step_kind()).second)
        << "two units for " << kStepKinds[unit->step_kind()].key;
  }
  for (size_t i = 0; i < service.size(); ++i) {
    if (!service[i]) continue;
    EXPECT_TRUE(kinds.count(i)) << "no unit in Integrations() for " << kStepKinds[i].key;
    EXPECT_TRUE(kStepKinds[i].can_fail) << kStepKinds[i].key << ": a service call can fail";
  }
}

// The statements of one role, as (actions, resource) pairs.
std::vector<std::pair<Json, Json>> Statements(const Json& t, const char* role) {
  std::vector<std::pair<Json, Json>> out;
  for (const Json& st :
       t["Resources"][role]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]) {
    out.emplace_back(st["Action"], st["Resource"]);
  }
  return out;
}

TEST(IntegrationsTest, NestedWorkflowStartsTheChildAndGrantsWhatSyncNeeds) {
  Json t = testing::Template(R"yaml(version: 1
env: prod
imports: {taskDefinition: {ssm: /prod/td}}
workflows:
  parent:
    steps:
      - {name: Child, workflow: child-job}
    onFailure: false
    logs: {level: "OFF"}
    tracing: false
  child-job:
    task: {command: [x]}
)yaml");
  const Json& props = t["Resources"]["ParentStateMachine"]["Properties"];
  const Json& state = props["Definition"]["States"]["Child"];
  EXPECT_EQ(state["Resource"], "arn:aws:states:::states:startExecution.sync:2");
  EXPECT_EQ(state["Parameters"]["StateMachineArn"], "${ChildJobStateMachineArn}");
  EXPECT_EQ(props["DefinitionSubstitutions"]["ChildJobStateMachineArn"],
            Json({{"Ref", "ChildJobStateMachine"}}));
  EXPECT_EQ(state["ResultPath"], "$.workflowResult");
  auto statements = Statements(t, "ParentStateMachineRole");
  ASSERT_EQ(statements.size(), 3u) << t["Resources"]["ParentStateMachineRole"].dump(1);
  EXPECT_EQ(statements[0].first, "states:StartExecution");
  EXPECT_EQ(statements[0].second, Json({{"Ref", "ChildJobStateMachine"}}));
  EXPECT_EQ(statements[1].first, Json({"states:DescribeExecution", "states:StopExecution"}));
  EXPECT_EQ(statements[1].second,
            Json({{"Fn::Sub",
                   "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:execution:"
                   "prod-child-job-workflow:*"}}));
  EXPECT_EQ(statements[2].first,
            Json({"events:DescribeRule", "events:PutRule", "events:PutTargets"}));
  EXPECT_EQ(statements[2].second,
            Json({{"Fn::Sub",
                   "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/"
                   "StepFunctionsGetEventsForStepFunctionsExecutionRule"}}));
}

}  // namespace
}  // namespace orchc
