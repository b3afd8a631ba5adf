// Warnings about when schedules fire (part of validate and compile; docs/cli.md):
//  - a schedule that never fires again (at() or endDate in the past, a cron year range in the
//    past);
//  - a Scheduler cron whose local time falls into a daylight-saving gap or overlap of its zone
//    within the 12 months after "now" (with the dates);
//  - a day-of-week field written with numbers as in Unix cron (AWS: 1 is Sunday);
//  - a Standard workflow with a schedule, no `timeout:` and a step that can hang (an ECS task
//    or a nested workflow step without `timeout:`): nothing bounds its executions but Step
//    Functions' one-year limit (schedule-without-timeout; docs/spec.md "Triggers").
// The firing warnings depend on "now", so the clock is explicit: ScheduleWarningClock() reads
// ORCHC_NOW (RFC 3339) when it is set, for reproducible runs, else the system clock. Warnings go to
// the diagnostics (standard error) only, never into the generated files.
#pragma once

#include <cstdint>
#include <string>

#include "diag.h"
#include "fire_times.h"

namespace orchc {

struct Spec;

// Seconds since the epoch: ORCHC_NOW when set and valid, else the system clock.
int64_t ScheduleWarningClock();

// The error to report when ORCHC_NOW is set but is not an RFC 3339 time (the command line
// refuses to run then, rather than silently using the system clock); empty otherwise.
std::string ClockSettingError();

// Why a schedule has no firing at or after `t` (times.Next(t, 1) is empty), as a phrase such as
// "its year field ends in 2025".
std::string WhyNeverFires(const FireSchedule& s, const FireTimes& times, int64_t t);

// Reports the warnings above: those about firing times for every enabled schedule whose
// expression and time zone are valid (others already have errors), and the timeout warning
// for every workflow.
void WarnSchedules(const Spec& spec, DiagSink& sink, int64_t now);

}  // namespace orchc
