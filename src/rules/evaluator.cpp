// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Runs a compiled program: asks each distinct query once, tests each leaf, folds the Kleene
// connectives over a value stack, then explains the verdict from the deciding leaves and finds
// the first date on which it would change.
#include "rules/program_impl.hpp"
#include "rules/text.hpp"

#include <ctm/rules/program.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <span>
#include <utility>

namespace ctm::rules {

namespace {

using detail::compiled_leaf;
using detail::instruction;

// A value change of one leaf as time passes: from `when` on, the leaf is `value`.
struct transition {
  date when;
  std::uint32_t leaf = 0;
  truth value = truth::unknown;
};

struct leaf_result {
  truth value = truth::unknown;
  std::string reason;
  std::optional<std::string> missing;
  std::vector<std::pair<date, truth>> changes;  // ascending dates after as_of
};

std::string date_text(const std::optional<partial_date>& d) {
  return d ? " on " + ctm::to_string(*d) : std::string();
}

std::string quantity_text(const ctm::quantity& q) {
  return detail::format_number(q.value) + " " + std::string(ucum_code(q.unit));
}

std::string range_text(const number_range& r) {
  if (r.low == r.high) return detail::format_number(r.low);
  return detail::format_number(r.low) + "-" + detail::format_number(r.high);
}

std::optional<std::pair<double, double>> stage_value(std::string_view s) {
  std::string t;
  for (const char c : s) t += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  int sub = 0;
  if (!t.empty() && (t.back() == 'A' || t.back() == 'B' || t.back() == 'C')) {
    sub = t.back() - 'A' + 1;
    t.pop_back();
  }
  int group = -1;
  if (t == "0") group = 0;
  if (t == "I" || t == "1") group = 1;
  if (t == "II" || t == "2") group = 2;
  if (t == "III" || t == "3") group = 3;
  if (t == "IV" || t == "4") group = 4;
  if (group < 0 || (group == 0 && sub != 0)) return std::nullopt;
  if (group == 0) return std::pair{0.0, 0.0};
  if (sub != 0) return std::pair{4.0 * group + sub, 4.0 * group + sub};
  return std::pair{4.0 * group + 1, 4.0 * group + 3};
}

std::optional<double> response_value(std::string_view s) {
  constexpr std::array<std::string_view, 7> order{"PD", "SD", "MR", "PR", "VGPR", "CR", "sCR"};
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (order[i] == s) return static_cast<double>(i);
  }
  return std::nullopt;
}

// Whether `op span` holds for the time from `since` (one day) to `as_of`.
bool elapsed_holds(date since, const span_test& t, date as_of) {
  const date boundary = add(since, t.span);  // the day exactly `span` after
  switch (t.op) {
    case compare_op::ge:
      return boundary <= as_of;
    case compare_op::gt:
      return boundary < as_of;
    case compare_op::le:
      return boundary >= as_of;
    case compare_op::lt:
      return boundary > as_of;
    case compare_op::eq:
      return boundary == as_of;
    case compare_op::ne:
      return boundary != as_of;
  }
  return false;
}

// Dates after as_of on which an elapsed test over `since` may change.
void elapsed_candidates(const partial_date& since, const span_test& t, date as_of,
                        std::vector<date>& out) {
  for (const date d : {since.earliest, since.latest}) {
    const date b = add(d, t.span);
    for (const date c : {b, add_days(b, 1)}) {
      if (c > as_of) out.push_back(c);
    }
  }
}

// Turns candidate dates into the changes of `value_at`, relative to `now`.
template <class F>
std::vector<std::pair<date, truth>> changes_from(std::vector<date> candidates, truth now,
                                                 F value_at) {
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  std::vector<std::pair<date, truth>> out;
  truth previous = now;
  for (const date c : candidates) {
    const truth v = value_at(c);
    if (v != previous) {
      out.emplace_back(c, v);
      previous = v;
    }
  }
  return out;
}

// Whether the answer holds a value of type T (the kind the test expects).
template <class T>
const T* as(const fact_answer& a) {
  return std::get_if<T>(&a.value);
}

// The reason text, missing fact and value changes of one leaf; the value itself is `assess_leaf`'s.
class leaf_evaluator {
 public:
  leaf_evaluator(const compiled_leaf& leaf, const query& q, const fact_answer& answer, date as_of,
                 const std::optional<vocab::ontology>& ontology)
      : leaf_(leaf), query_(q), answer_(answer), as_of_(as_of), ontology_(ontology) {}

  leaf_result run() {
    leaf_result r;
    const leaf_value lv = assess_leaf(leaf_.test, query_, answer_, as_of_, ontology_);
    r.value = lv.value;
    if (answer_.is_missing()) {
      r.missing = leaf_.fact;
      r.reason = leaf_.label + ": missing" +
                 (answer_.missing.empty() ? std::string() : " (" + answer_.missing + ")") +
                 "; requires " + leaf_.requirement;
      return r;
    }
    switch (leaf_.test.kind) {
      case test_kind::truth_is:
        truth_is(r);
        break;
      case test_kind::interval:
        interval_test(r);
        break;
      case test_kind::uln:
        uln_test(r, lv);
        break;
      case test_kind::concepts:
        concepts_test(r, lv);
        break;
      case test_kind::symbol:
      case test_kind::state_for:
        symbol_test(r, lv);
        break;
      case test_kind::elapsed:
        elapsed_test(r);
        break;
    }
    lab_window(r);
    next_value(r);
    return r;
  }

 private:
  void wrong_answer(leaf_result& r) {
    r.reason = leaf_.label + ": the fact source gave an answer of the wrong kind; requires " +
               leaf_.requirement;
  }

  void finish(leaf_result& r, const std::string& value_text) {
    r.reason = leaf_.label + " " + value_text + date_text(answer_.date) + "; requires " +
               leaf_.requirement;
  }

  void truth_is(leaf_result& r) {
    const auto* t = as<truth>(answer_);
    if (t == nullptr) return wrong_answer(r);
    finish(r, std::string(to_string(*t)));
    if (*t == truth::unknown) r.reason += " (the record does not decide)";
  }

  void interval_test(leaf_result& r) {
    const leaf_test& t = leaf_.test;
    switch (t.scale) {
      case value_scale::number: {
        const auto* n = as<number_range>(answer_);
        if (n == nullptr || std::isnan(n->low) || std::isnan(n->high)) return wrong_answer(r);
        return finish(r, range_text(*n));
      }
      case value_scale::quantity: {
        const auto* m = as<measurement>(answer_);
        if (m == nullptr) return wrong_answer(r);
        const auto c =
            t.molar_grams_per_mole
                ? ctm::convert(m->value, t.unit, ctm::molar_mass{*t.molar_grams_per_mole})
                : ctm::convert(m->value, t.unit);
        if (!c) {
          r.reason = leaf_.label + " " + quantity_text(m->value) + date_text(answer_.date) +
                     " cannot be converted to " + std::string(ucum_code(t.unit)) + "; requires " +
                     leaf_.requirement;
          return;
        }
        std::string text = quantity_text(m->value);
        if (m->value.unit != t.unit) text += " (" + quantity_text(*c) + ")";
        return finish(r, text);
      }
      case value_scale::stage: {
        const auto* s = as<symbol>(answer_);
        if (s == nullptr) return wrong_answer(r);
        if (!stage_value(s->text)) {
          r.reason =
              leaf_.label + " '" + s->text + "' is not a stage; requires " + leaf_.requirement;
          return;
        }
        return finish(r, s->text);
      }
      case value_scale::response: {
        const auto* s = as<symbol>(answer_);
        if (s == nullptr) return wrong_answer(r);
        if (!response_value(s->text)) {
          r.reason = leaf_.label + " " + s->text + date_text(answer_.date) +
                     " (not evaluable); requires " + leaf_.requirement;
          return;
        }
        return finish(r, s->text);
      }
    }
  }

  void uln_test(leaf_result& r, const leaf_value& lv) {
    const auto* m = as<measurement>(answer_);
    if (m == nullptr) return wrong_answer(r);
    const std::optional<double> limit = leaf_.test.lln ? m->lln : m->uln;
    const char* name = leaf_.test.lln ? "LLN" : "ULN";
    if (lv.missing) {
      r.missing = std::string(name) + " of " + leaf_.fact;
      r.reason = leaf_.label + " " + quantity_text(m->value) + date_text(answer_.date) +
                 " has no " + name + "; requires " + leaf_.requirement;
      return;
    }
    const double ratio = m->value.value / *limit;
    finish(r, quantity_text(m->value) + " (" +
                  detail::format_number(std::round(ratio * 100) / 100) + " x " + name + " " +
                  detail::format_number(*limit) + ")");
  }

  void concepts_test(leaf_result& r, const leaf_value& lv) {
    const auto* c = as<concepts>(answer_);
    if (c == nullptr || !ontology_) return wrong_answer(r);
    if (c->ids.empty()) {
      r.missing = leaf_.fact;
      r.reason = leaf_.label + ": no diagnosis recorded; requires " + leaf_.requirement;
      return;
    }
    std::string names;
    for (const concept_id p : c->ids) {
      names += names.empty() ? "" : ", ";
      names +=
          p.value >= ontology_->size() ? std::string("an unknown concept") : ontology_->get(p).code;
    }
    finish(r, names);
    if (lv.value == truth::unknown) {
      r.reason += " (the diagnosis is less specific than the trial asks)";
    }
  }

  void symbol_test(leaf_result& r, const leaf_value& lv) {
    const auto* s = as<symbol>(answer_);
    if (s == nullptr) return wrong_answer(r);
    const leaf_test& t = leaf_.test;
    const auto has = [&](const std::vector<std::string>& v) {
      return std::find(v.begin(), v.end(), s->text) != v.end();
    };
    const bool undecided = !has(t.yes_symbols) && has(t.unknown_symbols);
    const truth state = has(t.yes_symbols) ? truth::yes : (undecided ? truth::unknown : truth::no);
    // The state itself leaves the test open (an untested or indeterminate biomarker): a new
    // result for this fact would decide it.
    if (undecided) r.missing = leaf_.fact;
    if (t.kind == test_kind::state_for && state != truth::no) {
      if (!answer_.date) {
        r.missing = "date of " + leaf_.fact;
        r.reason =
            leaf_.label + " " + s->text + " since an unknown date; requires " + leaf_.requirement;
        return;
      }
      const partial_date since = *answer_.date;
      std::vector<date> candidates;
      elapsed_candidates(since, t.span, as_of_, candidates);
      r.changes = changes_from(std::move(candidates), lv.value, [&](date d) {
        return all_of(state, elapsed_truth(since, t.span, d));
      });
      r.reason = leaf_.label + " " + s->text + " since " + ctm::to_string(since) + "; requires " +
                 leaf_.requirement;
      return;
    }
    finish(r, s->text);
  }

  void elapsed_test(leaf_result& r) {
    const auto* e = as<event>(answer_);
    if (e == nullptr) return wrong_answer(r);
    const span_test& t = leaf_.test.span;
    if (!e->when) {
      r.reason = leaf_.label + ": none on record; requires " + leaf_.requirement;
      return;
    }
    const partial_date since = *e->when;
    std::vector<date> candidates;
    elapsed_candidates(since, t, as_of_, candidates);
    r.changes = changes_from(std::move(candidates), r.value,
                             [&](date d) { return elapsed_truth(since, t, d); });
    const day_range days = days_between(since, partial_date::exact(as_of_));
    std::string ago = days.is_exact()
                          ? std::to_string(days.min) + " days"
                          : std::to_string(days.max) + "-" + std::to_string(days.min) + " days";
    r.reason = leaf_.label + ": " + ctm::to_string(since) + ", " + ago + " before " +
               ctm::to_string(as_of_) + "; requires " + leaf_.requirement;
  }

  // A value the fact source says changes by itself (a birthday, a condition leaving its window).
  void next_value(leaf_result& r) {
    if (!answer_.next || !(as_of_ < answer_.next->on)) return;
    fact_answer later = answer_;
    later.value = answer_.next->value;
    later.next.reset();
    const truth v = assess_leaf(leaf_.test, query_, later, answer_.next->on, ontology_).value;
    if (v != r.value) r.changes.emplace_back(answer_.next->on, v);
  }

  // A lab result found "within N days" ages out of the window the day after it ends.
  void lab_window(leaf_result& r) {
    const auto* lab = std::get_if<lab_query>(&query_);
    if (lab == nullptr || !lab->within || !answer_.date) return;
    const date out = add_days(add(answer_.date->latest, *lab->within), 1);
    if (out > as_of_ && r.value != truth::unknown) r.changes.emplace_back(out, truth::unknown);
  }

  const compiled_leaf& leaf_;
  const query& query_;
  const fact_answer& answer_;
  date as_of_;
  const std::optional<vocab::ontology>& ontology_;
};

// Folds the post-order steps with leaf values taken from `leaf_values`; fills `values` (one per
// step) when given. The one fold of the library: `program::evaluate` runs it on instructions,
// `fold` on lowered steps.
template <class Step>
truth run(std::span<const Step> code, std::span<const truth> leaf_values, std::vector<truth>& stack,
          std::vector<truth>* values) {
  stack.clear();
  if (values != nullptr) values->resize(code.size());
  for (std::size_t i = 0; i < code.size(); ++i) {
    const Step& in = code[i];
    truth v = truth::unknown;
    const std::size_t base = stack.size() - in.count;
    switch (in.op) {
      case step_op::leaf:
        v = leaf_values[in.arg];
        break;
      case step_op::constant:
        v = in.constant;
        break;
      case step_op::and_op:
        v = truth::yes;
        for (std::size_t j = base; j < stack.size(); ++j) v = all_of(v, stack[j]);
        break;
      case step_op::or_op:
        v = truth::no;
        for (std::size_t j = base; j < stack.size(); ++j) v = any_of(v, stack[j]);
        break;
      case step_op::not_op:
        v = negate(stack.back());
        break;
      case step_op::at_least:
      case step_op::at_most: {
        std::size_t yes = 0;
        std::size_t unknown = 0;
        for (std::size_t j = base; j < stack.size(); ++j) {
          yes += stack[j] == truth::yes ? 1U : 0U;
          unknown += stack[j] == truth::unknown ? 1U : 0U;
        }
        const auto need = static_cast<std::size_t>(in.arg) + (in.op == step_op::at_most ? 1U : 0U);
        truth at_least = truth::unknown;
        if (yes >= need) at_least = truth::yes;
        if (yes + unknown < need) at_least = truth::no;
        v = in.op == step_op::at_least ? at_least : negate(at_least);
        break;
      }
      case step_op::conditional: {
        const truth c = stack[base];
        const truth a = stack[base + 1];
        const truth b = stack[base + 2];
        if (c == truth::yes) {
          v = a;
        } else if (c == truth::no) {
          v = b;
        } else {
          v = a == b ? a : truth::unknown;
        }
        break;
      }
    }
    stack.resize(base);
    stack.push_back(v);
    if (values != nullptr) (*values)[i] = v;
  }
  return stack.empty() ? truth::unknown : stack.back();
}

truth run(const std::vector<instruction>& code, const std::vector<truth>& leaf_values,
          std::vector<truth>& stack, std::vector<truth>& values) {
  return run(std::span<const instruction>(code), std::span<const truth>(leaf_values), stack,
             &values);
}

}  // namespace

truth interval_truth(const interval& s, double lo, double hi) noexcept {
  if (lo > hi) std::swap(lo, hi);
  const bool lo_in = s.contains(lo);
  const bool hi_in = s.contains(hi);
  if (!s.complement) {
    if (lo_in && hi_in) return truth::yes;
    const bool below = hi < s.low || (hi == s.low && s.low_open);
    const bool above = lo > s.high || (lo == s.high && s.high_open);
    return (below || above) ? truth::no : truth::unknown;
  }
  // The set is everything outside the closed hole [low, high].
  const bool disjoint_from_hole = hi < s.low || lo > s.high;
  if (disjoint_from_hole) return truth::yes;
  const bool inside_hole = lo >= s.low && hi <= s.high;
  return inside_hole ? truth::no : truth::unknown;
}

// Three-valued over the possible days of `since`; the extremes decide for monotone operators,
// and for ==/!= any day in between may match.
truth elapsed_truth(const partial_date& since, const span_test& t, date as_of) noexcept {
  const bool a = elapsed_holds(since.earliest, t, as_of);
  const bool b = elapsed_holds(since.latest, t, as_of);
  if (since.earliest == since.latest) return to_truth(a);
  if (t.op == compare_op::eq || t.op == compare_op::ne) {
    const bool inside = add(since.earliest, t.span) <= as_of && as_of <= add(since.latest, t.span);
    if (!inside) return to_truth(t.op == compare_op::ne);
    return truth::unknown;
  }
  if (a && b) return truth::yes;
  if (!a && !b) return truth::no;
  return truth::unknown;
}

truth concepts_truth(std::span<const concept_id> ids, std::span<const concept_id> targets,
                     const vocab::ontology& ontology) {
  truth v = truth::no;
  for (const concept_id p : ids) {
    if (p.value >= ontology.size()) {
      v = any_of(v, truth::unknown);
      continue;
    }
    for (const concept_id t : targets) v = any_of(v, ontology.is_a(p, t));
  }
  return v;
}

leaf_value assess_leaf(const leaf_test& t, const query& /*q*/, const fact_answer& answer,
                       date as_of, const std::optional<vocab::ontology>& ontology) {
  constexpr leaf_value wrong{truth::unknown, false};
  if (answer.is_missing()) return {truth::unknown, true};
  switch (t.kind) {
    case test_kind::truth_is: {
      const auto* v = as<truth>(answer);
      return v == nullptr ? wrong : leaf_value{*v, false};
    }
    case test_kind::interval:
      switch (t.scale) {
        case value_scale::number: {
          const auto* n = as<number_range>(answer);
          if (n == nullptr || std::isnan(n->low) || std::isnan(n->high)) return wrong;
          return {interval_truth(t.set, n->low, n->high), false};
        }
        case value_scale::quantity: {
          const auto* m = as<measurement>(answer);
          if (m == nullptr) return wrong;
          const auto c =
              t.molar_grams_per_mole
                  ? ctm::convert(m->value, t.unit, ctm::molar_mass{*t.molar_grams_per_mole})
                  : ctm::convert(m->value, t.unit);
          if (!c) return wrong;
          return {interval_truth(t.set, c->value, c->value), false};
        }
        case value_scale::stage: {
          const auto* s = as<symbol>(answer);
          const auto v = s == nullptr ? std::nullopt : stage_value(s->text);
          if (!v) return wrong;
          return {interval_truth(t.set, v->first, v->second), false};
        }
        case value_scale::response: {
          const auto* s = as<symbol>(answer);
          const auto v = s == nullptr ? std::nullopt : response_value(s->text);
          if (!v) return wrong;
          return {interval_truth(t.set, *v, *v), false};
        }
      }
      return wrong;
    case test_kind::uln: {
      const auto* m = as<measurement>(answer);
      if (m == nullptr) return wrong;
      const std::optional<double> limit = t.lln ? m->lln : m->uln;
      if (!limit || !(*limit > 0.0) || !std::isfinite(*limit)) return {truth::unknown, true};
      const double ratio = m->value.value / *limit;
      return {interval_truth(t.set, ratio, ratio), false};
    }
    case test_kind::concepts: {
      const auto* c = as<concepts>(answer);
      if (c == nullptr || !ontology) return wrong;
      if (c->ids.empty()) return {truth::unknown, true};
      return {concepts_truth(c->ids, t.targets, *ontology), false};
    }
    case test_kind::symbol:
    case test_kind::state_for: {
      const auto* s = as<symbol>(answer);
      if (s == nullptr) return wrong;
      const auto has = [&](const std::vector<std::string>& v) {
        return std::find(v.begin(), v.end(), s->text) != v.end();
      };
      const bool yes = has(t.yes_symbols);
      const bool undecided = !yes && has(t.unknown_symbols);
      const truth state = yes ? truth::yes : (undecided ? truth::unknown : truth::no);
      if (t.kind == test_kind::state_for && state != truth::no) {
        if (!answer.date) return {truth::unknown, true};
        return {all_of(state, elapsed_truth(*answer.date, t.span, as_of)), undecided};
      }
      return {state, undecided};
    }
    case test_kind::elapsed: {
      const auto* e = as<event>(answer);
      if (e == nullptr) return wrong;
      if (!e->when) {
        // Never happened: as if infinitely long ago.
        const compare_op op = t.span.op;
        return {to_truth(op == compare_op::ge || op == compare_op::gt || op == compare_op::ne),
                false};
      }
      return {elapsed_truth(*e->when, t.span, as_of), false};
    }
  }
  return wrong;
}

truth test_leaf(const leaf_test& test, const query& q, const fact_answer& answer, date as_of,
                const std::optional<vocab::ontology>& ontology) {
  return assess_leaf(test, q, answer, as_of, ontology).value;
}

truth fold(std::span<const step> steps, std::span<const truth> leaf_values) {
  thread_local std::vector<truth> stack;
  return run(steps, leaf_values, stack, nullptr);
}

bool deciding_missing(std::span<const step> steps, std::span<const truth> leaf_values,
                      std::span<const std::uint8_t> leaf_missing) {
  if (steps.empty()) return false;
  thread_local std::vector<truth> stack;
  thread_local std::vector<truth> values;
  thread_local std::vector<std::uint32_t> walk;
  thread_local std::vector<std::uint32_t> kids;
  run(steps, leaf_values, stack, &values);
  walk.clear();
  walk.push_back(static_cast<std::uint32_t>(steps.size() - 1));
  while (!walk.empty()) {
    const std::uint32_t i = walk.back();
    walk.pop_back();
    const step& in = steps[i];
    const truth v = values[i];
    if (in.op == step_op::leaf) {
      if (leaf_missing[in.arg] != 0) return true;
      continue;
    }
    // The children, in order: the last ends at i - 1, each starts `size` before its end.
    kids.resize(in.count);
    std::uint32_t child = i - 1;
    for (std::uint32_t k = in.count; k-- > 0;) {
      kids[k] = child;
      child -= steps[child].size;
    }
    if (in.op == step_op::conditional) {
      const truth c = values[kids[0]];
      walk.push_back(kids[0]);
      if (c != truth::no) walk.push_back(kids[1]);
      if (c != truth::yes) walk.push_back(kids[2]);
      continue;
    }
    for (const std::uint32_t k : kids) {
      const truth cv = values[k];
      bool take = false;
      switch (in.op) {
        case step_op::not_op:
          take = true;
          break;
        case step_op::and_op:
          take = v == truth::yes || cv == v;
          break;
        case step_op::or_op:
          take = v == truth::no || cv == v;
          break;
        case step_op::at_least:
        case step_op::at_most:
          take = (v == truth::unknown) == (cv == truth::unknown);
          break;
        default:
          break;
      }
      if (take) walk.push_back(k);
    }
  }
  return false;
}

truth verdict(const lowered_program& p, truth raw, bool has_missing) noexcept {
  return apply_policy(raw, p.policy, has_missing);
}

evaluation program::evaluate(const fact_source& facts, date as_of,
                             evaluation_context& context) const {
  const detail::program_impl& p = *impl_;
  evaluation out;

  // 1. One answer per distinct query.
  context.answers_.clear();
  context.answers_.reserve(p.queries.size());
  for (const query& q : p.queries) context.answers_.push_back(facts.answer(q, as_of));

  // 2. Each leaf.
  std::vector<transition> transitions;
  context.leaf_values_.assign(p.leaves.size(), truth::unknown);
  out.leaves.reserve(p.leaves.size());
  for (std::size_t i = 0; i < p.leaves.size(); ++i) {
    const compiled_leaf& leaf = p.leaves[i];
    leaf_result r =
        leaf_evaluator(leaf, p.queries[leaf.query], context.answers_[leaf.query], as_of, p.ontology)
            .run();
    std::sort(r.changes.begin(), r.changes.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    leaf_outcome o;
    o.node = leaf.node;
    if (leaf.definition != 0) o.definition = p.definition_names[leaf.definition - 1];
    o.value = r.value;
    o.fact = leaf.fact;
    o.missing = std::move(r.missing);
    o.evidence = context.answers_[leaf.query].evidence;
    for (const auto& [when, v] : r.changes) {
      transitions.push_back({when, static_cast<std::uint32_t>(i), v});
    }
    if (!r.changes.empty()) {
      o.changes_on = r.changes.front().first;
      o.value_after = r.changes.front().second;
      r.reason += std::string("; ") +
                  (o.value_after == truth::yes  ? "met"
                   : o.value_after == truth::no ? "not met"
                                                : "unknown") +
                  " from " + ctm::to_string(*o.changes_on);
    }
    o.reason = std::move(r.reason);
    context.leaf_values_[i] = o.value;
    out.leaves.push_back(std::move(o));
  }

  // 3. The connectives.
  out.raw_value = run(p.code, context.leaf_values_, context.stack_, context.values_);

  // 4. The trace.
  out.trace.reserve(p.code.size());
  for (std::size_t i = 0; i < p.code.size(); ++i) {
    const instruction& in = p.code[i];
    trace_entry t;
    t.node = in.node;
    if (in.definition != 0) t.definition = p.definition_names[in.definition - 1];
    t.value = context.values_[i];
    if (in.op == step_op::leaf) t.leaf = static_cast<std::int32_t>(in.arg);
    out.trace.push_back(std::move(t));
  }

  // 5. The deciding leaves, walking down from the root.
  context.deciding_.assign(p.leaves.size(), 0);
  context.walk_.clear();
  if (!p.code.empty()) context.walk_.push_back(static_cast<std::uint32_t>(p.code.size() - 1));
  while (!context.walk_.empty()) {
    const std::uint32_t i = context.walk_.back();
    context.walk_.pop_back();
    const instruction& in = p.code[i];
    const truth v = context.values_[i];
    if (in.op == step_op::leaf) {
      context.deciding_[in.arg] = 1;
      continue;
    }
    // Children, last first.
    std::uint32_t child = i - 1;
    std::vector<std::uint32_t> children(in.count);
    for (std::uint32_t k = in.count; k-- > 0;) {
      children[k] = child;
      child -= p.code[child].size;
    }
    const auto push_if = [&](truth wanted) {
      for (const std::uint32_t c : children) {
        if (context.values_[c] == wanted) context.walk_.push_back(c);
      }
    };
    const auto push_all = [&] {
      for (const std::uint32_t c : children) context.walk_.push_back(c);
    };
    switch (in.op) {
      case step_op::not_op:
        push_all();
        break;
      case step_op::and_op:
        if (v == truth::yes)
          push_all();
        else
          push_if(v);
        break;
      case step_op::or_op:
        if (v == truth::no)
          push_all();
        else
          push_if(v);
        break;
      case step_op::at_least:
      case step_op::at_most:
        if (v == truth::unknown) {
          push_if(truth::unknown);
        } else {
          push_if(truth::yes);
          push_if(truth::no);
        }
        break;
      case step_op::conditional: {
        const truth c = context.values_[children[0]];
        context.walk_.push_back(children[0]);
        if (c != truth::no) context.walk_.push_back(children[1]);
        if (c != truth::yes) context.walk_.push_back(children[2]);
        break;
      }
      default:
        break;
    }
  }
  for (std::size_t i = 0; i < p.leaves.size(); ++i) {
    if (context.deciding_[i] == 0) continue;
    const leaf_outcome& o = out.leaves[i];
    if (!out.reason.empty()) out.reason += " | ";
    out.reason += o.reason;
    if (o.missing &&
        std::find(out.missing.begin(), out.missing.end(), *o.missing) == out.missing.end()) {
      out.missing.push_back(*o.missing);
    }
    for (const std::string& e : o.evidence) {
      if (std::find(out.evidence.begin(), out.evidence.end(), e) == out.evidence.end()) {
        out.evidence.push_back(e);
      }
    }
  }

  // 6. The first date on which the verdict changes.
  if (!transitions.empty()) {
    std::sort(transitions.begin(), transitions.end(),
              [](const transition& a, const transition& b) { return a.when < b.when; });
    std::vector<truth> future = context.leaf_values_;
    std::vector<truth> scratch_values;
    for (std::size_t i = 0; i < transitions.size();) {
      const date when = transitions[i].when;
      for (; i < transitions.size() && transitions[i].when == when; ++i) {
        future[transitions[i].leaf] = transitions[i].value;
      }
      const truth v = run(p.code, future, context.stack_, scratch_values);
      if (v != out.raw_value) {
        out.changes_on = when;
        out.value_after = v;
        break;
      }
    }
  }

  // 7. The missing-data policy.
  out.value = apply_policy(out.raw_value, p.policy, !out.missing.empty());
  out.policy_applied = out.value != out.raw_value;
  return out;
}

}  // namespace ctm::rules
