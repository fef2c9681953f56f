// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include <ctm/core/date.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <string>

namespace ctm {
namespace chr = std::chrono;

namespace {

bool all_digits(std::string_view s) noexcept {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int to_int(std::string_view digits) noexcept {
  int v = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), v);
  return v;
}

error date_error(errc code, std::string message) { return error{code, std::move(message), {}}; }

// Splits "YYYY[-MM[-DD]][Thh:mm...]" into its parts; the time part, if any, is ignored.
struct date_parts {
  std::string_view year, month, day;
};

bool split(std::string_view text, date_parts& out) noexcept {
  if (auto t = text.find('T'); t != std::string_view::npos) {
    // A time is only allowed after a full date, and must start with the hour.
    if (t != 10 || t + 1 >= text.size() || text[t + 1] < '0' || text[t + 1] > '9') return false;
    text = text.substr(0, t);
  }
  if (text.size() == 4) {
    out = {text, {}, {}};
  } else if (text.size() == 7 && text[4] == '-') {
    out = {text.substr(0, 4), text.substr(5, 2), {}};
  } else if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
    out = {text.substr(0, 4), text.substr(5, 2), text.substr(8, 2)};
  } else {
    return false;
  }
  return all_digits(out.year) && (out.month.empty() || all_digits(out.month)) &&
         (out.day.empty() || all_digits(out.day));
}

date last_day_of(chr::year y, chr::month m) noexcept {
  return date{chr::year_month_day_last{y, chr::month_day_last{m}}};
}

}  // namespace

result<partial_date> parse_partial_date(std::string_view text) {
  date_parts parts;
  if (!split(text, parts)) {
    return date_error(errc::invalid_date, "expected a date as YYYY, YYYY-MM or YYYY-MM-DD");
  }
  const int y = to_int(parts.year);
  if (y < min_supported_year || y > max_supported_year) {
    return date_error(errc::date_out_of_range, "year outside " +
                                                   std::to_string(min_supported_year) + "-" +
                                                   std::to_string(max_supported_year));
  }
  const chr::year year{y};
  if (parts.month.empty()) return partial_date::of_year(year);
  const int m = to_int(parts.month);
  if (m < 1 || m > 12) return date_error(errc::invalid_date, "month must be 01-12");
  const chr::month month{static_cast<unsigned>(m)};
  if (parts.day.empty()) return partial_date::of_month(year, month);
  const date d{year, month, chr::day{static_cast<unsigned>(to_int(parts.day))}};
  if (!d.ok()) return date_error(errc::invalid_date, "day does not exist in that month");
  return partial_date::exact(d);
}

result<date> parse_date(std::string_view text) {
  auto parsed = parse_partial_date(text);
  if (!parsed) return parsed.error();
  if (!parsed->is_exact()) {
    return date_error(errc::invalid_date, "expected a complete date as YYYY-MM-DD");
  }
  return parsed->earliest;
}

std::string to_string(date d) {
  std::array<char, 16> buf{};
  std::snprintf(buf.data(), buf.size(), "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf.data();
}

int days_between(date from, date to) noexcept {
  return static_cast<int>((chr::sys_days{to} - chr::sys_days{from}).count());
}

date add_days(date d, int n) noexcept { return date{chr::sys_days{d} + chr::days{n}}; }

date add_months(date d, int n) noexcept {
  const chr::year_month ym = chr::year_month{d.year(), d.month()} + chr::months{n};
  const date candidate{ym.year(), ym.month(), d.day()};
  return candidate.ok() ? candidate : last_day_of(ym.year(), ym.month());
}

date add_years(date d, int n) noexcept { return add_months(d, 12 * n); }

int age_in_years(date birth, date as_of) noexcept {
  int age = static_cast<int>(as_of.year()) - static_cast<int>(birth.year());
  // Compare month and day: a 29 February birthday is not reached on 28 February of a common year,
  // so the age changes on 1 March (the usual legal convention).
  const chr::month_day birthday{birth.month(), birth.day()};
  const chr::month_day today{as_of.month(), as_of.day()};
  if (today < birthday) --age;
  return age;
}

date add(date d, duration span) noexcept {
  switch (span.unit) {
    case time_unit::day:
      return add_days(d, span.count);
    case time_unit::week:
      return add_days(d, 7 * span.count);
    case time_unit::month:
      return add_months(d, span.count);
    case time_unit::year:
      return add_years(d, span.count);
  }
  return d;
}

date subtract(date d, duration span) noexcept { return add(d, duration{-span.count, span.unit}); }

std::string to_string(duration span) {
  static constexpr std::array<std::string_view, 4> singular{"day", "week", "month", "year"};
  std::string out = std::to_string(span.count);
  out += ' ';
  out += singular[static_cast<std::size_t>(span.unit)];
  if (span.count != 1 && span.count != -1) out += 's';
  return out;
}

result<duration> parse_duration(std::string_view text) {
  auto fail = [] {
    return date_error(errc::invalid_duration,
                      "expected a duration such as '60 days', '4 weeks', '6 months' or '1 year'");
  };
  const auto space = text.find(' ');
  if (space == std::string_view::npos) return fail();
  const std::string_view number = text.substr(0, space);
  std::string_view word = text.substr(space + 1);
  while (!word.empty() && word.front() == ' ') word.remove_prefix(1);
  if (!all_digits(number) || number.size() > 6) return fail();
  const int n = to_int(number);
  struct name {
    std::string_view text;
    time_unit unit;
  };
  static constexpr std::array<name, 15> names{{
      {"day", time_unit::day},
      {"days", time_unit::day},
      {"d", time_unit::day},
      {"week", time_unit::week},
      {"weeks", time_unit::week},
      {"wk", time_unit::week},
      {"w", time_unit::week},
      {"month", time_unit::month},
      {"months", time_unit::month},
      {"mo", time_unit::month},
      {"year", time_unit::year},
      {"years", time_unit::year},
      {"y", time_unit::year},
      {"a", time_unit::year},
      {"yr", time_unit::year},
  }};
  for (const auto& candidate : names) {
    if (candidate.text == word) return duration{n, candidate.unit};
  }
  return fail();
}

partial_date partial_date::of_month(chr::year y, chr::month m) noexcept {
  return {date{y, m, chr::day{1}}, last_day_of(y, m), date_precision::month};
}

partial_date partial_date::of_year(chr::year y) noexcept {
  return {date{y, chr::January, chr::day{1}}, date{y, chr::December, chr::day{31}},
          date_precision::year};
}

std::string to_string(const partial_date& d) {
  std::string full = to_string(d.earliest);
  switch (d.precision) {
    case date_precision::year:
      return full.substr(0, 4);
    case date_precision::month:
      return full.substr(0, 7);
    case date_precision::day:
      break;
  }
  return full;
}

truth is_before(const partial_date& a, const partial_date& b) noexcept {
  if (chr::sys_days{a.latest} < chr::sys_days{b.earliest}) return truth::yes;
  if (chr::sys_days{a.earliest} >= chr::sys_days{b.latest}) return truth::no;
  return truth::unknown;
}

truth is_on_or_before(const partial_date& a, const partial_date& b) noexcept {
  if (chr::sys_days{a.latest} <= chr::sys_days{b.earliest}) return truth::yes;
  if (chr::sys_days{a.earliest} > chr::sys_days{b.latest}) return truth::no;
  return truth::unknown;
}

day_range days_between(const partial_date& from, const partial_date& to) noexcept {
  return {days_between(from.latest, to.earliest), days_between(from.earliest, to.latest)};
}

day_range age_in_years(const partial_date& birth, date as_of) noexcept {
  return {age_in_years(birth.latest, as_of), age_in_years(birth.earliest, as_of)};
}

truth is_within(const partial_date& event, const partial_date& anchor, duration span) noexcept {
  const auto ev_lo = chr::sys_days{event.earliest};
  const auto ev_hi = chr::sys_days{event.latest};
  // Definitely inside: every possible event day is on or after every possible anchor day and on
  // or before the earliest possible window end.
  const auto end_lo = chr::sys_days{add(anchor.earliest, span)};
  const auto end_hi = chr::sys_days{add(anchor.latest, span)};
  if (ev_lo >= chr::sys_days{anchor.latest} && ev_hi <= end_lo) return truth::yes;
  // Definitely outside: every possible event day precedes every anchor day, or follows every
  // possible window end.
  if (ev_hi < chr::sys_days{anchor.earliest} || ev_lo > end_hi) return truth::no;
  return truth::unknown;
}

truth has_elapsed(const partial_date& since, duration span, date as_of) noexcept {
  const auto today = chr::sys_days{as_of};
  if (chr::sys_days{add(since.latest, span)} <= today) return truth::yes;
  if (chr::sys_days{add(since.earliest, span)} > today) return truth::no;
  return truth::unknown;
}

}  // namespace ctm
