// Today's compiled behaviour of specs/prod.yaml and specs/reports.yaml, executed in
// aws-local-stepfunctions with mocked ECS and SNS tasks (harness.mjs).
// Usage: node --test interp_test.mjs   (ASL_DIR: the directory of the compiled .asl.json files,
// default: the committed templates/).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {loadAsl, run, ecs} from './harness.mjs';

const aslDir = process.env.ASL_DIR ?? new URL('../../templates/', import.meta.url).pathname;
const load = (file) => loadAsl(path.join(aslDir, file));

// The failure notification orchc compiles: {error, cause, executionName, timestamp}.
function assertFailureMessage(msg, {subject, topic, error, exitCode, stopCode}) {
  assert.equal(msg.Subject, subject);
  assert.equal(msg.TopicArn, topic);
  assert.equal(msg.Message.error, error);
  assert.equal(msg.Message.executionName, 'test-execution');
  assert.equal(msg.Message.timestamp, '2026-12-01T17:00:05.000Z');
  assert.equal(typeof msg.Message.cause, 'string');
  const cause = JSON.parse(msg.Message.cause);
  if (stopCode) {
    assert.equal(cause.StopCode, stopCode);
    assert.match(cause.TaskArn, /^arn:aws:ecs:[^:]+:\d{12}:task\//);
  }
  if (exitCode !== undefined) assert.equal(cause.Containers[0].ExitCode, exitCode);
  return cause;
}

// ---- specs/prod.yaml: one task, Retry States.TaskFailed x3, Catch-all -> NotifyFailure -> Failed.
const prod = load('OrchestrationStack-prod.sample-batch.asl.json');
const prodTopic = prod.substituted.AlertsTopicArn;
const prodSubject = '[prod] Batch Execution Failed';

test('prod: exit 0 succeeds with one attempt and no notification', async () => {
  const r = await run(prod.definition, {tasks: {RunBatchTask: ecs.exit(0)}});
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.attempts, {RunBatchTask: 1});
  assert.deepEqual(r.published, []);
  assert.deepEqual(r.entered, ['RunBatchTask', 'Success']);
  assert.equal(r.output.taskResult.Containers[0].ExitCode, 0);
  // The task runs what the spec says, where the substitutions say.
  const p = r.calls.RunBatchTask[0];
  assert.deepEqual(p.Overrides.ContainerOverrides[0].Command, ['/app/bin/sample-batch']);
  assert.equal(p.Cluster, prod.substituted.ClusterArn);
  assert.equal(p.LaunchType, 'FARGATE');
});

test('prod: a failing exit is retried 3 times, then notified, and the execution fails', async () => {
  const r = await run(prod.definition, {tasks: {RunBatchTask: ecs.exit(75)}});
  assert.equal(r.status, 'FAILED');
  assert.deepEqual(r.attempts, {RunBatchTask: 4, NotifyFailure: 1});
  assert.deepEqual(r.entered, ['RunBatchTask', 'FailedStep1', 'FailureCause', 'ReadFailureCause',
    'FailureTask', 'DescribeFailedTask', 'SummarizeFailedTask', 'NotifyFailure', 'Failed']);
  assert.equal(r.events.filter((e) => e.type === 'StateRetried').length, 3);
  assert.equal(r.published.length, 1);
  assertFailureMessage(r.published[0], {subject: prodSubject, topic: prodTopic,
    error: 'States.TaskFailed', exitCode: 75, stopCode: 'EssentialContainerExited'});
  assert.equal(r.error, 'States.TaskFailed');
  assert.equal(JSON.parse(r.cause).Containers[0].ExitCode, 75);
});

test('prod: a failure then exit 0 succeeds on the second attempt', async () => {
  const r = await run(prod.definition, {tasks: {RunBatchTask: ecs.sequence(ecs.exit(1), ecs.exit(0))}});
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.attempts, {RunBatchTask: 2});
  assert.deepEqual(r.published, []);
});

test('prod: exit 78 is retried like any other code today (no exit-code policy yet)', async () => {
  const r = await run(prod.definition, {tasks: {RunBatchTask: ecs.exit(78)}});
  assert.equal(r.status, 'FAILED');
  assert.equal(r.attempts.RunBatchTask, 4);
  assertFailureMessage(r.published[0], {subject: prodSubject, topic: prodTopic,
    error: 'States.TaskFailed', exitCode: 78});
});

test('prod: a task that failed to start is retried and reported as States.TaskFailed', async () => {
  const r = await run(prod.definition, {tasks: {RunBatchTask: ecs.failedToStart()}});
  assert.equal(r.status, 'FAILED');
  assert.equal(r.attempts.RunBatchTask, 4);
  const cause = assertFailureMessage(r.published[0], {subject: prodSubject, topic: prodTopic,
    error: 'States.TaskFailed', stopCode: 'TaskFailedToStart'});
  assert.equal(cause.Containers[0].ExitCode, undefined);
  assert.match(cause.StoppedReason, /^CannotPullContainerError/);
});

// A States.TaskFailed retrier matches every error but States.Timeout (AWS, error handling page),
// so the compiled `on: [States.TaskFailed]` also retries AmazonECS.Unknown.
test('prod: RunTask Failures (AmazonECS.Unknown) are retried too, then notified', async () => {
  const r = await run(prod.definition, {tasks: {RunBatchTask: ecs.runTaskFailures()}});
  assert.equal(r.status, 'FAILED');
  assert.deepEqual(r.attempts, {RunBatchTask: 4, NotifyFailure: 1});
  assert.equal(r.error, 'AmazonECS.Unknown');
  assert.equal(r.published[0].Message.error, 'AmazonECS.Unknown');
});

test('prod: a Spot interruption is retried like a failed exit today', async () => {
  const r = await run(prod.definition, {tasks: {RunBatchTask: ecs.spotInterruption()}});
  assert.equal(r.status, 'FAILED');
  assert.equal(r.attempts.RunBatchTask, 4);
  assertFailureMessage(r.published[0], {subject: prodSubject, topic: prodTopic,
    error: 'States.TaskFailed', stopCode: 'SpotInterruption'});
});

// ---- specs/reports.yaml
const daily = load('ReportsStack-stg.daily-report.asl.json');
const opsTopic = daily.substituted.Topic_opsTopic;
const stgAlerts = daily.substituted.AlertsTopicArn;  // daily-report has no onFailure of its own

test('reports daily-report: success runs Aggregate, both renders, and announces', async () => {
  const r = await run(daily.definition, {tasks: {
    Aggregate: ecs.exit(0), RenderPdf: ecs.exit(0), RenderCsv: ecs.exit(0)}});
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.attempts, {Aggregate: 1, RenderPdf: 1, RenderCsv: 1, Announce: 1});
  assert.deepEqual(r.entered.filter((s) => !s.startsWith('Render')), ['Aggregate', 'CheckExit', 'Announce']);
  assert.equal(r.published.length, 1);
  assert.equal(r.published[0].Subject, '[stg] daily report ready');
  assert.equal(r.published[0].TopicArn, opsTopic);
  assert.deepEqual(r.published[0].Message, {report: 'test-execution', status: 'ready'});
  assert.deepEqual(r.calls.RenderPdf[0].Overrides.ContainerOverrides[0].Command,
    ['/app/bin/sample-batch', '--render', 'pdf']);
});

test('reports daily-report: Aggregate failing is tried 3 times, then notified; the choice never sees it', async () => {
  const r = await run(daily.definition, {tasks: {
    Aggregate: ecs.exit(75), RenderPdf: ecs.exit(0), RenderCsv: ecs.exit(0)}});
  assert.equal(r.status, 'FAILED');
  assert.deepEqual(r.attempts, {Aggregate: 3, NotifyFailure: 1});
  assert.ok(!r.entered.includes('CheckExit'));
  assertFailureMessage(r.published[0], {subject: '[stg] Batch Execution Failed', topic: stgAlerts,
    error: 'States.TaskFailed', exitCode: 75});
  assert.equal(r.error, 'States.TaskFailed');
});

test('reports daily-report: a render step failing is not retried (steps retry nothing by default)', async () => {
  const r = await run(daily.definition, {tasks: {
    Aggregate: ecs.exit(0), RenderPdf: ecs.exit(1), RenderCsv: ecs.exit(0)}});
  assert.equal(r.status, 'FAILED');
  assert.equal(r.attempts.RenderPdf, 1);
  assert.equal(r.attempts.Announce, undefined);
  assertFailureMessage(r.published[0], {subject: '[stg] Batch Execution Failed', topic: stgAlerts,
    error: 'States.TaskFailed', exitCode: 1});
});

const hourly = load('ReportsStack-stg.hourly-refresh.asl.json');

test('reports hourly-refresh: exit 0 succeeds', async () => {
  const r = await run(hourly.definition, {tasks: {RunBatchTask: ecs.exit(0)}});
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.attempts, {RunBatchTask: 1});
  assert.deepEqual(r.calls.RunBatchTask[0].Overrides.ContainerOverrides[0].Command,
    ['/app/bin/sample-batch', '--job', 'hourly-refresh', '--tz', 'Asia/Tokyo']);
});

test('reports hourly-refresh: retried 3 times, then its own subject', async () => {
  const r = await run(hourly.definition, {tasks: {RunBatchTask: ecs.exit(69)}});
  assert.equal(r.status, 'FAILED');
  assert.deepEqual(r.attempts, {RunBatchTask: 4, NotifyFailure: 1});
  assertFailureMessage(r.published[0], {subject: '[stg] hourly refresh failed', topic: opsTopic,
    error: 'States.TaskFailed', exitCode: 69});
});

const backfill = load('ReportsStack-stg.backfill.asl.json');
const days = ['2026-11-01', '2026-11-02'];

test('reports backfill: each day runs once with its day argument, input kept', async () => {
  const r = await run(backfill.definition, {tasks: {AggregateDay: ecs.exit(0)}, input: {days}});
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.attempts, {AggregateDay: 2});
  assert.deepEqual(r.calls.AggregateDay.map((p) => p.Overrides.ContainerOverrides[0].Command),
    days.map((d) => ['/app/bin/sample-batch', '--day', d]));
  assert.deepEqual(r.output, {days, done: {finished: true}});
});

test('reports backfill: a day failing twice fails the map, notifies, and fails', async () => {
  const byDay = (p) => (p.Overrides.ContainerOverrides[0].Command[2] === '2026-11-02' ? ecs.exit(70) : ecs.exit(0))(p);
  const r = await run(backfill.definition, {tasks: {AggregateDay: byDay}, input: {days}});
  assert.equal(r.status, 'FAILED');
  assert.equal(r.attempts.AggregateDay, 3);  // day 1 once, day 2 twice (maxAttempts: 1 retry)
  assertFailureMessage(r.published[0], {subject: '[stg] backfill failed', topic: opsTopic,
    error: 'States.TaskFailed', exitCode: 70});
  assert.ok(!r.entered.includes('Done'));
});
