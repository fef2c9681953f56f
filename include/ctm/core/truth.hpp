// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <string_view>

namespace ctm {

/// A three-valued (Kleene) truth value: the answer to a question a record may not decide.
///
/// The order no < unknown < yes makes conjunction the minimum and disjunction the maximum, so the
/// strong Kleene tables fall out of two comparisons. A missing clinical fact is `unknown`, never an
/// error and never silently `no` (see docs/concepts.md).
enum class truth : std::uint8_t { no = 0, unknown = 1, yes = 2 };

/// Kleene conjunction: `no` if either side is `no`, `yes` if both are `yes`, `unknown` otherwise.
constexpr truth all_of(truth a, truth b) noexcept { return a < b ? a : b; }

/// Kleene disjunction: `yes` if either side is `yes`, `no` if both are `no`, `unknown` otherwise.
constexpr truth any_of(truth a, truth b) noexcept { return a < b ? b : a; }

/// Kleene negation: swaps `yes` and `no`, keeps `unknown`.
constexpr truth negate(truth a) noexcept {
  return static_cast<truth>(2 - static_cast<std::uint8_t>(a));
}

/// Material implication `a -> b`, i.e. `any_of(negate(a), b)`.
constexpr truth implies(truth a, truth b) noexcept { return any_of(negate(a), b); }

/// Lifts a two-valued answer.
constexpr truth to_truth(bool b) noexcept { return b ? truth::yes : truth::no; }

/// True only for `yes`; `unknown` is not true.
constexpr bool is_yes(truth t) noexcept { return t == truth::yes; }
/// True only for `no`; `unknown` is not false.
constexpr bool is_no(truth t) noexcept { return t == truth::no; }
/// True only for `unknown`.
constexpr bool is_unknown(truth t) noexcept { return t == truth::unknown; }

/// Conjunction over a range (empty range: `yes`, the identity of `and`).
template <class Range>
constexpr truth all_of(const Range& values) noexcept {
  truth acc = truth::yes;
  for (truth t : values) acc = all_of(acc, t);
  return acc;
}
constexpr truth all_of(std::initializer_list<truth> values) noexcept {
  return all_of<std::initializer_list<truth>>(values);
}

/// Disjunction over a range (empty range: `no`, the identity of `or`).
template <class Range>
constexpr truth any_of(const Range& values) noexcept {
  truth acc = truth::no;
  for (truth t : values) acc = any_of(acc, t);
  return acc;
}
constexpr truth any_of(std::initializer_list<truth> values) noexcept {
  return any_of<std::initializer_list<truth>>(values);
}

/// "At least n of these hold": `yes` when the `yes` answers already reach n, `no` when even
/// counting every `unknown` as `yes` falls short, `unknown` otherwise. `at_least(1, r) ==
/// any_of(r)` and `at_least(size, r) == all_of(r)`; `at_least(0, r)` is `yes`.
template <class Range>
constexpr truth at_least(std::size_t n, const Range& values) noexcept {
  std::size_t yes = 0;
  std::size_t unknown = 0;
  for (truth t : values) {
    if (t == truth::yes) ++yes;
    if (t == truth::unknown) ++unknown;
  }
  if (yes >= n) return truth::yes;
  if (yes + unknown < n) return truth::no;
  return truth::unknown;
}
constexpr truth at_least(std::size_t n, std::initializer_list<truth> values) noexcept {
  return at_least<std::initializer_list<truth>>(n, values);
}

/// "At most n of these hold": the negation of `at_least(n + 1, values)`.
template <class Range>
constexpr truth at_most(std::size_t n, const Range& values) noexcept {
  return negate(at_least(n + 1, values));
}
constexpr truth at_most(std::size_t n, std::initializer_list<truth> values) noexcept {
  return at_most<std::initializer_list<truth>>(n, values);
}

/// "yes", "no" or "unknown".
constexpr std::string_view to_string(truth t) noexcept {
  switch (t) {
    case truth::no:
      return "no";
    case truth::yes:
      return "yes";
    case truth::unknown:
      break;
  }
  return "unknown";
}

}  // namespace ctm
