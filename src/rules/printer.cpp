// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include "rules/text.hpp"

#include <ctm/rules/ast.hpp>

namespace ctm::rules {

std::string_view to_string(node_kind k) noexcept {
  switch (k) {
    case node_kind::number:
      return "number";
    case node_kind::duration:
      return "duration";
    case node_kind::string:
      return "string";
    case node_kind::identifier:
      return "identifier";
    case node_kind::boolean:
      return "boolean";
    case node_kind::tagged:
      return "tagged";
    case node_kind::any_kind:
      return "any";
    case node_kind::within:
      return "within";
    case node_kind::named_arg:
      return "named";
    case node_kind::call:
      return "call";
    case node_kind::not_op:
      return "not";
    case node_kind::and_op:
      return "and";
    case node_kind::or_op:
      return "or";
    case node_kind::compare:
      return "compare";
    case node_kind::in_range:
      return "in_range";
    case node_kind::in_list:
      return "in_list";
    case node_kind::is_a:
      return "is_a";
    case node_kind::is_state:
      return "is";
    case node_kind::conditional:
      return "if";
    case node_kind::count:
      return "count";
    case node_kind::uln_multiple:
      return "times";
  }
  return "node";
}

std::string_view to_string(compare_op op) noexcept {
  switch (op) {
    case compare_op::lt:
      return "<";
    case compare_op::le:
      return "<=";
    case compare_op::gt:
      return ">";
    case compare_op::ge:
      return ">=";
    case compare_op::eq:
      return "==";
    case compare_op::ne:
      return "!=";
  }
  return "?";
}

std::string_view to_string(count_op op) noexcept {
  switch (op) {
    case count_op::at_least:
      return "at_least";
    case count_op::at_most:
      return "at_most";
    case count_op::all:
      return "all";
    case count_op::any:
      return "any";
    case count_op::none:
      return "none";
  }
  return "?";
}

namespace {

void print_node(const parsed_rule& rule, node_id id, int indent, std::string& out) {
  const node& n = rule[id];
  out.append(static_cast<std::size_t>(indent) * 2, ' ');
  out += '(';
  out += to_string(n.kind);
  switch (n.kind) {
    case node_kind::number:
      out += ' ' + detail::format_number(n.value);
      if (n.has_unit) out += " [" + n.text + "]";
      break;
    case node_kind::duration:
      out += ' ' + ctm::to_string(n.span_value);
      break;
    case node_kind::string:
      out += " \"" + n.text + "\"";
      break;
    case node_kind::boolean:
      out += n.flag ? " true" : " false";
      break;
    case node_kind::identifier:
    case node_kind::tagged:
    case node_kind::any_kind:
    case node_kind::named_arg:
    case node_kind::call:
    case node_kind::uln_multiple:
      out += ' ' + n.text;
      break;
    case node_kind::compare:
      out += ' ';
      out += to_string(n.op);
      break;
    case node_kind::is_a:
      if (n.flag) out += " any";
      break;
    case node_kind::is_state:
      if (n.flag) out += " not";
      out += ' ' + n.text;
      if (n.children.size() > 1) {
        out += " for ";
        out += to_string(n.op);
      }
      break;
    case node_kind::count:
      out += ' ';
      out += to_string(n.count);
      if (n.count == count_op::at_least || n.count == count_op::at_most) {
        out += ' ' + detail::format_number(n.value);
      }
      break;
    default:
      break;
  }
  out += " @" + std::to_string(n.span.line) + ':' + std::to_string(n.span.column);
  for (const node_id child : n.children) {
    out += '\n';
    print_node(rule, child, indent + 1, out);
  }
  out += ')';
}

}  // namespace

std::string print(const parsed_rule& rule) {
  std::string out;
  for (const definition& d : rule.definitions()) {
    out += "(define " + d.name + " @" + std::to_string(d.name_span.line) + ':' +
           std::to_string(d.name_span.column) + '\n';
    if (d.body != no_node) print_node(rule, d.body, 1, out);
    out += ")\n";
  }
  if (const auto body = rule.body()) {
    print_node(rule, *body, 0, out);
    out += '\n';
  }
  return out;
}

}  // namespace ctm::rules
