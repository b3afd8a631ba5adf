// overlap: skip | queue | allow (compiler/overlap.cc), executed in aws-local-stepfunctions with
// the DynamoDB lease table mocked with DynamoDB's conditional-write semantics (harness.mjs,
// DynamoTable) and shared between the executions of one test.
// Usage: ASL_DIR=<compiled tests/interp/specs/overlap.yaml> node --test overlap_test.mjs
import {test} from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {loadAsl, run, ecs, DynamoTable} from './harness.mjs';

const aslDir = process.env.ASL_DIR;
if (!aslDir) throw new Error('ASL_DIR: the directory of the compiled tests/interp/specs/overlap.yaml');
const load = (wf) => loadAsl(path.join(aslDir, `OverlapStack-test.${wf}.asl.json`)).definition;
const nightly = load('nightly');      // overlap unwritten, scheduled: skip
const queued = load('queued');        // overlap: queue
const allow = load('parallel-ok');    // overlap: allow
const untimed = load('untimed');      // overlap: skip, no timeout

const NOW = 1764608405;  // 2026-12-01T17:00:05Z
const tick = (t = '2026-12-01T17:00:00Z') => ({triggerSource: 'EventBridge', timestamp: t});
const sm = 'arn:aws:states:ap-northeast-1:123456789012:execution:sm:';
// A lease another execution holds until `until`.
function heldBy(db, name, until) {
  db.items.set('lease', {pk: {S: 'lease'}, heldBy: {S: sm + name}, expiresAt: {N: String(until)}});
}
// An ECS task that succeeds once `gate` resolves (so a second execution runs meanwhile).
function gated(gate) {
  return async (params) => {
    await gate;
    return ecs.exit(0)(params);
  };
}
const ranTask = (r) => r.attempts.RunBatchTask ?? 0;

test('skip: a free lease is taken, the task runs, the lease is released', async () => {
  const db = new DynamoTable();
  const r = await run(nightly, {dynamodb: db, input: tick(), name: 'first', clock: () => NOW,
    tasks: {RunBatchTask: ecs.exit(0)}});
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(ranTask(r), 1);
  assert.deepEqual(r.enteredAll, ['OverlapStart', 'OverlapClock', 'OverlapHasTick', 'OverlapClaimTick',
    'OverlapAcquireLease', 'OverlapRun', 'RunBatchTask', 'Success', 'OverlapReleaseLease', 'OverlapDone']);
  // The workflow's own output, as without the lease.
  assert.equal(r.output.taskResult.Containers[0].ExitCode, 0);
  assert.equal(r.output.timestamp, '2026-12-01T17:00:00Z');
  assert.equal(r.output.lease, undefined);
  // The lease was written with the execution as holder and the 2 h timeout as lifetime, then
  // deleted; the tick record stays (2 days).
  const put = r.calls.OverlapAcquireLease[0];
  assert.equal(put.Item.heldBy.S, sm + 'first');
  assert.equal(put.Item.expiresAt.N, String(NOW + 7200));
  assert.equal(put.ExpressionAttributeValues[':now'].N, String(NOW));
  assert.equal(db.items.has('lease'), false);
  assert.deepEqual(db.items.get('tick#2026-12-01T17:00:00Z').expiresAt, {N: String(NOW + 172800)});
  // The task sees the execution's input, not the lease's fields.
  assert.deepEqual(Object.keys(r.events.find((e) => e.type === 'StateEntered' && e.state.name === 'RunBatchTask').state.input).sort(), ['timestamp', 'triggerSource']);
});

test('skip: with the lease held, the execution ends without running the task and says so', async () => {
  const db = new DynamoTable();
  heldBy(db, 'previous', NOW + 3600);
  const r = await run(nightly, {dynamodb: db, input: tick(), name: 'second', clock: () => NOW,
    tasks: {RunBatchTask: ecs.exit(0)}});
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(ranTask(r), 0);
  assert.equal(r.enteredAll.at(-1), 'OverlapSkipped');
  assert.equal(r.output.overlap, 'skipped');
  assert.match(r.output.message, /previous execution of nightly still runs/);
  assert.deepEqual(r.output.input, tick());
  // The holder's lease is untouched.
  assert.equal(db.items.get('lease').heldBy.S, sm + 'previous');
  assert.deepEqual(r.published, []);
});

test('skip: an expired lease (its holder ended without releasing it) is taken over', async () => {
  const db = new DynamoTable();
  heldBy(db, 'crashed', NOW - 1);
  const r = await run(nightly, {dynamodb: db, input: tick(), name: 'next', clock: () => NOW,
    tasks: {RunBatchTask: ecs.exit(0)}});
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(ranTask(r), 1);
  assert.equal(db.items.has('lease'), false);
});

test('skip: two executions started together run the task once', async () => {
  const db = new DynamoTable();
  let open;
  const gate = new Promise((resolve) => { open = resolve; });
  const task = gated(gate);
  const a = run(nightly, {dynamodb: db, input: tick(), name: 'a', tasks: {RunBatchTask: task}});
  // b: another tick (another timestamp), started at the same instant.
  const b = run(nightly, {dynamodb: db, input: tick('2026-12-01T17:00:01Z'), name: 'b',
    tasks: {RunBatchTask: task}});
  // Whichever gets the lease blocks in its task until the other has ended.
  const first = await Promise.race([a, b]);
  open();
  const [ra, rb] = await Promise.all([a, b]);
  assert.equal(first.output.overlap, 'skipped');
  assert.equal(ranTask(ra) + ranTask(rb), 1);
  assert.deepEqual([ra.status, rb.status], ['SUCCEEDED', 'SUCCEEDED']);
  assert.equal(db.calls.filter((c) => c.params.Item?.pk.S === 'lease').length, 2);
  assert.equal(db.items.has('lease'), false);
});

test('skip: a tick delivered twice runs the task once, even after the first run ended', async () => {
  const db = new DynamoTable();
  const r1 = await run(nightly, {dynamodb: db, input: tick(), name: 'delivery-1',
    tasks: {RunBatchTask: ecs.exit(0)}});
  const r2 = await run(nightly, {dynamodb: db, input: tick(), name: 'delivery-2',
    tasks: {RunBatchTask: ecs.exit(0)}});
  assert.equal(ranTask(r1), 1);
  assert.equal(ranTask(r2), 0);
  assert.equal(r2.status, 'SUCCEEDED');
  assert.equal(r2.output.overlap, 'duplicate-tick');
  assert.match(r2.output.message, /already started an execution of nightly/);
  assert.ok(!r2.enteredAll.includes('OverlapAcquireLease'));
});

test('skip: two deliveries of one tick at the same instant run the task once', async () => {
  const db = new DynamoTable();
  const [r1, r2] = await Promise.all([1, 2].map((n) => run(nightly, {dynamodb: db, input: tick(),
    name: `same-${n}`, tasks: {RunBatchTask: ecs.exit(0)}})));
  assert.equal(ranTask(r1) + ranTask(r2), 1);
  assert.deepEqual([r1.output.overlap, r2.output.overlap].filter(Boolean), ['duplicate-tick']);
});

test('skip: a start without a tick time (by hand) takes the lease but claims no tick', async () => {
  const db = new DynamoTable();
  const r1 = await run(nightly, {dynamodb: db, input: {}, name: 'manual-1', tasks: {RunBatchTask: ecs.exit(0)}});
  const r2 = await run(nightly, {dynamodb: db, input: {}, name: 'manual-2', tasks: {RunBatchTask: ecs.exit(0)}});
  assert.equal(ranTask(r1) + ranTask(r2), 2);
  assert.ok(!r1.enteredAll.includes('OverlapClaimTick'));
  assert.equal(db.items.size, 0);
});

test('skip: a failed run notifies, releases the lease and fails with the task\'s error', async () => {
  const db = new DynamoTable();
  const r = await run(nightly, {dynamodb: db, input: tick(), name: 'failing',
    tasks: {RunBatchTask: ecs.exit(78)}});
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error, 'States.TaskFailed');
  assert.equal(JSON.parse(r.cause).Containers[0].ExitCode, 78);
  assert.equal(r.published.length, 1);
  assert.deepEqual(r.enteredAll.slice(-3), ['Failed', 'OverlapReleaseLeaseAfterFailure', 'OverlapFailed']);
  assert.equal(r.calls.OverlapReleaseLeaseAfterFailure[0].ExpressionAttributeValues[':me'].S, sm + 'failing');
  assert.equal(db.items.has('lease'), false);
  // The next tick runs.
  const next = await run(nightly, {dynamodb: db, input: tick('2026-12-02T17:00:00Z'), name: 'next',
    tasks: {RunBatchTask: ecs.exit(0)}});
  assert.equal(ranTask(next), 1);
});

test('skip: a run whose lease expired and was taken over does not delete the new holder\'s', async () => {
  const db = new DynamoTable();
  db.onCall = (action) => {
    if (action === 'deleteItem') heldBy(db, 'successor', NOW + 7200);  // taken over meanwhile
  };
  const r = await run(nightly, {dynamodb: db, input: tick(), name: 'slow', tasks: {RunBatchTask: ecs.exit(0)}});
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(db.items.get('lease').heldBy.S, sm + 'successor');
});

test('skip without a timeout: the lease lasts the default day', async () => {
  const r = await run(untimed, {input: tick(), clock: () => NOW, tasks: {RunBatchTask: ecs.exit(0)}});
  assert.equal(r.calls.OverlapAcquireLease[0].Item.expiresAt.N, String(NOW + 86400));
});

test('queue: waits while the lease is held, then runs once it is released', async () => {
  const db = new DynamoTable();
  heldBy(db, 'previous', NOW + 3600);
  let t = NOW;
  let acquires = 0;
  db.onCall = (action, params) => {
    if (action === 'putItem' && params.Item.pk.S === 'lease' && ++acquires === 3) {
      db.items.delete('lease');  // the previous run ends and releases it
    }
  };
  const r = await run(queued, {dynamodb: db, input: tick(), name: 'queued', clock: () => (t += 60),
    tasks: {RunBatchTask: ecs.exit(0)}});
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(ranTask(r), 1);
  assert.equal(r.attemptsAll.OverlapAcquireLease, 3);
  assert.equal(r.enteredAll.filter((s) => s === 'OverlapWait').length, 2);
  // Each attempt reads a fresh clock.
  assert.deepEqual(r.calls.OverlapAcquireLease.map((p) => Number(p.ExpressionAttributeValues[':now'].N) - NOW),
    [60, 120, 180]);
  assert.equal(r.calls.OverlapAcquireLease[2].Item.expiresAt.N, String(NOW + 180 + 10800));
  assert.equal(db.items.has('lease'), false);
  const wait = queued.States.OverlapWait;
  assert.equal(wait.Seconds, 60);
});

test('queue: a lease that expires while waiting is taken over', async () => {
  const db = new DynamoTable();
  heldBy(db, 'hung', NOW + 100);
  let t = NOW;
  const r = await run(queued, {dynamodb: db, input: tick(), clock: () => (t += 60),
    tasks: {RunBatchTask: ecs.exit(0)}});
  assert.equal(ranTask(r), 1);
  assert.equal(r.attemptsAll.OverlapAcquireLease, 2);  // now+60 < expiry, now+120 > expiry
});

test('allow: two executions started together both run the task, with no lease', async () => {
  let open;
  const gate = new Promise((resolve) => { open = resolve; });
  const a = run(allow, {input: tick(), name: 'a', tasks: {RunBatchTask: gated(gate)}});
  const b = run(allow, {input: tick(), name: 'b', tasks: {RunBatchTask: gated(gate)}});
  open();
  const [ra, rb] = await Promise.all([a, b]);
  assert.equal(ranTask(ra) + ranTask(rb), 2);
  assert.ok(!JSON.stringify(allow).includes('dynamodb'));
  assert.deepEqual(ra.enteredAll, ['RunBatchTask', 'Success']);
});
