// The seed's OrchestrationStack, in the nearest form that compiles against the real CDK API
// (the adjustments /work/shared/reference/cdk/NOTES.md describes):
//  - EcsRunTask wants a TaskDefinition it owns; it gets the imported one
//    (fromTaskDefinitionAttributes: FARGATE, awsvpc) with the three members it reads and an
//    import lacks: the container named `backend`, its lookup, and the family (the ARN, which is
//    what the reference's definition names);
//  - so the container override names that stand-in container;
//  - the named roles are passed: the state machine's role and the rule target's role;
//  - the subnets are Fn::Select 0 and 1 of the split import (CDK needs the count at synth time).
import { Duration, Fn, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { EnvConfig } from './env-config';

export interface OrchestrationStackProps extends StackProps {
  config: EnvConfig;
}

export class OrchestrationStack extends Stack {
  constructor(scope: Construct, id: string, props: OrchestrationStackProps) {
    super(scope, id, props);
    const config = props.config;
    const imp = (name: string) => Fn.importValue(`${config.envName}-${name}`);

    // Values exported by the other stacks.
    const ecsClusterName = imp('EcsClusterName');
    imp('EcsServiceName'); // imported by the seed, used by nothing
    const taskDefinitionArn = imp('TaskDefinitionArn');
    const taskRoleArn = imp('TaskRoleArn');
    const executionRoleArn = imp('TaskExecutionRoleArn');
    const snsTopicArn = imp('CriticalAlertsTopicArn');
    const subnetIds = Fn.split(',', imp('PrivateSubnetIds'));

    const vpc = ec2.Vpc.fromVpcAttributes(this, 'VPC', {
      vpcId: imp('VpcId'),
      availabilityZones: ['az-a', 'az-b'],
    });
    const cluster = ecs.Cluster.fromClusterAttributes(this, 'EcsCluster', {
      clusterName: ecsClusterName,
      vpc,
    });
    const taskRole = iam.Role.fromRoleArn(this, 'TaskRole', taskRoleArn, { mutable: false });
    const executionRole = iam.Role.fromRoleArn(this, 'TaskExecutionRole', executionRoleArn, {
      mutable: false,
    });
    const taskDefinition = ecs.TaskDefinition.fromTaskDefinitionAttributes(this, 'TaskDefinition', {
      taskDefinitionArn,
      compatibility: ecs.Compatibility.FARGATE,
      networkMode: ecs.NetworkMode.AWS_VPC,
      taskRole,
      executionRole,
    });
    const backend = { containerName: 'backend' } as ecs.ContainerDefinition;
    const runnableTaskDefinition = Object.assign(Object.create(taskDefinition), {
      defaultContainer: backend,
      findContainer: (name: string) => (name === 'backend' ? backend : undefined),
      family: taskDefinitionArn,
    }) as ecs.TaskDefinition;
    const isolatedSubnets = [0, 1].map((i) =>
      ec2.Subnet.fromSubnetId(this, `PrivateSubnet${i}`, Fn.select(i, subnetIds)),
    );
    const ecsSecurityGroup = ec2.SecurityGroup.fromSecurityGroupId(
      this,
      'EcsSecurityGroup',
      imp('EcsSecurityGroupId'),
    );
    const snsTopic = sns.Topic.fromTopicArn(this, 'CriticalAlertsTopic', snsTopicArn);

    // Log group.
    const logGroup = new logs.LogGroup(this, 'StateMachineLogGroup', {
      logGroupName: `/aws/stepfunctions/${config.envName}-sample-batch-workflow`,
      retention: config.logRetentionDays,
      removalPolicy: config.removalPolicy.logGroups,
    });

    // State machine role and its statements.
    const stateMachineRole = new iam.Role(this, 'StateMachineRole', {
      roleName: `stepfunctions-role-${config.envName}`,
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com'),
    });
    stateMachineRole.addToPolicy(
      new iam.PolicyStatement({
        effect: iam.Effect.ALLOW,
        actions: ['ecs:RunTask', 'ecs:StopTask', 'ecs:DescribeTasks'],
        resources: [taskDefinitionArn],
      }),
    );
    stateMachineRole.addToPolicy(
      new iam.PolicyStatement({
        effect: iam.Effect.ALLOW,
        actions: ['iam:PassRole'],
        resources: [taskRoleArn, executionRoleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      }),
    );
    stateMachineRole.addToPolicy(
      new iam.PolicyStatement({
        effect: iam.Effect.ALLOW,
        actions: ['sns:Publish'],
        resources: [snsTopicArn],
      }),
    );
    logGroup.grantWrite(stateMachineRole);

    // The workflow.
    const runBatchTask = new tasks.EcsRunTask(this, 'RunBatchTask', {
      cluster,
      taskDefinition: runnableTaskDefinition,
      launchTarget: new tasks.EcsFargateLaunchTarget({
        platformVersion: ecs.FargatePlatformVersion.LATEST,
      }),
      containerOverrides: [
        {
          containerDefinition: backend,
          command: ['python', config.orchestration.batchScriptPath],
        },
      ],
      subnets: { subnets: isolatedSubnets },
      securityGroups: [ecsSecurityGroup],
      integrationPattern: sfn.IntegrationPattern.RUN_JOB,
      resultPath: '$.taskResult',
    });
    runBatchTask.addRetry({
      errors: ['States.TaskFailed'],
      interval: Duration.seconds(30),
      maxAttempts: 3,
      backoffRate: 2.0,
    });
    const notifyFailure = new tasks.SnsPublish(this, 'NotifyFailure', {
      topic: snsTopic,
      message: sfn.TaskInput.fromObject({
        error: sfn.JsonPath.stringAt('$.error.Error'),
        cause: sfn.JsonPath.stringAt('$.error.Cause'),
        executionName: sfn.JsonPath.stringAt('$$.Execution.Name'),
        timestamp: sfn.JsonPath.stringAt('$$.State.EnteredTime'),
      }),
      subject: `[${config.envName}] Batch Execution Failed`,
    });
    const succeed = new sfn.Succeed(this, 'Success');
    const definition = runBatchTask
      .addCatch(notifyFailure, { errors: ['States.ALL'], resultPath: '$.error' })
      .next(succeed);

    const stateMachine = new sfn.StateMachine(this, 'SampleBatchWorkflow', {
      stateMachineName: `${config.envName}-sample-batch-workflow`,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      role: stateMachineRole,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });

    // The schedule.
    const eventBridgeRole = new iam.Role(this, 'EventBridgeRole', {
      roleName: `eventbridge-role-${config.envName}`,
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
    });
    eventBridgeRole.addToPolicy(
      new iam.PolicyStatement({
        effect: iam.Effect.ALLOW,
        actions: ['states:StartExecution'],
        resources: [stateMachine.stateMachineArn],
      }),
    );
    const rule = new events.Rule(this, 'ScheduleRule', {
      ruleName: `${config.envName}-sample-batch-schedule`,
      description: 'Trigger sample batch workflow daily at 2:00 AM JST',
      schedule: events.Schedule.expression(config.orchestration.scheduleExpression),
      enabled: config.orchestration.enabled,
    });
    rule.addTarget(
      new targets.SfnStateMachine(stateMachine, {
        input: events.RuleTargetInput.fromObject({
          triggerSource: 'EventBridge',
          timestamp: events.EventField.time,
        }),
        role: eventBridgeRole,
      }),
    );
  }
}
