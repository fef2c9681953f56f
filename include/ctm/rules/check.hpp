// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/export.hpp>
#include <ctm/rules/ast.hpp>
#include <ctm/rules/diagnostic.hpp>
#include <ctm/rules/query.hpp>
#include <ctm/vocab/drug_catalog.hpp>
#include <ctm/vocab/lab_catalog.hpp>
#include <ctm/vocab/ontology.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ctm::rules {

/// Named definitions shared across criteria ("adequate_organ_function"), collected from parsed
/// definition files. A definition is checked where it is used, against the user's environment.
/// Thread-safety: a value type (copies share the parsed documents, which are immutable).
class CTM_EXPORT definition_library {
 public:
  /// One definition and the document it was written in.
  struct entry {
    std::string name;
    parsed_rule document;
    std::size_t index = 0;  ///< into `document.definitions()`
  };

  /// Adds every definition of `rule`. A name that is already defined is reported
  /// (`errc::rule_duplicate_definition`, at the second definition) and not added.
  std::vector<diagnostic> add(const parsed_rule& rule);

  /// The definition called `name`, or null.
  [[nodiscard]] const entry* find(std::string_view name) const noexcept;
  [[nodiscard]] const std::vector<entry>& entries() const noexcept { return entries_; }
  [[nodiscard]] bool empty() const noexcept { return entries_.empty(); }

 private:
  std::vector<entry> entries_;
};

/// What the checker resolves names and codes against. A vocabulary that is absent makes every
/// code of its kind an error (`errc::rule_no_vocabulary`). Thread-safety: a value type.
struct environment {
  std::optional<vocab::ontology> ontology;   ///< disease codes for `is_a`
  std::optional<vocab::drug_catalog> drugs;  ///< drug and class codes
  std::optional<vocab::lab_catalog> labs;    ///< analytes, their units and molar masses
  definition_library definitions;            ///< shared definitions, after the document's own
};

/// Options of the checker. Thread-safety: a value type.
struct check_options {
  /// `max_depth` bounds the checked tree including inlined definitions; `max_nodes` bounds its
  /// size (definitions used many times are counted each time).
  rules::limits limits;
};

namespace detail {
struct checked_data;
}

/// A rule whose names, codes, types and units are resolved: the input of `compile` and `lint`.
/// Thread-safety: immutable; copies share the same state.
class CTM_EXPORT checked_rule {
 public:
  explicit checked_rule(std::shared_ptr<const detail::checked_data> data);

  [[nodiscard]] const parsed_rule& parsed() const noexcept;
  /// Syntax diagnostics first, then the checker's, in source order within each.
  [[nodiscard]] const std::vector<diagnostic>& diagnostics() const noexcept;
  /// No error-severity diagnostic: `compile` will accept it.
  [[nodiscard]] bool ok() const noexcept { return !has_errors(diagnostics()); }
  /// Whether the document has a criterion expression (not only definitions).
  [[nodiscard]] bool has_body() const noexcept;
  /// Names of the library definitions the criterion uses, directly or through other definitions,
  /// sorted.
  [[nodiscard]] std::vector<std::string> used_definitions() const;
  /// Every query the criterion asks, in first-use order, without repeats.
  [[nodiscard]] std::vector<query> queries() const;
  /// The checked tree (resolved queries and tests) as indented text, for golden tests.
  [[nodiscard]] std::string print() const;

  [[nodiscard]] const std::shared_ptr<const detail::checked_data>& data() const noexcept {
    return data_;
  }

 private:
  std::shared_ptr<const detail::checked_data> data_;
};

/// Resolves and type-checks `rule` (its criterion and each of its own definitions) against `env`.
/// Errors: `errc::rule_unknown_name`, `rule_unknown_code`, `rule_no_vocabulary`, `rule_type`,
/// `rule_unit`, `rule_definition_cycle`, `rule_duplicate_definition`, `rule_too_deep`,
/// `rule_too_large`; warnings for suspicious but valid constructs. Never throws.
/// Thread-safety: reentrant; `env` is only read.
CTM_EXPORT checked_rule check(const parsed_rule& rule, const environment& env,
                              const check_options& options = {});

}  // namespace ctm::rules
