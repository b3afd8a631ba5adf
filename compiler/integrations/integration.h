// Service integrations as complete units. A service integration is a kind of step that calls an
// AWS service from a Task state (ECS RunTask, SNS Publish, Step Functions StartExecution); its
// unit, one file under integrations/, is everything orchc knows about it: it reads its part of a
// step, checks it, lowers it to its ASL Task state plus the IAM statements the state machine's
// role needs, and checks the size limits of what it sends. A unit may also add statements every
// workflow needs (the logging and tracing permissions). The units are the rows of Integrations()
// (registry.cc), as flatc registers its code generators; the passes call them through
// IntegrationFor and never name one.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "check_util.h"
#include "spec.h"
#include "step_kinds.h"
#include "yaml_tree.h"

// No IR and no JSON here: the reader and the checks include this header and compile without
// nlohmann/json (docs/architecture.md, "Heavy headers"); the units include unit_util.h.
namespace orchc {

struct State;
struct WorkflowIR;
struct OutputLimits;
class Substitutions;

// How a unit reads the spec's strings (Builder::Reader, spec_build_internal.h): located, defaulted.
class SpecReader {
 public:
  virtual ~SpecReader() = default;
  // `n`'s text taken literally (names, commands, references), or `def` when `n` is null.
  virtual LocatedString Literal(const YNode* n, const std::string& def = "") = 0;
  // `n`'s text with ${env} and ${workflow} expanded (subjects, descriptions).
  virtual LocatedString Expanded(const YNode* n, const std::string& def = "") = 0;
  // A mapping of strings (environment, tags), sorted by key.
  virtual TagList Tags(const YNode* n) = 0;
};

// What a unit's checks see: the whole spec (other workflows, imports) and the step's workflow.
struct CheckContext {
  const Spec& spec;
  const WorkflowSpec& workflow;
  DiagSink& sink;
  check::ImportNames& imports;
};

// What a unit's lowering writes to: the workflow's placeholders and its IAM statements (wf.iam,
// merged after the whole workflow is lowered).
struct LowerContext {
  const Spec& spec;
  const WorkflowSpec& workflow;
  Substitutions& subs;
  WorkflowIR& wf;
};

struct LimitUse;
struct SizeUse;

// What a unit's limit checks report to: errors to `sink`, and every measured use to `budget`
// when it is set (orchc explain's limits budget, output_limits.h).
struct LimitContext {
  const WorkflowIR& workflow;
  DiagSink& sink;
  const OutputLimits& limits;
  std::vector<LimitUse>* budget = nullptr;
};

// Returned by Integration::step_kind for a unit that is no step kind.
inline constexpr size_t kNoStepKind = static_cast<size_t>(-1);

// One service integration. The StepSpec passed to a unit's step methods holds the unit's own
// alternative of StepBody (std::get of it cannot fail there).
class Integration {
 public:
  virtual ~Integration() = default;
  // Its name in messages and docs, e.g. "ecs:runTask.sync".
  virtual const char* name() const = 0;
  // The step kind it implements (an index of StepBody and kStepKinds), or kNoStepKind.
  virtual size_t step_kind() const = 0;
  // Fills the step's body from `body`, the node under the kind's key (schema-valid already).
  virtual void Read(const YNode* body, StepSpec& step, SpecReader& reader) const;
  // Reports what AWS would reject that the spec alone shows.
  virtual void Check(const StepSpec& step, CheckContext& ctx) const;
  // Fills the Task state (Resource, Parameters) and appends the IAM statements it needs; a unit
  // whose service limits what the step sends appends its measure to ctx.wf.step_sizes (with
  // itself as the SizeUse's unit), for CheckLimits.
  virtual void Lower(const StepSpec& step, LowerContext& ctx, State& state) const;
  // Appends the statements every workflow needs, whatever its steps.
  virtual void WorkflowStatements(const WorkflowSpec& w, WorkflowIR& wf) const;
  // After the back ends: reports a size its Lower measured (one of WorkflowIR::step_sizes) to
  // ctx.budget, and as an error when it exceeds the service's limit.
  virtual void CheckLimits(const SizeUse& size, LimitContext& ctx) const;
};

// Every unit, in registration order (the order WorkflowStatements run in).
const std::vector<const Integration*>& Integrations();

// The unit of a service step kind (B derives from ServiceStep). Every such kind has one: a unit
// test checks it.
const Integration& IntegrationForKind(size_t kind);
template <ServiceBody B>
const Integration& IntegrationFor() {
  return IntegrationForKind(KindIndex<B>());
}

}  // namespace orchc
