// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// The lowered form of a compiled program, for engines that evaluate many patients at once (the
// batch engine, benchmark baselines): the post-order steps, and each fact test as plain data.
// `test_leaf` and `fold` are the scalar evaluator's own semantics, so an engine built on them
// gives the same verdicts as `program::evaluate`.

#include <ctm/core/date.hpp>
#include <ctm/core/quantity.hpp>
#include <ctm/core/truth.hpp>
#include <ctm/export.hpp>
#include <ctm/rules/ast.hpp>
#include <ctm/rules/fact_source.hpp>
#include <ctm/rules/query.hpp>
#include <ctm/rules/status.hpp>
#include <ctm/vocab/ontology.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ctm::rules {

/// A set of numbers: one interval with open or closed ends, or its complement (for `!=`).
/// Infinite ends are +-infinity.
struct interval {
  double low = -std::numeric_limits<double>::infinity();
  double high = std::numeric_limits<double>::infinity();
  bool low_open = false;
  bool high_open = false;
  bool complement = false;  ///< the set is everything outside [low, high]

  [[nodiscard]] bool contains(double v) const noexcept {
    const bool in = (low_open ? v > low : v >= low) && (high_open ? v < high : v <= high);
    return complement ? !in : in;
  }
  [[nodiscard]] bool empty() const noexcept {
    if (complement) return false;
    return low > high || (low == high && (low_open || high_open));
  }
  friend bool operator==(const interval&, const interval&) = default;
};

/// How the fact's value is turned into a number before an interval test.
enum class value_scale : std::uint8_t {
  number,    ///< a number_range as is
  quantity,  ///< a measurement converted to `unit` (with `molar` when given)
  stage,     ///< a stage symbol ("IIIB") as an ordinal range
  response,  ///< a response symbol ("PR") as an ordinal
};

enum class test_kind : std::uint8_t {
  truth_is,   ///< the fact is a truth value
  interval,   ///< the number (after `scale`) is in `set`
  uln,        ///< measurement / ULN (or LLN) is in `set`
  concepts,   ///< some patient concept is_a some target
  symbol,     ///< the symbol is one of `yes_symbols` (unknown for `unknown_symbols`)
  state_for,  ///< symbol test, and the time since `fact_answer::date` is in `span`
  elapsed,    ///< the time since the event is in `span`
};

/// A duration test: "time since >= 28 days".
struct span_test {
  compare_op op = compare_op::ge;
  ctm::duration span{};
  friend bool operator==(const span_test&, const span_test&) = default;
};

/// One fact test as data.
struct leaf_test {
  test_kind kind = test_kind::truth_is;
  value_scale scale = value_scale::number;
  interval set;
  ctm::unit unit = ctm::unit::one;
  std::optional<double> molar_grams_per_mole;
  bool lln = false;
  std::vector<concept_id> targets;
  std::vector<std::string> yes_symbols;
  std::vector<std::string> unknown_symbols;
  span_test span;

  friend bool operator==(const leaf_test&, const leaf_test&) = default;
};

/// A step of the post-order program. Children of step i are the `count` subtrees immediately
/// before it; `size` is the number of steps in the subtree rooted at i, itself included.
enum class step_op : std::uint8_t {
  leaf,
  constant,
  and_op,
  or_op,
  not_op,
  at_least,
  at_most,
  conditional  ///< children: condition, then, else
};

struct step {
  step_op op = step_op::constant;
  truth constant = truth::unknown;
  std::uint32_t arg = 0;    ///< leaf: index into `leaves`; at_least / at_most: k
  std::uint32_t count = 0;  ///< number of children
  std::uint32_t size = 1;
  friend bool operator==(const step&, const step&) = default;
};

struct lowered_leaf {
  std::uint32_t query = 0;  ///< index into `lowered_program::queries`
  leaf_test test;
  friend bool operator==(const lowered_leaf&, const lowered_leaf&) = default;
};

/// A program as data. Thread-safety: a value type.
struct lowered_program {
  std::vector<step> steps;  ///< post-order; the last step is the root
  std::vector<lowered_leaf> leaves;
  std::vector<query> queries;  ///< distinct, in the order `program::evaluate` asks them
  missing_data_policy policy = missing_data_policy::unknown;
  std::optional<vocab::ontology> ontology;  ///< for `test_kind::concepts`
};

/// A fact test's outcome without its explanation: the truth value, and whether the test reports a
/// missing fact (the fact `leaf_outcome::missing` names): a missing answer, a measurement without
/// the ULN/LLN the test needs, no diagnosis on record, a symbol state that leaves the test open
/// (an untested or indeterminate biomarker), a state without the date a `for` test needs.
struct leaf_value {
  truth value = truth::unknown;
  bool missing = false;
  friend bool operator==(const leaf_value&, const leaf_value&) = default;
};

/// The truth of one fact test on an answer, exactly as `program::evaluate` computes the leaf's
/// value (a missing answer is unknown; an answer of the wrong kind is unknown). `q` is the query
/// the answer is for (the value never depends on it; it is there for engines that keep one).
/// Builds no strings (only a unit conversion that fails allocates its error). Thread-safety: a
/// pure function.
CTM_EXPORT truth test_leaf(const leaf_test& test, const query& q, const fact_answer& answer,
                           date as_of, const std::optional<vocab::ontology>& ontology);

/// `test_leaf` with the missing flag: the one function `program::evaluate` takes each leaf's value
/// and missing fact from. Builds no strings, as `test_leaf`. Thread-safety: a pure function.
CTM_EXPORT leaf_value assess_leaf(const leaf_test& test, const query& q, const fact_answer& answer,
                                  date as_of, const std::optional<vocab::ontology>& ontology);

/// Whether some / every value in [lo, hi] lies in `set`: yes when every value does, no when none
/// does, unknown otherwise (the interval and ULN tests). Thread-safety: a pure function.
CTM_EXPORT truth interval_truth(const interval& set, double lo, double hi) noexcept;

/// Whether `test` holds for the time from `since` to `as_of`, three-valued over the possible days
/// of `since` (the `elapsed` and `state_for` tests). Thread-safety: a pure function.
CTM_EXPORT truth elapsed_truth(const partial_date& since, const span_test& test,
                               date as_of) noexcept;

/// Whether some concept of `ids` is_a some concept of `targets` (an id outside the ontology is
/// unknown); the `concepts` test on a non-empty answer. Thread-safety: a pure function.
CTM_EXPORT truth concepts_truth(std::span<const concept_id> ids,
                                std::span<const concept_id> targets,
                                const vocab::ontology& ontology);

/// The root's truth from the leaves' truths (Kleene connectives, exactly as `program::evaluate`:
/// it is the same code). An empty program is unknown. Thread-safety: a pure function (uses a
/// thread-local scratch stack).
CTM_EXPORT truth fold(std::span<const step> steps, std::span<const truth> leaf_values);

/// Whether the explanation of the root's value names a missing fact: `program::evaluate` walks
/// down from the root to the deciding leaves (for `and`: every child when the result is yes,
/// else the children with the result's value; `or` dually; `not`: its child; at_least/at_most:
/// the unknown children when unknown, else the known ones; a conditional: its condition, plus
/// `then` unless the condition is no and `else` unless it is yes) and collects their missing
/// facts. `leaf_missing[i]` is leaf i's `leaf_value::missing`. Thread-safety: a pure function.
CTM_EXPORT bool deciding_missing(std::span<const step> steps, std::span<const truth> leaf_values,
                                 std::span<const std::uint8_t> leaf_missing);

/// The verdict after the program's missing-data policy, as `evaluation::value`:
/// `apply_policy(raw, p.policy, has_missing)`, where `has_missing` must be what
/// `program::evaluate` uses: whether some *deciding* leaf reports a missing fact
/// (`deciding_missing`), not merely whether some answer is missing. Only an unknown `raw` under a
/// policy other than `unknown` depends on it. Thread-safety: a pure function.
CTM_EXPORT truth verdict(const lowered_program& p, truth raw, bool has_missing) noexcept;

}  // namespace ctm::rules
