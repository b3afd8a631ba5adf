#ifndef BATCH_JOB_SQL_TEXT_H_
#define BATCH_JOB_SQL_TEXT_H_

#include <string_view>

// The SQL files of batch-job/sql/, embedded at build time so the binary and the files never
// disagree (the benchmark runs the same files through psql).
namespace batch::sql {

extern const std::string_view kSchema;        // sql/schema.sql
extern const std::string_view kAggregateDay;  // sql/aggregate_day.sql: $1 day, $2 zone, $3 run

}  // namespace batch::sql

#endif  // BATCH_JOB_SQL_TEXT_H_
