// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/export.hpp>
#include <ctm/rules/check.hpp>
#include <ctm/rules/program.hpp>
#include <ctm/trial/trial.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ctm {

/// One criterion with its compiled rule. A criterion without a rule, or whose rule (or a
/// definition it uses) does not check, has no program and evaluates to unknown with
/// `review_reason`; it is never dropped. Thread-safety: immutable; share freely.
struct compiled_criterion {
  std::string id;
  criterion_kind kind = criterion_kind::inclusion;
  std::string text;
  std::optional<rules::program> program;
  /// Why there is no program: `needs_manual_review`, or the first check diagnostic (its id and
  /// message, which never contain patient data).
  std::string review_reason;
  /// An inclusion criterion that asks for the patient's treatment situation itself: refractory,
  /// progressed or exposed status for a drug, class or the last line, a disease-specific preset,
  /// or a count of prior lines. A trial that requires these "seeks" such patients.
  bool targets_situation = false;
};

/// A trial's arm with its own criteria; the trial's criteria apply too.
struct compiled_arm {
  std::string id;
  std::string name;
  trial_status status = trial_status::unknown;  ///< the arm's status, else the trial's
  std::vector<compiled_criterion> criteria;
};

/// A trial whose rules are compiled once, for evaluating against many patients.
/// Thread-safety: immutable after `compile_trial`; share freely across threads.
struct compiled_trial {
  ctm::trial trial;                          ///< the document as read
  std::vector<compiled_criterion> criteria;  ///< trial-wide criteria, in document order
  std::vector<compiled_arm> arms;            ///< empty when the trial has no arms
  std::size_t review_count = 0;              ///< criteria without a program
};

/// Options of `compile_trial`.
struct compile_trial_options {
  rules::compile_options compile;  ///< passed to `rules::compile` for every criterion
};

/// Compiles every criterion of `t` (trial-wide and per arm) against `env`, with the trial's own
/// definitions (`trial::definitions`) added to `env.definitions`. Never fails: problems become
/// criteria that need review. Thread-safety: reentrant.
CTM_EXPORT compiled_trial compile_trial(const trial& t, const rules::environment& env,
                                        const compile_trial_options& options = {});

}  // namespace ctm
