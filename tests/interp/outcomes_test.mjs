// Task outcomes (docs/spec.md, "Task outcomes"): exitCodes and capacity: spot-then-on-demand,
// compiled by orchc and executed in aws-local-stepfunctions with mocked ECS and SNS tasks
// (harness.mjs). The specs: specs/prod.yaml (the seed's sample-batch with the batch job's
// documented exit codes), specs/reports.yaml and tests/interp/specs/outcomes.yaml.
// Usage: node --test outcomes_test.mjs   (ASL_DIR: the directory of the compiled .asl.json files)
import {test} from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {loadAsl, run, ecs, stoppedTask, TaskError} from './harness.mjs';

const aslDir = process.env.ASL_DIR ?? new URL('../../templates/', import.meta.url).pathname;
const load = (file) => loadAsl(path.join(aslDir, file));

const retried = (r) => r.events.filter((e) => e.type === 'StateRetried').length;
// The ECS task state of a classified step is "<step>: run" inside the step's Parallel.
const RUN = 'RunBatchTask: run';

// The execution's error and cause, and the notification's: the classified name, and the Cause
// AWS gave (the stopped task as a JSON string), unchanged.
function assertFailed(r, {error, exitCode, stopCode, notified = true}) {
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error, error);
  if (notified) {
    assert.equal(r.published.length, 1);
    assert.equal(r.published[0].Message.error, error);
    assert.equal(r.published[0].Message.cause, r.cause);
  }
  if (exitCode !== undefined || stopCode !== undefined) {
    const cause = JSON.parse(r.cause);
    if (exitCode !== undefined) assert.equal(cause.Containers[0].ExitCode, exitCode);
    if (stopCode !== undefined) assert.equal(cause.StopCode, stopCode);
  }
}

// ---- specs/prod.yaml: retry 69, 74, 75 (3 retries, the default policy); others fail at once.
const prod = load('OrchestrationStack-prod.sample-batch.asl.json');

test('prod: exit 0 succeeds at once; the step output is the stopped task, as before', async () => {
  const r = await run(prod.definition, {tasks: {[RUN]: ecs.exit(0)}, input: {from: 'rule'}});
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.attempts, {[RUN]: 1});
  assert.deepEqual(r.published, []);
  assert.equal(r.output.from, 'rule');
  assert.equal(r.output.taskResult.Containers[0].ExitCode, 0);
  assert.equal(r.output.taskResult.StopCode, 'EssentialContainerExited');
  assert.deepEqual(Object.keys(r.output).sort(), ['from', 'taskResult']);
  const p = r.calls[RUN][0];
  assert.equal(p.LaunchType, 'FARGATE');
  assert.deepEqual(p.Overrides.ContainerOverrides[0].Command, ['/app/bin/sample-batch']);
});

test('prod: exit 75 (lock held) is retried 3 times, then fails as LockHeld', async () => {
  const r = await run(prod.definition, {tasks: {[RUN]: ecs.exit(75)}});
  assert.deepEqual(r.attempts, {[RUN]: 4, NotifyFailure: 1});
  assert.equal(retried(r), 3);
  assertFailed(r, {error: 'LockHeld', exitCode: 75, stopCode: 'EssentialContainerExited'});
  assert.ok(r.entered.includes('RunBatchTask: LockHeld'));
});

test('prod: exit 75 then exit 0 succeeds on the second attempt', async () => {
  const r = await run(prod.definition, {tasks: {[RUN]: ecs.sequence(ecs.exit(75), ecs.exit(0))}});
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.attempts, {[RUN]: 2});
  assert.equal(r.output.taskResult.Containers[0].ExitCode, 0);
});

test('prod: exit 78 (configuration) fails at once as Misconfigured, no retry', async () => {
  const r = await run(prod.definition, {tasks: {[RUN]: ecs.exit(78)}});
  assert.deepEqual(r.attempts, {[RUN]: 1, NotifyFailure: 1});
  assert.equal(retried(r), 0);
  assertFailed(r, {error: 'Misconfigured', exitCode: 78});
});

test('prod: an exit code the spec does not name fails at once as Task.ExitCode.<N>', async () => {
  const r = await run(prod.definition, {tasks: {[RUN]: ecs.exit(2)}});
  assert.deepEqual(r.attempts, {[RUN]: 1, NotifyFailure: 1});
  assertFailed(r, {error: 'Task.ExitCode.2', exitCode: 2});
});

test('prod: an image that cannot be pulled is Task.LaunchFailed, retried 3 times', async () => {
  const r = await run(prod.definition, {tasks: {[RUN]: ecs.failedToStart()}});
  assert.deepEqual(r.attempts, {[RUN]: 4, NotifyFailure: 1});
  assertFailed(r, {error: 'Task.LaunchFailed', stopCode: 'TaskFailedToStart'});
  assert.match(JSON.parse(r.cause).StoppedReason, /^CannotPullContainerError/);
});

test('prod: RunTask Failures (AmazonECS.Unknown, no capacity) is Task.LaunchFailed, cause kept', async () => {
  const r = await run(prod.definition, {tasks: {[RUN]: ecs.runTaskFailures()}});
  assert.deepEqual(r.attempts, {[RUN]: 4, NotifyFailure: 1});
  assertFailed(r, {error: 'Task.LaunchFailed'});
  assert.match(JSON.parse(r.cause).Failures[0].Reason, /^Capacity is unavailable/);
});

test('prod: an ECS API error with a plain-text cause does not break the parse: Task.LaunchFailed', async () => {
  const text = 'User: arn:aws:sts::123456789012:assumed-role/x is not authorized to perform: ecs:RunTask';
  const r = await run(prod.definition, {tasks: {[RUN]: () => {
    throw new TaskError('ECS.AccessDeniedException', text);
  }}});
  assertFailed(r, {error: 'Task.LaunchFailed'});
  assert.equal(r.cause, text);
  assert.ok(!r.entered.includes('RunBatchTask: parse cause'));
});

test('prod: another error with a plain-text cause is raised unchanged', async () => {
  const r = await run(prod.definition, {tasks: {[RUN]: () => {
    throw new TaskError('States.TaskFailed', 'Internal error: not a JSON object');
  }}});
  assert.deepEqual(r.attempts, {[RUN]: 1, NotifyFailure: 1});
  assertFailed(r, {error: 'States.TaskFailed'});
  assert.equal(r.cause, 'Internal error: not a JSON object');
  assert.ok(!r.entered.includes('RunBatchTask: parse cause'));
});

test('prod: a memory kill is Task.OutOfMemory, not retried', async () => {
  const r = await run(prod.definition, {tasks: {[RUN]: (params) => {
    const task = stoppedTask(params, {stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      container: {ExitCode: 137, Reason: 'OutOfMemoryError: Container killed due to memory usage'}});
    throw new TaskError('States.TaskFailed', JSON.stringify(task));
  }}});
  assert.deepEqual(r.attempts, {[RUN]: 1, NotifyFailure: 1});
  assertFailed(r, {error: 'Task.OutOfMemory', exitCode: 137});
});

test('prod: a task stopped by a user (no exit code) is Task.Stopped', async () => {
  const r = await run(prod.definition, {tasks: {[RUN]: (params) => {
    const task = stoppedTask(params, {stopCode: 'UserInitiated', stoppedReason: 'Task stopped by user'});
    throw new TaskError('States.TaskFailed', JSON.stringify(task));
  }}});
  assertFailed(r, {error: 'Task.Stopped', stopCode: 'UserInitiated'});
});

test('prod: a Spot interruption (on-demand task asked for Spot elsewhere) is Task.SpotInterrupted, retried', async () => {
  const r = await run(prod.definition, {tasks: {[RUN]: ecs.spotInterruption()}});
  assert.deepEqual(r.attempts, {[RUN]: 4, NotifyFailure: 1});
  assertFailed(r, {error: 'Task.SpotInterrupted', stopCode: 'SpotInterruption'});
});

// ---- tests/interp/specs/outcomes.yaml
const codes = load('OutcomesStack-test.codes.asl.json');
const JOB = 'Job: run';
// A stopped task with a sidecar listed first: the classification reads the overridden container.
const withSidecar = (code) => (params) => {
  const task = stoppedTask(params, {stopCode: 'EssentialContainerExited',
    stoppedReason: 'Essential container in task exited', container: {ExitCode: code}});
  task.Containers.unshift({...task.Containers[0], Name: 'log-router', ExitCode: 0});
  if (code === 0) return task;
  throw new TaskError('States.TaskFailed', JSON.stringify(task));
};

test('codes: the overridden container is the one classified, not the first', async () => {
  const r = await run(codes.definition, {tasks: {[JOB]: withSidecar(78)}});
  assert.equal(r.calls[JOB][0].Overrides.ContainerOverrides[0].Name, 'app');
  assert.deepEqual(r.attempts, {[JOB]: 1});
  // The spec's catch on the name (the interpreter logs a branch's events late: no order asserted).
  assert.ok(r.entered.includes('Misconfigured'));
  assert.ok(r.events.some((e) => e.type === 'StateCaught' && e.state.name === 'Job'));
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error, 'Misconfigured');
});

test('codes: a success code other than 0 succeeds; the result is the stopped task', async () => {
  const r = await run(codes.definition, {tasks: {[JOB]: withSidecar(3)}, input: {a: 1}});
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.attempts, {[JOB]: 1});
  assert.equal(r.output.a, 1);
  assert.equal(r.output.done, 'done');
  assert.equal(r.output.taskResult.Containers[1].ExitCode, 3);
  assert.equal(r.output.taskResult.TaskArn.includes(':task/'), true);
});

test('codes: retry codes use the rule without on: (2 retries), each code with its own name', async () => {
  for (const [code, name] of [[75, 'LockHeld'], [69, 'Transient']]) {
    const r = await run(codes.definition, {tasks: {[JOB]: withSidecar(code)}});
    assert.deepEqual(r.attempts, {[JOB]: 3, NotifyFailure: 1});
    assertFailed(r, {error: name});
  }
});

test('codes: States.Timeout of the task is raised as States.Timeout', async () => {
  const r = await run(codes.definition, {tasks: {[JOB]: () => {
    throw new TaskError('States.Timeout', 'Task timed out');
  }}});
  assert.deepEqual(r.attempts, {[JOB]: 1, NotifyFailure: 1});
  assertFailed(r, {error: 'States.Timeout'});
});

const spot = load('OutcomesStack-test.spot.asl.json');

test('spot: runs on FARGATE_SPOT; a reclaim runs again at once on FARGATE on-demand', async () => {
  const r = await run(spot.definition, {tasks: {[RUN]: ecs.spotInterruption(),
    'RunBatchTask: run on demand': ecs.exit(0)}});
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.attempts, {[RUN]: 1, 'RunBatchTask: run on demand': 1});
  assert.equal(retried(r), 0);
  const first = r.calls[RUN][0];
  assert.deepEqual(first.CapacityProviderStrategy, [{CapacityProvider: 'FARGATE_SPOT', Weight: 1}]);
  assert.equal(first.LaunchType, undefined);
  const second = r.calls['RunBatchTask: run on demand'][0];
  assert.equal(second.LaunchType, 'FARGATE');
  assert.equal(second.CapacityProviderStrategy, undefined);
  assert.deepEqual(second.Overrides, first.Overrides);
  assert.equal(r.output.taskResult.CapacityProviderName, 'FARGATE');
});

test('spot: a failure on on-demand after the reclaim is classified like any other', async () => {
  const r = await run(spot.definition, {tasks: {[RUN]: ecs.spotInterruption(),
    'RunBatchTask: run on demand': ecs.exit(9)}});
  assertFailed(r, {error: 'Task.ExitCode.9', exitCode: 9});
  assert.deepEqual(r.attempts, {[RUN]: 1, 'RunBatchTask: run on demand': 1, NotifyFailure: 1});
});

test('spot: a launch failure on Spot is retried on Spot by the default rule', async () => {
  const r = await run(spot.definition, {tasks: {[RUN]: ecs.sequence(ecs.runTaskFailures(), ecs.exit(0)),
    'RunBatchTask: run on demand': ecs.exit(0)}});
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.attempts, {[RUN]: 2});
});

const eachDay = load('OutcomesStack-test.each-day.asl.json');
const days = ['2026-11-01', '2026-11-02'];

test('each-day: a map over strings keeps its items; retry: [] retries nothing', async () => {
  const ok = await run(eachDay.definition, {tasks: {'Day: run': ecs.exit(0)}, input: {days}});
  assert.equal(ok.status, 'SUCCEEDED');
  assert.deepEqual(ok.output, {days});
  assert.deepEqual(ok.calls['Day: run'].map((p) => p.Overrides.ContainerOverrides[0].Command[2]), days);
  const bad = await run(eachDay.definition, {tasks: {'Day: run': ecs.exit(75)}, input: {days}});
  assert.equal(bad.status, 'FAILED');
  assert.equal(bad.error, 'Task.ExitCode.75');
  assert.equal(retried(bad), 0);
});

// ---- specs/reports.yaml: Aggregate on Spot with exit codes, catch on a name.
const daily = load('ReportsStack-stg.daily-report.asl.json');
const renders = {RenderPdf: ecs.exit(0), RenderCsv: ecs.exit(0)};

test('reports daily-report: a reclaimed Aggregate runs on on-demand, then the report goes on', async () => {
  const r = await run(daily.definition, {tasks: {...renders, 'Aggregate: run': ecs.spotInterruption(),
    'Aggregate: run on demand': ecs.exit(0)}});
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(r.calls['Aggregate: run on demand'][0].LaunchType, 'FARGATE');
  assert.equal(r.attempts.Announce, 1);
});

test('reports daily-report: exit 78 goes to the catch on Misconfigured at once', async () => {
  const r = await run(daily.definition, {tasks: {...renders, 'Aggregate: run': ecs.exit(78),
    'Aggregate: run on demand': ecs.exit(0)}});
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error, 'AggregationFailed');
  assert.deepEqual(r.attempts, {'Aggregate: run': 1});
  assert.ok(r.entered.includes('Failed to aggregate'));
  assert.ok(!r.entered.includes('NotifyFailure'));
});

test('reports daily-report: exit 75 is retried twice (the step\'s rule), then notified as LockHeld', async () => {
  const r = await run(daily.definition, {tasks: {...renders, 'Aggregate: run': ecs.exit(75),
    'Aggregate: run on demand': ecs.exit(0)}});
  assert.deepEqual(r.attempts, {'Aggregate: run': 3, NotifyFailure: 1});
  assertFailed(r, {error: 'LockHeld', exitCode: 75});
});
