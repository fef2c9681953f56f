// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// The columnar batch engine (issue 8): lowering the catalog into atoms and criterion programs,
// loading a cohort's answers into columns, and evaluating blocks of 64 patients with bitmaps.
#include "batch/kleene.hpp"
#include "batch/store.hpp"
#include "core/logging.hpp"

#include <ctm/batch/engine.hpp>
#include <ctm/core/assert.hpp>
#include <ctm/rules/patient_fact_source.hpp>

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <thread>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>

namespace ctm::batch {

using detail::answer_row;
using detail::atom;
using detail::atom_path;
using detail::column;
using detail::column_kind;
using detail::npos;
using detail::view_data;
using detail::view_kind;
using detail::word;

namespace {

/// Patients per unit of work: 16 words.
constexpr std::size_t chunk_words = 16;

std::int32_t day_number(date d) {
  return static_cast<std::int32_t>(std::chrono::sys_days(d).time_since_epoch().count());
}

date from_day_number(std::int32_t n) { return date{std::chrono::sys_days{std::chrono::days{n}}}; }

partial_date from_days(std::int32_t earliest, std::int32_t latest) {
  const date a = from_day_number(earliest);
  const date b = from_day_number(latest);
  return {a, b, a == b ? date_precision::day : date_precision::month};
}

void set_bit(std::vector<word>& bits, std::size_t i) { bits[i / 64] |= word{1} << (i % 64); }
bool get_bit(const std::vector<word>& bits, std::size_t i) {
  return ((bits[i / 64] >> (i % 64)) & 1U) != 0;
}

template <class F>
void for_each_bit(word m, F&& f) {
  while (m != 0) {
    f(static_cast<unsigned>(std::countr_zero(m)));
    m &= m - 1;
  }
}

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

/// Whether the column holds answers of this alternative.
bool holds(column_kind k, const rules::fact_value& v) {
  switch (k) {
    case column_kind::truth:
      return std::holds_alternative<truth>(v);
    case column_kind::number:
      return std::holds_alternative<rules::number_range>(v);
    case column_kind::measurement:
      return std::holds_alternative<rules::measurement>(v);
    case column_kind::symbol:
      return std::holds_alternative<rules::symbol>(v);
    case column_kind::concepts:
      return std::holds_alternative<rules::concepts>(v);
    case column_kind::event:
      return std::holds_alternative<rules::event>(v);
    case column_kind::generic:
      break;
  }
  return false;
}

unsigned worker_count(unsigned wanted, std::size_t units) {
  unsigned n = wanted != 0 ? wanted : std::thread::hardware_concurrency();
  n = std::max(1U, n);
  return static_cast<unsigned>(std::min<std::size_t>(n, std::max<std::size_t>(1, units)));
}

/// Runs `work(unit)` for every unit on `threads` workers (each unit once).
template <class F>
void parallel_units(std::size_t units, unsigned threads, F&& work) {
  std::atomic<std::size_t> next{0};
  const auto loop = [&] {
    for (std::size_t u = next++; u < units; u = next++) work(u);
  };
  const unsigned n = worker_count(threads, units);
  if (n <= 1) {
    loop();
    return;
  }
  std::vector<std::jthread> workers;
  workers.reserve(n);
  for (unsigned k = 0; k < n; ++k) workers.emplace_back(loop);
}

template <class T>
std::size_t bytes_of(const std::vector<T>& v) {
  return v.size() * sizeof(T);
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

// ------------------------------------------------------------------------------------------------
// The cohort handle

cohort::cohort(std::shared_ptr<const detail::cohort_impl> impl) : impl_(std::move(impl)) {}
std::size_t cohort::size() const noexcept { return impl_->size; }
const std::vector<std::string>& cohort::patient_ids() const noexcept { return impl_->ids; }
const std::vector<match::batch_output>& cohort::errors() const noexcept { return impl_->errors; }
date cohort::as_of() const noexcept { return impl_->as_of; }
std::size_t cohort::bytes() const noexcept { return impl_->bytes; }

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
    e->criteria.push_back(std::move(s));
    return static_cast<std::uint32_t>(e->criteria.size() - 1);
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
  }
  ctm::detail::logger().info(
      "batch: {} trials, {} criteria, {} distinct queries, {} numeric views, {} atoms",
      e->trials.size(), e->criteria.size(), e->queries.size(), e->views.size(), e->atoms.size());
  return engine(std::move(e));
}

// ------------------------------------------------------------------------------------------------
// Loading a cohort

namespace {

/// Interning tables of one chunk of patients, merged after the parallel pass.
struct chunk_tables {
  std::vector<std::vector<std::string>> symbols;                           ///< per query
  std::vector<std::map<std::vector<std::uint32_t>, std::uint32_t>> lists;  ///< per query
  std::map<std::vector<std::uint32_t>, std::uint32_t> signatures;
  std::vector<std::vector<answer_row>> rows;  ///< per query
};

std::uint32_t intern(std::map<std::vector<std::uint32_t>, std::uint32_t>& table,
                     std::vector<std::uint32_t> key) {
  const auto it = table.find(key);
  if (it != table.end()) return it->second;
  const auto id = static_cast<std::uint32_t>(table.size());
  table.emplace(std::move(key), id);
  return id;
}

/// Stores one answer of patient `i` into its column and views.
void store(const detail::engine_impl& e, detail::cohort_impl& c, chunk_tables& local,
           std::uint32_t q, std::size_t i, rules::fact_answer&& a,
           const std::vector<std::uint32_t>& views_of_query) {
  column& col = c.columns[q];
  if (a.is_missing()) {
    set_bit(col.missing, i);
    return;
  }
  if (!holds(col.kind, a.value)) {
    local.rows[q].push_back({static_cast<std::uint32_t>(i), std::move(a)});
    return;
  }
  set_bit(col.present, i);
  switch (col.kind) {
    case column_kind::truth: {
      const truth t = std::get<truth>(a.value);
      if (t == truth::yes) set_bit(col.yes, i);
      if (t == truth::no) set_bit(col.no, i);
      break;
    }
    case column_kind::number: {
      const auto& n = std::get<rules::number_range>(a.value);
      for (const std::uint32_t v : views_of_query) {
        view_data& d = c.views[v];
        d.low[i] = n.low;
        d.high[i] = n.high;
        if (!std::isnan(n.low) && !std::isnan(n.high)) set_bit(d.ok, i);
      }
      break;
    }
    case column_kind::measurement: {
      const auto& m = std::get<rules::measurement>(a.value);
      for (const std::uint32_t v : views_of_query) {
        const detail::view_spec& s = e.views[v];
        view_data& d = c.views[v];
        if (s.kind == view_kind::quantity) {
          const auto conv = s.molar ? ctm::convert(m.value, s.unit, ctm::molar_mass{*s.molar})
                                    : ctm::convert(m.value, s.unit);
          if (conv) {
            d.low[i] = conv->value;
            set_bit(d.ok, i);
          }
        } else {
          const std::optional<double> limit = s.kind == view_kind::lln ? m.lln : m.uln;
          if (!limit || !(*limit > 0.0) || !std::isfinite(*limit)) {
            set_bit(d.flag, i);
          } else {
            d.low[i] = m.value.value / *limit;
            set_bit(d.ok, i);
          }
        }
      }
      break;
    }
    case column_kind::symbol: {
      auto& table = local.symbols[q];
      const std::string& text = std::get<rules::symbol>(a.value).text;
      const auto it = std::find(table.begin(), table.end(), text);
      col.symbol[i] = static_cast<std::uint16_t>(it - table.begin());
      if (it == table.end()) table.push_back(text);
      if (!col.has_date.empty() && a.date) {
        set_bit(col.has_date, i);
        col.earliest[i] = day_number(a.date->earliest);
        col.latest[i] = day_number(a.date->latest);
      }
      break;
    }
    case column_kind::concepts: {
      const auto& ids = std::get<rules::concepts>(a.value).ids;
      std::vector<std::uint32_t> key;
      key.reserve(ids.size());
      for (const concept_id id : ids) key.push_back(id.value);
      col.list[i] = intern(local.lists[q], std::move(key));
      break;
    }
    case column_kind::event: {
      const auto& ev = std::get<rules::event>(a.value);
      if (ev.when) {
        set_bit(col.has_date, i);
        col.earliest[i] = day_number(ev.when->earliest);
        col.latest[i] = day_number(ev.when->latest);
      }
      break;
    }
    case column_kind::generic:
      break;
  }
}

}  // namespace

cohort engine::load(std::span<const match::batch_input> patients, date as_of,
                    const batch_options& options) const {
  const detail::engine_impl& e = *impl_;
  const history::vocabularies& vocab = e.matcher.vocabularies();
  auto c = std::make_shared<detail::cohort_impl>();
  c->engine = &e;
  c->as_of = as_of;
  std::vector<const patient*> records;
  for (const auto& in : patients) {
    if (in.error || !in.record) {
      match::batch_output o;
      o.label = in.label;
      o.error = in.error.value_or(
          ctm::error{errc::missing_value, "the patient record could not be read", {}});
      c->errors.push_back(std::move(o));
      continue;
    }
    records.push_back(&*in.record);
    c->ids.push_back(in.record->id);
  }
  const std::size_t n = records.size();
  const std::size_t words = (n + 63) / 64;
  c->size = n;
  c->words = words;

  // Columns sized for every patient, so that chunks (whole words) write without locks.
  std::vector<std::vector<std::uint32_t>> views_of_query(e.queries.size());
  for (std::uint32_t v = 0; v < e.views.size(); ++v) views_of_query[e.views[v].query].push_back(v);
  c->columns.resize(e.queries.size());
  for (std::size_t q = 0; q < e.queries.size(); ++q) {
    column& col = c->columns[q];
    col.kind = e.kinds[q];
    col.missing.assign(words, 0);
    col.present.assign(words, 0);
    switch (col.kind) {
      case column_kind::truth:
        col.yes.assign(words, 0);
        col.no.assign(words, 0);
        break;
      case column_kind::symbol:
        col.symbol.assign(n, 0);
        if (e.dated[q] != 0) {
          col.has_date.assign(words, 0);
          col.earliest.assign(n, 0);
          col.latest.assign(n, 0);
        }
        break;
      case column_kind::concepts:
        col.list.assign(n, 0);
        break;
      case column_kind::event:
        col.has_date.assign(words, 0);
        col.earliest.assign(n, 0);
        col.latest.assign(n, 0);
        break;
      default:
        break;
    }
  }
  c->views.resize(e.views.size());
  for (std::size_t v = 0; v < e.views.size(); ++v) {
    view_data& d = c->views[v];
    d.low.assign(words * 64, 0.0);  // whole words: kernels read 64 values at a time
    if (e.views[v].kind == view_kind::number) d.high.assign(words * 64, 0.0);
    d.ok.assign(words, 0);
    d.flag.assign(words, 0);
  }
  c->signature.assign(n, 0);

  // 1. Derive and answer, one chunk of 16 words per unit of work.
  const std::size_t chunks = (words + chunk_words - 1) / chunk_words;
  std::vector<chunk_tables> tables(chunks);
  parallel_units(chunks, options.threads, [&](std::size_t u) {
    chunk_tables& local = tables[u];
    local.symbols.resize(e.queries.size());
    local.lists.resize(e.queries.size());
    local.rows.resize(e.queries.size());
    const std::size_t end = std::min(n, (u + 1) * chunk_words * 64);
    for (std::size_t i = u * chunk_words * 64; i < end; ++i) {
      const patient& p = *records[i];
      const history::patient_facts facts = history::derive_facts(p, as_of, vocab, options.derive);
      const rules::patient_fact_source source(p, facts, vocab);
      for (std::uint32_t q = 0; q < e.queries.size(); ++q) {
        store(e, *c, local, q, i, source.answer(e.queries[q], as_of), views_of_query[q]);
      }
      std::vector<std::uint32_t> key;
      if (vocab.diseases) {
        for (const concept_id d : match::resolve_diagnoses(p, *vocab.diseases)) {
          key.push_back(d.value);
        }
      }
      c->signature[i] = intern(local.signatures, std::move(key));
    }
  });

  // 2. Merge the chunks' interning tables, in chunk order.
  std::map<std::vector<std::uint32_t>, std::uint32_t> signatures;
  for (std::size_t q = 0; q < e.queries.size(); ++q) {
    column& col = c->columns[q];
    std::map<std::vector<std::uint32_t>, std::uint32_t> lists;
    for (std::size_t u = 0; u < chunks; ++u) {
      chunk_tables& local = tables[u];
      const std::size_t begin = u * chunk_words * 64;
      const std::size_t end = std::min(n, begin + chunk_words * 64);
      for (auto& r : local.rows[q]) col.rows.push_back(std::move(r));
      if (col.kind == column_kind::symbol) {
        std::vector<std::uint16_t> remap;
        bool overflow = false;
        for (const std::string& s : local.symbols[q]) {
          const auto it = std::find(col.symbols.begin(), col.symbols.end(), s);
          if (it == col.symbols.end() && col.symbols.size() >= 0xFFFF) {
            overflow = true;
            remap.push_back(0);
            continue;
          }
          remap.push_back(static_cast<std::uint16_t>(it - col.symbols.begin()));
          if (it == col.symbols.end()) col.symbols.push_back(s);
        }
        for (std::size_t i = begin; i < end; ++i) {
          if (!get_bit(col.present, i)) continue;
          const std::uint16_t local_id = col.symbol[i];
          col.symbol[i] = remap[local_id];
          if (overflow && col.symbols[remap[local_id]] != local.symbols[q][local_id]) {
            // More distinct symbols than the column holds: keep the answer whole.
            rules::fact_answer a;
            a.value = rules::symbol{local.symbols[q][local_id]};
            if (!col.has_date.empty() && get_bit(col.has_date, i)) {
              a.date = from_days(col.earliest[i], col.latest[i]);
            }
            col.present[i / 64] &= ~(word{1} << (i % 64));
            col.rows.push_back({static_cast<std::uint32_t>(i), std::move(a)});
          }
        }
      } else if (col.kind == column_kind::concepts) {
        std::vector<std::uint32_t> remap(local.lists[q].size());
        for (auto& [key, id] : local.lists[q]) {
          const auto it = lists.find(key);
          if (it != lists.end()) {
            remap[id] = it->second;
            continue;
          }
          const auto g = static_cast<std::uint32_t>(lists.size());
          lists.emplace(key, g);
          remap[id] = g;
        }
        for (std::size_t i = begin; i < end; ++i) {
          if (get_bit(col.present, i)) col.list[i] = remap[col.list[i]];
        }
      }
    }
    std::sort(col.rows.begin(), col.rows.end(),
              [](const answer_row& a, const answer_row& b) { return a.patient < b.patient; });
    if (col.kind == column_kind::concepts) {
      std::vector<const std::vector<std::uint32_t>*> by_id(lists.size());
      for (const auto& [key, id] : lists) by_id[id] = &key;
      for (const auto* key : by_id) {
        for (const std::uint32_t v : *key) col.list_ids.push_back(concept_id{v});
        col.list_offsets.push_back(static_cast<std::uint32_t>(col.list_ids.size()));
      }
    }
  }
  for (std::size_t u = 0; u < chunks; ++u) {
    std::vector<std::uint32_t> remap(tables[u].signatures.size());
    for (auto& [key, id] : tables[u].signatures) remap[id] = intern(signatures, key);
    const std::size_t begin = u * chunk_words * 64;
    const std::size_t end = std::min(n, begin + chunk_words * 64);
    for (std::size_t i = begin; i < end; ++i) c->signature[i] = remap[c->signature[i]];
  }
  tables.clear();

  // 3. Each distinct diagnosis set's candidate trials (open or not, any phase: `run` filters).
  c->candidates.resize(signatures.size());
  for (const auto& [key, id] : signatures) {
    match::index_query iq;
    for (const std::uint32_t d : key) iq.diseases.push_back(concept_id{d});
    iq.include_closed = true;
    for (const std::size_t t : e.matcher.index().candidates(iq)) {
      c->candidates[id].push_back(static_cast<std::uint32_t>(t));
    }
  }

  // 4. Numeric views as codes (`view_spec::cuts`): one or two bytes instead of eight.
  for (std::size_t v = 0; v < c->views.size(); ++v) {
    view_data& d = c->views[v];
    const auto& cuts = e.views[v].cuts;
    const std::size_t codes = 2 * cuts.size() + 1;
    if (codes > 0xFFFF) continue;  // keep the doubles
    const auto code = [&](double x) {
      const auto it = std::lower_bound(cuts.begin(), cuts.end(), x);
      const auto i = static_cast<std::size_t>(it - cuts.begin());
      return 2 * i + (it != cuts.end() && *it == x ? 1 : 0);
    };
    bool ranges = false;
    for (std::size_t i = 0; i < n && !d.high.empty(); ++i) {
      if (get_bit(d.ok, i) && code(d.low[i]) != code(d.high[i])) ranges = true;
    }
    const auto encode = [&](auto& low, auto& high) {
      using C = typename std::decay_t<decltype(low)>::value_type;
      low.assign(words * 64, 0);
      if (ranges) high.assign(words * 64, 0);
      for (std::size_t i = 0; i < n; ++i) {
        if (!get_bit(d.ok, i)) continue;
        low[i] = static_cast<C>(code(d.low[i]));
        if (ranges) high[i] = static_cast<C>(code(d.high[i]));
      }
    };
    if (codes <= 0xFF) {
      encode(d.low8, d.high8);
    } else {
      encode(d.low16, d.high16);
    }
    d.low = {};
    d.high = {};
  }

  // 5. What the store holds.
  std::size_t bytes = bytes_of(c->signature);
  for (const auto& list : c->candidates) bytes += bytes_of(list);
  for (const column& col : c->columns) {
    bytes += bytes_of(col.missing) + bytes_of(col.present) + bytes_of(col.yes) + bytes_of(col.no) +
             bytes_of(col.symbol) + bytes_of(col.list) + bytes_of(col.list_offsets) +
             bytes_of(col.list_ids) + bytes_of(col.has_date) + bytes_of(col.earliest) +
             bytes_of(col.latest);
    for (const std::string& s : col.symbols) bytes += s.capacity() + sizeof(std::string);
    bytes += col.rows.size() * sizeof(answer_row);
  }
  for (const view_data& d : c->views) {
    bytes += bytes_of(d.low) + bytes_of(d.high) + bytes_of(d.low8) + bytes_of(d.high8) +
             bytes_of(d.low16) + bytes_of(d.high16) + bytes_of(d.ok) + bytes_of(d.flag);
  }
  c->bytes = bytes;
  ctm::detail::logger().debug("batch: loaded {} patients ({} unusable), {} bytes", n,
                              c->errors.size(), bytes);
  return cohort(std::move(c));
}

// ------------------------------------------------------------------------------------------------
// Evaluating

namespace {

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
  const detail::engine_impl* e = nullptr;
  const detail::cohort_impl* c = nullptr;
  std::vector<std::vector<symbol_entry>> symbol_tables;  ///< per atom (symbol path)
  std::vector<elapsed_plan> elapsed;                     ///< per atom (elapsed, state_for)
};

/// `rules::interval_truth(set, v, v)` for 64 single values at once where `ok` is set: yes when
/// v is in the set, no when it is not (NaN is neither); for a complement, yes outside the closed
/// hole and no inside it.
template <bool LowOpen, bool HighOpen, bool Complement, class T>
void single_values_as(const rules::interval& s, const T* v, word ok, node_words& out) {
  const double low = s.low;
  const double high = s.high;
  word yes = 0;
  word no = 0;
  for (unsigned b = 0; b < 64; ++b) {
    const double x = static_cast<double>(v[b]);  // exact: floats hold only float-exact values
    bool y = false;
    bool n = false;
    if constexpr (Complement) {
      y = x < low || x > high;
      n = x >= low && x <= high;
    } else {
      const bool in = (LowOpen ? x > low : x >= low) && (HighOpen ? x < high : x <= high);
      y = in;
      n = !in && !std::isnan(x);
    }
    yes |= word{y} << b;
    no |= word{n} << b;
  }
  out.yes |= yes & ok;
  out.no |= no & ok;
}

/// A view atom over 64 coded values where `ok` is set: the atom's table for a single value, and
/// `rules::interval_truth` on the codes' representatives for a range.
template <class C>
void coded_values(const atom& a, const std::vector<double>& reps, const C* low, const C* high,
                  word ok, node_words& out) {
  if (ok == 0) return;
  const std::uint8_t* table = a.table.data();
  word yes = 0;
  word no = 0;
  for (unsigned b = 0; b < 64; ++b) {
    const std::uint8_t t = table[low[b]];
    yes |= word{t == static_cast<std::uint8_t>(truth::yes)} << b;
    no |= word{t == static_cast<std::uint8_t>(truth::no)} << b;
  }
  if (high != nullptr) {
    for_each_bit(ok, [&](unsigned b) {
      if (high[b] == low[b]) return;
      const word bit = word{1} << b;
      yes &= ~bit;
      no &= ~bit;
      const truth t = rules::interval_truth(a.test.set, reps[low[b]], reps[high[b]]);
      if (t == truth::yes) yes |= bit;
      if (t == truth::no) no |= bit;
    });
  }
  out.yes |= yes & ok;
  out.no |= no & ok;
}

template <class T>
void single_values(const rules::interval& s, const T* v, word ok, node_words& out) {
  if (ok == 0) return;
  if (s.complement) return single_values_as<false, false, true, T>(s, v, ok, out);
  switch ((s.low_open ? 1 : 0) | (s.high_open ? 2 : 0)) {
    case 0:
      return single_values_as<false, false, false, T>(s, v, ok, out);
    case 1:
      return single_values_as<true, false, false, T>(s, v, ok, out);
    case 2:
      return single_values_as<false, true, false, T>(s, v, ok, out);
    default:
      return single_values_as<true, true, false, T>(s, v, ok, out);
  }
}

run_plan make_plan(const detail::engine_impl& e, const detail::cohort_impl& c) {
  CTM_ASSERT(c.engine == &e);
  run_plan plan;
  plan.e = &e;
  plan.c = &c;
  plan.symbol_tables.resize(e.atoms.size());
  plan.elapsed.resize(e.atoms.size());
  for (std::size_t a = 0; a < e.atoms.size(); ++a) {
    const atom& at = e.atoms[a];
    if (at.test.kind == rules::test_kind::elapsed || at.test.kind == rules::test_kind::state_for) {
      plan.elapsed[a] = elapsed_plan::make(at.test.span, c.as_of);
    }
    if (at.path != atom_path::symbol) continue;
    rules::leaf_test t = at.test;
    if (t.kind == rules::test_kind::state_for) t.kind = rules::test_kind::symbol;
    for (const std::string& s : c.columns[at.query].symbols) {
      rules::fact_answer answer;
      answer.value = rules::symbol{s};
      const rules::leaf_value v =
          rules::assess_leaf(t, e.queries[at.query], answer, c.as_of, at.ontology);
      plan.symbol_tables[a].push_back({v.value, v.missing});
    }
  }
  return plan;
}

void put(node_words& out, unsigned b, truth v, bool missing) {
  const word bit = word{1} << b;
  if (v == truth::yes) out.yes |= bit;
  if (v == truth::no) out.no |= bit;
  if (missing) out.missing |= bit;
}

/// One atom's words over patients [64 w, 64 w + 64).
node_words kernel(const run_plan& plan, std::uint32_t id, std::size_t w) {
  const detail::engine_impl& e = *plan.e;
  const detail::cohort_impl& c = *plan.c;
  const atom& a = e.atoms[id];
  const column& col = c.columns[a.query];
  node_words out;
  out.missing = col.missing[w];
  const word present = col.present[w];
  const std::size_t base = w * 64;
  switch (a.path) {
    case atom_path::truth_bits:
      out.yes = col.yes[w];
      out.no = col.no[w];
      break;
    case atom_path::view: {
      const view_data& d = c.views[a.view];
      const word ok = d.ok[w];
      const auto& reps = e.views[a.view].reps;
      if (!d.low8.empty()) {
        coded_values(a, reps, d.low8.data() + base,
                     d.high8.empty() ? nullptr : d.high8.data() + base, ok, out);
      } else if (!d.low16.empty()) {
        coded_values(a, reps, d.low16.data() + base,
                     d.high16.empty() ? nullptr : d.high16.data() + base, ok, out);
      } else if (d.high.empty()) {
        single_values(a.test.set, d.low.data() + base, ok, out);
      } else {
        const double* low = d.low.data() + base;
        const double* high = d.high.data() + base;
        for_each_bit(ok, [&](unsigned b) {
          put(out, b, rules::interval_truth(a.test.set, low[b], high[b]), false);
        });
      }
      out.missing |= d.flag[w];
      break;
    }
    case atom_path::symbol: {
      const auto& table = plan.symbol_tables[id];
      const bool state_for = a.test.kind == rules::test_kind::state_for;
      for_each_bit(present, [&](unsigned b) {
        const std::size_t i = base + b;
        const symbol_entry& s = table[col.symbol[i]];
        if (!state_for || s.value == truth::no) return put(out, b, s.value, s.missing);
        if (!get_bit(col.has_date, i)) return put(out, b, truth::unknown, true);
        const truth v = all_of(s.value, plan.elapsed[id].truth_of(col.earliest[i], col.latest[i],
                                                                  a.test.span, c.as_of));
        put(out, b, v, s.missing);
      });
      break;
    }
    case atom_path::concepts: {
      if (!a.ontology) break;
      for_each_bit(present, [&](unsigned b) {
        const std::uint32_t l = col.list[base + b];
        const std::span<const concept_id> ids(col.list_ids.data() + col.list_offsets[l],
                                              col.list_offsets[l + 1] - col.list_offsets[l]);
        if (ids.empty()) return put(out, b, truth::unknown, true);
        put(out, b, rules::concepts_truth(ids, a.test.targets, *a.ontology), false);
      });
      break;
    }
    case atom_path::elapsed: {
      const elapsed_plan& ep = plan.elapsed[id];
      for_each_bit(present, [&](unsigned b) {
        const std::size_t i = base + b;
        if (!get_bit(col.has_date, i)) return put(out, b, ep.never, false);
        put(out, b, ep.truth_of(col.earliest[i], col.latest[i], a.test.span, c.as_of), false);
      });
      break;
    }
    case atom_path::wrong_kind:
    case atom_path::generic:
      break;
  }
  if (!col.rows.empty()) {
    auto it = std::lower_bound(col.rows.begin(), col.rows.end(), base,
                               [](const answer_row& r, std::size_t p) { return r.patient < p; });
    for (; it != col.rows.end() && it->patient < base + 64; ++it) {
      const auto b = static_cast<unsigned>(it->patient - base);
      const word bit = word{1} << b;
      out.yes &= ~bit;
      out.no &= ~bit;
      out.missing &= ~bit;
      const rules::leaf_value v =
          rules::assess_leaf(a.test, e.queries[a.query], it->answer, c.as_of, a.ontology);
      put(out, b, v.value, v.missing);
    }
  }
  return out;
}

/// Per-thread scratch: the atoms computed for the current word, the value stack.
struct scratch {
  std::vector<std::uint64_t> stamp;  ///< per atom: 1 + the word its cache holds, 0 = none
  std::vector<node_words> cache;
  std::vector<node_words> stack;
  std::uint64_t kernel_words = 0;

  explicit scratch(std::size_t atoms) : stamp(atoms, 0), cache(atoms) {}
};

/// A criterion's `passes` words (known-true, known-false) for word `w`.
std::pair<word, word> passes(const run_plan& plan, const detail::criterion_spec& s, std::size_t w,
                             scratch& sc) {
  if (!s.has_program) return {0, 0};
  const auto leaf = [&](std::uint32_t id) {
    if (sc.stamp[id] != w + 1) {
      sc.cache[id] = kernel(plan, id, w);
      sc.stamp[id] = w + 1;
      ++sc.kernel_words;
    }
    return sc.cache[id];
  };
  node_words v;
  if (s.policy == rules::missing_data_policy::unknown) {
    v = detail::eval_steps<false>(s.steps, leaf, sc.stack);
  } else {
    v = detail::eval_steps<true>(s.steps, leaf, sc.stack);
    // rules::verdict: an unknown verdict explained by a missing fact takes the policy's value.
    const word take = detail::unknown_of(v) & v.missing;
    if (s.policy == rules::missing_data_policy::treat_as_met) v.yes |= take;
    if (s.policy == rules::missing_data_policy::treat_as_not_met) v.no |= take;
  }
  return s.kind == criterion_kind::inclusion ? std::pair{v.yes, v.no} : std::pair{v.no, v.yes};
}

}  // namespace

run_result engine::run(const cohort& c, const batch_options& options) const {
  const detail::engine_impl& e = *impl_;
  const detail::cohort_impl& ci = *c.impl_;
  const run_plan plan = make_plan(e, ci);
  const std::size_t trials = e.trials.size();

  // Which trials and arms this run evaluates, and the atomic conditions each pair implies.
  std::vector<std::uint8_t> allowed(trials, 0);
  std::vector<std::vector<const detail::arm_spec*>> arms(trials);
  std::vector<std::uint64_t> leaves(trials, 0);
  for (std::size_t t = 0; t < trials; ++t) {
    const detail::trial_spec& ts = e.trials[t];
    bool ok = options.include_closed || ts.open;
    if (!options.phases.empty() &&
        std::none_of(ts.phases.begin(), ts.phases.end(), [&](trial_phase p) {
          return std::find(options.phases.begin(), options.phases.end(), p) != options.phases.end();
        })) {
      ok = false;
    }
    for (const std::uint32_t k : ts.criteria) leaves[t] += e.criteria[k].leaves;
    static const detail::arm_spec no_arm;
    if (ts.arms.empty()) arms[t].push_back(&no_arm);
    for (const auto& a : ts.arms) {
      if (!options.include_closed && !a.open) continue;
      arms[t].push_back(&a);
      for (const std::uint32_t k : a.criteria) leaves[t] += e.criteria[k].leaves;
    }
    allowed[t] = ok && !arms[t].empty() ? 1 : 0;
  }

  const std::size_t chunks = (ci.words + chunk_words - 1) / chunk_words;
  std::vector<std::vector<pair_status>> out(chunks);
  std::vector<run_stats> stats(chunks);
  parallel_units(chunks, options.threads, [&](std::size_t u) {
    scratch sc(e.atoms.size());
    std::vector<word> mask(trials, 0);
    std::vector<word> eligible(trials, 0);
    std::vector<word> ineligible(trials, 0);
    std::vector<std::uint32_t> touched;
    auto& pairs = out[u];
    run_stats& st = stats[u];
    const std::size_t end_word = std::min(ci.words, (u + 1) * chunk_words);
    for (std::size_t w = u * chunk_words; w < end_word; ++w) {
      const std::size_t base = w * 64;
      const std::size_t end = std::min(ci.size, base + 64);
      touched.clear();
      for (std::size_t i = base; i < end; ++i) {
        for (const std::uint32_t t : ci.candidates[ci.signature[i]]) {
          if (allowed[t] == 0) continue;
          if (mask[t] == 0) touched.push_back(t);
          mask[t] |= word{1} << (i - base);
        }
      }
      for (const std::uint32_t t : touched) {
        const detail::trial_spec& ts = e.trials[t];
        word all_yes = detail::all_ones;
        word any_no = 0;
        for (const std::uint32_t k : ts.criteria) {
          const auto [y, n] = passes(plan, e.criteria[k], w, sc);
          all_yes &= y;
          any_no |= n;
        }
        word best_eligible = 0;
        word best_ineligible = detail::all_ones;
        for (const detail::arm_spec* a : arms[t]) {
          word arm_yes = all_yes;
          word arm_no = any_no;
          for (const std::uint32_t k : a->criteria) {
            const auto [y, n] = passes(plan, e.criteria[k], w, sc);
            arm_yes &= y;
            arm_no |= n;
          }
          best_eligible |= arm_yes & ~arm_no;
          best_ineligible &= arm_no;
        }
        eligible[t] = best_eligible;
        ineligible[t] = best_ineligible;
      }
      // Emit in (patient, trial) order: candidate lists are increasing.
      for (std::size_t i = base; i < end; ++i) {
        const word bit = word{1} << (i - base);
        for (const std::uint32_t t : ci.candidates[ci.signature[i]]) {
          if (allowed[t] == 0) continue;
          pair_status p;
          p.patient = static_cast<std::uint32_t>(i);
          p.trial = t;
          p.status = (eligible[t] & bit) != 0     ? rules::eligibility::eligible
                     : (ineligible[t] & bit) != 0 ? rules::eligibility::ineligible
                                                  : rules::eligibility::possibly_eligible;
          pairs.push_back(p);
          ++st.pairs;
          st.evaluations += leaves[t];
        }
      }
      for (const std::uint32_t t : touched) mask[t] = 0;
    }
    st.kernel_words = sc.kernel_words;
  });
  run_result r;
  std::size_t total = 0;
  for (const auto& v : out) total += v.size();
  r.pairs.reserve(total);
  for (std::size_t u = 0; u < chunks; ++u) {
    r.pairs.insert(r.pairs.end(), out[u].begin(), out[u].end());
    r.stats.pairs += stats[u].pairs;
    r.stats.evaluations += stats[u].evaluations;
    r.stats.kernel_words += stats[u].kernel_words;
  }
  return r;
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
  parallel_units(chunks, options.threads, [&](std::size_t u) {
    scratch sc(e.atoms.size());
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
