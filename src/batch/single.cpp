// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// One patient against the catalog (engine::run_one): derive once, answer only the queries the
// patient's candidate trials ask, fold their criteria one bit wide. No columns, no per-catalog
// set-up, so the cost follows the patient's candidates rather than the catalog's size.
#include "batch/eval.hpp"
#include "batch/store.hpp"

#include <ctm/batch/engine.hpp>
#include <ctm/rules/patient_fact_source.hpp>

#include <algorithm>
#include <tuple>
#include <unordered_map>

namespace ctm::batch {

std::vector<pair_status> engine::run_one(const patient& p, date as_of,
                                         const batch_options& options) const {
  const detail::engine_impl& e = *impl_;
  const history::vocabularies& vocab = e.matcher.vocabularies();
  std::vector<pair_status> out;
  match::index_query iq;
  if (vocab.diseases) iq.diseases = match::resolve_diagnoses(p, *vocab.diseases);
  iq.include_closed = true;
  const std::vector<std::size_t> candidates = e.matcher.index().candidates(iq);
  if (candidates.empty()) return out;

  const history::patient_facts facts = history::derive_facts(p, as_of, vocab, options.derive);
  const rules::patient_fact_source source(p, facts, vocab);
  std::unordered_map<std::uint32_t, rules::fact_answer> answers;  // by query
  std::unordered_map<std::uint32_t, node_words> atoms;            // by atom
  const auto leaf = [&](std::uint32_t id) {
    const auto found = atoms.find(id);
    if (found != atoms.end()) return found->second;
    const detail::atom& a = e.atoms[id];
    auto it = answers.find(a.query);
    if (it == answers.end()) {
      it = answers.emplace(a.query, source.answer(e.queries[a.query], as_of)).first;
    }
    const rules::leaf_value v =
        rules::assess_leaf(a.test, e.queries[a.query], it->second, as_of, a.ontology);
    node_words w;
    w.yes = v.value == truth::yes ? 1 : 0;
    w.no = v.value == truth::no ? 1 : 0;
    w.missing = v.missing ? 1 : 0;
    atoms.emplace(id, w);
    return w;
  };
  std::vector<node_words> stack;
  std::vector<const detail::arm_spec*> arms;
  static const detail::arm_spec no_arm;
  for (const std::size_t t : candidates) {
    const detail::trial_spec& ts = e.trials[t];
    if (!detail::allowed(ts, options, arms, no_arm)) continue;
    const auto [eligible, ineligible] = detail::trial_words(ts, arms, [&](std::uint32_t k) {
      const detail::criterion_spec& s = e.criteria[k];
      const node_words v = detail::criterion_words(s, leaf, stack);
      return s.kind == criterion_kind::inclusion ? std::pair{v.yes, v.no} : std::pair{v.no, v.yes};
    });
    out.push_back(pair_status{0, static_cast<std::uint32_t>(t),
                              (eligible & 1) != 0     ? rules::eligibility::eligible
                              : (ineligible & 1) != 0 ? rules::eligibility::ineligible
                                                      : rules::eligibility::possibly_eligible});
  }
  return out;
}

}  // namespace ctm::batch
