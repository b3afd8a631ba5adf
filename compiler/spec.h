// The spec after desugaring: every default filled in, every value located.
//
// Invariants after BuildSpec succeeds: the `orchestration:` block has become an ordinary entry
// of `workflows` (from_orchestration = true); every ${env}/${workflow} is expanded; every
// duration is in seconds; workflows are sorted by name. Values are not yet semantically checked
// (cron grammar, AWS limits): that is CheckSpec's job.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "diag.h"
#include "yaml_tree.h"

namespace orchc {

struct LocatedString {
  std::string value;
  SourceLoc loc;         // where it was written, or where its default comes from
  uint32_t length = 1;   // caret length
  bool quoted = false;   // written quoted (offsets into the text shift by one)
  bool defaulted = true; // not written in the spec
};

struct RetrySpec {
  SourceLoc loc;
  std::vector<LocatedString> errors;
  int64_t interval_s = 30;
  int64_t max_attempts = 3;
  double backoff_rate = 2.0;
  std::optional<int64_t> max_delay_s;
  std::string jitter;  // "", "FULL" or "NONE"
  SourceLoc interval_loc, max_attempts_loc, backoff_loc, max_delay_loc;
};

struct LogsSpec {
  int64_t retention_days = 30;
  SourceLoc retention_loc;
  bool retain = true;
  std::string level = "ALL";
  bool include_execution_data = true;
};

struct WorkflowSpec {
  std::string name;
  SourceLoc loc;  // the workflow's key (or the orchestration: key)
  bool from_orchestration = false;
  LocatedString description;

  bool has_schedule = false;
  LocatedString schedule;  // the expression
  bool schedule_enabled = true;

  LocatedString container;
  std::vector<LocatedString> command;
  SourceLoc command_loc;
  std::vector<RetrySpec> retry;
  std::optional<int64_t> timeout_s;
  SourceLoc timeout_loc;
  std::string platform_version = "LATEST";
  bool assign_public_ip = false;

  bool catch_failure = true;
  LocatedString notify;   // import name of the topic
  LocatedString subject;
  bool end_failed = true;

  LocatedString state_machine_name, rule_name, state_machine_role_name, rule_role_name,
      log_group_name;
  LogsSpec logs;
  bool tracing = true;
};

struct ImportSpec {
  std::string export_name;
  SourceLoc loc;
  bool defaulted = true;
};

struct Spec {
  const SourceFile* source = nullptr;
  std::string env;
  SourceLoc env_loc;
  LocatedString stack_name;
  LocatedString description;
  std::vector<std::pair<LocatedString, LocatedString>> tags;  // sorted by key
  std::map<std::string, ImportSpec> imports;
  std::vector<WorkflowSpec> workflows;
};

// Builds the desugared spec from a schema-valid document. Reports located errors (unknown
// ${...} variables, bad durations, a workflow defined twice) and returns false on any.
bool BuildSpec(const YamlDoc& doc, Spec& spec, DiagSink& sink);

// The semantic checks: schedule grammar, AWS names and limits, retention, retry sanity,
// import references, uniqueness of names. Returns false when any error was reported.
bool CheckSpec(const Spec& spec, DiagSink& sink);

// The standard imports and their default export names (before ${env} expansion).
const std::vector<std::pair<std::string, std::string>>& StandardImports();

}  // namespace orchc
