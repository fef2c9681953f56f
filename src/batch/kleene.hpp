// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// Kleene logic over 64 patients at once: every node of a lowered program is a pair of bitmaps
// (known-true, known-false; unknown is neither) plus, when the program has a missing-data policy,
// the bitmap of patients whose explanation of the node names a missing fact. Private to src/batch.
#include <ctm/batch/engine.hpp>
#include <ctm/rules/lowered.hpp>

#include <cstdint>
#include <span>
#include <vector>

namespace ctm::batch::detail {

using word = std::uint64_t;
inline constexpr word all_ones = ~word{0};

/// Bit i set where at least `k` of `kids[*].*field` have bit i set (bit-sliced counters).
inline word count_at_least(std::span<const node_words> kids, std::uint64_t k,
                           word node_words::*field) noexcept {
  const std::uint64_t n = kids.size();
  if (k == 0) return all_ones;
  if (k > n) return 0;
  word planes[32] = {};
  unsigned width = 0;
  while ((std::uint64_t{1} << width) <= n) ++width;
  for (const node_words& c : kids) {
    word carry = c.*field;
    for (unsigned j = 0; j < width && carry != 0; ++j) {
      const word t = planes[j] & carry;
      planes[j] ^= carry;
      carry = t;
    }
  }
  word gt = 0;
  word eq = all_ones;
  for (unsigned j = width; j-- > 0;) {
    if (((k >> j) & 1U) != 0) {
      eq &= planes[j];
    } else {
      gt |= eq & planes[j];
      eq &= ~planes[j];
    }
  }
  return gt | eq;
}

inline word unknown_of(const node_words& v) noexcept { return ~(v.yes | v.no); }

/// Evaluates `steps` (post-order) with `leaf(arg)` giving each leaf's words; `stack` is scratch.
/// With `WithMissing`, `node_words::missing` follows `rules::deciding_missing`; else it is 0.
template <bool WithMissing, class LeafFn>
node_words eval_steps(std::span<const rules::step> steps, LeafFn&& leaf,
                      std::vector<node_words>& stack) {
  stack.clear();
  for (const rules::step& in : steps) {
    node_words v;
    const std::size_t base = stack.size() - in.count;
    const std::span<const node_words> kids(stack.data() + base, in.count);
    switch (in.op) {
      case rules::step_op::leaf:
        v = leaf(in.arg);
        if constexpr (!WithMissing) v.missing = 0;
        break;
      case rules::step_op::constant:
        v.yes = in.constant == truth::yes ? all_ones : 0;
        v.no = in.constant == truth::no ? all_ones : 0;
        break;
      case rules::step_op::and_op:
      case rules::step_op::or_op: {
        const bool is_and = in.op == rules::step_op::and_op;
        word yes = is_and ? all_ones : 0;
        word no = is_and ? 0 : all_ones;
        for (const node_words& c : kids) {
          if (is_and) {
            yes &= c.yes;
            no |= c.no;
          } else {
            yes |= c.yes;
            no &= c.no;
          }
        }
        v.yes = yes;
        v.no = no;
        if constexpr (WithMissing) {
          // The children with the node's value explain it (all of them when they all agree).
          const word u = unknown_of(v);
          for (const node_words& c : kids) {
            const word same = (c.yes & v.yes) | (c.no & v.no) | (unknown_of(c) & u);
            v.missing |= c.missing & same;
          }
        }
        break;
      }
      case rules::step_op::not_op:
        v.yes = kids.back().no;
        v.no = kids.back().yes;
        v.missing = kids.back().missing;
        break;
      case rules::step_op::at_least:
      case rules::step_op::at_most: {
        const std::uint64_t n = kids.size();
        const std::uint64_t need =
            std::uint64_t{in.arg} + (in.op == rules::step_op::at_most ? 1 : 0);
        const word yes = count_at_least(kids, need, &node_words::yes);
        // "yes + unknown < need" is "more than n - need are no".
        const word no = need > n ? all_ones : count_at_least(kids, n - need + 1, &node_words::no);
        v.yes = in.op == rules::step_op::at_least ? yes : no;
        v.no = in.op == rules::step_op::at_least ? no : yes;
        if constexpr (WithMissing) {
          const word u = unknown_of(v);
          for (const node_words& c : kids) v.missing |= c.missing & ~(u ^ unknown_of(c));
        }
        break;
      }
      case rules::step_op::conditional: {
        const node_words& c = kids[0];
        const node_words& a = kids[1];
        const node_words& b = kids[2];
        const word cu = unknown_of(c);
        v.yes = (c.yes & a.yes) | (c.no & b.yes) | (cu & a.yes & b.yes);
        v.no = (c.yes & a.no) | (c.no & b.no) | (cu & a.no & b.no);
        if constexpr (WithMissing)
          v.missing = c.missing | (~c.no & a.missing) | (~c.yes & b.missing);
        break;
      }
    }
    stack.resize(base);
    stack.push_back(v);
  }
  return stack.empty() ? node_words{} : stack.back();
}

}  // namespace ctm::batch::detail
