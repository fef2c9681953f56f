// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// The engine's lowered catalog and the cohort's columns. Private to src/batch.
#include "batch/kleene.hpp"

#include <ctm/batch/engine.hpp>
#include <ctm/rules/lowered.hpp>

#include <bit>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace ctm::batch::detail {

inline constexpr std::uint32_t npos = std::numeric_limits<std::uint32_t>::max();

/// Patients per unit of parallel work: 16 words.
inline constexpr std::size_t chunk_words = 16;

inline std::int32_t day_number(date d) {
  return static_cast<std::int32_t>(std::chrono::sys_days(d).time_since_epoch().count());
}

inline date from_day_number(std::int32_t n) {
  return date{std::chrono::sys_days{std::chrono::days{n}}};
}

/// The partial date of the days [earliest, latest] (day precision when they are one day).
inline partial_date from_days(std::int32_t earliest, std::int32_t latest) {
  const date a = from_day_number(earliest);
  const date b = from_day_number(latest);
  return {a, b, a == b ? date_precision::day : date_precision::month};
}

inline void set_bit(std::vector<word>& bits, std::size_t i) { bits[i / 64] |= word{1} << (i % 64); }
inline bool get_bit(const std::vector<word>& bits, std::size_t i) {
  return ((bits[i / 64] >> (i % 64)) & 1U) != 0;
}

/// Calls `f(bit)` for every set bit of `m`, lowest first.
template <class F>
void for_each_bit(word m, F&& f) {
  while (m != 0) {
    f(static_cast<unsigned>(std::countr_zero(m)));
    m &= m - 1;
  }
}

/// The `fact_value` alternative a query's answers take (query.hpp documents one per query kind);
/// `generic` for a query kind without a column of its own: every answer is kept as a row.
enum class column_kind : std::uint8_t {
  truth,
  number,
  measurement,
  symbol,
  concepts,
  event,
  generic
};

/// A numeric view of a column: the number a family of tests compares (a number_range as is, a
/// measurement converted to one unit, a measurement over its ULN or LLN).
enum class view_kind : std::uint8_t { number, quantity, uln, lln };

struct view_spec {
  std::uint32_t query = 0;
  view_kind kind = view_kind::number;
  ctm::unit unit = ctm::unit::one;
  std::optional<double> molar;
  /// Every bound the catalog's tests on this view compare with, sorted and distinct. A value is
  /// stored as its code: 2i + 1 when it equals cuts[i], 2i when it lies strictly between
  /// cuts[i - 1] and cuts[i]. Every test on the view compares only with cuts, so the code decides
  /// each test exactly as the value does.
  std::vector<double> cuts;
  std::vector<double> reps;  ///< per code: a value with that code (what tests are tabled on)
};

/// How an atom's bitmaps are computed.
enum class atom_path : std::uint8_t {
  truth_bits,  ///< truth column: the bitmaps themselves
  view,        ///< interval test over a numeric view
  symbol,      ///< per-symbol table (symbol, stage, response, state_for tests)
  concepts,    ///< is_a over the patient's concept list
  elapsed,     ///< time since an event
  wrong_kind,  ///< the test expects another kind of answer: unknown where present
  generic,     ///< every answer is a row: `rules::assess_leaf`
};

/// One distinct (query, test) pair of the catalog.
/// How a view atom's table reduces to a range of codes (`atom::band`).
enum class band_kind : std::uint8_t { none, yes_inside, no_inside };

struct atom {
  std::uint32_t query = 0;
  std::uint32_t view = npos;
  rules::leaf_test test;
  atom_path path = atom_path::generic;
  std::optional<vocab::ontology> ontology;
  /// View atoms: the test's truth per code of the view (`rules::interval_truth` on the code's
  /// representative), as `truth` values.
  std::vector<std::uint8_t> table;
  /// View atoms whose table is yes on one run of codes [band_low, band_low + band_span] and no
  /// elsewhere (`band == band_kind::yes_inside`), or the reverse (`no_inside`): the test is a
  /// range check on the codes, 16 or 32 at a time; `table` otherwise.
  band_kind band = band_kind::none;
  std::uint16_t band_low = 0;
  std::uint16_t band_span = 0;
};

struct criterion_spec {
  bool has_program = false;
  criterion_kind kind = criterion_kind::inclusion;
  rules::missing_data_policy policy = rules::missing_data_policy::unknown;
  std::vector<rules::step> steps;  ///< leaf `arg` is an atom id
  std::uint32_t leaves = 0;        ///< atomic conditions
};

struct arm_spec {
  bool open = false;
  std::vector<std::uint32_t> criteria;
};

struct trial_spec {
  bool open = false;
  std::vector<trial_phase> phases;
  std::vector<std::uint32_t> criteria;  ///< trial-wide
  std::vector<arm_spec> arms;
};

struct engine_impl {
  match::matcher matcher;
  std::vector<rules::query> queries;  ///< distinct over the catalog
  std::vector<column_kind> kinds;     ///< per query
  std::vector<std::uint8_t> dated;    ///< per query: a state_for test needs its answer's date
  std::vector<view_spec> views;
  std::vector<atom> atoms;
  std::vector<criterion_spec> criteria;
  std::vector<trial_spec> trials;  ///< as `matcher.trials()`
  std::vector<std::string> trial_ids;

  explicit engine_impl(match::matcher m) : matcher(std::move(m)) {}
};

/// An answer kept whole: of a kind the column does not hold.
struct answer_row {
  std::uint32_t patient = 0;
  rules::fact_answer answer;
};

/// One query's answers over the cohort. Bitmaps have one bit per patient (64 per word); the
/// typed arrays one entry per patient. `present`: the answer is of the column's kind.
struct column {
  column_kind kind = column_kind::generic;
  std::vector<word> missing;
  std::vector<word> present;
  std::vector<word> yes, no;                   ///< truth
  std::vector<std::uint16_t> symbol;           ///< symbol: interned id
  std::vector<std::string> symbols;            ///< symbol: the interned texts
  std::vector<std::uint32_t> list;             ///< concepts: interned list id
  std::vector<std::uint32_t> list_offsets{0};  ///< concepts: CSR offsets per list
  std::vector<concept_id> list_ids;            ///< concepts: the lists' ids
  std::vector<word> has_date;                  ///< event: it happened; symbol: dated
  std::vector<std::int32_t> earliest, latest;  ///< event / dated symbol: day numbers
  std::vector<answer_row> rows;                ///< sorted by patient
};

/// A numeric view's values: as codes of 8 or 16 bits (`view_spec::cuts`; `high` only when some
/// value is a range), else as `double`; `ok` where the value is usable (not NaN), `flag` where the
/// test reports a missing fact (no ULN/LLN). Arrays cover whole words.
struct view_data {
  std::vector<double> low, high;          ///< while loading, and when codes do not fit 16 bits
  std::vector<std::uint8_t> low8, high8;  ///< codes (`view_spec::cuts`), high only for ranges
  std::vector<std::uint16_t> low16, high16;
  std::vector<word> ok, flag;
};

struct cohort_impl {
  const engine_impl* engine = nullptr;
  std::vector<std::string> ids;
  std::vector<match::batch_output> errors;
  date as_of{};
  std::size_t size = 0;
  std::size_t words = 0;
  std::vector<column> columns;   ///< per engine query
  std::vector<view_data> views;  ///< per engine view
  /// Patients are stored grouped by diagnosis set (so that a word's patients share candidate
  /// trials); `position[slot]` is the stored patient's position in `ids` (its input order) and
  /// `slot[position]` the inverse. Columns, signatures and words are indexed by slot.
  std::vector<std::uint32_t> position;
  std::vector<std::uint32_t> slot;
  std::vector<std::uint32_t> signature;                ///< per slot: candidate list id
  std::vector<std::vector<std::uint32_t>> candidates;  ///< per signature: trials, increasing
  std::size_t bytes = 0;
};

}  // namespace ctm::batch::detail
