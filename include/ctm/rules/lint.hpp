// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/export.hpp>
#include <ctm/rules/check.hpp>
#include <ctm/rules/diagnostic.hpp>
#include <ctm/rules/status.hpp>

#include <span>
#include <string>
#include <vector>

namespace ctm::rules {

/// One criterion of a trial as the linter sees it.
struct lint_criterion {
  std::string id;  ///< "incl-3"; used in messages
  criterion_kind kind = criterion_kind::inclusion;
  checked_rule rule;
};

/// Findings about one checked rule beyond type errors (docs/rule-language.md, "Lint"):
/// - `rule_never_met` (error): a test no value can pass (`ecog > 5`, `age in 80..18`), ranges on
///   the same fact in one `and` that do not intersect, a criterion that folds to `false`;
/// - `rule_always_met` (warning): a test every value passes (`ecog <= 5`), a criterion that
///   folds to `true`;
/// - `rule_suspicious_threshold` (warning): ECOG above 5, negative ages or counts, ages above 120,
///   Karnofsky not a multiple of 10, percentages above 100, negative lab values;
/// - `rule_dead_branch` (warning): a conditional whose condition is constant, whose branches are
///   identical, or nested under the same condition.
/// The diagnostics of `check` are not repeated. Thread-safety: reentrant.
CTM_EXPORT std::vector<diagnostic> lint(const checked_rule& rule);

/// `rule_unused_definition` (warning) for each definition of `library` (and of the documents'
/// own definitions) that no criterion in `criteria` uses, directly or through other definitions.
/// Thread-safety: reentrant.
CTM_EXPORT std::vector<diagnostic> lint_unused(const definition_library& library,
                                               std::span<const checked_rule> criteria);

/// Cross-criterion findings of one trial: `rule_overlap` when an inclusion and an exclusion test
/// the same fact and some values satisfy both (a warning), or every value the inclusion admits is
/// excluded (`rule_never_met`, an error). Thread-safety: reentrant.
CTM_EXPORT std::vector<diagnostic> lint_criteria(std::span<const lint_criterion> criteria);

}  // namespace ctm::rules
