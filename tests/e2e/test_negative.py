"""e2e.negative: one mistake per class, each caught before or at deployment.

- an import reference orchc can know is wrong: rejected by `orchc validate` with file:line:col;
- an import nobody exports (orchc cannot know the region's exports): `aws cloudformation
  deploy` fails with "No export named ... found" and nothing is created;
- a missing capability: deploy without CAPABILITY_NAMED_IAM fails with
  InsufficientCapabilities and nothing is created;
- a rule role that cannot start the state machine (orchc never emits one; the template is
  edited by hand): deployment succeeds, as it does on AWS, and the harness's read-back
  check of the deployed role rejects it.
"""

import json
import os
import subprocess

import harness as h

ENV = "prod"
STACK = "OrchestrationStack-prod"
SPEC = """version: 1
env: prod
{imports}orchestration:
  enabled: true
  scheduleExpression: cron(0 17 * * ? *)
  batchScriptPath: /app/bin/sample-batch
"""


class Negative(h.MotoTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.exports = cls.moto.deploy_standin(ENV, subnets=2)
        cls.good = os.path.join(cls.moto.tmp, "good")
        h.compile_specs([os.path.join(h.REPO, "specs", "prod.yaml")], cls.good)


    def assert_no_stack(self):
        names = [s["StackName"] for s in
                 self.moto.client("cloudformation").list_stacks()["StackSummaries"]
                 if s["StackStatus"] not in ("DELETE_COMPLETE", "REVIEW_IN_PROGRESS")]
        self.assertNotIn(STACK, names)
        self.assertEqual(self.moto.client("stepfunctions").list_state_machines()["stateMachines"], [])

    def test_1_unknown_import_reference_is_located_by_orchc(self):
        spec = h.write_spec(self.moto.tmp, "bad-notify.yaml", """version: 1
env: prod
workflows:
  nightly:
    schedule: {expression: "cron(0 17 * * ? *)", enabled: true}
    task:
      container: backend
      command: [/app/bin/sample-batch]
    onFailure: {notify: pagerTopic}
""")
        proc = subprocess.run([h.orchc_path(), "validate", spec], capture_output=True,
                              text=True, timeout=30, stdin=subprocess.DEVNULL)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertIn("bad-notify.yaml:9:25: error:", proc.stdout + proc.stderr)
        self.assertIn("pagerTopic", proc.stdout + proc.stderr)

    def test_2_import_nobody_exports_fails_deploy(self):
        spec_dir = os.path.join(self.moto.tmp, "noexport")
        os.makedirs(spec_dir)
        spec = h.write_spec(spec_dir, "prod.yaml", SPEC.format(
            imports="imports:\n  alertsTopic: ${env}-NoSuchTopicArn\n"))
        out = os.path.join(self.moto.tmp, "out-noexport")
        h.compile_specs([spec], out)  # orchc cannot know the region's exports
        proc = self.moto.deploy(os.path.join(out, f"{STACK}.template.json"), STACK, check=False)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("No export named prod-NoSuchTopicArn found", proc.stdout + proc.stderr)
        self.assertEqual(self.moto.client("stepfunctions").list_state_machines()["stateMachines"], [])
        self.moto.aws("cloudformation", "delete-stack", "--stack-name", STACK)

    def test_3_missing_capability_fails_deploy(self):
        proc = self.moto.deploy(os.path.join(self.good, f"{STACK}.template.json"), STACK,
                                check=False, capabilities=False)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("CAPABILITY_NAMED_IAM", proc.stdout + proc.stderr)
        self.assert_no_stack()

    def test_4_rule_role_that_cannot_start_is_caught(self):
        with open(os.path.join(self.good, f"{STACK}.template.json"), encoding="utf-8") as f:
            template = json.load(f)
        policy = template["Resources"]["SampleBatchScheduleRole"]["Properties"]["Policies"][0]
        policy["PolicyDocument"]["Statement"][0]["Resource"] = {
            "Fn::Sub": "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:other"}
        broken = os.path.join(self.moto.tmp, "broken.template.json")
        with open(broken, "w", encoding="utf-8") as f:
            json.dump(template, f)
        self.moto.deploy(broken, STACK)  # CloudFormation does not check this, on AWS either
        sm_arn = f"arn:aws:states:{h.REGION}:{h.ACCOUNT}:stateMachine:prod-sample-batch-workflow"
        with self.assertRaisesRegex(AssertionError, "may not start"):
            h.check_rule_role(self, self.moto.client("iam"), "eventbridge-role-prod", sm_arn)
        # ... and the same check passes on orchc's own template (a fresh stack: moto 5.2.1
        # does not update a role's inline policies in place).
        self.moto.aws("cloudformation", "delete-stack", "--stack-name", STACK)
        self.moto.aws("cloudformation", "wait", "stack-delete-complete", "--stack-name", STACK)
        # The prod log group is retained on deletion; remove it, as on AWS, before re-creating.
        self.moto.client("logs").delete_log_group(
            logGroupName="/aws/stepfunctions/prod-sample-batch-workflow")
        self.moto.deploy(os.path.join(self.good, f"{STACK}.template.json"), STACK)
        h.check_rule_role(self, self.moto.client("iam"), "eventbridge-role-prod", sm_arn)


if __name__ == "__main__":
    h.run(Negative)
