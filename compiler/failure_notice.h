// The failure notification of a workflow (docs/spec.md, "Failure notification"): the states that
// record which top-level step failed, read the ECS stopped task out of the error's Cause when it
// is one, and publish a message a person can act on to the workflow's onFailure topic.
#pragma once

#include <set>
#include <string>

#include "integrations.h"
#include "ir.h"
#include "spec.h"

namespace orchc {

// The fixed names of the states the notification adds (besides NotifyFailure and Failed); user
// steps may not use them. The per-step states are named FailedStep<N>, made unique against
// `user_names` by AddFailureNotice.
inline constexpr const char* kFailureNoticeStates[] = {"FailureCause",
                                                       "ReadFailureCause",
                                                       "FailureTask",
                                                       "DescribeFailedTask",
                                                       "SummarizeFailedTask",
                                                       "FailureLogs",
                                                       "SummarizeFailedTaskLogs",
                                                       "NotifyFailureBrief"};

// Adds the notification to `wf.graph`: every top-level catcher going to NotifyFailure is sent
// through a Pass state naming its step, then the cause is inspected, NotifyFailure publishes the
// message and (with end_failed) Failed fails the execution with the caught error. When SNS
// refuses the message (e.g. over its 256 KB limit), NotifyFailureBrief publishes it without the
// cause and task details. Call only when a state of the graph goes to NotifyFailure.
void AddFailureNotice(const Spec& spec, const WorkflowSpec& w, Substitutions& subs, WorkflowIR& wf,
                      const std::set<std::string>& user_names);

// The CloudWatch console's encoding of a log group or stream name in a logsV2 URL fragment: every
// byte outside [A-Za-z0-9-_.~] becomes "$25" and two hex digits (the URL-encoded "%XX", encoded
// once more with '$' for '%'). The result has no '{', '}', '\'' or '\\'.
std::string ConsoleLogsPart(const std::string& name);

}  // namespace orchc
