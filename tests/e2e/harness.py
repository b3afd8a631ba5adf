"""Shared machinery of the end-to-end tests: a private moto server, the real AWS CLI,
orchc, the stand-in upstream stacks, and read-back helpers.

Every wait has a timeout; the only process started is the moto server (plus short-lived
`aws` and `orchc` children run with timeouts), and it is stopped by its own pid.
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

import boto3
from botocore.config import Config

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
REGION = "ap-northeast-1"
ACCOUNT = "123456789012"  # moto's default account for any access key
STANDIN = os.path.join(HERE, "standin")
CLI_TIMEOUT = 90
SERVER_START_TIMEOUT = 120  # a loaded machine takes over 30 s to import moto


def orchc_path():
    """The orchc binary: argv (set by CTest), $ORCHC, or the e2e build dir."""
    path = os.environ.get("ORCHC") or os.path.join(REPO, "build-e2e", "compiler", "orchc")
    if not os.access(path, os.X_OK):
        raise SystemExit(f"orchc binary not found at {path} (pass --orchc PATH or set ORCHC)")
    return path


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Moto:
    """A moto server of our own, corrected by moto_server.py, on a free loopback port."""

    def __init__(self):
        self.tmp = tempfile.mkdtemp(prefix="orchc-e2e-")
        self.port = None
        self.proc = None
        self.retry_log = os.path.join(self.tmp, "retry-intervals.log")
        self.env = dict(os.environ)
        self.env.update({
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": REGION,
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "AWS_PAGER": "",
            "ORCHC_E2E_RETRY_LOG": self.retry_log,
        })
        for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ROLE_ARN"):
            self.env.pop(key, None)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        for _attempt in range(3):
            self.port = free_port()
            self.log = open(os.path.join(self.tmp, "moto.log"), "w")
            self.proc = subprocess.Popen(
                [sys.executable, os.path.join(HERE, "moto_server.py"), str(self.port)],
                stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                env=self.env)
            deadline = time.monotonic() + SERVER_START_TIMEOUT
            while time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    urllib.request.urlopen(self.url + "/moto-api/", timeout=2).read()
                    break
                except OSError:
                    time.sleep(0.2)
            if self.proc.poll() is None and time.monotonic() < deadline:
                break
            self.stop()  # port taken in the meantime, or too slow: try another port
        else:
            raise RuntimeError("moto server did not start; see " + self.log.name)
        # Enable moto's Step Functions interpreter (its documented config API).
        req = urllib.request.Request(
            self.url + "/moto-api/config", method="POST",
            data=json.dumps({"stepfunctions": {"execute_state_machine": True}}).encode(),
            headers={"Content-Type": "application/json"})
        urllib.request.urlopen(req, timeout=10).read()
        return self

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc = None
        if getattr(self, "log", None):
            self.log.close()

    def client(self, service):
        return boto3.client(
            service, endpoint_url=self.url, region_name=REGION,
            aws_access_key_id="testing", aws_secret_access_key="testing",
            config=Config(retries={"max_attempts": 1}, read_timeout=60, connect_timeout=5))

    def aws(self, *args, check=True, env=None):
        """The real AWS CLI against this server."""
        cmd = ["aws", *args, "--endpoint-url", self.url, "--region", REGION]
        proc = subprocess.run(cmd, env={**self.env, **(env or {})}, capture_output=True,
                              text=True, stdin=subprocess.DEVNULL, timeout=CLI_TIMEOUT)
        if check and proc.returncode != 0:
            raise AssertionError(f"{' '.join(args[:3])} failed ({proc.returncode}):\n"
                                 f"{proc.stdout}\n{proc.stderr}")
        return proc

    def deploy(self, template, stack, *extra, check=True, capabilities=True, s3_bucket=None):
        """`aws cloudformation deploy`; with s3_bucket, the template goes through S3 as
        for templates over 51,200 bytes.  awscli v1 creates that S3 client without
        --endpoint-url, so it is pointed here with AWS_ENDPOINT_URL_S3 (botocore's
        service-specific endpoint setting); as `localhost`, the one host moto accepts in
        a path-style TemplateURL besides s3*.amazonaws.com."""
        args = ["cloudformation", "deploy", "--template-file", template,
                "--stack-name", stack, "--no-fail-on-empty-changeset"]
        if capabilities:
            args += ["--capabilities", "CAPABILITY_NAMED_IAM"]
        env = None
        if s3_bucket:
            args += ["--s3-bucket", s3_bucket]
            env = {"AWS_ENDPOINT_URL_S3": f"http://localhost:{self.port}"}
        return self.aws(*args, *extra, check=check, env=env)

    def deploy_standin(self, env, subnets):
        """The stand-in Network/Compute/Monitoring stacks, exporting every ${env}-... name."""
        for name in ("network", "compute", "monitoring"):
            params = [f"Env={env}"] + ([f"SubnetCount={subnets}"] if name == "network" else [])
            self.deploy(os.path.join(STANDIN, f"{name}.template.json"),
                        f"{name.capitalize()}Stack-{env}", "--parameter-overrides", *params)
        exports = {e["Name"]: e["Value"] for e in
                   self.client("cloudformation").list_exports()["Exports"]}
        return {k[len(env) + 1:]: v for k, v in exports.items() if k.startswith(env + "-")}

    def retry_intervals(self):
        if not os.path.exists(self.retry_log):
            return []
        with open(self.retry_log, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]

    def clear_retry_intervals(self):
        if os.path.exists(self.retry_log):
            os.remove(self.retry_log)


class MotoTestCase(unittest.TestCase):
    """A scenario with its own moto server for the whole class."""

    @classmethod
    def setUpClass(cls):
        cls.moto = Moto().start()

    @classmethod
    def tearDownClass(cls):
        cls.moto.stop()


def compile_specs(specs, outdir, definition_string=True, check=True):
    """Run orchc; returns the CompletedProcess."""
    cmd = [orchc_path(), "compile", *specs, "-o", outdir]
    if definition_string:
        cmd.insert(2, "--definition-string")
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL)
    if check and proc.returncode != 0:
        raise AssertionError(f"orchc failed ({proc.returncode}): {proc.stderr}")
    return proc


def write_spec(directory, name, text):
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def wait_execution(sfn, arn, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        desc = sfn.describe_execution(executionArn=arn)
        if desc["status"] != "RUNNING":
            return desc
        time.sleep(0.2)
    raise AssertionError(f"execution {arn} still RUNNING after {timeout}s")


def drain_queue(sqs, queue_url, expect, timeout=15):
    """Receive messages until `expect` arrived, then wait 1 s more for extras."""
    messages = []
    deadline = time.monotonic() + timeout
    quiet_until = None
    while time.monotonic() < deadline:
        got = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10,
                                  WaitTimeSeconds=0).get("Messages", [])
        for m in got:
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=m["ReceiptHandle"])
        messages += got
        if len(messages) >= expect and quiet_until is None:
            quiet_until = time.monotonic() + 1.0
        if quiet_until is not None and time.monotonic() > quiet_until:
            break
        time.sleep(0.2)
    return [json.loads(m["Body"]) for m in messages]


def subscribe_queue(moto, topic_arn, name):
    sqs = moto.client("sqs")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]
    moto.client("sns").subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=arn)
    return sqs, url


def stack_resources(cfn, stack):
    """The stack's resources by logical ID.  moto lists the resources it skipped (no
    CloudFormation model, e.g. AWS::Scheduler::Schedule) as bare status entries."""
    return {r["LogicalResourceId"]: r for r in
            cfn.describe_stack_resources(StackName=stack)["StackResources"]
            if "LogicalResourceId" in r}


def run(test_case_class):
    """Run one scenario; `--orchc PATH` (from CTest) selects the compiler."""
    argv = sys.argv[1:]
    if "--orchc" in argv:
        i = argv.index("--orchc")
        os.environ["ORCHC"] = argv[i + 1]
        del argv[i:i + 2]
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(test_case_class)
    result = unittest.TextTestRunner(verbosity=2, failfast=True).run(suite)
    sys.exit(0 if result.wasSuccessful() and result.testsRun > 0 else 1)


# ---------------------------------------------------------------- read-back checks

def _matches(pattern_or_list, value):
    import fnmatch
    patterns = pattern_or_list if isinstance(pattern_or_list, list) else [pattern_or_list]
    return any(fnmatch.fnmatchcase(value, p) for p in patterns)


def role_policy_statements(iam, role_name):
    """Every statement of the role's inline and attached policies, as deployed."""
    statements = []
    for name in iam.list_role_policies(RoleName=role_name)["PolicyNames"]:
        doc = iam.get_role_policy(RoleName=role_name, PolicyName=name)["PolicyDocument"]
        doc = json.loads(doc) if isinstance(doc, str) else doc
        st = doc["Statement"]
        statements += st if isinstance(st, list) else [st]
    for att in iam.list_attached_role_policies(RoleName=role_name)["AttachedPolicies"]:
        pol = iam.get_policy(PolicyArn=att["PolicyArn"])["Policy"]
        doc = iam.get_policy_version(PolicyArn=att["PolicyArn"],
                                     VersionId=pol["DefaultVersionId"])["PolicyVersion"]["Document"]
        doc = json.loads(doc) if isinstance(doc, str) else doc
        st = doc["Statement"]
        statements += st if isinstance(st, list) else [st]
    return statements


def role_allows(iam, role_name, action, resource):
    """Whether the role's policies allow `action` on `resource` (Allow without an
    unconditional Deny; conditions are not evaluated, so a conditional Allow counts)."""
    allowed = False
    for st in role_policy_statements(iam, role_name):
        if _matches(st.get("Action", []), action) and _matches(st.get("Resource", []), resource):
            if st["Effect"] == "Deny" and "Condition" not in st:
                return False
            if st["Effect"] == "Allow":
                allowed = True
    return allowed


def role_trusts(iam, role_name, service):
    doc = iam.get_role(RoleName=role_name)["Role"]["AssumeRolePolicyDocument"]
    doc = json.loads(doc) if isinstance(doc, str) else doc
    for st in doc["Statement"]:
        principal = st.get("Principal", {}).get("Service", [])
        if st["Effect"] == "Allow" and _matches(st.get("Action", []), "sts:AssumeRole") \
                and service in (principal if isinstance(principal, list) else [principal]):
            return True
    return False


def role_name_of(arn):
    return arn.rsplit("/", 1)[1]


def render_input_transformer(transformer, event):
    """What EventBridge sends: InputTemplate with each <name> replaced by the JSON value
    at InputPathsMap[name] in the event (only `$.a.b` paths are used by orchc)."""
    rendered = transformer["InputTemplate"]
    for name, path in transformer.get("InputPathsMap", {}).items():
        value = event
        for part in path[2:].split("."):
            value = value[part]
        rendered = rendered.replace(f"<{name}>", json.dumps(value))
    return rendered


def scheduled_event(rule_arn, when="2026-11-28T17:00:00Z"):
    return {"version": "0", "id": "e2e", "detail-type": "Scheduled Event",
            "source": "aws.events", "account": ACCOUNT, "time": when, "region": REGION,
            "resources": [rule_arn], "detail": {}}


def PascalCase(name):  # noqa: N802 - as orchc spells it (compiler/lower_util.cc)
    return "".join(part[:1].upper() + part[1:] for part in name.replace("_", "-").split("-"))


def all_states(graph):
    """Every state of a definition by name, those of Parallel branches and Map processors
    included (state names are unique across a whole state machine)."""
    found = {}
    for name, st in graph["States"].items():
        found[name] = st
        for sub in st.get("Branches", []) + [st[k] for k in ("ItemProcessor", "Iterator") if k in st]:
            found.update(all_states(sub))
    return found


def check_overlap_lease(tc, moto, sm_role, definition):
    """A workflow with overlap skip/queue: its lease table is deployed (on demand, TTL on
    expiresAt) and the state machine role may write and delete its items, on that table only.
    Returns the table name."""
    ddb, iam = moto.client("dynamodb"), moto.client("iam")
    states = all_states(definition)
    tables = {st["Parameters"]["TableName"] for st in states.values()
              if st.get("Resource", "").startswith("arn:aws:states:::dynamodb:")}
    tc.assertEqual(len(tables), 1, tables)
    name = tables.pop()
    table = ddb.describe_table(TableName=name)["Table"]
    tc.assertEqual(table["KeySchema"], [{"AttributeName": "pk", "KeyType": "HASH"}])
    tc.assertEqual(table["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST")
    # moto 5.2.1 does not apply a table's TimeToLiveSpecification from CloudFormation
    # (DescribeTimeToLive says DISABLED): the deployed template is checked for it instead.
    cfn = moto.client("cloudformation")
    for stack in cfn.describe_stacks()["Stacks"]:
        res = {r["PhysicalResourceId"]: logical for logical, r in
               stack_resources(cfn, stack["StackName"]).items()}
        if name in res:
            body = cfn.get_template(StackName=stack["StackName"])["TemplateBody"]
            body = json.loads(body) if isinstance(body, str) else body
            props = body["Resources"][res[name]]["Properties"]
            tc.assertEqual(props["TimeToLiveSpecification"],
                           {"AttributeName": "expiresAt", "Enabled": True})
            break
    else:
        tc.fail(f"no stack owns the lease table {name}")
    arn = table["TableArn"]
    for action in ("dynamodb:PutItem", "dynamodb:DeleteItem"):
        tc.assertTrue(role_allows(iam, sm_role, action, arn), action)
        tc.assertFalse(role_allows(iam, sm_role, action, arn.rsplit("/", 1)[0] + "/other"), action)
    tc.assertFalse(role_allows(iam, sm_role, "dynamodb:GetItem", arn))
    return name


def check_workflow(tc, moto, env, workflow, exports, schedule, enabled, retention,
                   state_machine_role=None, rule_role=None):
    """Read back one deployed workflow through the AWS APIs and check it against the
    stand-in's real values.  Returns (state machine ARN, rendered rule input)."""
    sfn, events, iam, logs = (moto.client(s) for s in ("stepfunctions", "events", "iam", "logs"))
    sm_name = f"{env}-{workflow}-workflow"
    sm_arn = f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{sm_name}"
    desc = sfn.describe_state_machine(stateMachineArn=sm_arn)
    tc.assertEqual(desc["name"], sm_name)
    sm_role = role_name_of(desc["roleArn"])
    if state_machine_role:
        tc.assertEqual(sm_role, state_machine_role)
    tc.assertTrue(role_trusts(iam, sm_role, "states.amazonaws.com"))

    # The definition as Step Functions stores it: every import resolved.
    text = desc["definition"]
    for marker in ("Fn::", "${", "ImportValue", "\"Ref\""):
        tc.assertNotIn(marker, text, f"unresolved {marker} in deployed definition")
    definition = json.loads(text)
    states = all_states(definition)
    # The ECS Task; with capacity: spot-then-on-demand, the first (Spot) one of its two.
    runs = [st for name, st in states.items()
            if st.get("Resource") == "arn:aws:states:::ecs:runTask.sync"
            and not name.endswith(": run on demand")]
    tc.assertEqual(len(runs), 1)
    run = runs[0]
    params = run["Parameters"]
    tc.assertEqual(run["Resource"], "arn:aws:states:::ecs:runTask.sync")
    tc.assertEqual(params["Cluster"],
                   f"arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/{exports['EcsClusterName']}")
    tc.assertEqual(params["TaskDefinition"], exports["TaskDefinitionArn"])
    vpc = params["NetworkConfiguration"]["AwsvpcConfiguration"]
    tc.assertEqual(vpc["Subnets"], exports["PrivateSubnetIds"].split(","))
    tc.assertEqual(vpc["SecurityGroups"], exports["EcsSecurityGroupId"].split(","))
    topics = [s["Parameters"]["TopicArn"] for s in states.values()
              if s.get("Resource") == "arn:aws:states:::sns:publish"]
    # NotifyFailure, and NotifyFailureBrief which sends the message again without the cause when
    # SNS refuses it: both to the imported topic.
    tc.assertEqual(topics, [exports["CriticalAlertsTopicArn"]] * 2)
    # Execution context paths survive deployment ($$ is not a CloudFormation escape).
    tc.assertIn("$$.Execution.Name", text)
    if definition["StartAt"] == "OverlapStart":  # overlap: skip or queue (the default)
        check_overlap_lease(tc, moto, sm_role, definition)

    # What the state machine role may do, as deployed.
    tc.assertTrue(role_allows(iam, sm_role, "ecs:RunTask", exports["TaskDefinitionArn"]))
    for arn in (exports["TaskRoleArn"], exports["TaskExecutionRoleArn"]):
        tc.assertTrue(role_allows(iam, sm_role, "iam:PassRole", arn), arn)
    tc.assertTrue(role_allows(iam, sm_role, "sns:Publish", exports["CriticalAlertsTopicArn"]))
    tc.assertTrue(role_allows(
        iam, sm_role, "events:PutRule",
        f"arn:aws:events:{REGION}:{ACCOUNT}:rule/StepFunctionsGetEventsForECSTaskRule"))

    # The log group and its retention: the seed's name for orchestration: (sample-batch),
    # AWS's /aws/vendedlogs/ prefix for workflows: entries (docs/spec.md).
    prefix = "/aws/stepfunctions/" if workflow == "sample-batch" else "/aws/vendedlogs/states/"
    groups = logs.describe_log_groups(logGroupNamePrefix=prefix + sm_name)["logGroups"]
    tc.assertEqual([(g["logGroupName"], g.get("retentionInDays")) for g in groups],
                   [(prefix + sm_name, retention)])

    # The schedule rule, its state, its target, the target's role and input.
    rule = events.describe_rule(Name=f"{env}-{workflow}-schedule")
    tc.assertEqual(rule["ScheduleExpression"], schedule)
    tc.assertEqual(rule["State"], "ENABLED" if enabled else "DISABLED")
    targets = events.list_targets_by_rule(Rule=rule["Name"])["Targets"]
    tc.assertEqual(len(targets), 1)
    target = targets[0]
    tc.assertEqual(target["Arn"], sm_arn)
    ev_role = role_name_of(target["RoleArn"])
    if rule_role:
        tc.assertEqual(ev_role, rule_role)
    check_rule_role(tc, iam, ev_role, sm_arn)
    rendered = render_input_transformer(target["InputTransformer"], scheduled_event(rule["Arn"]))
    tc.assertIsInstance(json.loads(rendered), dict)
    return sm_arn, rendered


def check_rule_role(tc, iam, role_name, sm_arn):
    """The rule's role trusts EventBridge and may start exactly this state machine."""
    tc.assertTrue(role_trusts(iam, role_name, "events.amazonaws.com"),
                  f"{role_name} does not trust events.amazonaws.com")
    tc.assertTrue(role_allows(iam, role_name, "states:StartExecution", sm_arn),
                  f"{role_name} may not start {sm_arn}")
    other = sm_arn.rsplit(":", 1)[0] + ":some-other-state-machine"
    tc.assertFalse(role_allows(iam, role_name, "states:StartExecution", other),
                   f"{role_name} may start state machines other than {sm_arn}")
