// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/date.hpp>
#include <ctm/export.hpp>
#include <ctm/history/derive.hpp>
#include <ctm/history/facts.hpp>
#include <ctm/patient/patient.hpp>
#include <ctm/rules/fact_source.hpp>
#include <ctm/rules/query.hpp>

#include <vector>

namespace ctm::rules {

/// The bridge from a patient's record and derived facts to the rule language: answers every
/// `rules::query` kind from one `history::patient_facts` (derived once per patient and as-of
/// date), the record itself (demographics, diagnoses, biomarkers, metastases, conditions) and the
/// vocabularies the facts were derived with.
///
/// Answers follow `query.hpp`: a fact the record cannot decide is missing (named by the
/// evaluator), never guessed; "no test of this gene on record" is the known symbol "untested";
/// an event that never happened is an `event` without a date. Evidence items are JSON pointers
/// into the record ("/labs/3"), never values.
///
/// The source keeps references to `record`, `facts` and `vocab`: they must outlive it. Lab queries
/// read the record's results as `facts.lab_results` resolved them (derive again after changing
/// the record's labs), so each reads only the results that name its analyte, without catalogue
/// look-ups; facts without a resolution for every result (built by hand) are answered by looking
/// the results up per query, with the same answers. Thread-safety: immutable after construction;
/// `answer` may be called concurrently.
class CTM_EXPORT patient_fact_source final : public fact_source {
 public:
  patient_fact_source(const patient& record, const history::patient_facts& facts,
                      const history::vocabularies& vocab);

  /// The answer to `q` on `as_of`. Facts derived for another date are still answered from
  /// `facts` (derive for the date you evaluate on). Never throws except `std::bad_alloc`.
  [[nodiscard]] fact_answer answer(const query& q, date as_of) const override;

  [[nodiscard]] const patient& record() const noexcept { return *record_; }
  [[nodiscard]] const history::patient_facts& facts() const noexcept { return *facts_; }

 private:
  const patient* record_;
  const history::patient_facts* facts_;
  const history::vocabularies* vocab_;
  std::vector<concept_id> diagnoses_;  // resolved once; an unresolvable code is id size()
};

}  // namespace ctm::rules
