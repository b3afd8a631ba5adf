// The error names an ECS task step raises, beyond the ones Step Functions raises itself
// (docs/spec.md, "Task outcomes"). A workflow's retry/catch rules match these by name; the
// compile-time check of `on:` names accepts them; the failure notification reports them.
#pragma once

#include <string>

namespace orchc {

// A non-zero exit code that `exitCodes.names` does not name: "Task.ExitCode.<N>".
inline std::string ExitCodeErrorName(long long code) {
  return "Task.ExitCode." + std::to_string(code);
}
inline constexpr char kExitCodeErrorPrefix[] = "Task.ExitCode.";

// The task never ran the container: RunTask refused or failed (ECS.* / AmazonECS.Unknown
// errors), no capacity, the image could not be pulled (StopCode TaskFailedToStart, no ExitCode).
inline constexpr char kTaskLaunchFailed[] = "Task.LaunchFailed";
// Fargate Spot reclaimed the task (StopCode SpotInterruption).
inline constexpr char kTaskSpotInterrupted[] = "Task.SpotInterrupted";
// The essential container was killed for exceeding its memory (OutOfMemoryError in its Reason).
inline constexpr char kTaskOutOfMemory[] = "Task.OutOfMemory";
// The task stopped with no exit code for another reason (stopped by a user or by ECS).
inline constexpr char kTaskStopped[] = "Task.Stopped";

// Every fixed name above, for lists in messages and the `on:` check.
inline constexpr const char* kTaskErrorNames[] = {kTaskLaunchFailed, kTaskSpotInterrupted,
                                                  kTaskOutOfMemory, kTaskStopped};

}  // namespace orchc
