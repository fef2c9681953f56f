// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/date.hpp>
#include <ctm/core/result.hpp>
#include <ctm/core/truth.hpp>
#include <ctm/export.hpp>
#include <ctm/rules/ast.hpp>
#include <ctm/rules/check.hpp>
#include <ctm/rules/fact_source.hpp>
#include <ctm/rules/lowered.hpp>
#include <ctm/rules/query.hpp>
#include <ctm/rules/status.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ctm::rules {

/// Options of `compile`. Thread-safety: a value type.
struct compile_options {
  /// Applied to the criterion's verdict (see `apply_policy`); the raw verdict is kept too.
  missing_data_policy policy = missing_data_policy::unknown;
  /// `max_nodes` bounds the number of instructions.
  rules::limits limits;
};

/// One step of an evaluation, in program order (post-order: children before parents).
struct trace_entry {
  node_id node = no_node;  ///< syntax node in the document that wrote it
  std::string definition;  ///< the definition the node belongs to; empty for the criterion
  truth value = truth::unknown;
  std::int32_t leaf = -1;  ///< index into `evaluation::leaves`, or -1 for logic steps

  friend bool operator==(const trace_entry&, const trace_entry&) = default;
};

/// The outcome of one fact test ("ECOG in 0..1"). Thread-safety: a value type.
struct leaf_outcome {
  node_id node = no_node;
  std::string definition;  ///< the definition the test belongs to; empty for the criterion
  truth value = truth::unknown;
  std::string fact;                    ///< the query in rule spelling ("lab(anc, within 14 days)")
  std::string reason;                  ///< "ECOG 2 on 2026-10-01; requires 0-1"
  std::optional<std::string> missing;  ///< what is missing, when the fact is
  std::vector<std::string> evidence;
  /// The first date after `as_of` on which this test's value changes as time passes (a washout
  /// completing, a lab result ageing out of its window), and the value from then on.
  std::optional<date> changes_on;
  truth value_after = truth::unknown;

  friend bool operator==(const leaf_outcome&, const leaf_outcome&) = default;
};

/// The result of evaluating one criterion for one patient. Thread-safety: a value type.
struct evaluation {
  truth value = truth::unknown;      ///< the verdict after the missing-data policy
  truth raw_value = truth::unknown;  ///< the verdict before it
  bool policy_applied = false;
  /// The deciding tests' reasons joined with " | " (for `no`: the tests that failed; for
  /// `unknown`: the undecided ones; for `yes`: the tests that made it hold).
  std::string reason;
  std::vector<std::string> missing;   ///< missing facts, first-use order, without repeats
  std::vector<std::string> evidence;  ///< evidence of the deciding tests, without repeats
  /// The first date after `as_of` on which the verdict changes if nothing else is recorded, and
  /// the verdict from then on ("met from 2026-12-03").
  std::optional<date> changes_on;
  truth value_after = truth::unknown;
  std::vector<trace_entry> trace;    ///< one entry per instruction
  std::vector<leaf_outcome> leaves;  ///< one entry per fact test, in program order

  friend bool operator==(const evaluation&, const evaluation&) = default;
};

/// Scratch space for evaluations: a value stack and per-instruction buffers, reused across calls
/// so that evaluating allocates only the strings of the result.
/// Thread-safety: not thread-safe; use one per thread.
class CTM_EXPORT evaluation_context {
 public:
  evaluation_context() = default;

 private:
  friend class program;
  std::vector<fact_answer> answers_;
  std::vector<truth> stack_;
  std::vector<truth> values_;
  std::vector<truth> leaf_values_;
  std::vector<std::uint32_t> walk_;
  std::vector<std::uint8_t> deciding_;
};

namespace detail {
struct program_impl;
}

/// Compiled, immutable form of one eligibility criterion: a flat post-order array of
/// instructions (fact tests and Kleene connectives) over a table of distinct queries.
///
/// Every fact test runs, so the explanation is complete and the verdict never depends on order;
/// each distinct query is asked once per evaluation. Thread-safety: immutable; share freely
/// across threads. Each thread needs its own `evaluation_context`. Complexity: linear in the
/// program size per evaluation, plus one pass per candidate change date.
class CTM_EXPORT program {
 public:
  explicit program(std::shared_ptr<const detail::program_impl> impl);

  /// Evaluates the criterion on `as_of` with the facts from `facts`.
  [[nodiscard]] evaluation evaluate(const fact_source& facts, date as_of,
                                    evaluation_context& context) const;

  /// Number of instructions.
  [[nodiscard]] std::size_t size() const noexcept;
  /// The distinct queries the program asks, in the order it asks them.
  [[nodiscard]] const std::vector<query>& queries() const noexcept;
  /// The instruction listing, one per line, for tests and `ctm lint --program`.
  [[nodiscard]] std::string print() const;
  [[nodiscard]] missing_data_policy policy() const noexcept;
  /// The program as data, for engines that evaluate many patients at once (`lowered.hpp`).
  [[nodiscard]] lowered_program lower() const;

 private:
  std::shared_ptr<const detail::program_impl> impl_;
};

/// Compiles a checked criterion. Errors: `errc::rule_type` when the rule has error diagnostics or
/// no criterion expression (the message gives the first diagnostic), `errc::rule_too_large` when
/// the instructions exceed `options.limits.max_nodes`. Thread-safety: reentrant.
CTM_EXPORT result<program> compile(const checked_rule& rule, const compile_options& options = {});

/// parse + check + compile in one call, for examples and tests; the error is the first error
/// diagnostic. Thread-safety: reentrant.
CTM_EXPORT result<program> compile(std::string_view text, const environment& env,
                                   const compile_options& options = {});

/// As above, throwing `ctm::exception` on error.
CTM_EXPORT program compile_or_throw(std::string_view text, const environment& env,
                                    const compile_options& options = {});

}  // namespace ctm::rules
