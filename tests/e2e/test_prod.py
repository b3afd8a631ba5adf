"""e2e.prod: deploy specs/prod.yaml with `aws cloudformation deploy` onto stand-in upstream
stacks (3 subnets), read everything back, execute both paths, update in place, delete."""

import json
import os
import shutil

import harness as h

ENV = "prod"
STACK = "OrchestrationStack-prod"


class Prod(h.MotoTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.out = os.path.join(cls.moto.tmp, "out")

    def test_1_deploy_and_read_back(self):
        cls = type(self)
        cls.exports = self.moto.deploy_standin(ENV, subnets=3)
        self.assertEqual(len(cls.exports["PrivateSubnetIds"].split(",")), 3)
        h.compile_specs([os.path.join(h.REPO, "specs", "prod.yaml")], self.out)
        self.moto.deploy(os.path.join(self.out, f"{STACK}.template.json"), STACK)
        stack = self.moto.client("cloudformation").describe_stacks(StackName=STACK)["Stacks"][0]
        self.assertEqual(stack["StackStatus"], "CREATE_COMPLETE")
        cls.stack_id = stack["StackId"]
        cls.sm_arn, cls.rule_input = h.check_workflow(
            self, self.moto, ENV, "sample-batch", cls.exports, "cron(0 17 * * ? *)",
            enabled=True, retention=30, state_machine_role="stepfunctions-role-prod",
            rule_role="eventbridge-role-prod")
        outputs = {o["OutputKey"]: o for o in stack["Outputs"]}
        self.assertEqual(outputs["SampleBatchStateMachineArn"]["OutputValue"], cls.sm_arn)
        exported = {e["Name"]: e["Value"] for e in
                    self.moto.client("cloudformation").list_exports()["Exports"]}
        self.assertEqual(exported["prod-sample-batch-StateMachineArn"], cls.sm_arn)

    def test_2_execution_succeeds(self):
        sfn, ecs = self.moto.client("stepfunctions"), self.moto.client("ecs")
        sqs, url = h.subscribe_queue(self.moto, self.exports["CriticalAlertsTopicArn"], "alerts")
        type(self).queue = (sqs, url)
        # EventBridge never fires schedules in moto: start with the rule's rendered input.
        run = sfn.start_execution(stateMachineArn=self.sm_arn, name="scheduled-ok",
                                  input=self.rule_input)
        desc = h.wait_execution(sfn, run["executionArn"])
        self.assertEqual(desc["status"], "SUCCEEDED", desc.get("cause"))
        out = json.loads(desc["output"])
        self.assertEqual(out["triggerSource"], "EventBridge")
        task = out["taskResult"]
        self.assertEqual(task["ClusterArn"].rsplit("/", 1)[1], self.exports["EcsClusterName"])
        self.assertEqual(task["TaskDefinitionArn"], self.exports["TaskDefinitionArn"])
        self.assertEqual(task["LastStatus"], "STOPPED")
        described = ecs.describe_tasks(cluster=self.exports["EcsClusterName"],
                                       tasks=[task["TaskArn"]])["tasks"][0]
        self.assertEqual(described["overrides"]["containerOverrides"],
                         [{"name": "backend", "command": ["/app/bin/sample-batch"]}])
        self.assertEqual(described["launchType"], "FARGATE")
        self.assertEqual(described["startedBy"], "AWS Step Functions")
        self.assertEqual(h.drain_queue(sqs, url, expect=0, timeout=2), [])
        self.assertEqual(self.moto.retry_intervals(), [])

    def test_3_execution_fails_retries_alerts(self):
        sfn, ecs = self.moto.client("stepfunctions"), self.moto.client("ecs")
        sqs, url = self.queue
        ecs.deregister_task_definition(taskDefinition=self.exports["TaskDefinitionArn"])
        # The next day's tick: the same tick again would be a duplicate (overlap: skip).
        next_tick = self.rule_input.replace("2026-11-28T17:00:00Z", "2026-11-29T17:00:00Z")
        self.assertNotEqual(next_tick, self.rule_input)
        run = sfn.start_execution(stateMachineArn=self.sm_arn, name="scheduled-fail",
                                  input=next_tick)
        desc = h.wait_execution(sfn, run["executionArn"])
        # The spec's workflow ends in a Fail state carrying the task's error.
        self.assertEqual(desc["status"], "FAILED")
        # RunTask's refusal (ECS.AmazonECSException) is a launch failure; AWS's text stays the cause.
        self.assertEqual(desc["error"], "Task.LaunchFailed")
        self.assertIn("TaskDefinition is inactive", desc["cause"])
        history = sfn.get_execution_history(executionArn=run["executionArn"])["events"]
        attempts = [e for e in history if e["type"] == "TaskScheduled"
                    and e["taskScheduledEventDetails"]["resourceType"] == "ecs"]
        self.assertEqual(len(attempts), 4)  # 1 + MaxAttempts 3
        self.assertEqual(self.moto.retry_intervals(), [30, 60, 120])  # 30s, backoff 2.0
        entered = [e["stateEnteredEventDetails"]["name"] for e in history
                   if "stateEnteredEventDetails" in e]
        own = [name for name in entered if not name.startswith("Overlap")]
        self.assertEqual(own[:3], ["RunBatchTask", "RunBatchTask: input", "RunBatchTask: run"])
        self.assertEqual(own[-2:], ["NotifyFailure", "Failed"])
        self.assertEqual(entered[-2:], ["OverlapReleaseLeaseAfterFailure", "OverlapFailed"])
        alerts = h.drain_queue(sqs, url, expect=1)
        self.assertEqual(len(alerts), 1, alerts)
        self.assertEqual(alerts[0]["TopicArn"], self.exports["CriticalAlertsTopicArn"])
        self.assertEqual(alerts[0]["Subject"], "[prod] Batch Execution Failed")
        message = json.loads(alerts[0]["Message"])
        self.assertEqual(message["error"], "Task.LaunchFailed")
        self.assertEqual(message["step"], "RunBatchTask")
        self.assertIn("TaskDefinition is inactive", message["cause"])
        self.assertEqual(message["executionName"], "scheduled-fail")
        self.assertRegex(message["timestamp"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")

    def test_4_redeploy_updates_in_place(self):
        spec = open(os.path.join(h.REPO, "specs", "prod.yaml"), encoding="utf-8").read()
        # The schedule comes from specs/shared/orchestration.base.yaml; prod overrides it.
        spec = spec.replace("orchestration:\n  enabled: true\n",
                            "orchestration:\n  enabled: true\n"
                            "  scheduleExpression: cron(30 16 * * ? *)\n")
        self.assertIn("cron(30 16 * * ? *)", spec)
        spec += ("workflows:\n  nightly-report:\n"
                 "    schedule: {expression: \"rate(6 hours)\", enabled: true}\n"
                 "    task:\n      container: backend\n"
                 "      command: [/app/bin/sample-batch, --job, report]\n")
        spec_dir = os.path.join(self.moto.tmp, "specs2")
        os.makedirs(spec_dir)
        shutil.copytree(os.path.join(h.REPO, "specs", "shared"), os.path.join(spec_dir, "shared"))
        out2 = os.path.join(self.moto.tmp, "out2")
        h.compile_specs([h.write_spec(spec_dir, "prod.yaml", spec)], out2)
        self.moto.deploy(os.path.join(out2, f"{STACK}.template.json"), STACK)
        stack = self.moto.client("cloudformation").describe_stacks(StackName=STACK)["Stacks"][0]
        self.assertEqual(stack["StackStatus"], "UPDATE_COMPLETE")
        self.assertEqual(stack["StackId"], self.stack_id)
        self.assertEqual(self.moto.client("events").describe_rule(
            Name="prod-sample-batch-schedule")["ScheduleExpression"], "cron(30 16 * * ? *)")
        exports = dict(self.exports)
        h.check_workflow(self, self.moto, ENV, "nightly-report", exports, "rate(6 hours)",
                         enabled=True, retention=30)
        names = sorted(m["name"] for m in
                       self.moto.client("stepfunctions").list_state_machines()["stateMachines"])
        self.assertEqual(names, ["prod-nightly-report-workflow", "prod-sample-batch-workflow"])

    def test_5_delete_keeps_retained_log_group(self):
        cfn, logs = self.moto.client("cloudformation"), self.moto.client("logs")
        self.moto.aws("cloudformation", "delete-stack", "--stack-name", STACK)
        self.moto.aws("cloudformation", "wait", "stack-delete-complete", "--stack-name", self.stack_id)
        status = cfn.describe_stacks(StackName=self.stack_id)["Stacks"][0]["StackStatus"]
        self.assertEqual(status, "DELETE_COMPLETE")
        # Not checked: that the state machines are gone.  After an update that adds
        # resources, moto 5.2.1 leaves them behind on stack deletion (docs/deploy.md).
        groups = [g["logGroupName"] for g in logs.describe_log_groups(
            logGroupNamePrefix="/aws/stepfunctions/prod-")["logGroups"]]
        self.assertIn("/aws/stepfunctions/prod-sample-batch-workflow", groups)
        self.assertNotIn("prod-sample-batch-StateMachineArn",
                         [e["Name"] for e in cfn.list_exports()["Exports"]])


if __name__ == "__main__":
    h.run(Prod)
