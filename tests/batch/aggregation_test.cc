// What sample-batch writes: the summary equals an independent computation, day boundaries are
// the zone's midnights, empty days and vanished categories leave no rows, re-runs are idempotent.
#include "batch_fixture.h"

namespace batch_test {
namespace {

class AggregationTest : public BatchTest {};

TEST_F(AggregationTest, MatchesIndependentSqlOnRandomizedData) {
  const double seed = Seed();
  // Stale rows the run must remove: a day that is empty by now, and a category that vanished.
  InsertEvent("2024-03-04 12:00+09", "alpha", "1.00");
  InsertEvent("2024-03-02 12:00+09", "ghost", "2.00");
  ASSERT_EQ(Run({"--from", "2024-03-02", "--to", "2024-03-04"}).exit_code, 0);
  db().Query("DELETE FROM events");

  // Random data on 03-01..03-03 and 03-05..03-07 (03-04 stays empty), plus rows exactly on and
  // one microsecond before every JST midnight, and a category whose amounts are all NULL.
  InsertRandomEvents(seed, "2024-03-01 00:00+09", "3 days", 2000);
  InsertRandomEvents(-seed / 2, "2024-03-05 00:00+09", "3 days", 2000);
  for (const char* midnight : {"2024-03-01", "2024-03-02", "2024-03-03", "2024-03-05", "2024-03-06",
                               "2024-03-07", "2024-03-08"}) {
    std::string at = std::string(midnight) + " 00:00:00+09";
    InsertEvent(at, "boundary", "100.00");
    InsertEvent(at, "nulls", "");
    if (at.starts_with("2024-03-05")) continue;  // 03-04 stays empty
    db().Query(
        "INSERT INTO events (occurred_at, category, amount) "
        "VALUES ($1::timestamptz - interval '1 microsecond', 'boundary', 1.00)",
        {at});
  }

  JobRun run = Run({"--from", "2024-02-29", "--to", "2024-03-08"});
  ASSERT_EQ(run.exit_code, 0) << run.AllOutput();

  const std::string expected = Expected(kTokyo, "2024-02-29", "2024-03-08");
  EXPECT_EQ(Summary(kTokyo, "2024-02-29", "2024-03-08"), expected);
  EXPECT_EQ(expected.find("2024-03-04"), std::string::npos);
  EXPECT_EQ(expected.find("ghost"), std::string::npos);
  EXPECT_NE(expected.find("2024-02-29|boundary|1|1|1.00|1.00|1.00"), std::string::npos);
  EXPECT_NE(expected.find("2024-03-08|boundary|1|1|100.00|100.00|100.00"), std::string::npos);
  EXPECT_NE(expected.find("2024-03-02|boundary|2|2|101.00|1.00|100.00"), std::string::npos);
  EXPECT_NE(expected.find("2024-03-02|nulls|1|0|NULL|NULL|NULL"), std::string::npos);

  // One succeeded batch_runs row per day, rows_read equal to that day's events.
  EXPECT_EQ(run.Events("day_succeeded").size(), 9u);
  EXPECT_EQ(Render(db().Query("SELECT target_day, rows_read FROM batch_runs "
                              "WHERE status = 'succeeded' AND run_id = $1::uuid ORDER BY 1",
                              {run.RunId()})),
            Render(db().Query(
                "SELECT d::date, (SELECT count(*) FROM events WHERE (occurred_at AT TIME ZONE "
                "'Asia/Tokyo')::date = d::date) FROM generate_series('2024-02-29'::date, "
                "'2024-03-08', '1 day') d ORDER BY 1")));
}

TEST_F(AggregationTest, HandComputedDayAroundJstMidnight) {
  InsertEvent("2024-03-09 14:59:59.999999+00", "a", "1000.00");  // 03-09 23:59:59.999999 JST
  InsertEvent("2024-03-09 15:00:00+00", "a", "10.00");           // 03-10 00:00 JST
  InsertEvent("2024-03-10 14:59:59.999999+00", "a", "-2.50");    // 03-10 23:59:59.999999 JST
  InsertEvent("2024-03-10 15:00:00+00", "a", "7.00");            // 03-11 00:00 JST
  InsertEvent("2024-03-10 03:00:00+00", "b", "");
  InsertEvent("2024-03-10 04:00:00+00", "b", "5.25");

  JobRun run = Run({"--day", "2024-03-10"});
  ASSERT_EQ(run.exit_code, 0) << run.AllOutput();
  EXPECT_EQ(Summary(kTokyo, "2024-03-01", "2024-03-31"),
            "2024-03-10|a|2|2|7.50|-2.50|10.00\n"
            "2024-03-10|b|2|1|5.25|5.25|5.25\n");
  ASSERT_EQ(run.Events("day_succeeded").size(), 1u);
  EXPECT_NE(run.Events("day_succeeded")[0].find(
                R"("day":"2024-03-10","rows_read":4,"rows_written":2,"rows_deleted":0)"),
            std::string::npos)
      << run.AllOutput();
}

TEST_F(AggregationTest, FollowsDaylightSavingChangesInOtherZones) {
  const std::string zone = "America/New_York";  // 2024-03-10 has 23 hours, 2024-11-03 has 25
  const double seed = Seed();
  InsertRandomEvents(seed, "2024-03-09 00:00-05", "3 days", 1500);
  InsertRandomEvents(seed / 3, "2024-11-02 00:00-04", "3 days", 1500);
  for (const char* at : {"2024-03-10 00:00-05", "2024-03-11 00:00-04", "2024-11-03 00:00-04",
                         "2024-11-04 00:00-05"}) {
    InsertEvent(at, "boundary", "3.00");
  }
  JobRun spring = Run({"--tz", zone, "--from", "2024-03-09", "--to", "2024-03-11"});
  JobRun autumn = Run({"--tz", zone, "--from", "2024-11-02", "--to", "2024-11-04"});
  ASSERT_EQ(spring.exit_code, 0) << spring.AllOutput();
  ASSERT_EQ(autumn.exit_code, 0) << autumn.AllOutput();
  EXPECT_EQ(Summary(zone, "2024-03-09", "2024-03-11"), Expected(zone, "2024-03-09", "2024-03-11"));
  EXPECT_EQ(Summary(zone, "2024-11-02", "2024-11-04"), Expected(zone, "2024-11-02", "2024-11-04"));
  // The random events reach an hour into 03-12 (3 days from EST midnight end at 01:00 EDT),
  // a day that was not requested.
  EXPECT_EQ(Summary(zone, "2024-03-12", "2024-03-12"), "");
  EXPECT_NE(Expected(zone, "2024-03-12", "2024-03-12"), "");
  EXPECT_EQ(Summary(kTokyo, "2024-01-01", "2024-12-31"), "");  // zones never mix
}

TEST_F(AggregationTest, DefaultDayIsYesterdayInTokyo) {
  const std::string yesterday =
      db().Scalar("SELECT ((now() AT TIME ZONE 'Asia/Tokyo')::date - 1)::text");
  db().Query(
      "INSERT INTO events (occurred_at, category, amount) VALUES "
      "(($1::date + time '12:00') AT TIME ZONE 'Asia/Tokyo', 'y', 1), "
      "(($1::date + 1 + time '00:00:01') AT TIME ZONE 'Asia/Tokyo', 'today', 1)",
      {yesterday});
  JobRun run = Run({});
  ASSERT_EQ(run.exit_code, 0) << run.AllOutput();
  EXPECT_EQ(db().Scalar("SELECT string_agg(target_day::text, ',') FROM batch_runs"), yesterday);
  EXPECT_EQ(Summary(kTokyo, "2000-01-01", "2999-01-01"), yesterday + "|y|1|1|1.00|1.00|1.00\n");
}

TEST_F(AggregationTest, RerunLeavesTheSameSummaryAndAddsOneRunRecord) {
  InsertRandomEvents(Seed(), "2024-03-10 00:00+09", "1 day", 500);
  const std::string full =
      "SELECT time_zone, day, category, event_count, amount_count, amount_sum, amount_min, "
      "amount_max, run_id, updated_at FROM daily_category_summary ORDER BY 1, 2, 3";
  ASSERT_EQ(Run({"--day", "2024-03-10"}).exit_code, 0);
  const std::string first = Render(db().Query(full));
  JobRun again = Run({"--day", "2024-03-10"});
  ASSERT_EQ(again.exit_code, 0) << again.AllOutput();
  // Byte-identical rows, including which run wrote them: an unchanged row is not rewritten.
  EXPECT_EQ(Render(db().Query(full)), first);
  EXPECT_EQ(RunCount("succeeded"), 2);
  EXPECT_NE(again.Events("day_succeeded")[0].find(R"("rows_written":0,"rows_deleted":0)"),
            std::string::npos);

  // A category whose source rows vanish disappears from the summary on the next run.
  db().Query("DELETE FROM events WHERE category = 'gamma'");
  JobRun after = Run({"--day", "2024-03-10"});
  ASSERT_EQ(after.exit_code, 0) << after.AllOutput();
  EXPECT_NE(after.Events("day_succeeded")[0].find(R"("rows_written":0,"rows_deleted":1)"),
            std::string::npos)
      << after.AllOutput();
  EXPECT_EQ(Summary(kTokyo, "2024-03-10", "2024-03-10"),
            Expected(kTokyo, "2024-03-10", "2024-03-10"));
  EXPECT_EQ(RunCount("succeeded"), 3);
}

TEST_F(AggregationTest, DryRunReportsButWritesNothing) {
  InsertEvent("2024-03-10 12:00+09", "a", "4.00");
  InsertEvent("2024-03-10 13:00+09", "a", "6.00");
  JobRun run = Run({"--day", "2024-03-10", "--dry-run"});
  ASSERT_EQ(run.exit_code, 0) << run.AllOutput();
  ASSERT_EQ(run.Events("dry_run_row").size(), 1u) << run.AllOutput();
  EXPECT_NE(run.Events("dry_run_row")[0].find(
                R"("day":"2024-03-10","category":"a","event_count":"2","amount_count":"2",)"
                R"("amount_sum":"10.00","amount_min":"4.00","amount_max":"6.00")"),
            std::string::npos)
      << run.AllOutput();
  EXPECT_NE(run.Events("day_dry_run")[0].find(R"("rows_read":2,"rows_written":1)"),
            std::string::npos);
  EXPECT_EQ(Summary(kTokyo, "2024-03-10", "2024-03-10"), "");
  EXPECT_EQ(RunCount(), 0);
}

TEST_F(AggregationTest, InitSchemaIsIdempotentAndKeepsData) {
  InsertEvent("2024-03-10 12:00+09", "a", "4.00");
  ASSERT_EQ(Run({"--day", "2024-03-10"}).exit_code, 0);
  JobRun again = Run({"--init-schema"});
  ASSERT_EQ(again.exit_code, 0) << again.AllOutput();
  EXPECT_EQ(again.stderr_text, "");  // no "already exists" notices
  EXPECT_EQ(db().Scalar("SELECT count(*) FROM events"), "1");
  EXPECT_EQ(RunCount(), 1);
  EXPECT_EQ(Summary(kTokyo, "2024-03-10", "2024-03-10"), "2024-03-10|a|1|1|4.00|4.00|4.00\n");
}

TEST_F(AggregationTest, SqlErrorIsADataErrorRecordedAsFailedRun) {
  db().Query("DROP TABLE events");
  JobRun run = Run({"--day", "2024-03-10"});
  EXPECT_EQ(run.exit_code, 65) << run.AllOutput();
  ASSERT_EQ(run.Events("statement_failed").size(), 1u) << run.AllOutput();
  EXPECT_NE(run.Events("statement_failed")[0].find(R"("sqlstate":"42P01")"), std::string::npos);
  EXPECT_EQ(db().Scalar("SELECT status || ': ' || error FROM batch_runs"),
            "failed: relation \"events\" does not exist");
}

}  // namespace
}  // namespace batch_test
