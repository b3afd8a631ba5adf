"""e2e.reports: deploy specs/reports.yaml (steps, Map/Parallel/Choice, SSM imports, rule
retry policy and dead-letter queues, a dedicated task definition, capacity providers) with
`aws cloudformation deploy --s3-bucket` onto stand-ins, read it back through the APIs and
execute its three workflows in moto's Step Functions interpreter.

Stand-ins: the Network (3 subnets), Compute and Monitoring stacks with env=stg, an
OpsStack exporting stg-OpsTopicArn, and the two SSM parameters, created through the SSM
API with values that differ from the exports (a newer task definition revision; the
subnets in another order), so the test tells an SSM import from an export.  The stg
cluster gets the FARGATE and FARGATE_SPOT capacity providers, which the daily-report's
strategy needs on AWS too.

moto skips AWS::Scheduler::* and AWS::CloudWatch::Alarm (e2e.resource_schemas checks
those against CloudFormation's resource schemas instead).
"""

import json
import os
import re

import harness as h

ENV = "stg"
STACK = "ReportsStack-stg"
BUCKET = "orchc-templates-stg"
SSM_TASK_DEFINITION = "/stg/ecs/task-definition-arn"
SSM_SUBNETS = "/stg/network/private-subnet-ids"
WORKFLOWS = ("daily-report", "backfill", "hourly-refresh")
DAYS = ["2026-11-01", "2026-11-02"]


def sm_arn(workflow):
    return f"arn:aws:states:{h.REGION}:{h.ACCOUNT}:stateMachine:{ENV}-{workflow}-workflow"


def states_of(definition):
    """Every state, including those inside Parallel branches and Map processors."""
    for name, state in definition["States"].items():
        yield name, state
        for branch in state.get("Branches", []):
            yield from states_of(branch)
        if "ItemProcessor" in state:
            yield from states_of(state["ItemProcessor"])


def history(sfn, execution_arn):
    return sfn.get_execution_history(executionArn=execution_arn, maxResults=1000)["events"]


def entered(events):
    return [e["stateEnteredEventDetails"]["name"] for e in events
            if "stateEnteredEventDetails" in e]


class Reports(h.MotoTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        moto = cls.moto
        cls.exports = moto.deploy_standin(ENV, subnets=3)
        moto.deploy(os.path.join(h.STANDIN, "ops.template.json"), f"OpsStack-{ENV}",
                    "--parameter-overrides", f"Env={ENV}")
        cls.exports["OpsTopicArn"] = {e["Name"]: e["Value"] for e in moto.client(
            "cloudformation").list_exports()["Exports"]}[f"{ENV}-OpsTopicArn"]
        ecs, ssm = moto.client("ecs"), moto.client("ssm")
        cls.cluster = cls.exports["EcsClusterName"]
        ecs.put_cluster_capacity_providers(
            cluster=cls.cluster, capacityProviders=["FARGATE", "FARGATE_SPOT"],
            defaultCapacityProviderStrategy=[])
        # A newer revision of the stand-in's task definition, published only in SSM.
        td = ecs.describe_task_definition(
            taskDefinition=cls.exports["TaskDefinitionArn"])["taskDefinition"]
        cls.ssm_task_definition = ecs.register_task_definition(
            family=td["family"], containerDefinitions=td["containerDefinitions"],
            networkMode=td["networkMode"], requiresCompatibilities=td["requiresCompatibilities"],
            cpu=td["cpu"], memory=td["memory"], taskRoleArn=td["taskRoleArn"],
            executionRoleArn=td["executionRoleArn"])["taskDefinition"]["taskDefinitionArn"]
        cls.ssm_subnets = cls.exports["PrivateSubnetIds"].split(",")[::-1]
        ssm.put_parameter(Name=SSM_TASK_DEFINITION, Type="String",
                          Value=cls.ssm_task_definition)
        ssm.put_parameter(Name=SSM_SUBNETS, Type="StringList", Value=",".join(cls.ssm_subnets))
        cls.ops = h.subscribe_queue(moto, cls.exports["OpsTopicArn"], "ops")
        cls.alerts = h.subscribe_queue(moto, cls.exports["CriticalAlertsTopicArn"], "alerts")
        cls.out = os.path.join(moto.tmp, "out")
        cls.big = os.path.join(moto.tmp, "default-form")

    # ------------------------------------------------------------------ deployment

    def test_1_large_template_goes_through_s3(self):
        # The default form (Definition + DefinitionSubstitutions, what users deploy) is
        # over CloudFormation's 51,200-byte inline limit: orchc warns, and awscli v1's
        # `deploy` refuses it without --s3-bucket before sending anything.
        proc = h.compile_specs([os.path.join(h.REPO, "specs", "reports.yaml")], self.big,
                               definition_string=False)
        big = os.path.join(self.big, f"{STACK}.template.json")
        self.assertGreater(os.path.getsize(big), 51200)
        self.assertIn("over the 51,200 bytes CloudFormation accepts inline", proc.stderr)
        refused = self.moto.deploy(big, STACK, check=False)
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn("must be deployed via an S3 Bucket", refused.stdout + refused.stderr)
        # moto reads only DefinitionString: deploy that form, through S3 as users do.
        h.compile_specs([os.path.join(h.REPO, "specs", "reports.yaml")], self.out)
        template = os.path.join(self.out, f"{STACK}.template.json")
        s3 = self.moto.client("s3")
        s3.create_bucket(Bucket=BUCKET,
                         CreateBucketConfiguration={"LocationConstraint": h.REGION})
        # A template from S3 still needs the IAM capability.
        denied = self.moto.deploy(template, STACK, check=False, capabilities=False,
                                  s3_bucket=BUCKET)
        self.assertNotEqual(denied.returncode, 0)
        self.assertIn("CAPABILITY_NAMED_IAM", denied.stdout + denied.stderr)
        self.moto.aws("cloudformation", "delete-stack", "--stack-name", STACK)
        self.moto.deploy(template, STACK, s3_bucket=BUCKET)
        stack = self.moto.client("cloudformation").describe_stacks(StackName=STACK)["Stacks"][0]
        self.assertEqual(stack["StackStatus"], "CREATE_COMPLETE")
        uploaded = [o["Size"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
        self.assertIn(os.path.getsize(template), uploaded)
        names = sorted(m["name"] for m in
                       self.moto.client("stepfunctions").list_state_machines()["stateMachines"])
        self.assertEqual(names, sorted(f"{ENV}-{w}-workflow" for w in WORKFLOWS))

    def definition(self, workflow):
        desc = self.moto.client("stepfunctions").describe_state_machine(
            stateMachineArn=sm_arn(workflow))
        for marker in ("Fn::", "${", "ImportValue", "\"Ref\""):
            self.assertNotIn(marker, desc["definition"], f"{workflow}: unresolved {marker}")
        return json.loads(desc["definition"])

    def test_2_ssm_imports_resolve_to_the_parameters(self):
        for workflow in ("daily-report", "backfill"):
            tasks = [s for _, s in states_of(self.definition(workflow))
                     if s.get("Resource") == "arn:aws:states:::ecs:runTask.sync"]
            # daily-report: Aggregate (on Spot, and again on demand after a reclaim), RenderPdf,
            # RenderCsv.
            self.assertEqual(len(tasks), {"daily-report": 4, "backfill": 1}[workflow])
            for task in tasks:
                params = task["Parameters"]
                self.assertEqual(params["TaskDefinition"], self.ssm_task_definition)
                self.assertNotEqual(params["TaskDefinition"], self.exports["TaskDefinitionArn"])
                vpc = params["NetworkConfiguration"]["AwsvpcConfiguration"]
                self.assertEqual(vpc["Subnets"], self.ssm_subnets)
                self.assertEqual(vpc["SecurityGroups"], [self.exports["EcsSecurityGroupId"]])
            role = h.role_name_of(self.moto.client("stepfunctions").describe_state_machine(
                stateMachineArn=sm_arn(workflow))["roleArn"])
            iam = self.moto.client("iam")
            self.assertTrue(h.role_allows(iam, role, "ecs:RunTask", self.ssm_task_definition))
            self.assertFalse(h.role_allows(iam, role, "ecs:RunTask",
                                           self.exports["TaskDefinitionArn"]))
        # Task tags (propagateTags) need ecs:TagResource on AWS.
        self.assertTrue(h.role_allows(self.moto.client("iam"), f"{ENV}-daily-report-sfn-role",
                                      "ecs:TagResource",
                                      f"arn:aws:ecs:{h.REGION}:{h.ACCOUNT}:task/{self.cluster}/x"))

    def test_3_deployed_definitions_are_the_compiled_ones(self):
        # templates/*.asl.json with each placeholder replaced by the deployed value.
        values = {
            "ClusterArn": f"arn:aws:ecs:{h.REGION}:{h.ACCOUNT}:cluster/{self.cluster}",
            "Subnets": self.ssm_subnets,
            "SecurityGroups": [self.exports["EcsSecurityGroupId"]],
            "Topic_opsTopic": self.exports["OpsTopicArn"],
            "AlertsTopicArn": self.exports["CriticalAlertsTopicArn"],
        }
        dedicated = self.moto.client("ecs").describe_task_definition(
            taskDefinition=f"{ENV}-hourly-refresh")["taskDefinition"]["taskDefinitionArn"]
        for workflow in WORKFLOWS:
            with open(os.path.join(h.REPO, "templates", f"{STACK}.{workflow}.asl.json"),
                      encoding="utf-8") as f:
                text = f.read()
            subs = dict(values, TaskDefinitionArn=(
                dedicated if workflow == "hourly-refresh" else self.ssm_task_definition))
            # A scheduled workflow's overlap lease table (overlap: skip, the default).
            table = h.stack_resources(self.moto.client("cloudformation"), STACK).get(
                h.PascalCase(workflow) + "OverlapTable")
            if table:
                subs["OverlapTable"] = table["PhysicalResourceId"]
            for name, value in subs.items():
                if isinstance(value, list):  # ["${Subnets}"] -> ["a","b","c"]
                    text = text.replace(f'"${{{name}}}"', ",".join(json.dumps(v) for v in value))
                else:
                    text = text.replace(f"${{{name}}}", value)
            self.assertNotIn("${", text, workflow)
            self.assertEqual(self.definition(workflow), json.loads(text), workflow)
        daily = h.all_states(self.definition("daily-report"))
        # Aggregate declares exitCodes and capacity: a Parallel classifying its task's outcome.
        self.assertEqual(daily["Aggregate"]["Type"], "Parallel")
        self.assertEqual(daily["Aggregate: run"]["Parameters"]["CapacityProviderStrategy"],
                         [{"CapacityProvider": "FARGATE_SPOT", "Weight": 1}])
        self.assertEqual(daily["Aggregate: run on demand"]["Parameters"]["LaunchType"], "FARGATE")
        self.assertEqual(daily["Render"]["Type"], "Parallel")
        self.assertEqual(len(daily["Render"]["Branches"]), 2)
        days = self.definition("backfill")["States"]["Days"]
        self.assertEqual((days["Type"], days["MaxConcurrency"]), ("Map", 1))
        self.assertIn("AggregateDay", days["ItemProcessor"]["States"])

    def test_4_rule_retry_policy_and_dead_letter_queue(self):
        events, sqs = self.moto.client("events"), self.moto.client("sqs")
        rule = events.describe_rule(Name=f"{ENV}-hourly-refresh-schedule")
        self.assertEqual(rule["ScheduleExpression"], "rate(1 hour)")
        target, = events.list_targets_by_rule(Rule=rule["Name"])["Targets"]
        self.assertEqual(target["Arn"], sm_arn("hourly-refresh"))
        self.assertEqual(target["RetryPolicy"],
                         {"MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": 1800})
        dlq_arn = target["DeadLetterConfig"]["Arn"]
        url = sqs.get_queue_url(QueueName=dlq_arn.rsplit(":", 1)[1])["QueueUrl"]
        attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        self.assertEqual(attrs["QueueArn"], dlq_arn)
        self.assertEqual(attrs["MessageRetentionPeriod"], "1209600")
        self.assertEqual(attrs["SqsManagedSseEnabled"], "true")
        # Only EventBridge, only SendMessage, only for this rule.
        statement, = json.loads(attrs["Policy"])["Statement"]
        self.assertEqual(statement["Effect"], "Allow")
        self.assertEqual(statement["Principal"], {"Service": "events.amazonaws.com"})
        self.assertEqual(statement["Action"], "sqs:SendMessage")
        self.assertEqual(statement["Resource"], dlq_arn)
        self.assertEqual(statement["Condition"], {"ArnEquals": {"aws:SourceArn": rule["Arn"]}})
        h.check_rule_role(self, self.moto.client("iam"), h.role_name_of(target["RoleArn"]),
                          sm_arn("hourly-refresh"))
        # The Scheduler schedule's queue (the schedule itself is not deployed by moto):
        # Scheduler writes with its execution role, so that role may send to it.
        resources = h.stack_resources(self.moto.client("cloudformation"), STACK)
        daily_dlq = sqs.get_queue_attributes(
            QueueUrl=sqs.get_queue_url(QueueName=resources["DailyReportDeadLetterQueue"][
                "PhysicalResourceId"].rsplit("/", 1)[1])["QueueUrl"],
            AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        iam, role = self.moto.client("iam"), f"{ENV}-daily-report-scheduler-role"
        self.assertTrue(h.role_trusts(iam, role, "scheduler.amazonaws.com"))
        self.assertTrue(h.role_allows(iam, role, "states:StartExecution", sm_arn("daily-report")))
        self.assertTrue(h.role_allows(iam, role, "sqs:SendMessage", daily_dlq))
        self.assertFalse(h.role_allows(iam, role, "sqs:SendMessage", dlq_arn))

    def test_5_dedicated_task_definition(self):
        td = self.moto.client("ecs").describe_task_definition(
            taskDefinition=f"{ENV}-hourly-refresh", include=["TAGS"])
        tags = {t["key"]: t["value"] for t in td["tags"]}
        td = td["taskDefinition"]
        self.assertEqual((td["cpu"], td["memory"]), ("1024", "2048"))
        self.assertEqual(td["networkMode"], "awsvpc")
        self.assertEqual(td["requiresCompatibilities"], ["FARGATE"])
        self.assertEqual(td["taskRoleArn"], self.exports["TaskRoleArn"])
        self.assertEqual(td["executionRoleArn"], self.exports["TaskExecutionRoleArn"])
        self.assertEqual(tags, {"env": "stg", "project": "example"})
        container, = td["containerDefinitions"]
        self.assertEqual(container["name"], "batch")
        self.assertEqual(container["image"],
                         "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/backend:1.4.2")
        self.assertTrue(container["essential"])
        self.assertEqual(container["logConfiguration"], {
            "logDriver": "awslogs",
            "options": {"awslogs-group": f"/ecs/{ENV}-hourly-refresh",
                        "awslogs-region": h.REGION,
                        "awslogs-stream-prefix": "hourly-refresh"}})
        groups = self.moto.client("logs").describe_log_groups(
            logGroupNamePrefix=f"/ecs/{ENV}-hourly-refresh")["logGroups"]
        self.assertEqual([(g["logGroupName"], g.get("retentionInDays")) for g in groups],
                         [(f"/ecs/{ENV}-hourly-refresh", 14)])

    # ------------------------------------------------------------------ executions

    def run_workflow(self, workflow, name, payload):
        sfn, ecs = self.moto.client("stepfunctions"), self.moto.client("ecs")
        before = set(ecs.list_tasks(cluster=self.cluster)["taskArns"])
        run = sfn.start_execution(stateMachineArn=sm_arn(workflow), name=name,
                                  input=json.dumps(payload))
        desc = h.wait_execution(sfn, run["executionArn"])
        new = [t for t in ecs.list_tasks(cluster=self.cluster)["taskArns"] if t not in before]
        tasks = ecs.describe_tasks(cluster=self.cluster, tasks=new)["tasks"] if new else []
        return desc, history(sfn, run["executionArn"]), tasks

    def test_6_daily_report_choice_parallel_publish(self):
        # What the Scheduler schedule would send (moto does not run schedules).
        resources = self.moto.client("cloudformation").get_template(StackName=STACK)
        body = resources["TemplateBody"]
        template = body if isinstance(body, dict) else json.loads(body)
        payload = json.loads(template["Resources"]["DailyReportSchedule"]["Properties"][
            "Target"]["Input"].replace("<aws.scheduler.scheduled-time>", "2026-11-28T17:00:00Z"))
        desc, events, tasks = self.run_workflow("daily-report", "daily-ok", payload)
        self.assertEqual(desc["status"], "SUCCEEDED", desc.get("cause"))
        # The workflow's own states (the overlap lease states around them are checked below).
        all_names = entered(events)
        names = [n for n in all_names if not n.startswith("Overlap")]
        self.assertEqual(all_names[-2:], ["OverlapReleaseLease", "OverlapDone"])
        # Aggregate's task ran once, on Spot, and exited 0: no classification, no on-demand run.
        self.assertEqual(names[:3], ["Aggregate", "Aggregate: input", "Aggregate: run"])
        self.assertNotIn("Aggregate: run on demand", names)
        render = names.index("Render")
        self.assertEqual(sorted(names[render + 1:render + 3]), ["RenderCsv", "RenderPdf"])
        self.assertEqual(names[render + 3:], ["Announce"])
        by_command = {tuple(t["overrides"]["containerOverrides"][0]["command"]): t for t in tasks}
        self.assertEqual(sorted(by_command), [
            ("/app/bin/sample-batch",),
            ("/app/bin/sample-batch", "--render", "csv"),
            ("/app/bin/sample-batch", "--render", "pdf")])
        aggregate = by_command[("/app/bin/sample-batch",)]
        # capacity: spot-then-on-demand: the first run is on FARGATE_SPOT (moto reports the
        # launch type FARGATE with the capacity provider it used).
        self.assertEqual((aggregate["launchType"], aggregate["capacityProviderName"]),
                         ("FARGATE", "FARGATE_SPOT"))
        self.assertEqual(aggregate["overrides"]["containerOverrides"][0]["environment"],
                         [{"name": "LOG_LEVEL", "value": "info"}])
        for t in tasks:
            self.assertEqual(t["taskDefinitionArn"], self.ssm_task_definition)
            self.assertEqual(t["startedBy"], "AWS Step Functions")
        sqs, url = self.ops
        announced, = h.drain_queue(sqs, url, expect=1)
        self.assertEqual(announced["Subject"], "[stg] daily report ready")
        self.assertEqual(json.loads(announced["Message"]),
                         {"report": "daily-ok", "status": "ready"})
        self.assertEqual(h.drain_queue(*self.alerts, expect=0, timeout=1), [])

    def test_7_backfill_map_runs_one_task_per_day(self):
        desc, events, tasks = self.run_workflow("backfill", "backfill-nov", {"days": DAYS})
        # One iteration at a time (MaxConcurrency 1), each an ECS task whose command was
        # built by States.Array('/app/bin/sample-batch', '--day', $).
        kinds = [e["type"] for e in events if e["type"].startswith("MapIteration")]
        self.assertEqual(kinds, ["MapIterationStarted", "MapIterationSucceeded"] * 2)
        self.assertEqual([t["overrides"]["containerOverrides"] for t in tasks],
                         [[{"name": "backend", "command": ["/app/bin/sample-batch", "--day", d]}]
                          for d in DAYS])
        self.assertIn("MapStateSucceeded", [e["type"] for e in events])
        # The Map keeps its input (ResultPath null): its own output is a list, into which
        # `Done` (ResultPath $.done) could not write (orchc rejects that combination).
        days_state = self.definition("backfill")["States"]["Days"]
        self.assertIsNone(days_state["ResultPath"])
        self.assertEqual(entered(events)[-1], "Done")
        self.assertEqual(desc["status"], "SUCCEEDED", desc.get("cause"))
        output = json.loads(desc["output"])
        self.assertEqual(output["done"], {"finished": True})
        self.assertEqual(output["days"], DAYS)
        self.assertEqual(h.drain_queue(*self.ops, expect=0, timeout=1), [])

    def test_8_hourly_refresh_runs_the_dedicated_task_definition(self):
        desc, events, tasks = self.run_workflow("hourly-refresh", "hourly-ok",
                                                {"triggerSource": "manual"})
        self.assertEqual(desc["status"], "SUCCEEDED", desc.get("cause"))
        self.assertEqual([n for n in entered(events) if not n.startswith("Overlap")],
                         ["RunBatchTask", "Success"])
        task, = tasks
        self.assertRegex(task["taskDefinitionArn"], rf"task-definition/{ENV}-hourly-refresh:\d+$")
        self.assertEqual(task["launchType"], "FARGATE")
        self.assertEqual(task["overrides"]["containerOverrides"], [{
            "name": "batch",
            "command": ["/app/bin/sample-batch", "--job", "hourly-refresh", "--tz", "Asia/Tokyo"]}])
        subnet = next(d["value"] for a in task["attachments"] for d in a["details"]
                      if d["name"] == "subnetId")
        self.assertIn(subnet, self.ssm_subnets)

    def test_9_backfill_failure_notifies_the_ops_topic(self):
        # The SSM revision deregistered: RunTask fails (ECS.AmazonECSException, not retried:
        # the step retries States.TaskFailed only), the Map fails, its Catch publishes
        # to opsTopic with the workflow's subject, and the execution fails.
        self.moto.client("ecs").deregister_task_definition(
            taskDefinition=self.ssm_task_definition)
        desc, events, _tasks = self.run_workflow("backfill", "backfill-broken", {"days": DAYS})
        self.assertEqual((desc["status"], desc["error"]), ("FAILED", "ECS.AmazonECSException"))
        # FailedStep1 records the failed step (Days); the cause is AWS's text, not a stopped
        # task, so FailureCause does not parse it.
        self.assertEqual(entered(events), ["Days", "AggregateDay", "FailedStep1", "FailureCause",
                                           "NotifyFailure", "Failed"])
        alert, = h.drain_queue(*self.ops, expect=1)
        self.assertEqual(alert["Subject"], "[stg] backfill failed")
        message = json.loads(alert["Message"])
        self.assertEqual(message["executionName"], "backfill-broken")
        self.assertEqual(message["error"], "ECS.AmazonECSException")
        self.assertEqual(message["step"], "Days")
        self.assertIsNone(message["task"])
        self.assertTrue(re.search("inactive", message["cause"]), message["cause"])


if __name__ == "__main__":
    h.run(Reports)
