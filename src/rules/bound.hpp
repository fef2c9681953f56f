// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// The checked ("bound") form of a rule: a DAG of Kleene connectives over fact tests whose
// queries, units and codes are resolved. Shared by the binder, the compiler, the evaluator and
// the linter. Private to src/rules.
#include <ctm/core/quantity.hpp>
#include <ctm/core/truth.hpp>
#include <ctm/rules/ast.hpp>
#include <ctm/rules/check.hpp>
#include <ctm/rules/lowered.hpp>
#include <ctm/rules/query.hpp>
#include <ctm/vocab/ontology.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace ctm::rules::detail {

inline constexpr std::uint32_t npos = std::numeric_limits<std::uint32_t>::max();

// The fact tests themselves are public (`ctm/rules/lowered.hpp`), for engines that evaluate many
// patients at once.
using rules::interval;
using rules::leaf_test;
using rules::span_test;
using rules::test_kind;
using rules::value_scale;

/// One fact test.
struct bound_leaf {
  rules::query query;
  leaf_test test;
  std::string fact;         ///< describe(query)
  std::string label;        ///< how reasons name the fact: "ECOG", "ANC"
  std::string requirement;  ///< "0-1", ">= 1.5 10*9/L", "<= 5 x ULN"
  node_id origin = no_node;
  source_span span;
  std::uint32_t definition = 0;  ///< 0: the criterion; else 1 + index into definition_names
  bool own = true;               ///< written in the checked document (not a library file)
  /// Plausible range of the fact's value for lint (in the scale of `test.set`).
  double domain_low = -std::numeric_limits<double>::infinity();
  double domain_high = std::numeric_limits<double>::infinity();
  bool integer = false;
};

enum class bound_kind : std::uint8_t {
  leaf,
  constant,
  and_op,
  or_op,
  not_op,
  at_least,
  at_most,
  conditional,  ///< children: condition, then, else
};

struct bound_node {
  bound_kind kind = bound_kind::constant;
  truth constant = truth::unknown;
  std::uint32_t k = 0;  ///< at_least / at_most
  std::uint32_t leaf = npos;
  std::vector<std::uint32_t> children;
  node_id origin = no_node;
  source_span span;
  std::uint32_t definition = 0;
  bool own = true;
  std::uint32_t height = 1;  ///< longest path to a leaf, bounded by the checker's depth limit
};

struct checked_data {
  parsed_rule parsed;
  std::vector<diagnostic> diagnostics;
  std::vector<bound_node> nodes;
  std::vector<bound_leaf> leaves;
  std::uint32_t root = npos;  ///< the criterion, npos without one or on error
  std::vector<std::string> definition_names;
  /// This document's own definitions and their bound roots (npos on error), in source order.
  std::vector<std::pair<std::string, std::uint32_t>> own_definitions;
  std::vector<std::string> used_library_definitions;  ///< sorted
  std::vector<std::string> unused_own_definitions;    ///< when the document has a body
  std::optional<vocab::ontology> ontology;
};

/// Structural equality of two bound subtrees (same tests, same shape).
bool same_tree(const checked_data& data, std::uint32_t a, std::uint32_t b);

}  // namespace ctm::rules::detail
