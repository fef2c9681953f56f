// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/export.hpp>
#include <ctm/rules/status.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ctm {

/// Whether a patient must meet a criterion (inclusion) or must not (exclusion). The rules
/// module's type, so a trial's criteria pass straight to `rules::passes`; `to_string` comes with
/// it.
using rules::criterion_kind;
using rules::to_string;

/// How a criterion's rule came to be.
enum class provenance_kind : std::uint8_t {
  curated,    ///< written or reviewed by a person
  extracted,  ///< produced by a program from the registry text, with a confidence
};

/// A range of characters in the criterion's `text`: `length` bytes from byte `offset` (0-based,
/// UTF-8). Lets a reviewer find the words an extracted rule was read from.
struct text_span {
  std::uint32_t offset = 0;
  std::uint32_t length = 0;

  friend bool operator==(const text_span&, const text_span&) = default;
};

/// Where a criterion's rule came from. For `extracted` rules `confidence` is the extractor's
/// confidence in [0, 1] (required), `span` the source text it read and `extractor` its name and
/// version; a `curated` criterion carries none of them. Thread-safety: a value type.
struct provenance {
  provenance_kind kind = provenance_kind::curated;
  std::optional<double> confidence;  ///< extracted only, in [0, 1]
  std::optional<text_span> span;     ///< extracted only
  std::string extractor;             ///< extracted only, e.g. "ctm-import 0.3"; may be empty

  friend bool operator==(const provenance&, const provenance&) = default;
};

/// The reason given for a criterion that has no rule yet; evaluation treats it as unknown.
inline constexpr std::string_view needs_manual_review = "needs manual review";

/// One inclusion or exclusion criterion of a trial or arm.
///
/// `text` is the criterion in words: our own paraphrase for bundled trials, the registry's text
/// for imported ones. `rule` is the same criterion in the ctm rule language
/// (docs/rule-language.md), kept as text here and compiled by the rules module; a criterion
/// without a rule evaluates to unknown with the reason `needs_manual_review`. `uses` names the
/// shared definitions (`trial::definitions` or a definition library) the rule refers to.
/// Thread-safety: a value type.
struct criterion {
  std::string id;  ///< stable within the trial, e.g. "inc-01", "exc-03", "inc-04a"
  criterion_kind kind = criterion_kind::inclusion;
  std::string text;
  std::optional<std::string> rule;
  ctm::provenance provenance;
  std::vector<std::string> uses;

  /// True when the criterion has no rule and so needs a person to decide it.
  [[nodiscard]] bool needs_review() const noexcept { return !rule.has_value(); }

  friend bool operator==(const criterion&, const criterion&) = default;
};

/// "inclusion" or "exclusion".
CTM_EXPORT std::optional<criterion_kind> parse_criterion_kind(std::string_view text) noexcept;
/// "curated" or "extracted".
CTM_EXPORT std::string_view to_string(provenance_kind k) noexcept;
CTM_EXPORT std::optional<provenance_kind> parse_provenance_kind(std::string_view text) noexcept;

}  // namespace ctm
