// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// The rule-language lexer: turns text into tokens with spans. Private to src/rules.
#include <ctm/rules/diagnostic.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ctm::rules::detail {

enum class token_kind : std::uint8_t {
  end,
  error,       // text holds the message
  number,      // value holds the number
  string,      // text holds the unescaped contents
  unit,        // text holds what is between [ and ]
  identifier,  // keywords too; the parser decides by context
  lparen,
  rparen,
  comma,
  colon,
  equals,  // =
  dotdot,  // ..
  lt,
  le,
  gt,
  ge,
  eqeq,
  ne,
  minus,
};

struct token {
  token_kind kind = token_kind::end;
  source_span span;
  double value = 0.0;
  std::string text;
};

/// Splits `text` into tokens; the last token is `end` (or `error`, which stops lexing).
/// Comments run from '#' to the end of the line. Complexity: linear. Thread-safety: reentrant.
std::vector<token> lex(std::string_view text);

/// "end of text", "number", "'('", ... for messages.
std::string_view describe(token_kind k) noexcept;

}  // namespace ctm::rules::detail
