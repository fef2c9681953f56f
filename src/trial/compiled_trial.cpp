// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Compiling a trial's criteria into rule programs once (issue 6).
#include <ctm/core/error.hpp>
#include <ctm/rules/ast.hpp>
#include <ctm/rules/diagnostic.hpp>
#include <ctm/trial/compiled_trial.hpp>

#include <algorithm>
#include <string>
#include <variant>

namespace ctm {
namespace {

bool seeks_situation(const rules::query& q) {
  if (const auto* a = std::get_if<rules::agent_status_query>(&q)) {
    return a->status != rules::agent_status::intolerant;
  }
  if (const auto* l = std::get_if<rules::last_line_query>(&q)) {
    return l->status != rules::agent_status::intolerant;
  }
  return std::holds_alternative<rules::preset_query>(q) ||
         std::holds_alternative<rules::prior_lines_query>(q);
}

compiled_criterion compile_one(const criterion& c, const rules::environment& env,
                               const std::vector<std::string>& unwritten,
                               const compile_trial_options& options) {
  compiled_criterion out;
  out.id = c.id;
  out.kind = c.kind;
  out.text = c.text;
  if (!c.rule) {
    out.review_reason = std::string(needs_manual_review);
    return out;
  }
  for (const auto& u : c.uses) {
    if (std::find(unwritten.begin(), unwritten.end(), u) != unwritten.end()) {
      out.review_reason =
          std::string(needs_manual_review) + ": definition '" + u + "' has no rule yet";
      return out;
    }
  }
  const auto checked = rules::check(rules::parse(*c.rule, c.id), env);
  if (!checked.ok()) {
    for (const auto& d : checked.diagnostics()) {
      if (d.severity != rules::severity::error) continue;
      const ctm::error e = rules::to_error(d);
      out.review_reason = std::string(needs_manual_review) + ": the rule does not check [" +
                          std::string(error_tag(e.code)) + "] " + e.message;
      break;
    }
    if (out.review_reason.empty()) out.review_reason = std::string(needs_manual_review);
    return out;
  }
  auto program = rules::compile(checked, options.compile);
  if (!program) {
    out.review_reason = std::string(needs_manual_review) + ": the rule does not compile [" +
                        std::string(error_tag(program.error().code)) + "]";
    return out;
  }
  if (c.kind == criterion_kind::inclusion) {
    for (const auto& q : program->queries()) out.targets_situation |= seeks_situation(q);
  }
  out.program = std::move(*program);
  return out;
}

}  // namespace

compiled_trial compile_trial(const trial& t, const rules::environment& base,
                             const compile_trial_options& options) {
  compiled_trial out;
  out.trial = t;
  rules::environment env = base;
  std::vector<std::string> unwritten;
  for (const auto& d : t.definitions) {
    if (!d.rule) {
      unwritten.push_back(d.name);
      continue;
    }
    const std::string text = "define " + d.name + " = " + *d.rule + "\n";
    env.definitions.add(rules::parse(text, t.id + "/" + d.name));
  }
  for (const auto& c : t.criteria) out.criteria.push_back(compile_one(c, env, unwritten, options));
  for (const auto& a : t.arms) {
    compiled_arm arm;
    arm.id = a.id;
    arm.name = a.name;
    arm.status = a.status.value_or(t.status);
    for (const auto& c : a.criteria)
      arm.criteria.push_back(compile_one(c, env, unwritten, options));
    out.arms.push_back(std::move(arm));
  }
  const auto count = [](const std::vector<compiled_criterion>& v) {
    return static_cast<std::size_t>(
        std::count_if(v.begin(), v.end(), [](const auto& c) { return !c.program; }));
  };
  out.review_count = count(out.criteria);
  for (const auto& a : out.arms) out.review_count += count(a.criteria);
  return out;
}

}  // namespace ctm
