// Desugaring: the seed's orchestration: block and workflows: give the same IR shape, defaults
// follow the seed, ${env}/${workflow} expand.
#include "spec.h"

#include <gtest/gtest.h>

#include "schema_check.h"
#include "spec_build.h"
#include "test_util.h"

namespace orchc {
namespace {

struct Built {
  DiagSink sink;
  YamlDoc doc;
  Spec spec;
  bool ok = false;
};

std::unique_ptr<Built> Build(const std::string& yaml) {
  auto b = std::make_unique<Built>();
  b->doc = LoadYaml("spec.yaml", yaml, b->sink);
  SchemaValidator v;
  b->ok = b->doc.root && v.Validate(b->doc, b->sink) && BuildSpec(b->doc, b->spec, b->sink);
  return b;
}

TEST(SpecTest, OrchestrationBlockFollowsTheSeed) {
  auto b = Build(testing::kMinimalSpec);
  ASSERT_TRUE(b->ok) << b->sink.Render();
  const Spec& s = b->spec;
  EXPECT_EQ(s.stack_name.value, "OrchestrationStack-prod");
  ASSERT_EQ(s.workflows.size(), 1u);
  const WorkflowSpec& w = s.workflows[0];
  EXPECT_EQ(w.name, "sample-batch");
  EXPECT_TRUE(w.from_orchestration);
  EXPECT_EQ(w.state_machine_name.value, "prod-sample-batch-workflow");
  EXPECT_EQ(w.rule_name.value, "prod-sample-batch-schedule");
  EXPECT_EQ(w.state_machine_role_name.value, "stepfunctions-role-prod");
  EXPECT_EQ(w.rule_role_name.value, "eventbridge-role-prod");
  EXPECT_EQ(w.log_group_name.value, "/aws/stepfunctions/prod-sample-batch-workflow");
  ASSERT_EQ(w.steps.size(), 1u);
  EXPECT_TRUE(w.single_task);
  const StepSpec& step = w.steps[0];
  EXPECT_EQ(step.name.value, "RunBatchTask");
  const auto& task = std::get<EcsTaskSpec>(step.body);
  EXPECT_EQ(task.container.value, "backend");
  ASSERT_EQ(task.command.size(), 1u);
  EXPECT_EQ(task.command[0].value, "/app/bin/sample-batch");
  ASSERT_EQ(w.schedules.size(), 1u);
  EXPECT_EQ(w.schedules[0].name.value, "prod-sample-batch-schedule");
  EXPECT_EQ(w.schedules[0].engine, TriggerEngine::kRule);
  EXPECT_EQ(w.subject.value, "[prod] Batch Execution Failed");
  EXPECT_EQ(s.imports.at("subnets").export_name, "prod-PrivateSubnetIds");
  EXPECT_EQ(s.imports.at("alertsTopic").export_name, "prod-CriticalAlertsTopicArn");
  ASSERT_TRUE(step.retry.has_value());  // the default retry of an ECS task
  ASSERT_EQ(step.retry->size(), 1u);
  EXPECT_EQ((*step.retry)[0].interval_s, 30);
  EXPECT_EQ((*step.retry)[0].max_attempts, 3);
  EXPECT_EQ((*step.retry)[0].backoff_rate, 2.0);
  EXPECT_TRUE(w.end_failed);
  EXPECT_TRUE(w.tracing);
  EXPECT_EQ(w.logs.retention_days, 30);
  EXPECT_TRUE(w.logs.retain);
}

TEST(SpecTest, InterpreterPrefixesTheCommandAsInTheSeed) {
  std::string yaml = std::string(testing::kMinimalSpec) + "  interpreter: python\n";
  auto b = Build(yaml);
  ASSERT_TRUE(b->ok) << b->sink.Render();
  const auto& cmd = std::get<EcsTaskSpec>(b->spec.workflows[0].steps[0].body).command;
  ASSERT_EQ(cmd.size(), 2u);
  EXPECT_EQ(cmd[0].value, "python");
}

TEST(SpecTest, WorkflowsMapWithOverrides) {
  auto b = Build(R"yaml(version: 1
env: stg
imports:
  cluster: shared-${env}-Cluster
  opsTopic: ${env}-OpsTopicArn
logs: {retentionDays: 14, removalPolicy: destroy}
tracing: false
workflows:
  nightly-report:
    schedule: {expression: "cron(30 18 * * ? *)", enabled: false}
    task:
      container: worker
      command: [/app/bin/sample-batch, --job, report]
      retry:
        - {on: [States.Timeout], interval: 1m, maxAttempts: 1}
        - {on: [States.TaskFailed], interval: 1h30m, backoffRate: 1.5, maxDelay: 2h, jitter: FULL}
      timeout: 2h
    onFailure: {notify: opsTopic, subject: "[${env}] ${workflow} failed", end: succeed}
    names: {stateMachine: "${env}-report", ruleRole: "report-events-${env}"}
    logs: {retentionDays: 90}
  adhoc:
    task: {command: [x], retry: []}
    onFailure: false
    tracing: true
)yaml");
  ASSERT_TRUE(b->ok) << b->sink.Render();
  const Spec& s = b->spec;
  EXPECT_EQ(s.imports.at("cluster").export_name, "shared-stg-Cluster");
  EXPECT_EQ(s.imports.at("opsTopic").export_name, "stg-OpsTopicArn");
  EXPECT_EQ(s.imports.at("taskRole").export_name, "stg-TaskRoleArn");
  ASSERT_EQ(s.workflows.size(), 2u);
  const WorkflowSpec& adhoc = s.workflows[0];  // sorted by name
  EXPECT_EQ(adhoc.name, "adhoc");
  EXPECT_TRUE(adhoc.schedules.empty());
  EXPECT_FALSE(adhoc.catch_failure);
  ASSERT_TRUE(adhoc.steps[0].retry.has_value());  // written empty: no default retry
  EXPECT_TRUE(adhoc.steps[0].retry->empty());
  EXPECT_TRUE(adhoc.tracing);
  EXPECT_EQ(adhoc.state_machine_role_name.value, "stg-adhoc-sfn-role");
  EXPECT_EQ(adhoc.log_group_name.value, "/aws/vendedlogs/states/stg-adhoc-workflow");
  const WorkflowSpec& r = s.workflows[1];
  EXPECT_FALSE(r.schedules.at(0).enabled);
  EXPECT_FALSE(r.tracing);
  const StepSpec& t = r.steps.at(0);
  EXPECT_EQ(std::get<EcsTaskSpec>(t.body).container.value, "worker");
  ASSERT_TRUE(t.timeout_s.has_value());
  EXPECT_EQ(t.timeout_s->value, 7200);
  ASSERT_TRUE(t.retry.has_value());
  const std::vector<RetrySpec>& retry = *t.retry;
  ASSERT_EQ(retry.size(), 2u);
  EXPECT_EQ(retry[0].interval_s, 60);
  EXPECT_EQ(retry[0].max_attempts, 1);
  EXPECT_FALSE(retry[0].max_delay_s.has_value());
  EXPECT_FALSE(retry[0].jitter.has_value());
  EXPECT_EQ(retry[1].interval_s, 5400);
  ASSERT_TRUE(retry[1].max_delay_s.has_value());
  EXPECT_EQ(retry[1].max_delay_s->value, 7200);
  EXPECT_EQ(retry[1].jitter, "FULL");
  EXPECT_EQ(r.subject.value, "[stg] nightly-report failed");
  EXPECT_FALSE(r.end_failed);
  EXPECT_EQ(r.state_machine_name.value, "stg-report");
  EXPECT_EQ(r.log_group_name.value, "/aws/vendedlogs/states/stg-report");  // AWS's prefix
  EXPECT_EQ(r.rule_role_name.value, "report-events-stg");
  EXPECT_EQ(r.logs.retention_days, 90);
  EXPECT_FALSE(r.logs.retain);  // inherited from the top-level logs
}

TEST(SpecTest, UnknownVariableIsLocated) {
  auto b = Build("version: 1\nenv: prod\nstack: {name: 'x-${evn}'}\n");
  EXPECT_FALSE(b->ok);
  EXPECT_EQ(b->sink.Render(false),
            "spec.yaml:3:18: error: unknown variable '${evn}'; known here: ${env}; did you mean "
            "'${env}'? (write $${ for a literal ${)\n");
}

TEST(SpecTest, DoubleDollarIsALiteral) {
  auto b = Build("version: 1\nenv: prod\nstack: {description: 'costs $${x}'}\n");
  ASSERT_TRUE(b->ok) << b->sink.Render();
  EXPECT_EQ(b->spec.description.value, "costs ${x}");
}

TEST(SpecTest, WorkflowNamedLikeTheSugarIsAnError) {
  auto b = Build(std::string(testing::kMinimalSpec) +
                 "workflows:\n  sample-batch:\n    task: {command: [a]}\n");
  EXPECT_FALSE(b->ok);
  EXPECT_EQ(b->sink.Render(false),
            "spec.yaml:9:3: error: workflow 'sample-batch' is already defined by the "
            "orchestration: block (line 3); rename one of them\n");
}

// Not written is nullopt; a written null resultPath discards; defaults are filled and marked as
// defaults (spec.h, "Absent values").
TEST(SpecTest, AbsentValuesAreNulloptAndDefaultsAreMarked) {
  auto b = Build(R"yaml(version: 1
env: prod
workflows:
  w:
    schedules:
      - {expression: "rate(1 hour)"}
      - {expression: "rate(2 hours)", engine: scheduler, timezone: Asia/Tokyo}
    steps:
      - {name: Run, task: {command: [x]}, catch: [{next: Stop}, {next: Stop, resultPath: null}]}
      - {name: Keep, pass: {}, resultPath: null}
      - {name: Nap, wait: {secondsPath: $.n}}
      - {name: Pick, choice: {rules: [{variable: $.x, stringEquals: y, next: Stop}]}}
      - {name: Stop, fail: {cause: done}}
)yaml");
  ASSERT_TRUE(b->ok) << b->sink.Render();
  const WorkflowSpec& w = b->spec.workflows.at(0);
  EXPECT_FALSE(w.timeout_s.has_value());
  EXPECT_FALSE(w.task_definition.has_value());
  EXPECT_FALSE(w.alarms.has_value());
  EXPECT_FALSE(w.state_machine_name.written());
  EXPECT_EQ(b->spec.imports.at("cluster").origin, Origin::kDefault);
  EXPECT_FALSE(w.schedules.at(0).timezone.has_value());
  EXPECT_FALSE(w.schedules.at(0).dead_letter_queue.has_value());
  ASSERT_TRUE(w.schedules.at(1).timezone.has_value());
  EXPECT_EQ(w.schedules.at(1).timezone->value, "Asia/Tokyo");
  ASSERT_EQ(w.steps.size(), 5u);
  const StepSpec& run = w.steps[0];
  const auto& task = std::get<EcsTaskSpec>(run.body);
  EXPECT_EQ(task.exit_codes.origin, Origin::kDefault);
  EXPECT_FALSE(task.logs.has_value());
  EXPECT_FALSE(run.next.has_value());
  EXPECT_FALSE(run.timeout_s.has_value());
  EXPECT_TRUE(run.retry.has_value());                      // an ECS task's default retry
  EXPECT_EQ(run.result_path.mode, ResultPathMode::kPath);  // an ECS task's default
  EXPECT_EQ(run.result_path.path, "$.taskResult");
  ASSERT_EQ(run.catches.size(), 2u);
  EXPECT_EQ(run.catches[0].result_path.path, "$.error");  // the default
  EXPECT_EQ(run.catches[1].result_path.mode, ResultPathMode::kDiscard);
  const StepSpec& keep = w.steps[1];
  EXPECT_FALSE(keep.retry.has_value());
  EXPECT_EQ(keep.result_path.mode, ResultPathMode::kDiscard);
  const auto& wait = std::get<WaitSpec>(w.steps[2].body);
  ASSERT_TRUE(std::holds_alternative<WaitSecondsPath>(wait.what));
  EXPECT_EQ(std::get<WaitSecondsPath>(wait.what).path, "$.n");
  EXPECT_EQ(w.steps[2].result_path.mode, ResultPathMode::kDefault);
  EXPECT_FALSE(std::get<ChoiceSpec>(w.steps[3].body).default_step.has_value());
  const auto& fail = std::get<FailSpec>(w.steps[4].body);
  EXPECT_FALSE(fail.error.has_value());
  EXPECT_EQ(fail.cause, "done");
}

}  // namespace
}  // namespace orchc
