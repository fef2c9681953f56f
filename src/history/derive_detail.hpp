// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// The state shared by the steps of `derive_facts` (private): the usable drug records, the
// progression events, and date helpers for partial dates.
#include <ctm/core/date.hpp>
#include <ctm/core/diagnostic.hpp>
#include <ctm/core/truth.hpp>
#include <ctm/history/derive.hpp>
#include <ctm/history/facts.hpp>
#include <ctm/patient/patient.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ctm::history::detail {

/// `d` moved by `span` (both ends).
inline partial_date shift(const partial_date& d, duration span) noexcept {
  return {add(d.earliest, span), add(d.latest, span), d.precision};
}
/// `d` moved back by `span` (both ends).
inline partial_date shift_back(const partial_date& d, duration span) noexcept {
  return {subtract(d.earliest, span), subtract(d.latest, span), d.precision};
}
/// Every day from `a` to `b` (a partial date that is not a calendar month or year).
inline partial_date span_of(date a, date b) noexcept {
  if (b < a) b = a;
  return {a, b, a == b ? date_precision::day : date_precision::year};
}
/// The later of two partial dates, end by end.
inline partial_date later_of(const partial_date& a, const partial_date& b) noexcept {
  return {a.earliest < b.earliest ? b.earliest : a.earliest,
          a.latest < b.latest ? b.latest : a.latest,
          a.precision < b.precision ? a.precision : b.precision};
}
/// Sort key: earliest day, then latest.
inline bool starts_before(const partial_date& a, const partial_date& b) noexcept {
  if (a.earliest != b.earliest) return a.earliest < b.earliest;
  return a.latest < b.latest;
}
/// The date as written when it is a day, month or year, else "between A and B".
std::string describe(const partial_date& d);
/// "/treatments/3".
std::string pointer(std::string_view list, std::size_t index);
/// Adds a note unless the same code and pointer is already there.
void note(std::vector<diagnostic>& notes, severity level, errc code, std::string message,
          std::string where);

/// One usable drug record (a drug administration, or a CAR-T infusion procedure).
struct administration {
  std::uint32_t agent = 0;  ///< index into patient_facts::agents
  std::string record;       ///< JSON pointer
  partial_date start;
  partial_date end;  ///< last dose: recorded, the as-of date while ongoing, or a range when unknown
  bool ongoing = false;
  bool end_recorded = false;
  std::optional<therapy_setting> setting;
  std::optional<ctm::stop_reason> stopped;
  std::optional<std::int32_t> cycles;
  std::string regimen;
  bool builds_lines = false;  ///< anticancer (or unknown, when the options say so)
};

/// A progression: a recorded event, or an assessment whose category is progression.
struct progression_point {
  partial_date date;
  std::string record;
  std::optional<progression_basis> basis;
  bool from_event = false;
};

/// Everything the derivation steps share.
struct context {
  const patient& p;
  date as_of;
  const vocabularies& vocab;
  const derive_options& options;
  lot_options lot;
  refractory_options refractory;
  std::vector<administration> admins;           ///< sorted by start
  std::vector<progression_point> progressions;  ///< sorted by date
  std::vector<partial_date> transplants;        ///< autologous transplants, by date
  std::int32_t unknown_agent_episodes = 0;      ///< unresolved-drug episodes outside every line
  patient_facts& out;
};

/// Whether the agent is this drug or in this class (by catalog code); false for unknown codes.
bool agent_matches(const context& cx, std::uint32_t agent, std::string_view code);
/// Whether the agent matches any of the codes.
bool agent_matches_any(const context& cx, std::uint32_t agent,
                       const std::vector<std::string>& codes);

/// Steps of `derive_facts`, in order.
void resolve_agents(context& cx);
void collect_progressions(context& cx);
void build_lines(context& cx);
void assess_lines(context& cx);
void derive_statuses(context& cx);
void derive_time_since(context& cx);

}  // namespace ctm::history::detail
