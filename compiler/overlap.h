// Overlap control (`overlap: skip | queue` of a workflow): a lease in a DynamoDB table, taken
// with a conditional PutItem before the workflow's own states run and released (a DeleteItem
// conditional on owning it) on every ending path, so that two executions of one workflow never
// run its states at the same time; and a record per tick, so that a tick delivered twice runs
// once. docs/spec.md ("Overlapping runs") explains the states, the items and the trade-offs.
//
// Invariants of the lowered definition:
//  - the workflow's own graph runs, unchanged, as the one branch of the Parallel state
//    kOverlapRunState, with the execution's input as its input; nothing it does can reach the
//    overlap states, and its output is the execution's output on success;
//  - only an execution that holds the lease (its execution ID in heldBy) enters that branch;
//  - the lease's expiresAt is at least the workflow's timeout after the lease was taken (the
//    default lease lifetime when the workflow has none), so an execution that ends without
//    releasing it (timed out, aborted) blocks later ones at most that long.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ir.h"
#include "spec.h"

namespace orchc {

class Substitutions;

// The lease lifetime of a workflow without a timeout (seconds): a day, the period of a daily job.
inline constexpr int64_t kDefaultLeaseSeconds = 86400;
// How long a tick's record is kept (seconds): longer than EventBridge and EventBridge Scheduler
// keep retrying one delivery (24 hours at most), so a late duplicate still finds it.
inline constexpr int64_t kTickRecordSeconds = 2 * 86400;

// The names of the states WrapWithOverlapLease adds (reserved: no step may take them).
const std::vector<std::string>& OverlapStateNames();
inline constexpr const char* kOverlapRunState = "OverlapRun";

// The lease lifetime of `w`: its timeout, or kDefaultLeaseSeconds.
int64_t LeaseSeconds(const WorkflowSpec& w);
// The Wait between two attempts to take the lease when `overlap: queue`.
int64_t QueueWaitSeconds(const WorkflowSpec& w);

// The logical ID of the workflow's lease table.
std::string OverlapTableId(const std::string& id_prefix);

// Wraps wf.graph (complete: notification states included) into the lease states and adds the
// IAM statements they need. Does nothing when w.overlap is allow.
void WrapWithOverlapLease(const WorkflowSpec& w, Substitutions& subs, WorkflowIR& wf);

// Appends the workflow's lease table to `stack` when w.overlap is not allow.
void OverlapResources(const Spec& spec, const WorkflowSpec& w, const std::string& id_prefix,
                      StackIR& stack);

}  // namespace orchc
