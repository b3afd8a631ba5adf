// The failure notification (docs/spec.md, "Failure notification") of the compiled specs/prod.yaml
// and specs/reports.yaml, executed in aws-local-stepfunctions with mocked ECS and SNS tasks
// (harness.mjs): what the message says for an exit-code failure, a launch failure whose Cause is
// plain text, a parallel step, and a Cause too large for SNS.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {loadAsl, run, ecs, TaskError, ACCOUNT, REGION} from './harness.mjs';

const aslDir = process.env.ASL_DIR ?? new URL('../../templates/', import.meta.url).pathname;
const load = (file) => loadAsl(path.join(aslDir, file));

const SNS_MAX_BYTES = 262144;  // SNS Publish: a message is at most 256 KB
const executionArn = `arn:aws:states:${REGION}:${ACCOUNT}:execution:sm:test-execution`;
const consoleLink = `https://${REGION}.console.aws.amazon.com/states/home?region=${REGION}` +
  `#/v2/executions/details/${executionArn}`;

// An SNS mock that refuses a message over SNS's limit as SNS does (InvalidParameter), and
// records what it accepted and what it refused.
function snsWithLimit() {
  const accepted = [];
  const refused = [];
  const publish = (params) => {
    const bytes = Buffer.byteLength(JSON.stringify(params.Message), 'utf8');
    if (bytes > SNS_MAX_BYTES) {
      refused.push({bytes});
      throw new TaskError('SNS.InvalidParameterException', 'Invalid parameter: Message too long');
    }
    accepted.push({...params, bytes});
    return {MessageId: '00000000-0000-4000-8000-000000000001'};
  };
  return {accepted, refused, publish};
}

// The parts every notification has.
function assertCommon(msg, {workflow, step, error}) {
  assert.equal(msg.workflow, workflow);
  assert.equal(msg.executionName, 'test-execution');
  assert.equal(msg.executionArn, executionArn);
  assert.equal(msg.console, consoleLink);
  assert.equal(msg.step, step);
  assert.equal(msg.error, error);
  assert.equal(msg.timestamp, '2026-12-01T17:00:05.000Z');
}

const prod = load('OrchestrationStack-prod.sample-batch.asl.json');
const importedLogs = path.join(aslDir, 'NotifyStack-test.imported-logs.asl.json');

test('notify: an exit-code failure reports the step, exit code, stop code, reason and task ARN', async () => {
  const r = await run(prod.definition, {tasks: {'RunBatchTask: run': ecs.exit(75)}});
  assert.equal(r.status, 'FAILED');
  assert.equal(r.published.length, 1);
  const p = r.published[0];
  assert.equal(p.state, 'NotifyFailure');
  assert.ok(p.Subject.length <= 100);
  const msg = p.Message;
  assertCommon(msg, {workflow: 'sample-batch', step: 'RunBatchTask', error: 'LockHeld'});
  const stopped = JSON.parse(msg.cause);  // the original Cause, unchanged
  assert.equal(msg.task.exitCode, 75);
  assert.equal(msg.task.stopCode, 'EssentialContainerExited');
  assert.equal(msg.task.stoppedReason, 'Essential container in task exited');
  assert.equal(msg.task.taskArn, stopped.TaskArn);
  assert.equal(msg.task.containerReason, null);
  // prod imports its task definition and states no log configuration: no link.
  assert.equal(msg.task.logs, null);
  assert.equal(r.error, 'LockHeld');  // exit 75's name (specs/shared/orchestration.base.yaml)
  assert.equal(JSON.parse(r.cause).Containers[0].ExitCode, 75);
});

test('notify: a dedicated task definition gives the CloudWatch Logs link of the task stream', async () => {
  const hourly = load('ReportsStack-stg.hourly-refresh.asl.json');
  const r = await run(hourly.definition, {tasks: {RunBatchTask: ecs.exit(69)}});
  assert.equal(r.status, 'FAILED');
  const msg = r.published[0].Message;
  assertCommon(msg, {workflow: 'hourly-refresh', step: 'RunBatchTask', error: 'States.TaskFailed'});
  assert.equal(msg.task.exitCode, 69);
  const taskId = msg.task.taskArn.split('/').pop();
  assert.match(taskId, /^[0-9a-f]{32}$/);
  // group /ecs/stg-hourly-refresh, stream hourly-refresh/batch/<task id>, as the console encodes it
  assert.equal(msg.task.logs,
    `https://${REGION}.console.aws.amazon.com/cloudwatch/home?region=${REGION}` +
    '#logsV2:log-groups/log-group/$252Fecs$252Fstg-hourly-refresh/log-events/' +
    `hourly-refresh$252Fbatch$252F${taskId}`);
});

test('notify: a task that failed to start reports its stop code and reason, no exit code', async () => {
  const r = await run(prod.definition, {tasks: {'RunBatchTask: run': ecs.failedToStart()}});
  const msg = r.published[0].Message;
  assertCommon(msg, {workflow: 'sample-batch', step: 'RunBatchTask', error: 'Task.LaunchFailed'});
  assert.equal(msg.task.exitCode, null);
  assert.equal(msg.task.stopCode, 'TaskFailedToStart');
  assert.match(msg.task.stoppedReason, /^CannotPullContainerError/);
  assert.match(msg.task.containerReason, /^CannotPullContainerError/);
});

test('notify: a launch failure with a plain-text cause is reported as text, without task details', async () => {
  const text = 'User: arn:aws:sts::123456789012:assumed-role/x/y is not authorized to perform: ' +
    'ecs:RunTask on resource: arn:aws:ecs:ap-northeast-1:123456789012:task-definition/sample-batch:7';
  const r = await run(prod.definition, {tasks: {'RunBatchTask: run': () => {
    throw new TaskError('ECS.AccessDeniedException', text);
  }}});
  assert.equal(r.status, 'FAILED');
  assert.ok(!r.entered.includes('ReadFailureCause'));  // never parsed
  const msg = r.published[0].Message;
  assertCommon(msg, {workflow: 'sample-batch', step: 'RunBatchTask', error: 'Task.LaunchFailed'});
  assert.equal(msg.cause, text);
  assert.equal(msg.task, null);
  assert.equal(r.error, 'Task.LaunchFailed');  // the original text stays the cause
});

test('notify: a cause that only looks like JSON is not parsed', async () => {
  const r = await run(prod.definition, {tasks: {'RunBatchTask: run': () => {
    throw new TaskError('ECS.ClientException', '{not json} at all');
  }}});
  assert.equal(r.status, 'FAILED');
  assert.equal(r.published[0].Message.cause, '{not json} at all');
  assert.equal(r.published[0].Message.task, null);
});

test('notify: RunTask Failures (JSON, not a stopped task) keep the cause, no task details', async () => {
  const r = await run(prod.definition, {tasks: {'RunBatchTask: run': ecs.runTaskFailures()}});
  const msg = r.published[0].Message;
  assert.ok(r.entered.includes('ReadFailureCause'));
  assert.ok(!r.entered.includes('DescribeFailedTask'));
  assertCommon(msg, {workflow: 'sample-batch', step: 'RunBatchTask', error: 'Task.LaunchFailed'});
  assert.equal(JSON.parse(msg.cause).Failures.length, 1);
  assert.equal(msg.task, null);
});

test('notify: the step named is the top-level step that failed (a parallel step for its branch)', async () => {
  const daily = load('ReportsStack-stg.daily-report.asl.json');
  const r = await run(daily.definition, {tasks: {
    'Aggregate: run': ecs.exit(0), 'Aggregate: run on demand': ecs.exit(0), RenderPdf: ecs.exit(3), RenderCsv: ecs.exit(0)}});
  assert.equal(r.status, 'FAILED');
  const msg = r.published[0].Message;
  assertCommon(msg, {workflow: 'daily-report', step: 'Render', error: 'States.TaskFailed'});
  assert.equal(msg.task.exitCode, 3);
});

// On the imported-logs workflow of tests/interp/specs/notify.yaml: a task without exitCodes in a
// workflow without a schedule (no overlap states), so the error reaches the notification as the
// task raised it.
test('notify: a cause too large for SNS is sent again without it, within the limit',
  {skip: fs.existsSync(importedLogs) ? false : 'compile tests/interp/specs/notify.yaml into ASL_DIR (run.sh does)'},
  async () => {
  const big = 'x'.repeat(300 * 1024);  // plain text, over SNS's 256 KB on its own
  const sns = snsWithLimit();
  const r = await run(loadAsl(importedLogs).definition, {tasks: {
    WithLogs: () => { throw new TaskError('ECS.ServerException', big); }, WithoutLogs: ecs.exit(0),
    NotifyFailure: sns.publish,
    NotifyFailureBrief: sns.publish}});
  assert.equal(r.status, 'FAILED');
  assert.equal(sns.refused.length, 1);
  assert.equal(sns.accepted.length, 1);
  assert.deepEqual(r.entered.slice(-3), ['NotifyFailure', 'NotifyFailureBrief', 'Failed']);
  const p = sns.accepted[0];
  assert.ok(p.bytes <= SNS_MAX_BYTES);
  assert.ok(p.bytes < 2048);
  const msg = p.Message;
  assertCommon(msg, {workflow: 'imported-logs', step: 'WithLogs', error: 'ECS.ServerException'});
  assert.equal(msg.cause, null);
  assert.equal(msg.task, null);
  assert.equal(msg.noticeError, 'SNS.InvalidParameterException');
  assert.match(msg.notice, /execution's history/);
  // The execution still fails with the task's own error and cause.
  assert.equal(r.error, 'ECS.ServerException');
  assert.equal(r.cause, big);
});

test('notify: a stopped task too large for SNS is sent again without it', async () => {
  const sns = snsWithLimit();
  const huge = (params) => {
    try {
      ecs.exit(1)(params);
    } catch (e) {
      const task = JSON.parse(e.message);
      task.StoppedReason = 'y'.repeat(200 * 1024);
      throw new TaskError('States.TaskFailed', JSON.stringify(task));
    }
  };
  const r = await run(prod.definition, {tasks: {
    'RunBatchTask: run': huge, NotifyFailure: sns.publish, NotifyFailureBrief: sns.publish}});
  assert.equal(r.status, 'FAILED');
  assert.equal(sns.refused.length, 1);
  assert.equal(sns.accepted[0].Message.step, 'RunBatchTask');
  assert.equal(sns.accepted[0].Message.cause, null);
  assert.ok(sns.accepted[0].bytes <= SNS_MAX_BYTES);
});

// tests/interp/specs/notify.yaml is compiled by run.sh (CTest interp.specs); templates/ does not hold it.
test('notify: an imported task definition with logs: gives the link; a step without logs: none',
  {skip: fs.existsSync(importedLogs) ? false : 'compile tests/interp/specs/notify.yaml into ASL_DIR (run.sh does)'},
  async () => {
  const asl = loadAsl(importedLogs);
  let r = await run(asl.definition, {tasks: {WithLogs: ecs.exit(64), WithoutLogs: ecs.exit(0)}});
  let msg = r.published[0].Message;
  assertCommon(msg, {workflow: 'imported-logs', step: 'WithLogs', error: 'States.TaskFailed'});
  const taskId = msg.task.taskArn.split('/').pop();
  assert.equal(msg.task.logs,
    `https://${REGION}.console.aws.amazon.com/cloudwatch/home?region=${REGION}` +
    `#logsV2:log-groups/log-group/$252Fecs$252Fshared-batch/log-events/batch$252Fbackend$252F${taskId}`);
  r = await run(asl.definition, {tasks: {WithLogs: ecs.exit(0), WithoutLogs: ecs.exit(64)}});
  msg = r.published[0].Message;
  assertCommon(msg, {workflow: 'imported-logs', step: 'WithoutLogs', error: 'States.TaskFailed'});
  assert.equal(msg.task.exitCode, 64);
  assert.equal(msg.task.logs, null);
});
