// overlap: the default per workflow, the lease states around the graph, the table and the IAM
// statements (compiler/overlap.cc). Behaviour is executed in tests/interp/overlap_test.mjs.
#include <gtest/gtest.h>

#include "test_util.h"

namespace orchc {
namespace {

using testing::Diagnostics;
using testing::Template;

constexpr char kHead[] = "version: 1\nenv: dev\nworkflows:\n  w:\n    task: {command: [a]}\n";
constexpr char kSchedule[] = "    schedule: {expression: \"rate(1 day)\"}\n";

const Json& Definition(const Json& t) {
  return t["Resources"]["WStateMachine"]["Properties"]["Definition"];
}

TEST(OverlapTest, AScheduledWorkflowSkipsByDefault) {
  Json t = Template(std::string(kHead) + kSchedule + "    timeout: 2h\n");
  const Json& d = Definition(t);
  EXPECT_EQ(d["StartAt"], "OverlapStart");
  EXPECT_EQ(d["States"]["OverlapAcquireLease"]["Catch"][0]["Next"], "OverlapSkipped");
  EXPECT_FALSE(d["States"].contains("OverlapWait"));
  // The whole graph, notification included, is the one branch.
  const Json& own = d["States"]["OverlapRun"]["Branches"][0]["States"];
  EXPECT_TRUE(own.contains("RunBatchTask"));
  EXPECT_TRUE(own.contains("NotifyFailure"));
  EXPECT_TRUE(own.contains("Failed"));
  // The lease lives as long as the timeout.
  EXPECT_NE(d["States"]["OverlapClock"]["Output"].get<std::string>().find("+7200)"),
            std::string::npos);
  const Json& table = t["Resources"]["WOverlapTable"];
  EXPECT_EQ(table["Type"], "AWS::DynamoDB::Table");
  EXPECT_EQ(table["Properties"]["BillingMode"], "PAY_PER_REQUEST");
  EXPECT_EQ(table["Properties"]["TimeToLiveSpecification"]["AttributeName"], "expiresAt");
  EXPECT_EQ(
      t["Resources"]["WStateMachine"]["Properties"]["DefinitionSubstitutions"]["OverlapTable"],
      Json::parse(R"({"Ref":"WOverlapTable"})"));
}

TEST(OverlapTest, TheRoleMayOnlyPutAndDeleteTheLeaseItemsOfItsTable) {
  Json t = Template(std::string(kHead) + kSchedule);
  const Json& statements = t["Resources"]["WStateMachineRole"]["Properties"]["Policies"][0]
                            ["PolicyDocument"]["Statement"];
  int seen = 0;
  for (const Json& st : statements) {
    const std::string text = st.dump();
    if (text.find("dynamodb:") == std::string::npos) continue;
    ++seen;
    EXPECT_EQ(st["Resource"], Json::parse(R"({"Fn::GetAtt":["WOverlapTable","Arn"]})"));
    if (st["Action"] == "dynamodb:PutItem") {
      EXPECT_EQ(st["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"],
                Json::parse(R"(["lease","tick#*"])"));
    } else {
      EXPECT_EQ(st["Action"], "dynamodb:DeleteItem");
      EXPECT_EQ(st["Condition"]["ForAllValues:StringEquals"]["dynamodb:LeadingKeys"],
                Json::parse(R"(["lease"])"));
    }
  }
  EXPECT_EQ(seen, 2);
}

TEST(OverlapTest, WithoutATimeoutTheLeaseLastsADay) {
  Json t = Template(std::string(kHead) + kSchedule);
  EXPECT_NE(Definition(t)["States"]["OverlapClock"]["Output"].get<std::string>().find("+86400)"),
            std::string::npos);
}

TEST(OverlapTest, QueueWaitsAndRetries) {
  Json t = Template(std::string(kHead) + kSchedule + "    overlap: queue\n    timeout: 3h\n");
  const Json& s = Definition(t)["States"];
  EXPECT_EQ(s["OverlapAcquireLease"]["Catch"][0]["Next"], "OverlapWait");
  EXPECT_EQ(s["OverlapWait"]["Seconds"], 60);
  EXPECT_EQ(s["OverlapWait"]["Next"], "OverlapRefreshClock");
  EXPECT_EQ(s["OverlapRefreshClock"]["Next"], "OverlapAcquireLease");
  EXPECT_FALSE(s.contains("OverlapSkipped"));
}

TEST(OverlapTest, AllowAndUnscheduledWorkflowsAreUnchanged) {
  for (const std::string& spec :
       {std::string(kHead) + kSchedule + "    overlap: allow\n", std::string(kHead)}) {
    Json t = Template(spec);
    EXPECT_EQ(Definition(t)["StartAt"], "RunBatchTask") << spec;
    EXPECT_FALSE(t["Resources"].contains("WOverlapTable")) << spec;
  }
  // Asked for explicitly, a workflow without a schedule gets the lease too.
  Json t = Template(std::string(kHead) + "    overlap: skip\n");
  EXPECT_TRUE(t["Resources"].contains("WOverlapTable"));
}

TEST(OverlapTest, StateNamesAreReservedAndModesChecked) {
  std::string d = Diagnostics("version: 1\nenv: dev\nworkflows:\n  w:\n" + std::string(kSchedule) +
                              "    steps:\n      - {name: OverlapRun, pass: {}}\n");
  EXPECT_NE(d.find("error: step name 'OverlapRun' is the name of a state orchc adds"),
            std::string::npos)
      << d;
  EXPECT_EQ(Diagnostics("version: 1\nenv: dev\nworkflows:\n  w:\n    overlap: allow\n"
                        "    steps:\n      - {name: OverlapRun, pass: {}}\n")
                .find("error:"),
            std::string::npos);
  d = Diagnostics(std::string(kHead) + "    overlap: sometimes\n");
  EXPECT_NE(d.find("error:"), std::string::npos) << d;
}

}  // namespace
}  // namespace orchc
