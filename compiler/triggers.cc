// Trigger engines: an EventBridge rule or an EventBridge Scheduler schedule per entry of a
// workflow's schedules, the role each engine assumes to start the state machine, and the
// dead-letter queue a schedule may create.
#include "triggers.h"

#include <algorithm>
#include <string_view>

#include "iam_statements.h"
#include "integrations.h"
#include "lower_util.h"

namespace orchc {

namespace {

// JSON text for an input template: '<' and '>' written as \u003c/\u003e so that no spec text
// can form an <input path> or <aws.scheduler.*> placeholder.
std::string TemplateJson(const Json& j) {
  std::string text = j.dump(-1, ' ', false, Json::error_handler_t::strict);
  std::string out;
  for (char c : text) {
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else {
      out += c;
    }
  }
  return out;
}

// The user's input keys as ,"k":v pairs to append inside the execution input object.
std::string ExtraInput(const ScheduleSpec& s) {
  if (!s.input || s.input->entries.empty()) return "";
  std::string obj = TemplateJson(ValueJson(s.input, nullptr));
  return "," + obj.substr(1, obj.size() - 2);
}

}  // namespace

bool HasEngine(const WorkflowSpec& w, TriggerEngine engine) {
  for (const ScheduleSpec& s : w.schedules) {
    if (s.engine == engine) return true;
  }
  return false;
}

std::string RuleInputTemplate(const ScheduleSpec& s) {
  return "{\"triggerSource\":\"EventBridge\",\"timestamp\":<time>" + ExtraInput(s) + "}";
}

std::optional<SizeUse> ExpressExecutionInput(const WorkflowSpec& w) {
  if (!w.express) return std::nullopt;
  uint64_t largest = 0;
  for (const ScheduleSpec& s : w.schedules) {
    Json input = {{"triggerSource",
                   s.engine == TriggerEngine::kScheduler ? "EventBridgeScheduler" : "EventBridge"},
                  {"timestamp", "2000-01-01T00:00:00Z"}};
    if (s.input && s.input->IsMap()) {
      const Json extra = ValueJson(s.input, nullptr);  // outlives the loop over its items
      for (const auto& [k, v] : extra.items()) input[k] = v;
    }
    const uint64_t size = input.dump(-1, ' ', false, Json::error_handler_t::replace).size();
    largest = std::max(largest, size);
  }
  return SizeUse{largest, w.type_loc.line ? w.type_loc : w.loc};
}

namespace {

constexpr const char* kScheduleGroupType = "AWS::Scheduler::ScheduleGroup";

// Why each engine's role trusts its service (`orchc explain`; docs/cli.md cites AWS's pages).
constexpr const char* kRuleTrustReason =
    "EventBridge assumes this role (the rule target's RoleArn) to start the state machine.";
constexpr const char* kSchedulerTrustReason =
    "EventBridge Scheduler assumes this role to start the state machine; the aws:SourceAccount "
    "condition lets only this account's schedules do so (AWS's cross-service confused-deputy "
    "prevention).";

class TriggerBuilder {
 public:
  explicit TriggerBuilder(TriggerContext& ctx)
      : spec_(ctx.spec),
        w_(ctx.w),
        p_(ctx.prefix),
        subs_(ctx.subs),
        stack_(ctx.stack),
        groups_(ctx.groups) {}

  void Run() { Triggers(); }

 private:
  std::string sm_id() const { return p_ + "StateMachine"; }
  // How `orchc explain` names a schedule, and where it is written.
  std::string What(const ScheduleSpec& s) const {
    return "workflow '" + w_.name + "', schedule '" + s.name.value + "'";
  }
  SourceLoc Where(const ScheduleSpec& s) const { return s.loc.line ? s.loc : w_.loc; }
  // Where a physical name is written, or the workflow's key when it is derived.
  SourceLoc NameLoc(const LocatedString& s) const { return s.loc.line ? s.loc : w_.loc; }

  void Tag(Resource& r) {
    if (!spec_.tags.empty()) r.properties["Tags"] = Tags(spec_);
  }

  // The dead-letter queue of a schedule: created once per workflow, or imported.
  Json DeadLetterArn(const ScheduleSpec& s) {
    if (s.dead_letter_queue->value == "create") {
      if (!created_dlq_) {
        Resource q = MakeResource(p_ + "DeadLetterQueue", "AWS::SQS::Queue");
        q.properties["MessageRetentionPeriod"] = 1209600;  // 14 days, SQS's maximum
        q.properties["SqsManagedSseEnabled"] = true;
        Tag(q);
        stack_.resources.push_back(std::move(q));
        created_dlq_ = true;
      }
      return GetAtt(p_ + "DeadLetterQueue", "Arn");
    }
    return subs_.Import(s.dead_letter_queue->value);
  }

  static Json RetryPolicy(const ScheduleSpec& s) {
    Json r = Json::object();
    if (s.max_event_age_s) r["MaximumEventAgeInSeconds"] = s.max_event_age_s->value;
    if (s.retry_attempts) r["MaximumRetryAttempts"] = s.retry_attempts->value;
    return r;
  }

  void Triggers() {
    std::vector<Json> rule_dlq_rules;  // rules that send to the created queue
    std::vector<Json> scheduler_dlqs;
    if (HasEngine(w_, TriggerEngine::kRule))
      TriggerRole(p_ + "ScheduleRole", w_.rule_role_name, "events.amazonaws.com",
                  SourceCondition(TriggerEngine::kRule), {});
    size_t rule_count = 0, schedule_count = 0;
    std::vector<Resource> triggers;
    for (const ScheduleSpec& s : w_.schedules) {
      size_t n = s.engine == TriggerEngine::kScheduler ? ++schedule_count : ++rule_count;
      std::string suffix = n == 1 ? "" : std::to_string(n);
      if (s.engine == TriggerEngine::kScheduler) {
        triggers.push_back(SchedulerSchedule(s, p_ + "Schedule" + suffix));
        if (s.dead_letter_queue) scheduler_dlqs.push_back(DeadLetterArn(s));
      } else {
        std::string id = p_ + "ScheduleRule" + suffix;
        triggers.push_back(Rule(s, id));
        if (s.dead_letter_queue && s.dead_letter_queue->value == "create") {
          rule_dlq_rules.push_back(GetAtt(id, "Arn"));
        }
      }
    }
    if (HasEngine(w_, TriggerEngine::kScheduler)) {
      std::vector<IamStatement> extra;
      if (!scheduler_dlqs.empty()) {
        extra.push_back({{"sqs:SendMessage"}, scheduler_dlqs, nullptr});
        extra.back().reason =
            "EventBridge Scheduler sends the events it could not deliver to the schedule's "
            "dead-letter queue with sqs:SendMessage, as the schedule's role.";
        for (const ScheduleSpec& s : w_.schedules) {
          if (s.engine == TriggerEngine::kScheduler && s.dead_letter_queue) {
            extra.back().because.push_back({What(s) + " (deadLetterQueue)", Where(s)});
          }
        }
      }
      TriggerRole(p_ + "SchedulerRole", w_.scheduler_role_name, "scheduler.amazonaws.com",
                  SourceCondition(TriggerEngine::kScheduler), extra);
    }
    for (Resource& r : triggers) stack_.resources.push_back(std::move(r));
    if (!rule_dlq_rules.empty()) {
      // EventBridge sends to the queue on the rules' behalf: the queue must allow it.
      Resource policy = MakeResource(p_ + "DeadLetterQueuePolicy", "AWS::SQS::QueuePolicy");
      policy.properties["Queues"] = Json::array({{{"Ref", p_ + "DeadLetterQueue"}}});
      policy.properties["PolicyDocument"] = {
          {"Version", "2012-10-17"},
          {"Statement",
           Json::array(
               {{{"Effect", "Allow"},
                 {"Principal", {{"Service", "events.amazonaws.com"}}},
                 {"Action", "sqs:SendMessage"},
                 {"Resource", GetAtt(p_ + "DeadLetterQueue", "Arn")},
                 {"Condition",
                  {{"ArnEquals",
                    {{"aws:SourceArn", rule_dlq_rules.size() == 1 ? rule_dlq_rules[0]
                                                                  : Json(rule_dlq_rules)}}}}}}})}};
      stack_.resources.push_back(std::move(policy));
    }
  }

  // The confused-deputy condition of an engine's trust policy: this account, and the ARNs
  // the engine acts from (AWS: "Cross-service confused deputy prevention" of EventBridge and of
  // EventBridge Scheduler). EventBridge assumes the role for a rule's target as the rule: the
  // rule ARNs (default event bus: rule/<name>). Scheduler assumes it as the schedule group:
  // the group ARNs (schedule-group/<group>, "default" without one), never a schedule's. The
  // ARNs are built from the names rather than Fn::GetAtt, since each rule's target names the
  // role (no dependency cycle); names hold no "${" (CheckSpec's name checks).
  Json SourceCondition(TriggerEngine engine) const {
    const bool rule = engine == TriggerEngine::kRule;
    std::vector<std::string> names;
    for (const ScheduleSpec& s : w_.schedules) {
      if (s.engine != engine) continue;
      std::string name = rule ? s.name.value : s.group ? s.group->value : "default";
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
    Json arns = Json::array();
    for (const std::string& name : names) {
      arns.push_back(
          {{"Fn::Sub", std::string("arn:${AWS::Partition}:") + (rule ? "events" : "scheduler") +
                           ":${AWS::Region}:${AWS::AccountId}:" +
                           (rule ? "rule/" : "schedule-group/") + name}});
    }
    return {{"StringEquals",
             {{"aws:SourceAccount", {{"Ref", "AWS::AccountId"}}},
              {"aws:SourceArn", arns.size() == 1 ? arns[0] : arns}}}};
  }

  void TriggerRole(const std::string& id, const LocatedString& name, const char* service,
                   Json condition, std::vector<IamStatement> extra) {
    Resource rr = MakeResource(id, "AWS::IAM::Role");
    rr.properties["RoleName"] = name.value;
    rr.name_loc = NameLoc(name);
    const bool scheduler = std::string_view(service) == "scheduler.amazonaws.com";
    rr.trust = {TrustStatement(service, condition)};
    rr.trust[0].reason = scheduler ? kSchedulerTrustReason : kRuleTrustReason;
    rr.properties["AssumeRolePolicyDocument"] = PolicyDocument(rr.trust);
    std::vector<IamStatement> statements = {
        {{"states:StartExecution"}, {Json{{"Ref", sm_id()}}}, nullptr}};
    statements[0].reason =
        std::string(scheduler ? "EventBridge Scheduler" : "EventBridge") +
        " starts the workflow by calling states:StartExecution on the state machine as this role.";
    for (const ScheduleSpec& s : w_.schedules) {
      if ((s.engine == TriggerEngine::kScheduler) != scheduler) continue;
      rr.trust[0].because.push_back({What(s), Where(s)});
      statements[0].because.push_back({What(s), Where(s)});
    }
    for (IamStatement& st : extra) statements.push_back(std::move(st));
    rr.policy = statements;
    rr.properties["Policies"] = Json::array(
        {{{"PolicyName", "StartExecutionPolicy"}, {"PolicyDocument", PolicyDocument(statements)}}});
    Tag(rr);
    stack_.resources.push_back(std::move(rr));
  }

  Resource Rule(const ScheduleSpec& s, const std::string& id) {
    Resource rule = MakeResource(id, "AWS::Events::Rule");
    rule.properties["Name"] = s.name.value;
    rule.name_loc = s.name.loc.line ? s.name.loc : Where(s);
    rule.properties["Description"] = w_.description.value;
    rule.properties["ScheduleExpression"] = s.expression.value;
    rule.properties["State"] = s.enabled ? "ENABLED" : "DISABLED";
    Json target = {
        {"Id", "StateMachine"},
        {"Arn", {{"Ref", sm_id()}}},
        {"RoleArn", GetAtt(p_ + "ScheduleRole", "Arn")},
        {"InputTransformer",
         {{"InputPathsMap", {{"time", "$.time"}}}, {"InputTemplate", RuleInputTemplate(s)}}}};
    Json retry = RetryPolicy(s);
    if (!retry.empty()) target["RetryPolicy"] = std::move(retry);
    if (s.dead_letter_queue) target["DeadLetterConfig"] = {{"Arn", DeadLetterArn(s)}};
    rule.properties["Targets"] = Json::array({std::move(target)});
    return rule;
  }

  Resource SchedulerSchedule(const ScheduleSpec& s, const std::string& id) {
    Resource sch = MakeResource(id, "AWS::Scheduler::Schedule");
    sch.properties["Name"] = s.name.value;
    sch.name_loc = s.name.loc.line ? s.name.loc : Where(s);
    if (s.group) sch.properties["GroupName"] = {{"Ref", Group(*s.group)}};
    sch.properties["Description"] = w_.description.value;
    sch.properties["ScheduleExpression"] = s.expression.value;
    if (s.timezone) sch.properties["ScheduleExpressionTimezone"] = s.timezone->value;
    if (s.flexible_window_s) {
      sch.properties["FlexibleTimeWindow"] = {{"Mode", "FLEXIBLE"},
                                              {"MaximumWindowInMinutes", s.flexible_window_s / 60}};
    } else {
      sch.properties["FlexibleTimeWindow"] = {{"Mode", "OFF"}};
    }
    if (s.start_date) sch.properties["StartDate"] = s.start_date->value;
    if (s.end_date) sch.properties["EndDate"] = s.end_date->value;
    sch.properties["State"] = s.enabled ? "ENABLED" : "DISABLED";
    Json target = {{"Arn", {{"Ref", sm_id()}}},
                   {"RoleArn", GetAtt(p_ + "SchedulerRole", "Arn")},
                   {"Input",
                    "{\"triggerSource\":\"EventBridgeScheduler\",\"timestamp\":\"<aws.scheduler."
                    "scheduled-time>\"" +
                        ExtraInput(s) + "}"}};
    Json retry = RetryPolicy(s);
    if (!retry.empty()) target["RetryPolicy"] = std::move(retry);
    if (s.dead_letter_queue) target["DeadLetterConfig"] = {{"Arn", DeadLetterArn(s)}};
    sch.properties["Target"] = std::move(target);
    return sch;
  }

  // One AWS::Scheduler::ScheduleGroup per group name in the stack.
  std::string Group(const LocatedString& name) {
    std::string id = "ScheduleGroup" + PascalCase(name.value);
    if (!groups_.insert(id).second) return id;
    Resource g = MakeResource(id, kScheduleGroupType);
    g.properties["Name"] = name.value;
    g.name_loc = name.loc;
    stack_.resources.push_back(std::move(g));
    return id;
  }

  const Spec& spec_;
  const WorkflowSpec& w_;
  const std::string& p_;
  const Substitutions& subs_;
  StackIR& stack_;
  std::unordered_set<std::string>& groups_;
  bool created_dlq_ = false;
};

}  // namespace

void LowerTriggers(TriggerContext& ctx) { TriggerBuilder(ctx).Run(); }

}  // namespace orchc
