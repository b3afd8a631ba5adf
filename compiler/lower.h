// Lowering: the stage between CheckSpec (checks.h) and the back ends (backend.h).
#pragma once

namespace orchc {

class DiagSink;
struct Spec;
struct StackIR;

// Lowers a checked spec to the IR (ir.h): the stack's resources with stable logical IDs and
// each workflow's graph of states. Reports (rare) errors found only here, such as logical ID
// clashes; returns false on any.
bool Lower(const Spec& spec, StackIR& out, DiagSink& sink);

// The names lowering gives the states it adds to a workflow; the step checks reserve them.
inline constexpr const char* kSuccessState = "Success";       // after a task: workflow's task
inline constexpr const char* kNotifyState = "NotifyFailure";  // the failure notification
inline constexpr const char* kFailedState = "Failed";         // fails after the notification

}  // namespace orchc
