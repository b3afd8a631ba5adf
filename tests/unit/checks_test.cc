// Semantic checks: AWS limits and grammar, each error at the field.
#include <gtest/gtest.h>

#include "test_util.h"

namespace orchc {
namespace {

using testing::Diagnostics;

// A spec with one workflow `w`; its task definition comes from SSM, so that the revisioned-ARN
// warning (tested on its own) stays out of the way.
std::string Workflow(const std::string& body) {
  return "version: 1\nenv: prod\nimports: {taskDefinition: {ssm: /prod/td}}\nworkflows:\n  w:\n" +
         body;
}

TEST(ChecksTest, CronErrorPointsIntoTheExpression) {
  EXPECT_EQ(Diagnostics(Workflow("    schedule: {expression: 'cron(0 24 * * ? *)'}\n"
                                 "    task: {command: [a]}\n")),
            "spec.yaml:6:36: error: hour 24 is out of range 0-23\n"
            "      schedule: {expression: 'cron(0 24 * * ? *)'}\n"
            "                                     ^~\n");
}

TEST(ChecksTest, SeedBlockCronIsChecked) {
  std::string spec = testing::kMinimalSpec;
  spec.replace(spec.find("cron(0 17 * * ? *)"), 18, "cron(0 17 * * *)");
  std::string d = Diagnostics(spec);
  EXPECT_NE(d.find("spec.yaml:5:28: error: cron() needs 6 fields"), std::string::npos) << d;
}

TEST(ChecksTest, RateUnitMustAgreeWithValue) {
  std::string d =
      Diagnostics(Workflow("    schedule: {expression: rate(1 hours)}\n"
                           "    task: {command: [a]}\n"));
  EXPECT_NE(d.find("spec.yaml:6:35: error: 'hours' is plural but the value is 1; use 'hour' for a "
                   "value of 1"),
            std::string::npos)
      << d;
}

TEST(ChecksTest, NamesOverAwsLimits) {
  std::string longname(70, 'a');
  std::string d =
      Diagnostics("version: 1\nenv: prod\nworkflows:\n  " + longname +
                  ":\n    schedule: {expression: rate(5 minutes)}\n    task: {command: [a]}\n");
  EXPECT_NE(d.find("spec.yaml:4:3: error: state machine name 'prod-" + longname +
                   "-workflow' must be 1 to 80 characters (it is 84); shorten the workflow or env "
                   "name, or set names.stateMachine"),
            std::string::npos)
      << d;
  EXPECT_NE(d.find("rule name of workflow '" + longname + "' 'prod-" + longname +
                   "-schedule' is 84 characters, over AWS's limit of 64"),
            std::string::npos)
      << d;
  EXPECT_NE(d.find("role name of workflow '" + longname), std::string::npos) << d;
}

TEST(ChecksTest, InvalidCharactersInGivenNames) {
  std::string d =
      Diagnostics(Workflow("    task: {command: [a]}\n    names: {stateMachineRole: 'role name', "
                           "stateMachine: 'a:b'}\n"));
  EXPECT_NE(d.find("spec.yaml:7:31: error: role name of workflow 'w' 'role name' contains ' '"),
            std::string::npos)
      << d;
  EXPECT_NE(d.find("spec.yaml:7:58: error: state machine name 'a:b' contains a character Step "
                   "Functions forbids (':')"),
            std::string::npos)
      << d;
}

TEST(ChecksTest, RetentionMustBeAnAllowedValue) {
  std::string d = Diagnostics(std::string(testing::kMinimalSpec) + "logs: {retentionDays: 31}\n");
  EXPECT_NE(d.find("spec.yaml:8:23: error: log retention of 31 days is not one CloudWatch Logs "
                   "allows"),
            std::string::npos)
      << d;
  EXPECT_NE(d.find("(nearest: 30 or 60)"), std::string::npos) << d;
}

TEST(ChecksTest, RetrySanity) {
  std::string d = Diagnostics(Workflow(
      "    task:\n      command: [a]\n      retry:\n"
      "        - {on: [States.ALL], maxAttempts: -1}\n"
      "        - {on: [States.TaskFailed, States.TaskFailed], interval: 0, backoffRate: 0.5}\n"
      "        - {on: [States.Runtime, States.Timout]}\n"));
  EXPECT_NE(
      d.find("spec.yaml:9:17: error: States.ALL must be the only error of the last retry rule"),
      std::string::npos)
      << d;
  EXPECT_NE(d.find("spec.yaml:9:43: error: retry maxAttempts must be between 0 and 99999999"),
            std::string::npos)
      << d;
  EXPECT_NE(d.find("spec.yaml:10:36: error: 'States.TaskFailed' is retried by an earlier rule "
                   "already"),
            std::string::npos)
      << d;
  EXPECT_NE(d.find("spec.yaml:10:66: error: retry interval must be between 1 and 99999999 seconds"),
            std::string::npos)
      << d;
  EXPECT_NE(d.find("spec.yaml:10:82: error: retry backoffRate must be at least 1.0"),
            std::string::npos)
      << d;
  EXPECT_NE(d.find("spec.yaml:11:17: error: States.Runtime errors cannot be retried"),
            std::string::npos)
      << d;
  EXPECT_NE(d.find("spec.yaml:11:33: error: 'States.Timout' is not an error Step Functions "
                   "defines; did you mean 'States.Timeout'?"),
            std::string::npos)
      << d;
}

TEST(ChecksTest, NotifyMustNameAnImport) {
  std::string d =
      Diagnostics(Workflow("    task: {command: [a]}\n"
                           "    onFailure: {notify: alertTopic}\n"));
  EXPECT_EQ(d,
            "spec.yaml:7:25: error: onFailure.notify names the import 'alertTopic', which is not "
            "defined under imports:; did you mean 'alertsTopic'?\n"
            "      onFailure: {notify: alertTopic}\n"
            "                          ^~~~~~~~~~\n");
}

TEST(ChecksTest, SubjectLimits) {
  std::string d = Diagnostics(Workflow("    task: {command: [a]}\n    onFailure: {subject: '" +
                                       std::string(101, 'x') + "'}\n"));
  EXPECT_NE(d.find("notification subject must be 1 to 100 characters (SNS's limit); it is 101"),
            std::string::npos)
      << d;
}

TEST(ChecksTest, DerivedNamesMustBeUnique) {
  std::string d = Diagnostics(
      "version: 1\nenv: prod\nworkflows:\n  a:\n    task: {command: [a]}\n"
      "    names: {stateMachine: same}\n  b:\n    task: {command: [a]}\n"
      "    names: {stateMachine: same}\n");
  EXPECT_NE(d.find("spec.yaml:9:27: error: state machine name 'same' is used twice in this spec"),
            std::string::npos)
      << d;
  EXPECT_NE(d.find("log group name '/aws/vendedlogs/states/same' is used twice in this spec"),
            std::string::npos)
      << d;
}

TEST(ChecksTest, LogicalIdClash) {
  std::string d = Diagnostics(
      "version: 1\nenv: prod\nworkflows:\n  a1:\n    task: {command: [a]}\n"
      "  a-1:\n    task: {command: [a]}\n");
  EXPECT_NE(
      d.find("error: workflows 'a-1' and 'a1' give the same CloudFormation logical IDs (A1...)"),
      std::string::npos)
      << d;
}

TEST(ChecksTest, TagsAndContainerNamesEverywhere) {
  std::string d = Diagnostics(
      "version: 1\nenv: prod\nimports: {taskDefinition: {ssm: /prod/td}}\n"
      "stack: {tags: {'aws:team': x}}\nworkflows:\n  w:\n"
      "    taskDefinition: {image: i, container: 'bad name'}\n"
      "    task: {command: [a], container: 'b/c', tags: {k: '" +
      std::string(257, 'v') + "'}}\n");
  EXPECT_NE(d.find("spec.yaml:4:16: error: tag keys starting with 'aws:' are reserved by AWS"),
            std::string::npos)
      << d;
  EXPECT_NE(d.find("spec.yaml:7:43: error: container name 'bad name' must be 1-255 letters, "
                   "digits, '_' and '-'"),
            std::string::npos)
      << d;
  EXPECT_NE(d.find("spec.yaml:8:37: error: container name 'b/c' must be 1-255 letters"),
            std::string::npos)
      << d;
  EXPECT_NE(d.find("error: tag value is longer than 256 characters"), std::string::npos) << d;
}

TEST(ChecksTest, ValidSpecsHaveNoDiagnostics) {
  EXPECT_EQ(Diagnostics(std::string(testing::kMinimalSpec) +
                        "imports: {taskDefinition: {ssm: /prod/ecs/task-definition-arn}}\n"),
            "");
}

TEST(ChecksTest, ImportedTaskDefinitionArnIsWarnedAbout) {
  EXPECT_EQ(Diagnostics(testing::kMinimalSpec),
            "spec.yaml:3:1: warning: the task definition comes from the export "
            "'prod-TaskDefinitionArn'; its ARN carries a revision, so the exporting stack cannot "
            "register a new revision while this stack imports the export (CloudFormation refuses "
            "to change an export in use); publish the ARN in an SSM parameter and write "
            "'taskDefinition: {ssm: /...}' under imports:, or give the workflow its own "
            "taskDefinition: [export-lock-in]\n"
            "  orchestration:\n"
            "  ^\n");
}

}  // namespace
}  // namespace orchc
