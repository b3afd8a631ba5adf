#ifndef BATCH_JOB_DAY_H_
#define BATCH_JOB_DAY_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace batch {

// A calendar date with no time zone; which instants it covers is decided by the server from the
// job's time zone (see sql/aggregate_day.sql).
using Day = std::chrono::sys_days;

// Parses exactly YYYY-MM-DD naming a real date of the years 0001-9999 (2024-02-30 and
// 0000-01-01 are rejected).
std::optional<Day> ParseDay(std::string_view text);
std::string FormatDay(Day day);

// Every day from `from` to `to`, both included; empty when from > to.
std::vector<Day> DaysBetween(Day from, Day to);

}  // namespace batch

#endif  // BATCH_JOB_DAY_H_
