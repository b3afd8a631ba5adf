// Workflows of steps, triggers and operations: checks with located errors, and what they lower to.
#include <gtest/gtest.h>

#include "step_kinds.h"
#include "test_util.h"

namespace orchc {
namespace {

using testing::Diagnostics;
using testing::Template;

// A spec with one workflow `w` whose body is `body` (indented by four spaces).
std::string Spec(const std::string& body, const std::string& top = "") {
  return "version: 1\nenv: prod\nimports: {taskDefinition: {ssm: /prod/td}}\n" + top +
         "workflows:\n  w:\n" + body;
}

const Json& States(const Json& t, const char* sm = "WStateMachine") {
  return t["Resources"][sm]["Properties"]["Definition"]["States"];
}

TEST(StepsTest, SequenceParallelChoiceMapWaitPassFail) {
  Json t = Template(Spec(R"yaml(    steps:
      - name: Extract
        task: {command: [x], environment: {A: "1"}}
        catch: [{on: [States.Timeout], next: Give up}]
        timeout: 1h
      - name: Check
        choice:
          rules:
            - {variable: "$.taskResult.Containers[0].ExitCode", numericEquals: 0, next: Fan}
          default: Give up
      - name: Fan
        parallel:
          - - {name: A, task: {command: [a]}}
          - - {name: B, publish: {topic: alertsTopic, message: "done ${x}"}}
        resultPath: null
      - name: Each
        map:
          items: [1, 2]
          maxConcurrency: 2
          steps:
            - {name: One, task: {command: [one, {path: $}]}, resultPath: null}
      - name: Nap
        wait: 90s
      - name: Mark
        pass: {result: {ok: true}}
        end: true
      - name: Give up
        fail: {error: Nope, cause: it failed}
)yaml"));
  const Json& s = States(t);
  EXPECT_EQ(t["Resources"]["WStateMachine"]["Properties"]["Definition"]["StartAt"], "Extract");
  EXPECT_EQ(s["Extract"]["Next"], "Check");
  EXPECT_EQ(s["Extract"]["TimeoutSeconds"], 3600);
  EXPECT_EQ(s["Extract"]["Catch"][0]["Next"], "Give up");
  // The workflow's catch-all, through the state that records the failed step's name.
  EXPECT_EQ(s["Extract"]["Catch"][1]["Next"], "FailedStep1");
  EXPECT_EQ(s["FailedStep1"]["Result"]["step"], "Extract");
  EXPECT_EQ(s["FailedStep1"]["Next"], "FailureCause");
  EXPECT_EQ(s["Extract"]["Parameters"]["Overrides"]["ContainerOverrides"][0]["Environment"],
            Json::parse(R"([{"Name":"A","Value":"1"}])"));
  EXPECT_EQ(s["Check"]["Choices"][0]["NumericEquals"], 0);
  EXPECT_EQ(s["Check"]["Default"], "Give up");
  EXPECT_FALSE(s["Check"].contains("Next"));
  EXPECT_EQ(s["Fan"]["Type"], "Parallel");
  EXPECT_TRUE(s["Fan"]["ResultPath"].is_null());
  EXPECT_EQ(s["Fan"]["Branches"][1]["States"]["B"]["Parameters"]["Message"], "${Literal1}");
  EXPECT_EQ(s["Fan"]["Next"], "EachItems");  // the map over literal items starts with its Pass
  EXPECT_EQ(s["EachItems"]["Result"], Json::parse("[1,2]"));
  EXPECT_EQ(s["Each"]["ItemsPath"], "$.mapItems");
  EXPECT_EQ(s["Each"]["ItemProcessor"]["States"]["One"]["Parameters"]["Overrides"]
             ["ContainerOverrides"][0]["Command.$"],
            "States.Array('one', $)");
  EXPECT_EQ(s["Nap"]["Seconds"], 90);
  EXPECT_EQ(s["Mark"]["End"], true);
  EXPECT_EQ(s["Give up"]["Error"], "Nope");
  // IAM covers the task inside the parallel branch and the map, once.
  const Json& st = t["Resources"]["WStateMachineRole"]["Properties"]["Policies"][0]
                    ["PolicyDocument"]["Statement"];
  int runtask = 0, publish = 0;
  for (const Json& x : st) {
    runtask += x["Action"] == "ecs:RunTask";
    publish += x["Action"] == "sns:Publish";
  }
  EXPECT_EQ(runtask, 1);
  EXPECT_EQ(publish, 1);
}

TEST(StepsTest, GraphChecks) {
  std::string d = Diagnostics(Spec(R"yaml(    steps:
      - {name: A, task: {command: [a]}, next: C}
      - {name: B, task: {command: [b]}}
      - {name: C, task: {command: [c]}, catch: [{next: D}]}
      - {name: D, pass: {}, next: C}
      - {name: E, choice: {rules: [{variable: $.x, stringEquals: y, next: Nowhere}]}}
)yaml"));
  EXPECT_NE(d.find("spec.yaml:8:16: error: step 'B' is never reached"), std::string::npos) << d;
  EXPECT_NE(d.find("spec.yaml:10:16: error: steps C, D form a loop that never ends"),
            std::string::npos)
      << d;
  EXPECT_NE(d.find("spec.yaml:11:16: error: step 'E' is never reached"), std::string::npos) << d;
  EXPECT_NE(d.find("spec.yaml:11:9: error: choice 'E' has no default"), std::string::npos) << d;
  EXPECT_NE(d.find("error: choice target 'Nowhere' is not a step of this list"), std::string::npos)
      << d;
}

// A workflow of tens of thousands of steps in a row (several MB, under the 8 MiB input limit)
// goes through every stage without exhausting the stack: the graph checks walk it iteratively.
// The last step goes back to the first, so the loop check must follow the whole chain.
TEST(StepsTest, TensOfThousandsOfStepsInARowDoNotExhaustTheStack) {
  constexpr int kSteps = 40000;
  std::string body = "    steps:\n";
  body.reserve(kSteps * 100);
  const std::string pad(60, 'x');
  for (int i = 0; i < kSteps; ++i) {
    body += "      - {name: S" + std::to_string(i) + pad + ", pass: {}";
    if (i + 1 == kSteps) body += ", next: S0" + pad;
    body += "}\n";
  }
  const std::string yaml = Spec(body);
  ASSERT_GT(yaml.size(), 3u << 20);
  ASSERT_LT(yaml.size(), 8u << 20);
  Compiler compiler;
  DiagSink sink;
  CompiledSpec out;
  EXPECT_FALSE(compiler.Compile("spec.yaml", yaml, sink, &out));
  std::string d = sink.Render(false);
  EXPECT_NE(d.find("error: steps S0" + pad + ", S1" + pad), std::string::npos) << d.substr(0, 300);
  EXPECT_NE(d.find("form a loop that never ends"), std::string::npos) << d.substr(0, 300);

  // Without the loop back it is valid as far as the step checks go, and compiles or is refused
  // for its size only.
  body.replace(body.rfind(", next: S0" + pad), (", next: S0" + pad).size(), "");
  DiagSink sink2;
  CompiledSpec out2;
  compiler.Compile("spec.yaml", Spec(body), sink2, &out2);
  EXPECT_EQ(sink2.Render(false).find("loop"), std::string::npos)
      << sink2.Render(false).substr(0, 300);
}

TEST(StepsTest, ListOutputOfMapOrParallelCannotTakeAField) {
  std::string d = Diagnostics(Spec(R"yaml(    steps:
      - {name: Days, map: {itemsPath: $.days, steps: [{name: One, pass: {}}]}}
      - {name: Done, pass: {result: 1}, resultPath: $.done}
)yaml"));
  EXPECT_NE(d.find("spec.yaml:7:16: error: the output of map step 'Days' is a list, and the next "
                   "step 'Done' writes its result into $.done of it, which fails at run time "
                   "(States.ResultPathMatchFailure)"),
            std::string::npos)
      << d;
  // With a resultPath the map keeps its input, and a task after it is fine.
  EXPECT_EQ(Diagnostics(Spec(R"yaml(    steps:
      - {name: Days, map: {itemsPath: $.days, steps: [{name: One, pass: {}}]}, resultPath: null}
      - {name: Done, task: {command: [a]}}
)yaml")),
            "");
}

TEST(StepsTest, NamesAndPathsCannotHoldPlaceholders) {
  std::string d = Diagnostics(Spec(R"yaml(    steps:
      - {name: "Da${ClusterArn}ys", map: {itemsPath: "$.${x}", steps: [{name: One, pass: {}}]}, resultPath: null}
)yaml"));
  EXPECT_NE(d.find("spec.yaml:7:16: error: step name 'Da${ClusterArn}ys' contains '${', which "
                   "CloudFormation could take for a substitution; remove it"),
            std::string::npos)
      << d;
  EXPECT_NE(d.find("error: map itemsPath '$.${x}' contains '${'"), std::string::npos) << d;
}

TEST(StepsTest, StepNamesAreNoIntrinsicFunctionNames) {
  // A state name is a key of States, which CloudFormation would evaluate as a function.
  std::string d = Diagnostics(Spec(R"yaml(    steps:
      - {name: Ref, pass: {}}
      - {name: "Fn::Join", pass: {}}
      - {name: Condition, pass: {}}
      - {name: Refs, pass: {}}
)yaml"));
  for (const char* expected :
       {"spec.yaml:7:16: error: step name 'Ref' is a CloudFormation intrinsic function name",
        "spec.yaml:8:16: error: step name 'Fn::Join' is a CloudFormation intrinsic function name",
        "spec.yaml:9:16: error: step name 'Condition' is a CloudFormation intrinsic function "
        "name (Ref, Condition, Fn::...), which CloudFormation would evaluate as a key of the "
        "definition's States; choose another\n"}) {
    EXPECT_NE(d.find(expected), std::string::npos) << expected << "\n" << d;
  }
  EXPECT_EQ(d.find("'Refs'"), std::string::npos) << d;
}

TEST(StepsTest, LoopThroughAChoiceIsAllowed) {
  EXPECT_EQ(Diagnostics(Spec(R"yaml(    steps:
      - {name: Try, task: {command: [a]}, catch: [{next: Wait}]}
      - {name: Done, succeed: {}}
      - {name: Wait, wait: 60, next: Again}
      - name: Again
        choice: {rules: [{variable: $.retries, numericLessThan: 3, next: Try}], default: Stop}
      - {name: Stop, fail: {error: TooManyTries}}
)yaml")),
            "");
}

TEST(StepsTest, NamesAreUniqueAcrossBranchesAndNotReserved) {
  std::string d = Diagnostics(Spec(R"yaml(    steps:
      - name: P
        parallel:
          - - {name: X, pass: {}}
          - - {name: X, pass: {}}
      - {name: NotifyFailure, pass: {}}
)yaml"));
  EXPECT_NE(d.find("spec.yaml:10:22: error: step name 'X' is used twice"), std::string::npos) << d;
  EXPECT_NE(d.find("error: step name 'NotifyFailure' is the name of a state orchc adds"),
            std::string::npos)
      << d;
}

TEST(StepsTest, NotificationStatesOnlyWhenAStateGoesToThem) {
  // Every top-level step catches its own errors or cannot fail: nothing goes to NotifyFailure,
  // and Step Functions refuses a definition with a state it cannot reach.
  Json t = Template(Spec(R"yaml(    steps:
      - {name: Work, task: {command: [a]}, catch: [{next: Cleanup}]}
      - {name: Pause, wait: 60}
      - {name: Cleanup, pass: {}, end: true}
)yaml"));
  const Json& s = States(t);
  EXPECT_FALSE(s.contains("NotifyFailure")) << s.dump(2);
  EXPECT_FALSE(s.contains("Failed")) << s.dump(2);
  EXPECT_EQ(s["Work"]["Catch"].size(), 1u);
  // One step that can fail without a catch-all: both states are there, and reached.
  t = Template(Spec(R"yaml(    steps:
      - {name: Work, task: {command: [a]}, catch: [{on: [States.Timeout], next: Cleanup}]}
      - {name: Cleanup, pass: {}, end: true}
)yaml"));
  EXPECT_EQ(States(t)["Work"]["Catch"][1]["Next"], "FailedStep1");
  EXPECT_EQ(States(t)["NotifyFailure"]["Next"], "Failed");
  EXPECT_EQ(States(t)["NotifyFailure"]["Catch"][0]["Next"], "NotifyFailureBrief");
  EXPECT_EQ(States(t)["NotifyFailureBrief"]["Next"], "Failed");
}

TEST(StepsTest, CatchAllOnlyAloneAndLast) {
  std::string d = Diagnostics(Spec(R"yaml(    steps:
      - name: Work
        task: {command: [a]}
        catch: [{next: Done}, {on: [States.Timeout], next: Done}]
      - {name: Done, pass: {}}
)yaml"));
  EXPECT_NE(d.find("spec.yaml:9:17: error: States.ALL (what a catch rule without on: catches) "
                   "must be the only error of the last catch rule"),
            std::string::npos)
      << d;
  EXPECT_EQ(Diagnostics(Spec(R"yaml(    steps:
      - name: Work
        task: {command: [a]}
        catch: [{on: [States.Timeout], next: Done}, {next: Done}]
      - {name: Done, pass: {}}
)yaml")),
            "");
}

TEST(StepsTest, WaitTakesNoResultPath) {
  std::string d = Diagnostics(Spec(R"yaml(    steps:
      - {name: Pause, wait: 60, resultPath: $.waited}
)yaml"));
  EXPECT_NE(d.find("spec.yaml:7:9: error: resultPath does not apply to a wait step"),
            std::string::npos)
      << d;
}

TEST(StepsTest, GeneratedItemsStateNameIsNotAStepName) {
  std::string d = Diagnostics(Spec(R"yaml(    steps:
      - {name: Each, map: {items: [1, 2], steps: [{name: One, pass: {}}]}}
      - {name: EachItems, pass: {}}
)yaml"));
  EXPECT_NE(d.find("spec.yaml:7:16: error: map 'Each' over literal items adds a state named "
                   "'EachItems', which is also the name of a step; rename one of them"),
            std::string::npos)
      << d;
  d = Diagnostics(Spec("    steps:\n      - {name: " + std::string(76, 'M') +
                       ", map: {items: [1], steps: [{name: One, pass: {}}]}}\n"));
  EXPECT_NE(d.find("longer than the 80 characters of a state name"), std::string::npos) << d;
}

TEST(StepsTest, StepShapeErrors) {
  std::string d = Diagnostics(Spec(R"yaml(    steps:
      - {name: A, task: {command: [a]}, pass: {}}
      - {name: B}
)yaml"));
  EXPECT_NE(d.find("spec.yaml:7:41: error: step 'A' has both task and pass; a step is one of them"),
            std::string::npos)
      << d;
  EXPECT_NE(d.find("spec.yaml:8:9: error: step 'B' says nothing to do"), std::string::npos) << d;
  d = Diagnostics(Spec(R"yaml(    type: EXPRESS
    steps:
      - {name: C, wait: 5, retry: {maxAttempts: 1}}
      - {name: D, task: {command: [d], capacityProviders: [{provider: FARGATE, weight: 0}]}}
)yaml"));
  EXPECT_NE(
      d.find(
          "spec.yaml:8:9: error: retry applies to task, publish, workflow, parallel and map steps, "
          "not to wait"),
      std::string::npos)
      << d;
  EXPECT_NE(d.find("error: step 'D' runs an ECS task and waits for it (.sync), which EXPRESS "
                   "workflows cannot do"),
            std::string::npos)
      << d;
  EXPECT_NE(d.find("error: at least one capacity provider needs a weight above 0"),
            std::string::npos)
      << d;
}

TEST(StepsTest, KindTableMakesTheBodiesAndTheMessagesThatListKinds) {
  for (size_t i = 0; i < kStepKinds.size(); ++i) EXPECT_EQ(StepBodyAt(i).index(), i);
  EXPECT_EQ(AllKindsList(),
            "task, publish, workflow, parallel, choice, map, wait, pass, succeed, fail");
  EXPECT_EQ(KindList(&StepKindInfo::can_fail), "task, publish, workflow, parallel and map");
  EXPECT_EQ(KindList(&StepKindInfo::takes_timeout), "task, publish and workflow");
  std::string d = Diagnostics(Spec(R"yaml(    steps:
      - {name: B}
)yaml"));
  EXPECT_NE(
      d.find(
          "error: step 'B' says nothing to do; give it one of task, publish, workflow, parallel, "
          "choice, map, wait, pass, succeed, fail"),
      std::string::npos)
      << d;
  d = Diagnostics(Spec(R"yaml(    steps:
      - {name: A, pass: {}, timeout: 5}
      - {name: C, succeed: {}, next: A}
)yaml"));
  EXPECT_NE(d.find("error: timeout applies to task, publish and workflow steps"), std::string::npos)
      << d;
  EXPECT_NE(d.find("error: a succeed step has no next"), std::string::npos) << d;
}

TEST(StepsTest, NestingIsLimited) {
  std::string inner = "{name: L4, map: {itemsPath: $.x, steps: [{name: T, pass: {}}]}}";
  for (int i = 3; i >= 1; --i) {
    inner = "{name: L" + std::to_string(i) + ", map: {itemsPath: $.x, steps: [" + inner + "]}}";
  }
  std::string d = Diagnostics(Spec("    steps: [" + inner + "]\n"));
  EXPECT_NE(d.find("error: parallel and map steps nest at most 3 levels deep"), std::string::npos)
      << d;
}

TEST(StepsTest, SchedulerScheduleWithEverything) {
  Json t = Template(Spec(R"yaml(    schedules:
      - expression: cron(0 2 * * ? *)
        engine: scheduler
        timezone: Asia/Tokyo
        flexibleWindow: 15m
        group: nightly
        startDate: 2026-01-01T00:00:00Z
        endDate: 2027-01-01T00:00:00Z
        retry: {attempts: 3, maxEventAge: 1h}
        deadLetterQueue: create
        input: {mode: "<full>"}
      - {expression: "at(2026-12-31T23:00:00)", engine: scheduler, enabled: false}
    task: {command: [a]}
)yaml"));
  const Json& r = t["Resources"];
  const Json& p = r["WSchedule"]["Properties"];
  EXPECT_EQ(r["WSchedule"]["Type"], "AWS::Scheduler::Schedule");
  EXPECT_EQ(p["ScheduleExpressionTimezone"], "Asia/Tokyo");
  EXPECT_EQ(p["FlexibleTimeWindow"],
            Json::parse(R"({"Mode":"FLEXIBLE","MaximumWindowInMinutes":15})"));
  EXPECT_EQ(p["GroupName"], Json::parse(R"({"Ref":"ScheduleGroupNightly"})"));
  EXPECT_EQ(p["Target"]["RetryPolicy"],
            Json::parse(R"({"MaximumEventAgeInSeconds":3600,"MaximumRetryAttempts":3})"));
  EXPECT_EQ(p["Target"]["DeadLetterConfig"]["Arn"],
            Json::parse(R"({"Fn::GetAtt":["WDeadLetterQueue","Arn"]})"));
  // Spec text cannot form a placeholder of the scheduler's input.
  EXPECT_EQ(p["Target"]["Input"],
            "{\"triggerSource\":\"EventBridgeScheduler\",\"timestamp\":\"<aws.scheduler.scheduled-"
            "time>\",\"mode\":\"\\u003cfull\\u003e\"}");
  EXPECT_EQ(r["WSchedule2"]["Properties"]["Name"], "prod-w-schedule-2");
  EXPECT_EQ(r["WSchedule2"]["Properties"]["State"], "DISABLED");
  const Json& trust = r["WSchedulerRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0];
  EXPECT_EQ(trust["Principal"]["Service"], "scheduler.amazonaws.com");
  const Json& pol = r["WSchedulerRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
  EXPECT_EQ(pol[1]["Action"], "sqs:SendMessage");
  EXPECT_FALSE(r.contains("WScheduleRule"));
  EXPECT_FALSE(r.contains("WDeadLetterQueuePolicy"));  // Scheduler sends with its role
}

// Confused-deputy conditions (AWS: EventBridge's and EventBridge Scheduler's "confused deputy
// prevention" pages): the account, and the rule ARNs / schedule group ARNs.
TEST(StepsTest, TriggerRolesTrustOnlyTheirRulesAndGroups) {
  Json t = Template(Spec(R"yaml(    schedules:
      - {expression: rate(1 hour)}
      - {name: second-rule, expression: rate(2 hours)}
      - {expression: rate(3 hours), engine: scheduler}
      - {expression: rate(4 hours), engine: scheduler, group: nightly}
      - {expression: rate(5 hours), engine: scheduler, group: nightly}
    task: {command: [a]}
)yaml"));
  const Json& r = t["Resources"];
  auto condition = [&](const char* role) {
    return r[role]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Condition"];
  };
  EXPECT_EQ(condition("WScheduleRole"), Json::parse(R"({"StringEquals": {
    "aws:SourceAccount": {"Ref": "AWS::AccountId"},
    "aws:SourceArn": [
      {"Fn::Sub": "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/prod-w-schedule"},
      {"Fn::Sub": "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/second-rule"}]}})"))
      << r["WScheduleRule"].dump();
  EXPECT_EQ(condition("WSchedulerRole"), Json::parse(R"({"StringEquals": {
    "aws:SourceAccount": {"Ref": "AWS::AccountId"},
    "aws:SourceArn": [
      {"Fn::Sub": "arn:${AWS::Partition}:scheduler:${AWS::Region}:${AWS::AccountId}:schedule-group/default"},
      {"Fn::Sub": "arn:${AWS::Partition}:scheduler:${AWS::Region}:${AWS::AccountId}:schedule-group/nightly"}]}})"));
  EXPECT_EQ(r["WScheduleRule"]["Properties"]["Name"], "prod-w-schedule");
}

TEST(StepsTest, RuleRetryAndCreatedDeadLetterQueue) {
  Json t = Template(Spec(R"yaml(    schedule:
      expression: rate(1 hour)
      retry: {attempts: 2}
      deadLetterQueue: create
      input: {job: "a<b>"}
    task: {command: [a]}
)yaml"));
  const Json& r = t["Resources"];
  const Json& target = r["WScheduleRule"]["Properties"]["Targets"][0];
  EXPECT_EQ(target["RetryPolicy"], Json::parse(R"({"MaximumRetryAttempts":2})"));
  EXPECT_EQ(
      target["InputTransformer"]["InputTemplate"],
      "{\"triggerSource\":\"EventBridge\",\"timestamp\":<time>,\"job\":\"a\\u003cb\\u003e\"}");
  const Json& st = r["WDeadLetterQueuePolicy"]["Properties"]["PolicyDocument"]["Statement"][0];
  EXPECT_EQ(st["Principal"]["Service"], "events.amazonaws.com");
  EXPECT_EQ(st["Condition"]["ArnEquals"]["aws:SourceArn"],
            Json::parse(R"({"Fn::GetAtt":["WScheduleRule","Arn"]})"));
}

TEST(StepsTest, TriggerChecks) {
  std::string d = Diagnostics(Spec(R"yaml(    schedules:
      - {expression: "at(2026-12-31T23:00:00)"}
      - {expression: "cron(0 2 * * ? *)", timezone: Asia/Tokio, engine: scheduler}
      - {expression: "cron(0 2 * * ? *)", timezone: Asia/Tokyo}
      - {expression: rate(5 minutes), engine: scheduler, flexibleWindow: 90s, retry: {attempts: 200}, deadLetterQueue: dlq}
      - {expression: rate(5 minutes), engine: scheduler, startDate: 2026-02-01T00:00:00Z, endDate: 2026-01-01T00:00:00Z, input: {timestamp: 1}}
    task: {command: [a]}
)yaml"));
  EXPECT_NE(
      d.find(
          "spec.yaml:7:23: error: 'at()' one-time schedules exist only in EventBridge Scheduler"),
      std::string::npos)
      << d;
  EXPECT_NE(d.find("error: 'Asia/Tokio' is not a time zone of the IANA database"),
            std::string::npos)
      << d;
  EXPECT_NE(d.find("error: this option needs 'engine: scheduler'"), std::string::npos) << d;
  EXPECT_NE(d.find("error: flexibleWindow must be whole minutes from 1m to 24h"), std::string::npos)
      << d;
  EXPECT_NE(d.find("error: retry attempts must be between 0 and 185"), std::string::npos) << d;
  EXPECT_NE(d.find("error: deadLetterQueue names the import 'dlq', which is not defined"),
            std::string::npos)
      << d;
  EXPECT_NE(d.find("error: endDate must be after startDate"), std::string::npos) << d;
  EXPECT_NE(d.find("error: 'timestamp' is set by orchc in every execution input"),
            std::string::npos)
      << d;
}

// `until: ""` would give a Wait state with none of its fields, which Step Functions refuses.
TEST(StepsTest, AnEmptyWaitUntilIsNotATimestamp) {
  std::string d = Diagnostics(Spec(R"yaml(    steps:
      - {name: Pause, wait: {until: ""}}
)yaml"));
  EXPECT_NE(d.find("error: '' is not a UTC timestamp such as 2026-01-01T00:00:00Z"),
            std::string::npos)
      << d;
}

TEST(StepsTest, DatesAreDaysOfTheCalendar) {
  std::string d = Diagnostics(Spec(R"yaml(    schedules:
      - {expression: "at(2027-04-31T06:00:00)", engine: scheduler}
      - {expression: "at(2027-02-29T06:00:00)", engine: scheduler}
      - {expression: rate(5 minutes), engine: scheduler, startDate: 2027-02-29T00:00:00Z}
    steps:
      - {name: Pause, wait: {until: "2027-06-31T00:00:00Z"}}
)yaml"));
  EXPECT_NE(d.find("spec.yaml:7:22: error: '2027-04-31' is not a day of the calendar: 2027-04 has "
                   "30 days"),
            std::string::npos)
      << d;
  EXPECT_NE(d.find("spec.yaml:8:22: error: '2027-02-29' is not a day of the calendar: 2027-02 has "
                   "28 days"),
            std::string::npos)
      << d;
  EXPECT_NE(d.find("spec.yaml:9:69: error: '2027-02-29' is not a day of the calendar"),
            std::string::npos)
      << d;
  EXPECT_NE(d.find("error: '2027-06-31' is not a day of the calendar: 2027-06 has 30 days"),
            std::string::npos)
      << d;
  // 2028 is a leap year.
  EXPECT_EQ(Diagnostics(Spec(R"yaml(    schedules:
      - {expression: "at(2028-02-29T06:00:00)", engine: scheduler}
    task: {command: [a]}
)yaml"))
                .find("error"),
            std::string::npos);
}

TEST(StepsTest, AlarmsTaskDefinitionCapacityAndTags) {
  Json t = Template(Spec(R"yaml(    alarms: {period: 10m, aborted: 0}
    taskDefinition: {image: "repo/app:1", cpu: 512, memory: 2048, container: batch}
    task:
      command: [a]
      capacityProviders: [{provider: FARGATE_SPOT, weight: 3}, {provider: FARGATE, base: 1}]
      propagateTags: true
)yaml"));
  const Json& r = t["Resources"];
  EXPECT_EQ(r["WExecutionsFailedAlarm"]["Properties"]["Period"], 600);
  EXPECT_EQ(r["WExecutionsFailedAlarm"]["Properties"]["AlarmActions"][0],
            Json::parse(R"({"Fn::ImportValue":"prod-CriticalAlertsTopicArn"})"));
  EXPECT_TRUE(r.contains("WExecutionsTimedOutAlarm"));
  EXPECT_FALSE(r.contains("WExecutionsAbortedAlarm"));
  EXPECT_EQ(r["WTaskDefinition"]["Properties"]["Cpu"], "512");
  EXPECT_EQ(r["WTaskDefinition"]["Properties"]["ContainerDefinitions"][0]["Name"], "batch");
  const Json& p = States(t)["RunBatchTask"]["Parameters"];
  EXPECT_FALSE(p.contains("LaunchType"));
  EXPECT_EQ(p["CapacityProviderStrategy"][1],
            Json::parse(R"({"CapacityProvider":"FARGATE","Weight":1,"Base":1})"));
  EXPECT_EQ(p["PropagateTags"], "TASK_DEFINITION");
  EXPECT_EQ(p["Overrides"]["ContainerOverrides"][0]["Name"], "batch");
  EXPECT_EQ(
      t["Resources"]["WStateMachine"]["Properties"]["DefinitionSubstitutions"]["TaskDefinitionArn"],
      Json::parse(R"({"Ref":"WTaskDefinition"})"));
  bool tag_resource = false;
  for (const Json& x :
       r["WStateMachineRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]) {
    if (x["Action"] == "ecs:TagResource") {
      tag_resource = true;
      EXPECT_EQ(x["Condition"]["StringEquals"]["ecs:CreateAction"], "RunTask");
    }
  }
  EXPECT_TRUE(tag_resource);
  std::string d = Diagnostics(
      Spec("    taskDefinition: {image: x, cpu: 512, memory: 512}\n    task: {command: [a]}\n"));
  EXPECT_NE(d.find("error: with cpu 512, Fargate memory must be 1024 to 4096 MiB in steps of 1024"),
            std::string::npos)
      << d;
}

TEST(StepsTest, SsmImportsBecomeParametersWithDefaults) {
  Json t = Template(
      "version: 1\nenv: prod\nimports:\n  taskDefinition: {ssm: /prod/td}\n"
      "  subnets: {ssm: /prod/subnets, type: StringList}\n"
      "workflows:\n  w:\n    task: {command: [a]}\n");
  EXPECT_EQ(t["Parameters"]["ImportSubnets"]["Type"], "AWS::SSM::Parameter::Value<List<String>>");
  EXPECT_EQ(t["Parameters"]["ImportSubnets"]["Default"], "/prod/subnets");
  EXPECT_EQ(t["Parameters"]["ImportTaskDefinition"]["Type"], "AWS::SSM::Parameter::Value<String>");
  const Json& subs = t["Resources"]["WStateMachine"]["Properties"]["DefinitionSubstitutions"];
  EXPECT_EQ(subs["Subnets"], Json::parse(R"({"Fn::Join":["\",\"",{"Ref":"ImportSubnets"}]})"));
  EXPECT_EQ(subs["TaskDefinitionArn"], Json::parse(R"({"Ref":"ImportTaskDefinition"})"));
}

}  // namespace
}  // namespace orchc
