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

// Runs `definition` with mocks: `tasks` maps a Task state name to an outcome function; every
// Task state whose resource is SNS publish and has no entry gets the SNS mock. A Task state with
// neither fails the run loudly (a test must say what each task does).
export async function run(definition, {tasks = {}, input = {}, name = 'test-execution'} = {}) {
  const attempts = {};
  const calls = {};
  const published = [];
  const handlers = {};
  const retryIntervalOverrides = {};
  const visit = (states) => {
    for (const [stateName, state] of Object.entries(states)) {
      if (state.Retry) retryIntervalOverrides[stateName] = 0;  // count, do not wait
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
    overrides: {taskResourceLocalHandlers: handlers, retryIntervalOverrides},
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
  const entered = events.filter((e) => e.type === 'StateEntered').map((e) => e.state.name);
  return {status, output, error, cause, attempts, calls, published, entered, events};
}
