// retry.on / catch.on names checked and protected, JSONPaths checked, and the failure
// notification's states, through the whole compiler.
#include <gtest/gtest.h>

#include "test_util.h"

namespace orchc {
namespace {

using testing::Diagnostics;
using testing::Template;

std::string Spec(const std::string& body) {
  return "version: 1\nenv: prod\nimports: {taskDefinition: {ssm: /prod/td}}\nworkflows:\n  w:\n" +
         body;
}

const Json& States(const Json& t) {
  return t["Resources"]["WStateMachine"]["Properties"]["Definition"]["States"];
}

TEST(NotifyLowerTest, CustomNamesLoseTheirPrefixAndPlaceholdersAreProtected) {
  Json t = Template(Spec(R"yaml(    steps:
      - name: Work
        task: {command: [a]}
        retry: [{on: ["custom:LockHeld", "Task.ExitCode.75"], maxAttempts: 2}]
        catch: [{on: ["custom:${TaskDefinitionArn}"], next: Done}]
      - {name: Done, pass: {}}
)yaml"));
  const Json& s = States(t);
  EXPECT_EQ(s["Work"]["Retry"][0]["ErrorEquals"],
            Json::parse(R"(["LockHeld","Task.ExitCode.75"])"));
  // "${TaskDefinitionArn}" reaches the definition as a placeholder of its own literal text, so
  // CloudFormation cannot substitute the task definition's ARN into it.
  std::string caught = s["Work"]["Catch"][0]["ErrorEquals"][0];
  EXPECT_NE(caught, "${TaskDefinitionArn}");
  EXPECT_TRUE(caught.starts_with("${Literal")) << caught;
  const Json& subs = t["Resources"]["WStateMachine"]["Properties"]["DefinitionSubstitutions"];
  EXPECT_EQ(subs[caught.substr(2, caught.size() - 3)], "\\u0024{TaskDefinitionArn}");
}

TEST(NotifyLowerTest, UnknownNamesAreLocatedErrors) {
  std::string d = Diagnostics(Spec(R"yaml(    steps:
      - name: Work
        task: {command: [a]}
        retry: [{on: [Ecs.ServerException]}]
        catch: [{on: [States.TaskFailled], next: Done}]
      - {name: Done, fail: {error: Oops}}
)yaml"));
  EXPECT_NE(d.find("spec.yaml:9:23: error: 'Ecs.ServerException' is not an error this workflow can "
                   "raise; did you mean 'ECS.ServerException'?"),
            std::string::npos)
      << d;
  EXPECT_NE(d.find("spec.yaml:10:23: error: 'States.TaskFailled' is not an error Step Functions "
                   "defines; did you mean 'States.TaskFailed'?"),
            std::string::npos)
      << d;
  // A fail step's error is an error the workflow raises.
  EXPECT_EQ(Diagnostics(Spec(R"yaml(    steps:
      - name: Work
        parallel:
          - - {name: Inner, fail: {error: Oops}}
        catch: [{on: [Oops], next: Done}]
      - {name: Done, pass: {}}
)yaml")),
            "");
}

TEST(NotifyLowerTest, PathArgumentsCannotAddArguments) {
  std::string d = Diagnostics(Spec(R"yaml(    steps:
      - name: Work
        task: {command: [a, {path: "$.day, '--x'"}]}
)yaml"));
  EXPECT_NE(d.find("error: command path '$.day, '--x'' is not a JSONPath Step Functions accepts "
                   "here: expected '.' or '[' at character 6"),
            std::string::npos)
      << d;
}

TEST(NotifyLowerTest, FailedStepNamesAvoidUserNames) {
  Json t = Template(Spec(R"yaml(    steps:
      - {name: FailedStep1, task: {command: [a]}}
      - {name: Two, task: {command: [b]}}
)yaml"));
  const Json& s = States(t);
  EXPECT_EQ(s["FailedStep1"]["Type"], "Task");
  EXPECT_EQ(s["FailedStep1"]["Catch"][0]["Next"], "FailedStep1_");
  EXPECT_EQ(s["FailedStep1_"]["Result"]["step"], "FailedStep1");
  EXPECT_EQ(s["Two"]["Catch"][0]["Next"], "FailedStep2");
  EXPECT_EQ(s["FailedStep2"]["Result"]["step"], "Two");
}

TEST(NotifyLowerTest, NotificationStateNamesAreReserved) {
  std::string d = Diagnostics(Spec(R"yaml(    steps:
      - {name: FailureCause, task: {command: [a]}}
)yaml"));
  EXPECT_NE(d.find("step name 'FailureCause' is the name of a state orchc adds"), std::string::npos)
      << d;
}

}  // namespace
}  // namespace orchc
