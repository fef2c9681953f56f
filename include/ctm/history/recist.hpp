// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/date.hpp>
#include <ctm/core/diagnostic.hpp>
#include <ctm/core/truth.hpp>
#include <ctm/export.hpp>
#include <ctm/history/provenance.hpp>
#include <ctm/history/response_category.hpp>
#include <ctm/patient/assessment.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// RECIST 1.1 (Eisenhauer EA et al., Eur J Cancer 2009;45:228-247), as restated in the domain
/// definitions, section 1, with the EORTC "questions and clarifications" and the confirmation
/// algorithm of pharmaverse admiralonco `derive_param_confirmed_bor`.
namespace ctm::history {

/// Every RECIST 1.1 threshold, with its published default. Section numbers refer to the domain
/// definitions (docs/clinical-definitions.md restates them).
struct recist_options {
  // 1.1 measurability at baseline
  double min_measurable_mm = 10.0;       ///< non-nodal, CT/MRI/PET-CT or callipers: LD >= 10 mm
  double max_standard_slice_mm = 5.0;    ///< thicker CT slices need LD >= 2 x slice thickness
  bool assume_standard_slice = true;     ///< an unrecorded slice thickness is taken as <= 5 mm
  double min_measurable_xray_mm = 20.0;  ///< chest X-ray: LD >= 20 mm
  double min_measurable_node_mm = 15.0;  ///< lymph node short axis >= 15 mm
  double pathological_node_mm = 10.0;    ///< a node is normal below 10 mm short axis (CR rule)
  // 1.3 follow-up measurement
  double too_small_to_measure_mm = 5.0;  ///< a present lesion without a measurement counts 5 mm
  // 1.4 target response
  double pr_decrease = 0.30;                ///< PR: (B - C) / B >= 0.30 versus baseline
  double pd_increase = 0.20;                ///< PD: (C - N) / N >= 0.20 versus nadir ...
  double pd_absolute_mm = 5.0;              ///< ... and C - N >= 5 mm
  bool reappearance_after_cr_is_pd = true;  ///< a lesion back after a CR time point is PD
  // 1.2 baseline selection (checked, reported as warnings; the reader's selection is kept)
  int max_targets = 5;
  int max_targets_per_organ = 2;  ///< lymph nodes together count as one organ
  /// Baseline imaging must be no more than this many days before treatment start (1.1: 4 weeks);
  /// nullopt accepts any earlier assessment.
  std::optional<int> baseline_max_days_before_start = 28;
  // 1.8 best overall response
  bool confirmation_required = true;  ///< RECIST Table 3; false for randomised / PFS trials
  int confirmation_min_days = 28;     ///< admiralonco ref_confirm: repeat >= 4 weeks later
  int sd_min_days = 42;               ///< admiralonco ref_start_window: SD at >= 6 weeks
  int max_ne_between = 1;             ///< admiralonco max_nr_ne
  bool accept_sd_between = false;     ///< admiralonco accept_sd (one SD inside a PR window)
};

/// Target-lesion response (1.4); `none` = no target lesions at baseline (table 2 applies).
enum class target_category : std::uint8_t {
  complete_response,
  partial_response,
  stable_disease,
  progressive_disease,
  not_evaluable,
  none,
};
/// Non-target response (1.5); `none` = no non-target lesions at baseline ("NA").
enum class non_target_category : std::uint8_t {
  complete_response,
  non_cr_non_pd,
  progressive_disease,
  not_evaluable,
  none,
};
/// New lesions (1.6): an equivocal new lesion counts as `no` until a later scan confirms it.
enum class new_lesion_category : std::uint8_t { no, yes, equivocal };

/// Data-quality signals a RECIST derivation raises (never errors; the derivation goes on).
enum class recist_flag : std::uint8_t {
  nodal_pd_below_10mm,    ///< PD by the sum rule while every node is < 10 mm (1.4, open question)
  cr_followed_by_pr,      ///< a CR time point followed by PR (Table 3 note a)
  reappearance_after_cr,  ///< PD because a lesion came back after a CR time point (1.4)
  equivocal_new_lesion_confirmed,  ///< PD back-dated to the scan that first showed it (1.6)
  too_many_targets,                ///< more than 5 targets, or more than 2 in one organ (1.2)
};

CTM_EXPORT std::string_view to_string(target_category c) noexcept;      ///< "CR", "NA", ...
CTM_EXPORT std::string_view to_string(non_target_category c) noexcept;  ///< "NON-CR/NON-PD", ...
CTM_EXPORT std::string_view to_string(new_lesion_category c) noexcept;  ///< "NO", "YES", ...
CTM_EXPORT std::string_view to_string(recist_flag f) noexcept;          ///< the enumerator name

/// The sums and facts the target-lesion rule needs at one time point.
struct target_measurements {
  double baseline_sum_mm = 0.0;       ///< B: baseline sum of diameters
  double nadir_sum_mm = 0.0;          ///< N: smallest complete sum before this time point, incl. B
  double current_sum_mm = 0.0;        ///< C: sum over the targets measured now
  bool all_measured = true;           ///< every baseline target has a value now
  bool non_nodal_all_zero = false;    ///< every non-nodal target is 0 mm
  bool nodes_all_normal = true;       ///< every nodal target is below `pathological_node_mm`
  bool previous_was_cr = false;       ///< the previous time point's target response was CR
  bool non_nodal_reappeared = false;  ///< a non-nodal target at 0 mm then is > 0 mm now

  friend bool operator==(const target_measurements&, const target_measurements&) = default;
};

/// A category with the reason for it (rules and thresholds, never values) and any flags.
template <class Category>
struct categorised {
  Category category{};
  std::string reason;
  std::vector<recist_flag> flags;

  friend bool operator==(const categorised&, const categorised&) = default;
};

/// Target-lesion response of one time point (RECIST 1.1 section 4.3.1; domain 1.4), evaluated
/// in the order NE check -> PD -> CR -> PR -> SD:
///   PD: (C - N) / N >= pd_increase and C - N >= pd_absolute_mm (with N = 0, any C >= 5 mm), or a
///       lesion reappearing after a CR time point (`reappearance_after_cr_is_pd`);
///   CR: every non-nodal target 0 mm and every nodal target below 10 mm;
///   PR: (B - C) / B >= pr_decrease; SD otherwise;
///   NE: a target not measured, unless the measured ones already meet PD.
/// Boundaries are inclusive; comparisons allow 1e-9 for binary rounding of decimal millimetres.
CTM_EXPORT categorised<target_category> target_response(const target_measurements& m,
                                                        const recist_options& options = {});

/// The non-target facts at one time point.
struct non_target_observations {
  bool any_at_baseline = true;           ///< false: "NA"
  bool all_assessed = true;              ///< every baseline non-target lesion has a status now
  bool unequivocal_progression = false;  ///< the reader recorded unequivocal progression
  bool all_gone = false;                 ///< every lesion absent, every node below 10 mm

  friend bool operator==(const non_target_observations&, const non_target_observations&) = default;
};

/// Non-target response (RECIST 1.1 section 4.3.3; domain 1.5): PD on unequivocal progression
/// (a reader's judgement, never derived from sizes), else NE when a lesion was not assessed, CR
/// when all are gone, NON-CR/NON-PD otherwise; NA without non-target lesions at baseline.
/// Tumour markers are not modelled: a CR here assumes they normalised.
CTM_EXPORT categorised<non_target_category> non_target_response(const non_target_observations& o);

/// New-lesion status of one assessment (RECIST 1.1 section 4.3.2; domain 1.6): `yes` when a lesion
/// with role `new_lesion` is not equivocal (and not recorded absent), `equivocal` when only
/// equivocal ones are, `no` otherwise.
CTM_EXPORT categorised<new_lesion_category> new_lesion_status(const tumour_assessment& a);

/// Time-point overall response from RECIST 1.1 Table 1 (`target` not `none`) or Table 2 (`none`:
/// non-target disease only), exactly as domain section 1.7; an equivocal new lesion counts as NO.
/// Without target and non-target disease: PD with a new lesion, NE otherwise. Returns one of
/// complete_response, partial_response, stable_disease, non_cr_non_pd, progressive_disease,
/// not_evaluable.
CTM_EXPORT response timepoint_response(target_category target, non_target_category non_target,
                                       new_lesion_category new_lesions) noexcept;

/// Measurability of one lesion at baseline (RECIST 1.1 section 3.1; domain 1.1 and 4.10): nodes
/// by short axis >= 15 mm; non-nodal lesions LD >= 10 mm on CT/MRI/PET-CT (>= 2 x slice
/// thickness when slices exceed 5 mm), >= 10 mm by callipers, >= 20 mm on chest X-ray; never by
/// ultrasound or bone scan; a lesion without a diameter is not measurable (blastic bone disease,
/// effusions); unknown for an unrecorded or "other" method.
CTM_EXPORT truth is_measurable(const lesion& l, std::optional<imaging_method> method,
                               const recist_options& options = {});

/// "Measurable disease per RECIST 1.1": at least one measurable lesion (Kleene `any_of` over the
/// assessment's lesions), with the reason.
CTM_EXPORT categorised<truth> measurable_disease(const tumour_assessment& a,
                                                 const recist_options& options = {});

/// "Measurable disease per RECIST 1.1" on `as_of` (domain 4.10), with provenance.
struct measurability_fact {
  truth value = truth::unknown;
  std::optional<partial_date> date;  ///< of the assessment used
  provenance source;
  std::vector<diagnostic> notes;

  friend bool operator==(const measurability_fact&, const measurability_fact&) = default;
};

/// `measurable_disease` of the most recent tumour assessment with lesions dated in
/// [as_of - window, as_of] (the trial's screening window; 28 days is the common one, domain
/// 4.10). Unknown without such an assessment. Assessments without a date are ignored with a note.
CTM_EXPORT measurability_fact measurable_disease(const std::vector<tumour_assessment>& assessments,
                                                 date as_of, duration window = days(28),
                                                 const recist_options& options = {});

/// One assessed time point. Changes are fractions (-0.30 = 30% decrease).
struct recist_timepoint {
  std::size_t assessment = 0;  ///< index into the input vector
  ctm::date date{};
  bool baseline = false;
  std::optional<double> sum_mm;                ///< sum of the measured target diameters
  std::optional<double> nadir_mm;              ///< N for this time point (follow-ups)
  std::optional<double> change_from_baseline;  ///< (C - B) / B
  std::optional<double> change_from_nadir;     ///< (C - N) / N; nullopt when N = 0
  target_category target = target_category::none;
  non_target_category non_target = non_target_category::none;
  new_lesion_category new_lesions = new_lesion_category::no;
  response overall = response::not_evaluable;  ///< tables 1 and 2 (baseline: not_evaluable)
  std::string reason;
  std::vector<recist_flag> flags;
  std::vector<std::string> records;  ///< JSON pointers of the assessment and lesions used

  friend bool operator==(const recist_timepoint&, const recist_timepoint&) = default;
};

/// The RECIST 1.1 derivation over a series of tumour assessments.
struct recist_result {
  truth measurable_disease = truth::unknown;  ///< at baseline (1.1, 4.10)
  std::vector<recist_timepoint> timepoints;   ///< baseline first, then follow-ups by date
  provenance source;
  std::vector<diagnostic> notes;  ///< ignored records and data-quality warnings

  friend bool operator==(const recist_result&, const recist_result&) = default;
};

/// Derives every time point of `assessments` (the patient's `tumour_assessments`; pointers are
/// "/tumour_assessments/N/..."):
///   * baseline: with `window.start` (treatment start), the latest assessment on or before it and
///     at most `baseline_max_days_before_start` days earlier; without, the earliest assessment;
///   * follow-ups: after the baseline (after `window.start` when given) and before `window.end`;
///   * lesions are followed by `id` (by `site` when the id is empty); fragments sharing an id add
///     up; a target without a diameter counts `too_small_to_measure_mm` when its status is
///     `present` and 0 when `absent`, and is not measured otherwise;
///   * the nadir is the smallest complete sum before each time point, baseline included;
///   * an equivocal new lesion confirmed later makes the first scan that showed it PD (1.6).
/// Ignored with a note: assessments without a date (error, missing_value) or with a date not
/// known to the day (warning: RECIST intervals need days), lesions with a negative or non-finite
/// diameter (error, invalid_value), follow-up targets not present at baseline. Never throws
/// except `std::bad_alloc`.
CTM_EXPORT recist_result assess(const std::vector<tumour_assessment>& assessments,
                                const recist_options& options = {}, const date_window& window = {});

/// A dated time-point response, the input of `best_overall_response`.
struct dated_response {
  ctm::date date{};
  response value = response::not_evaluable;
  std::string record;  ///< JSON pointer of the assessment; may be empty

  friend bool operator==(const dated_response&, const dated_response&) = default;
};

/// A best overall response with how it was reached.
struct best_overall {
  response value = response::not_evaluable;
  std::optional<ctm::date> date;  ///< of the time point that gave it
  std::vector<recist_flag> flags;
  provenance source;

  friend bool operator==(const best_overall&, const best_overall&) = default;
};

/// Best overall response (RECIST 1.1 section 4.4 and Table 3; domain 1.8, with the decision of
/// domain 6.1 on early responses). Only time points up to and including the first PD count.
/// With `confirmation_required`:
///   * CR at day d is confirmed by a later CR at >= d + confirmation_min_days with only CR or NE
///     between (at most `max_ne_between` NE);
///   * PR at day d is confirmed by the first later CR or PR at >= d + confirmation_min_days, with
///     only CR/PR/SD/NE between, at most `max_ne_between` NE, no PR after a CR, and no SD (one
///     with `accept_sd_between`);
///   * a confirmed response counts however early; an unconfirmed CR/PR, or an SD, counts as SD
///     when at >= `reference + sd_min_days`, and as NE before; NON-CR/NON-PD likewise;
/// without it, CR and PR count as recorded and only SD and NON-CR/NON-PD need the minimum. Then
/// PD if a PD time point exists, else NE. The best wins (ties: the earliest). `reference` is the
/// treatment start (day 0). Flags `cr_followed_by_pr` (Table 3 note a).
CTM_EXPORT best_overall best_overall_response(std::vector<dated_response> timepoints,
                                              date reference, const recist_options& options = {});

/// `best_overall_response` over the follow-ups of `assess`, with the window's start (else the
/// baseline date) as the reference.
CTM_EXPORT best_overall best_overall_response(const recist_result& result,
                                              const date_window& window,
                                              const recist_options& options = {});

}  // namespace ctm::history
