// Lowering and back ends: IAM least privilege, the definition and its substitutions.
#include <gtest/gtest.h>

#include "test_util.h"

namespace orchc {
namespace {

using testing::kMinimalSpec;
using testing::Template;

const Json& Policy(const Json& t) {
  return t["Resources"]["SampleBatchStateMachineRole"]["Properties"]["Policies"][0]
          ["PolicyDocument"]["Statement"];
}

TEST(LowerTest, ExactlyOneConditionedPassRoleOnTheTwoEcsRoles) {
  Json t = Template(kMinimalSpec);
  int passrole = 0;
  for (const Json& st : Policy(t)) {
    Json actions = st["Action"].is_array() ? st["Action"] : Json::array({st["Action"]});
    for (const Json& a : actions) {
      if (a != "iam:PassRole") continue;
      ++passrole;
      EXPECT_EQ(actions.size(), 1u);
      EXPECT_EQ(st["Resource"], Json::parse(R"([{"Fn::ImportValue":"prod-TaskRoleArn"},
                                                {"Fn::ImportValue":"prod-TaskExecutionRoleArn"}])"));
      EXPECT_EQ(st["Condition"]["StringEquals"]["iam:PassedToService"], "ecs-tasks.amazonaws.com");
    }
  }
  EXPECT_EQ(passrole, 1);
}

TEST(LowerTest, EveryActionIsNamedAndStarOnlyWhereAwsOffersNothingNarrower) {
  Json t = Template(kMinimalSpec);
  for (const Json& st : Policy(t)) {
    Json actions = st["Action"].is_array() ? st["Action"] : Json::array({st["Action"]});
    for (const Json& a : actions) {
      std::string s = a.get<std::string>();
      EXPECT_EQ(s.find('*'), std::string::npos) << s;
      if (st["Resource"] == "*") {
        EXPECT_TRUE(s.starts_with("logs:") || s.starts_with("xray:")) << s;
      }
      // StopTask/DescribeTasks act on tasks, never on the task definition.
      if (s == "ecs:StopTask" || s == "ecs:DescribeTasks") {
        EXPECT_EQ(st["Resource"]["Fn::Sub"][0],
                  "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task/${Import}/*");
      }
    }
  }
}

TEST(LowerTest, SyncIntegrationGetsTheManagedRulePermissions) {
  Json t = Template(kMinimalSpec);
  bool found = false;
  for (const Json& st : Policy(t)) {
    if (st["Action"] ==
        Json::parse(R"(["events:DescribeRule","events:PutRule","events:PutTargets"])")) {
      found = true;
      EXPECT_EQ(st["Resource"]["Fn::Sub"],
                "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/"
                "StepFunctionsGetEventsForECSTaskRule");
    }
  }
  EXPECT_TRUE(found);
}

TEST(LowerTest, NoLoggingOrTracingMeansNoWildcardStatement) {
  Json t = Template(std::string(kMinimalSpec) + "tracing: false\nlogs: {level: 'OFF'}\n");
  for (const Json& st : Policy(t)) EXPECT_NE(st["Resource"], "*") << st.dump();
  EXPECT_FALSE(t["Resources"].contains("SampleBatchLogGroup"));
  EXPECT_FALSE(
      t["Resources"]["SampleBatchStateMachine"]["Properties"].contains("LoggingConfiguration"));
}

TEST(LowerTest, SubnetsTakeEveryItemOfTheImport) {
  Json t = Template(kMinimalSpec);
  const Json& props = t["Resources"]["SampleBatchStateMachine"]["Properties"];
  // The workflow's graph is the branch of OverlapRun (overlap: skip, the default).
  const Json& own = props["Definition"]["States"]["OverlapRun"]["Branches"][0]["States"];
  EXPECT_EQ(
      own["RunBatchTask"]["Parameters"]["NetworkConfiguration"]["AwsvpcConfiguration"]["Subnets"],
      Json::array({"${Subnets}"}));
  EXPECT_EQ(
      props["DefinitionSubstitutions"]["Subnets"],
      Json::parse(
          R"({"Fn::Join":["\",\"",{"Fn::Split":[",",{"Fn::ImportValue":"prod-PrivateSubnetIds"}]}]})"));
}

TEST(LowerTest, FailureEndsFailedByDefaultAndSucceededOnRequest) {
  Json t = Template(kMinimalSpec);
  const Json& states = t["Resources"]["SampleBatchStateMachine"]["Properties"]["Definition"]
                        ["States"]["OverlapRun"]["Branches"][0]["States"];
  EXPECT_EQ(states["NotifyFailure"]["Next"], "Failed");
  EXPECT_EQ(states["Failed"]["Type"], "Fail");
  EXPECT_EQ(states["Failed"]["ErrorPath"], "$.error.Error");

  Json t2 = Template(
      "version: 1\nenv: dev\nworkflows:\n  w:\n    task: {command: [a]}\n"
      "    onFailure: {end: succeed}\n");
  const Json& s2 = t2["Resources"]["WStateMachine"]["Properties"]["Definition"]["States"];
  EXPECT_EQ(s2["NotifyFailure"]["End"], true);
  EXPECT_FALSE(s2.contains("Failed"));
  EXPECT_FALSE(t2["Resources"].contains("WScheduleRule"));  // no schedule, no rule
}

TEST(LowerTest, RuleIsDisabledWhenTheSpecSaysSo) {
  std::string spec = kMinimalSpec;
  spec.replace(spec.find("enabled: true"), 13, "enabled: false");
  Json t = Template(spec);
  EXPECT_EQ(t["Resources"]["SampleBatchScheduleRule"]["Properties"]["State"], "DISABLED");
  EXPECT_EQ(t["Resources"]["SampleBatchScheduleRule"]["Properties"]["Targets"][0]
             ["InputTransformer"]["InputTemplate"],
            "{\"triggerSource\":\"EventBridge\",\"timestamp\":<time>}");
}

TEST(LowerTest, SpecTextCannotBeSubstituted) {
  // "${...}" in a spec string must reach the state machine as the same literal text.
  Json t = Template(
      "version: 1\nenv: prod\nworkflows:\n  w:\n"
      "    task: {command: ['echo', '${TaskDefinitionArn}', '$$.x \"q\" \\\\']}\n");
  const Json& props = t["Resources"]["WStateMachine"]["Properties"];
  const Json& cmd = props["Definition"]["States"]["RunBatchTask"]["Parameters"]["Overrides"]
                         ["ContainerOverrides"][0]["Command"];
  EXPECT_EQ(cmd[1], "${Literal1}");
  EXPECT_EQ(props["DefinitionSubstitutions"]["Literal1"], "\\u0024{TaskDefinitionArn}");
  EXPECT_EQ(cmd[2], "$$.x \"q\" \\\\");

  // In the string embedding the same text is part of the Fn::Join, never a placeholder.
  EmitOptions ds;
  ds.definition_string = true;
  Json t2 = Template(
      "version: 1\nenv: prod\nworkflows:\n  w:\n"
      "    task: {command: ['echo', '${TaskDefinitionArn}']}\n",
      ds);
  std::string joined;
  for (const Json& part :
       t2["Resources"]["WStateMachine"]["Properties"]["DefinitionString"]["Fn::Join"][1]) {
    if (part.is_string()) joined += part.get<std::string>();
  }
  EXPECT_NE(joined.find("\"Command\":[\"echo\",\"\\u0024{TaskDefinitionArn}\"]"), std::string::npos)
      << joined;
  // The joined text with CloudFormation values filled in is the ASL itself.
  EXPECT_EQ(joined.find("${"), std::string::npos) << joined;
}

TEST(LowerTest, OutputsExportArnAndName) {
  Json t = Template(kMinimalSpec);
  EXPECT_EQ(t["Outputs"]["SampleBatchStateMachineArn"]["Export"]["Name"],
            "prod-sample-batch-StateMachineArn");
  EXPECT_EQ(t["Outputs"]["SampleBatchStateMachineName"]["Value"]["Fn::GetAtt"][1], "Name");
}

TEST(LowerTest, TemplateKeyOrderIsFixed) {
  Json t = Template(kMinimalSpec);
  std::vector<std::string> keys;
  for (auto& [k, v] : t.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"AWSTemplateFormatVersion", "Description", "Resources",
                                            "Outputs"}));
}

TEST(LowerTest, SeveralWorkflowsEachGetTheirOwnResources) {
  Json t = Template(
      "version: 1\nenv: prod\nworkflows:\n"
      "  a:\n    schedule: {expression: rate(1 day)}\n    task: {command: [a]}\n"
      "  b-c:\n    schedule: {expression: rate(2 days)}\n    task: {command: [b]}\n");
  for (const char* id : {"ALogGroup", "AStateMachineRole", "AStateMachine", "AScheduleRole",
                         "AScheduleRule", "BCLogGroup", "BCStateMachine", "BCScheduleRule"}) {
    EXPECT_TRUE(t["Resources"].contains(id)) << id;
  }
  EXPECT_EQ(t["Resources"]["BCStateMachineRole"]["Properties"]["RoleName"], "prod-b-c-sfn-role");
}

TEST(LowerTest, LogicalIdsSpelledTwiceByPrefixAndSuffixAreAnError) {
  // 'x' with its own task definition has XTaskLogGroup; so has 'x-task', by its prefix.
  const std::string spec =
      "version: 1\nenv: prod\nimports: {taskDefinition: {ssm: /prod/td}}\nworkflows:\n"
      "  x:\n    taskDefinition: {image: repo/app:1, cpu: 256, memory: 512}\n"
      "    task: {command: [/bin/x]}\n"
      "  x-task:\n    task: {command: [/bin/y]}\n";
  EXPECT_EQ(testing::Diagnostics(spec),
            "spec.yaml: error: two parts of the template get the CloudFormation logical ID "
            "'XTaskLogGroup' (IDs are made from workflow, import and schedule group names); "
            "rename one of the workflows or groups\n");
}

}  // namespace
}  // namespace orchc
