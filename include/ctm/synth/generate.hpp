// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// Synthetic cohorts and catalogs for benchmarks, differential tests and demos (issue 8).
// Deterministic: the same options give the same records on every platform (own PRNG, no
// std::*_distribution). Every generated patient is synthetic.

#include <ctm/core/date.hpp>
#include <ctm/export.hpp>
#include <ctm/history/derive.hpp>
#include <ctm/patient/patient.hpp>
#include <ctm/rules/ast.hpp>
#include <ctm/rules/check.hpp>
#include <ctm/trial/trial.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

namespace ctm::synth {

/// Standard workload sizes (docs/performance.md): S = 10^4 x 100, M = 10^5 x 10^3,
/// L = 2x10^6 x 2x10^4.
struct workload_size {
  std::size_t patients = 0;
  std::size_t trials = 0;
};
inline constexpr workload_size size_s{10'000, 100};
inline constexpr workload_size size_m{100'000, 1'000};
inline constexpr workload_size size_l{2'000'000, 20'000};

/// The as-of date used when `cohort_options::as_of` is not a valid date.
inline constexpr date default_as_of = std::chrono::year{2026} / 11 / 1;

/// Options of a synthetic cohort. Thread-safety: a value type.
struct cohort_options {
  std::uint64_t seed = 1;
  std::size_t patients = 1000;
  date as_of{};  ///< histories end before this date; an invalid date means `default_as_of`
  /// Share of values left missing (labs not drawn, ECOG not assessed, biomarkers untested).
  double missing_rate = 0.15;
};

/// Options of a synthetic catalog. Thread-safety: a value type.
struct catalog_options {
  std::uint64_t seed = 1;
  std::size_t trials = 100;
  /// Shared definitions the templates' rules may use (data/definitions/common.rules); a template
  /// rule that does not check against them and the vocabularies is left out.
  rules::definition_library definitions;
  /// Atomic conditions per trial (trial-wide and arm criteria together): each trial draws a
  /// target in this range (mean about 40) and stops adding criteria once it is reached.
  std::size_t min_conditions = 30;
  std::size_t max_conditions = 60;
};

namespace detail {
struct cohort_model;
}

/// Generates the patients of one cohort. Building it resolves the disease, drug and lab tables
/// against the vocabularies once; `operator()` then costs a few microseconds per patient.
/// Thread-safety: immutable after construction; `operator()` may be called concurrently.
class CTM_EXPORT cohort_generator {
 public:
  cohort_generator(const cohort_options& options, const history::vocabularies& vocab);
  /// Patient `i`: a function of (seed, i, as_of, missing_rate) only.
  [[nodiscard]] patient operator()(std::size_t i) const;
  [[nodiscard]] const cohort_options& options() const noexcept;

 private:
  std::shared_ptr<const detail::cohort_model> model_;
};

/// Patient `i` of the cohort (independent of the others, so generation parallelises and
/// streams): ids "syn-<seed>-<i>". Builds a `cohort_generator` per call; use one generator for
/// many patients. Every record passes `ctm::validate` without errors. Never throws except
/// `std::bad_alloc`.
CTM_EXPORT patient generate_patient(const cohort_options& options, std::size_t i,
                                    const history::vocabularies& vocab);

/// The whole cohort, in order. Complexity: linear in `options.patients`.
CTM_EXPORT std::vector<patient> generate_patients(const cohort_options& options,
                                                  const history::vocabularies& vocab);

/// Trials made by varying the rules of `templates` (thresholds, disease codes, drug classes,
/// windows), so the mix of criteria is the real catalog's; ids "SYN<seed>-<i>". Every generated
/// rule checks against the vocabularies.
///
/// Each trial starts from one template (its conditions, phases and arms), keeps the template's
/// criteria (rules varied; criteria without a rule stay without one) and adds criteria drawn from
/// the whole catalog, varied the same way, until its number of atomic conditions reaches the
/// target. A varied rule that does not check is replaced by its template's rule. Trials are
/// recruiting. An empty `templates` gives no trials. Never throws except `std::bad_alloc`.
/// Complexity: linear in `options.trials` (each rule is parsed and checked once or a few times).
CTM_EXPORT std::vector<trial> generate_trials(const catalog_options& options,
                                              std::span<const trial> templates,
                                              const history::vocabularies& vocab);

/// The number of atomic conditions (comparisons, `is_a`, `is` tests and boolean facts; constants
/// and connectives excluded) of a parsed rule's criterion expression; 0 without one. A named
/// definition counts as one.
CTM_EXPORT std::size_t atomic_conditions(const rules::parsed_rule& rule);

/// The atomic conditions of every rule of a trial (trial-wide and arm criteria).
CTM_EXPORT std::size_t atomic_conditions(const trial& t);

}  // namespace ctm::synth
