"""e2e.dev: deploy specs/dev.yaml onto stand-in upstream stacks with 2 subnets; the rule is
DISABLED, retention 7 days, an execution started by hand succeeds, and deleting the stack
removes the log group (removalPolicy: destroy)."""

import json
import os

import harness as h

ENV = "dev"
STACK = "OrchestrationStack-dev"


class Dev(h.MotoTestCase):
    def test_dev_deploy_execute_delete(self):
        exports = self.moto.deploy_standin(ENV, subnets=2)
        self.assertEqual(len(exports["PrivateSubnetIds"].split(",")), 2)
        out = os.path.join(self.moto.tmp, "out")
        h.compile_specs([os.path.join(h.REPO, "specs", "dev.yaml")], out)
        self.moto.deploy(os.path.join(out, f"{STACK}.template.json"), STACK)
        sm_arn, _ = h.check_workflow(
            self, self.moto, ENV, "sample-batch", exports, "cron(0 17 * * ? *)",
            enabled=False, retention=7, state_machine_role="stepfunctions-role-dev",
            rule_role="eventbridge-role-dev")

        # Started by hand, as the seed's test section does.
        sfn = self.moto.client("stepfunctions")
        run = sfn.start_execution(stateMachineArn=sm_arn, name="manual-test",
                                  input=json.dumps({"triggerSource": "manual"}))
        desc = h.wait_execution(sfn, run["executionArn"])
        self.assertEqual(desc["status"], "SUCCEEDED", desc.get("cause"))
        task = json.loads(desc["output"])["taskResult"]
        subnet = [d["Value"] for a in task["Attachments"] for d in a["Details"]
                  if d["Name"] == "subnetId"]
        self.assertEqual(len(subnet), 1)
        self.assertIn(subnet[0], exports["PrivateSubnetIds"].split(","))

        self.moto.aws("cloudformation", "delete-stack", "--stack-name", STACK)
        self.moto.aws("cloudformation", "wait", "stack-delete-complete", "--stack-name", STACK)
        groups = self.moto.client("logs").describe_log_groups(
            logGroupNamePrefix="/aws/stepfunctions/dev-")["logGroups"]
        self.assertEqual(groups, [])
        self.assertEqual(sfn.list_state_machines()["stateMachines"], [])


if __name__ == "__main__":
    h.run(Dev)
