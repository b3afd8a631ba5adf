// The names retry.on / catch.on may use (compiler/error_names.h).
#include "error_names.h"

#include <gtest/gtest.h>

namespace orchc {
namespace {

ErrorNameCatalog EcsWorkflow() {
  return ErrorNameCatalog({ErrorSource::kEcs}, {"AggregationFailed"}, {});
}

TEST(ErrorNames, KnownNamesPass) {
  ErrorNameCatalog c = EcsWorkflow();
  for (const char* n :
       {"States.ALL", "States.TaskFailed", "States.Timeout", "States.Runtime", "Task.LaunchFailed",
        "Task.SpotInterrupted", "Task.OutOfMemory", "Task.Stopped", "Task.ExitCode.0",
        "Task.ExitCode.75", "Task.ExitCode.255", "ECS.ServerException", "AmazonECS.Unknown",
        "AggregationFailed", "custom:LockHeld", "custom:${x}"}) {
    EXPECT_EQ(c.Check(n), "") << n;
  }
}

TEST(ErrorNames, TyposGetDidYouMean) {
  ErrorNameCatalog c = EcsWorkflow();
  EXPECT_EQ(c.Check("States.TaskFailled"),
            "'States.TaskFailled' is not an error Step Functions defines; did you mean "
            "'States.TaskFailed'?");
  EXPECT_EQ(c.Check("Ecs.ServerException"),
            "'Ecs.ServerException' is not an error this workflow can raise; did you mean "
            "'ECS.ServerException'? (a name of your own: write 'custom:Ecs.ServerException')");
  EXPECT_NE(c.Check("Task.ExitCode.256"), "");
  EXPECT_NE(c.Check("Task.ExitCode.075"), "");
  EXPECT_NE(c.Check("Task.ExitCode.-1"), "");
  EXPECT_NE(c.Check("Task.ExitCode."), "");
  EXPECT_NE(c.Check("custom:"), "");
  EXPECT_NE(c.Check("${TaskDefinitionArn}"), "");
}

TEST(ErrorNames, OnlyTheIntegrationsUsed) {
  ErrorNameCatalog ecs = EcsWorkflow();
  EXPECT_NE(ecs.Check("SNS.InvalidParameterException"), "");
  EXPECT_NE(ecs.Check("DynamoDB.ConditionalCheckFailedException"), "");
  ErrorNameCatalog sns({ErrorSource::kSns}, {}, {});
  EXPECT_EQ(sns.Check("SNS.InvalidParameterException"), "");
  EXPECT_NE(sns.Check("ECS.ServerException"), "");
  ErrorNameCatalog ddb({ErrorSource::kDynamoDb}, {}, {});
  EXPECT_EQ(ddb.Check("DynamoDB.ConditionalCheckFailedException"), "");
}

TEST(ErrorNames, ExitCodeNamesFromTheHook) {
  ErrorNameCatalog c({ErrorSource::kEcs}, {}, {"LockHeld"});
  EXPECT_EQ(c.Check("LockHeld"), "");
}

TEST(ErrorNames, CustomPrefixIsRemovedInTheDefinition) {
  EXPECT_EQ(AslErrorName("custom:LockHeld"), "LockHeld");
  EXPECT_EQ(AslErrorName("States.ALL"), "States.ALL");
}

}  // namespace
}  // namespace orchc
