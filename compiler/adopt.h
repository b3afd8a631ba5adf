// Adopting a deployed stack's logical IDs (`orchc compile --adopt TEMPLATE`).
//
// CloudFormation identifies a stack's resources by logical ID: a template that gives an existing
// resource a new logical ID makes CloudFormation create a second resource and delete the first.
// Adoption runs on the lowered StackIR, before the back ends: each resource that corresponds to
// one of the deployed template's resources (same type and physical name, or the same role in the
// design: the rule's target, the state machine's role, a role's policies) takes that resource's
// logical ID, and every reference to it (Ref, Fn::GetAtt, Fn::Sub, DependsOn,
// DefinitionSubstitutions, outputs) follows. A match whose properties CloudFormation could only
// apply by replacing the resource (TypeRules in adopt_match.cc) is refused unless allowed.
//
// The mapping is kept in a sidecar file beside the spec (SidecarPath), which later compiles read
// without the deployed template; it also records the output's create-only property values, so a
// later spec change that would replace an adopted resource is refused the same way.
#pragma once

#include <map>
#include <string>

#include "diag.h"
#include "ir.h"

namespace orchc {

// `<spec directory>/<spec file name without .yaml/.yml>.adopt.json`.
std::string SidecarPath(const std::string& spec_path);

// What an adoption produced: a report for a person and the sidecar to write.
struct AdoptResult {
  std::string report;        // deterministic text, one line per fact (docs/deploy.md)
  std::string sidecar_text;  // the sidecar's JSON text ("" when nothing is to be written)
};

// Matches `stack` against the deployed template in `deployed` (JSON: a template, or the output
// of `aws cloudformation get-template`) and renames. Reports located errors into `sink` (which
// must know `deployed` for rendering) and returns false on a malformed template, a logical ID
// clash, or a replacement not allowed.
bool AdoptFromTemplate(const SourceFile& deployed, bool allow_replacement, StackIR& stack,
                       DiagSink& sink, AdoptResult* result);

// Applies a sidecar written by AdoptFromTemplate. Entries whose resource is no longer in the
// stack are reported as warnings and skipped.
bool AdoptFromSidecar(const SourceFile& sidecar, bool allow_replacement, StackIR& stack,
                      DiagSink& sink, AdoptResult* result);

// Renames resources' logical IDs (old -> new) and every reference to them in the stack.
void RenameLogicalIds(StackIR& stack, const std::map<std::string, std::string>& renames);

}  // namespace orchc
