// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/result.hpp>
#include <ctm/core/truth.hpp>
#include <ctm/export.hpp>

#include <chrono>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace ctm {

/// A civil calendar date (proleptic Gregorian), as recorded in clinical data: no time, no zone.
using date = std::chrono::year_month_day;

/// Earliest and latest years ctm accepts; dates outside are rejected as `errc::date_out_of_range`.
inline constexpr int min_supported_year = 1800;
inline constexpr int max_supported_year = 2200;

/// Parses a complete ISO 8601 calendar date "YYYY-MM-DD". A date-time ("2024-03-05T10:00:00Z") is
/// accepted and its date part taken, as FHIR dateTime values are. Errors: `errc::invalid_date`,
/// `errc::date_out_of_range`. The message never repeats the text (dates are patient data).
CTM_EXPORT result<date> parse_date(std::string_view text);

/// "YYYY-MM-DD". Precondition: `d.ok()`.
CTM_EXPORT std::string to_string(date d);

/// `to - from` in whole days (negative when `to` is earlier).
CTM_EXPORT int days_between(date from, date to) noexcept;

/// `d` plus `n` days (n may be negative).
CTM_EXPORT date add_days(date d, int n) noexcept;

/// `d` plus `n` calendar months, clamped to the end of the month when the day does not exist:
/// 2024-08-31 + 6 months = 2025-02-28 (domain definitions, section 6.1).
CTM_EXPORT date add_months(date d, int n) noexcept;

/// `d` plus `n` calendar years, clamped likewise: 2024-02-29 + 1 year = 2025-02-28.
CTM_EXPORT date add_years(date d, int n) noexcept;

/// Age in completed years on `as_of` (the birthday counts on the day itself; a 29 February
/// birthday is reached on 1 March in common years). Negative when `as_of` precedes `birth`.
CTM_EXPORT int age_in_years(date birth, date as_of) noexcept;

/// Units of a clinical duration. Weeks are 7 days; months and years are calendar arithmetic, never
/// a fixed count of days (UCUM `mo` and `a` in clinical text mean calendar periods here).
enum class time_unit : std::uint8_t { day, week, month, year };

/// A clinical duration such as "60 days", "4 weeks" or "6 months".
struct duration {
  std::int32_t count = 0;
  time_unit unit = time_unit::day;

  friend bool operator==(const duration&, const duration&) = default;
};

constexpr duration days(std::int32_t n) noexcept { return {n, time_unit::day}; }
constexpr duration weeks(std::int32_t n) noexcept { return {n, time_unit::week}; }
constexpr duration months(std::int32_t n) noexcept { return {n, time_unit::month}; }
constexpr duration years(std::int32_t n) noexcept { return {n, time_unit::year}; }

/// `d` plus `span` (calendar arithmetic for months and years).
CTM_EXPORT date add(date d, duration span) noexcept;
/// `d` minus `span`.
CTM_EXPORT date subtract(date d, duration span) noexcept;

/// "60 days", "1 week", "6 months", "2 years".
CTM_EXPORT std::string to_string(duration span);
/// Parses "<n> <unit>" with unit one of day(s), d, week(s), wk, w, month(s), mo, year(s), y, a.
/// Errors: `errc::invalid_duration`.
CTM_EXPORT result<duration> parse_duration(std::string_view text);

/// How much of a date was recorded.
enum class date_precision : std::uint8_t { year, month, day };

/// A date known to the day, the month or only the year, as EHR data often has it.
///
/// It stands for every day between `earliest` and `latest` inclusive. Comparisons between partial
/// dates are three-valued: `unknown` exactly when the answer differs between possible days.
/// Thread-safety: a value type.
struct partial_date {
  date earliest{};
  date latest{};
  date_precision precision = date_precision::day;

  /// A date known to the day.
  static partial_date exact(date d) noexcept { return {d, d, date_precision::day}; }
  /// Every day of month `m` of year `y`.
  CTM_EXPORT static partial_date of_month(std::chrono::year y, std::chrono::month m) noexcept;
  /// Every day of year `y`.
  CTM_EXPORT static partial_date of_year(std::chrono::year y) noexcept;

  [[nodiscard]] bool is_exact() const noexcept { return precision == date_precision::day; }

  friend bool operator==(const partial_date&, const partial_date&) = default;
};

/// Parses "YYYY", "YYYY-MM" or "YYYY-MM-DD" (or a date-time, whose date part is taken).
CTM_EXPORT result<partial_date> parse_partial_date(std::string_view text);

/// Writes the date at its own precision: "2024", "2024-03" or "2024-03-05".
CTM_EXPORT std::string to_string(const partial_date& d);

/// `a` strictly before `b`: yes when every possible day of `a` precedes every possible day of `b`,
/// no when none does, unknown otherwise.
CTM_EXPORT truth is_before(const partial_date& a, const partial_date& b) noexcept;
/// `a` on or before `b`, three-valued likewise.
CTM_EXPORT truth is_on_or_before(const partial_date& a, const partial_date& b) noexcept;

/// Inclusive range of a whole-day quantity that is known only within bounds.
struct day_range {
  int min = 0;
  int max = 0;

  [[nodiscard]] bool is_exact() const noexcept { return min == max; }
  friend bool operator==(const day_range&, const day_range&) = default;
};

/// Possible values of `to - from` in days.
CTM_EXPORT day_range days_between(const partial_date& from, const partial_date& to) noexcept;

/// Possible ages in completed years on `as_of` for a partially known birth date.
CTM_EXPORT day_range age_in_years(const partial_date& birth, date as_of) noexcept;

/// Whether `event` falls in the closed window [anchor, anchor + span]: "progressed within 60 days
/// of the last dose" is `is_within(progression, last_dose, days(60))`, inclusive at both ends
/// (domain definitions, conventions). Three-valued over the possible days of both dates.
CTM_EXPORT truth is_within(const partial_date& event, const partial_date& anchor,
                           duration span) noexcept;

/// Whether at least `span` has passed from `since` to `as_of`, i.e. `since + span <= as_of`
/// ("at least 4 weeks since the last radiotherapy"). Three-valued over the days of `since`.
CTM_EXPORT truth has_elapsed(const partial_date& since, duration span, date as_of) noexcept;

}  // namespace ctm
