// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// The columnar batch engine (issue 8): a cohort's derived facts laid out in columns, and every
// trial's compiled criteria evaluated over blocks of patients with two bitmaps per node
// (known-true, known-false). Its statuses equal the scalar `match::matcher`'s exactly.

#include <ctm/core/date.hpp>
#include <ctm/core/result.hpp>
#include <ctm/export.hpp>
#include <ctm/match/matcher.hpp>
#include <ctm/rules/lowered.hpp>
#include <ctm/rules/status.hpp>
#include <ctm/trial/trial.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ctm::batch {

/// Options of loading and running. Thread-safety: a value type.
struct batch_options {
  unsigned threads = 0;             ///< workers; 0 = hardware concurrency
  bool include_closed = false;      ///< as `match::match_options::include_closed`
  std::vector<trial_phase> phases;  ///< as `match::match_options::phases`
  history::derive_options derive;   ///< `load` only: as `match::match_options::derive`
};

/// One (patient, trial) pair the index offered with at least one evaluated arm, and the status
/// of its best arm: exactly the pairs and statuses `match::matcher::match` reports with
/// `include_ineligible` and `top_k = 0` (distance filters excepted).
struct pair_status {
  std::uint32_t patient = 0;  ///< position in `cohort::patient_ids()` (usable inputs, in order)
  std::uint32_t trial = 0;    ///< position in `matcher::trials()`
  rules::eligibility status = rules::eligibility::ineligible;
  friend bool operator==(const pair_status&, const pair_status&) = default;
};

/// Counts of one run, for benchmarks and logs.
struct run_stats {
  std::uint64_t pairs = 0;  ///< candidate (patient, trial) pairs evaluated
  /// Patient x atomic-condition evaluations those pairs imply: per pair, the fact tests of the
  /// trial-wide criteria plus those of each evaluated arm's criteria.
  std::uint64_t evaluations = 0;
  std::uint64_t kernel_words = 0;  ///< 64-patient words the leaf kernels actually computed
};

/// The result of `engine::run`. Thread-safety: a value type.
struct run_result {
  std::vector<pair_status> pairs;  ///< sorted by (patient, trial)
  run_stats stats;
};

/// Receives the statuses of one block of patients from `engine::run`'s streaming form: each
/// patient's pairs together, by trial. Called from the workers, concurrently, blocks in no
/// particular order; it must be safe to call from several threads at once.
using pair_sink = std::function<void(std::span<const pair_status>)>;

/// One criterion's verdict for one patient, as the engine computed it: what `match::matcher`
/// reports as the criterion's `verdict` and `passes` (`match::criterion_result`). Thread-safety: a
/// value type.
struct criterion_verdict {
  static constexpr std::uint32_t trial_wide = std::numeric_limits<std::uint32_t>::max();
  std::uint32_t arm =
      trial_wide;               ///< index into the trial's arms; `trial_wide` for the trial's own
  std::uint32_t criterion = 0;  ///< index into that list of criteria (document order)
  truth verdict = truth::unknown;  ///< the rule's verdict, missing-data policy applied
  truth passes = truth::unknown;   ///< `rules::passes`: an exclusion that is met fails
  /// The verdict is unknown and its deciding leaves name a missing fact
  /// (`rules::deciding_missing`): a fact to collect rather than one the record cannot settle.
  /// Exactly when `match::criterion_result::missing` is non-empty. Never set for a known verdict,
  /// for a criterion without a program (needs review), or under a missing-data policy other than
  /// `unknown` (the policy decides every verdict this would be set for).
  bool missing = false;
  friend bool operator==(const criterion_verdict&, const criterion_verdict&) = default;
};

/// Order-independent FNV-1a checksum of sorted (patient id, trial id, status) triples, the
/// comparison the benchmarks make between the engine and its baselines: the triples are sorted
/// (by patient id, trial id, status name) and hashed as "patient\ttrial\tstatus\n" lines, the
/// status spelled as `rules::to_string`. Thread-safety: a pure function.
CTM_EXPORT std::uint64_t checksum(std::span<const pair_status> pairs,
                                  std::span<const std::string> patient_ids,
                                  std::span<const std::string> trial_ids);

/// One node of a program over 64 patients (bit i is patient i of a block): known-true and
/// known-false bitmaps (unknown is neither), and the patients whose explanation of the node names
/// a missing fact (`rules::deciding_missing`; what a missing-data policy looks at).
struct node_words {
  std::uint64_t yes = 0;
  std::uint64_t no = 0;
  std::uint64_t missing = 0;
  friend bool operator==(const node_words&, const node_words&) = default;
};

/// The bitwise form of `rules::fold` and `rules::deciding_missing` the engine runs: Kleene
/// and/or/not as bitwise operations, at_least/at_most with bit-sliced counters, conditionals
/// per bit. `leaves[i]` holds leaf i's words (step `arg`). Thread-safety: a pure function.
/// Complexity: O(steps x log(children)) word operations.
CTM_EXPORT node_words fold_words(std::span<const rules::step> steps,
                                 std::span<const node_words> leaves);

namespace detail {
struct builder_impl;
struct cohort_impl;
struct engine_impl;
}  // namespace detail

/// A cohort's derived facts in columns, for one engine (its catalog's queries) and one as-of date.
/// Thread-safety: immutable after `engine::load`; share freely.
class CTM_EXPORT cohort {
 public:
  [[nodiscard]] std::size_t size() const noexcept;  ///< usable patients
  [[nodiscard]] const std::vector<std::string>& patient_ids() const noexcept;
  /// Inputs that carried an error or could not be derived, with their labels, in input order;
  /// they have no position in the cohort.
  [[nodiscard]] const std::vector<match::batch_output>& errors() const noexcept;
  [[nodiscard]] date as_of() const noexcept;
  /// Bytes held by the columns (the batch store), for the bytes-per-patient figure.
  [[nodiscard]] std::size_t bytes() const noexcept;

 private:
  friend class engine;
  friend class cohort_builder;
  explicit cohort(std::shared_ptr<const detail::cohort_impl> impl);
  std::shared_ptr<const detail::cohort_impl> impl_;
};

/// Builds a cohort from parts, so that a cohort larger than the patient records that make it up
/// fits in memory: derive a part, append its answers to the columns, drop its records. Made by
/// `engine::builder`. Thread-safety: not thread-safe; `add` itself runs on the options' workers.
class CTM_EXPORT cohort_builder {
 public:
  cohort_builder(cohort_builder&&) noexcept;
  cohort_builder& operator=(cohort_builder&&) noexcept;
  ~cohort_builder();

  /// Derives each patient of `patients` and appends its answers, as `engine::load` does; the
  /// records are not referenced after the call. Inputs with an error go to `cohort::errors()`.
  /// Patients take positions in the order they are added. Never throws except `std::bad_alloc`.
  void add(std::span<const match::batch_input> patients);

  /// Usable patients added so far.
  [[nodiscard]] std::size_t size() const noexcept;

  /// The cohort: candidate trials per distinct diagnosis set, columns in their compact form; it
  /// answers as `engine::load` of all the parts at once would. Call once: the builder holds
  /// nothing afterwards and `add` and `finish` must not be called on it again.
  [[nodiscard]] cohort finish();

 private:
  friend class engine;
  explicit cohort_builder(std::unique_ptr<detail::builder_impl> impl);
  std::unique_ptr<detail::builder_impl> impl_;
};

/// The batch engine over one matcher's catalog. Thread-safety: immutable after `create`; member
/// functions may be called concurrently.
class CTM_EXPORT engine {
 public:
  /// Lowers every compiled criterion of `m`'s catalog into column kernels.
  static engine create(const match::matcher& m);

  /// Derives each patient once (`history::derive_facts` with `options.derive` and the matcher's
  /// vocabularies, answered through `rules::patient_fact_source`, as the scalar matcher does),
  /// stores the answers to the catalog's distinct queries in columns, and resolves each distinct
  /// diagnosis set's candidate trials with the matcher's index. Runs on `options.threads`
  /// workers; the result does not depend on the thread count. Never throws except
  /// `std::bad_alloc`. Complexity: O(patients x distinct queries) answers.
  [[nodiscard]] cohort load(std::span<const match::batch_input> patients, date as_of,
                            const batch_options& options = {}) const;

  /// A builder that loads a cohort in parts (`cohort_builder`), with `load`'s options.
  [[nodiscard]] cohort_builder builder(date as_of, const batch_options& options = {}) const;

  /// Every candidate (patient, trial) pair's best-arm status, with `options.include_closed` and
  /// `options.phases` as in `match::match_options` (`within_km` has no batch counterpart: distance
  /// filters are out of scope). `c` must come from this engine's `load` or `builder`. Runs on
  /// `options.threads` workers over blocks of 1024 patients; the output is sorted by (patient,
  /// trial) whatever the thread count. Complexity: per 64-patient word (patients stored grouped
  /// by diagnosis set), each atom and each criterion a candidate trial needs is computed once,
  /// then every candidate trial's criteria are folded bitwise; plus one write per pair.
  [[nodiscard]] run_result run(const cohort& c, const batch_options& options = {}) const;

  /// As `run`, handing each 64-patient word's pairs to `sink` instead of keeping them, for cohorts
  /// whose pairs do not fit in memory (2x10^6 patients against 2x10^4 trials make about 6x10^9).
  /// The pairs and statuses are those `run` returns; only their order and grouping into calls
  /// differ. Memory beyond the cohort does not grow with it: each worker reuses one buffer.
  run_stats run(const cohort& c, const pair_sink& sink, const batch_options& options = {}) const;

  /// One patient against the catalog: the statuses `run` gives for a cohort of this one patient
  /// (`pair_status::patient` is 0), sorted by trial. Derives the patient once and answers only
  /// the queries of its candidate trials, so its cost follows the patient's candidates rather
  /// than the catalog's size: the path for a clinician's single query. Thread-safety: may be
  /// called concurrently. Complexity: derivation plus the candidate trials' atomic conditions.
  [[nodiscard]] std::vector<pair_status> run_one(const patient& p, date as_of,
                                                 const batch_options& options = {}) const;

  /// Every criterion's verdict of trial `trial` for patient `patient` (positions as in
  /// `pair_status`), whether or not the pair is a candidate: the trial-wide criteria, then each
  /// arm's (every arm, open or not), each in document order. Equal to the verdicts
  /// `match::matcher::explain` reports, and `match::matcher::match` with `include_closed` (each
  /// of whose arms lists the trial-wide criteria first; without `include_closed` it lists only
  /// open arms). Computed only when asked, for explanations of single pairs; `c` must come from
  /// this engine. Errors: `errc::unknown_trial` when `trial` is out of range (checked first),
  /// `errc::invalid_value` when `patient` is. Complexity: one pass over the catalog's atoms and
  /// the cohort's interned symbols (a run's lookup tables), then the trial's criteria over the
  /// patient's 64-patient word.
  [[nodiscard]] result<std::vector<criterion_verdict>> verdicts(const cohort& c,
                                                                std::uint32_t patient,
                                                                std::uint32_t trial) const;

  /// As `match::matcher::feasibility` over the cohort's inputs, with identical counts and
  /// attrition rows (every usable patient, no index pruning; `errors` counts the unusable ones).
  /// Errors: `errc::unknown_trial` when no trial has this id or the trial has no arm `arm_id`.
  /// Complexity: O(patients / 64 x the criteria's size) word operations.
  [[nodiscard]] result<match::feasibility_result> feasibility(
      std::string_view trial_id, const cohort& c, std::string_view arm_id = {},
      const batch_options& options = {}) const;

  [[nodiscard]] const std::vector<std::string>& trial_ids() const noexcept;

 private:
  explicit engine(std::shared_ptr<const detail::engine_impl> impl);
  std::shared_ptr<const detail::engine_impl> impl_;
};

}  // namespace ctm::batch
