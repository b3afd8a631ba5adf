#include "day.h"

#include <gtest/gtest.h>

namespace batch {
namespace {

TEST(Day, ParsesAndFormatsRealDates) {
  auto day = ParseDay("2024-02-29");
  ASSERT_TRUE(day);
  EXPECT_EQ(FormatDay(*day), "2024-02-29");
  EXPECT_EQ(FormatDay(*ParseDay("0999-01-01")), "0999-01-01");
  EXPECT_EQ(FormatDay(*ParseDay("0001-01-01")), "0001-01-01");
  EXPECT_EQ(FormatDay(*ParseDay("9999-12-31")), "9999-12-31");
}

TEST(Day, RejectsMalformedOrImpossibleDates) {
  for (const char* text : {"2023-02-29", "2024-13-01", "2024-00-10", "2024-1-01", "2024/01/01",
                           "20240101", "2024-01-01T00:00", "", "abcd-ef-gh", "2024-01-+1",
                           "0000-01-01", "0000-12-31", "10000-01-01", "-001-01-01"}) {
    EXPECT_FALSE(ParseDay(text)) << text;
  }
}

TEST(Day, DaysBetweenIsInclusiveAndCrossesMonthEnds) {
  auto days = DaysBetween(*ParseDay("2024-02-28"), *ParseDay("2024-03-01"));
  ASSERT_EQ(days.size(), 3u);
  EXPECT_EQ(FormatDay(days[1]), "2024-02-29");
  EXPECT_TRUE(DaysBetween(*ParseDay("2024-03-02"), *ParseDay("2024-03-01")).empty());
}

}  // namespace
}  // namespace batch
