// The nested workflow step (docs/spec.md, "Nested workflows") of tests/interp/specs/nested.yaml,
// compiled by orchc and executed in aws-local-stepfunctions (harness.mjs): the parent starts its
// child workflow with `states:startExecution.sync:2` and waits. The child's execution is mocked
// as the .sync pattern ends it: success returns the child execution's description (DescribeExecution,
// in Step Functions' PascalCase, `Output` as JSON because of `:2`); a child that does not succeed
// fails the Task state with States.TaskFailed and that description, its Error and Cause included,
// as the Cause (README.md: what AWS documents and what is taken as observed).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {loadAsl, run, ecs, TaskError, ACCOUNT, REGION} from './harness.mjs';

const aslDir = process.env.ASL_DIR ?? new URL('../../templates/', import.meta.url).pathname;
const parent = loadAsl(path.join(aslDir, 'NestedStack-test.parent.asl.json'));
const parentExecution = `arn:aws:states:${REGION}:${ACCOUNT}:execution:sm:test-execution`;
const childMachine = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:ChildStateMachine`;

let executions = 0;

// The child execution as DescribeExecution describes it when it has ended.
function childExecution(params, {status, output, error, cause}) {
  const name = `child-${++executions}`;
  const described = {
    ExecutionArn: `${params.StateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`,
    StateMachineArn: params.StateMachineArn,
    Name: name,
    Status: status,
    StartDate: 1764608405000,
    StopDate: 1764608465000,
    Input: JSON.stringify(params.Input),
    InputDetails: {Included: true},
  };
  if (status === 'SUCCEEDED') {
    described.Output = output;
    described.OutputDetails = {Included: true};
  } else {
    described.Error = error;
    described.Cause = cause;
  }
  return described;
}

const child = {
  succeeds(output) {
    return (params) => childExecution(params, {status: 'SUCCEEDED', output});
  },
  fails(error, cause) {
    return (params) => {
      throw new TaskError('States.TaskFailed',
        JSON.stringify(childExecution(params, {status: 'FAILED', error, cause})));
    };
  },
};

// A mock that fails `failures` times, then succeeds.
function failsThenSucceeds(failures, output) {
  let calls = 0;
  return (params) => (++calls <= failures ? child.fails('Task.ExitCode.3', 'exit 3')(params)
    : child.succeeds(output)(params));
}

test('nested: the child succeeds, the parent continues with its description at $.workflowResult', async () => {
  const r = await run(parent.definition, {
    input: {month: '2026-11'},
    tasks: {Prepare: ecs.exit(0), RunChild: child.succeeds({rows: 42}), Report: ecs.exit(0)},
  });
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.entered, ['Prepare', 'RunChild', 'Report']);
  assert.equal(r.attempts.RunChild, 1);
  const call = r.calls.RunChild[0];
  assert.equal(call.StateMachineArn, childMachine);
  // the spec's input, with the parent's execution linked (AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID)
  assert.deepEqual(call.Input, {month: '2026-11', source: 'parent',
    AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: parentExecution});
  assert.equal(r.output.workflowResult.Status, 'SUCCEEDED');
  assert.deepEqual(r.output.workflowResult.Output, {rows: 42});
  assert.equal(r.published.length, 0);
});

test('nested: a child that fails is retried as the step says, then the parent continues', async () => {
  const r = await run(parent.definition, {
    input: {month: '2026-11'},
    tasks: {Prepare: ecs.exit(0), RunChild: failsThenSucceeds(2, {rows: 7}), Report: ecs.exit(0)},
  });
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(r.attempts.RunChild, 3);  // retry: maxAttempts 2
  assert.deepEqual(r.output.workflowResult.Output, {rows: 7});
});

test('nested: a child that keeps failing fails the step; the notification reports it, the parent fails', async () => {
  const r = await run(parent.definition, {
    input: {month: '2026-11'},
    tasks: {
      Prepare: ecs.exit(0),
      RunChild: child.fails('Task.ExitCode.3', 'the batch job exited with 3'),
      Report: ecs.exit(0),
    },
  });
  assert.equal(r.status, 'FAILED');
  assert.equal(r.attempts.RunChild, 3);
  assert.ok(!r.entered.includes('Report'));
  assert.equal(r.error, 'States.TaskFailed');
  const described = JSON.parse(r.cause);  // the child's description, unchanged
  assert.equal(described.Status, 'FAILED');
  assert.equal(described.Error, 'Task.ExitCode.3');
  assert.equal(described.Cause, 'the batch job exited with 3');
  assert.equal(described.StateMachineArn, childMachine);
  assert.equal(r.published.length, 1);
  const msg = r.published[0].Message;
  assert.equal(r.published[0].state, 'NotifyFailure');
  assert.equal(msg.workflow, 'parent');
  assert.equal(msg.step, 'RunChild');
  assert.equal(msg.error, 'States.TaskFailed');
  assert.equal(msg.cause, r.cause);
  assert.equal(msg.task, null);  // not an ECS task: no task details
});

test('nested: the child workflow is a state machine of its own that runs its task', async () => {
  const childDef = loadAsl(path.join(aslDir, 'NestedStack-test.child.asl.json'));
  const ok = await run(childDef.definition, {tasks: {RunBatchTask: ecs.exit(0)}});
  assert.equal(ok.status, 'SUCCEEDED');
  const failed = await run(childDef.definition, {tasks: {RunBatchTask: ecs.exit(3)}});
  assert.equal(failed.status, 'FAILED');
  assert.equal(failed.published.length, 1);
});
