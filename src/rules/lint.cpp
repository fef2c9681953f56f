// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Static findings over checked rules: impossible or vacuous tests, contradictory ranges, dead
// branches, suspicious thresholds, unused definitions and inclusion/exclusion overlaps.
#include "rules/bound.hpp"
#include "rules/text.hpp"

#include <ctm/rules/lint.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace ctm::rules {

namespace {

using namespace detail;

constexpr std::uint8_t can_no = 1;
constexpr std::uint8_t can_unknown = 2;
constexpr std::uint8_t can_yes = 4;

std::uint8_t bit(truth t) {
  return t == truth::no ? can_no : (t == truth::yes ? can_yes : can_unknown);
}

// The interval a test's set leaves inside the fact's plausible domain.
interval domain_of(const bound_leaf& l) {
  interval d;
  d.low = l.domain_low;
  d.high = l.domain_high;
  return d;
}

std::optional<interval> intersect(const interval& a, const interval& b) {
  if (a.complement || b.complement) return std::nullopt;
  interval r;
  r.low = std::max(a.low, b.low);
  r.low_open = (a.low == r.low && a.low_open) || (b.low == r.low && b.low_open);
  r.high = std::min(a.high, b.high);
  r.high_open = (a.high == r.high && a.high_open) || (b.high == r.high && b.high_open);
  return r;
}

// Empty for integer-valued facts too: (1, 2) holds no whole number.
bool empty_for(const interval& s, bool integer) {
  if (s.empty()) return true;
  if (!integer || s.complement) return false;
  double lo = std::ceil(s.low);
  if (s.low_open && lo == s.low) lo += 1;
  double hi = std::floor(s.high);
  if (s.high_open && hi == s.high) hi -= 1;
  return std::isfinite(lo) && std::isfinite(hi) && lo > hi;
}

bool subset(const interval& a, const interval& b) {
  if (a.complement || b.complement) return false;
  const bool low_ok = a.low > b.low || (a.low == b.low && (!b.low_open || a.low_open));
  const bool high_ok = a.high < b.high || (a.high == b.high && (!b.high_open || a.high_open));
  return low_ok && high_ok;
}

bool numeric(const bound_leaf& l) {
  return l.test.kind == test_kind::interval &&
         (l.test.scale == value_scale::number || l.test.scale == value_scale::quantity);
}

// The test's set expressed in `to` (for quantity tests in different units).
std::optional<interval> in_unit(const bound_leaf& l, ctm::unit to) {
  interval s = l.test.set;
  if (l.test.scale != value_scale::quantity || l.test.unit == to) return s;
  const auto conv = [&](double v) -> std::optional<double> {
    if (!std::isfinite(v)) return v;
    const ctm::quantity q{v, l.test.unit};
    const auto c = l.test.molar_grams_per_mole
                       ? ctm::convert(q, to, ctm::molar_mass{*l.test.molar_grams_per_mole})
                       : ctm::convert(q, to);
    if (!c) return std::nullopt;
    return c->value;
  };
  const auto lo = conv(s.low);
  const auto hi = conv(s.high);
  if (!lo || !hi) return std::nullopt;
  s.low = *lo;
  s.high = *hi;
  return s;
}

class linter {
 public:
  explicit linter(const checked_data& data) : data_(data) {}

  std::vector<diagnostic> run() {
    for (const bound_leaf& l : data_.leaves) {
      if (l.own) leaf_findings(l);
    }
    possible_.assign(data_.nodes.size(), 0);
    computed_.assign(data_.nodes.size(), 0);
    for (std::uint32_t i = 0; i < data_.nodes.size(); ++i) {
      const bound_node& n = data_.nodes[i];
      if (!n.own) continue;
      if (n.kind == bound_kind::and_op) contradictions(i);
      if (n.kind == bound_kind::conditional) dead_branches(i);
    }
    if (data_.root != npos) {
      const std::uint8_t p = possible(data_.root);
      const bound_node& r = data_.nodes[data_.root];
      if ((p & can_yes) == 0) {
        add(severity::error, errc::rule_never_met, "the criterion can never be met", r.span);
      } else if ((p & can_no) == 0) {
        add(severity::warning, errc::rule_always_met,
            "the criterion is met by every patient whose facts are known", r.span);
      }
    }
    std::sort(out_.begin(), out_.end(), [](const diagnostic& a, const diagnostic& b) {
      return a.span.offset < b.span.offset;
    });
    out_.erase(std::unique(out_.begin(), out_.end()), out_.end());
    return out_;
  }

 private:
  void add(severity s, errc code, std::string message, const source_span& span) {
    out_.push_back({s, code, std::move(message), span, data_.parsed.name()});
  }

  static bool never_met_leaf(const bound_leaf& l) {
    if (numeric(l) || (l.test.kind == test_kind::interval)) {
      if (empty_for(l.test.set, l.integer)) return true;
      if (numeric(l) && l.test.scale == value_scale::number) {
        const auto in = intersect(l.test.set, domain_of(l));
        if (in && empty_for(*in, l.integer)) return true;
      }
    }
    if (l.test.kind == test_kind::elapsed && l.test.span.span.count == 0 &&
        l.test.span.op == compare_op::lt) {
      return true;
    }
    return false;
  }

  static bool always_met_leaf(const bound_leaf& l) {
    if (numeric(l) && l.test.scale == value_scale::number && std::isfinite(l.domain_low) &&
        std::isfinite(l.domain_high)) {
      return subset(domain_of(l), l.test.set);
    }
    if (l.test.kind == test_kind::elapsed && l.test.span.span.count == 0 &&
        l.test.span.op == compare_op::ge) {
      return true;
    }
    return false;
  }

  void leaf_findings(const bound_leaf& l) {
    if (never_met_leaf(l)) {
      add(severity::error, errc::rule_never_met,
          l.label + " " + l.requirement + " can never be met" + domain_note(l), l.span);
    } else if (always_met_leaf(l)) {
      add(severity::warning, errc::rule_always_met,
          l.label + " " + l.requirement + " holds for every value" + domain_note(l), l.span);
    }
    suspicious(l);
  }

  static std::string domain_note(const bound_leaf& l) {
    if (!std::isfinite(l.domain_low) || !std::isfinite(l.domain_high)) return "";
    return " (" + l.label + " is " + format_number(l.domain_low) + "-" +
           format_number(l.domain_high) + ")";
  }

  void suspicious(const bound_leaf& l) {
    const auto warn = [&](const std::string& m) {
      add(severity::warning, errc::rule_suspicious_threshold, m, l.span);
    };
    if (l.test.kind == test_kind::uln) {
      for (const double v : {l.test.set.low, l.test.set.high}) {
        if (std::isfinite(v) && v < 0) warn("a negative multiple of ULN");
      }
      return;
    }
    if (!numeric(l)) return;
    std::vector<double> bounds;
    for (const double v : {l.test.set.low, l.test.set.high}) {
      if (std::isfinite(v)) bounds.push_back(v);
    }
    for (const double v : bounds) {
      if (std::holds_alternative<ecog_query>(l.query) && (v > 5 || v < 0)) {
        warn("ECOG runs from 0 to 5; " + format_number(v) + " is outside the scale");
      } else if (std::holds_alternative<karnofsky_query>(l.query) &&
                 (v > 100 || v < 0 || std::fmod(v, 10.0) != 0.0)) {
        warn("Karnofsky runs from 0 to 100 in steps of 10; " + format_number(v) + " is not on it");
      } else if (std::holds_alternative<age_query>(l.query) && v < 0) {
        warn("a negative age");
      } else if (std::holds_alternative<age_query>(l.query) && v > 120) {
        warn("an age above 120");
      } else if (std::holds_alternative<prior_lines_query>(l.query) && v < 0) {
        warn("a negative number of prior lines");
      } else if (l.test.scale == value_scale::quantity && l.test.unit == ctm::unit::percent &&
                 (v > 100 || v < 0)) {
        warn("a percentage outside 0-100");
      } else if (l.test.scale == value_scale::quantity && v < 0) {
        warn(l.label + " cannot be negative");
      }
    }
  }

  // Leaves that every child of this `and` (through nested ands) requires.
  void collect_and_leaves(std::uint32_t id, std::vector<std::uint32_t>& leaves) const {
    std::vector<std::uint32_t> stack{id};
    while (!stack.empty()) {
      const std::uint32_t i = stack.back();
      stack.pop_back();
      const bound_node& n = data_.nodes[i];
      if (n.kind == bound_kind::and_op) {
        for (const std::uint32_t c : n.children) stack.push_back(c);
      } else if (n.kind == bound_kind::leaf) {
        leaves.push_back(n.leaf);
      }
    }
  }

  void contradictions(std::uint32_t id) {
    std::vector<std::uint32_t> leaves;
    collect_and_leaves(id, leaves);
    std::sort(leaves.begin(), leaves.end());
    for (std::size_t i = 0; i < leaves.size(); ++i) {
      const bound_leaf& a = data_.leaves[leaves[i]];
      for (std::size_t j = i + 1; j < leaves.size(); ++j) {
        const bound_leaf& b = data_.leaves[leaves[j]];
        if (!(a.query == b.query)) continue;
        if (a.test.kind == test_kind::interval && b.test.kind == test_kind::interval &&
            a.test.scale == b.test.scale) {
          const auto bs = in_unit(b, a.test.unit);
          if (!bs) continue;
          const auto in = intersect(a.test.set, *bs);
          if (in && empty_for(*in, a.integer)) {
            add(severity::error, errc::rule_never_met,
                a.label + " " + a.requirement + " and " + b.requirement + " cannot both hold",
                data_.nodes[id].span);
          }
        } else if (a.test.kind == test_kind::symbol && b.test.kind == test_kind::symbol) {
          bool common = false;
          for (const auto& s : a.test.yes_symbols) {
            if (std::find(b.test.yes_symbols.begin(), b.test.yes_symbols.end(), s) !=
                b.test.yes_symbols.end()) {
              common = true;
            }
          }
          if (!common) {
            add(severity::error, errc::rule_never_met,
                a.label + " cannot be both " + a.requirement + " and " + b.requirement,
                data_.nodes[id].span);
          }
        }
      }
    }
  }

  void dead_branches(std::uint32_t id) {
    const bound_node& n = data_.nodes[id];
    const std::uint32_t c = n.children[0];
    const std::uint8_t pc = possible(c);
    if ((pc & can_yes) == 0) {
      add(severity::warning, errc::rule_dead_branch,
          "the condition is never true, so the 'then' branch is never taken", n.span);
    } else if ((pc & can_no) == 0) {
      add(severity::warning, errc::rule_dead_branch,
          "the condition is never false, so the 'else' branch is never taken", n.span);
    }
    if (same_tree(data_, n.children[1], n.children[2])) {
      add(severity::warning, errc::rule_dead_branch,
          "both branches are the same, so the condition has no effect", n.span);
    }
    // A conditional on the same condition inside a branch has a branch that cannot be taken.
    for (int branch = 1; branch <= 2; ++branch) {
      std::vector<std::pair<std::uint32_t, int>> stack{
          {n.children[static_cast<std::size_t>(branch)], 0}};
      while (!stack.empty()) {
        const auto [i, depth] = stack.back();
        stack.pop_back();
        const bound_node& m = data_.nodes[i];
        if (m.kind == bound_kind::conditional && same_tree(data_, m.children[0], c)) {
          add(severity::warning, errc::rule_dead_branch,
              std::string("this condition was already decided by an enclosing 'if'; its '") +
                  (branch == 1 ? "else" : "then") + "' branch is never taken",
              m.span);
          continue;
        }
        if (depth < 64 && m.kind != bound_kind::leaf) {
          for (const std::uint32_t k : m.children) stack.emplace_back(k, depth + 1);
        }
      }
    }
  }

  // The values a node can take, over-approximated by treating its children as independent:
  // a value missing from the set is truly impossible.
  std::uint8_t possible(std::uint32_t root) {
    // Iterative post-order with memo.
    std::vector<std::pair<std::uint32_t, bool>> stack{{root, false}};
    while (!stack.empty()) {
      const auto [id, expanded] = stack.back();
      stack.pop_back();
      if (computed_[id] != 0) continue;
      const bound_node& n = data_.nodes[id];
      if (!expanded) {
        stack.emplace_back(id, true);
        for (const std::uint32_t c : n.children) {
          if (computed_[c] == 0) stack.emplace_back(c, false);
        }
        continue;
      }
      possible_[id] = compute(n);
      computed_[id] = 1;
    }
    return possible_[root];
  }

  std::uint8_t combine(std::uint8_t a, std::uint8_t b, bool conjunction) const {
    std::uint8_t out = 0;
    for (const truth x : {truth::no, truth::unknown, truth::yes}) {
      if ((a & bit(x)) == 0) continue;
      for (const truth y : {truth::no, truth::unknown, truth::yes}) {
        if ((b & bit(y)) == 0) continue;
        out = static_cast<std::uint8_t>(out | bit(conjunction ? all_of(x, y) : any_of(x, y)));
      }
    }
    return out;
  }

  std::uint8_t compute(const bound_node& n) const {
    constexpr std::uint8_t all = can_no | can_unknown | can_yes;
    switch (n.kind) {
      case bound_kind::constant:
        return bit(n.constant);
      case bound_kind::leaf: {
        const bound_leaf& l = data_.leaves[n.leaf];
        if (never_met_leaf(l)) return can_no | can_unknown;
        if (always_met_leaf(l)) return can_yes | can_unknown;
        return all;
      }
      case bound_kind::not_op: {
        const std::uint8_t c = possible_[n.children[0]];
        std::uint8_t out = c & can_unknown;
        if ((c & can_yes) != 0) out |= can_no;
        if ((c & can_no) != 0) out |= can_yes;
        return out;
      }
      case bound_kind::and_op:
      case bound_kind::or_op: {
        std::uint8_t acc = n.kind == bound_kind::and_op ? can_yes : can_no;
        for (const std::uint32_t c : n.children) {
          acc = combine(acc, possible_[c], n.kind == bound_kind::and_op);
        }
        return acc;
      }
      case bound_kind::at_least:
      case bound_kind::at_most: {
        const std::size_t k = n.k + (n.kind == bound_kind::at_most ? 1U : 0U);
        std::size_t yes = 0;
        std::size_t no = 0;
        bool unknown = false;
        for (const std::uint32_t c : n.children) {
          yes += (possible_[c] & can_yes) != 0 ? 1U : 0U;
          no += (possible_[c] & can_no) != 0 ? 1U : 0U;
          unknown = unknown || (possible_[c] & can_unknown) != 0;
        }
        std::uint8_t at_least = 0;
        if (yes >= k) at_least |= can_yes;
        if (k == 0 || no + k > n.children.size()) {
          // at least k yes is impossible to refute only if fewer than n-k+1 can be no
        }
        if (k > 0 && no >= n.children.size() - k + 1) at_least |= can_no;
        if (unknown && k > 0) at_least |= can_unknown;
        if (n.kind == bound_kind::at_least) return at_least;
        std::uint8_t out = at_least & can_unknown;
        if ((at_least & can_yes) != 0) out |= can_no;
        if ((at_least & can_no) != 0) out |= can_yes;
        return out;
      }
      case bound_kind::conditional: {
        const std::uint8_t c = possible_[n.children[0]];
        const std::uint8_t a = possible_[n.children[1]];
        const std::uint8_t b = possible_[n.children[2]];
        std::uint8_t out = 0;
        if ((c & can_yes) != 0) out |= a;
        if ((c & can_no) != 0) out |= b;
        if ((c & can_unknown) != 0) out |= static_cast<std::uint8_t>((a & b) | can_unknown);
        return out;
      }
    }
    return all;
  }

  const checked_data& data_;
  std::vector<diagnostic> out_;
  std::vector<std::uint8_t> possible_;
  std::vector<std::uint8_t> computed_;
};

}  // namespace

std::vector<diagnostic> lint(const checked_rule& rule) {
  if (!rule.ok()) return {};
  return linter(*rule.data()).run();
}

std::vector<diagnostic> lint_unused(const definition_library& library,
                                    std::span<const checked_rule> criteria) {
  std::set<std::string> used;
  bool any_body = false;
  for (const checked_rule& c : criteria) {
    if (!c.has_body()) continue;
    any_body = true;
    for (const auto& name : c.used_definitions()) used.insert(name);
  }
  std::vector<diagnostic> out;
  for (const checked_rule& c : criteria) {
    for (const auto& name : c.data()->unused_own_definitions) {
      if (used.count(name) != 0) continue;
      for (const definition& d : c.parsed().definitions()) {
        if (d.name == name && !library.find(name)) {
          out.push_back({severity::warning, errc::rule_unused_definition,
                         "definition '" + name + "' is never used", d.name_span,
                         c.parsed().name()});
        }
      }
    }
  }
  if (!any_body) return out;
  for (const auto& e : library.entries()) {
    if (used.count(e.name) != 0) continue;
    const definition& d = e.document.definitions()[e.index];
    out.push_back({severity::warning, errc::rule_unused_definition,
                   "definition '" + e.name + "' is never used by any criterion", d.name_span,
                   e.document.name()});
  }
  return out;
}

std::vector<diagnostic> lint_criteria(std::span<const lint_criterion> criteria) {
  std::vector<diagnostic> out;
  for (const lint_criterion& c : criteria) {
    auto d = lint(c.rule);
    out.insert(out.end(), d.begin(), d.end());
  }
  // Leaves an inclusion requires (its and-leaves) against leaves that trigger an exclusion (its
  // or-leaves).
  const auto gather = [](const checked_data& data, bound_kind through) {
    std::vector<const bound_leaf*> leaves;
    if (data.root == npos) return leaves;
    std::vector<std::uint32_t> stack{data.root};
    while (!stack.empty()) {
      const bound_node& n = data.nodes[stack.back()];
      stack.pop_back();
      if (n.kind == through) {
        for (const std::uint32_t c : n.children) stack.push_back(c);
      } else if (n.kind == bound_kind::leaf) {
        leaves.push_back(&data.leaves[n.leaf]);
      }
    }
    return leaves;
  };
  for (const lint_criterion& inc : criteria) {
    if (inc.kind != criterion_kind::inclusion || !inc.rule.ok()) continue;
    const auto required = gather(*inc.rule.data(), bound_kind::and_op);
    for (const lint_criterion& exc : criteria) {
      if (exc.kind != criterion_kind::exclusion || !exc.rule.ok()) continue;
      const auto triggers = gather(*exc.rule.data(), bound_kind::or_op);
      for (const bound_leaf* t : triggers) {
        // What the inclusion allows for this fact: the intersection of its tests.
        std::optional<interval> allowed;
        std::optional<std::vector<std::string>> allowed_symbols;
        const bound_leaf* first = nullptr;
        for (const bound_leaf* r : required) {
          if (!(r->query == t->query) || r->test.kind != t->test.kind) continue;
          if (r->test.kind == test_kind::interval && r->test.scale == t->test.scale) {
            const auto s = in_unit(*r, t->test.unit);
            if (!s) continue;
            allowed = allowed ? intersect(*allowed, *s) : s;
            first = r;
          } else if (r->test.kind == test_kind::symbol) {
            allowed_symbols = r->test.yes_symbols;
            first = r;
          }
        }
        if (first == nullptr) continue;
        bool all_excluded = false;
        bool some_excluded = false;
        if (allowed) {
          const auto both = intersect(*allowed, t->test.set);
          some_excluded = both && !empty_for(*both, t->integer);
          all_excluded = subset(*allowed, t->test.set);
        } else if (allowed_symbols) {
          std::size_t hits = 0;
          for (const auto& s : *allowed_symbols) {
            if (std::find(t->test.yes_symbols.begin(), t->test.yes_symbols.end(), s) !=
                t->test.yes_symbols.end()) {
              ++hits;
            }
          }
          some_excluded = hits > 0;
          all_excluded = hits == allowed_symbols->size();
        }
        if (all_excluded) {
          out.push_back({severity::error, errc::rule_never_met,
                         "every patient " + inc.id + " admits (" + first->label + " " +
                             first->requirement + ") is excluded by " + exc.id + " (" +
                             t->requirement + ")",
                         t->span, exc.rule.parsed().name()});
        } else if (some_excluded) {
          out.push_back({severity::warning, errc::rule_overlap,
                         inc.id + " and " + exc.id + " overlap: " + first->label + " " +
                             first->requirement + " is admitted and " + t->requirement +
                             " excluded",
                         t->span, exc.rule.parsed().name()});
        }
      }
    }
  }
  return out;
}

}  // namespace ctm::rules
