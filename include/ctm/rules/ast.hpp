// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/date.hpp>
#include <ctm/export.hpp>
#include <ctm/rules/diagnostic.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// The untyped syntax tree of the rule language (docs/rule-language.md) and the parser.
namespace ctm::rules {

/// Resource limits, enforced while parsing and checking so that no input can exhaust the stack
/// or memory. Exceeding one is a diagnostic (`errc::rule_too_deep`, `errc::rule_too_large`),
/// never a crash. Thread-safety: a value type.
struct limits {
  std::uint32_t max_depth = 64;     ///< nesting of parentheses, not, if, calls and lists
  std::uint32_t max_nodes = 20000;  ///< syntax nodes per document, or instructions per program
  std::size_t max_source_bytes = 1 << 20;  ///< bytes of rule text per document
};

/// Index of a node in its document's node table; stable, and the id a trace refers to.
using node_id = std::uint32_t;
inline constexpr node_id no_node = 0xFFFFFFFFU;

/// What a syntax node is. The tree is untyped: `age >= "x"` parses, the checker rejects it.
enum class node_kind : std::uint8_t {
  number,        ///< `18`, `1.5 [10*9/L]` (value, optional unit text)
  duration,      ///< `14 days`, `6 months`
  string,        ///< `"NSCLC"`
  identifier,    ///< `age`, `female`, `CR`
  boolean,       ///< `true`, `false`
  tagged,        ///< `drug "lenalidomide"`, `class "anti_pd1"` (text = tag; child = string)
  any_kind,      ///< `any anticancer` (text = the word after `any`)
  within,        ///< `within 14 days` (child = duration)
  named_arg,     ///< `setting: advanced` (text = name; child = value)
  call,          ///< `lab(anc, within 14 days)` (text = function name; children = arguments)
  not_op,        ///< `not a`
  and_op,        ///< `a and b and c` (n-ary)
  or_op,         ///< `a or b` (n-ary)
  compare,       ///< `a >= b` (op; children = left, right)
  in_range,      ///< `ecog in 0..1` (children = subject, low, high)
  in_list,       ///< `sex in (female, male)` (children = subject, items...)
  is_a,          ///< `diagnosis is_a "NSCLC"` (children = subject, codes...; flag = `any of`)
  is_state,      ///< `x is treated_stable for >= 4 weeks` (text = state; children = subject
                 ///< [, duration]; op = the `for` comparison; flag = `is not`)
  conditional,   ///< `if c then a else b` (children = c, a, b)
  count,         ///< `at_least 2 of (a, b, c)` (count_op; value = n; children = items)
  uln_multiple,  ///< `2.5 x uln` (text = "uln" or "lln"; child = the multiple)
};

/// "number", "duration", ... as printed in golden baselines.
CTM_EXPORT std::string_view to_string(node_kind k) noexcept;

/// Comparison operators.
enum class compare_op : std::uint8_t { lt, le, gt, ge, eq, ne };

/// "<", "<=", ">", ">=", "==", "!=".
CTM_EXPORT std::string_view to_string(compare_op op) noexcept;

/// The counting forms: `at_least n of`, `at_most n of`, `all of`, `any of`, `none of`.
enum class count_op : std::uint8_t { at_least, at_most, all, any, none };

/// "at_least", "at_most", "all", "any", "none".
CTM_EXPORT std::string_view to_string(count_op op) noexcept;

/// One syntax node. Children are ids into the same document. Thread-safety: a value type.
struct node {
  node_kind kind = node_kind::number;
  compare_op op = compare_op::eq;
  count_op count = count_op::all;
  bool flag = false;           ///< `is not`; `is_a any of`; a `for` clause on `is`
  bool has_unit = false;       ///< a number written with `[unit]`
  double value = 0.0;          ///< number value, count n
  ctm::duration span_value{};  ///< duration literal
  std::string text;            ///< identifier, string, function name, tag, state, unit text
  source_span span;            ///< the whole construct
  source_span unit_span;       ///< the `[unit]` of a number
  std::vector<node_id> children;

  friend bool operator==(const node&, const node&) = default;
};

/// `define name = expression`.
struct definition {
  std::string name;
  source_span name_span;
  node_id body = no_node;

  friend bool operator==(const definition&, const definition&) = default;
};

/// Everything the parser produced for one document. Thread-safety: a value type.
struct rule_document {
  std::string name;  ///< source name used in diagnostics
  std::string text;  ///< the full source text
  std::vector<node> nodes;
  std::vector<definition> definitions;  ///< in source order
  node_id body = no_node;               ///< the criterion expression, if the text has one
  std::vector<diagnostic> diagnostics;  ///< syntax errors and limit violations
};

/// A parsed rule document: zero or more `define` entries, then at most one criterion expression.
///
/// A criterion's text is usually a single expression; a definitions file holds only `define`
/// entries. Parsing never throws and never recurses deeper than `limits::max_depth` nesting
/// levels. Thread-safety: immutable; copies share the same state.
class CTM_EXPORT parsed_rule {
 public:
  /// An empty document named "<empty>".
  parsed_rule();
  explicit parsed_rule(std::shared_ptr<const rule_document> doc) : doc_(std::move(doc)) {}

  [[nodiscard]] const rule_document& document() const noexcept { return *doc_; }
  [[nodiscard]] const std::string& name() const noexcept { return doc_->name; }
  [[nodiscard]] std::string_view text() const noexcept { return doc_->text; }
  [[nodiscard]] const std::vector<diagnostic>& diagnostics() const noexcept {
    return doc_->diagnostics;
  }
  /// No syntax error and no limit exceeded.
  [[nodiscard]] bool ok() const noexcept { return !has_errors(doc_->diagnostics); }
  [[nodiscard]] const std::vector<definition>& definitions() const noexcept {
    return doc_->definitions;
  }
  /// The criterion expression, when the document has one.
  [[nodiscard]] std::optional<node_id> body() const noexcept {
    return doc_->body == no_node ? std::nullopt : std::optional<node_id>(doc_->body);
  }
  /// Precondition: `id < document().nodes.size()`.
  [[nodiscard]] const node& operator[](node_id id) const noexcept { return doc_->nodes[id]; }
  [[nodiscard]] const std::shared_ptr<const rule_document>& shared() const noexcept { return doc_; }

 private:
  std::shared_ptr<const rule_document> doc_;
};

/// Parses rule text. Syntax errors (`errc::rule_syntax`) and limit violations
/// (`errc::rule_too_deep`, `errc::rule_too_large`) are diagnostics in the result; after an error
/// the parser skips to the next `define` at the start of a line and goes on, so one run reports
/// one error per definition. Complexity: linear in the text. Thread-safety: reentrant.
CTM_EXPORT parsed_rule parse(std::string_view text, std::string_view name = "<rule>",
                             const limits& lim = {});

/// The tree as indented S-expressions with line:column, for golden tests and `ctm lint --ast`:
///
///     (compare >= @1:1
///       (identifier age @1:1)
///       (number 18 @1:8))
CTM_EXPORT std::string print(const parsed_rule& rule);

}  // namespace ctm::rules
