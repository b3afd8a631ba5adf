"""e2e.takeover_prod / e2e.takeover_dev: take over the deployed CDK stack in place.

The CDK reference template (tests/e2e/cdk/<env>.template.json, see README.md there) is deployed
as OrchestrationStack-<env> onto the stand-in upstream stacks and executed; then orchc's
template compiled with `--adopt` that template is deployed to the same stack name.  The update
must complete with the same resources (ARNs, role IDs, log group, earlier executions), orchc's
definition, policies and settings in effect, and a second deploy must change nothing.  The same
setup without --adopt is deployed too, and what moto does is recorded (docs/deploy.md says which
part of that is proven here and which is AWS's documented behaviour).

Usage: test_takeover.py --env prod|dev [--orchc PATH]
"""

import json
import os
import shutil
import subprocess
import sys

import harness as h

ENV = "prod"
if "--env" in sys.argv:
    i = sys.argv.index("--env")
    ENV = sys.argv[i + 1]
    del sys.argv[i:i + 2]
STACK = f"OrchestrationStack-{ENV}"
CDK_TEMPLATE = os.path.join(h.HERE, "cdk", f"{ENV}.template.json")
SETTINGS = {  # the spec's values that differ between the environments
    "prod": {"enabled": True, "retention": 30},
    "dev": {"enabled": False, "retention": 7},
}[ENV]
SM_NAME = f"{ENV}-sample-batch-workflow"
SM_ARN = f"arn:aws:states:{h.REGION}:{h.ACCOUNT}:stateMachine:{SM_NAME}"
ROLES = (f"stepfunctions-role-{ENV}", f"eventbridge-role-{ENV}")
RULE = f"{ENV}-sample-batch-schedule"
LOG_GROUP = f"/aws/stepfunctions/{SM_NAME}"


def cdk_template_for_moto(tmp):
    """The CDK template as deployed here.  moto 5.2.1's GetTemplateSummary (which `aws
    cloudformation deploy` calls) fails on a template without AWSTemplateFormatVersion, so
    the copy deployed gets the one valid value ("2010-09-09"); nothing else is changed."""
    with open(CDK_TEMPLATE, encoding="utf-8") as f:
        template = json.load(f)
    assert "AWSTemplateFormatVersion" not in template
    template = {"AWSTemplateFormatVersion": "2010-09-09", **template}
    path = os.path.join(tmp, f"cdk-{ENV}.template.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(template, f, indent=1)
    return path


def compile_spec(tmp, name, adopt=None):
    """orchc on a copy of specs/<env>.yaml in its own directory (the sidecar is written
    beside the spec); returns (template path, stderr, spec path)."""
    spec_dir = os.path.join(tmp, name)
    os.makedirs(spec_dir, exist_ok=True)
    spec = os.path.join(spec_dir, f"{ENV}.yaml")
    shutil.copy(os.path.join(h.REPO, "specs", f"{ENV}.yaml"), spec)
    # The spec extends shared/orchestration.base.yaml: the base goes along.
    shutil.copytree(os.path.join(h.REPO, "specs", "shared"), os.path.join(spec_dir, "shared"),
                    dirs_exist_ok=True)
    out = os.path.join(spec_dir, "out")
    cmd = [h.orchc_path(), "compile", "--definition-string", spec, "-o", out]
    if adopt:
        cmd += ["--adopt", adopt]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        raise AssertionError(f"orchc failed ({proc.returncode}): {proc.stderr}")
    return os.path.join(out, f"{STACK}.template.json"), proc.stderr, spec


def snapshot(moto):
    """The identities of the deployed resources, read through the AWS APIs."""
    sfn, iam, events, logs = (moto.client(s) for s in ("stepfunctions", "iam", "events", "logs"))
    sm = sfn.describe_state_machine(stateMachineArn=SM_ARN)
    roles = {n: (iam.get_role(RoleName=n)["Role"]["Arn"], iam.get_role(RoleName=n)["Role"]["RoleId"])
             for n in ROLES}
    rule = events.describe_rule(Name=RULE)
    groups = logs.describe_log_groups(logGroupNamePrefix=LOG_GROUP)["logGroups"]
    return {
        "state_machine": (sm["stateMachineArn"], str(sm["creationDate"])),
        "roles": roles,
        "rule": rule["Arn"],
        "log_groups": [(g["logGroupName"], g["arn"], g["creationTime"]) for g in groups],
    }


class Takeover(h.MotoTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cfn = cls.moto.client("cloudformation")

    def test_1_cdk_stack_deployed_and_executed(self):
        cls = type(self)
        cls.exports = self.moto.deploy_standin(ENV, subnets=2)  # CDK's template selects 2
        self.moto.deploy(cdk_template_for_moto(self.moto.tmp), STACK)
        stack = self.cfn.describe_stacks(StackName=STACK)["Stacks"][0]
        self.assertEqual(stack["StackStatus"], "CREATE_COMPLETE")
        cls.stack_id = stack["StackId"]
        cls.before = snapshot(self.moto)
        cls.physical = {k: r["PhysicalResourceId"]
                        for k, r in h.stack_resources(self.cfn, STACK).items()}
        self.assertEqual(len(cls.physical), 7, cls.physical)
        sfn = self.moto.client("stepfunctions")
        run = sfn.start_execution(stateMachineArn=SM_ARN, name="before-takeover",
                                  input=json.dumps({"triggerSource": "manual"}))
        cls.first_execution = run["executionArn"]
        desc = h.wait_execution(sfn, run["executionArn"])
        self.assertEqual(desc["status"], "SUCCEEDED", desc.get("cause"))
        # The CDK definition: NotifyFailure ends the execution (no Fail state).
        states = json.loads(sfn.describe_state_machine(stateMachineArn=SM_ARN)["definition"])
        self.assertNotIn("Failed", states["States"])

    def test_2_adopted_template_updates_in_place(self):
        cls = type(self)
        template, report, spec = compile_spec(self.moto.tmp, "adopt", adopt=CDK_TEMPLATE)
        cls.adopted_template = template
        self.assertIn("matched 5 (kept: the same resources, updated in place)", report)
        self.assertIn("replacement: none", report)
        self.assertIn("dropped 2 ", report)
        # The one new resource: the overlap lease table (overlap: skip, the default).
        self.assertIn("new 1 (created by the update)\n  SampleBatchOverlapTable  AWS::DynamoDB::Table",
                      report)
        sidecar = os.path.join(os.path.dirname(spec), f"{ENV}.adopt.json")
        self.assertTrue(os.path.exists(sidecar))

        proc = self.moto.deploy(template, STACK)
        stack = self.cfn.describe_stacks(StackName=STACK)["Stacks"][0]
        self.assertEqual(stack["StackStatus"], "UPDATE_COMPLETE", proc.stdout + proc.stderr)
        self.assertEqual(stack["StackId"], self.stack_id)

        # The same resources: the five kept logical IDs name the same physical resources, and
        # each resource keeps its ARN, role ID, creation date.
        physical = {k: r["PhysicalResourceId"]
                    for k, r in h.stack_resources(self.cfn, STACK).items()}
        kept = {k: v for k, v in self.physical.items() if "DefaultPolicy" not in k}
        self.assertIn("SampleBatchOverlapTable", physical)  # created by the update
        self.assertEqual({k: v for k, v in physical.items() if k != "SampleBatchOverlapTable"},
                         kept)
        after = snapshot(self.moto)
        self.assertEqual(after, self.before)
        sfn = self.moto.client("stepfunctions")
        executions = sfn.list_executions(stateMachineArn=SM_ARN)["executions"]
        self.assertIn(self.first_execution, [e["executionArn"] for e in executions])

        # orchc's definition, policies and settings are in effect.
        sm_arn, rule_input = h.check_workflow(
            self, self.moto, ENV, "sample-batch", self.exports, "cron(0 17 * * ? *)",
            enabled=SETTINGS["enabled"], retention=SETTINGS["retention"],
            state_machine_role=ROLES[0], rule_role=ROLES[1])
        self.assertEqual(sm_arn, SM_ARN)
        states = json.loads(sfn.describe_state_machine(stateMachineArn=SM_ARN)["definition"])
        self.assertEqual(h.all_states(states)["Failed"]["Type"], "Fail")  # orchc's, not CDK's
        iam = self.moto.client("iam")
        for role in ROLES:  # CDK's separate policies are gone, orchc's inline ones are there
            names = iam.list_role_policies(RoleName=role)["PolicyNames"]
            self.assertNotIn("DefaultPolicy", " ".join(names))
        outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
        self.assertEqual(outputs.get("SampleBatchStateMachineArn"), SM_ARN)
        exported = {e["Name"]: e["Value"] for e in self.cfn.list_exports()["Exports"]}
        self.assertEqual(exported[f"{ENV}-sample-batch-StateMachineArn"], SM_ARN)

        run = sfn.start_execution(stateMachineArn=SM_ARN, name="after-takeover", input=rule_input)
        desc = h.wait_execution(sfn, run["executionArn"])
        self.assertEqual(desc["status"], "SUCCEEDED", desc.get("cause"))
        self.assertEqual(json.loads(desc["output"])["triggerSource"], "EventBridge")

        # A later compile without --adopt reads the sidecar: the same template.
        again, _, _ = compile_spec(self.moto.tmp, "adopt")
        with open(template, "rb") as a, open(again, "rb") as b:
            self.assertEqual(a.read(), b.read())

    def test_3_second_deploy_is_a_no_op(self):
        proc = self.moto.deploy(self.adopted_template, STACK)
        self.assertIn("No changes to deploy", proc.stdout + proc.stderr)
        stack = self.cfn.describe_stacks(StackName=STACK)["Stacks"][0]
        self.assertEqual(stack["StackStatus"], "UPDATE_COMPLETE")
        self.assertEqual(snapshot(self.moto), self.before)

    def test_4_without_adopt(self):
        """The same setup on a fresh server, orchc's own logical IDs.  Recorded, not
        endorsed: see docs/deploy.md ("Without --adopt")."""
        moto = h.Moto().start()
        try:
            moto.deploy_standin(ENV, subnets=2)
            moto.deploy(cdk_template_for_moto(moto.tmp), STACK)
            cfn = moto.client("cloudformation")
            before = snapshot(moto)
            sfn = moto.client("stepfunctions")
            run = sfn.start_execution(stateMachineArn=SM_ARN, name="before-takeover",
                                      input=json.dumps({"triggerSource": "manual"}))
            h.wait_execution(sfn, run["executionArn"])
            template, _, _ = compile_spec(moto.tmp, "plain")
            proc = moto.deploy(template, STACK, check=False)
            status = cfn.describe_stacks(StackName=STACK)["Stacks"][0]["StackStatus"]
            resources = h.stack_resources(cfn, STACK)
            print(f"\nwithout --adopt: deploy exit {proc.returncode}, stack {status}, "
                  f"logical IDs {sorted(resources)}", file=sys.stderr)
            # Every resource is a new logical ID: CloudFormation creates all of them and then
            # deletes all of CDK's (none is kept as the same resource in the stack).
            self.assertFalse(set(resources) & set(self.physical))
            try:
                after = snapshot(moto)
            except Exception as e:  # noqa: BLE001 - recorded as observed
                after = f"{type(e).__name__}: {e}"
            print(f"without --adopt: before {before}\nwithout --adopt: after  {after}",
                  file=sys.stderr)
            try:
                listed = [e["executionArn"] for e in
                          sfn.list_executions(stateMachineArn=SM_ARN)["executions"]]
            except Exception as e:  # noqa: BLE001
                listed = f"{type(e).__name__}: {e}"
            print(f"without --adopt: executions listed after: {listed}", file=sys.stderr)
            # What moto does (AWS refuses earlier: docs/deploy.md): the update completes, but
            # every named resource is a new one under the old name (new role IDs, a new state
            # machine and log group), and the earlier execution is gone with the old state
            # machine.  This is what --adopt exists to avoid.
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertEqual(status, "UPDATE_COMPLETE")
            self.assertEqual(after["state_machine"][0], before["state_machine"][0])
            self.assertNotEqual(after["state_machine"][1], before["state_machine"][1])
            for role in ROLES:
                self.assertNotEqual(after["roles"][role][1], before["roles"][role][1])
            self.assertNotEqual(after["log_groups"][0][2], before["log_groups"][0][2])
            self.assertEqual(listed, [])
        finally:
            moto.stop()


if __name__ == "__main__":
    h.run(Takeover)
