// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Lowering a matcher's catalog into the engine's atoms, numeric views and criterion programs.
#include "batch/kleene.hpp"
#include "batch/store.hpp"
#include "core/logging.hpp"

#include <ctm/batch/engine.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <type_traits>
#include <utility>

namespace ctm::batch {

using detail::answer_row;
using detail::atom;
using detail::atom_path;
using detail::band_kind;
using detail::column;
using detail::column_kind;
using detail::npos;
using detail::view_data;
using detail::view_kind;
using detail::word;

namespace {

/// The column kind of a query, from the answer its kind documents (query.hpp).
column_kind kind_of(const rules::query& q) {
  return std::visit(
      [](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, rules::age_query> || std::is_same_v<T, rules::ecog_query> ||
                      std::is_same_v<T, rules::karnofsky_query> ||
                      std::is_same_v<T, rules::prior_lines_query> ||
                      std::is_same_v<T, rules::half_lives_query>) {
          return column_kind::number;
        } else if constexpr (std::is_same_v<T, rules::sex_query> ||
                             std::is_same_v<T, rules::stage_query> ||
                             std::is_same_v<T, rules::biomarker_query> ||
                             std::is_same_v<T, rules::brain_metastases_query> ||
                             std::is_same_v<T, rules::condition_query> ||
                             std::is_same_v<T, rules::best_response_query>) {
          return column_kind::symbol;
        } else if constexpr (std::is_same_v<T, rules::measurable_disease_query> ||
                             std::is_same_v<T, rules::metastasis_query> ||
                             std::is_same_v<T, rules::agent_status_query> ||
                             std::is_same_v<T, rules::last_line_query> ||
                             std::is_same_v<T, rules::preset_query>) {
          return column_kind::truth;
        } else if constexpr (std::is_same_v<T, rules::lab_query> ||
                             std::is_same_v<T, rules::biomarker_score_query> ||
                             std::is_same_v<T, rules::steroid_dose_query>) {
          return column_kind::measurement;
        } else if constexpr (std::is_same_v<T, rules::diagnosis_query>) {
          return column_kind::concepts;
        } else if constexpr (std::is_same_v<T, rules::time_since_query>) {
          return column_kind::event;
        } else {
          return column_kind::generic;
        }
      },
      q);
}

/// The answer kind a test reads.
column_kind expected_kind(const rules::leaf_test& t) {
  switch (t.kind) {
    case rules::test_kind::truth_is:
      return column_kind::truth;
    case rules::test_kind::interval:
      switch (t.scale) {
        case rules::value_scale::number:
          return column_kind::number;
        case rules::value_scale::quantity:
          return column_kind::measurement;
        case rules::value_scale::stage:
        case rules::value_scale::response:
          return column_kind::symbol;
      }
      break;
    case rules::test_kind::uln:
      return column_kind::measurement;
    case rules::test_kind::concepts:
      return column_kind::concepts;
    case rules::test_kind::symbol:
    case rules::test_kind::state_for:
      return column_kind::symbol;
    case rules::test_kind::elapsed:
      return column_kind::event;
  }
  return column_kind::generic;
}

/// Finds the run of codes on which a view atom's table is yes (or no) with the other value
/// everywhere else, when it has one (`atom::band`): an interval test on codes ordered like their
/// values is yes on one run, a complement no on one run.
void set_band(atom& a) {
  const auto yes = static_cast<std::uint8_t>(truth::yes);
  const auto no = static_cast<std::uint8_t>(truth::no);
  const std::size_t k = a.table.size();
  if (k == 0 || k > 0xFFFF) return;
  if (std::any_of(a.table.begin(), a.table.end(),
                  [&](std::uint8_t t) { return t != yes && t != no; })) {
    return;
  }
  for (const auto& candidate :
       {std::pair{yes, band_kind::yes_inside}, std::pair{no, band_kind::no_inside}}) {
    const std::uint8_t inside = candidate.first;
    const auto first = std::find(a.table.begin(), a.table.end(), inside);
    if (first == a.table.end()) continue;
    const auto past =
        std::find_if(first, a.table.end(), [inside](std::uint8_t t) { return t != inside; });
    if (std::find(past, a.table.end(), inside) != a.table.end()) continue;  // two runs
    a.band = candidate.second;
    a.band_low = static_cast<std::uint16_t>(first - a.table.begin());
    a.band_span = static_cast<std::uint16_t>(past - first - 1);
    return;
  }
}

}  // namespace

// ------------------------------------------------------------------------------------------------
// Kleene words

node_words fold_words(std::span<const rules::step> steps, std::span<const node_words> leaves) {
  std::vector<node_words> stack;
  return detail::eval_steps<true>(
      steps, [&](std::uint32_t arg) { return leaves[arg]; }, stack);
}
// ------------------------------------------------------------------------------------------------
// Lowering the catalog

engine::engine(std::shared_ptr<const detail::engine_impl> impl) : impl_(std::move(impl)) {}

const std::vector<std::string>& engine::trial_ids() const noexcept { return impl_->trial_ids; }

engine engine::create(const match::matcher& m) {
  auto e = std::make_shared<detail::engine_impl>(m);
  std::unordered_map<std::string, std::vector<std::uint32_t>> by_text;  // describe -> queries
  std::vector<std::vector<std::uint32_t>> atoms_of_query;
  const auto query_id = [&](const rules::query& q) {
    auto& ids = by_text[rules::describe(q)];
    for (const std::uint32_t i : ids) {
      if (e->queries[i] == q) return i;
    }
    const auto id = static_cast<std::uint32_t>(e->queries.size());
    e->queries.push_back(q);
    e->kinds.push_back(kind_of(q));
    e->dated.push_back(0);
    atoms_of_query.emplace_back();
    ids.push_back(id);
    return id;
  };
  const auto view_id = [&](detail::view_spec v) {
    for (std::uint32_t i = 0; i < e->views.size(); ++i) {
      const auto& w = e->views[i];
      if (w.query == v.query && w.kind == v.kind && w.unit == v.unit && w.molar == v.molar) {
        return i;
      }
    }
    e->views.push_back(v);
    return static_cast<std::uint32_t>(e->views.size() - 1);
  };
  const auto atom_id = [&](std::uint32_t q, const rules::leaf_test& t,
                           const std::optional<vocab::ontology>& onto) {
    for (const std::uint32_t i : atoms_of_query[q]) {
      const atom& a = e->atoms[i];
      if (a.test == t && a.ontology.has_value() == onto.has_value()) return i;
    }
    atom a;
    a.query = q;
    a.test = t;
    a.ontology = onto;
    const column_kind have = e->kinds[q];
    const column_kind want = expected_kind(t);
    if (have == column_kind::generic) {
      a.path = atom_path::generic;
    } else if (have != want) {
      a.path = atom_path::wrong_kind;
    } else {
      switch (t.kind) {
        case rules::test_kind::truth_is:
          a.path = atom_path::truth_bits;
          break;
        case rules::test_kind::interval:
          if (t.scale == rules::value_scale::number) {
            a.path = atom_path::view;
            a.view = view_id({q, view_kind::number, ctm::unit::one, std::nullopt, {}, {}});
          } else if (t.scale == rules::value_scale::quantity) {
            a.path = atom_path::view;
            a.view = view_id({q, view_kind::quantity, t.unit, t.molar_grams_per_mole, {}, {}});
          } else {
            a.path = atom_path::symbol;
          }
          break;
        case rules::test_kind::uln:
          a.path = atom_path::view;
          a.view = view_id(
              {q, t.lln ? view_kind::lln : view_kind::uln, ctm::unit::one, std::nullopt, {}, {}});
          break;
        case rules::test_kind::concepts:
          a.path = atom_path::concepts;
          break;
        case rules::test_kind::symbol:
          a.path = atom_path::symbol;
          break;
        case rules::test_kind::state_for:
          a.path = atom_path::symbol;
          e->dated[q] = 1;
          break;
        case rules::test_kind::elapsed:
          a.path = atom_path::elapsed;
          break;
      }
    }
    const auto id = static_cast<std::uint32_t>(e->atoms.size());
    e->atoms.push_back(std::move(a));
    atoms_of_query[q].push_back(id);
    return id;
  };
  std::map<std::vector<std::uint32_t>, std::uint32_t> distinct_criteria;
  const auto add_criterion = [&](const compiled_criterion& c) {
    detail::criterion_spec s;
    s.kind = c.kind;
    if (c.program) {
      const rules::lowered_program p = c.program->lower();
      s.has_program = true;
      s.policy = p.policy;
      s.steps = p.steps;
      std::vector<std::uint32_t> leaf_atom;
      leaf_atom.reserve(p.leaves.size());
      for (const auto& l : p.leaves) {
        leaf_atom.push_back(atom_id(query_id(p.queries[l.query]), l.test, p.ontology));
      }
      for (auto& st : s.steps) {
        if (st.op == rules::step_op::leaf) {
          st.arg = leaf_atom[st.arg];
          ++s.leaves;
        }
      }
    }
    // Criteria the catalog repeats (the same rule over the same atoms) share one id, so a run
    // folds each once per word.
    std::vector<std::uint32_t> key{static_cast<std::uint32_t>(s.kind),
                                   static_cast<std::uint32_t>(s.policy), s.has_program ? 1U : 0U};
    for (const rules::step& st : s.steps) {
      key.insert(key.end(), {static_cast<std::uint32_t>(st.op),
                             static_cast<std::uint32_t>(st.constant), st.arg, st.count, st.size});
    }
    const auto [it, added] =
        distinct_criteria.emplace(std::move(key), static_cast<std::uint32_t>(e->criteria.size()));
    if (added) e->criteria.push_back(std::move(s));
    return it->second;
  };
  for (const compiled_trial& ct : m.trials()) {
    detail::trial_spec t;
    t.open = is_open(ct.trial.status);
    t.phases = ct.trial.phases;
    for (const auto& c : ct.criteria) t.criteria.push_back(add_criterion(c));
    for (const auto& arm : ct.arms) {
      detail::arm_spec a;
      a.open = is_open(arm.status);
      for (const auto& c : arm.criteria) a.criteria.push_back(add_criterion(c));
      t.arms.push_back(std::move(a));
    }
    e->trials.push_back(std::move(t));
    e->trial_ids.push_back(ct.trial.id);
  }
  // Each view's cuts and each view atom's table (see `view_spec`).
  for (const atom& a : e->atoms) {
    if (a.path != atom_path::view) continue;
    auto& cuts = e->views[a.view].cuts;
    // A NaN bound compares false with every value: it needs no cut.
    for (const double b : {a.test.set.low, a.test.set.high}) {
      if (!std::isnan(b)) cuts.push_back(b);
    }
  }
  for (detail::view_spec& v : e->views) {
    std::sort(v.cuts.begin(), v.cuts.end());
    v.cuts.erase(std::unique(v.cuts.begin(), v.cuts.end()), v.cuts.end());
    const std::size_t k = v.cuts.size();
    constexpr double inf = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i <= k; ++i) {
      // Strictly between cuts[i - 1] and cuts[i] (when no double is, the code is never used).
      const double between = i == 0   ? (k == 0 ? 0.0 : std::nextafter(v.cuts[0], -inf))
                             : i == k ? std::nextafter(v.cuts[k - 1], inf)
                                      : std::nextafter(v.cuts[i - 1], v.cuts[i]);
      v.reps.push_back(between);
      if (i < k) v.reps.push_back(v.cuts[i]);
    }
  }
  for (atom& a : e->atoms) {
    if (a.path != atom_path::view) continue;
    for (const double r : e->views[a.view].reps) {
      a.table.push_back(static_cast<std::uint8_t>(rules::interval_truth(a.test.set, r, r)));
    }
    set_band(a);
  }
  ctm::detail::logger().info(
      "batch: {} trials, {} criteria, {} distinct queries, {} numeric views, {} atoms",
      e->trials.size(), e->criteria.size(), e->queries.size(), e->views.size(), e->atoms.size());
  return engine(std::move(e));
}

}  // namespace ctm::batch
