// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Evaluating a patient against candidate trials and arms, ranking, what to test next, batch and
// feasibility (issue 6).
#include "core/logging.hpp"

#include <ctm/match/matcher.hpp>
#include <ctm/rules/patient_fact_source.hpp>

#include <algorithm>
#include <atomic>
#include <map>
#include <thread>
#include <utility>

namespace ctm::match {
namespace detail {

struct matcher_impl {
  std::vector<compiled_trial> trials;
  std::vector<trial> documents;
  trial_index index;
  matcher_config config;

  matcher_impl(std::vector<compiled_trial> t, std::vector<trial> d, trial_index ix,
               matcher_config c)
      : trials(std::move(t)), documents(std::move(d)), index(std::move(ix)), config(std::move(c)) {}
};

}  // namespace detail

namespace {

void add_unique(std::vector<std::string>& to, const std::string& s) {
  if (std::find(to.begin(), to.end(), s) == to.end()) to.push_back(s);
}

criterion_result evaluate(const compiled_criterion& c, const rules::fact_source& source, date as_of,
                          rules::evaluation_context& context) {
  criterion_result r;
  r.id = c.id;
  r.kind = c.kind;
  r.text = c.text;
  r.targets_situation = c.targets_situation;
  if (!c.program) {
    r.needs_review = true;
    r.reason = c.review_reason;
    return r;
  }
  rules::evaluation e = c.program->evaluate(source, as_of, context);
  r.verdict = e.value;
  r.passes = rules::passes(c.kind, e.value);
  r.reason = std::move(e.reason);
  if (r.verdict == truth::unknown) r.missing = std::move(e.missing);
  r.changes_on = e.changes_on;
  r.value_after = e.value_after;
  return r;
}

/// Aggregates an arm's criteria into its status, near miss, missing facts and eligibility date.
void finish_arm(arm_result& a) {
  std::vector<truth> passes;
  std::size_t failing = 0;
  std::optional<date> from;
  bool all_wait = true;
  auto& in = a.input;
  in.criteria = a.criteria.size();
  for (const auto& c : a.criteria) {
    passes.push_back(c.passes);
    if (c.passes == truth::yes) {
      ++in.passed;
      if (c.targets_situation && c.kind == criterion_kind::inclusion) ++in.situation_met;
    } else if (c.passes == truth::unknown) {
      if (c.needs_review) {
        ++in.unknown_review;
      } else {
        ++in.unknown_missing;
      }
      for (const auto& m : c.missing) add_unique(a.missing, m);
    } else {
      ++failing;
      a.near_miss = c.id;
      const truth after = rules::passes(c.kind, c.value_after);
      if (c.changes_on && after != truth::no) {
        if (!from || *c.changes_on > *from) from = c.changes_on;
      } else {
        all_wait = false;
      }
    }
  }
  a.status = rules::aggregate(passes);
  in.status = a.status;
  if (failing != 1) a.near_miss.reset();
  if (failing > 0 && all_wait) a.eligible_from = from;
}

/// Evaluates one trial's open arms (every arm when `all_arms`); nullopt when none is open.
std::optional<trial_result> evaluate_trial(const compiled_trial& ct, const patient& p,
                                           const rules::fact_source& source, date as_of,
                                           bool all_arms, rules::evaluation_context& context) {
  trial_result t;
  t.trial_id = ct.trial.id;
  t.title = ct.trial.title;
  t.status = ct.trial.status;
  t.phases = ct.trial.phases;
  if (p.location) t.nearest_site_km = nearest_site_km(ct.trial, *p.location);
  std::vector<criterion_result> shared;
  shared.reserve(ct.criteria.size());
  for (const auto& c : ct.criteria) shared.push_back(evaluate(c, source, as_of, context));
  const auto make = [&](const compiled_arm* arm) {
    arm_result a;
    a.criteria = shared;
    if (arm != nullptr) {
      a.arm_id = arm->id;
      a.arm_name = arm->name;
      for (const auto& c : arm->criteria) a.criteria.push_back(evaluate(c, source, as_of, context));
    }
    a.input.distance_km = t.nearest_site_km;
    a.input.travel_km = p.max_travel_km;
    a.input.phases = t.phases;
    a.input.trial_id = t.trial_id;
    finish_arm(a);
    return a;
  };
  if (ct.arms.empty()) {
    t.arms.push_back(make(nullptr));
  } else {
    for (const auto& arm : ct.arms) {
      if (!all_arms && !is_open(arm.status)) continue;
      t.arms.push_back(make(&arm));
    }
    if (t.arms.empty()) return std::nullopt;
  }
  return t;
}

bool better_arm(const arm_result& a, const arm_result& b) {
  if (a.status != b.status) return a.status > b.status;
  return a.score.total > b.score.total;  // earlier arm wins ties (stable)
}

/// Scores every arm of every result at once and picks each trial's best arm.
void score_all(std::vector<trial_result>& results, const scorer_config& config) {
  std::vector<score_input> inputs;
  for (const auto& t : results) {
    for (const auto& a : t.arms) inputs.push_back(a.input);
  }
  const auto scores = score(inputs, config);
  std::size_t k = 0;
  for (auto& t : results) {
    for (auto& a : t.arms) a.score = scores[k++];
    t.best_arm = 0;
    for (std::size_t i = 1; i < t.arms.size(); ++i) {
      if (better_arm(t.arms[i], t.arms[t.best_arm])) t.best_arm = i;
    }
  }
}

void rank(std::vector<trial_result>& results, const match_options& options) {
  if (!options.include_ineligible) {
    std::erase_if(results, [](const trial_result& t) {
      return t.best().status == rules::eligibility::ineligible;
    });
  }
  std::sort(results.begin(), results.end(), [](const trial_result& a, const trial_result& b) {
    const auto& x = a.best();
    const auto& y = b.best();
    if (x.status != y.status) return x.status > y.status;
    if (x.score.total != y.score.total) return x.score.total > y.score.total;
    return a.trial_id < b.trial_id;
  });
  if (options.top_k > 0 && results.size() > options.top_k) results.resize(options.top_k);
  for (std::size_t i = 0; i < results.size(); ++i) results[i].rank = i + 1;
}

}  // namespace

matcher::matcher(std::shared_ptr<const detail::matcher_impl> impl) : impl_(std::move(impl)) {}

matcher matcher::create(std::vector<trial> trials, const matcher_config& config) {
  std::sort(trials.begin(), trials.end(),
            [](const trial& a, const trial& b) { return a.id < b.id; });
  rules::environment env;
  env.ontology = config.vocab.diseases;
  env.drugs = config.vocab.drugs;
  env.labs = config.vocab.labs;
  env.definitions = config.definitions;
  std::vector<compiled_trial> compiled;
  compiled.reserve(trials.size());
  std::size_t review = 0;
  for (const auto& t : trials) {
    compiled.push_back(compile_trial(t, env, config.compile));
    review += compiled.back().review_count;
  }
  ctm::detail::logger().info("match: compiled {} trials; {} criteria need manual review",
                             compiled.size(), review);
  trial_index index(trials, config.vocab.diseases);
  return matcher(std::make_shared<const detail::matcher_impl>(
      std::move(compiled), std::move(trials), std::move(index), config));
}

const std::vector<compiled_trial>& matcher::trials() const noexcept { return impl_->trials; }
const trial_index& matcher::index() const noexcept { return impl_->index; }
const history::vocabularies& matcher::vocabularies() const noexcept { return impl_->config.vocab; }

match_result matcher::match(const patient& p, date as_of, const match_options& options) const {
  const auto& ix = *impl_;
  match_result out;
  out.patient_id = p.id;
  out.as_of = as_of;
  out.scorer = options.scorer.name;
  const history::patient_facts facts =
      history::derive_facts(p, as_of, ix.config.vocab, options.derive);
  const rules::patient_fact_source source(p, facts, ix.config.vocab);
  index_query q;
  if (ix.config.vocab.diseases) q.diseases = resolve_diagnoses(p, *ix.config.vocab.diseases);
  q.include_closed = options.include_closed;
  q.phases = options.phases;
  if (options.within_km && p.location) {
    q.near = p.location;
    q.within_km = options.within_km;
  }
  const auto candidates = ix.index.candidates(q);
  out.candidates = candidates.size();
  rules::evaluation_context context;
  for (const std::size_t i : candidates) {
    auto t = evaluate_trial(ix.trials[i], p, source, as_of, options.include_closed, context);
    if (t) out.results.push_back(std::move(*t));
  }
  out.evaluated = out.results.size();
  score_all(out.results, options.scorer);
  rank(out.results, options);
  ctm::detail::logger().debug("match: one patient, {} candidate trials, {} listed", out.candidates,
                              out.results.size());
  return out;
}

result<trial_result> matcher::explain(const patient& p, std::string_view trial_id, date as_of,
                                      const match_options& options) const {
  const auto& ix = *impl_;
  const auto it = std::find_if(ix.trials.begin(), ix.trials.end(),
                               [&](const compiled_trial& t) { return t.trial.id == trial_id; });
  if (it == ix.trials.end()) {
    return ctm::error{errc::unknown_trial, "no trial with this id in the catalog", {}};
  }
  const history::patient_facts facts =
      history::derive_facts(p, as_of, ix.config.vocab, options.derive);
  const rules::patient_fact_source source(p, facts, ix.config.vocab);
  rules::evaluation_context context;
  std::vector<trial_result> one;
  one.push_back(*evaluate_trial(*it, p, source, as_of, true, context));
  score_all(one, options.scorer);
  one.front().rank = 1;
  return std::move(one.front());
}

std::vector<test_suggestion> next_tests(const match_result& r) {
  std::map<std::string, std::vector<std::string>> by_fact;
  for (const auto& t : r.results) {
    const auto& a = t.best();
    if (a.status == rules::eligibility::possibly_eligible) {
      for (const auto& m : a.missing) add_unique(by_fact[m], t.trial_id);
    }
  }
  std::vector<test_suggestion> out;
  for (auto& [fact, ids] : by_fact) {
    std::sort(ids.begin(), ids.end());
    out.push_back({fact, ids});
  }
  std::stable_sort(out.begin(), out.end(), [](const test_suggestion& a, const test_suggestion& b) {
    return a.trial_ids.size() > b.trial_ids.size();
  });
  return out;
}

std::vector<batch_output> matcher::match_batch(std::span<const batch_input> patients, date as_of,
                                               const match_options& options) const {
  std::vector<batch_output> out(patients.size());
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t i = next++; i < patients.size(); i = next++) {
      const auto& in = patients[i];
      auto& o = out[i];
      o.label = in.label;
      if (in.error || !in.record) {
        o.error = in.error.value_or(
            ctm::error{errc::missing_value, "the patient record could not be read", {}});
        continue;
      }
      o.result = match(*in.record, as_of, options);
      if (options.on_patient_done) options.on_patient_done();
    }
  };
  unsigned n = options.threads != 0 ? options.threads : std::thread::hardware_concurrency();
  n = std::max(1U, std::min<unsigned>(n, static_cast<unsigned>(patients.size())));
  if (n <= 1) {
    work();
  } else {
    std::vector<std::jthread> workers;
    for (unsigned k = 0; k < n; ++k) workers.emplace_back(work);
  }
  return out;
}

result<feasibility_result> matcher::feasibility(std::string_view trial_id,
                                                std::span<const batch_input> cohort, date as_of,
                                                const match_options& options,
                                                std::string_view arm_id) const {
  const auto& ix = *impl_;
  const auto it = std::find_if(ix.trials.begin(), ix.trials.end(),
                               [&](const compiled_trial& t) { return t.trial.id == trial_id; });
  if (it == ix.trials.end()) {
    return ctm::error{errc::unknown_trial, "no trial with this id in the catalog", {}};
  }
  const compiled_trial& ct = *it;
  const compiled_arm* arm = nullptr;
  for (const auto& a : ct.arms) {
    if (arm_id.empty() ? (is_open(a.status) || options.include_closed) : a.id == arm_id) {
      arm = &a;
      break;
    }
  }
  if (!arm_id.empty() && arm == nullptr) {
    return ctm::error{errc::unknown_trial, "the trial has no arm with this id", {}};
  }
  feasibility_result out;
  out.trial_id = ct.trial.id;
  if (arm != nullptr) out.arm_id = arm->id;
  std::vector<const compiled_criterion*> criteria;
  for (const auto& c : ct.criteria) criteria.push_back(&c);
  if (arm != nullptr) {
    for (const auto& c : arm->criteria) criteria.push_back(&c);
  }
  for (const auto* c : criteria) {
    attrition_row row;
    row.criterion_id = c->id;
    row.kind = c->kind;
    row.text = c->text;
    out.rows.push_back(std::move(row));
  }
  // Evaluate each patient (in parallel), then count in input order.
  std::vector<std::optional<std::vector<truth>>> passes(cohort.size());
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    rules::evaluation_context context;
    for (std::size_t i = next++; i < cohort.size(); i = next++) {
      if (!cohort[i].record) continue;
      const patient& p = *cohort[i].record;
      const auto facts = history::derive_facts(p, as_of, ix.config.vocab, options.derive);
      const rules::patient_fact_source source(p, facts, ix.config.vocab);
      std::vector<truth> v;
      for (const auto* c : criteria) v.push_back(evaluate(*c, source, as_of, context).passes);
      passes[i] = std::move(v);
    }
  };
  unsigned n = options.threads != 0 ? options.threads : std::thread::hardware_concurrency();
  n = std::max(
      1U, std::min<unsigned>(n, static_cast<unsigned>(std::max<std::size_t>(1, cohort.size()))));
  {
    std::vector<std::jthread> workers;
    for (unsigned k = 0; k < n; ++k) workers.emplace_back(work);
  }
  for (const auto& v : passes) {
    if (!v) {
      ++out.errors;
      continue;
    }
    ++out.patients;
    switch (rules::aggregate(*v)) {
      case rules::eligibility::eligible:
        ++out.eligible;
        break;
      case rules::eligibility::possibly_eligible:
        ++out.possibly_eligible;
        break;
      case rules::eligibility::ineligible:
        ++out.ineligible;
        break;
    }
    bool excluded = false;
    for (std::size_t k = 0; k < v->size(); ++k) {
      auto& row = out.rows[k];
      const truth t = (*v)[k];
      if (!excluded) ++row.remaining_before;
      if (t == truth::no) {
        ++row.excluded_alone;
        if (!excluded) ++row.excluded_in_sequence;
        excluded = true;
      } else if (t == truth::unknown) {
        ++row.unknown;
      }
    }
  }
  return out;
}

}  // namespace ctm::match
