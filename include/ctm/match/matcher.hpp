// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/date.hpp>
#include <ctm/core/error.hpp>
#include <ctm/core/result.hpp>
#include <ctm/core/truth.hpp>
#include <ctm/export.hpp>
#include <ctm/history/derive.hpp>
#include <ctm/match/index.hpp>
#include <ctm/match/score.hpp>
#include <ctm/patient/patient.hpp>
#include <ctm/rules/check.hpp>
#include <ctm/rules/status.hpp>
#include <ctm/trial/compiled_trial.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ctm::match {

/// Options of one match run. Thread-safety: a value type.
struct match_options {
  std::size_t top_k = 0;            ///< keep the best k trials; 0 = all
  bool include_ineligible = false;  ///< also list ineligible trials (ranked last)
  bool include_closed = false;      ///< also trials and arms that are not open
  std::vector<trial_phase> phases;  ///< only these phases; empty = any
  /// Only trials with a located site this close to the patient (ignored when the patient has no
  /// location); nullopt = any distance.
  std::optional<double> within_km;
  unsigned threads = 0;  ///< batch workers; 0 = hardware concurrency
  scorer_config scorer;
  history::derive_options derive;
  /// Called by `match_batch` after each patient, from the worker that finished it (so it must be
  /// thread-safe); for progress bars. May be empty.
  std::function<void()> on_patient_done;
};

/// One criterion's verdict for one patient.
struct criterion_result {
  std::string id;
  criterion_kind kind = criterion_kind::inclusion;
  std::string text;
  truth verdict = truth::unknown;  ///< of the criterion's rule (met / not met / unknown)
  truth passes = truth::unknown;   ///< `rules::passes`: an exclusion that is met fails
  std::string reason;
  std::vector<std::string> missing;  ///< facts that would decide it
  bool needs_review = false;         ///< no rule (or one that does not check)
  std::optional<date> changes_on;    ///< the verdict changes on this date if nothing new happens
  truth value_after = truth::unknown;
  bool targets_situation = false;
};

/// One arm's status (a trial without arms has one result with an empty id).
struct arm_result {
  std::string arm_id;
  std::string arm_name;
  rules::eligibility status = rules::eligibility::ineligible;
  std::vector<criterion_result> criteria;  ///< trial-wide first, then the arm's
  std::vector<std::string> missing;        ///< facts missing for its unknown criteria, no repeats
  /// Ineligible because of exactly this one criterion.
  std::optional<std::string> near_miss;
  /// Ineligible now, but every failing criterion passes from a later date (a washout or waiting
  /// period): the first date on which none fails.
  std::optional<date> eligible_from;
  score_input input;
  score_breakdown score;
};

/// One trial's result: its best arm and every arm evaluated.
struct trial_result {
  std::string trial_id;
  std::string title;
  trial_status status = trial_status::unknown;
  std::vector<trial_phase> phases;
  std::vector<arm_result> arms;  ///< open arms (every arm with `include_closed`), document order
  std::size_t best_arm = 0;      ///< index into `arms`
  std::optional<double> nearest_site_km;
  std::size_t rank = 0;  ///< 1-based

  [[nodiscard]] const arm_result& best() const noexcept { return arms[best_arm]; }
};

/// Every ranked trial for one patient. Thread-safety: a value type.
struct match_result {
  std::string patient_id;
  date as_of{};
  std::vector<trial_result> results;  ///< by rank
  std::size_t candidates = 0;         ///< trials the index offered
  std::size_t evaluated = 0;          ///< trials with at least one open arm evaluated
  std::string scorer;                 ///< the scorer's name
};

/// One unknown fact and the possibly-eligible trials it would help decide.
struct test_suggestion {
  std::string fact;                    ///< rule spelling: "ecog", "biomarker(\"KRAS\")"
  std::vector<std::string> trial_ids;  ///< sorted
};

/// What to test next: the missing facts of the possibly-eligible trials in `r`, and the untested
/// biomarkers of the trials that are ineligible only through them (match with
/// `include_ineligible` to see those), ranked by how many trials each would help decide (ties by
/// the fact's name). Thread-safety: a pure function.
CTM_EXPORT std::vector<test_suggestion> next_tests(const match_result& r);

/// One patient of a batch: the record, or the error that made it unusable.
struct batch_input {
  std::string label;  ///< the patient id, or "record N of FILE" when the id is unknown
  std::optional<patient> record;
  std::optional<ctm::error> error;
};

/// One patient's outcome in a batch, in input order.
struct batch_output {
  std::string label;
  std::optional<match_result> result;
  std::optional<ctm::error> error;
};

/// Counts and attrition of one trial over a cohort (OHDSI ATLAS-style inclusion-rule impact).
struct attrition_row {
  std::string criterion_id;
  criterion_kind kind = criterion_kind::inclusion;
  std::string text;
  std::size_t remaining_before = 0;  ///< patients not yet excluded by earlier criteria
  std::size_t excluded_in_sequence = 0;
  std::size_t excluded_alone = 0;  ///< patients this criterion excludes on its own
  std::size_t unknown = 0;         ///< patients for whom it is unknown
};

struct feasibility_result {
  std::string trial_id;
  std::string arm_id;        ///< the arm whose criteria were used (empty: trial-wide only)
  std::size_t patients = 0;  ///< usable patients
  std::size_t errors = 0;    ///< unusable patients
  std::size_t eligible = 0;
  std::size_t possibly_eligible = 0;
  std::size_t ineligible = 0;
  std::vector<attrition_row> rows;  ///< in criterion order
};

/// The vocabularies, shared definitions and compile options a matcher is built with.
struct matcher_config {
  history::vocabularies vocab;
  rules::definition_library definitions;
  compile_trial_options compile;
};

namespace detail {
struct matcher_impl;
}

/// Matches patients to a catalog of trials: holds the compiled trials, the index and the
/// vocabularies. Each patient's facts are derived once per as-of date and every candidate trial
/// and arm is evaluated from them.
/// Thread-safety: immutable after `create`; copies share state; every member function may be
/// called concurrently.
class CTM_EXPORT matcher {
 public:
  /// Compiles `trials` (criteria that do not compile need review; nothing is dropped).
  static matcher create(std::vector<trial> trials, const matcher_config& config);

  /// Ranks the candidate trials for `p` on `as_of`. Never throws except `std::bad_alloc`.
  [[nodiscard]] match_result match(const patient& p, date as_of,
                                   const match_options& options = {}) const;

  /// Evaluates `p` against one trial by id, open or not, every arm, including ineligible.
  /// Errors: `errc::unknown_code` when no trial has this id.
  [[nodiscard]] result<trial_result> explain(const patient& p, std::string_view trial_id,
                                             date as_of, const match_options& options = {}) const;

  /// Matches many patients on `options.threads` workers; the output has one item per input, in
  /// input order, whatever the thread count. An input that carries an error keeps it.
  [[nodiscard]] std::vector<batch_output> match_batch(std::span<const batch_input> patients,
                                                      date as_of,
                                                      const match_options& options = {}) const;

  /// One trial against a cohort: counts per status and the attrition table for the trial-wide
  /// criteria plus those of `arm_id` (empty: the first open arm, if any).
  /// Errors: `errc::unknown_code` when no trial has this id.
  [[nodiscard]] result<feasibility_result> feasibility(std::string_view trial_id,
                                                       std::span<const batch_input> cohort,
                                                       date as_of,
                                                       const match_options& options = {},
                                                       std::string_view arm_id = {}) const;

  [[nodiscard]] const std::vector<compiled_trial>& trials() const noexcept;
  [[nodiscard]] const trial_index& index() const noexcept;
  /// The vocabularies the catalog was compiled against and patients are derived with (for
  /// engines that derive facts themselves, such as `batch::engine`).
  [[nodiscard]] const history::vocabularies& vocabularies() const noexcept;

 private:
  explicit matcher(std::shared_ptr<const detail::matcher_impl> impl);
  std::shared_ptr<const detail::matcher_impl> impl_;
};

}  // namespace ctm::match
