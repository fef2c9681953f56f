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
  // Caches by query, atom and criterion id: flat arrays (a byte per atom and criterion) rather
  // than hash maps, since a patient's candidates touch thousands of atoms of the catalog.
  std::vector<std::int32_t> answer_of(e.queries.size(), -1);
  std::vector<rules::fact_answer> answers;
  std::vector<std::uint8_t> atom_state(e.atoms.size(), 0);  // 0 = not yet, else 1 + yes|no|missing
  std::vector<std::uint8_t> passes_state(e.criteria.size(), 0);  // 0 = not yet, else 1 + yes|no
  constexpr std::uint8_t yes_bit = 1;
  constexpr std::uint8_t no_bit = 2;
  constexpr std::uint8_t missing_bit = 4;
  const auto leaf = [&](std::uint32_t id) {
    std::uint8_t st = atom_state[id];
    if (st == 0) {
      const detail::atom& a = e.atoms[id];
      if (answer_of[a.query] < 0) {
        answer_of[a.query] = static_cast<std::int32_t>(answers.size());
        answers.push_back(source.answer(e.queries[a.query], as_of));
      }
      const rules::leaf_value v = rules::assess_leaf(
          a.test, e.queries[a.query], answers[static_cast<std::size_t>(answer_of[a.query])], as_of,
          a.ontology);
      st = static_cast<std::uint8_t>(1 + (v.value == truth::yes ? yes_bit : 0) +
                                     (v.value == truth::no ? no_bit : 0) +
                                     (v.missing ? missing_bit : 0));
      atom_state[id] = st;
    }
    const auto bits = static_cast<std::uint8_t>(st - 1);
    node_words w;
    w.yes = (bits & yes_bit) != 0 ? 1 : 0;
    w.no = (bits & no_bit) != 0 ? 1 : 0;
    w.missing = (bits & missing_bit) != 0 ? 1 : 0;
    return w;
  };
  std::vector<node_words> stack;
  std::vector<const detail::arm_spec*> arms;
  static const detail::arm_spec no_arm;
  for (const std::size_t t : candidates) {
    const detail::trial_spec& ts = e.trials[t];
    if (!detail::allowed(ts, options, arms, no_arm)) continue;
    const auto [eligible, ineligible] = detail::trial_words(ts, arms, [&](std::uint32_t k) {
      std::uint8_t st = passes_state[k];
      if (st == 0) {
        const detail::criterion_spec& s = e.criteria[k];
        const auto [y, n] = detail::passes_of(s, detail::criterion_words(s, leaf, stack));
        st = static_cast<std::uint8_t>(1 + ((y & 1) != 0 ? yes_bit : 0) +
                                       ((n & 1) != 0 ? no_bit : 0));
        passes_state[k] = st;
      }
      const auto bits = static_cast<std::uint8_t>(st - 1);
      return std::pair<detail::word, detail::word>{(bits & yes_bit) != 0 ? 1 : 0,
                                                   (bits & no_bit) != 0 ? 1 : 0};
    });
    out.push_back(pair_status{0, static_cast<std::uint32_t>(t),
                              (eligible & 1) != 0     ? rules::eligibility::eligible
                              : (ineligible & 1) != 0 ? rules::eligibility::ineligible
                                                      : rules::eligibility::possibly_eligible});
  }
  return out;
}

}  // namespace ctm::batch
