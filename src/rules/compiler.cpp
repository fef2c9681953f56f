// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Flattens the checked DAG into post-order instructions (definitions used twice are emitted
// twice), with one table entry per distinct query.
#include "rules/program_impl.hpp"

#include <ctm/rules/program.hpp>

#include <unordered_map>
#include <utility>

namespace ctm::rules {

program::program(std::shared_ptr<const detail::program_impl> impl) : impl_(std::move(impl)) {}

std::size_t program::size() const noexcept { return impl_->code.size(); }
const std::vector<query>& program::queries() const noexcept { return impl_->queries; }
missing_data_policy program::policy() const noexcept { return impl_->policy; }

lowered_program program::lower() const {
  const detail::program_impl& p = *impl_;
  lowered_program out;
  out.steps.reserve(p.code.size());
  for (const detail::instruction& in : p.code) {
    out.steps.push_back({in.op, in.constant, in.arg, in.count, in.size});
  }
  out.leaves.reserve(p.leaves.size());
  for (const detail::compiled_leaf& l : p.leaves) out.leaves.push_back({l.query, l.test});
  out.queries = p.queries;
  out.policy = p.policy;
  out.ontology = p.ontology;
  return out;
}

std::string program::print() const {
  std::string out;
  for (std::size_t i = 0; i < impl_->code.size(); ++i) {
    const detail::instruction& in = impl_->code[i];
    out += std::to_string(i) + ": ";
    switch (in.op) {
      case detail::opcode::leaf: {
        const detail::compiled_leaf& l = impl_->leaves[in.arg];
        out += "test q" + std::to_string(l.query) + " " + l.fact + " requires " + l.requirement;
        break;
      }
      case detail::opcode::constant:
        out += "constant " + std::string(to_string(in.constant));
        break;
      case detail::opcode::and_op:
        out += "and " + std::to_string(in.count);
        break;
      case detail::opcode::or_op:
        out += "or " + std::to_string(in.count);
        break;
      case detail::opcode::not_op:
        out += "not";
        break;
      case detail::opcode::at_least:
        out += "at_least " + std::to_string(in.arg) + " of " + std::to_string(in.count);
        break;
      case detail::opcode::at_most:
        out += "at_most " + std::to_string(in.arg) + " of " + std::to_string(in.count);
        break;
      case detail::opcode::conditional:
        out += "if";
        break;
    }
    if (in.definition != 0) out += " in " + impl_->definition_names[in.definition - 1];
    out += '\n';
  }
  return out;
}

namespace {

detail::opcode opcode_of(detail::bound_kind k) {
  switch (k) {
    case detail::bound_kind::leaf:
      return detail::opcode::leaf;
    case detail::bound_kind::constant:
      return detail::opcode::constant;
    case detail::bound_kind::and_op:
      return detail::opcode::and_op;
    case detail::bound_kind::or_op:
      return detail::opcode::or_op;
    case detail::bound_kind::not_op:
      return detail::opcode::not_op;
    case detail::bound_kind::at_least:
      return detail::opcode::at_least;
    case detail::bound_kind::at_most:
      return detail::opcode::at_most;
    case detail::bound_kind::conditional:
      return detail::opcode::conditional;
  }
  return detail::opcode::constant;
}

}  // namespace

result<program> compile(const checked_rule& rule, const compile_options& options) {
  const detail::checked_data& data = *rule.data();
  for (const diagnostic& d : data.diagnostics) {
    if (d.severity == severity::error) {
      ctm::error e = to_error(d);
      e.message = "the rule does not check: " + e.message;
      return e;
    }
  }
  if (data.root == detail::npos) {
    return ctm::error{errc::rule_type, "the rule has no criterion expression to compile",
                      ctm::location{data.parsed.name(), 0, 0, {}}};
  }
  auto impl = std::make_shared<detail::program_impl>();
  impl->definition_names = data.definition_names;
  impl->ontology = data.ontology;
  impl->policy = options.policy;
  std::unordered_map<std::string, std::uint32_t> query_index;

  // Iterative post-order walk; a frame is (bound node, next child).
  std::vector<std::pair<std::uint32_t, std::size_t>> stack{{data.root, 0}};
  std::vector<std::uint32_t> starts;  // first instruction of each open frame
  starts.push_back(0);
  while (!stack.empty()) {
    auto& [id, next] = stack.back();
    const detail::bound_node& n = data.nodes[id];
    if (next < n.children.size()) {
      const std::uint32_t child = n.children[next++];
      stack.emplace_back(child, 0);
      starts.push_back(static_cast<std::uint32_t>(impl->code.size()));
      continue;
    }
    if (impl->code.size() >= options.limits.max_nodes) {
      return ctm::error{errc::rule_too_large,
                        "the compiled rule has more than " +
                            std::to_string(options.limits.max_nodes) +
                            " instructions once definitions are expanded",
                        ctm::location{data.parsed.name(), n.span.line, n.span.column, {}}};
    }
    detail::instruction in;
    in.op = opcode_of(n.kind);
    in.constant = n.constant;
    in.count = static_cast<std::uint32_t>(n.children.size());
    in.node = n.origin;
    in.definition = n.definition;
    in.size = static_cast<std::uint32_t>(impl->code.size()) - starts.back() + 1;
    if (n.kind == detail::bound_kind::at_least || n.kind == detail::bound_kind::at_most)
      in.arg = n.k;
    if (n.kind == detail::bound_kind::leaf) {
      const detail::bound_leaf& l = data.leaves[n.leaf];
      detail::compiled_leaf c;
      const auto [it, inserted] =
          query_index.try_emplace(l.fact, static_cast<std::uint32_t>(impl->queries.size()));
      if (inserted) impl->queries.push_back(l.query);
      c.query = it->second;
      c.test = l.test;
      c.fact = l.fact;
      c.label = l.label;
      c.requirement = l.requirement;
      c.node = l.origin;
      c.definition = l.definition;
      in.arg = static_cast<std::uint32_t>(impl->leaves.size());
      impl->leaves.push_back(std::move(c));
    }
    impl->code.push_back(in);
    stack.pop_back();
    starts.pop_back();
  }
  return program(std::move(impl));
}

result<program> compile(std::string_view text, const environment& env,
                        const compile_options& options) {
  const parsed_rule parsed = parse(text, "<rule>", options.limits);
  check_options copts;
  copts.limits = options.limits;
  const checked_rule checked = check(parsed, env, copts);
  return compile(checked, options);
}

program compile_or_throw(std::string_view text, const environment& env,
                         const compile_options& options) {
  auto r = compile(text, env, options);
  return std::move(r).value();
}

}  // namespace ctm::rules
