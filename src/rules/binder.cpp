// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// The checker: resolves names, codes, types and units of a parsed rule into the bound DAG of
// bound.hpp. One small function per syntax-node kind; errors are diagnostics and the failing
// subtree binds to npos, so siblings are still checked.
#include "rules/bound.hpp"
#include "rules/names.hpp"
#include "rules/text.hpp"

#include <ctm/rules/check.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <utility>

namespace ctm::rules {

// definition_library -----------------------------------------------------------------------------

std::vector<diagnostic> definition_library::add(const parsed_rule& rule) {
  std::vector<diagnostic> out;
  for (std::size_t i = 0; i < rule.definitions().size(); ++i) {
    const definition& d = rule.definitions()[i];
    if (const entry* existing = find(d.name)) {
      const definition& first = existing->document.definitions()[existing->index];
      out.push_back({severity::error, errc::rule_duplicate_definition,
                     "'" + d.name + "' is already defined at " + existing->document.name() + ":" +
                         std::to_string(first.name_span.line) + ":" +
                         std::to_string(first.name_span.column),
                     d.name_span, rule.name()});
      continue;
    }
    entries_.push_back({d.name, rule, i});
  }
  return out;
}

const definition_library::entry* definition_library::find(std::string_view name) const noexcept {
  for (const entry& e : entries_) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

// checked_rule
// -------------------------------------------------------------------------------------

checked_rule::checked_rule(std::shared_ptr<const detail::checked_data> data)
    : data_(std::move(data)) {}
const parsed_rule& checked_rule::parsed() const noexcept { return data_->parsed; }
const std::vector<diagnostic>& checked_rule::diagnostics() const noexcept {
  return data_->diagnostics;
}
bool checked_rule::has_body() const noexcept { return data_->parsed.body().has_value(); }
std::vector<std::string> checked_rule::used_definitions() const {
  return data_->used_library_definitions;
}
std::vector<query> checked_rule::queries() const {
  std::vector<query> out;
  for (const auto& leaf : data_->leaves) {
    if (std::find(out.begin(), out.end(), leaf.query) == out.end()) out.push_back(leaf.query);
  }
  return out;
}

namespace detail {

bool same_tree(const checked_data& data, std::uint32_t a, std::uint32_t b) {
  if (a == b) return true;
  if (a == npos || b == npos) return false;
  const bound_node& x = data.nodes[a];
  const bound_node& y = data.nodes[b];
  if (x.kind != y.kind || x.constant != y.constant || x.k != y.k ||
      x.children.size() != y.children.size()) {
    return false;
  }
  if (x.kind == bound_kind::leaf) {
    const bound_leaf& l = data.leaves[x.leaf];
    const bound_leaf& m = data.leaves[y.leaf];
    return l.query == m.query && l.test == m.test;
  }
  for (std::size_t i = 0; i < x.children.size(); ++i) {
    if (!same_tree(data, x.children[i], y.children[i])) return false;
  }
  return true;
}

}  // namespace detail

namespace {

using namespace detail;

// What a comparison's left side is.
enum class subject_type : std::uint8_t {
  number,
  quantity,
  symbol,
  stage,
  response,
  concepts,
  state,
  event
};

struct subject {
  subject_type type = subject_type::number;
  rules::query query;
  std::string label;
  std::optional<ctm::unit> unit;  // quantity: the fact's unit (lab canonical, tmb, steroid)
  bool unit_required = false;     // labs: bare numbers are an error
  bool is_lab = false;
  bool years_unit = false;  // age: [a] allowed
  std::optional<double> molar;
  std::vector<std::string> symbols;  // allowed values for symbol/state
  std::vector<std::string> present;  // state: the values `present` stands for
  double low = -std::numeric_limits<double>::infinity();
  double high = std::numeric_limits<double>::infinity();
  bool integer = false;
  source_span span;
};

// A comparison's right side: a value, or `if c then t1 else t2`.
struct threshold {
  bool is_conditional = false;
  std::uint32_t condition = npos;  // bound node
  std::size_t then_index = 0;
  std::size_t else_index = 0;
  double value = 0.0;  // number, quantity (in `unit`), ULN multiple
  ctm::unit unit = ctm::unit::one;
  bool has_unit = false;
  bool uln = false;  // value x uln
  bool lln = false;
  std::optional<ctm::duration> span_value;
  std::string word;  // symbol, stage or response as written
  source_span span;
};

// Stage text to an ordinal range: group g (0-IV) and sub-stage s (A-C) as 4g+s; a group without
// a sub-stage covers its three sub-stages.
std::optional<std::pair<double, double>> stage_range(std::string_view s) {
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
  if (sub != 0) {
    const double v = 4.0 * group + sub;
    return std::pair{v, v};
  }
  return std::pair{4.0 * group + 1, 4.0 * group + 3};
}

constexpr std::array<std::string_view, 7> response_order{"PD",   "SD", "MR", "PR",
                                                         "VGPR", "CR", "sCR"};

std::optional<double> response_rank(std::string_view s) {
  for (std::size_t i = 0; i < response_order.size(); ++i) {
    if (response_order[i] == s) return static_cast<double>(i);
  }
  return std::nullopt;
}

interval interval_for(compare_op op, double low, double high) {
  interval s;
  switch (op) {
    case compare_op::lt:
      s.high = low;
      s.high_open = true;
      break;
    case compare_op::le:
      s.high = high;
      break;
    case compare_op::gt:
      s.low = high;
      s.low_open = true;
      break;
    case compare_op::ge:
      s.low = low;
      break;
    case compare_op::eq:
      s.low = low;
      s.high = high;
      break;
    case compare_op::ne:
      s.low = low;
      s.high = high;
      s.complement = true;
      break;
  }
  return s;
}

std::string unit_suffix(const threshold& t) {
  if (!t.has_unit || t.unit == ctm::unit::one) return "";
  return " " + std::string(ucum_code(t.unit));
}

class binder {
 public:
  binder(const environment& env, const check_options& options, checked_data& out)
      : env_(env), options_(options), out_(out), sink_(&out.diagnostics) {
    depth_limit_ = options.limits.max_depth * 4 + 16;
  }

  void run() {
    const parsed_rule& doc = out_.parsed;
    doc_ = &doc;
    // Duplicate names within the document.
    std::set<std::string> seen;
    for (const definition& d : doc.definitions()) {
      if (!seen.insert(d.name).second) {
        error(errc::rule_duplicate_definition, "'" + d.name + "' is defined twice in this document",
              d.name_span);
      }
    }
    for (std::size_t i = 0; i < doc.definitions().size(); ++i) {
      const definition& d = doc.definitions()[i];
      if (d.body == no_node) continue;
      const std::uint32_t root = bind_definition({&doc, i, true}, d.name_span, false);
      out_.own_definitions.emplace_back(d.name, root);
    }
    if (const auto body = doc.body()) {
      out_.root = bind_bool(*body);
      std::set<std::string> used;
      std::vector<key> stack(body_uses_.begin(), body_uses_.end());
      std::set<key> visited;
      while (!stack.empty()) {
        const key k = stack.back();
        stack.pop_back();
        if (!visited.insert(k).second) continue;
        used.insert(k.first->definitions[k.second].name);
        for (const key& dep : memo_[k].deps) stack.push_back(dep);
      }
      out_.used_library_definitions.assign(used.begin(), used.end());
      for (const definition& d : doc.definitions()) {
        if (used.count(d.name) == 0) out_.unused_own_definitions.push_back(d.name);
      }
    }
    out_.ontology = env_.ontology;
  }

 private:
  using key = std::pair<const rule_document*, std::size_t>;
  struct memo_entry {
    std::uint32_t root = npos;
    bool in_progress = false;
    bool done = false;
    bool has_errors = false;
    std::string first_error;
    std::vector<key> deps;
  };
  struct def_ref {
    const parsed_rule* doc;
    std::size_t index;
    bool own;
  };

  // Diagnostics ---------------------------------------------------------------------------------
  void error(errc code, std::string message, const source_span& span) {
    sink_->push_back({severity::error, code, std::move(message), span, doc_->name()});
  }

  const node& at(node_id id) const { return (*doc_)[id]; }

  // Bound nodes ----------------------------------------------------------------------------------
  std::uint32_t add_node(bound_node n, const node& origin_node, node_id origin) {
    n.origin = origin;
    n.span = origin_node.span;
    n.definition = definition_;
    n.own = own_;
    out_.nodes.push_back(std::move(n));
    return static_cast<std::uint32_t>(out_.nodes.size() - 1);
  }

  std::uint32_t add_constant(truth t, node_id origin) {
    bound_node n;
    n.kind = bound_kind::constant;
    n.constant = t;
    return add_node(std::move(n), at(origin), origin);
  }

  std::uint32_t add_leaf(const subject& s, leaf_test test, std::string requirement,
                         node_id origin) {
    bound_leaf l;
    l.query = s.query;
    l.test = std::move(test);
    l.fact = describe(s.query);
    l.label = s.label;
    l.requirement = std::move(requirement);
    l.origin = origin;
    l.span = at(origin).span;
    l.definition = definition_;
    l.own = own_;
    l.domain_low = s.low;
    l.domain_high = s.high;
    l.integer = s.integer;
    out_.leaves.push_back(std::move(l));
    bound_node n;
    n.kind = bound_kind::leaf;
    n.leaf = static_cast<std::uint32_t>(out_.leaves.size() - 1);
    return add_node(std::move(n), at(origin), origin);
  }

  std::uint32_t add_connective(bound_kind kind, std::vector<std::uint32_t> children, node_id origin,
                               std::uint32_t k = 0) {
    if (std::find(children.begin(), children.end(), npos) != children.end()) return npos;
    bound_node n;
    for (const std::uint32_t c : children) n.height = std::max(n.height, out_.nodes[c].height + 1);
    if (n.height > depth_limit_) {
      if (!depth_reported_) {
        depth_reported_ = true;
        error(errc::rule_too_deep,
              "rule is nested more than " + std::to_string(depth_limit_) +
                  " levels deep once definitions are expanded",
              at(origin).span);
      }
      return npos;
    }
    n.kind = kind;
    n.k = k;
    n.children = std::move(children);
    return add_node(std::move(n), at(origin), origin);
  }

  // Depth ----------------------------------------------------------------------------------------
  struct depth_guard {
    binder& b;
    bool ok;
    depth_guard(binder& owner, const source_span& where) : b(owner) {
      ok = ++b.depth_ <= b.depth_limit_;
      if (!ok && !b.depth_reported_) {
        b.depth_reported_ = true;
        b.error(errc::rule_too_deep,
                "rule is nested more than " + std::to_string(b.depth_limit_) +
                    " levels deep once definitions are expanded",
                where);
      }
    }
    ~depth_guard() { --b.depth_; }
    depth_guard(const depth_guard&) = delete;
    depth_guard& operator=(const depth_guard&) = delete;
  };

  // Definitions ----------------------------------------------------------------------------------
  std::optional<def_ref> resolve_definition(std::string_view name) const {
    const auto& defs = doc_->definitions();
    for (std::size_t i = defs.size(); i-- > 0;) {
      if (defs[i].name == name) return def_ref{doc_, i, own_};
    }
    if (const auto* e = env_.definitions.find(name)) {
      const bool is_own = e->document.shared() == out_.parsed.shared();
      return def_ref{&e->document, e->index, is_own};
    }
    return std::nullopt;
  }

  std::uint32_t definition_index(const std::string& name) {
    auto& names = out_.definition_names;
    const auto it = std::find(names.begin(), names.end(), name);
    if (it != names.end()) return static_cast<std::uint32_t>(it - names.begin()) + 1;
    names.push_back(name);
    return static_cast<std::uint32_t>(names.size());
  }

  std::uint32_t bind_definition(const def_ref& ref, const source_span& use, bool counted) {
    const key k{&ref.doc->document(), ref.index};
    const definition& d = ref.doc->definitions()[ref.index];
    if (counted) {
      if (current_definition_) {
        memo_[*current_definition_].deps.push_back(k);
      } else {
        body_uses_.push_back(k);
      }
    }
    memo_entry& m = memo_[k];
    if (m.in_progress) {
      error(errc::rule_definition_cycle, "definition '" + d.name + "' refers to itself", use);
      return npos;
    }
    if (!m.done) {
      m.in_progress = true;
      const parsed_rule* saved_doc = doc_;
      const bool saved_own = own_;
      const std::uint32_t saved_def = definition_;
      std::vector<diagnostic>* saved_sink = sink_;
      const std::optional<key> saved_current = current_definition_;
      std::vector<diagnostic> local;
      doc_ = ref.doc;
      own_ = ref.own;
      definition_ = definition_index(d.name);
      current_definition_ = k;
      if (!ref.own) sink_ = &local;
      const std::size_t before = sink_->size();
      const std::uint32_t root = bind_bool(d.body);
      memo_entry& done = memo_[k];
      done.has_errors =
          root == npos || has_errors(std::vector<diagnostic>(
                              sink_->begin() + static_cast<std::ptrdiff_t>(before), sink_->end()));
      if (done.has_errors && sink_->size() > before) {
        done.first_error = to_string((*sink_)[before]);
      }
      done.root = done.has_errors ? npos : root;
      done.in_progress = false;
      done.done = true;
      doc_ = saved_doc;
      own_ = saved_own;
      definition_ = saved_def;
      sink_ = saved_sink;
      current_definition_ = saved_current;
    }
    const memo_entry& r = memo_[k];
    if (r.has_errors && !ref.own) {
      error(errc::rule_type,
            "definition '" + d.name + "' has errors" +
                (r.first_error.empty() ? std::string() : ": " + r.first_error),
            use);
    }
    return r.root;
  }

  // Boolean expressions --------------------------------------------------------------------------
  std::uint32_t bind_bool(node_id id) {
    const node& n = at(id);
    depth_guard guard(*this, n.span);
    if (!guard.ok) return npos;
    switch (n.kind) {
      case node_kind::boolean:
        return add_constant(n.flag ? truth::yes : truth::no, id);
      case node_kind::and_op:
      case node_kind::or_op: {
        std::vector<std::uint32_t> children;
        for (const node_id c : n.children) children.push_back(bind_bool(c));
        return add_connective(n.kind == node_kind::and_op ? bound_kind::and_op : bound_kind::or_op,
                              std::move(children), id);
      }
      case node_kind::not_op:
        return add_connective(bound_kind::not_op, {bind_bool(n.children[0])}, id);
      case node_kind::count:
        return bind_count(id);
      case node_kind::conditional:
        return add_connective(
            bound_kind::conditional,
            {bind_bool(n.children[0]), bind_bool(n.children[1]), bind_bool(n.children[2])}, id);
      case node_kind::identifier:
        return bind_bool_identifier(id);
      case node_kind::call:
        return bind_bool_call(id);
      case node_kind::compare:
      case node_kind::in_range:
      case node_kind::in_list:
        return bind_comparison(id);
      case node_kind::is_a:
        return bind_is_a(id);
      case node_kind::is_state:
        return bind_is_state(id);
      default:
        error(errc::rule_type,
              "expected a condition (something true or false), found " +
                  std::string(describe_node(n)),
              n.span);
        return npos;
    }
  }

  static std::string describe_node(const node& n) {
    switch (n.kind) {
      case node_kind::number:
        return "a number";
      case node_kind::duration:
        return "a duration";
      case node_kind::string:
        return "a string";
      case node_kind::tagged:
        return "a " + n.text + " reference";
      case node_kind::any_kind:
        return "'any " + n.text + "'";
      case node_kind::within:
        return "a 'within' window";
      case node_kind::named_arg:
        return "a named argument";
      case node_kind::uln_multiple:
        return "a multiple of the " + std::string(n.text == "lln" ? "LLN" : "ULN");
      default:
        return "'" + std::string(to_string(n.kind)) + "'";
    }
  }

  std::uint32_t bind_count(node_id id) {
    const node& n = at(id);
    std::vector<std::uint32_t> children;
    for (const node_id c : n.children) children.push_back(bind_bool(c));
    const auto k = static_cast<std::uint32_t>(n.value);
    switch (n.count) {
      case count_op::all:
        return add_connective(bound_kind::and_op, std::move(children), id);
      case count_op::any:
        return add_connective(bound_kind::or_op, std::move(children), id);
      case count_op::none:
        return add_connective(bound_kind::at_most, std::move(children), id, 0);
      case count_op::at_least:
        return add_connective(bound_kind::at_least, std::move(children), id, k);
      case count_op::at_most:
        return add_connective(bound_kind::at_most, std::move(children), id, k);
    }
    return npos;
  }

  std::uint32_t bind_bool_identifier(node_id id) {
    const node& n = at(id);
    const std::string& w = n.text;
    if (const auto def = resolve_definition(w)) return bind_definition(*def, n.span, true);
    if (w == "measurable_disease") {
      return truth_leaf(measurable_disease_query{}, "measurable disease", id);
    }
    if (w == "leptomeningeal_disease") {
      return truth_leaf(metastasis_query{metastatic_site::leptomeningeal}, "leptomeningeal disease",
                        id);
    }
    if (w.size() > 11 && w.compare(w.size() - 11, 11, "_metastases") == 0 &&
        w != "brain_metastases") {
      if (const auto site = parse_metastatic_site(std::string_view(w).substr(0, w.size() - 11))) {
        return truth_leaf(metastasis_query{*site}, w.substr(0, w.size() - 11) + " metastases", id);
      }
    }
    if (const auto p = parse_preset(w)) return truth_leaf(preset_query{*p}, w, id);
    if (auto s = identifier_subject(id, false)) {
      std::string hint;
      switch (s->type) {
        case subject_type::state:
          hint = "; write e.g. '" + w + " is " + s->symbols.front() + "'";
          break;
        case subject_type::concepts:
          hint = "; write e.g. 'diagnosis is_a \"NSCLC\"'";
          break;
        default:
          hint = "; compare it, e.g. '" + w + " >= ...'";
          break;
      }
      error(errc::rule_type, "'" + w + "' is not true or false by itself" + hint, n.span);
      return npos;
    }
    error(errc::rule_unknown_name, "unknown name '" + w + "'", n.span);
    return npos;
  }

  std::uint32_t truth_leaf(rules::query q, std::string label, node_id id) {
    subject s;
    s.query = std::move(q);
    s.label = std::move(label);
    leaf_test t;
    t.kind = test_kind::truth_is;
    return add_leaf(s, std::move(t), "yes", id);
  }

  std::uint32_t bind_bool_call(node_id id) {
    const node& n = at(id);
    const std::string& f = n.text;
    std::optional<agent_status> status;
    if (f == "exposed_to") status = agent_status::exposed;
    if (f == "refractory_to") status = agent_status::refractory;
    if (f == "intolerant_to") status = agent_status::intolerant;
    if (f == "progressed_on") status = agent_status::progressed_on;
    if (status) return bind_agent_status(id, *status);
    if (f == "metastases") {
      if (n.children.size() != 1 || at(n.children[0]).kind != node_kind::identifier) {
        error(errc::rule_syntax, "metastases(...) takes one site: " + metastatic_site_names(),
              n.span);
        return npos;
      }
      const node& a = at(n.children[0]);
      const auto site = parse_metastatic_site(a.text);
      if (!site) {
        error(errc::rule_unknown_name,
              "unknown site '" + a.text + "'; expected one of " + metastatic_site_names(), a.span);
        return npos;
      }
      return truth_leaf(metastasis_query{*site}, a.text + " metastases", id);
    }
    if (resolve_definition(f)) {
      error(errc::rule_type, "'" + f + "' is a definition and takes no arguments", n.span);
      return npos;
    }
    if (is_subject_function(f)) {
      error(errc::rule_type, "'" + f + "(...)' is not true or false by itself; compare it", n.span);
      return npos;
    }
    error(errc::rule_unknown_name, "unknown function '" + f + "'", n.span);
    return npos;
  }

  // exposed_to(drug "x" | class "x" | "x" | last_line [, exposure >= D])
  std::uint32_t bind_agent_status(node_id id, agent_status status) {
    const node& n = at(id);
    if (n.children.empty() || n.children.size() > 2) {
      error(errc::rule_syntax,
            n.text + "(...) takes a drug, a class or last_line, and optionally 'exposure >= ...'",
            n.span);
      return npos;
    }
    const node& a = at(n.children[0]);
    if (a.kind == node_kind::identifier && a.text == "last_line") {
      if (n.children.size() > 1) {
        error(errc::rule_syntax, "last_line takes no exposure condition", at(n.children[1]).span);
        return npos;
      }
      subject s;
      s.query = last_line_query{status};
      s.label = n.text + "(last_line)";
      leaf_test t;
      return add_leaf(s, t, "yes", id);
    }
    const auto agent = resolve_agent(n.children[0]);
    if (!agent) return npos;
    agent_status_query q;
    q.agent = agent->id;
    q.code = agent->code;
    q.is_class = agent->is_class;
    q.status = status;
    if (n.children.size() == 2) {
      const node& e = at(n.children[1]);
      if (e.kind != node_kind::compare || at(e.children[0]).kind != node_kind::identifier ||
          at(e.children[0]).text != "exposure" || e.op != compare_op::ge ||
          at(e.children[1]).kind != node_kind::duration) {
        error(errc::rule_syntax, "expected 'exposure >= <duration>', e.g. 'exposure >= 6 weeks'",
              e.span);
        return npos;
      }
      q.min_exposure = at(e.children[1]).span_value;
    }
    subject s;
    s.query = q;
    s.label = describe(q);
    return add_leaf(s, leaf_test{}, "yes", id);
  }

  struct agent_ref {
    drug_id id;
    std::string code;
    bool is_class = false;
  };

  std::optional<agent_ref> resolve_agent(node_id id) {
    const node& a = at(id);
    std::string text;
    std::optional<bool> want_class;
    if (a.kind == node_kind::tagged) {
      text = at(a.children[0]).text;
      want_class = a.text == "class";
    } else if (a.kind == node_kind::string) {
      text = a.text;
    } else {
      error(errc::rule_type,
            "expected a drug or class such as drug \"lenalidomide\" or class \"anti_pd1\"", a.span);
      return std::nullopt;
    }
    if (!env_.drugs) {
      error(errc::rule_no_vocabulary, "no drug catalog to resolve '" + text + "' against", a.span);
      return std::nullopt;
    }
    const auto found = env_.drugs->find(text);
    if (!found) {
      error(errc::rule_unknown_code, "unknown drug or class '" + text + "'", a.span);
      return std::nullopt;
    }
    const auto& entry = env_.drugs->get(*found);
    if (want_class && *want_class != entry.is_class) {
      error(errc::rule_type,
            "'" + text + "' is a " + (entry.is_class ? "class" : "drug") + ", not a " +
                (*want_class ? "class" : "drug"),
            a.span);
      return std::nullopt;
    }
    return agent_ref{*found, entry.code, entry.is_class};
  }

  // Subjects -------------------------------------------------------------------------------------
  std::optional<subject> bind_subject(node_id id) {
    const node& n = at(id);
    if (n.kind == node_kind::identifier) {
      if (auto s = identifier_subject(id, true)) return s;
      if (sink_->empty() || sink_->back().span != n.span) {
        if (resolve_definition(n.text) || parse_preset(n.text) || n.text == "measurable_disease") {
          error(errc::rule_type, "'" + n.text + "' is true or false; it cannot be compared",
                n.span);
        } else {
          error(errc::rule_unknown_name, "unknown fact '" + n.text + "'", n.span);
        }
      }
      return std::nullopt;
    }
    if (n.kind == node_kind::call) {
      if (!is_subject_function(n.text)) {
        if (n.text == "exposed_to" || n.text == "refractory_to" || n.text == "intolerant_to" ||
            n.text == "progressed_on" || n.text == "metastases") {
          error(errc::rule_type, "'" + n.text + "(...)' is true or false; it cannot be compared",
                n.span);
        } else {
          error(errc::rule_unknown_name, "unknown function '" + n.text + "'", n.span);
        }
        return std::nullopt;
      }
      return call_subject(id, true);
    }
    error(errc::rule_type,
          "the left side of a comparison must be a fact such as age or lab(anc), found " +
              describe_node(n),
          n.span);
    return std::nullopt;
  }

  std::optional<subject> identifier_subject(node_id id, bool report) {
    const node& n = at(id);
    const std::string& w = n.text;
    subject s;
    s.span = n.span;
    if (w == "age") {
      s.query = age_query{};
      s.label = "age";
      s.years_unit = true;
      s.low = 0;
      s.high = 120;
      s.integer = true;
      return s;
    }
    if (w == "sex") {
      s.type = subject_type::symbol;
      s.query = sex_query{};
      s.label = "sex";
      s.symbols = {"female", "male", "other"};
      return s;
    }
    if (w == "ecog") {
      s.query = ecog_query{};
      s.label = "ECOG";
      s.low = 0;
      s.high = 5;
      s.integer = true;
      return s;
    }
    if (w == "karnofsky") {
      s.query = karnofsky_query{};
      s.label = "Karnofsky";
      s.low = 0;
      s.high = 100;
      s.integer = true;
      return s;
    }
    if (w == "stage") {
      s.type = subject_type::stage;
      s.query = stage_query{};
      s.label = "stage";
      return s;
    }
    if (w == "prior_lines") {
      s.query = prior_lines_query{};
      s.label = "prior lines";
      s.low = 0;
      s.high = 30;
      s.integer = true;
      return s;
    }
    if (w == "tmb") {
      s.type = subject_type::quantity;
      s.query = biomarker_score_query{biomarker_score::tmb};
      s.label = "TMB";
      s.unit = ctm::unit::mutations_per_megabase;
      s.low = 0;
      return s;
    }
    if (w == "steroid_dose") {
      s.type = subject_type::quantity;
      s.query = steroid_dose_query{};
      s.label = "steroid dose (prednisone equivalent)";
      s.unit = ctm::unit::milligram_per_day;
      s.low = 0;
      return s;
    }
    if (w == "diagnosis") {
      s.type = subject_type::concepts;
      s.query = diagnosis_query{};
      s.label = "diagnosis";
      return s;
    }
    if (w == "brain_metastases") {
      s.type = subject_type::state;
      s.query = brain_metastases_query{};
      s.label = "brain metastases";
      s.symbols = {"absent", "active", "treated_stable"};
      s.present = {"active", "treated_stable"};
      return s;
    }
    if (const auto c = parse_condition_kind(w)) {
      return condition_subject(*c, std::nullopt, n.span);
    }
    if (w == "biomarker" || w == "lab" || w == "pd_l1" || w == "best_response" ||
        w == "time_since" || w == "half_lives_since") {
      if (report) error(errc::rule_syntax, "'" + w + "' needs arguments: " + w + "(...)", n.span);
      return std::nullopt;
    }
    return std::nullopt;
  }

  subject condition_subject(condition_kind c, std::optional<ctm::duration> within,
                            const source_span& span) {
    subject s;
    s.span = span;
    s.type = subject_type::state;
    s.query = condition_query{c, within};
    s.label = std::string(to_string(c));
    std::replace(s.label.begin(), s.label.end(), '_', ' ');
    if (c == condition_kind::hiv) s.label = "HIV";
    s.symbols = {"absent", "active", "controlled", "resolved"};
    s.present = {"active", "controlled"};
    return s;
  }

  // A window argument: `within 14 days`.
  std::optional<ctm::duration> within_arg(const node& a) {
    if (a.kind != node_kind::within || at(a.children[0]).kind != node_kind::duration) {
      error(errc::rule_syntax, "expected 'within <duration>', e.g. 'within 14 days'", a.span);
      return std::nullopt;
    }
    const ctm::duration d = at(a.children[0]).span_value;
    if (d.count <= 0) {
      error(errc::rule_never_met, "a 'within' window must be longer than zero", a.span);
      return std::nullopt;
    }
    return d;
  }

  // The argument of `last_dose(...)`: a drug, a class, or `any anticancer` (an invalid agent).
  std::optional<half_lives_query> last_dose_arg(const node& a) {
    if (a.children.size() != 1) {
      error(errc::rule_syntax, "usage: last_dose(drug \"x\" | class \"x\" | any anticancer)",
            a.span);
      return std::nullopt;
    }
    half_lives_query out;
    const node& t = at(a.children[0]);
    if (t.kind == node_kind::any_kind) {
      if (t.text != "anticancer") {
        error(errc::rule_unknown_name, "expected 'any anticancer'", t.span);
        return std::nullopt;
      }
      return out;
    }
    const auto ag = resolve_agent(a.children[0]);
    if (!ag) return std::nullopt;
    out.agent = ag->id;
    out.code = ag->code;
    out.is_class = ag->is_class;
    return out;
  }

  static bool is_subject_function(std::string_view f) {
    return f == "lab" || f == "prior_lines" || f == "biomarker" || f == "pd_l1" ||
           f == "best_response" || f == "time_since" || f == "half_lives_since" ||
           parse_condition_kind(f).has_value();
  }

  std::optional<subject> call_subject(node_id id, bool report) {
    const node& n = at(id);
    const std::string& f = n.text;
    subject s;
    s.span = n.span;
    const auto arity = [&](std::size_t lo, std::size_t hi, std::string_view usage) {
      if (n.children.size() < lo || n.children.size() > hi) {
        if (report) error(errc::rule_syntax, "usage: " + std::string(usage), n.span);
        return false;
      }
      return true;
    };
    if (f == "lab") {
      if (!arity(1, 2, "lab(<analyte>[, within <duration>])")) return std::nullopt;
      if (!report) return s;
      const node& a = at(n.children[0]);
      if (a.kind != node_kind::identifier && a.kind != node_kind::string) {
        error(errc::rule_type, "expected an analyte code such as anc", a.span);
        return std::nullopt;
      }
      if (!env_.labs) {
        error(errc::rule_no_vocabulary, "no lab catalog to resolve '" + a.text + "' against",
              a.span);
        return std::nullopt;
      }
      const auto found = env_.labs->find(a.text);
      if (!found) {
        error(errc::rule_unknown_code, "unknown lab analyte '" + a.text + "'", a.span);
        return std::nullopt;
      }
      const vocab::analyte& an = env_.labs->get(*found);
      if (an.qualitative || !an.unit) {
        error(errc::rule_type,
              "analyte '" + an.code + "' is qualitative; use a condition such as hepatitis_b",
              a.span);
        return std::nullopt;
      }
      lab_query q;
      q.analyte = *found;
      q.code = an.code;
      if (n.children.size() == 2) {
        q.within = within_arg(at(n.children[1]));
        if (!q.within) return std::nullopt;
      }
      s.type = subject_type::quantity;
      s.query = q;
      s.label = an.name.empty() ? an.code : an.name;
      s.unit = an.unit;
      s.unit_required = *an.unit != ctm::unit::one;
      s.is_lab = true;
      if (an.molar_mass) s.molar = an.molar_mass->grams_per_mole;
      s.low = 0;
      return s;
    }
    if (f == "prior_lines") {
      if (!arity(1, 1, "prior_lines(setting: <setting>)")) return std::nullopt;
      if (!report) return s;
      const node* a = &at(n.children[0]);
      if (a->kind == node_kind::named_arg) {
        if (a->text != "setting") {
          error(errc::rule_syntax, "prior_lines takes 'setting: ...'", a->span);
          return std::nullopt;
        }
        a = &at(a->children[0]);
      }
      const auto setting =
          a->kind == node_kind::identifier ? parse_therapy_setting(a->text) : std::nullopt;
      if (!setting) {
        error(errc::rule_unknown_name,
              "unknown setting; expected one of " + therapy_setting_names(), a->span);
        return std::nullopt;
      }
      s.query = prior_lines_query{*setting};
      s.label = "prior lines (" + a->text + ")";
      s.low = 0;
      s.high = 30;
      s.integer = true;
      return s;
    }
    if (f == "biomarker") {
      if (!arity(1, 3, "biomarker(\"<gene>\"[, \"<alteration>\"][, kind: <kind>])")) {
        return std::nullopt;
      }
      if (!report) return s;
      biomarker_query q;
      bool first = true;
      for (const node_id c : n.children) {
        const node& a = at(c);
        if (a.kind == node_kind::named_arg && a.text == "kind") {
          const node& v = at(a.children[0]);
          const auto k =
              v.kind == node_kind::identifier ? parse_biomarker_kind(v.text) : std::nullopt;
          if (!k) {
            error(errc::rule_unknown_name,
                  "unknown biomarker kind; expected one of " + biomarker_kind_names(), v.span);
            return std::nullopt;
          }
          q.kind = *k;
        } else if (a.kind == node_kind::string) {
          (first ? q.gene : q.alteration) = a.text;
          first = false;
        } else {
          error(errc::rule_type, "expected a gene or alteration as a string, or 'kind: ...'",
                a.span);
          return std::nullopt;
        }
      }
      if (q.gene.empty() && q.kind != biomarker_kind::msi && q.kind != biomarker_kind::mmr) {
        error(errc::rule_syntax, "biomarker(...) needs a gene, e.g. biomarker(\"EGFR\")", n.span);
        return std::nullopt;
      }
      s.type = subject_type::state;
      s.query = q;
      s.label = describe(q);
      s.symbols = {"detected", "not_detected", "untested"};
      s.present = {"detected"};
      return s;
    }
    if (f == "pd_l1") {
      if (!arity(1, 1, "pd_l1(tps | cps | ic)")) return std::nullopt;
      if (!report) return s;
      const node& a = at(n.children[0]);
      const std::string score = a.kind == node_kind::identifier ? a.text : std::string();
      s.low = 0;
      if (score == "tps") {
        s.type = subject_type::quantity;
        s.query = biomarker_score_query{biomarker_score::pd_l1_tps};
        s.unit = ctm::unit::percent;
        s.high = 100;
      } else if (score == "cps" || score == "ic") {
        s.query = biomarker_score_query{score == "cps" ? biomarker_score::pd_l1_cps
                                                       : biomarker_score::pd_l1_ic};
        if (score == "ic") {
          s.type = subject_type::quantity;
          s.unit = ctm::unit::percent;
          s.high = 100;
        }
      } else {
        error(errc::rule_unknown_name, "expected tps, cps or ic", a.span);
        return std::nullopt;
      }
      s.label = "PD-L1 " + score;
      for (char& c : s.label) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
      return s;
    }
    if (f == "best_response") {
      if (!arity(1, 1, "best_response(last_line | line: <n>)")) return std::nullopt;
      if (!report) return s;
      const node* a = &at(n.children[0]);
      std::uint32_t line = 0;
      if (a->kind == node_kind::named_arg && a->text == "line") a = &at(a->children[0]);
      if (a->kind == node_kind::number && !a->has_unit && a->value >= 1 && a->value <= 100 &&
          a->value == std::floor(a->value)) {
        line = static_cast<std::uint32_t>(a->value);
      } else if (!(a->kind == node_kind::identifier && a->text == "last_line")) {
        error(errc::rule_syntax, "expected last_line or a line number 1-100", a->span);
        return std::nullopt;
      }
      s.type = subject_type::response;
      s.query = best_response_query{line};
      s.label = line == 0 ? "best response to the last line"
                          : "best response to line " + std::to_string(line);
      return s;
    }
    if (f == "time_since") {
      if (!arity(1, 1, "time_since(<event>)")) return std::nullopt;
      if (!report) return s;
      const node& a = at(n.children[0]);
      time_since_query q;
      if (a.kind == node_kind::call && a.text == "last_dose") {
        q.event = event_kind::last_dose;
        const auto dose = last_dose_arg(a);
        if (!dose) return std::nullopt;
        q.agent = dose->agent;
        q.code = dose->code;
        q.is_class = dose->is_class;
      } else if (a.kind == node_kind::identifier && a.text != "last_dose") {
        const auto e = parse_event_kind(a.text);
        if (!e) {
          error(errc::rule_unknown_name,
                "unknown event '" + a.text + "'; expected last_dose(...) or one of " +
                    event_kind_names(),
                a.span);
          return std::nullopt;
        }
        q.event = *e;
      } else {
        error(errc::rule_syntax, "expected an event such as radiotherapy or last_dose(...)",
              a.span);
        return std::nullopt;
      }
      s.type = subject_type::event;
      s.query = q;
      s.label = describe(q);
      return s;
    }
    if (f == "half_lives_since") {
      if (!arity(1, 1, "half_lives_since(last_dose(...))")) return std::nullopt;
      if (!report) return s;
      const node& a = at(n.children[0]);
      if (a.kind != node_kind::call || a.text != "last_dose") {
        error(errc::rule_syntax, "expected last_dose(drug \"x\" | class \"x\" | any anticancer)",
              a.span);
        return std::nullopt;
      }
      const auto dose = last_dose_arg(a);
      if (!dose) return std::nullopt;
      s.query = *dose;
      s.label = "half-lives since " + (dose->code.empty() ? std::string("the last anticancer dose")
                                                          : "the last dose of " + dose->code);
      s.low = 0;
      s.high = std::numeric_limits<double>::infinity();
      return s;
    }
    if (const auto c = parse_condition_kind(f)) {
      if (!arity(1, 1, f + "(within <duration>)")) return std::nullopt;
      if (!report) return s;
      const auto w = within_arg(at(n.children[0]));
      if (!w) return std::nullopt;
      return condition_subject(*c, w, n.span);
    }
    return std::nullopt;
  }

  // Thresholds
  // ------------------------------------------------------------------------------------- Binds a
  // comparison's right side; returns an index into thresholds_ or nullopt on error.
  std::optional<std::size_t> bind_threshold(node_id id, const subject& s, bool uln_context) {
    const node& n = at(id);
    depth_guard guard(*this, n.span);
    if (!guard.ok) return std::nullopt;
    threshold t;
    t.span = n.span;
    if (n.kind == node_kind::conditional) {
      const std::uint32_t c = bind_bool(n.children[0]);
      const auto a = bind_threshold(n.children[1], s, uln_context);
      const auto b = bind_threshold(n.children[2], s, uln_context);
      if (c == npos || !a || !b) return std::nullopt;
      t.is_conditional = true;
      t.condition = c;
      t.then_index = *a;
      t.else_index = *b;
      thresholds_.push_back(t);
      return thresholds_.size() - 1;
    }
    if (n.kind == node_kind::uln_multiple) {
      if (uln_context) {
        error(errc::rule_syntax, "'x " + n.text + "' is written once, after the multiple", n.span);
        return std::nullopt;
      }
      if (!s.is_lab) {
        error(errc::rule_type, "'x " + n.text + "' applies only to lab(...) values", n.span);
        return std::nullopt;
      }
      const auto inner = bind_threshold(n.children[0], s, true);
      if (!inner) return std::nullopt;
      mark_uln(*inner, n.text == "lln");
      return inner;
    }
    switch (s.type) {
      case subject_type::number:
      case subject_type::quantity:
        return number_threshold(n, s, uln_context);
      case subject_type::event:
        if (n.kind != node_kind::duration) {
          error(errc::rule_type,
                s.label + " is a time span; compare it with a duration such as 28 days", n.span);
          return std::nullopt;
        }
        t.span_value = n.span_value;
        break;
      case subject_type::stage:
      case subject_type::response:
      case subject_type::symbol:
      case subject_type::state: {
        if (n.kind != node_kind::identifier && n.kind != node_kind::string &&
            !(s.type == subject_type::stage && n.kind == node_kind::number)) {
          error(errc::rule_type, "expected a value of " + s.label + ", found " + describe_node(n),
                n.span);
          return std::nullopt;
        }
        t.word = n.kind == node_kind::number ? detail::format_number(n.value) : n.text;
        if (s.type == subject_type::stage && !stage_range(t.word)) {
          error(errc::rule_type, "'" + t.word + "' is not a stage (0, I-IV with A-C)", n.span);
          return std::nullopt;
        }
        if (s.type == subject_type::response && !response_rank(t.word)) {
          error(errc::rule_type,
                "'" + t.word + "' is not a response; expected PD, SD, MR, PR, VGPR, CR or sCR",
                n.span);
          return std::nullopt;
        }
        if ((s.type == subject_type::symbol || s.type == subject_type::state) &&
            std::find(s.symbols.begin(), s.symbols.end(), t.word) == s.symbols.end() &&
            !(s.type == subject_type::state && t.word == "present")) {
          error(errc::rule_type,
                "'" + t.word + "' is not a value of " + s.label + "; expected " + join(s.symbols),
                n.span);
          return std::nullopt;
        }
        break;
      }
      case subject_type::concepts:
        error(errc::rule_type, "compare a diagnosis with is_a, e.g. diagnosis is_a \"NSCLC\"",
              n.span);
        return std::nullopt;
    }
    thresholds_.push_back(t);
    return thresholds_.size() - 1;
  }

  void mark_uln(std::size_t index, bool lln) {
    // Iterative over the conditional tree of thresholds.
    std::vector<std::size_t> stack{index};
    while (!stack.empty()) {
      threshold& t = thresholds_[stack.back()];
      stack.pop_back();
      if (t.is_conditional) {
        stack.push_back(t.then_index);
        stack.push_back(t.else_index);
      } else {
        t.uln = true;
        t.lln = lln;
      }
    }
  }

  static std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
  }

  std::optional<std::size_t> number_threshold(const node& n, const subject& s, bool uln_context) {
    threshold t;
    t.span = n.span;
    if (n.kind != node_kind::number) {
      std::string expected = "a number";
      if (s.unit_required)
        expected = "a value with a unit, e.g. 1.5 [" + std::string(ucum_code(*s.unit)) +
                   "], or a multiple of ULN";
      error(errc::rule_type,
            "expected " + expected + " for " + s.label + ", found " + describe_node(n), n.span);
      return std::nullopt;
    }
    t.value = n.value;
    if (uln_context) {
      if (n.has_unit) {
        error(errc::rule_unit, "a multiple of ULN has no unit", n.unit_span);
        return std::nullopt;
      }
      thresholds_.push_back(t);
      return thresholds_.size() - 1;
    }
    if (!n.has_unit) {
      if (s.unit_required) {
        error(errc::rule_unit,
              s.label + " needs a unit: write e.g. " + detail::format_number(n.value) + " [" +
                  std::string(ucum_code(*s.unit)) + "]",
              n.span);
        return std::nullopt;
      }
      if (s.type == subject_type::quantity && s.unit) {
        t.unit = *s.unit;
        t.has_unit = true;
      }
      thresholds_.push_back(t);
      return thresholds_.size() - 1;
    }
    const auto u = ctm::parse_unit(n.text);
    if (!u) {
      error(errc::rule_unit, "unknown unit '" + n.text + "'", n.unit_span);
      return std::nullopt;
    }
    if (s.type == subject_type::number) {
      if (s.years_unit && *u == ctm::unit::year) {
        thresholds_.push_back(t);
        return thresholds_.size() - 1;
      }
      error(errc::rule_unit,
            s.label + " is a plain number; remove the unit [" + n.text + "]" +
                (s.years_unit ? " (ages are in years; [a] is allowed)" : ""),
            n.unit_span);
      return std::nullopt;
    }
    // A quantity: the fact's unit must convert to the rule's unit.
    const ctm::quantity one{1.0, *s.unit};
    const auto converted =
        s.molar ? ctm::convert(one, *u, ctm::molar_mass{*s.molar}) : ctm::convert(one, *u);
    if (!converted) {
      error(errc::rule_unit,
            s.label + " is a " + std::string(to_string(dimension_of(*s.unit))) + " in " +
                std::string(ucum_code(*s.unit)) + "; " + std::string(ucum_code(*u)) + " (" +
                std::string(to_string(dimension_of(*u))) + ") cannot be compared with it",
            n.unit_span);
      return std::nullopt;
    }
    t.unit = *u;
    t.has_unit = true;
    thresholds_.push_back(t);
    return thresholds_.size() - 1;
  }

  // Comparisons ----------------------------------------------------------------------------------
  std::uint32_t bind_comparison(node_id id) {
    const node& n = at(id);
    const auto s = bind_subject(n.children[0]);
    if (!s) {
      // Still check the right side's own names where that is independent of the subject.
      return npos;
    }
    if (n.kind == node_kind::in_list) return bind_in_list(id, *s);
    if (n.kind == node_kind::in_range) return bind_in_range(id, *s);
    if ((s->type == subject_type::symbol || s->type == subject_type::state) &&
        n.op != compare_op::eq && n.op != compare_op::ne) {
      error(errc::rule_type, s->label + " has no order; use ==, != or 'is'", n.span);
      return npos;
    }
    if (s->type == subject_type::state) {
      error(errc::rule_type, "write '" + std::string(describe(s->query)) + " is <state>'", n.span);
      return npos;
    }
    if (s->type == subject_type::concepts) {
      error(errc::rule_type, "compare a diagnosis with is_a, e.g. diagnosis is_a \"NSCLC\"",
            n.span);
      return npos;
    }
    const auto t = bind_threshold(n.children[1], *s, false);
    if (!t) return npos;
    return distribute(id, *s, n.op, *t);
  }

  // Turns `subject op (if c then a else b)` into `if c then subject op a else subject op b`.
  std::uint32_t distribute(node_id id, const subject& s, compare_op op, std::size_t index) {
    const threshold t = thresholds_[index];
    if (t.is_conditional) {
      return add_connective(
          bound_kind::conditional,
          {t.condition, distribute(id, s, op, t.then_index), distribute(id, s, op, t.else_index)},
          id);
    }
    return compare_leaf(id, s, op, t);
  }

  std::uint32_t compare_leaf(node_id id, const subject& s, compare_op op, const threshold& t) {
    leaf_test test;
    std::string req(to_string(op));
    req += ' ';
    switch (s.type) {
      case subject_type::number:
      case subject_type::quantity:
        if (t.uln) {
          test.kind = test_kind::uln;
          test.lln = t.lln;
          test.set = interval_for(op, t.value, t.value);
          req += detail::format_number(t.value) + (t.lln ? " x LLN" : " x ULN");
          break;
        }
        test.kind = test_kind::interval;
        test.scale = s.type == subject_type::quantity ? value_scale::quantity : value_scale::number;
        test.unit = t.has_unit ? t.unit : ctm::unit::one;
        test.molar_grams_per_mole = s.molar;
        test.set = interval_for(op, t.value, t.value);
        req += detail::format_number(t.value) + unit_suffix(t);
        break;
      case subject_type::stage: {
        const auto r = *stage_range(t.word);
        test.kind = test_kind::interval;
        test.scale = value_scale::stage;
        test.set = interval_for(op, r.first, r.second);
        req += t.word;
        break;
      }
      case subject_type::response: {
        const double r = *response_rank(t.word);
        test.kind = test_kind::interval;
        test.scale = value_scale::response;
        test.set = interval_for(op, r, r);
        req += t.word;
        break;
      }
      case subject_type::symbol: {
        test.kind = test_kind::symbol;
        if (op == compare_op::ne && !s.symbols.empty()) {
          // `sex != female` is a test for the other values, so its reason reads "requires not
          // female" rather than the negation of "requires female".
          for (const auto& sym : s.symbols) {
            if (sym != t.word) test.yes_symbols.push_back(sym);
          }
          return add_leaf(s, std::move(test), "not " + t.word, id);
        }
        test.yes_symbols = {t.word};
        const std::uint32_t leaf = add_leaf(s, test, t.word, id);
        return op == compare_op::ne ? add_connective(bound_kind::not_op, {leaf}, id) : leaf;
      }
      case subject_type::event:
        test.kind = test_kind::elapsed;
        test.span = {op, *t.span_value};
        req += ctm::to_string(*t.span_value);
        break;
      case subject_type::state:
      case subject_type::concepts:
        return npos;
    }
    return add_leaf(s, std::move(test), std::move(req), id);
  }

  std::uint32_t bind_in_range(node_id id, const subject& s) {
    const node& n = at(id);
    if (s.type != subject_type::number && s.type != subject_type::quantity &&
        s.type != subject_type::stage && s.type != subject_type::response) {
      error(errc::rule_type, s.label + " has no order; use 'in (a, b)' for a list", n.span);
      return npos;
    }
    const auto lo = bind_threshold(n.children[1], s, false);
    const auto hi = bind_threshold(n.children[2], s, false);
    if (!lo || !hi) return npos;
    threshold a = thresholds_[*lo];
    threshold b = thresholds_[*hi];
    if (a.is_conditional || b.is_conditional || a.uln || b.uln) {
      error(errc::rule_type, "the bounds of a range must be plain values", n.span);
      return npos;
    }
    leaf_test test;
    test.kind = test_kind::interval;
    std::string req;
    switch (s.type) {
      case subject_type::stage: {
        const auto ra = *stage_range(a.word);
        const auto rb = *stage_range(b.word);
        test.scale = value_scale::stage;
        test.set.low = ra.first;
        test.set.high = rb.second;
        req = a.word + "-" + b.word;
        break;
      }
      case subject_type::response:
        test.scale = value_scale::response;
        test.set.low = *response_rank(a.word);
        test.set.high = *response_rank(b.word);
        req = a.word + "-" + b.word;
        break;
      default: {
        test.scale = s.type == subject_type::quantity ? value_scale::quantity : value_scale::number;
        if (a.has_unit && b.has_unit && a.unit != b.unit) {
          const auto c = ctm::convert(ctm::quantity{b.value, b.unit}, a.unit);
          if (!c) {
            error(errc::rule_unit, "the bounds of the range have incompatible units", n.span);
            return npos;
          }
          b.value = c->value;
        }
        test.unit = a.has_unit ? a.unit : ctm::unit::one;
        test.molar_grams_per_mole = s.molar;
        test.set.low = a.value;
        test.set.high = b.value;
        req =
            detail::format_number(a.value) + "-" + detail::format_number(b.value) + unit_suffix(a);
        break;
      }
    }
    return add_leaf(s, std::move(test), std::move(req), id);
  }

  std::uint32_t bind_in_list(node_id id, const subject& s) {
    const node& n = at(id);
    if (s.type == subject_type::symbol || s.type == subject_type::state) {
      leaf_test test;
      test.kind = test_kind::symbol;
      for (std::size_t i = 1; i < n.children.size(); ++i) {
        const auto t = bind_threshold(n.children[i], s, false);
        if (!t) return npos;
        add_state_symbols(s, thresholds_[*t].word, test.yes_symbols);
      }
      std::string requirement = "one of " + join(test.yes_symbols);
      return add_leaf(s, std::move(test), std::move(requirement), id);
    }
    if (s.type == subject_type::concepts || s.type == subject_type::event) {
      error(errc::rule_type, "'in (...)' does not apply to " + s.label, n.span);
      return npos;
    }
    std::vector<std::uint32_t> alternatives;
    for (std::size_t i = 1; i < n.children.size(); ++i) {
      const auto t = bind_threshold(n.children[i], s, false);
      if (!t) return npos;
      alternatives.push_back(distribute(id, s, compare_op::eq, *t));
    }
    if (alternatives.size() == 1) return alternatives.front();
    return add_connective(bound_kind::or_op, std::move(alternatives), id);
  }

  static void add_state_symbols(const subject& s, const std::string& word,
                                std::vector<std::string>& out) {
    const std::vector<std::string> words = word == "present" ? s.present : std::vector{word};
    for (const auto& w : words) {
      if (std::find(out.begin(), out.end(), w) == out.end()) out.push_back(w);
    }
  }

  std::uint32_t bind_is_a(node_id id) {
    const node& n = at(id);
    const node& subj = at(n.children[0]);
    if (subj.kind != node_kind::identifier || subj.text != "diagnosis") {
      error(errc::rule_type, "is_a applies to diagnosis, e.g. diagnosis is_a \"NSCLC\"", subj.span);
      return npos;
    }
    const auto s = identifier_subject(n.children[0], true);
    if (!env_.ontology) {
      error(errc::rule_no_vocabulary, "no disease hierarchy to resolve codes against", n.span);
      return npos;
    }
    leaf_test test;
    test.kind = test_kind::concepts;
    std::string req = "is_a ";
    bool ok = true;
    for (std::size_t i = 1; i < n.children.size(); ++i) {
      const node& c = at(n.children[i]);
      if (c.kind != node_kind::string && c.kind != node_kind::identifier) {
        error(errc::rule_type, "expected a disease code such as \"NSCLC\"", c.span);
        ok = false;
        continue;
      }
      const auto found = env_.ontology->lookup(c.text);
      if (!found) {
        error(errc::rule_unknown_code, "unknown disease code '" + c.text + "'", c.span);
        ok = false;
        continue;
      }
      test.targets.push_back(*found);
      req += (i > 1 ? " or " : "") + env_.ontology->get(*found).code;
    }
    if (!ok) return npos;
    return add_leaf(*s, std::move(test), std::move(req), id);
  }

  std::uint32_t bind_is_state(node_id id) {
    const node& n = at(id);
    const auto s = bind_subject(n.children[0]);
    if (!s) return npos;
    if (s->type != subject_type::state && s->type != subject_type::symbol) {
      error(errc::rule_type,
            "'is' applies to states such as brain_metastases, conditions, "
            "biomarker(...) and sex; compare " +
                s->label + " with an operator",
            n.span);
      return npos;
    }
    const bool known = n.text == "present" ? s->type == subject_type::state
                                           : std::find(s->symbols.begin(), s->symbols.end(),
                                                       n.text) != s->symbols.end();
    if (!known) {
      error(errc::rule_type,
            "'" + n.text + "' is not a state of " + s->label + "; expected " + join(s->symbols) +
                (s->type == subject_type::state ? " or present" : ""),
            n.span);
      return npos;
    }
    leaf_test test;
    test.kind = test_kind::symbol;
    add_state_symbols(*s, n.text, test.yes_symbols);
    if (std::holds_alternative<biomarker_query>(s->query)) {
      // Neither a failed or equivocal test nor the absence of any test decides detected or
      // not detected: the answer is unknown and the biomarker result is the missing fact (a
      // patient never tested must not match a wild-type requirement, nor be ruled out of a
      // trial that wants the alteration).
      if (n.text != "untested") test.unknown_symbols = {"indeterminate", "untested"};
    }
    std::string req = n.text;
    if (n.children.size() > 1) {
      const node& d = at(n.children[1]);
      if (d.kind != node_kind::duration) {
        error(errc::rule_type, "'for' needs a duration such as 4 weeks", d.span);
        return npos;
      }
      test.kind = test_kind::state_for;
      test.span = {n.op, d.span_value};
      req += " for " + std::string(to_string(n.op)) + " " + ctm::to_string(d.span_value);
    }
    const std::uint32_t leaf = add_leaf(*s, std::move(test), std::move(req), id);
    return n.flag ? add_connective(bound_kind::not_op, {leaf}, id) : leaf;
  }

  const environment& env_;
  check_options options_;
  checked_data& out_;
  std::vector<diagnostic>* sink_;
  const parsed_rule* doc_ = nullptr;
  bool own_ = true;
  std::uint32_t definition_ = 0;
  std::optional<key> current_definition_;
  std::map<key, memo_entry> memo_;
  std::vector<key> body_uses_;
  std::vector<threshold> thresholds_;
  std::uint32_t depth_ = 0;
  std::uint32_t depth_limit_ = 0;
  bool depth_reported_ = false;
};

// Printing the checked tree
// ------------------------------------------------------------------------

void print_bound(const checked_data& data, std::uint32_t id, int indent, std::string& out) {
  out.append(static_cast<std::size_t>(indent) * 2, ' ');
  if (id == npos) {
    out += "(error)";
    return;
  }
  const bound_node& n = data.nodes[id];
  const auto where = [&] {
    std::string w = " @" + std::to_string(n.span.line) + ':' + std::to_string(n.span.column);
    if (n.definition != 0) w += " in " + data.definition_names[n.definition - 1];
    return w;
  };
  switch (n.kind) {
    case bound_kind::leaf: {
      const bound_leaf& l = data.leaves[n.leaf];
      out += "(test " + l.fact + " requires " + l.requirement + where() + ')';
      return;
    }
    case bound_kind::constant:
      out += "(constant " + std::string(to_string(n.constant)) + where() + ')';
      return;
    case bound_kind::and_op:
      out += "(and";
      break;
    case bound_kind::or_op:
      out += "(or";
      break;
    case bound_kind::not_op:
      out += "(not";
      break;
    case bound_kind::at_least:
      out += "(at_least " + std::to_string(n.k);
      break;
    case bound_kind::at_most:
      out += "(at_most " + std::to_string(n.k);
      break;
    case bound_kind::conditional:
      out += "(if";
      break;
  }
  out += where();
  for (const std::uint32_t c : n.children) {
    out += '\n';
    print_bound(data, c, indent + 1, out);
  }
  out += ')';
}

}  // namespace

std::string checked_rule::print() const {
  std::string out;
  for (const auto& [name, root] : data_->own_definitions) {
    out += "(define " + name + '\n';
    print_bound(*data_, root, 1, out);
    out += ")\n";
  }
  if (data_->root != detail::npos) {
    print_bound(*data_, data_->root, 0, out);
    out += '\n';
  }
  return out;
}

checked_rule check(const parsed_rule& rule, const environment& env, const check_options& options) {
  auto data = std::make_shared<detail::checked_data>();
  data->parsed = rule;
  data->diagnostics = rule.diagnostics();
  if (rule.ok()) {
    binder b(env, options, *data);
    b.run();
  }
  return checked_rule(std::move(data));
}

}  // namespace ctm::rules
