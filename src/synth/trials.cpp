// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Synthetic trials (issue 8): the bundled catalog's rules with their thresholds, windows, disease
// codes and drug classes varied. Rules are edited on the parsed syntax tree: each literal the
// tree locates (by its source span) can be replaced, and the edited text is parsed and checked
// again; a variant that does not check falls back to the template's rule.
#include "synth/random.hpp"

#include <ctm/rules/ast.hpp>
#include <ctm/rules/check.hpp>
#include <ctm/synth/generate.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ctm::synth {
namespace {

using detail::rng;
using detail::round_to;
using rules::node;
using rules::node_id;
using rules::node_kind;

std::size_t count_atoms(const rules::parsed_rule& r, node_id id, std::uint32_t depth) {
  if (depth > 256) return 0;
  const node& n = r[id];
  switch (n.kind) {
    case node_kind::and_op:
    case node_kind::or_op:
    case node_kind::not_op:
    case node_kind::count:
    case node_kind::conditional: {
      std::size_t sum = 0;
      for (const node_id c : n.children) sum += count_atoms(r, c, depth + 1);
      return sum;
    }
    case node_kind::boolean:
      return 0;
    default:
      return 1;
  }
}

std::string format_number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

std::string format_duration(std::int32_t count, time_unit u) {
  static constexpr std::array<const char*, 4> names = {"day", "week", "month", "year"};
  std::string s = std::to_string(count) + " " + names[static_cast<std::size_t>(u)];
  if (count != 1) s += "s";
  return s;
}

/// One replacement of source bytes [offset, offset + length).
struct edit {
  std::uint32_t offset = 0;
  std::uint32_t length = 0;
  std::string text;
};

class varier {
 public:
  varier(const history::vocabularies& vocab, rng& r) : vocab_(vocab), r_(r) {}

  /// A variant of `text` (or `text` itself when nothing was varied).
  std::string vary(const rules::parsed_rule& rule) {
    edits_.clear();
    if (const auto body = rule.body()) walk(rule, *body, 0);
    std::string out(rule.text());
    std::sort(edits_.begin(), edits_.end(),
              [](const edit& a, const edit& b) { return a.offset > b.offset; });
    std::uint32_t last = 0xFFFFFFFFU;
    for (const auto& e : edits_) {
      if (e.offset + e.length > last || e.offset + e.length > out.size()) continue;  // overlap
      out.replace(e.offset, e.length, e.text);
      last = e.offset;
    }
    return out;
  }

  /// A disease code near `code` in the hierarchy (a child, sibling or the parent), or `code`.
  std::string near_code(const std::string& code) {
    if (!vocab_.diseases) return code;
    const auto& onto = *vocab_.diseases;
    const auto id = onto.find(code);
    if (!id || id->value >= onto.tree_size() || onto.get(*id).level < 1) return code;
    std::vector<concept_id> options;
    for (const auto c : onto.children(*id)) options.push_back(c);
    const auto parent = onto.get(*id).parent;
    if (parent.value < onto.tree_size() && onto.get(parent).level >= 1) {
      options.push_back(parent);
      for (const auto c : onto.children(parent)) {
        if (c != *id) options.push_back(c);
      }
    }
    if (options.empty()) return code;
    return onto.get(options[r_.below(static_cast<std::uint32_t>(options.size()))]).code;
  }

 private:
  void walk(const rules::parsed_rule& rule, node_id id, std::uint32_t depth) {
    if (depth > 256) return;
    const node& n = rule[id];
    switch (n.kind) {
      case node_kind::compare:
        if (n.children.size() == 2) threshold(rule, n.children[1]);
        break;
      case node_kind::in_range:
        if (n.children.size() == 3) range(rule, n.children[1], n.children[2]);
        break;
      case node_kind::is_state:
        if (n.children.size() == 2) threshold(rule, n.children[1]);
        break;
      case node_kind::is_a:
        for (std::size_t k = 1; k < n.children.size(); ++k) code(rule, n.children[k]);
        break;
      case node_kind::tagged:
        agent(rule, n);
        break;
      case node_kind::within:
        if (!n.children.empty()) threshold(rule, n.children[0]);
        break;
      default:
        break;
    }
    for (const node_id c : n.children) walk(rule, c, depth + 1);
  }

  // The number literal at the start of a number node's span.
  std::optional<std::pair<std::uint32_t, std::uint32_t>> literal(const rules::parsed_rule& rule,
                                                                 const node& n) {
    const std::string_view text = rule.text();
    std::uint32_t i = n.span.offset;
    const std::uint32_t start = i;
    while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == '.')) ++i;
    if (i == start) return std::nullopt;
    return std::pair{start, i - start};
  }

  double scaled(double v) {
    const bool integral = v == std::floor(v);
    if (integral && v <= 5) return std::max(0.0, v + static_cast<double>(r_.between(-1, 1)));
    static constexpr std::array<double, 7> factors = {0.75, 0.8, 0.9, 1.1, 1.2, 1.25, 1.5};
    const double f = factors[r_.below(static_cast<std::uint32_t>(factors.size()))];
    if (integral && v <= 100 && static_cast<long>(v) % 10 == 0) {
      return std::clamp(v + 10.0 * static_cast<double>(r_.between(-1, 1)), 10.0, 100.0);
    }
    if (integral) return std::max(1.0, std::round(v * f));
    return std::max(0.1, round_to(v * f, 2));
  }

  void threshold(const rules::parsed_rule& rule, node_id id) {
    const node& n = rule[id];
    if (!r_.chance(0.6)) return;
    if (n.kind == node_kind::number) {
      if (const auto lit = literal(rule, n)) {
        edits_.push_back({lit->first, lit->second, format_number(scaled(n.value))});
      }
    } else if (n.kind == node_kind::uln_multiple && !n.children.empty()) {
      const node& m = rule[n.children[0]];
      if (m.kind != node_kind::number) return;
      static constexpr std::array<double, 6> multiples = {1.0, 1.5, 2.0, 2.5, 3.0, 5.0};
      if (const auto lit = literal(rule, m)) {
        edits_.push_back(
            {lit->first, lit->second,
             format_number(multiples[r_.below(static_cast<std::uint32_t>(multiples.size()))])});
      }
    } else if (n.kind == node_kind::duration && n.span.length > 0) {
      const auto count = static_cast<std::int32_t>(
          std::max(1.0, std::round(static_cast<double>(n.span_value.count) *
                                   (r_.chance(0.5) ? 0.5 : (r_.chance(0.5) ? 1.5 : 2.0)))));
      edits_.push_back({n.span.offset, n.span.length, format_duration(count, n.span_value.unit)});
    }
  }

  void range(const rules::parsed_rule& rule, node_id lo, node_id hi) {
    const node& a = rule[lo];
    const node& b = rule[hi];
    if (a.kind != node_kind::number || b.kind != node_kind::number || !r_.chance(0.5)) return;
    double x = a.value;
    double y = b.value;
    if (r_.chance(0.5)) x = scaled(x);
    if (r_.chance(0.5)) y = scaled(y);
    if (x > y) return;
    const auto la = literal(rule, a);
    const auto lb = literal(rule, b);
    if (!la || !lb) return;
    edits_.push_back({la->first, la->second, format_number(x)});
    edits_.push_back({lb->first, lb->second, format_number(y)});
  }

  void code(const rules::parsed_rule& rule, node_id id) {
    const node& n = rule[id];
    if (n.kind != node_kind::string || !r_.chance(0.4) || n.text.starts_with("_")) return;
    const std::string other = near_code(n.text);
    if (other != n.text) edits_.push_back({n.span.offset, n.span.length, "\"" + other + "\""});
  }

  void agent(const rules::parsed_rule& rule, const node& n) {
    if (!vocab_.drugs || n.children.empty() || !r_.chance(0.4)) return;
    const node& s = rule[n.children[0]];
    if (s.kind != node_kind::string) return;
    const auto& cat = *vocab_.drugs;
    const auto id = cat.find_code(s.text);
    if (!id) return;
    const auto& entry = cat.get(*id);
    if (entry.parents.empty()) return;
    const drug_id parent = entry.parents.front();
    std::vector<drug_id> options;
    if (n.text == "class") {
      // Sibling classes: other classes with the same first parent.
      for (std::uint32_t k = 0; k < cat.size(); ++k) {
        const auto& e = cat.get(drug_id{k});
        if (e.is_class && k != id->value && !e.parents.empty() && e.parents.front() == parent) {
          options.push_back(drug_id{k});
        }
      }
    } else if (n.text == "drug") {
      for (const auto d : cat.members(parent)) {
        if (d != *id) options.push_back(d);
      }
    }
    if (options.empty()) return;
    const auto& chosen = cat.get(options[r_.below(static_cast<std::uint32_t>(options.size()))]);
    edits_.push_back({s.span.offset, s.span.length, "\"" + chosen.code + "\""});
  }

  const history::vocabularies& vocab_;
  rng& r_;
  std::vector<edit> edits_;
};

/// A template criterion whose rule checks (or that has no rule).
struct pooled {
  criterion c;
  std::optional<rules::parsed_rule> parsed;
  std::size_t atoms = 0;
  bool portable = false;  ///< may be added to trials of other diseases
};

struct template_info {
  const trial* t = nullptr;
  std::vector<pooled> criteria;
  std::vector<std::vector<pooled>> arms;
  std::size_t rule_count = 0;
};

bool mentions_disease_or_sex(const rules::parsed_rule& r) {
  for (const auto& n : r.document().nodes) {
    if (n.kind == node_kind::is_a) return true;
    if (n.kind == node_kind::identifier && n.text == "sex") return true;
  }
  return false;
}

class catalog_builder {
 public:
  catalog_builder(const catalog_options& options, std::span<const trial> templates,
                  const history::vocabularies& vocab)
      : options_(options), vocab_(vocab) {
    env_.ontology = vocab.diseases;
    env_.drugs = vocab.drugs;
    env_.labs = vocab.labs;
    env_.definitions = options.definitions;
    for (const auto& t : templates) {
      template_info info;
      info.t = &t;
      for (const auto& c : t.criteria) add(info.criteria, c, info.rule_count);
      for (const auto& a : t.arms) {
        info.arms.emplace_back();
        for (const auto& c : a.criteria) add(info.arms.back(), c, info.rule_count);
      }
      templates_.push_back(std::move(info));
    }
    // The vectors' elements no longer move: point at them.
    for (const auto& info : templates_) {
      for (const auto& p : info.criteria) {
        if (p.portable) portable_.push_back(&p);
      }
      for (const auto& arm : info.arms) {
        for (const auto& p : arm) {
          if (p.portable) portable_.push_back(&p);
        }
      }
    }
    for (const auto& info : templates_) {
      template_weights_.push_back(1.0 + static_cast<double>(info.rule_count));
    }
  }

  trial make(std::size_t i) {
    rng r(detail::item_seed(options_.seed, 2, i));
    varier v(vocab_, r);
    const template_info& base = templates_[r.weighted(template_weights_)];
    const trial& t = *base.t;
    trial out;
    out.id = "SYN" + std::to_string(options_.seed) + "-" + std::to_string(i);
    out.title = "Synthetic trial " + std::to_string(i) + " (varied from " + t.id + ")";
    out.phases = t.phases;
    out.status = trial_status::recruiting;
    out.sponsor = "ctm synthetic catalog";
    out.source.registry = "synthetic";
    out.source.record = t.id;
    for (const auto& code : t.conditions.codes) {
      std::string c = r.chance(0.3) && !code.starts_with("_") ? v.near_code(code) : code;
      if (std::find(out.conditions.codes.begin(), out.conditions.codes.end(), c) ==
          out.conditions.codes.end()) {
        out.conditions.codes.push_back(std::move(c));
      }
    }
    out.conditions.registry = t.conditions.registry;

    std::size_t lo = std::min(options_.min_conditions, options_.max_conditions);
    std::size_t hi = std::max(options_.min_conditions, options_.max_conditions);
    // Mean about lo + 10 for the default 30-60: a uniform part and a product that skews right.
    const auto span = static_cast<std::uint32_t>(hi - lo);
    const std::uint32_t flat = span / 3;
    const std::uint32_t skew = span - flat;
    std::size_t target =
        lo + r.below(flat + 1) + (r.below(skew + 1) * r.below(skew + 1)) / std::max(1U, skew);
    target = std::min(target, hi);

    std::size_t atoms = 0;
    int inc = 0;
    int exc = 0;
    const auto next_id = [](criterion_kind k, int& inc_n, int& exc_n, const std::string& prefix) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%s%s-%02d", prefix.c_str(),
                    k == criterion_kind::inclusion ? "inc" : "exc",
                    k == criterion_kind::inclusion ? ++inc_n : ++exc_n);
      return std::string(buf);
    };
    const auto take = [&](const pooled& p, std::vector<criterion>& into, int& in_n, int& ex_n,
                          const std::string& prefix) {
      criterion c = p.c;
      c.id = next_id(c.kind, in_n, ex_n, prefix);
      if (p.parsed) c.rule = varied(*p.parsed, v);
      atoms += p.atoms;
      into.push_back(std::move(c));
    };
    for (const auto& p : base.criteria) {
      if (!p.parsed && !r.chance(0.3)) continue;  // keep some criteria that need review
      if (p.parsed && atoms + p.atoms > hi) continue;
      take(p, out.criteria, inc, exc, "");
    }
    if (!base.arms.empty()) {
      const std::size_t n = std::min<std::size_t>(base.arms.size(), 1 + r.below(4));
      const std::size_t first = r.below(static_cast<std::uint32_t>(base.arms.size() - n + 1));
      for (std::size_t k = 0; k < n; ++k) {
        const auto& src = t.arms[first + k];
        arm a;
        a.id = "A" + std::to_string(k + 1);
        a.name = src.name;
        a.description = src.description;
        a.interventions = src.interventions;
        a.status = trial_status::recruiting;
        int ai = 0;
        int ae = 0;
        for (const auto& p : base.arms[first + k]) {
          if (!p.parsed) continue;
          take(p, a.criteria, ai, ae, a.id + "-");
        }
        out.arms.push_back(std::move(a));
      }
    }
    // Top up with portable criteria from the whole catalog.
    for (int attempts = 0; atoms < target && attempts < 400 && !portable_.empty(); ++attempts) {
      const pooled& p = *portable_[r.below(static_cast<std::uint32_t>(portable_.size()))];
      if (atoms + p.atoms > hi) continue;
      take(p, out.criteria, inc, exc, "");
    }
    return out;
  }

 private:
  void add(std::vector<pooled>& into, const criterion& c, std::size_t& rules_n) {
    pooled p;
    p.c = c;
    p.c.provenance = provenance{};
    if (!c.rule) {
      into.push_back(std::move(p));
      return;
    }
    for (const auto& u : c.uses) {
      if (options_.definitions.find(u) == nullptr) return;  // a trial-local definition
    }
    auto parsed = rules::parse(*c.rule, c.id);
    if (!parsed.ok() || !rules::check(parsed, env_).ok()) return;
    p.atoms = atomic_conditions(parsed);
    p.portable = p.atoms > 0 && !mentions_disease_or_sex(parsed);
    p.parsed = std::move(parsed);
    ++rules_n;
    into.push_back(std::move(p));
  }

  std::string varied(const rules::parsed_rule& rule, varier& v) {
    for (int attempt = 0; attempt < 3; ++attempt) {
      std::string text = v.vary(rule);
      if (text == rule.text()) break;
      const auto parsed = rules::parse(text);
      if (parsed.ok() && rules::check(parsed, env_).ok()) return text;
    }
    return std::string(rule.text());
  }

  const catalog_options& options_;
  const history::vocabularies& vocab_;
  rules::environment env_;
  std::vector<template_info> templates_;
  std::vector<const pooled*> portable_;
  std::vector<double> template_weights_;
};

}  // namespace

std::size_t atomic_conditions(const rules::parsed_rule& rule) {
  const auto body = rule.body();
  return body ? count_atoms(rule, *body, 0) : 0;
}

std::size_t atomic_conditions(const trial& t) {
  std::size_t n = 0;
  const auto add = [&](const criterion& c) {
    if (c.rule) n += atomic_conditions(rules::parse(*c.rule));
  };
  for (const auto& c : t.criteria) add(c);
  for (const auto& a : t.arms) {
    for (const auto& c : a.criteria) add(c);
  }
  return n;
}

std::vector<trial> generate_trials(const catalog_options& options, std::span<const trial> templates,
                                   const history::vocabularies& vocab) {
  std::vector<trial> out;
  if (templates.empty()) return out;
  catalog_builder b(options, templates, vocab);
  out.reserve(options.trials);
  for (std::size_t i = 0; i < options.trials; ++i) out.push_back(b.make(i));
  return out;
}

}  // namespace ctm::synth
