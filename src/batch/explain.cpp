// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Every criterion's verdict for one (patient, trial) pair (engine::verdicts), for explanations:
// the criteria of one trial evaluated over the one 64-patient word that holds the patient.
#include "batch/eval.hpp"
#include "batch/kleene.hpp"
#include "batch/store.hpp"

#include <ctm/batch/engine.hpp>
#include <ctm/core/error.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ctm::batch {

namespace {

/// The truth bit `bit` of `v` carries.
truth truth_at(const node_words& v, detail::word bit) noexcept {
  if ((v.yes & bit) != 0) return truth::yes;
  if ((v.no & bit) != 0) return truth::no;
  return truth::unknown;
}

}  // namespace

result<std::vector<criterion_verdict>> engine::verdicts(const cohort& c, std::uint32_t patient,
                                                        std::uint32_t trial) const {
  const detail::engine_impl& e = *impl_;
  const detail::cohort_impl& ci = *c.impl_;
  if (trial >= e.trials.size()) {
    return ctm::error{errc::unknown_trial, "the trial position is outside the catalog", {}};
  }
  if (patient >= ci.size) {
    return ctm::error{errc::invalid_value, "the patient position is outside the cohort", {}};
  }
  const std::uint32_t slot = ci.slot[patient];
  const std::size_t w = slot / 64;
  const detail::word bit = detail::word{1} << (slot % 64);
  const detail::run_plan plan = detail::make_plan(e, ci);
  detail::scratch sc(e.atoms.size());
  // The atoms of word `w`, through the scratch cache `verdict_words` fills.
  const auto leaf = [&](std::uint32_t id) { return detail::cached_kernel(plan, id, w, sc); };

  const detail::trial_spec& ts = e.trials[trial];
  std::vector<criterion_verdict> out;
  const auto add = [&](std::uint32_t arm, const std::vector<std::uint32_t>& criteria) {
    for (std::size_t k = 0; k < criteria.size(); ++k) {
      const detail::criterion_spec& s = e.criteria[criteria[k]];
      criterion_verdict v;
      v.arm = arm;
      v.criterion = static_cast<std::uint32_t>(k);
      if (s.has_program) {
        const node_words words = detail::verdict_words(plan, s, w, sc);
        v.verdict = truth_at(words, bit);
        if (v.verdict == truth::unknown) {
          // Under another policy an unknown verdict has no deciding missing fact (the policy
          // would have decided it); under `unknown`, verdict_words leaves `missing` uncomputed.
          if (s.policy == rules::missing_data_policy::unknown) {
            v.missing = (detail::eval_steps<true>(s.steps, leaf, sc.stack).missing & bit) != 0;
          } else {
            v.missing = (words.missing & bit) != 0;
          }
        }
      }
      v.passes = rules::passes(s.kind, v.verdict);
      out.push_back(v);
    }
  };
  std::size_t total = ts.criteria.size();
  for (const detail::arm_spec& a : ts.arms) total += a.criteria.size();
  out.reserve(total);
  add(criterion_verdict::trial_wide, ts.criteria);
  for (std::size_t a = 0; a < ts.arms.size(); ++a) {
    add(static_cast<std::uint32_t>(a), ts.arms[a].criteria);
  }
  return out;
}

}  // namespace ctm::batch
