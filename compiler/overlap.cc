// Overlap control: the lease and tick states around a workflow's graph, their IAM statements
// and the lease table (overlap.h; docs/spec.md, "Overlapping runs").
#include "overlap.h"

#include <algorithm>

#include "integrations.h"
#include "lower_util.h"

namespace orchc {

namespace {

constexpr const char* kStart = "OverlapStart";
constexpr const char* kClock = "OverlapClock";
constexpr const char* kHasTick = "OverlapHasTick";
constexpr const char* kClaimTick = "OverlapClaimTick";
constexpr const char* kDuplicateTick = "OverlapDuplicateTick";
constexpr const char* kAcquire = "OverlapAcquireLease";
constexpr const char* kSkipped = "OverlapSkipped";
constexpr const char* kWait = "OverlapWait";
constexpr const char* kRefreshClock = "OverlapRefreshClock";
constexpr const char* kRelease = "OverlapReleaseLease";
constexpr const char* kReleaseAfterFailure = "OverlapReleaseLeaseAfterFailure";
constexpr const char* kFailed = "OverlapFailed";
constexpr const char* kDone = "OverlapDone";

// The error a DynamoDB conditional write raises in Step Functions when its condition is false.
constexpr const char* kConditionFailed = "DynamoDB.ConditionalCheckFailedException";
constexpr const char* kLeaseKey = "lease";
constexpr const char* kTickKeyPrefix = "tick#";

// The clock: the current time (epoch seconds, from JSONata's $millis(), which JSONPath cannot
// give) and the expiry times of the lease and of the tick record, as DynamoDB N strings, merged
// into the state as $.lease. The rest of the definition stays JSONPath.
State Clock(const std::string& name, int64_t lease_s, const std::string& next) {
  State st;
  st.name = name;
  st.type = "Pass";
  st.fields["QueryLanguage"] = "JSONata";
  const std::string now = "$floor($millis()/1000)";
  // Written without ": " or ", " so that the compact output stays free of them.
  st.fields["Output"] = "{% $merge([$states.input,{'lease':{'now':$string(" + now +
                        "),'expiresAt':$string(" + now + "+" + std::to_string(lease_s) +
                        "),'tickExpiresAt':$string(" + now + "+" +
                        std::to_string(kTickRecordSeconds) + ")}}]) %}";
  st.next = next;
  return st;
}

// A DynamoDB call: a condition that fails is not retried (the catchers decide); anything else
// (throttling, a service error) is retried as AWS recommends for DynamoDB, with backoff.
State DynamoTask(const std::string& name, const char* action, Json params) {
  State st;
  st.name = name;
  st.type = "Task";
  st.fields["Resource"] = std::string("arn:aws:states:::dynamodb:") + action;
  st.fields["Parameters"] = std::move(params);
  st.result_path = ResultPath::Discard();
  Retrier no_retry;
  no_retry.errors = {kConditionFailed};
  no_retry.max_attempts = 0;
  no_retry.interval_s = 1;
  no_retry.backoff_rate = 1.0;
  Retrier transient;
  transient.errors = {"States.TaskFailed"};
  transient.interval_s = 1;
  transient.max_attempts = 3;
  transient.backoff_rate = 2.0;
  st.retry = {std::move(no_retry), std::move(transient)};
  return st;
}

State ReleaseLease(const std::string& name, const std::string& table) {
  return DynamoTask(name, "deleteItem",
                    {{"TableName", table},
                     {"Key", {{"pk", {{"S", kLeaseKey}}}}},
                     {"ConditionExpression", "heldBy = :me"},
                     {"ExpressionAttributeValues", {{":me", {{"S.$", "$$.Execution.Id"}}}}}});
}

State Outcome(const char* name, const char* kind, const std::string& message) {
  State st;
  st.name = name;
  st.type = "Pass";
  st.fields["Parameters"] = {{"overlap", kind}, {"message", message}, {"input.$", "$.input"}};
  st.end = true;
  return st;
}

}  // namespace

const std::vector<std::string>& OverlapStateNames() {
  static const std::vector<std::string> names = {
      kStart, kClock,        kHasTick,         kClaimTick, kDuplicateTick,       kAcquire, kSkipped,
      kWait,  kRefreshClock, kOverlapRunState, kRelease,   kReleaseAfterFailure, kFailed,  kDone};
  return names;
}

int64_t LeaseSeconds(const WorkflowSpec& w) {
  return w.timeout_s ? w.timeout_s->value : kDefaultLeaseSeconds;
}

int64_t QueueWaitSeconds(const WorkflowSpec& w) {
  // At most about 1000 waits in a lease lifetime: each costs ~10 history events, and an
  // execution has 25,000.
  return std::max<int64_t>(60, (LeaseSeconds(w) + 999) / 1000);
}

std::string OverlapTableId(const std::string& id_prefix) { return id_prefix + "OverlapTable"; }

namespace {

// The states before the lease: the input moved aside, the clock, and the tick claimed once.
void EntryStates(const WorkflowSpec& w, const std::string& table, int64_t lease_s, Graph& g) {
  // The execution's input moves to $.input, so the clock and the lease fields never mix with it.
  State start;
  start.name = kStart;
  start.type = "Pass";
  start.fields["Parameters"] = {{"input.$", "$"}};
  start.next = kClock;
  g.states.push_back(std::move(start));
  g.states.push_back(Clock(kClock, lease_s, kHasTick));

  // A start with a tick time (every schedule writes $.timestamp) claims the tick first.
  State has_tick;
  has_tick.name = kHasTick;
  has_tick.type = "Choice";
  has_tick.fields["Choices"] =
      Json::array({{{"Variable", "$.input.timestamp"}, {"IsPresent", true}, {"Next", kClaimTick}}});
  has_tick.fields["Default"] = kAcquire;
  g.states.push_back(std::move(has_tick));

  State claim = DynamoTask(
      kClaimTick, "putItem",
      {{"TableName", table},
       {"Item",
        {{"pk",
          {{"S.$", std::string("States.Format('") + kTickKeyPrefix + "{}', $.input.timestamp)"}}},
         {"expiresAt", {{"N.$", "$.lease.tickExpiresAt"}}},
         {"execution", {{"S.$", "$$.Execution.Id"}}}}},
       {"ConditionExpression", "attribute_not_exists(pk)"}});
  claim.catches.push_back({{kConditionFailed}, ResultPath::Discard(), kDuplicateTick});
  claim.next = kAcquire;
  g.states.push_back(std::move(claim));
  g.states.push_back(Outcome(kDuplicateTick, "duplicate-tick",
                             "This tick already started an execution of " + w.name +
                                 " (a repeated delivery); this execution ran nothing."));
}

// Taking the lease, and what happens when another execution holds it (wait, or skip).
void AcquireStates(const WorkflowSpec& w, const std::string& table, int64_t lease_s, Graph& g) {
  const bool queue = w.overlap == Overlap::kQueue;
  // Free, or expired (its holder ended without releasing it): take it.
  State acquire =
      DynamoTask(kAcquire, "putItem",
                 {{"TableName", table},
                  {"Item",
                   {{"pk", {{"S", kLeaseKey}}},
                    {"heldBy", {{"S.$", "$$.Execution.Id"}}},
                    {"expiresAt", {{"N.$", "$.lease.expiresAt"}}}}},
                  {"ConditionExpression", "attribute_not_exists(pk) OR expiresAt < :now"},
                  {"ExpressionAttributeValues", {{":now", {{"N.$", "$.lease.now"}}}}}});
  acquire.catches.push_back({{kConditionFailed}, ResultPath::Discard(), queue ? kWait : kSkipped});
  acquire.next = kOverlapRunState;
  g.states.push_back(std::move(acquire));
  if (queue) {
    State wait;
    wait.name = kWait;
    wait.type = "Wait";
    wait.fields["Seconds"] = QueueWaitSeconds(w);
    wait.next = kRefreshClock;
    g.states.push_back(std::move(wait));
    g.states.push_back(Clock(kRefreshClock, lease_s, kAcquire));
  } else {
    g.states.push_back(Outcome(kSkipped, "skipped",
                               "A previous execution of " + w.name +
                                   " still runs (it holds the overlap lease); this execution "
                                   "ran nothing."));
  }
}

// The workflow as the only branch of a Parallel state, then the lease released either way.
void RunAndReleaseStates(const std::string& table, Graph workflow, Graph& g) {
  // The workflow itself, unchanged, as the only branch.
  State run;
  run.name = kOverlapRunState;
  run.type = "Parallel";
  run.fields["InputPath"] = "$.input";
  run.fields["OutputPath"] = "$[0]";
  run.branches.push_back(std::move(workflow));
  run.catches.push_back({{"States.ALL"}, ResultPath::At("$.error"), kReleaseAfterFailure});
  run.next = kRelease;
  g.states.push_back(std::move(run));

  // Success: release. A lease no longer ours (it expired and another execution took it) is
  // not an error of this run.
  State release = ReleaseLease(kRelease, table);
  release.catches.push_back({{kConditionFailed}, ResultPath::Discard(), kDone});
  release.next = kDone;
  g.states.push_back(std::move(release));
  State done;
  done.name = kDone;
  done.type = "Succeed";
  g.states.push_back(std::move(done));

  // Failure: release, whatever that gives, then fail with the workflow's own error and cause.
  State release_f = ReleaseLease(kReleaseAfterFailure, table);
  release_f.catches.push_back({{"States.ALL"}, ResultPath::At("$.releaseError"), kFailed});
  release_f.next = kFailed;
  g.states.push_back(std::move(release_f));
  State failed;
  failed.name = kFailed;
  failed.type = "Fail";
  failed.fields["ErrorPath"] = "$.error.Error";
  failed.fields["CausePath"] = "$.error.Cause";
  g.states.push_back(std::move(failed));
}

void LeaseStatements(const std::string& table_id, WorkflowIR& wf) {
  // Least privilege: the two actions the states call, on this workflow's table only, and only
  // on the items they write (dynamodb:LeadingKeys is the partition key of the request).
  const Json table_arn = GetAtt(table_id, "Arn");
  wf.iam.push_back({{"dynamodb:PutItem"},
                    {table_arn},
                    {{"ForAllValues:StringLike",
                      {{"dynamodb:LeadingKeys",
                        Json::array({kLeaseKey, std::string(kTickKeyPrefix) + "*"})}}}}});
  wf.iam.back().reason =
      "The overlap states take the lease and record each tick with a conditional "
      "dynamodb:PutItem on the workflow's own table (only the lease and tick# items).";
  wf.iam.push_back(
      {{"dynamodb:DeleteItem"},
       {table_arn},
       {{"ForAllValues:StringEquals", {{"dynamodb:LeadingKeys", Json::array({kLeaseKey})}}}}});
  wf.iam.back().reason =
      "The overlap states release the lease they hold with a conditional dynamodb:DeleteItem "
      "(only the lease item).";
}

}  // namespace

void WrapWithOverlapLease(const WorkflowSpec& w, Substitutions& subs, WorkflowIR& wf) {
  if (w.overlap == Overlap::kAllow) return;
  const std::string table_id = OverlapTableId(wf.id_prefix);
  const std::string table = subs.Ref("OverlapTable", Json{{"Ref", table_id}});
  const int64_t lease_s = LeaseSeconds(w);
  Graph g;
  g.start_at = kStart;
  EntryStates(w, table, lease_s, g);
  AcquireStates(w, table, lease_s, g);
  RunAndReleaseStates(table, std::move(wf.graph), g);
  wf.graph = std::move(g);
  LeaseStatements(table_id, wf);
}

void OverlapResources(const Spec& spec, const WorkflowSpec& w, const std::string& id_prefix,
                      StackIR& stack) {
  if (w.overlap == Overlap::kAllow) return;
  Resource t = MakeResource(OverlapTableId(id_prefix), "AWS::DynamoDB::Table");
  t.properties["BillingMode"] = "PAY_PER_REQUEST";
  t.properties["AttributeDefinitions"] =
      Json::array({{{"AttributeName", "pk"}, {"AttributeType", "S"}}});
  t.properties["KeySchema"] = Json::array({{{"AttributeName", "pk"}, {"KeyType", "HASH"}}});
  t.properties["TimeToLiveSpecification"] = {{"AttributeName", "expiresAt"}, {"Enabled", true}};
  if (!spec.tags.empty()) t.properties["Tags"] = Tags(spec);
  // Only leases and tick records, all short-lived: nothing to keep when the stack goes.
  t.deletion_policy = t.update_replace_policy = "Delete";
  stack.resources.push_back(std::move(t));
}

}  // namespace orchc
