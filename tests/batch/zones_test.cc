// Calendar days in every kind of zone, one name per zone, and rows that do not fit the summary's
// key.
#include <nlohmann/json.hpp>

#include "batch_fixture.h"

namespace batch_test {
namespace {

class ZonesTest : public BatchTest {
 protected:
  // One event every 10 minutes over [from, to) (timestamptz literals), categories a/b/c.
  void InsertEvery10Minutes(const std::string& from, const std::string& to) {
    db().Query(
        "INSERT INTO events (occurred_at, category, amount) "
        "SELECT t, (ARRAY['a','b','c'])[1 + (row_number() OVER (ORDER BY t))::int % 3], 1 "
        "FROM generate_series($1::timestamptz, $2::timestamptz - interval '1 second', "
        "                     interval '10 minutes') AS t",
        {from, to});
  }

  // Aggregates [first, last] in `zone`: the summary must equal the events grouped by their local
  // date, and `day` must hold exactly `hours` hours of events.
  void ExpectCalendarDays(const std::string& zone, const std::string& first,
                          const std::string& last, const std::string& day, double hours) {
    SCOPED_TRACE(zone + " " + day);
    JobRun run = Run({"--from", first, "--to", last, "--tz", zone});
    ASSERT_EQ(run.exit_code, 0) << run.AllOutput();
    EXPECT_EQ(Summary(zone, first, last), Expected(zone, first, last));
    EXPECT_EQ(db().Scalar("SELECT sum(event_count) FROM daily_category_summary "
                          "WHERE time_zone = $1 AND day = $2::date",
                          {zone, day}),
              std::to_string(static_cast<int>(hours * 6)));
  }
};

TEST_F(ZonesTest, FallBackAcrossMidnightStartsTheDayAtTheFirstMidnight) {
  // America/Havana 2024-11-03: 01:00 CDT -> 00:00 CST, so 00:00-00:59 happens twice.
  InsertEvery10Minutes("2024-11-01 12:00Z", "2024-11-06 00:00Z");
  ExpectCalendarDays("America/Havana", "2024-11-02", "2024-11-04", "2024-11-03", 25);
  ExpectCalendarDays("America/Havana", "2024-11-02", "2024-11-04", "2024-11-02", 24);
}

TEST_F(ZonesTest, AMidnightThatDoesNotExistStartsTheDayAtTheJump) {
  // America/Havana 2024-03-10 and America/Santiago 2024-09-08: 00:00 -> 01:00.
  InsertEvery10Minutes("2024-03-08 12:00Z", "2024-03-12 12:00Z");
  ExpectCalendarDays("America/Havana", "2024-03-09", "2024-03-11", "2024-03-10", 23);
  InsertEvery10Minutes("2024-09-06 12:00Z", "2024-09-10 12:00Z");
  ExpectCalendarDays("America/Santiago", "2024-09-07", "2024-09-09", "2024-09-08", 23);
}

TEST_F(ZonesTest, HalfHourShiftsAndQuarterHourOffsets) {
  // Australia/Lord_Howe: 2024-04-07 02:00 -> 01:30; 2024-10-06 02:00 -> 02:30.
  InsertEvery10Minutes("2024-04-05 00:00Z", "2024-04-09 00:00Z");
  ExpectCalendarDays("Australia/Lord_Howe", "2024-04-06", "2024-04-08", "2024-04-07", 24.5);
  InsertEvery10Minutes("2024-10-04 00:00Z", "2024-10-08 00:00Z");
  ExpectCalendarDays("Australia/Lord_Howe", "2024-10-05", "2024-10-07", "2024-10-06", 23.5);
  // Asia/Kathmandu: +05:45.
  InsertEvery10Minutes("2024-06-01 00:00Z", "2024-06-04 00:00Z");
  ExpectCalendarDays("Asia/Kathmandu", "2024-06-02", "2024-06-02", "2024-06-02", 24);
}

TEST_F(ZonesTest, EverySpellingOfAZoneWritesTheSameRows) {
  InsertEvent("2024-03-10 12:00+09", "a", "1");
  for (const char* spelling : {"Japan", "asia/tokyo", "ASIA/TOKYO", "Asia/Tokyo"}) {
    SCOPED_TRACE(spelling);
    JobRun run = Run({"--day", "2024-03-10", "--tz", spelling});
    ASSERT_EQ(run.exit_code, 0) << run.AllOutput();
    if (std::string(spelling) != kTokyo) {
      ASSERT_EQ(run.Events("time_zone_canonicalized").size(), 1u) << run.AllOutput();
      EXPECT_NE(run.Events("time_zone_canonicalized")[0].find(R"("time_zone":"Asia/Tokyo")"),
                std::string::npos);
    }
  }
  EXPECT_EQ(Render(db().Query("SELECT DISTINCT time_zone FROM daily_category_summary")),
            "Asia/Tokyo\n");
  EXPECT_EQ(Render(db().Query("SELECT DISTINCT time_zone FROM batch_runs")), "Asia/Tokyo\n");
  EXPECT_EQ(db().Scalar("SELECT sum(rows_written) FROM batch_runs"), "1");
}

TEST_F(ZonesTest, ANonIanaZoneSpecificationIsAUsageError) {
  JobRun run = Run({"--day", "2024-03-10", "--tz", "<+09>-9"});
  EXPECT_EQ(run.exit_code, 64) << run.AllOutput();
  EXPECT_EQ(run.Events("invalid_time_zone").size(), 1u) << run.AllOutput();
  EXPECT_EQ(RunCount(), 0);
}

TEST_F(ZonesTest, ACategoryTooLongForTheKeyIsSummarisedUnderABoundedKey) {
  // ~3 KB of random printable text: incompressible, beyond the btree's row limit.
  const std::string insert_long =
      "INSERT INTO events (occurred_at, category, amount) "
      "SELECT '2024-03-10 12:00+09', $1 || string_agg(chr(33 + floor(random() * 94)::int), ''), "
      "       2 FROM generate_series(1, 3000)";
  db().Query(insert_long, {"same-64-character-prefix-for-two-long-categories-xxxxxxxxxxxxxxx"});
  db().Query(insert_long, {"same-64-character-prefix-for-two-long-categories-xxxxxxxxxxxxxxx"});
  InsertEvent("2024-03-10 13:00+09", "short", "5");
  JobRun run = Run({"--day", "2024-03-10"});
  ASSERT_EQ(run.exit_code, 0) << run.AllOutput();
  ASSERT_EQ(run.Events("day_succeeded").size(), 1u);
  nlohmann::json done = nlohmann::json::parse(run.Events("day_succeeded")[0]);
  EXPECT_EQ(done["rows_read"], 3);
  EXPECT_EQ(done["rows_shortened"], 2);
  EXPECT_EQ(run.Events("categories_shortened").size(), 1u) << run.AllOutput();
  // Two rows for the two long categories (same prefix, different md5), one for "short".
  EXPECT_EQ(Render(db().Query("SELECT event_count, amount_sum, octet_length(category) <= 300, "
                              "category ~ '^same-64-character-prefix-for-two-long-categories-x+… "
                              "\\[md5:[0-9a-f]{32}\\]$' "
                              "FROM daily_category_summary ORDER BY category DESC")),
            "1|5.00|t|f\n1|2.00|t|t\n1|2.00|t|t\n");
  // Re-running changes nothing: the key is stable.
  JobRun again = Run({"--day", "2024-03-10"});
  ASSERT_EQ(again.exit_code, 0) << again.AllOutput();
  EXPECT_EQ(nlohmann::json::parse(again.Events("day_succeeded")[0])["rows_written"], 0);
}

}  // namespace
}  // namespace batch_test
