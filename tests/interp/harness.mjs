// Runs a compiled ASL definition in aws-local-stepfunctions (tests/node, pinned) with every Task
// state replaced by a local mock, and records what happened: the final status, the error, how many
// times each Task state ran, and every SNS message published.
//
// The mocks return what AWS documents for the ECS RunTask .sync and SNS Publish integrations
// (see README.md for the pages and for what they do not say):
//  - ECS success: the stopped task, as DescribeTasks describes a Task, in Step Functions' PascalCase.
//  - a non-zero exit: error States.TaskFailed, Cause = that stopped task as a JSON string.
//  - a launch failure: the same error, the task stopped with StopCode TaskFailedToStart and no
//    ExitCode; or RunTask answering with Failures, which .sync turns into AmazonECS.Unknown.
//  - a Spot reclaim: States.TaskFailed, StopCode SpotInterruption.
//  - SNS publish: {MessageId, SdkHttpMetadata...}; the message is recorded.
//  - DynamoDB putItem/deleteItem (the overlap lease): a table shared by every execution given the
//    same DynamoTable, with conditional writes as DynamoDB applies them (one at a time per item;
//    a false condition raises DynamoDB.ConditionalCheckFailedException and writes nothing).
//  - the overlap clock (a JSONata Pass this interpreter cannot run) is replaced by a Task that
//    computes the same fields from a test-controlled clock and the constants of the compiled
//    expression.
import fs from 'node:fs';
import {createRequire} from 'node:module';

const require = createRequire(import.meta.url);
const sfn = await import(require.resolve('aws-local-stepfunctions', {paths: [new URL('../node/', import.meta.url).pathname]}));
const {StateMachine, ExecutionError} = sfn;

export const ACCOUNT = '123456789012';
export const REGION = 'ap-northeast-1';

// Plausible values for the DefinitionSubstitutions placeholders orchc writes (${Name}).
export function placeholderValue(name) {
  const known = {
    ClusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/batch`,
    TaskDefinitionArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/sample-batch:7`,
    Subnets: 'subnet-0123456789abcdef0',
    SecurityGroups: 'sg-0123456789abcdef0',
  };
  if (known[name]) return known[name];
  if (/^Topic_/.test(name)) return `arn:aws:sns:${REGION}:${ACCOUNT}:${name.slice(6)}`;
  if (/TopicArn$/.test(name)) return `arn:aws:sns:${REGION}:${ACCOUNT}:${name.replace(/Arn$/, '')}`;
  // A workflow of the same stack (workflow: steps): <Workflow>StateMachineArn.
  if (/StateMachineArn$/.test(name)) {
    return `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name.replace(/Arn$/, '')}`;
  }
  if (/Arn$/.test(name)) return `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${name}:1`;
  return `value-of-${name}`;
}

// Loads an .asl.json file, replacing each ${Name} with placeholderValue(Name).
// Returns {definition, substituted: {Name: value}}.
export function loadAsl(path) {
  const substituted = {};
  const text = fs.readFileSync(path, 'utf8').replace(/\$\{([A-Za-z0-9_]+)\}/g, (_, name) => {
    substituted[name] = placeholderValue(name);
    return substituted[name];
  });
  return {definition: JSON.parse(text), substituted};
}

let taskCounter = 0;

// A stopped ECS task as DescribeTasks returns it (the fields a workflow or a person reads),
// with Step Functions' PascalCase keys. `container` overrides the first container's fields.
export function stoppedTask(params, {stopCode, stoppedReason, container = {}, capacityProviderName}) {
  const id = (++taskCounter).toString(16).padStart(32, '0');
  const cluster = params?.Cluster ?? placeholderValue('ClusterArn');
  const taskArn = `${cluster.replace(':cluster/', ':task/')}/${id}`;
  const override = params?.Overrides?.ContainerOverrides?.[0] ?? {};
  const c = {
    ContainerArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:container/batch/${id}/0`,
    TaskArn: taskArn,
    Name: override.Name ?? 'backend',
    Image: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/backend:1.4.2`,
    LastStatus: 'STOPPED',
    ...container,
  };
  for (const k of Object.keys(c)) if (c[k] === undefined) delete c[k];
  const task = {
    ClusterArn: cluster,
    TaskArn: taskArn,
    TaskDefinitionArn: params?.TaskDefinition ?? placeholderValue('TaskDefinitionArn'),
    LaunchType: params?.LaunchType,
    CapacityProviderName: capacityProviderName ?? (params?.LaunchType === 'FARGATE' ? 'FARGATE' : undefined),
    Group: 'family:sample-batch',
    LastStatus: 'STOPPED',
    DesiredStatus: 'STOPPED',
    Containers: [c],
    Overrides: params?.Overrides ?? {ContainerOverrides: []},
    StopCode: stopCode,
    StoppedReason: stoppedReason,
    CreatedAt: 1764561600000,
    StoppingAt: 1764561900000,
    StoppedAt: 1764561930000,
  };
  for (const k of Object.keys(task)) if (task[k] === undefined) delete task[k];
  return task;
}

// An error as a Task state raises it: Error = name, Cause = cause (a string).
export class TaskError extends Error {
  constructor(name, cause) {
    super(cause);
    this.name = name;
  }
}

// ECS task outcomes. Each is a function (Parameters) => result or throw, as a mock calls it.
export const ecs = {
  exit(code) {
    return (params) => {
      const task = stoppedTask(params, {
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        container: {ExitCode: code},
      });
      if (code === 0) return task;
      throw new TaskError('States.TaskFailed', JSON.stringify(task));
    };
  },
  // The task was placed but never started (here: the image could not be pulled).
  failedToStart() {
    return (params) => {
      const task = stoppedTask(params, {
        stopCode: 'TaskFailedToStart',
        stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s): ' +
          'failed to resolve ref ' + `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/backend:1.4.2: not found`,
        container: {LastStatus: 'STOPPED', Reason: 'CannotPullContainerError: ref not found'},
      });
      throw new TaskError('States.TaskFailed', JSON.stringify(task));
    };
  },
  // RunTask answered HTTP 200 with a non-empty Failures list: .sync fails with AmazonECS.Unknown.
  runTaskFailures() {
    return () => {
      throw new TaskError('AmazonECS.Unknown', JSON.stringify({
        Failures: [{Arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/batch`, Reason: 'Capacity is unavailable at this time. Please try again later or in a different availability zone'}],
        Tasks: [],
      }));
    };
  },
  // A Fargate Spot task reclaimed: stopped by ECS, the container got SIGTERM (exit 143).
  spotInterruption() {
    return (params) => {
      const task = stoppedTask(params, {
        stopCode: 'SpotInterruption',
        stoppedReason: 'Your Spot Task was interrupted.',
        capacityProviderName: 'FARGATE_SPOT',
        container: {ExitCode: 143},
      });
      throw new TaskError('States.TaskFailed', JSON.stringify(task));
    };
  },
  // Outcomes in order, one per attempt; the last repeats.
  sequence(...outcomes) {
    let i = 0;
    return (params) => outcomes[Math.min(i++, outcomes.length - 1)](params);
  },
};

// A DynamoDB table as the putItem/deleteItem integrations see it (items in DynamoDB JSON, keyed
// by their `pk`), with the condition expressions orchc writes: attribute_exists/_not_exists(a),
// `a = :v`, `a < :v`, joined by AND/OR. `onCall(action, params)` runs before each call (a test
// uses it to change the table between two calls, as another execution would).
export class DynamoTable {
  constructor() {
    this.items = new Map();
    this.calls = [];
    this.onCall = null;
  }
  static value(v) {
    if ('N' in v) return Number(v.N);
    if ('S' in v) return v.S;
    throw new Error(`unsupported attribute value ${JSON.stringify(v)}`);
  }
  // Evaluates `expr` against `item` (undefined: no item) with `values` (ExpressionAttributeValues).
  static condition(expr, item, values = {}, names = {}) {
    const attr = (a) => item?.[names[a] ?? a];
    const term = (t) => {
      t = t.trim();
      let m = t.match(/^attribute_not_exists\((\S+)\)$/);
      if (m) return attr(m[1]) === undefined;
      m = t.match(/^attribute_exists\((\S+)\)$/);
      if (m) return attr(m[1]) !== undefined;
      m = t.match(/^(\S+)\s*(=|<)\s*(:\w+)$/);
      if (!m) throw new Error(`unsupported condition term '${t}'`);
      const a = attr(m[1]);
      const v = values[m[3]];
      if (!v) throw new Error(`ValidationException: ${m[3]} is not defined`);
      if (a === undefined) return false;  // a comparison with a missing attribute is false
      const [x, y] = [DynamoTable.value(a), DynamoTable.value(v)];
      if (typeof x !== typeof y) return false;
      return m[2] === '=' ? x === y : x < y;
    };
    return expr.split(/\s+OR\s+/).some((alt) => alt.split(/\s+AND\s+/).every(term));
  }
  // One call, applied atomically (nothing else runs between the check and the write).
  call(action, params) {
    this.calls.push({action, params});
    if (this.onCall) this.onCall(action, params);
    const key = (action === 'putItem' ? params.Item : params.Key).pk?.S;
    if (typeof key !== 'string') throw new TaskError('DynamoDB.ValidationException', 'missing key pk');
    const current = this.items.get(key);
    if (params.ConditionExpression &&
        !DynamoTable.condition(params.ConditionExpression, current,
          params.ExpressionAttributeValues, params.ExpressionAttributeNames)) {
      throw new TaskError('DynamoDB.ConditionalCheckFailedException',
        'The conditional request failed (Service: DynamoDb, Status Code: 400, Request ID: req)');
    }
    if (action === 'putItem') this.items.set(key, structuredClone(params.Item));
    else if (action === 'deleteItem') this.items.delete(key);
    else throw new Error(`unsupported DynamoDB action ${action}`);
    return {SdkHttpMetadata: {HttpStatusCode: 200}, SdkResponseMetadata: {RequestId: 'req'}};
  }
}

// The overlap clock state of a compiled definition as a Task whose handler computes what the
// JSONata expression computes ($.lease: now and the expiry times, epoch seconds as strings),
// reading the two lifetimes from the expression itself.
function replaceClock(state, clock) {
  const output = state.Output ?? '';
  const m = output.match(/'expiresAt':\$string\(\$floor\(\$millis\(\)\/1000\)\+(\d+)\),'tickExpiresAt':\$string\(\$floor\(\$millis\(\)\/1000\)\+(\d+)\)/);
  if (!m) throw new Error(`unexpected overlap clock expression: ${output}`);
  const [leaseS, tickS] = [Number(m[1]), Number(m[2])];
  const replaced = {Type: 'Task', Resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:clock`,
    ResultPath: '$.lease', Next: state.Next};
  const handler = async () => {
    const now = Math.floor(clock());
    return {now: String(now), expiresAt: String(now + leaseS), tickExpiresAt: String(now + tickS)};
  };
  return {replaced, handler, leaseS, tickS};
}

// Runs `definition` with mocks: `tasks` maps a Task state name to an outcome function; every
// Task state whose resource is SNS publish and has no entry gets the SNS mock. A Task state with
// neither fails the run loudly (a test must say what each task does).
// `dynamodb`: the DynamoTable behind every DynamoDB task (share one between executions);
// `clock`: () => epoch seconds for the overlap clock (default: a fixed instant).
export async function run(definition, {tasks = {}, input = {}, name = 'test-execution',
  dynamodb = new DynamoTable(), clock = () => 1764608405} = {}) {
  definition = structuredClone(definition);
  const attempts = {};
  const calls = {};
  const published = [];
  const handlers = {};
  const retryIntervalOverrides = {};
  const waitTimeOverrides = {};
  const visit = (states) => {
    for (const [stateName, state] of Object.entries(states)) {
      if (state.Retry) retryIntervalOverrides[stateName] = 0;  // count, do not wait
      if (state.Type === 'Pass' && state.QueryLanguage === 'JSONata' && /Clock$/.test(stateName)) {
        const c = replaceClock(state, clock);
        states[stateName] = c.replaced;
        handlers[stateName] = c.handler;
        continue;
      }
      if (state.Type === 'Wait') waitTimeOverrides[stateName] = 0;  // waits are counted, not waited
      const dynamo = state.Type === 'Task' && state.Resource.match(/^arn:aws:states:::dynamodb:(\w+)$/);
      if (dynamo && !tasks[stateName]) {
        handlers[stateName] = async (params) => {
          attempts[stateName] = (attempts[stateName] ?? 0) + 1;
          (calls[stateName] ??= []).push(params);
          return dynamodb.call(dynamo[1], params);
        };
        continue;
      }
      if (state.Type === 'Task') {
        const outcome = tasks[stateName] ?? (state.Resource.endsWith(':sns:publish') ? 'sns' : null);
        if (!outcome) throw new Error(`no mock for Task state ${stateName} (${state.Resource})`);
        handlers[stateName] = async (params) => {
          attempts[stateName] = (attempts[stateName] ?? 0) + 1;
          (calls[stateName] ??= []).push(params);
          if (outcome === 'sns') {
            published.push({state: stateName, ...params});
            return {MessageId: `00000000-0000-4000-8000-${String(published.length).padStart(12, '0')}`,
              SdkHttpMetadata: {HttpStatusCode: 200}, SdkResponseMetadata: {RequestId: 'req'}};
          }
          return outcome(params);
        };
      }
      for (const b of state.Branches ?? []) visit(b.States);
      if (state.ItemProcessor) visit(state.ItemProcessor.States);
      if (state.Iterator) visit(state.Iterator.States);
    }
  };
  visit(definition.States);
  const machine = new StateMachine(definition, {validationOptions: {checkArn: true, checkPaths: true}});
  const execution = machine.run(input, {
    overrides: {taskResourceLocalHandlers: handlers, retryIntervalOverrides, waitTimeOverrides},
    context: {
      Execution: {Name: name, Id: `arn:aws:states:${REGION}:${ACCOUNT}:execution:sm:${name}`},
      State: {EnteredTime: '2026-12-01T17:00:05.000Z'},
      StateMachine: {Name: 'sm', Id: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:sm`},
    },
  });
  const events = [];
  const collect = (async () => {
    for await (const e of execution.eventLogs) events.push(e);
  })();
  let status = 'SUCCEEDED';
  let output;
  let error;
  let cause;
  try {
    output = await execution.result;
  } catch (e) {
    if (!(e instanceof ExecutionError)) throw e;
    status = 'FAILED';
  }
  await collect;
  const failed = events.find((e) => e.type === 'ExecutionFailed');
  if (failed) ({Error: error, Cause: cause} = failed);
  const enteredAll = events.filter((e) => e.type === 'StateEntered').map((e) => e.state.name);
  // The overlap states (compiler/overlap.cc) wrap the workflow's own: `entered` and `attempts`
  // leave them out, so a test of the workflow reads the same whatever its overlap mode;
  // `enteredAll` and `attemptsAll` have them.
  const own = (n) => !/^Overlap[A-Z]/.test(n);
  const entered = enteredAll.filter(own);
  const attemptsAll = attempts;
  const ownAttempts = Object.fromEntries(Object.entries(attempts).filter(([n]) => own(n)));
  return {status, output, error, cause, attempts: ownAttempts, attemptsAll, calls, published,
    entered, enteredAll, events};
}
