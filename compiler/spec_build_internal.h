// The parts of desugaring (spec_build.h) its files share: the Builder, which reads a schema-valid
// tree into a Spec. Its methods live by what they read: the top level (the stack, imports, the
// list of workflows) in spec_build.cc, a workflow and the `orchestration:` block in
// spec_build_workflow.cc, a schedule in spec_build_schedule.cc, steps and their retry and catch
// in spec_build_steps.cc, and scalars (strings with ${...} expansion, durations, integers, tags)
// in spec_build_values.cc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "diag.h"
#include "integrations/integration.h"
#include "spec.h"
#include "yaml_tree.h"

namespace orchc::spec_build_detail {

// What ${env} and ${workflow} expand to where a string is read.
struct Vars {
  std::string env;
  std::string workflow;  // empty outside a workflow
};

// Whether a spec string has its ${env}/${workflow} expanded (names, subjects, descriptions) or
// is taken literally (commands, expressions, references to other names).
enum class Expansion { kExpand, kLiteral };

// What every workflow inherits from the top level of the spec: its env, logs: and tracing:.
struct Inherited {
  std::string env;
  LogsSpec logs;
  bool tracing = true;
};

// Reads one document. Every error is reported to the sink and remembered (failed_), and reading
// goes on so that one run reports them all; the Spec is only meaningful when Build returns true.
class Builder {
 public:
  Builder(const YamlDoc& doc, DiagSink& sink) : doc_(doc), sink_(sink) {}

  // Fills `spec` from the document (BuildSpec); false when an error was reported.
  bool Build(Spec& spec);

 private:
  class Reader;

  // The top level (spec_build.cc).
  void ReadStack(const YNode* stack, Spec& spec, const Vars& vars);
  void ReadImports(const YNode* imports, Spec& spec, const Vars& vars);
  void ReadWorkflows(const YNode* wfs, const Inherited& top, Spec& spec);

  // A workflow (spec_build_workflow.cc).
  WorkflowSpec Defaults(const std::string& name, SourceLoc loc, const Inherited& top,
                        const char* log_group_prefix);
  WorkflowSpec ReadOrchestration(const YNode::Entry& orch, const Inherited& top);
  WorkflowSpec ReadWorkflow(const YNode::Entry& e, const Inherited& top);
  void ReadNames(const YNode* names, WorkflowSpec& w, const Vars& wv);
  void ReadWorkflowSteps(const YNode::Entry& e, WorkflowSpec& w, const Vars& wv);
  void ReadOnFailure(const YNode* f, WorkflowSpec& w, const Vars& wv);
  void ReadTaskDefinition(const YNode* td, WorkflowSpec& w, const Vars& wv);
  void ReadAlarms(const YNode* al, AlarmsSpec& a, const Vars& wv);
  void ReadLogs(const YNode* n, LogsSpec& logs);
  static void ReadOverlap(const YNode* n, WorkflowSpec& w);
  static std::string DefaultDescription(const WorkflowSpec& w);

  // A schedule (spec_build_schedule.cc).
  ScheduleSpec ReadSchedule(const YNode* n, const WorkflowSpec& w, const Vars& wv);

  // Steps (spec_build_steps.cc).
  StepSpec SingleTaskStep(SourceLoc loc, const Vars& wv);
  RetrySpec DefaultTaskRetry(SourceLoc loc, const Vars& wv);
  std::vector<StepSpec> ReadSteps(const YNode* list, const Vars& wv);
  StepSpec ReadStep(const YNode* n, const Vars& wv);
  void ReadMap(const YNode* body, MapSpec& m, const Vars& wv);
  void ReadChoice(const YNode* body, ChoiceSpec& c, const Vars& wv);
  void ReadWait(const YNode* body, WaitSpec& w);
  void ReadCommon(const YNode* n, StepSpec& step, const Vars& wv);
  std::vector<RetrySpec> ReadRetries(const YNode* r, const Vars& wv);
  static ResultPath ReadResultPath(const YNode& n);
  RetrySpec ReadRetry(const YNode* r, const Vars& wv);

  // Scalars (spec_build_values.cc).
  int64_t Duration(const YNode* n);
  void ReadInt(const YNode* n, int64_t* out, SourceLoc* loc, SourceLoc fallback);
  LocatedString Str(const YNode* n, const std::string& def, const Vars& vars,
                    Expansion expansion = Expansion::kExpand);
  std::optional<LocatedString> OptStr(const YNode* n, const Vars& vars, Expansion expansion);
  std::string Expand(const std::string& text, const Vars& vars, SourceLoc loc, bool quoted);
  static TagList ReadTags(const YNode* n);

  const YamlDoc& doc_;
  DiagSink& sink_;
  SourceLoc file_loc_;  // the file itself: where defaults that no key stands for come from
  bool failed_ = false;
  std::unordered_set<const YNode*> expanded_;  // the scalars ${env}/${workflow} are replaced in
};

// How the service integrations read their strings (integrations/integration.h): through the
// Builder, with the ${env}/${workflow} of the step's workflow.
class Builder::Reader final : public SpecReader {
 public:
  Reader(Builder& b, const Vars& vars) : b_(b), vars_(vars) {}
  LocatedString Literal(const YNode* n, const std::string& def) override {
    return b_.Str(n, def, vars_, Expansion::kLiteral);
  }
  LocatedString Expanded(const YNode* n, const std::string& def) override {
    return b_.Str(n, def, vars_);
  }
  TagList Tags(const YNode* n) override { return ReadTags(n); }

 private:
  Builder& b_;
  const Vars& vars_;
};

}  // namespace orchc::spec_build_detail
