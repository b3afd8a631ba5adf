#include "cross_spec.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include "spec.h"

namespace orchc {

namespace {

// A physical name of one resource, with what AWS calls it and how far it must be unique.
struct Named {
  std::string kind;  // e.g. "state machine name"; the scope is part of it where it matters
  std::string value;
  SourceLoc where;
};

// The property holding the physical name of each resource type orchc names, and the name's kind.
// IAM role names are unique in the account; the others in the account and region (and a
// schedule's within its group). Resources without a name property get names from
// CloudFormation (the overlap table, the dead-letter queue) and cannot collide.
struct NameProperty {
  std::string_view type, property, kind;
};
constexpr NameProperty kNameProperties[] = {
    {"AWS::StepFunctions::StateMachine", "StateMachineName", "state machine name"},
    {"AWS::IAM::Role", "RoleName", "IAM role name"},
    {"AWS::Events::Rule", "Name", "EventBridge rule name"},
    {"AWS::Scheduler::Schedule", "Name", "schedule name"},
    {"AWS::Scheduler::ScheduleGroup", "Name", "schedule group name"},
    {"AWS::Logs::LogGroup", "LogGroupName", "log group name"},
    {"AWS::CloudWatch::Alarm", "AlarmName", "alarm name"},
    {"AWS::DynamoDB::Table", "TableName", "DynamoDB table name"},
    {"AWS::SNS::Topic", "TopicName", "SNS topic name"},
    {"AWS::SQS::Queue", "QueueName", "SQS queue name"},
};

// The group a schedule is in: the Name of the group resource its GroupName refers to.
std::string ScheduleGroup(const StackIR& stack, const Resource& schedule) {
  auto group = schedule.properties.find("GroupName");
  if (group == schedule.properties.end()) return "default";
  if (group->is_string()) return group->get<std::string>();
  if (group->is_object() && group->contains("Ref")) {
    const std::string id = (*group)["Ref"].get<std::string>();
    for (const Resource& r : stack.resources) {
      if (r.logical_id == id && r.properties.contains("Name")) {
        return r.properties["Name"].get<std::string>();
      }
    }
  }
  return group->dump();
}

std::vector<Named> PhysicalNames(const StackIR& stack) {
  std::vector<Named> out;
  for (const Resource& r : stack.resources) {
    for (const NameProperty& p : kNameProperties) {
      if (r.type != p.type) continue;
      auto it = r.properties.find(std::string(p.property));
      if (it == r.properties.end() || !it->is_string()) break;
      std::string kind(p.kind);
      if (r.type == "AWS::Scheduler::Schedule") {
        kind += " in schedule group '" + ScheduleGroup(stack, r) + "'";
      }
      out.push_back({kind, it->get<std::string>(), r.name_loc});
      break;
    }
  }
  for (const Output& o : stack.outputs) {
    if (!o.export_name.empty()) out.push_back({"export name", o.export_name, o.where});
  }
  return out;
}

std::string Where(SourceLoc loc) {
  std::string s = loc.file ? *loc.file : "<unknown>";
  if (loc.line) s += ":" + std::to_string(loc.line) + ":" + std::to_string(loc.col);
  return s;
}

}  // namespace

bool CrossSpecNames::Claim(const Spec& spec, const StackIR& stack, DiagSink& sink) {
  // The stack name is written under stack.name, or derived from env.
  const SourceLoc stack_loc = spec.stack_name.written() ? spec.stack_name.loc : spec.env_loc;
  auto [it, fresh] = stacks_.emplace(stack.name, First{stack_loc, stack.name});
  if (!fresh) {
    sink.Error(stack_loc,
               "stack name '" + stack.name + "' is also the stack of " + Where(it->second.where) +
                   (!spec.stack_name.written() ? " (both derived from env)" : "") +
                   "; each spec deploys its own stack and writes its own template: give this "
                   "one another stack.name",
               spec.stack_name.written() ? spec.stack_name.length : 1);
    return false;
  }
  // One error per place in this spec and first claimant: a workflow written in two specs
  // takes all its names twice, and that is one mistake.
  struct Clash {
    SourceLoc where;
    const First* first;
    std::vector<std::string> names;  // "kind 'value'"
  };
  std::vector<Clash> clashes;
  for (Named& n : PhysicalNames(stack)) {
    auto [it_name, fresh_name] =
        names_.emplace(n.kind + "\n" + n.value, First{n.where, stack.name});
    if (fresh_name) continue;
    const First* first = &it_name->second;
    auto same = [&](const Clash& c) {
      return c.first->where.file == first->where.file && c.first->where.line == first->where.line &&
             c.first->where.col == first->where.col && c.where.file == n.where.file &&
             c.where.line == n.where.line && c.where.col == n.where.col;
    };
    auto c = std::find_if(clashes.begin(), clashes.end(), same);
    if (c == clashes.end()) c = clashes.insert(clashes.end(), Clash{n.where, first, {}});
    c->names.push_back(n.kind + " '" + n.value + "'");
  }
  for (const Clash& c : clashes) {
    const bool same_stack = c.first->stack == stack.name;
    std::string names;
    for (const std::string& n : c.names) names += (names.empty() ? "" : ", ") + n;
    sink.Error(c.where, names + (c.names.size() == 1 ? " is" : " are") + " also created by " +
                            Where(c.first->where) +
                            (same_stack ? "" : " (stack '" + c.first->stack + "')") + "; AWS " +
                            (c.names.size() == 1 ? "requires it" : "requires each") +
                            " to be unique, so the second deploy would fail: rename one of them");
  }
  return clashes.empty();
}

}  // namespace orchc
