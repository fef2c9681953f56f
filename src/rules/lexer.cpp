// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include "rules/lexer.hpp"

#include <charconv>
#include <cmath>
#include <system_error>

namespace ctm::rules::detail {

namespace {

bool is_ident_start(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_ident_char(char c) noexcept { return is_ident_start(c) || is_digit(c); }

class lexer {
 public:
  explicit lexer(std::string_view text) : text_(text) {}

  std::vector<token> run() {
    std::vector<token> out;
    for (;;) {
      token t = next();
      const bool stop = t.kind == token_kind::end || t.kind == token_kind::error;
      out.push_back(std::move(t));
      if (stop) break;
    }
    return out;
  }

 private:
  [[nodiscard]] char peek(std::size_t ahead = 0) const noexcept {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }
  [[nodiscard]] bool at_end() const noexcept { return pos_ >= text_.size(); }

  void advance() noexcept {
    if (text_[pos_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++pos_;
  }

  void skip_space_and_comments() noexcept {
    while (!at_end()) {
      const char c = peek();
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        advance();
      } else if (c == '#') {
        while (!at_end() && peek() != '\n') advance();
      } else {
        break;
      }
    }
  }

  token make(token_kind kind, std::size_t start, std::uint32_t line, std::uint32_t column) const {
    token t;
    t.kind = kind;
    t.span = {static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(pos_ - start), line,
              column};
    return t;
  }

  token error(std::string message, std::size_t start, std::uint32_t line, std::uint32_t column) {
    token t = make(token_kind::error, start, line, column);
    if (t.span.length == 0 && !at_end()) t.span.length = 1;
    t.text = std::move(message);
    return t;
  }

  token next() {
    skip_space_and_comments();
    const std::size_t start = pos_;
    const std::uint32_t line = line_;
    const std::uint32_t column = column_;
    if (at_end()) return make(token_kind::end, start, line, column);
    const char c = peek();
    if (is_ident_start(c)) {
      while (!at_end() && is_ident_char(peek())) advance();
      token t = make(token_kind::identifier, start, line, column);
      t.text = std::string(text_.substr(start, pos_ - start));
      return t;
    }
    if (is_digit(c)) return number(start, line, column);
    if (c == '"') return string(start, line, column);
    if (c == '[') {
      advance();
      while (!at_end() && peek() != ']' && peek() != '\n') advance();
      if (at_end() || peek() != ']')
        return error("unterminated unit: expected ']'", start, line, column);
      advance();
      token t = make(token_kind::unit, start, line, column);
      t.text = std::string(text_.substr(start + 1, pos_ - start - 2));
      return t;
    }
    const auto single = [&](token_kind k) {
      advance();
      return make(k, start, line, column);
    };
    const auto pair = [&](token_kind k) {
      advance();
      advance();
      return make(k, start, line, column);
    };
    switch (c) {
      case '(':
        return single(token_kind::lparen);
      case ')':
        return single(token_kind::rparen);
      case ',':
        return single(token_kind::comma);
      case ':':
        return single(token_kind::colon);
      case '-':
        return single(token_kind::minus);
      case '.':
        if (peek(1) == '.') return pair(token_kind::dotdot);
        break;
      case '<':
        return peek(1) == '=' ? pair(token_kind::le) : single(token_kind::lt);
      case '>':
        return peek(1) == '=' ? pair(token_kind::ge) : single(token_kind::gt);
      case '=':
        return peek(1) == '=' ? pair(token_kind::eqeq) : single(token_kind::equals);
      case '!':
        if (peek(1) == '=') return pair(token_kind::ne);
        break;
      default:
        break;
    }
    advance();
    if (static_cast<unsigned char>(c) >= 0x80) {
      return error("unexpected non-ASCII character; rule text outside strings is ASCII", start,
                   line, column);
    }
    return error("unexpected character", start, line, column);
  }

  token number(std::size_t start, std::uint32_t line, std::uint32_t column) {
    while (!at_end() && is_digit(peek())) advance();
    // A fraction needs a digit after the point, so "0..1" lexes as 0, .., 1.
    if (peek() == '.' && is_digit(peek(1))) {
      advance();
      while (!at_end() && is_digit(peek())) advance();
    }
    if (is_ident_start(peek()) && peek() != 'x' && !is_time_word_start()) {
      // "12abc": a number glued to a word that is not a unit word is a typo.
      while (!at_end() && is_ident_char(peek())) advance();
      return error("malformed number", start, line, column);
    }
    token t = make(token_kind::number, start, line, column);
    const std::string_view digits = text_.substr(start, pos_ - start);
    double value = 0.0;
    const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc{} || ptr != digits.data() + digits.size() || !std::isfinite(value)) {
      return error("number out of range", start, line, column);
    }
    t.value = value;
    return t;
  }

  // "14days" is accepted like "14 days"; any other glued word is a malformed number.
  [[nodiscard]] bool is_time_word_start() const noexcept {
    const char c = peek();
    return c == 'd' || c == 'w' || c == 'm' || c == 'y';
  }

  token string(std::size_t start, std::uint32_t line, std::uint32_t column) {
    advance();  // opening quote
    std::string value;
    while (!at_end() && peek() != '"' && peek() != '\n') {
      if (peek() == '\\') {
        const char n = peek(1);
        if (n != '"' && n != '\\') {
          advance();
          return error("unknown escape in string; only \\\" and \\\\ are allowed", start, line,
                       column);
        }
        advance();
      }
      value += peek();
      advance();
    }
    if (at_end() || peek() != '"') return error("unterminated string", start, line, column);
    advance();
    token t = make(token_kind::string, start, line, column);
    t.text = std::move(value);
    return t;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::uint32_t line_ = 1;
  std::uint32_t column_ = 1;
};

}  // namespace

std::vector<token> lex(std::string_view text) { return lexer(text).run(); }

std::string_view describe(token_kind k) noexcept {
  switch (k) {
    case token_kind::end:
      return "end of text";
    case token_kind::error:
      return "invalid text";
    case token_kind::number:
      return "a number";
    case token_kind::string:
      return "a string";
    case token_kind::unit:
      return "a unit";
    case token_kind::identifier:
      return "a name";
    case token_kind::lparen:
      return "'('";
    case token_kind::rparen:
      return "')'";
    case token_kind::comma:
      return "','";
    case token_kind::colon:
      return "':'";
    case token_kind::equals:
      return "'='";
    case token_kind::dotdot:
      return "'..'";
    case token_kind::lt:
      return "'<'";
    case token_kind::le:
      return "'<='";
    case token_kind::gt:
      return "'>'";
    case token_kind::ge:
      return "'>='";
    case token_kind::eqeq:
      return "'=='";
    case token_kind::ne:
      return "'!='";
    case token_kind::minus:
      return "'-'";
  }
  return "a token";
}

}  // namespace ctm::rules::detail
