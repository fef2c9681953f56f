// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Running the catalog over a cohort (statuses of every candidate pair) and one trial's
// feasibility, with the kernels of eval.hpp.
#include "batch/eval.hpp"
#include "batch/store.hpp"
#include "batch/workers.hpp"

#include <ctm/batch/engine.hpp>

#include <algorithm>
#include <bit>
#include <tuple>
#include <utility>

namespace ctm::batch {

using detail::answer_row;
using detail::atom;
using detail::atom_path;
using detail::chunk_words;
using detail::column;
using detail::column_kind;
using detail::make_plan;
using detail::npos;
using detail::parallel_units_with;
using detail::passes;
using detail::run_plan;
using detail::scratch;
using detail::view_data;
using detail::view_kind;
using detail::word;

// ------------------------------------------------------------------------------------------------
// Checksum

std::uint64_t checksum(std::span<const pair_status> pairs, std::span<const std::string> patient_ids,
                       std::span<const std::string> trial_ids) {
  std::vector<std::tuple<std::string_view, std::string_view, std::string_view>> rows;
  rows.reserve(pairs.size());
  for (const pair_status& p : pairs) {
    rows.emplace_back(patient_ids[p.patient], trial_ids[p.trial], rules::to_string(p.status));
  }
  std::sort(rows.begin(), rows.end());
  std::uint64_t h = 1469598103934665603ULL;
  const auto feed = [&](std::string_view s, char end) {
    for (const char c : s) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ULL;
    }
    h ^= static_cast<unsigned char>(end);
    h *= 1099511628211ULL;
  };
  for (const auto& [patient, trial, status] : rows) {
    feed(patient, '\t');
    feed(trial, '\t');
    feed(status, '\n');
  }
  return h;
}

namespace {

/// What one run evaluates: the trials and arms the options allow, and the atomic conditions each
/// pair implies.
struct run_scope {
  std::vector<std::uint8_t> allowed;                       ///< per trial
  std::vector<std::vector<const detail::arm_spec*>> arms;  ///< per trial: evaluated arms
  std::vector<std::uint64_t> leaves;                       ///< per trial: per pair
  /// Per diagnosis set: its candidate trials this run evaluates (increasing), filtered once
  /// rather than per patient and word.
  std::vector<std::vector<std::uint32_t>> candidates;
  std::vector<std::uint64_t> evaluations;  ///< per diagnosis set: its candidates' `leaves`, summed

  run_scope(const detail::engine_impl& e, const detail::cohort_impl& c,
            const batch_options& options) {
    const std::size_t trials = e.trials.size();
    allowed.assign(trials, 0);
    arms.resize(trials);
    leaves.assign(trials, 0);
    static const detail::arm_spec no_arm;
    for (std::size_t t = 0; t < trials; ++t) {
      const detail::trial_spec& ts = e.trials[t];
      allowed[t] = detail::allowed(ts, options, arms[t], no_arm) ? 1 : 0;
      for (const std::uint32_t k : ts.criteria) leaves[t] += e.criteria[k].leaves;
      for (const detail::arm_spec* a : arms[t]) {
        for (const std::uint32_t k : a->criteria) leaves[t] += e.criteria[k].leaves;
      }
    }
    candidates.resize(c.candidates.size());
    evaluations.assign(c.candidates.size(), 0);
    for (std::size_t g = 0; g < c.candidates.size(); ++g) {
      for (const std::uint32_t t : c.candidates[g]) {
        if (allowed[t] == 0) continue;
        candidates[g].push_back(t);
        evaluations[g] += leaves[t];
      }
    }
  }
};

/// One worker's scratch for `evaluate_words`, made once per worker: its atom and criterion
/// caches are sized by the catalog (megabytes at 2x10^4 trials) and stay valid across words.
struct word_state {
  scratch sc;
  std::vector<word> mask, eligible, ineligible;  ///< per trial
  std::vector<std::uint32_t> touched;
  std::vector<pair_status> block;  ///< the streaming form's buffer

  explicit word_state(const detail::engine_impl& e)
      : sc(e.atoms.size(), e.criteria.size()),
        mask(e.trials.size(), 0),
        eligible(e.trials.size(), 0),
        ineligible(e.trials.size(), 0) {}
};

/// Evaluates every candidate pair of the slots in words [first_word, end_word): calls
/// `emit(slot, trial, status)` for each, slot by slot, each slot's trials increasing, and
/// `word_done()` after each word. Per word, each atom a candidate trial needs is computed once,
/// then each candidate trial's criteria are folded over the whole word.
template <class Emit, class WordDone>
void evaluate_words(const run_plan& plan, const run_scope& scope, std::size_t first_word,
                    std::size_t end_word, word_state& ws, run_stats& st, Emit&& emit,
                    WordDone&& word_done) {
  const detail::engine_impl& e = *plan.e;
  const detail::cohort_impl& ci = *plan.c;
  scratch& sc = ws.sc;
  const std::uint64_t kernel_words_before = sc.kernel_words;
  for (std::size_t w = first_word; w < end_word; ++w) {
    const std::size_t base = w * 64;
    const std::size_t end = std::min(ci.size, base + 64);
    ws.touched.clear();
    // Slots are grouped by diagnosis set: each run of one set adds its bits to its trials once.
    for (std::size_t i = base; i < end;) {
      const std::uint32_t g = ci.signature[i];
      std::size_t j = i + 1;
      while (j < end && ci.signature[j] == g) ++j;
      const word run = (j - i == 64 ? detail::all_ones : (word{1} << (j - i)) - 1) << (i - base);
      for (const std::uint32_t t : scope.candidates[g]) {
        if (ws.mask[t] == 0) ws.touched.push_back(t);
        ws.mask[t] |= run;
      }
      i = j;
    }
    for (const std::uint32_t t : ws.touched) {
      std::tie(ws.eligible[t], ws.ineligible[t]) = detail::trial_words(
          e.trials[t], scope.arms[t],
          [&](std::uint32_t k) { return detail::cached_passes(plan, k, w, sc); });
    }
    for (std::size_t i = base; i < end; ++i) {
      const word bit = word{1} << (i - base);
      const std::uint32_t g = ci.signature[i];
      for (const std::uint32_t t : scope.candidates[g]) {
        emit(i, t,
             (ws.eligible[t] & bit) != 0     ? rules::eligibility::eligible
             : (ws.ineligible[t] & bit) != 0 ? rules::eligibility::ineligible
                                             : rules::eligibility::possibly_eligible);
      }
      st.pairs += scope.candidates[g].size();
      st.evaluations += scope.evaluations[g];
    }
    for (const std::uint32_t t : ws.touched) ws.mask[t] = 0;
    word_done();
  }
  st.kernel_words += sc.kernel_words - kernel_words_before;
}

void add(run_stats& to, const run_stats& from) {
  to.pairs += from.pairs;
  to.evaluations += from.evaluations;
  to.kernel_words += from.kernel_words;
}

}  // namespace

run_result engine::run(const cohort& c, const batch_options& options) const {
  const detail::engine_impl& e = *impl_;
  const detail::cohort_impl& ci = *c.impl_;
  const run_plan plan = make_plan(e, ci);
  const run_scope scope(e, ci, options);

  // Each patient's pairs go to their place in (patient, trial) order: the patient's offset,
  // from the number of allowed candidates of its diagnosis set.
  std::vector<std::size_t> offset(ci.size + 1, 0);
  for (std::size_t p = 0; p < ci.size; ++p) {
    offset[p + 1] = offset[p] + scope.candidates[ci.signature[ci.slot[p]]].size();
  }
  run_result r;
  r.pairs.resize(offset[ci.size]);

  const std::size_t chunks = (ci.words + chunk_words - 1) / chunk_words;
  std::vector<run_stats> stats(chunks);
  parallel_units_with(
      chunks, options.threads, [&] { return word_state(e); },
      [&](word_state& ws, std::size_t u) {
        std::size_t last = detail::npos;
        std::size_t next = 0;
        evaluate_words(
            plan, scope, u * chunk_words, std::min(ci.words, (u + 1) * chunk_words), ws, stats[u],
            [&](std::size_t i, std::uint32_t t, rules::eligibility status) {
              const std::uint32_t p = ci.position[i];
              if (i != last) {
                last = i;
                next = offset[p];
              }
              r.pairs[next++] = pair_status{p, t, status};
            },
            [] {});
      });
  for (const run_stats& s : stats) add(r.stats, s);
  return r;
}

run_stats engine::run(const cohort& c, const pair_sink& sink, const batch_options& options) const {
  const detail::engine_impl& e = *impl_;
  const detail::cohort_impl& ci = *c.impl_;
  const run_plan plan = make_plan(e, ci);
  const run_scope scope(e, ci, options);
  const std::size_t chunks = (ci.words + chunk_words - 1) / chunk_words;
  std::vector<run_stats> stats(chunks);
  parallel_units_with(
      chunks, options.threads, [&] { return word_state(e); },
      [&](word_state& ws, std::size_t u) {
        // One word's pairs per call: a buffer the worker reuses, whatever the catalog's size.
        evaluate_words(
            plan, scope, u * chunk_words, std::min(ci.words, (u + 1) * chunk_words), ws, stats[u],
            [&](std::size_t i, std::uint32_t t, rules::eligibility status) {
              ws.block.push_back(pair_status{ci.position[i], t, status});
            },
            [&] {
              if (!ws.block.empty()) sink(ws.block);
              ws.block.clear();
            });
      });
  run_stats total;
  for (const run_stats& s : stats) add(total, s);
  return total;
}

result<match::feasibility_result> engine::feasibility(std::string_view trial_id, const cohort& c,
                                                      std::string_view arm_id,
                                                      const batch_options& options) const {
  const detail::engine_impl& e = *impl_;
  const detail::cohort_impl& ci = *c.impl_;
  const auto it = std::find(e.trial_ids.begin(), e.trial_ids.end(), trial_id);
  if (it == e.trial_ids.end()) {
    return ctm::error{errc::unknown_trial, "no trial with this id in the catalog", {}};
  }
  const auto t = static_cast<std::size_t>(it - e.trial_ids.begin());
  const compiled_trial& ct = e.matcher.trials()[t];
  const detail::trial_spec& ts = e.trials[t];
  std::size_t arm = npos;
  for (std::size_t a = 0; a < ct.arms.size(); ++a) {
    if (arm_id.empty() ? (is_open(ct.arms[a].status) || options.include_closed)
                       : ct.arms[a].id == arm_id) {
      arm = a;
      break;
    }
  }
  if (!arm_id.empty() && arm == npos) {
    return ctm::error{errc::unknown_trial, "the trial has no arm with this id", {}};
  }
  match::feasibility_result out;
  out.trial_id = ct.trial.id;
  std::vector<std::uint32_t> criteria = ts.criteria;
  std::vector<const compiled_criterion*> docs;
  for (const auto& k : ct.criteria) docs.push_back(&k);
  if (arm != npos) {
    out.arm_id = ct.arms[arm].id;
    criteria.insert(criteria.end(), ts.arms[arm].criteria.begin(), ts.arms[arm].criteria.end());
    for (const auto& k : ct.arms[arm].criteria) docs.push_back(&k);
  }
  for (const auto* d : docs) {
    match::attrition_row row;
    row.criterion_id = d->id;
    row.kind = d->kind;
    row.text = d->text;
    out.rows.push_back(std::move(row));
  }
  const run_plan plan = make_plan(e, ci);
  const std::size_t chunks = (ci.words + chunk_words - 1) / chunk_words;
  std::vector<match::feasibility_result> partial(chunks);
  parallel_units_with(
      chunks, options.threads, [&] { return scratch(e.atoms.size()); },
      [&](scratch& sc, std::size_t u) {
        match::feasibility_result& f = partial[u];
        f.rows.resize(criteria.size());
        const std::size_t end_word = std::min(ci.words, (u + 1) * chunk_words);
        for (std::size_t w = u * chunk_words; w < end_word; ++w) {
          const std::size_t live = std::min<std::size_t>(64, ci.size - w * 64);
          const word mask = live == 64 ? detail::all_ones : (word{1} << live) - 1;
          word excluded = 0;
          word all_yes = mask;
          word any_no = 0;
          for (std::size_t k = 0; k < criteria.size(); ++k) {
            auto [y, n] = passes(plan, e.criteria[criteria[k]], w, sc);
            y &= mask;
            n &= mask;
            match::attrition_row& row = f.rows[k];
            row.remaining_before += static_cast<std::size_t>(std::popcount(mask & ~excluded));
            row.excluded_alone += static_cast<std::size_t>(std::popcount(n));
            row.excluded_in_sequence += static_cast<std::size_t>(std::popcount(n & ~excluded));
            row.unknown += static_cast<std::size_t>(std::popcount(mask & ~(y | n)));
            excluded |= n;
            all_yes &= y;
            any_no |= n;
          }
          f.ineligible += static_cast<std::size_t>(std::popcount(any_no));
          f.eligible += static_cast<std::size_t>(std::popcount(all_yes & ~any_no));
          f.possibly_eligible += static_cast<std::size_t>(std::popcount(mask & ~all_yes & ~any_no));
        }
      });
  out.patients = ci.size;
  out.errors = ci.errors.size();
  for (const auto& f : partial) {
    out.eligible += f.eligible;
    out.possibly_eligible += f.possibly_eligible;
    out.ineligible += f.ineligible;
    for (std::size_t k = 0; k < f.rows.size(); ++k) {
      out.rows[k].remaining_before += f.rows[k].remaining_before;
      out.rows[k].excluded_in_sequence += f.rows[k].excluded_in_sequence;
      out.rows[k].excluded_alone += f.rows[k].excluded_alone;
      out.rows[k].unknown += f.rows[k].unknown;
    }
  }
  return out;
}

}  // namespace ctm::batch