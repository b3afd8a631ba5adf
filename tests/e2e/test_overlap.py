"""e2e.overlap: deploy a spec whose workflows use overlap: skip (the default of a scheduled
workflow) and queue, onto stand-in stacks; the lease tables and the state machine roles'
DynamoDB statements deploy; an execution started with a tick runs the task, holds and then
releases the lease (the table is empty of it afterwards) and leaves the tick's record; the same
tick delivered again runs nothing and says so; with the lease held by another execution, a skip
workflow ends without running the task and says so.

moto's interpreter runs the DynamoDB integration against moto's DynamoDB, and the JSONata clock
state with the reference JSONata implementation (moto_server.py, _patch_sfn_jsonata)."""

import json
import os

import harness as h

ENV = "ovl"
STACK = "OverlapStack-ovl"
SPEC = """\
version: 1
env: ovl
stack: {name: OverlapStack-ovl, description: overlap e2e}
workflows:
  nightly:
    timeout: 2h
    schedule: {expression: "cron(0 17 * * ? *)"}
    task: {command: [/app/bin/sample-batch]}
  queued:
    overlap: queue
    timeout: 1h
    schedule: {expression: "cron(0 18 * * ? *)"}
    task: {command: [/app/bin/sample-batch]}
"""


def sm_arn(workflow):
    return f"arn:aws:states:{h.REGION}:{h.ACCOUNT}:stateMachine:{ENV}-{workflow}-workflow"


class Overlap(h.MotoTestCase):
    def test_overlap_deploy_and_execute(self):
        exports = self.moto.deploy_standin(ENV, subnets=2)
        spec = h.write_spec(self.moto.tmp, "overlap.yaml", SPEC)
        out = os.path.join(self.moto.tmp, "out")
        h.compile_specs([spec], out)
        self.moto.deploy(os.path.join(out, f"{STACK}.template.json"), STACK)

        sfn, ddb = self.moto.client("stepfunctions"), self.moto.client("dynamodb")
        resources = h.stack_resources(self.moto.client("cloudformation"), STACK)
        self.assertEqual(resources["NightlyOverlapTable"]["ResourceType"], "AWS::DynamoDB::Table")
        self.assertEqual(resources["QueuedOverlapTable"]["ResourceType"], "AWS::DynamoDB::Table")
        tables = {}
        for wf in ("nightly", "queued"):
            desc = sfn.describe_state_machine(stateMachineArn=sm_arn(wf))
            definition = json.loads(desc["definition"])
            self.assertEqual(definition["StartAt"], "OverlapStart")
            tables[wf] = h.check_overlap_lease(self, self.moto, h.role_name_of(desc["roleArn"]),
                                               definition)
        self.assertNotEqual(tables["nightly"], tables["queued"])  # one table per workflow
        table = tables["nightly"]

        tick = json.dumps({"triggerSource": "EventBridge", "timestamp": "2026-12-01T17:00:00Z"})
        run = sfn.start_execution(stateMachineArn=sm_arn("nightly"), name="tick-1", input=tick)
        desc = h.wait_execution(sfn, run["executionArn"])
        self.assertEqual(desc["status"], "SUCCEEDED", desc.get("cause"))
        output = json.loads(desc["output"])
        self.assertEqual(output["taskResult"]["LastStatus"], "STOPPED")
        self.assertEqual(output["timestamp"], "2026-12-01T17:00:00Z")
        items = {i["pk"]["S"]: i for i in ddb.scan(TableName=table)["Items"]}
        self.assertNotIn("lease", items)  # released
        record = items["tick#2026-12-01T17:00:00Z"]
        self.assertEqual(record["execution"]["S"], run["executionArn"])
        self.assertGreater(int(record["expiresAt"]["N"]), 1_700_000_000)  # epoch seconds

        # The same tick again (a duplicate delivery): nothing runs.
        again = sfn.start_execution(stateMachineArn=sm_arn("nightly"), name="tick-1-again",
                                    input=tick)
        desc = h.wait_execution(sfn, again["executionArn"])
        self.assertEqual(desc["status"], "SUCCEEDED", desc.get("cause"))
        self.assertEqual(json.loads(desc["output"])["overlap"], "duplicate-tick")

        # The lease held by another, running execution: a new tick is skipped.
        ddb.put_item(TableName=table, Item={
            "pk": {"S": "lease"}, "heldBy": {"S": "arn:aws:states:other"},
            "expiresAt": {"N": "4102444800"}})
        run = sfn.start_execution(stateMachineArn=sm_arn("nightly"), name="tick-2",
                                  input=tick.replace("2026-12-01", "2026-12-02"))
        desc = h.wait_execution(sfn, run["executionArn"])
        self.assertEqual(desc["status"], "SUCCEEDED", desc.get("cause"))
        output = json.loads(desc["output"])
        self.assertEqual(output["overlap"], "skipped")
        self.assertNotIn("taskResult", json.dumps(output))
        held = ddb.get_item(TableName=table, Key={"pk": {"S": "lease"}})["Item"]
        self.assertEqual(held["heldBy"]["S"], "arn:aws:states:other")


if __name__ == "__main__":
    h.run(Overlap)
