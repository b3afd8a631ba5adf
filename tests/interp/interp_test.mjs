// The compiled behaviour of specs/reports.yaml's tasks without exitCodes, executed in
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

// ---- specs/prod.yaml: the sample-batch task declares the batch job's exit codes, so its
// outcomes are classified; outcomes_test.mjs runs it.

// ---- specs/reports.yaml
const daily = load('ReportsStack-stg.daily-report.asl.json');
const opsTopic = daily.substituted.Topic_opsTopic;
const stgAlerts = daily.substituted.AlertsTopicArn;  // daily-report has no onFailure of its own

test('reports daily-report: success runs Aggregate, both renders, and announces', async () => {
  const r = await run(daily.definition, {tasks: {
    'Aggregate: run': ecs.exit(0), 'Aggregate: run on demand': ecs.exit(0),
    RenderPdf: ecs.exit(0), RenderCsv: ecs.exit(0)}});
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.attempts, {'Aggregate: run': 1, RenderPdf: 1, RenderCsv: 1, Announce: 1});
  assert.deepEqual(r.entered.filter((s) => !s.startsWith('Render') && !s.startsWith('Aggregate: ')),
    ['Aggregate', 'Announce']);
  assert.equal(r.published.length, 1);
  assert.equal(r.published[0].Subject, '[stg] daily report ready');
  assert.equal(r.published[0].TopicArn, opsTopic);
  assert.deepEqual(r.published[0].Message, {report: 'test-execution', status: 'ready'});
  assert.deepEqual(r.calls.RenderPdf[0].Overrides.ContainerOverrides[0].Command,
    ['/app/bin/sample-batch', '--render', 'pdf']);
});

test('reports daily-report: a render step failing is retried by the default rule (3 retries), then notified', async () => {
  const r = await run(daily.definition, {tasks: {
    'Aggregate: run': ecs.exit(0), 'Aggregate: run on demand': ecs.exit(0),
    RenderPdf: ecs.exit(1), RenderCsv: ecs.exit(0)}});
  assert.equal(r.status, 'FAILED');
  assert.equal(r.attempts.RenderPdf, 4);
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
