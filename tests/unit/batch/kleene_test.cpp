// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// The bitwise Kleene evaluation (`batch::fold_words`) against the scalar fold and deciding-missing
// walk, over every combination of leaf values and missing flags for small programs.
#include <ctm/batch/engine.hpp>
#include <ctm/rules/lowered.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace {

using ctm::truth;
using ctm::rules::step;
using ctm::rules::step_op;

/// Builds post-order steps: a node is a leaf, a constant or an operator over child nodes.
struct node {
  step_op op = step_op::leaf;
  std::uint32_t arg = 0;
  truth constant = truth::unknown;
  std::vector<node> kids;
};

node leaf(std::uint32_t i) { return {step_op::leaf, i, truth::unknown, {}}; }
node constant(truth t) { return {step_op::constant, 0, t, {}}; }
node op(step_op o, std::vector<node> kids, std::uint32_t k = 0) {
  return {o, k, truth::unknown, std::move(kids)};
}

std::uint32_t emit(const node& n, std::vector<step>& out) {
  std::uint32_t size = 1;
  for (const node& k : n.kids) size += emit(k, out);
  step s;
  s.op = n.op;
  s.arg = n.arg;
  s.constant = n.constant;
  s.count = static_cast<std::uint32_t>(n.kids.size());
  s.size = size;
  out.push_back(s);
  return size;
}

std::vector<step> program(const node& root) {
  std::vector<step> out;
  emit(root, out);
  return out;
}

/// Every combination of `n` leaf values (3^n) and missing flags (2^n), checked 64 at a time.
void check_all(const std::vector<step>& steps, std::uint32_t n) {
  std::uint64_t combos = 1;
  for (std::uint32_t i = 0; i < n; ++i) combos *= 6;
  std::vector<std::vector<truth>> values;
  std::vector<std::vector<std::uint8_t>> missing;
  for (std::uint64_t c = 0; c < combos; ++c) {
    std::vector<truth> v(n);
    std::vector<std::uint8_t> m(n);
    std::uint64_t x = c;
    for (std::uint32_t i = 0; i < n; ++i) {
      v[i] = static_cast<truth>(x % 3);
      x /= 3;
      m[i] = static_cast<std::uint8_t>(x % 2);
      x /= 2;
    }
    values.push_back(v);
    missing.push_back(m);
  }
  for (std::size_t base = 0; base < values.size(); base += 64) {
    std::vector<ctm::batch::node_words> leaves(n);
    const std::size_t end = std::min(values.size(), base + 64);
    for (std::size_t c = base; c < end; ++c) {
      const std::uint64_t bit = std::uint64_t{1} << (c - base);
      for (std::uint32_t i = 0; i < n; ++i) {
        if (values[c][i] == truth::yes) leaves[i].yes |= bit;
        if (values[c][i] == truth::no) leaves[i].no |= bit;
        if (missing[c][i] != 0) leaves[i].missing |= bit;
      }
    }
    const auto w = ctm::batch::fold_words(steps, leaves);
    for (std::size_t c = base; c < end; ++c) {
      const std::uint64_t bit = std::uint64_t{1} << (c - base);
      const truth expected = ctm::rules::fold(steps, values[c]);
      const truth got = (w.yes & bit) != 0  ? truth::yes
                        : (w.no & bit) != 0 ? truth::no
                                            : truth::unknown;
      REQUIRE((w.yes & w.no & bit) == 0);
      CHECK(got == expected);
      CHECK(((w.missing & bit) != 0) == ctm::rules::deciding_missing(steps, values[c], missing[c]));
    }
  }
}

}  // namespace

TEST_CASE("fold_words equals fold on and, or, not and constants") {
  check_all(program(op(step_op::and_op, {leaf(0), leaf(1), leaf(2)})), 3);
  check_all(program(op(step_op::or_op, {leaf(0), leaf(1), leaf(2)})), 3);
  check_all(program(op(step_op::not_op, {op(step_op::and_op, {leaf(0), leaf(1)})})), 2);
  check_all(program(op(step_op::or_op, {constant(truth::unknown), leaf(0)})), 1);
  check_all(program(op(step_op::and_op, {constant(truth::yes), leaf(0), constant(truth::no)})), 1);
  check_all(program(leaf(0)), 1);
  check_all({}, 1);
}

TEST_CASE("fold_words equals fold on at_least and at_most for every k") {
  for (std::uint32_t k = 0; k <= 5; ++k) {
    CAPTURE(k);
    check_all(program(op(step_op::at_least, {leaf(0), leaf(1), leaf(2), leaf(3)}, k)), 4);
    check_all(program(op(step_op::at_most, {leaf(0), leaf(1), leaf(2), leaf(3)}, k)), 4);
  }
  check_all(program(op(step_op::at_least, {leaf(0)}, 1)), 1);
}

TEST_CASE("fold_words equals fold on conditionals and nested programs") {
  check_all(program(op(step_op::conditional, {leaf(0), leaf(1), leaf(2)})), 3);
  check_all(
      program(op(step_op::or_op,
                 {op(step_op::and_op, {leaf(0), leaf(1)}),
                  op(step_op::not_op, {op(step_op::at_least, {leaf(1), leaf(2), leaf(3)}, 2)}),
                  op(step_op::conditional, {op(step_op::and_op, {leaf(3), leaf(0)}), leaf(2),
                                            op(step_op::at_most, {leaf(1), leaf(2)}, 0)})})),
      4);
  // A leaf used twice (a definition emitted at two places).
  check_all(program(op(step_op::and_op, {leaf(0), op(step_op::not_op, {leaf(0)}), leaf(1)})), 2);
}
