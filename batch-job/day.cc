#include "day.h"

#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>

namespace batch {
namespace {

std::optional<int> Digits(std::string_view text) {
  int value = 0;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  }
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<Day> ParseDay(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto y = Digits(text.substr(0, 4));
  auto m = Digits(text.substr(5, 2));
  auto d = Digits(text.substr(8, 2));
  // Years 0001-9999 only: year 0 does not exist in the calendar PostgreSQL's date type uses.
  if (!y || !m || !d || *y < 1) return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year(*y), std::chrono::month(*m),
                                  std::chrono::day(*d)};
  if (!ymd.ok()) return std::nullopt;
  return Day(ymd);
}

std::string FormatDay(Day day) {
  std::chrono::year_month_day ymd(day);
  std::array<char, 16> buf;
  std::snprintf(buf.data(), buf.size(), "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf.data();
}

std::vector<Day> DaysBetween(Day from, Day to) {
  std::vector<Day> days;
  for (Day day = from; day <= to; day += std::chrono::days(1)) days.push_back(day);
  return days;
}

}  // namespace batch
