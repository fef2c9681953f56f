// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Hand-written recursive descent over the token vector. Recursion happens only at nesting
// constructs (parentheses, not, if, calls, lists), each guarded by the depth limit, so the stack
// use is bounded by limits::max_depth times a small constant whatever the input.
#include "rules/lexer.hpp"

#include <ctm/rules/ast.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

namespace ctm::rules {

namespace {
std::shared_ptr<const rule_document> empty_document() {
  auto doc = std::make_shared<rule_document>();
  doc->name = "<empty>";
  return doc;
}
}  // namespace

parsed_rule::parsed_rule() : doc_(empty_document()) {}

namespace {

using detail::token;
using detail::token_kind;

constexpr std::array keywords{"and",   "or",     "not", "if",   "then", "else", "true",
                              "false", "define", "is",  "is_a", "in",   "of",   "for"};

bool is_keyword(std::string_view s) noexcept {
  return std::find(keywords.begin(), keywords.end(), s) != keywords.end();
}

// Thrown inside the parser only, caught in parse(): abandons the current statement.
struct syntax_abort {
  bool fatal = false;  // a limit was hit: stop the whole document
};

std::optional<ctm::duration> time_word(std::string_view w, std::int32_t n) {
  if (w == "day" || w == "days" || w == "d") return days(n);
  if (w == "week" || w == "weeks" || w == "wk" || w == "w") return weeks(n);
  if (w == "month" || w == "months" || w == "mo") return months(n);
  if (w == "year" || w == "years" || w == "y") return years(n);
  return std::nullopt;
}

class parser {
 public:
  parser(rule_document& doc, std::vector<token> tokens, const limits& lim)
      : doc_(doc), tokens_(std::move(tokens)), limits_(lim) {}

  void run() {
    while (!at(token_kind::end) && !at(token_kind::error)) {
      try {
        statement();
      } catch (const syntax_abort& abort) {
        if (abort.fatal) return;
        recover();
      }
    }
    // A lexer error that recovery skipped to is still reported, once.
    if (at(token_kind::error) &&
        (doc_.diagnostics.empty() || doc_.diagnostics.back().span != current().span)) {
      doc_.diagnostics.push_back(
          {severity::error, errc::rule_syntax, current().text, current().span, doc_.name});
    }
  }

 private:
  // Token access ------------------------------------------------------------------------------
  [[nodiscard]] const token& current() const noexcept { return tokens_[pos_]; }
  [[nodiscard]] const token& peek(std::size_t ahead = 1) const noexcept {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  const token& take() noexcept {
    const token& t = tokens_[pos_];
    if (t.kind != token_kind::end && t.kind != token_kind::error) ++pos_;
    last_ = &t;
    return t;
  }
  [[nodiscard]] bool at_word(std::string_view w) const noexcept {
    return current().kind == token_kind::identifier && current().text == w;
  }
  [[nodiscard]] bool at(token_kind k) const noexcept { return current().kind == k; }

  [[noreturn]] void fail(std::string message, const source_span& where,
                         errc code = errc::rule_syntax, bool fatal = false) {
    doc_.diagnostics.push_back({severity::error, code, std::move(message), where, doc_.name});
    throw syntax_abort{fatal};
  }

  [[noreturn]] void unexpected(std::string_view expected) {
    const token& t = current();
    if (t.kind == token_kind::error) fail(t.text, t.span);
    std::string found;
    if (t.kind == token_kind::identifier) {
      found = (is_keyword(t.text) ? "keyword '" : "'") + t.text + "'";
    } else {
      found = std::string(detail::describe(t.kind));
    }
    fail("expected " + std::string(expected) + ", found " + found, t.span);
  }

  const token& expect(token_kind k, std::string_view what) {
    if (!at(k)) unexpected(what);
    return take();
  }
  void expect_word(std::string_view w) {
    if (!at_word(w)) unexpected("'" + std::string(w) + "'");
    take();
  }

  // After an error: skip to the next `define` that starts a line, or to the end.
  void recover() {
    if (at(token_kind::error)) return;  // the lexer stopped: nothing more to read
    if (at_word("define") && (pos_ == 0 || tokens_[pos_ - 1].span.line != current().span.line)) {
      return;  // the error was at the start of the next definition
    }
    std::uint32_t line = current().span.line;
    take();
    while (!at(token_kind::end) && !at(token_kind::error)) {
      if (at_word("define") && current().span.line != line) return;
      line = current().span.line;
      take();
    }
  }

  // Nodes ---------------------------------------------------------------------------------------
  node_id add(node n) {
    if (doc_.nodes.size() >= limits_.max_nodes) {
      fail("rule has more than " + std::to_string(limits_.max_nodes) + " syntax nodes", n.span,
           errc::rule_too_large, true);
    }
    doc_.nodes.push_back(std::move(n));
    return static_cast<node_id>(doc_.nodes.size() - 1);
  }

  node make(node_kind kind, const source_span& start) const {
    node n;
    n.kind = kind;
    n.span = start;
    return n;
  }

  // Extends a span to the end of the last token taken.
  [[nodiscard]] source_span through_last(source_span s) const noexcept {
    if (last_ != nullptr) {
      const std::uint32_t end = last_->span.offset + last_->span.length;
      if (end > s.offset) s.length = end - s.offset;
    }
    return s;
  }

  struct depth_guard {
    parser& p;
    depth_guard(parser& owner, const source_span& where) : p(owner) {
      if (++p.depth_ > p.limits_.max_depth) {
        p.fail("rule is nested more than " + std::to_string(p.limits_.max_depth) + " levels deep",
               where, errc::rule_too_deep, true);
      }
    }
    ~depth_guard() { --p.depth_; }
    depth_guard(const depth_guard&) = delete;
    depth_guard& operator=(const depth_guard&) = delete;
  };

  // Statements ----------------------------------------------------------------------------------
  void statement() {
    if (at_word("define")) {
      take();
      const token& name = expect(token_kind::identifier, "a definition name");
      if (is_keyword(name.text)) fail("'" + name.text + "' is a keyword, not a name", name.span);
      definition d;
      d.name = name.text;
      d.name_span = name.span;
      expect(token_kind::equals, "'='");
      d.body = expression();
      doc_.definitions.push_back(std::move(d));
      return;
    }
    const source_span start = current().span;
    const node_id body = expression();
    if (doc_.body != no_node) {
      fail(
          "a document holds at most one criterion expression; join them with 'and' or name them "
          "with 'define'",
          start);
    }
    doc_.body = body;
    if (!at(token_kind::end) && !at_word("define")) {
      unexpected("'and', 'or' or the end of the criterion");
    }
  }

  // Expressions ---------------------------------------------------------------------------------
  node_id expression() {
    if (at_word("if")) {
      const source_span start = current().span;
      depth_guard guard(*this, start);
      take();
      node n = make(node_kind::conditional, start);
      n.children.push_back(expression());
      expect_word("then");
      n.children.push_back(expression());
      expect_word("else");
      n.children.push_back(expression());
      n.span = through_last(start);
      return add(std::move(n));
    }
    return or_expr();
  }

  node_id or_expr() {
    const source_span start = current().span;
    const node_id first = and_expr();
    if (!at_word("or")) return first;
    node n = make(node_kind::or_op, start);
    n.children.push_back(first);
    while (at_word("or")) {
      take();
      n.children.push_back(and_expr());
    }
    n.span = through_last(start);
    return add(std::move(n));
  }

  node_id and_expr() {
    const source_span start = current().span;
    const node_id first = not_expr();
    if (!at_word("and")) return first;
    node n = make(node_kind::and_op, start);
    n.children.push_back(first);
    while (at_word("and")) {
      take();
      n.children.push_back(not_expr());
    }
    n.span = through_last(start);
    return add(std::move(n));
  }

  node_id not_expr() {
    if (!at_word("not")) return comparison();
    const source_span start = current().span;
    depth_guard guard(*this, start);
    take();
    node n = make(node_kind::not_op, start);
    n.children.push_back(not_expr());
    n.span = through_last(start);
    return add(std::move(n));
  }

  std::optional<compare_op> comparison_operator() const noexcept {
    switch (current().kind) {
      case token_kind::lt:
        return compare_op::lt;
      case token_kind::le:
        return compare_op::le;
      case token_kind::gt:
        return compare_op::gt;
      case token_kind::ge:
        return compare_op::ge;
      case token_kind::eqeq:
        return compare_op::eq;
      case token_kind::ne:
        return compare_op::ne;
      default:
        return std::nullopt;
    }
  }

  node_id comparison() {
    const source_span start = current().span;
    const node_id left = value();
    if (const auto op = comparison_operator()) {
      take();
      node n = make(node_kind::compare, start);
      n.op = *op;
      n.children = {left, value()};
      n.span = through_last(start);
      return add(std::move(n));
    }
    if (at_word("in")) {
      take();
      if (at(token_kind::lparen)) {
        node n = make(node_kind::in_list, start);
        n.children.push_back(left);
        value_list(n.children);
        n.span = through_last(start);
        return add(std::move(n));
      }
      node n = make(node_kind::in_range, start);
      n.children.push_back(left);
      n.children.push_back(value());
      expect(token_kind::dotdot, "'..' in a range such as 0..1");
      n.children.push_back(value());
      n.span = through_last(start);
      return add(std::move(n));
    }
    if (at_word("is_a")) {
      take();
      node n = make(node_kind::is_a, start);
      n.children.push_back(left);
      if (at_word("any") && peek().kind == token_kind::identifier && peek().text == "of") {
        take();
        take();
        n.flag = true;
        value_list(n.children);
      } else {
        n.children.push_back(value());
      }
      n.span = through_last(start);
      return add(std::move(n));
    }
    if (at_word("is")) {
      take();
      node n = make(node_kind::is_state, start);
      n.children.push_back(left);
      if (at_word("not")) {
        take();
        n.flag = true;
      }
      const token& state = expect(token_kind::identifier, "a state such as 'detected'");
      if (is_keyword(state.text))
        fail("expected a state, found keyword '" + state.text + "'", state.span);
      n.text = state.text;
      if (at_word("for")) {
        take();
        const auto op = comparison_operator();
        if (!op) unexpected("a comparison such as '>=' after 'for'");
        take();
        n.op = *op;
        n.children.push_back(value());
      }
      n.span = through_last(start);
      return add(std::move(n));
    }
    return left;
  }

  // '(' value {',' value} ')'
  void value_list(std::vector<node_id>& out) {
    const source_span start = current().span;
    expect(token_kind::lparen, "'('");
    depth_guard guard(*this, start);
    out.push_back(value());
    while (at(token_kind::comma)) {
      take();
      out.push_back(value());
    }
    expect(token_kind::rparen, "',' or ')'");
  }

  // A primary, optionally followed by 'x uln' / 'x lln'.
  node_id value() {
    const source_span start = current().span;
    const node_id p = primary();
    if (at_word("x") && peek().kind == token_kind::identifier &&
        (peek().text == "uln" || peek().text == "lln")) {
      take();
      node n = make(node_kind::uln_multiple, start);
      n.text = take().text;
      n.children.push_back(p);
      n.span = through_last(start);
      return add(std::move(n));
    }
    return p;
  }

  node_id number_literal(const source_span& start, bool negative) {
    const token& t = expect(token_kind::number, "a number");
    const double v = negative ? -t.value : t.value;
    if (at(token_kind::identifier)) {
      if (const auto d = time_word(current().text, 0)) {
        // Range first: converting an out-of-range double to an integer is undefined.
        if (!(v >= 0 && v <= 100000) || v != std::floor(v)) {
          fail("a duration needs a whole number of days, weeks, months or years (0-100000)",
               through_last(start));
        }
        take();
        node n = make(node_kind::duration, start);
        n.value = v;
        n.span_value = *d;
        n.span_value.count = static_cast<std::int32_t>(v);
        n.span = through_last(start);
        return add(std::move(n));
      }
    }
    node n = make(node_kind::number, start);
    n.value = v;
    if (at(token_kind::unit)) {
      const token& u = take();
      n.has_unit = true;
      n.text = u.text;
      n.unit_span = u.span;
    }
    n.span = through_last(start);
    return add(std::move(n));
  }

  node_id primary() {
    const token& t = current();
    const source_span start = t.span;
    switch (t.kind) {
      case token_kind::number:
        return number_literal(start, false);
      case token_kind::minus:
        take();
        if (!at(token_kind::number)) unexpected("a number after '-'");
        return number_literal(start, true);
      case token_kind::string: {
        node n = make(node_kind::string, start);
        n.text = take().text;
        return add(std::move(n));
      }
      case token_kind::lparen: {
        depth_guard guard(*this, start);
        take();
        const node_id inner = expression();
        expect(token_kind::rparen, "')'");
        return inner;
      }
      case token_kind::identifier:
        return word(start);
      default:
        unexpected("an expression");
    }
  }

  node_id word(const source_span& start) {
    const std::string& w = current().text;
    if (w == "true" || w == "false") {
      node n = make(node_kind::boolean, start);
      n.flag = w == "true";
      take();
      return add(std::move(n));
    }
    if (w == "at_least" || w == "at_most") {
      node n = make(node_kind::count, start);
      n.count = w == "at_least" ? count_op::at_least : count_op::at_most;
      take();
      const token& k = expect(token_kind::number, "a count");
      if (!(k.value >= 0 && k.value <= 1e6) || k.value != std::floor(k.value)) {
        fail("a count must be a whole number", k.span);
      }
      n.value = k.value;
      expect_word("of");
      value_or_expr_list(n.children);
      n.span = through_last(start);
      return add(std::move(n));
    }
    if ((w == "all" || w == "any" || w == "none") && peek().kind == token_kind::identifier &&
        peek().text == "of") {
      node n = make(node_kind::count, start);
      n.count = w == "all" ? count_op::all : (w == "any" ? count_op::any : count_op::none);
      take();
      take();
      value_or_expr_list(n.children);
      n.span = through_last(start);
      return add(std::move(n));
    }
    if (w == "any" && peek().kind == token_kind::identifier && !is_keyword(peek().text)) {
      take();
      node n = make(node_kind::any_kind, start);
      n.text = take().text;
      n.span = through_last(start);
      return add(std::move(n));
    }
    if (w == "within") {
      depth_guard guard(*this, start);
      take();
      node n = make(node_kind::within, start);
      n.children.push_back(value());
      n.span = through_last(start);
      return add(std::move(n));
    }
    if (is_keyword(w)) unexpected("an expression");
    if ((w == "drug" || w == "class") && peek().kind == token_kind::string) {
      node n = make(node_kind::tagged, start);
      n.text = take().text;
      node s = make(node_kind::string, current().span);
      s.text = take().text;
      n.children.push_back(add(std::move(s)));
      n.span = through_last(start);
      return add(std::move(n));
    }
    const token& name = take();
    if (!at(token_kind::lparen)) {
      node n = make(node_kind::identifier, start);
      n.text = name.text;
      return add(std::move(n));
    }
    node n = make(node_kind::call, start);
    n.text = name.text;
    const source_span open = current().span;
    take();
    depth_guard guard(*this, open);
    if (!at(token_kind::rparen)) {
      n.children.push_back(argument());
      while (at(token_kind::comma)) {
        take();
        n.children.push_back(argument());
      }
    }
    expect(token_kind::rparen, "',' or ')'");
    n.span = through_last(start);
    return add(std::move(n));
  }

  // '(' expr {',' expr} ')'
  void value_or_expr_list(std::vector<node_id>& out) {
    const source_span start = current().span;
    expect(token_kind::lparen, "'('");
    depth_guard guard(*this, start);
    out.push_back(expression());
    while (at(token_kind::comma)) {
      take();
      out.push_back(expression());
    }
    expect(token_kind::rparen, "',' or ')'");
  }

  node_id argument() {
    if (at(token_kind::identifier) && peek().kind == token_kind::colon &&
        !is_keyword(current().text)) {
      const source_span start = current().span;
      node n = make(node_kind::named_arg, start);
      n.text = take().text;
      take();
      n.children.push_back(expression());
      n.span = through_last(start);
      return add(std::move(n));
    }
    return expression();
  }

  rule_document& doc_;
  std::vector<token> tokens_;
  limits limits_;
  std::size_t pos_ = 0;
  std::uint32_t depth_ = 0;
  const token* last_ = nullptr;
};

}  // namespace

parsed_rule parse(std::string_view text, std::string_view name, const limits& lim) {
  auto doc = std::make_shared<rule_document>();
  doc->name = std::string(name);
  if (text.size() > lim.max_source_bytes) {
    doc->diagnostics.push_back({severity::error, errc::rule_too_large,
                                "rule text is " + std::to_string(text.size()) +
                                    " bytes; the limit is " + std::to_string(lim.max_source_bytes),
                                source_span{}, doc->name});
    return parsed_rule(std::move(doc));
  }
  doc->text = std::string(text);
  parser p(*doc, detail::lex(doc->text), lim);
  p.run();
  return parsed_rule(std::move(doc));
}

}  // namespace ctm::rules
