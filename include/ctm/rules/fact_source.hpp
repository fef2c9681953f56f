// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/date.hpp>
#include <ctm/core/ids.hpp>
#include <ctm/core/quantity.hpp>
#include <ctm/core/truth.hpp>
#include <ctm/export.hpp>
#include <ctm/rules/query.hpp>

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace ctm::rules {

/// A number known exactly (`low == high`) or only within bounds (an age from a partial birth
/// date, an ECOG converted from Karnofsky under two conventions).
struct number_range {
  double low = 0.0;
  double high = 0.0;
  friend bool operator==(const number_range&, const number_range&) = default;
};

/// A measured value with the limits of normal of the same result, in the value's unit.
struct measurement {
  ctm::quantity value;
  std::optional<double> uln;  ///< upper limit of normal
  std::optional<double> lln;  ///< lower limit of normal
  friend bool operator==(const measurement&, const measurement&) = default;
};

/// An enumerated value as text: "female", "detected", "treated_stable", "IIIB", "PR".
struct symbol {
  std::string text;
  friend bool operator==(const symbol&, const symbol&) = default;
};

/// The patient's disease concepts (ids of the ontology the rule was checked against).
struct concepts {
  std::vector<concept_id> ids;
  friend bool operator==(const concepts&, const concepts&) = default;
};

/// When an event happened; no date means it is known never to have happened.
struct event {
  std::optional<ctm::partial_date> when;
  friend bool operator==(const event&, const event&) = default;
};

/// A fact's value; `std::monostate` means the fact is missing.
using fact_value =
    std::variant<std::monostate, truth, number_range, measurement, symbol, concepts, event>;

/// The answer to one `query`: a value or "missing", the date the value was observed (or a state
/// was established), and the records it came from. Thread-safety: a value type.
///
/// Evidence items are record references (JSON pointers such as "/labs/3", record ids), never
/// values. The reason text a program builds from an answer does contain the value: that is what
/// an explanation shown to a clinician is for; diagnostics and logs never do.
struct fact_answer {
  fact_value value;
  std::string missing;  ///< what is missing, when `value` is empty ("no ANC within 14 days")
  std::optional<ctm::partial_date> date;
  std::vector<std::string> evidence;
  /// The value the fact takes from a later date if nothing new is recorded (the next birthday,
  /// a resolved condition leaving a `within` window), so explanations can say when a verdict
  /// changes; tested like `value` on that date. Empty when the value does not change by itself.
  struct change {
    ctm::date on{};
    fact_value value;
    friend bool operator==(const change&, const change&) = default;
  };
  std::optional<change> next;

  [[nodiscard]] bool is_missing() const noexcept {
    return std::holds_alternative<std::monostate>(value);
  }

  /// A missing fact; an empty `what` lets the evaluator name the query itself.
  static fact_answer missing_fact(std::string what = {}) {
    fact_answer a;
    a.missing = std::move(what);
    return a;
  }

  friend bool operator==(const fact_answer&, const fact_answer&) = default;
};

/// Where a program's facts come from: one call per distinct query per evaluation.
///
/// The history module adapts its `patient_facts` to this interface; tests use in-memory fakes.
/// Each `query` documents the `fact_value` alternative it expects; any other alternative is
/// treated as a wrong answer, which makes the leaf unknown with a reason (never a crash).
/// Thread-safety: `answer` must be safe to call concurrently when the same source is shared
/// between threads; a source used by one thread only may be thread-compatible.
class CTM_EXPORT fact_source {
 public:
  fact_source() = default;
  fact_source(const fact_source&) = default;
  fact_source& operator=(const fact_source&) = default;
  fact_source(fact_source&&) = default;
  fact_source& operator=(fact_source&&) = default;
  virtual ~fact_source();

  /// The answer to `q` on `as_of` (the date eligibility is judged on).
  [[nodiscard]] virtual fact_answer answer(const query& q, date as_of) const = 0;
};

}  // namespace ctm::rules
