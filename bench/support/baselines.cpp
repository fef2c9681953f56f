// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include "support/baselines.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>
#include <variant>

namespace ctm::bench {
namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point t) {
  return std::chrono::duration<double>(clock_type::now() - t).count();
}

bool pair_less(const batch::pair_status& a, const batch::pair_status& b) {
  return a.patient != b.patient ? a.patient < b.patient : a.trial < b.trial;
}

/// Every catalog query answered for one patient (evidence and reason texts dropped).
template <class F>
void answer_all(const lowered_catalog& c, const workload& w, const std::vector<bool>& needed,
                std::size_t i, F&& sink) {
  const patient& p = *w.patients[i].record;
  const auto facts = history::derive_facts(p, w.as_of, w.data.vocab);
  const rules::patient_fact_source source(p, facts, w.data.vocab);
  for (std::size_t q = 0; q < c.queries.size(); ++q) {
    if (!needed[q]) continue;
    rules::fact_answer a = source.answer(c.queries[q], w.as_of);
    a.evidence.clear();
    a.missing.clear();
    sink(q, std::move(a));
  }
}

/// The queries the covered trials ask.
std::vector<bool> needed_queries(const lowered_catalog& c, const coverage& cov) {
  std::vector<bool> needed(c.queries.size(), false);
  for (std::size_t t = 0; t < c.trials.size(); ++t) {
    if (!cov.trials[t]) continue;
    for (const auto& k : c.trials[t].criteria) {
      for (const auto q : k.queries) needed[q] = true;
    }
  }
  return needed;
}

std::size_t leaves_of(const lowered_criterion& c) {
  return c.program ? c.program->leaves.size() : 0;
}

}  // namespace

std::string sqlite_version() { return sqlite3_libversion(); }

std::size_t implied_evaluations(const lowered_catalog& c,
                                const std::vector<batch::pair_status>& pairs) {
  std::vector<std::size_t> per_trial(c.trials.size(), 0);
  for (std::size_t t = 0; t < c.trials.size(); ++t) {
    for (const auto& k : c.trials[t].criteria) per_trial[t] += leaves_of(k);
  }
  std::size_t n = 0;
  for (const auto& p : pairs) n += per_trial[p.trial];
  return n;
}

// Naive -------------------------------------------------------------------------------------------

struct naive_baseline::impl {
  const lowered_catalog& catalog;
  const workload& w;
  coverage cov;
  /// What a hand-written matcher keeps per patient: its facts by name; a missing fact is absent.
  struct patient_object {
    std::map<std::string, rules::fact_answer> facts;
  };
  std::vector<patient_object> patients;
  baseline_stats stats;

  impl(const lowered_catalog& c, const workload& wl) : catalog(c), w(wl) {}

  const rules::fact_answer* find(const patient_object& p, const lowered_criterion& c,
                                 std::uint32_t query) const {
    const auto it = p.facts.find(catalog.query_names[c.queries[query]]);
    return it == p.facts.end() ? nullptr : &it->second;
  }

  // The recursive walk: the children of step i are the subtrees right before it.
  truth eval(const rules::lowered_program& prog, const lowered_criterion& c,
             const patient_object& p, std::uint32_t i) const {
    const rules::step& s = prog.steps[i];
    switch (s.op) {
      case rules::step_op::leaf: {
        const rules::lowered_leaf& leaf = prog.leaves[s.arg];
        static const rules::fact_answer missing{};
        const rules::fact_answer* a = find(p, c, leaf.query);
        return rules::test_leaf(leaf.test, catalog.queries[c.queries[leaf.query]],
                                a != nullptr ? *a : missing, w.as_of, prog.ontology);
      }
      case rules::step_op::constant:
        return s.constant;
      default:
        break;
    }
    std::vector<std::uint32_t> children;
    std::uint32_t j = i;
    for (std::uint32_t k = 0; k < s.count; ++k) {
      const std::uint32_t child = j - 1;
      children.push_back(child);
      j = child + 1 - prog.steps[child].size;
    }
    std::reverse(children.begin(), children.end());
    switch (s.op) {
      case rules::step_op::and_op: {
        truth v = truth::yes;
        for (const auto ch : children) {
          v = all_of(v, eval(prog, c, p, ch));
          if (v == truth::no) break;
        }
        return v;
      }
      case rules::step_op::or_op: {
        truth v = truth::no;
        for (const auto ch : children) {
          v = any_of(v, eval(prog, c, p, ch));
          if (v == truth::yes) break;
        }
        return v;
      }
      case rules::step_op::not_op:
        return negate(eval(prog, c, p, children.front()));
      case rules::step_op::at_least:
      case rules::step_op::at_most: {
        std::size_t yes = 0;
        std::size_t unknown = 0;
        for (const auto ch : children) {
          const truth v = eval(prog, c, p, ch);
          yes += v == truth::yes ? 1U : 0U;
          unknown += v == truth::unknown ? 1U : 0U;
        }
        const std::size_t need = s.arg + (s.op == rules::step_op::at_most ? 1U : 0U);
        truth at_least = truth::unknown;
        if (yes >= need) at_least = truth::yes;
        if (yes + unknown < need) at_least = truth::no;
        return s.op == rules::step_op::at_least ? at_least : negate(at_least);
      }
      case rules::step_op::conditional: {
        const truth cond = eval(prog, c, p, children[0]);
        if (cond == truth::yes) return eval(prog, c, p, children[1]);
        if (cond == truth::no) return eval(prog, c, p, children[2]);
        const truth a = eval(prog, c, p, children[1]);
        const truth b = eval(prog, c, p, children[2]);
        return a == b ? a : truth::unknown;
      }
      default:
        return truth::unknown;
    }
  }

  truth passes(const lowered_criterion& c, const patient_object& p) const {
    if (!c.program) return truth::unknown;
    const auto& prog = *c.program;
    const truth raw = prog.steps.empty()
                          ? truth::unknown
                          : eval(prog, c, p, static_cast<std::uint32_t>(prog.steps.size() - 1));
    // The policy needs to know whether a deciding leaf reports a missing fact (as
    // `program::evaluate` does); only an unknown verdict under a policy other than `unknown`
    // depends on it, so the leaves are assessed again only then.
    bool missing = false;
    if (raw == truth::unknown && prog.policy != rules::missing_data_policy::unknown) {
      static const rules::fact_answer absent{};
      std::vector<truth> values;
      std::vector<std::uint8_t> flags;
      for (const auto& leaf : prog.leaves) {
        const rules::fact_answer* a = find(p, c, leaf.query);
        const rules::leaf_value lv =
            rules::assess_leaf(leaf.test, catalog.queries[c.queries[leaf.query]],
                               a != nullptr ? *a : absent, w.as_of, prog.ontology);
        values.push_back(lv.value);
        flags.push_back(lv.missing ? 1U : 0U);
      }
      missing = rules::deciding_missing(prog.steps, values, flags);
    }
    return rules::passes(c.kind, rules::verdict(prog, raw, missing));
  }
};

naive_baseline::naive_baseline(const lowered_catalog& catalog, const workload& w)
    : impl_(std::make_unique<impl>(catalog, w)) {}
naive_baseline::~naive_baseline() = default;
const baseline_stats& naive_baseline::stats() const noexcept { return impl_->stats; }

void naive_baseline::load(const coverage& cov, unsigned threads) {
  impl& m = *impl_;
  const auto started = clock_type::now();
  m.cov = cov;
  m.patients.assign(cov.patients, {});
  const auto needed = needed_queries(m.catalog, cov);
  parallel_for(cov.patients, threads, [&](std::size_t i) {
    auto& facts = m.patients[i].facts;
    answer_all(m.catalog, m.w, needed, i, [&](std::size_t q, rules::fact_answer a) {
      if (!a.is_missing()) facts.emplace(m.catalog.query_names[q], std::move(a));
    });
  });
  m.stats.load_seconds = seconds_since(started);
}

std::vector<batch::pair_status> naive_baseline::run(
    const std::vector<std::vector<std::uint32_t>>& candidates) {
  impl& m = *impl_;
  std::vector<batch::pair_status> out;
  for (std::size_t i = 0; i < m.cov.patients; ++i) {
    const auto& p = m.patients[i];
    for (const std::uint32_t t : candidates[i]) {
      if (!m.cov.trials[t]) continue;
      const lowered_trial& lt = m.catalog.trials[t];
      std::vector<truth> passes(lt.criteria.size());
      for (std::size_t k = 0; k < lt.criteria.size(); ++k) passes[k] = m.passes(lt.criteria[k], p);
      auto best = rules::eligibility::ineligible;
      for (const auto& a : lt.arms) {
        std::vector<truth> v;
        for (const auto k : a.criteria) v.push_back(passes[k]);
        best = std::max(best, rules::aggregate(v));
      }
      out.push_back({static_cast<std::uint32_t>(i), t, best});
    }
  }
  m.stats.pairs = out.size();
  m.stats.evaluations = implied_evaluations(m.catalog, out);
  return out;
}

// SQLite ------------------------------------------------------------------------------------------

namespace {

void check_sql(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    throw std::runtime_error(std::string("sqlite: ") + what + ": " + sqlite3_errmsg(db));
  }
}

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

/// A column of the flattened patient table and how its value comes from an answer.
struct column_spec {
  enum class kind : std::uint8_t {
    truth_value,  ///< a truth answer: 1, 0, NULL
    low,          ///< number_range low
    high,         ///< number_range high
    converted,    ///< a measurement converted to `unit` (with `molar`)
    raw_value,    ///< a measurement's value in its own unit
    uln,
    lln,
    symbol_text,
    missing,  ///< 1 when the answer is missing
    leaf,     ///< a leaf test precomputed with rules::test_leaf: 1, 0, NULL
  };
  kind k = kind::truth_value;
  std::uint32_t query = 0;
  unit to = unit::one;
  std::optional<double> molar;
  rules::leaf_test test;
  std::optional<vocab::ontology> ontology;
};

using sql_value = std::variant<std::monostate, std::int64_t, double, std::string>;

sql_value value_of(const column_spec& c, const rules::query& q, const rules::fact_answer& a,
                   date as_of) {
  using k = column_spec::kind;
  const auto finite = [](double v) -> sql_value {
    return std::isfinite(v) ? sql_value(v) : sql_value();
  };
  switch (c.k) {
    case k::truth_value: {
      const auto* t = std::get_if<truth>(&a.value);
      if (t == nullptr || *t == truth::unknown) return {};
      return std::int64_t{*t == truth::yes ? 1 : 0};
    }
    case k::low:
    case k::high: {
      const auto* n = std::get_if<rules::number_range>(&a.value);
      if (n == nullptr || std::isnan(n->low) || std::isnan(n->high)) return {};
      return c.k == k::low ? n->low : n->high;
    }
    case k::converted: {
      const auto* m = std::get_if<rules::measurement>(&a.value);
      if (m == nullptr) return {};
      const auto conv =
          c.molar ? convert(m->value, c.to, molar_mass{*c.molar}) : convert(m->value, c.to);
      if (!conv) return {};
      return finite(conv->value);
    }
    case k::raw_value:
    case k::uln:
    case k::lln: {
      const auto* m = std::get_if<rules::measurement>(&a.value);
      if (m == nullptr) return {};
      if (c.k == k::raw_value) return finite(m->value.value);
      const auto& limit = c.k == k::uln ? m->uln : m->lln;
      if (!limit) return {};
      return finite(*limit);
    }
    case k::symbol_text: {
      const auto* s = std::get_if<rules::symbol>(&a.value);
      if (s == nullptr) return {};
      return s->text;
    }
    case k::missing:
      return std::int64_t{a.is_missing() ? 1 : 0};
    case k::leaf: {
      const truth t = rules::test_leaf(c.test, q, a, as_of, c.ontology);
      if (t == truth::unknown) return {};
      return std::int64_t{t == truth::yes ? 1 : 0};
    }
  }
  return {};
}

/// SQL for "x is in s" with x a single number (1, 0, NULL when x is NULL).
std::string in_interval(const std::string& x, const rules::interval& s) {
  std::string cond;
  const auto add = [&](const std::string& c) { cond += (cond.empty() ? "" : " AND ") + c; };
  if (std::isfinite(s.low)) add(x + (s.low_open ? " > " : " >= ") + num(s.low));
  if (std::isfinite(s.high)) add(x + (s.high_open ? " < " : " <= ") + num(s.high));
  if (s.low == std::numeric_limits<double>::infinity()) add("0");
  if (s.high == -std::numeric_limits<double>::infinity()) add("0");
  if (cond.empty()) cond = x + " IS NOT NULL";
  if (s.complement) return "(NOT (" + cond + "))";
  return "(" + cond + ")";
}

/// SQL for interval_truth(s, lo, hi) on two columns.
std::string range_truth(const std::string& lo_col, const std::string& hi_col,
                        const rules::interval& s) {
  const std::string lo = "min(" + lo_col + ", " + hi_col + ")";
  const std::string hi = "max(" + lo_col + ", " + hi_col + ")";
  if (!s.complement) {
    // An infinite bound excludes nothing on its side, except the empty sets (+inf low, -inf high).
    std::string below = s.low == std::numeric_limits<double>::infinity() ? "1" : "0";
    std::string above = s.high == -std::numeric_limits<double>::infinity() ? "1" : "0";
    if (std::isfinite(s.low)) {
      below = "(" + hi + " < " + num(s.low) + (s.low_open ? " OR " + hi + " = " + num(s.low) : "") +
              ")";
    }
    if (std::isfinite(s.high)) {
      above = "(" + lo + " > " + num(s.high) +
              (s.high_open ? " OR " + lo + " = " + num(s.high) : "") + ")";
    }
    return "(CASE WHEN " + lo_col + " IS NULL OR " + hi_col + " IS NULL THEN NULL WHEN " +
           in_interval(lo, s) + " AND " + in_interval(hi, s) + " THEN 1 WHEN " + below + " OR " +
           above + " THEN 0 END)";
  }
  return "(CASE WHEN " + lo_col + " IS NULL OR " + hi_col + " IS NULL THEN NULL WHEN " + hi +
         " < " + num(s.low) + " OR " + lo + " > " + num(s.high) + " THEN 1 WHEN " + lo +
         " >= " + num(s.low) + " AND " + hi + " <= " + num(s.high) + " THEN 0 END)";
}

std::string quoted(const std::string& s) {
  std::string out = "'";
  for (const char ch : s) {
    if (ch == '\'') out += '\'';
    out += ch;
  }
  return out + "'";
}

}  // namespace

struct sqlite_baseline::impl {
  static constexpr std::size_t columns_per_table = 1500;

  const lowered_catalog& catalog;
  const workload& w;
  coverage cov;
  sqlite3* db = nullptr;
  std::vector<column_spec> columns;
  std::map<std::string, std::uint32_t> column_index;
  std::size_t leaf_columns = 0;
  std::vector<std::string> queries;  // per trial; empty when not covered
  baseline_stats stats;

  impl(const lowered_catalog& c, const workload& wl) : catalog(c), w(wl) {
    check_sql(sqlite3_open(":memory:", &db), db, "open");
    exec("PRAGMA journal_mode = OFF");
    exec("PRAGMA synchronous = OFF");
    exec("PRAGMA cache_size = -2000000");  // 2 GB: everything stays resident
    exec("PRAGMA temp_store = MEMORY");
  }
  ~impl() { sqlite3_close(db); }
  impl(const impl&) = delete;
  impl& operator=(const impl&) = delete;

  void exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      const std::string msg = err != nullptr ? err : "?";
      sqlite3_free(err);
      throw std::runtime_error("sqlite: " + msg);
    }
  }

  std::string column(const std::string& key, column_spec spec, std::set<std::size_t>& tables) {
    auto it = column_index.find(key);
    if (it == column_index.end()) {
      if (spec.k == column_spec::kind::leaf) ++leaf_columns;
      it = column_index.emplace(key, static_cast<std::uint32_t>(columns.size())).first;
      columns.push_back(std::move(spec));
    }
    const std::size_t table = it->second / columns_per_table;
    tables.insert(table);
    return "p" + std::to_string(table) + ".c" + std::to_string(it->second);
  }

  std::string leaf_sql(const lowered_criterion& c, const rules::lowered_leaf& leaf,
                       std::set<std::size_t>& tables) {
    const std::uint32_t q = c.queries[leaf.query];
    const rules::leaf_test& t = leaf.test;
    const std::string qs = std::to_string(q);
    column_spec spec;
    spec.query = q;
    using k = column_spec::kind;
    switch (t.kind) {
      case rules::test_kind::truth_is:
        spec.k = k::truth_value;
        return column("t" + qs, spec, tables);
      case rules::test_kind::interval:
        if (t.scale == rules::value_scale::number) {
          spec.k = k::low;
          const std::string lo = column("lo" + qs, spec, tables);
          spec.k = k::high;
          const std::string hi = column("hi" + qs, spec, tables);
          return range_truth(lo, hi, t.set);
        }
        if (t.scale == rules::value_scale::quantity) {
          spec.k = k::converted;
          spec.to = t.unit;
          spec.molar = t.molar_grams_per_mole;
          const std::string x =
              column("q" + qs + "u" + std::to_string(static_cast<int>(t.unit)) +
                         (t.molar_grams_per_mole ? "m" + num(*t.molar_grams_per_mole) : ""),
                     spec, tables);
          return "(CASE WHEN " + x + " IS NOT NULL THEN " + in_interval(x, t.set) + " END)";
        }
        break;  // stage and response symbols: precomputed below
      case rules::test_kind::uln: {
        spec.k = k::raw_value;
        const std::string v = column("v" + qs, spec, tables);
        spec.k = t.lln ? k::lln : k::uln;
        const std::string limit = column((t.lln ? "lln" : "uln") + qs, spec, tables);
        return "(CASE WHEN " + v + " IS NOT NULL AND " + limit + " > 0 THEN " +
               in_interval("(" + v + " / " + limit + ")", t.set) + " END)";
      }
      case rules::test_kind::symbol: {
        spec.k = k::symbol_text;
        const std::string s = column("s" + qs, spec, tables);
        const auto list = [&](const std::vector<std::string>& v) {
          std::string out;
          for (const auto& x : v) out += (out.empty() ? "" : ", ") + quoted(x);
          return out;
        };
        std::string sql = "(CASE WHEN " + s + " IS NULL THEN NULL";
        if (!t.yes_symbols.empty())
          sql += " WHEN " + s + " IN (" + list(t.yes_symbols) + ") THEN 1";
        if (!t.unknown_symbols.empty()) {
          sql += " WHEN " + s + " IN (" + list(t.unknown_symbols) + ") THEN NULL";
        }
        return sql + " ELSE 0 END)";
      }
      default:
        break;
    }
    // Concepts (the hierarchy), stage and response ordinals, dated states and elapsed times
    // (partial dates and calendar arithmetic): one precomputed column per distinct test.
    spec.k = k::leaf;
    spec.test = t;
    spec.ontology = t.kind == rules::test_kind::concepts ? catalog.ontology : std::nullopt;
    std::string key = "L" + qs + ":";
    // Distinct tests on a query share a column: find an equal one.
    for (std::size_t n = 0;; ++n) {
      const std::string candidate = key + std::to_string(n);
      const auto it = column_index.find(candidate);
      if (it == column_index.end() || columns[it->second].test == t) {
        return column(candidate, spec, tables);
      }
    }
  }

  std::string step_sql(const rules::lowered_program& prog, const lowered_criterion& c,
                       std::uint32_t i, std::set<std::size_t>& tables) {
    const rules::step& s = prog.steps[i];
    if (s.op == rules::step_op::leaf) return leaf_sql(c, prog.leaves[s.arg], tables);
    if (s.op == rules::step_op::constant) {
      return s.constant == truth::yes ? "1" : (s.constant == truth::no ? "0" : "NULL");
    }
    std::vector<std::string> kids;
    std::uint32_t j = i;
    for (std::uint32_t k = 0; k < s.count; ++k) {
      const std::uint32_t child = j - 1;
      kids.push_back(step_sql(prog, c, child, tables));
      j = child + 1 - prog.steps[child].size;
    }
    std::reverse(kids.begin(), kids.end());
    const auto join = [&](const char* op) {
      std::string out = "(";
      for (std::size_t k = 0; k < kids.size(); ++k) out += (k == 0 ? "" : op) + kids[k];
      return out + ")";
    };
    switch (s.op) {
      case rules::step_op::and_op:
        return kids.empty() ? "1" : join(" AND ");
      case rules::step_op::or_op:
        return kids.empty() ? "0" : join(" OR ");
      case rules::step_op::not_op:
        return "(NOT " + kids.front() + ")";
      case rules::step_op::at_least:
      case rules::step_op::at_most: {
        std::string yes = "(0";
        std::string unk = "(0";
        for (const auto& kid : kids) {
          yes += " + (" + kid + " IS 1)";
          unk += " + (" + kid + " IS NULL)";
        }
        yes += ")";
        unk += ")";
        const std::string need =
            std::to_string(s.arg + (s.op == rules::step_op::at_most ? 1U : 0U));
        const bool least = s.op == rules::step_op::at_least;
        return "(CASE WHEN " + yes + " >= " + need + " THEN " + (least ? "1" : "0") + " WHEN " +
               yes + " + " + unk + " < " + need + " THEN " + (least ? "0" : "1") + " END)";
      }
      case rules::step_op::conditional:
        return "(CASE WHEN " + kids[0] + " IS 1 THEN " + kids[1] + " WHEN " + kids[0] +
               " IS 0 THEN " + kids[2] + " WHEN " + kids[1] + " IS " + kids[2] + " THEN " +
               kids[1] + " END)";
      default:
        return "NULL";
    }
  }

  std::string passes_sql(const lowered_criterion& c, std::set<std::size_t>& tables) {
    if (!c.program || c.program->steps.empty()) return "NULL";
    const auto& prog = *c.program;
    std::string v = step_sql(prog, c, static_cast<std::uint32_t>(prog.steps.size() - 1), tables);
    // A missing-data policy here applies when some answer is missing, where `program::evaluate`
    // asks whether a deciding leaf reports one (rules::deciding_missing): the two agree on the
    // generated catalogs (their templates set no policy), and the checksum comparison would
    // show any criterion where they did not.
    if (prog.policy != rules::missing_data_policy::unknown && !prog.leaves.empty()) {
      std::string missing;
      std::set<std::uint32_t> seen;
      for (const auto& leaf : prog.leaves) {
        const std::uint32_t q = c.queries[leaf.query];
        if (!seen.insert(q).second) continue;
        column_spec spec;
        spec.k = column_spec::kind::missing;
        spec.query = q;
        missing += (missing.empty() ? "" : " OR ") + column("m" + std::to_string(q), spec, tables) +
                   " = 1";
      }
      const char* forced = prog.policy == rules::missing_data_policy::treat_as_met ? "1" : "0";
      v = "(CASE WHEN " + v + " IS NULL AND (" + missing + ") THEN " + forced + " ELSE " + v +
          " END)";
    }
    return c.kind == rules::criterion_kind::inclusion ? v : "(NOT " + v + ")";
  }

  std::string trial_sql(std::size_t t) {
    const lowered_trial& lt = catalog.trials[t];
    std::set<std::size_t> tables;
    std::vector<std::string> passes;
    for (const auto& c : lt.criteria) passes.push_back(passes_sql(c, tables));
    std::vector<std::string> arms;
    for (const auto& a : lt.arms) {
      std::string all;
      for (const auto k : a.criteria) all += (all.empty() ? "" : " AND ") + passes[k];
      if (all.empty()) all = "1";
      arms.push_back("(CASE (" + all + ") WHEN 1 THEN 2 WHEN 0 THEN 0 ELSE 1 END)");
    }
    std::string best;
    if (arms.size() == 1) {
      best = arms.front();
    } else {
      best = "max(";
      for (std::size_t k = 0; k < arms.size(); ++k) best += (k == 0 ? "" : ", ") + arms[k];
      best += ")";
    }
    std::string from = "cand c";
    for (const auto tb : tables) {
      from += " JOIN p" + std::to_string(tb) + " ON p" + std::to_string(tb) + ".pid = c.pid";
    }
    return "SELECT c.pid, " + best + " FROM " + from + " WHERE c.tid = " + std::to_string(t);
  }
};

sqlite_baseline::sqlite_baseline(const lowered_catalog& catalog, const workload& w)
    : impl_(std::make_unique<impl>(catalog, w)) {}
sqlite_baseline::~sqlite_baseline() = default;
const baseline_stats& sqlite_baseline::stats() const noexcept { return impl_->stats; }
std::size_t sqlite_baseline::native_columns() const noexcept {
  return impl_->columns.size() - impl_->leaf_columns;
}
std::size_t sqlite_baseline::leaf_columns() const noexcept { return impl_->leaf_columns; }
std::string sqlite_baseline::query_text(std::size_t t) const {
  return t < impl_->queries.size() ? impl_->queries[t] : std::string();
}

void sqlite_baseline::load(const coverage& cov,
                           const std::vector<std::vector<std::uint32_t>>& candidates,
                           unsigned threads) {
  impl& m = *impl_;
  m.cov = cov;
  // The queries first: they decide which columns the tables need.
  m.queries.assign(m.catalog.trials.size(), {});
  for (std::size_t t = 0; t < m.catalog.trials.size(); ++t) {
    if (cov.trials[t] && !m.catalog.trials[t].arms.empty()) m.queries[t] = m.trial_sql(t);
  }
  const auto started = clock_type::now();
  const std::size_t n_tables =
      (m.columns.size() + impl::columns_per_table - 1) / impl::columns_per_table;
  for (std::size_t tb = 0; tb < std::max<std::size_t>(n_tables, 1); ++tb) {
    std::string ddl = "CREATE TABLE p" + std::to_string(tb) + " (pid INTEGER PRIMARY KEY";
    const std::size_t end = std::min(m.columns.size(), (tb + 1) * impl::columns_per_table);
    for (std::size_t c = tb * impl::columns_per_table; c < end; ++c) {
      const auto k = m.columns[c].k;
      const char* type =
          k == column_spec::kind::symbol_text
              ? "TEXT"
              : ((k == column_spec::kind::low || k == column_spec::kind::high ||
                  k == column_spec::kind::converted || k == column_spec::kind::raw_value ||
                  k == column_spec::kind::uln || k == column_spec::kind::lln)
                     ? "REAL"
                     : "INTEGER");
      ddl += ", c" + std::to_string(c) + " " + type;
    }
    m.exec(ddl + ")");
  }
  m.exec("CREATE TABLE cand (tid INTEGER, pid INTEGER, PRIMARY KEY (tid, pid)) WITHOUT ROWID");

  // Rows: derived in parallel, inserted on one connection.
  std::vector<std::vector<sql_value>> rows(cov.patients);
  const auto needed = needed_queries(m.catalog, cov);
  parallel_for(cov.patients, threads, [&](std::size_t i) {
    std::vector<rules::fact_answer> answers(m.catalog.queries.size());
    answer_all(m.catalog, m.w, needed, i,
               [&](std::size_t q, rules::fact_answer a) { answers[q] = std::move(a); });
    auto& row = rows[i];
    row.reserve(m.columns.size());
    for (const auto& c : m.columns) {
      row.push_back(value_of(c, m.catalog.queries[c.query], answers[c.query], m.w.as_of));
    }
  });
  m.exec("BEGIN");
  for (std::size_t tb = 0; tb < std::max<std::size_t>(n_tables, 1); ++tb) {
    const std::size_t first = tb * impl::columns_per_table;
    const std::size_t end = std::min(m.columns.size(), (tb + 1) * impl::columns_per_table);
    std::string sql = "INSERT INTO p" + std::to_string(tb) + " VALUES (?";
    for (std::size_t c = first; c < end; ++c) sql += ", ?";
    sql += ")";
    sqlite3_stmt* st = nullptr;
    check_sql(sqlite3_prepare_v2(m.db, sql.c_str(), -1, &st, nullptr), m.db, "prepare insert");
    for (std::size_t i = 0; i < cov.patients; ++i) {
      sqlite3_bind_int64(st, 1, static_cast<sqlite3_int64>(i));
      for (std::size_t c = first; c < end; ++c) {
        const int pos = static_cast<int>(c - first) + 2;
        const sql_value& v = rows[i][c];
        if (const auto* x = std::get_if<std::int64_t>(&v)) {
          sqlite3_bind_int64(st, pos, *x);
        } else if (const auto* d = std::get_if<double>(&v)) {
          sqlite3_bind_double(st, pos, *d);
        } else if (const auto* s = std::get_if<std::string>(&v)) {
          sqlite3_bind_text(st, pos, s->c_str(), static_cast<int>(s->size()), SQLITE_TRANSIENT);
        } else {
          sqlite3_bind_null(st, pos);
        }
      }
      check_sql(sqlite3_step(st), m.db, "insert");
      sqlite3_reset(st);
    }
    sqlite3_finalize(st);
  }
  {
    sqlite3_stmt* st = nullptr;
    check_sql(sqlite3_prepare_v2(m.db, "INSERT INTO cand VALUES (?, ?)", -1, &st, nullptr), m.db,
              "prepare cand");
    for (std::size_t i = 0; i < cov.patients; ++i) {
      for (const auto t : candidates[i]) {
        if (!cov.trials[t]) continue;
        sqlite3_bind_int64(st, 1, t);
        sqlite3_bind_int64(st, 2, static_cast<sqlite3_int64>(i));
        check_sql(sqlite3_step(st), m.db, "insert cand");
        sqlite3_reset(st);
      }
    }
    sqlite3_finalize(st);
  }
  m.exec("COMMIT");
  m.exec("ANALYZE");
  m.stats.load_seconds = seconds_since(started);
}

std::vector<batch::pair_status> sqlite_baseline::run() {
  impl& m = *impl_;
  std::vector<batch::pair_status> out;
  for (std::size_t t = 0; t < m.queries.size(); ++t) {
    if (m.queries[t].empty()) continue;
    sqlite3_stmt* st = nullptr;
    check_sql(sqlite3_prepare_v2(m.db, m.queries[t].c_str(), -1, &st, nullptr), m.db,
              "prepare query");
    int rc = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      const auto pid = static_cast<std::uint32_t>(sqlite3_column_int64(st, 0));
      const auto status = static_cast<rules::eligibility>(sqlite3_column_int(st, 1));
      out.push_back({pid, static_cast<std::uint32_t>(t), status});
    }
    check_sql(rc, m.db, "query");
    sqlite3_finalize(st);
  }
  std::sort(out.begin(), out.end(), pair_less);
  m.stats.pairs = out.size();
  m.stats.evaluations = implied_evaluations(m.catalog, out);
  return out;
}

}  // namespace ctm::bench
