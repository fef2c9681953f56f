// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// Evaluating the engine's atoms and criteria over one 64-patient word of a cohort: the leaf
// kernels and the per-thread cache they share. Private to src/batch.
#include "batch/kleene.hpp"
#include "batch/store.hpp"

#include <ctm/rules/lowered.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace ctm::batch::detail {

/// The result of a symbol test for one interned symbol (for state_for: of the state alone).
struct symbol_entry {
  truth value = truth::unknown;
  bool missing = false;
};

/// An elapsed-time test on the as-of date as day-number thresholds. `add(d, span)` is monotone
/// non-decreasing in `d` (calendar months and years clamp the day), so each comparison of
/// `add(d, span)` with the as-of date holds on a prefix or a suffix of days: `ge` is the last day
/// with add(d) <= as_of, `gt` the last with add(d) < as_of, `le` the first with add(d) >= as_of,
/// `lt` the first with add(d) > as_of. Days outside the searched range use `rules::elapsed_truth`.
struct elapsed_plan {
  std::int32_t first = 0;  ///< the searched range
  std::int32_t last = 0;
  std::int32_t ge = 0;
  std::int32_t gt = 0;
  std::int32_t le = 0;
  std::int32_t lt = 0;
  truth never = truth::unknown;  ///< the value when the event never happened

  static elapsed_plan make(const rules::span_test& t, date as_of) {
    elapsed_plan p;
    p.first = day_number(std::chrono::year{min_supported_year} / 1 / 1);
    p.last = day_number(std::chrono::year{max_supported_year} / 12 / 31);
    // The last day of the range on which `holds` (true on a prefix) is true; first - 1 if none.
    const auto last_where = [&](auto holds) {
      std::int32_t lo = p.first - 1;
      std::int32_t hi = p.last;
      while (lo < hi) {
        const std::int32_t mid = lo + (hi - lo + 1) / 2;
        if (holds(add(from_day_number(mid), t.span))) {
          lo = mid;
        } else {
          hi = mid - 1;
        }
      }
      return lo;
    };
    p.ge = last_where([&](date x) { return x <= as_of; });
    p.gt = last_where([&](date x) { return x < as_of; });
    p.le = p.gt + 1;  // the first day with add(d) >= as_of follows the last with add(d) < as_of
    p.lt = p.ge + 1;
    const rules::compare_op op = t.op;
    p.never = to_truth(op == rules::compare_op::ge || op == rules::compare_op::gt ||
                       op == rules::compare_op::ne);
    return p;
  }

  /// The evaluator's `elapsed_holds`: whether `op span` holds from day `d` to the as-of date.
  [[nodiscard]] bool holds(std::int32_t d, rules::compare_op op) const noexcept {
    switch (op) {
      case rules::compare_op::ge:
        return d <= ge;
      case rules::compare_op::gt:
        return d <= gt;
      case rules::compare_op::le:
        return d >= le;
      case rules::compare_op::lt:
        return d >= lt;
      case rules::compare_op::eq:
        return d >= le && d <= ge;
      case rules::compare_op::ne:
        return !(d >= le && d <= ge);
    }
    return false;
  }

  /// `rules::elapsed_truth` for the days [earliest, latest].
  [[nodiscard]] truth truth_of(std::int32_t earliest, std::int32_t latest,
                               const rules::span_test& t, date as_of) const {
    if (earliest <= first || latest >= last || earliest > latest) {
      return rules::elapsed_truth(from_days(earliest, latest), t, as_of);
    }
    const bool a = holds(earliest, t.op);
    const bool b = holds(latest, t.op);
    if (earliest == latest) return to_truth(a);
    if (t.op == rules::compare_op::eq || t.op == rules::compare_op::ne) {
      // add(earliest) <= as_of <= add(latest)
      const bool inside = earliest <= ge && latest >= le;
      if (!inside) return to_truth(t.op == rules::compare_op::ne);
      return truth::unknown;
    }
    if (a && b) return truth::yes;
    if (!a && !b) return truth::no;
    return truth::unknown;
  }
};

/// Read-only state of one run or feasibility call.
struct run_plan {
  const engine_impl* e = nullptr;
  const cohort_impl* c = nullptr;
  std::vector<std::vector<symbol_entry>> symbol_tables;  ///< per atom (symbol path)
  std::vector<elapsed_plan> elapsed;                     ///< per atom (elapsed, state_for)
};

/// The tables of `run_plan` for this engine and cohort.
run_plan make_plan(const engine_impl& e, const cohort_impl& c);

/// Atom `id`'s words over patients [64 w, 64 w + 64).
node_words kernel(const run_plan& plan, std::uint32_t id, std::size_t w);

/// Per-thread scratch: the atoms computed for the current word, the value stack.
struct scratch {
  std::vector<std::uint64_t> stamp;  ///< per atom: 1 + the word its cache holds, 0 = none
  std::vector<node_words> cache;
  std::vector<node_words> stack;
  /// Per criterion, when asked for: 1 + the word its `passes` words hold, 0 = none.
  std::vector<std::uint64_t> criterion_stamp;
  std::vector<std::pair<word, word>> criterion_cache;
  std::uint64_t kernel_words = 0;

  explicit scratch(std::size_t atoms, std::size_t criteria = 0)
      : stamp(atoms, 0), cache(atoms), criterion_stamp(criteria, 0), criterion_cache(criteria) {}
};

/// A criterion's verdict words (`rules::verdict`: its missing-data policy applied) with `leaf(id)`
/// giving atom `id`'s words; `stack` is scratch. A criterion without a program is unknown.
template <class LeafFn>
node_words criterion_words(const criterion_spec& s, LeafFn&& leaf, std::vector<node_words>& stack) {
  if (!s.has_program) return {};
  if (s.policy == rules::missing_data_policy::unknown) {
    return eval_steps<false>(s.steps, leaf, stack);
  }
  node_words v = eval_steps<true>(s.steps, leaf, stack);
  // An unknown verdict explained by a missing fact takes the policy's value.
  const word take = unknown_of(v) & v.missing;
  if (s.policy == rules::missing_data_policy::treat_as_met) v.yes |= take;
  if (s.policy == rules::missing_data_policy::treat_as_not_met) v.no |= take;
  return v;
}

/// Atom `id`'s words for word `w`, computed once per word and cached in `sc`.
inline node_words cached_kernel(const run_plan& plan, std::uint32_t id, std::size_t w,
                                scratch& sc) {
  if (sc.stamp[id] != w + 1) {
    sc.cache[id] = kernel(plan, id, w);
    sc.stamp[id] = w + 1;
    ++sc.kernel_words;
  }
  return sc.cache[id];
}

/// A criterion's `passes` words from its verdict words: swapped for an exclusion.
inline std::pair<word, word> passes_of(const criterion_spec& s, const node_words& v) {
  return s.kind == criterion_kind::inclusion ? std::pair{v.yes, v.no} : std::pair{v.no, v.yes};
}

/// A criterion's verdict words for word `w` (`rules::verdict`: its missing-data policy applied),
/// its atoms cached in `sc`. A criterion without a program is unknown for every patient.
node_words verdict_words(const run_plan& plan, const criterion_spec& s, std::size_t w, scratch& sc);

/// A criterion's `passes` words (known-true, known-false) for word `w`: the verdict, swapped for
/// an exclusion.
inline std::pair<word, word> passes(const run_plan& plan, const criterion_spec& s, std::size_t w,
                                    scratch& sc) {
  return passes_of(s, verdict_words(plan, s, w, sc));
}

/// Whether a run with `options` evaluates trial `ts` (open unless closed ones are asked for; one of
/// the asked phases, if any; some arm evaluated), with its evaluated arms in `arms` (`no_arm`
/// stands for the trial's own criteria when it has no arms), as `match::matcher` chooses them.
inline bool allowed(const trial_spec& ts, const batch_options& options,
                    std::vector<const arm_spec*>& arms, const arm_spec& no_arm) {
  arms.clear();
  if (ts.arms.empty()) arms.push_back(&no_arm);
  for (const auto& a : ts.arms) {
    if (options.include_closed || a.open) arms.push_back(&a);
  }
  if (!options.include_closed && !ts.open) return false;
  if (!options.phases.empty() &&
      std::none_of(ts.phases.begin(), ts.phases.end(), [&](trial_phase p) {
        return std::find(options.phases.begin(), options.phases.end(), p) != options.phases.end();
      })) {
    return false;
  }
  return !arms.empty();
}

/// `passes` of criterion `k` for word `w`, each criterion computed once per word (trials share
/// criteria, `engine::create`); `sc` must have been made with the engine's criterion count.
inline std::pair<word, word> cached_passes(const run_plan& plan, std::uint32_t k, std::size_t w,
                                           scratch& sc) {
  if (sc.criterion_stamp[k] != w + 1) {
    sc.criterion_cache[k] = passes(plan, plan.e->criteria[k], w, sc);
    sc.criterion_stamp[k] = w + 1;
  }
  return sc.criterion_cache[k];
}

/// A trial's best-arm status words over one word: {eligible, ineligible} (possibly eligible is
/// neither), from `passes_of(k)` giving criterion k's `passes` words. Eligible where some arm of
/// `arms` (the arms evaluated) has every criterion, trial-wide and its own, known to pass;
/// ineligible where every arm has a criterion known to fail (the matcher's best arm).
template <class PassesFn>
std::pair<word, word> trial_words(const trial_spec& ts, std::span<const arm_spec* const> arms,
                                  PassesFn&& passes_of) {
  word all_yes = all_ones;
  word any_no = 0;
  for (const std::uint32_t k : ts.criteria) {
    const auto [y, n] = passes_of(k);
    all_yes &= y;
    any_no |= n;
  }
  word eligible = 0;
  word ineligible = all_ones;
  for (const arm_spec* a : arms) {
    word arm_yes = all_yes;
    word arm_no = any_no;
    for (const std::uint32_t k : a->criteria) {
      const auto [y, n] = passes_of(k);
      arm_yes &= y;
      arm_no |= n;
    }
    eligible |= arm_yes & ~arm_no;
    ineligible &= arm_no;
  }
  return {eligible, ineligible};
}

}  // namespace ctm::batch::detail
