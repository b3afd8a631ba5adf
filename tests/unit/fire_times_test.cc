// The embedded time-zone database (tzdb.h) and the schedule evaluator (fire_times.h).
#include "fire_times.h"

#include <gtest/gtest.h>

#include "tzdb.h"
#include "tzdb_data.h"

namespace orchc {
namespace {

int64_t Utc(const char* s) {
  int64_t t = 0;
  EXPECT_TRUE(ParseRfc3339(s, &t)) << s;
  return t;
}

int64_t Wall(const char* s) {
  int64_t t = 0;
  EXPECT_TRUE(ParseLocalDateTime(s, &t)) << s;
  return t;
}

TEST(TzdbTest, AcceptsZonesAndLinksOnly) {
  EXPECT_NE(FindTimeZone("Europe/Berlin"), nullptr);
  EXPECT_NE(FindTimeZone("UTC"), nullptr);
  EXPECT_NE(FindTimeZone("Asia/Calcutta"), nullptr);  // a link (backward)
  EXPECT_NE(FindTimeZone("US/Eastern"), nullptr);
  for (const char* bad :
       {"localtime", "posixrules", "Factory", "posix/Europe/Berlin", "right/UTC", "Europe/berlin",
        "Berlin", "", "../etc/passwd", "zone.tab", "tzdata.zi"}) {
    EXPECT_EQ(FindTimeZone(bad), nullptr) << bad;
  }
  std::vector<std::string_view> names = TimeZoneNames();
  EXPECT_GT(names.size(), 500u);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_FALSE(std::string(TzdataVersion()).empty());
}

TEST(TzdbTest, SuggestsCaseAndRegionFixes) {
  EXPECT_EQ(SuggestTimeZone("Europe/berlin"), "Europe/Berlin");
  EXPECT_EQ(SuggestTimeZone("Berlin"), "Europe/Berlin");
  EXPECT_EQ(SuggestTimeZone("America/Berlin"), "Europe/Berlin");
  EXPECT_EQ(SuggestTimeZone("asia/tokyo"), "Asia/Tokyo");
  EXPECT_EQ(SuggestTimeZone("Asia/Tokio"), "Asia/Tokyo");
  EXPECT_EQ(SuggestTimeZone("Qwertzuiop/Asdfghjkl"), "");
}

TEST(TzdbTest, OffsetsFromTransitionsAndFooter) {
  const TimeZone& berlin = *FindTimeZone("Europe/Berlin");
  EXPECT_EQ(berlin.OffsetAt(Utc("2027-01-15T12:00:00Z")), 3600);
  EXPECT_EQ(berlin.OffsetAt(Utc("2027-07-15T12:00:00Z")), 7200);
  EXPECT_EQ(berlin.OffsetAt(Utc("2027-03-28T00:59:59Z")), 3600);
  EXPECT_EQ(berlin.OffsetAt(Utc("2027-03-28T01:00:00Z")), 7200);
  // Far past the TZif table: the POSIX footer rule (last Sunday of March, 01:00 UTC).
  EXPECT_EQ(berlin.OffsetAt(Utc("2150-03-29T00:59:59Z")), 3600);  // 2150-03-29 is a Sunday
  EXPECT_EQ(berlin.OffsetAt(Utc("2150-03-29T01:00:00Z")), 7200);
  const TimeZone& lord_howe = *FindTimeZone("Australia/Lord_Howe");
  EXPECT_EQ(lord_howe.OffsetAt(Utc("2027-01-15T00:00:00Z")), 11 * 3600);
  EXPECT_EQ(lord_howe.OffsetAt(Utc("2027-07-15T00:00:00Z")), 10 * 3600 + 1800);
  EXPECT_EQ(FindTimeZone("America/Sao_Paulo")->OffsetAt(Utc("2028-01-15T00:00:00Z")), -3 * 3600);
  EXPECT_EQ(FindTimeZone("Asia/Tokyo")->OffsetAt(Utc("2100-06-01T00:00:00Z")), 9 * 3600);
}

TEST(TzdbTest, PosixRules) {
  PosixRule r;
  ASSERT_TRUE(r.Parse("CET-1CEST,M3.5.0,M10.5.0/3"));
  EXPECT_EQ(r.OffsetAt(Utc("2300-07-01T00:00:00Z")), 7200);
  EXPECT_EQ(r.OffsetAt(Utc("2300-12-01T00:00:00Z")), 3600);
  ASSERT_TRUE(r.Parse("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0"));  // southern, 30-minute shift
  EXPECT_EQ(r.OffsetAt(Utc("2300-01-01T00:00:00Z")), 11 * 3600);
  EXPECT_EQ(r.OffsetAt(Utc("2300-07-01T00:00:00Z")), 10 * 3600 + 1800);
  ASSERT_TRUE(r.Parse("EST5EDT,M3.2.0,M11.1.0"));
  EXPECT_EQ(r.OffsetAt(Utc("2300-07-01T00:00:00Z")), -4 * 3600);
  ASSERT_TRUE(r.Parse("<-03>3"));
  EXPECT_EQ(r.OffsetAt(Utc("2300-07-01T00:00:00Z")), -3 * 3600);
  EXPECT_FALSE(r.Parse("CET-1CEST,M13.5.0,M10.5.0"));
  EXPECT_FALSE(r.Parse(""));
}

TEST(TzdbTest, EveryBuiltInFooterParses) {
  size_t with_footer = 0;
  for (size_t i = 0; i < tzdata::kZoneCount; ++i) {
    if (!*tzdata::kZones[i].footer) continue;
    ++with_footer;
    PosixRule r;
    EXPECT_TRUE(r.Parse(tzdata::kZones[i].footer))
        << tzdata::kZones[i].name << ": " << tzdata::kZones[i].footer;
  }
  EXPECT_GT(with_footer, 300u);
}

TEST(TzdbTest, LocalTimesInGapsAndOverlaps) {
  const TimeZone& berlin = *FindTimeZone("Europe/Berlin");
  TimeZone::Local gap = berlin.FromLocal(Wall("2027-03-28T02:30:00"));
  EXPECT_EQ(gap.kind, TimeZone::Local::kGap);
  EXPECT_EQ(gap.offset_before, 3600);
  TimeZone::Local overlap = berlin.FromLocal(Wall("2027-10-31T02:30:00"));
  ASSERT_EQ(overlap.kind, TimeZone::Local::kOverlap);
  EXPECT_EQ(FormatUtc(overlap.first), "2027-10-31T00:30:00Z");
  EXPECT_EQ(FormatUtc(overlap.second), "2027-10-31T01:30:00Z");
  TimeZone::Local plain = berlin.FromLocal(Wall("2027-06-01T02:30:00"));
  EXPECT_EQ(plain.kind, TimeZone::Local::kUnique);
  EXPECT_EQ(FormatUtc(plain.first), "2027-06-01T00:30:00Z");
}

TEST(TzdbTest, Rfc3339) {
  EXPECT_EQ(FormatUtc(Utc("2026-03-29T03:00:00+02:00")), "2026-03-29T01:00:00Z");
  EXPECT_EQ(FormatUtc(Utc("2026-03-29T01:00:00.250Z")), "2026-03-29T01:00:00Z");
  int64_t t;
  for (const char* bad : {"2026-03-29", "2026-02-30T00:00:00Z", "2026-03-29T01:00:00",
                          "2026-03-29T01:00:00+2:00", "2026-03-29 01:00:00Z"}) {
    EXPECT_FALSE(ParseRfc3339(bad, &t)) << bad;
  }
  EXPECT_EQ(FormatLocal(Wall("2027-01-01T00:00:00"), -(3 * 3600 + 1800)),
            "2027-01-01T00:00:00-03:30");
}

std::vector<std::string> Fire(const char* expr, const char* zone, const char* from, size_t n,
                              std::optional<int64_t> start = {}, std::optional<int64_t> end = {}) {
  FireSchedule s{expr, FindTimeZone(zone), start, end};
  FireTimes t;
  std::string error;
  EXPECT_TRUE(t.Init(s, &error)) << error;
  std::vector<std::string> out;
  for (const Firing& f : t.Next(Utc(from), n)) {
    std::string line = f.skipped ? "skipped " + FormatDateTime(f.local)
                                 : FormatUtc(f.utc) + " " + FormatLocal(f.local, f.offset);
    if (f.note != DstNote::kNone) line += std::string(" ") + DstNoteName(f.note);
    out.push_back(line);
  }
  return out;
}

TEST(FireTimesTest, CronSkipsSpringGapAndFiresOnceInAutumn) {
  EXPECT_EQ(Fire("cron(30 2 * * ? *)", "Europe/Berlin", "2027-03-27T00:00:00Z", 3),
            (std::vector<std::string>{"2027-03-27T01:30:00Z 2027-03-27T02:30:00+01:00",
                                      "skipped 2027-03-28T02:30:00 dst-skipped",
                                      "2027-03-29T00:30:00Z 2027-03-29T02:30:00+02:00"}));
  EXPECT_EQ(Fire("cron(30 2 * * ? *)", "Europe/Berlin", "2027-10-31T00:00:00Z", 2),
            (std::vector<std::string>{"2027-10-31T00:30:00Z 2027-10-31T02:30:00+02:00 dst-repeated",
                                      "2027-11-01T01:30:00Z 2027-11-01T02:30:00+01:00"}));
}

TEST(FireTimesTest, RateCountsElapsedTime) {
  EXPECT_EQ(Fire("rate(1 day)", "Europe/Berlin", "2027-03-27T11:00:00Z", 3),
            (std::vector<std::string>{"2027-03-27T11:00:00Z 2027-03-27T12:00:00+01:00",
                                      "2027-03-28T11:00:00Z 2027-03-28T13:00:00+02:00 dst-shifted",
                                      "2027-03-29T11:00:00Z 2027-03-29T13:00:00+02:00"}));
  // startDate is the first occurrence; endDate (exclusive) ends the series.
  EXPECT_EQ(Fire("rate(2 hours)", "UTC", "2027-01-01T00:30:00Z", 10, Utc("2027-01-01T00:00:00Z"),
                 Utc("2027-01-01T06:00:00Z")),
            (std::vector<std::string>{"2027-01-01T02:00:00Z 2027-01-01T02:00:00+00:00",
                                      "2027-01-01T04:00:00Z 2027-01-01T04:00:00+00:00"}));
}

TEST(FireTimesTest, CronCalendarForms) {
  // 15W: the weekday nearest the 15th (2027-05-15 is a Saturday).
  EXPECT_EQ(Fire("cron(0 0 15W 5 ? 2027)", "UTC", "2027-01-01T00:00:00Z", 2),
            (std::vector<std::string>{"2027-05-14T00:00:00Z 2027-05-14T00:00:00+00:00"}));
  // 1W on a Saturday moves forward to Monday the 3rd, not back into the previous month.
  EXPECT_EQ(Fire("cron(0 0 1W 5 ? 2027)", "UTC", "2027-01-01T00:00:00Z", 1),
            (std::vector<std::string>{"2027-05-03T00:00:00Z 2027-05-03T00:00:00+00:00"}));
  EXPECT_EQ(Fire("cron(0 0 ? 2 6L 2027)", "UTC", "2027-01-01T00:00:00Z", 1),
            (std::vector<std::string>{"2027-02-26T00:00:00Z 2027-02-26T00:00:00+00:00"}));
  EXPECT_EQ(Fire("cron(0 0 ? 2 MON#2 2027)", "UTC", "2027-01-01T00:00:00Z", 1),
            (std::vector<std::string>{"2027-02-08T00:00:00Z 2027-02-08T00:00:00+00:00"}));
  EXPECT_EQ(Fire("cron(0 0 L 2 ? 2028)", "UTC", "2027-01-01T00:00:00Z", 1),
            (std::vector<std::string>{"2028-02-29T00:00:00Z 2028-02-29T00:00:00+00:00"}));
  // AWS day-of-week 1 is Sunday: 1-5 is SUN-THU.
  EXPECT_EQ(Fire("cron(0 0 ? * 1-5 *)", "UTC", "2027-01-01T00:00:00Z", 2),  // a Friday
            (std::vector<std::string>{"2027-01-03T00:00:00Z 2027-01-03T00:00:00+00:00",
                                      "2027-01-04T00:00:00Z 2027-01-04T00:00:00+00:00"}));
}

TEST(FireTimesTest, NeverFiring) {
  // 29 February of 2024, the only leap year of the range, has passed.
  EXPECT_TRUE(Fire("cron(0 0 29 2 ? 2021-2026)", "UTC", "2027-01-01T00:00:00Z", 1).empty());
  EXPECT_TRUE(Fire("cron(0 0 * * ? 2020-2025)", "UTC", "2027-01-01T00:00:00Z", 1).empty());
  EXPECT_TRUE(Fire("at(2026-01-01T00:00:00)", "UTC", "2027-01-01T00:00:00Z", 1).empty());
  EXPECT_EQ(Fire("at(2027-03-28T02:30:00)", "Europe/Berlin", "2027-01-01T00:00:00Z", 5),
            (std::vector<std::string>{"skipped 2027-03-28T02:30:00 dst-skipped"}));
}

}  // namespace
}  // namespace orchc
