// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// The compiled program: a flat post-order instruction array. Private to src/rules.
#include "rules/bound.hpp"

#include <ctm/rules/program.hpp>
#include <ctm/vocab/ontology.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ctm::rules::detail {

/// The operations are those of the lowered form, so one fold serves both.
using opcode = rules::step_op;

/// One step. Children of instruction i are the `count` subtrees immediately before it: the last
/// child ends at i - 1, and each child's first instruction is its end minus its `size` plus one.
struct instruction {
  opcode op = opcode::constant;
  truth constant = truth::unknown;
  std::uint32_t arg = 0;    ///< leaf: index into leaves; at_least/at_most: k
  std::uint32_t count = 0;  ///< number of children
  std::uint32_t size = 1;   ///< instructions in this subtree, itself included
  node_id node = no_node;
  std::uint32_t definition = 0;
};

struct compiled_leaf {
  std::uint32_t query = 0;  ///< index into queries
  leaf_test test;
  std::string fact;
  std::string label;
  std::string requirement;
  node_id node = no_node;
  std::uint32_t definition = 0;
};

struct program_impl {
  std::vector<instruction> code;
  std::vector<compiled_leaf> leaves;
  std::vector<rules::query> queries;
  std::vector<std::string> definition_names;
  std::optional<vocab::ontology> ontology;
  missing_data_policy policy = missing_data_policy::unknown;
};

}  // namespace ctm::rules::detail
