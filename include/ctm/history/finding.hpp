// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/truth.hpp>
#include <ctm/history/provenance.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ctm::history {

/// A derived yes/no/unknown fact with its provenance: the answer to "is this patient refractory
/// to lenalidomide?" and why.
///
/// `source.rule` names the definition applied ("imwg.refractory"), `source.records` the JSON
/// pointers of the records read, `source.reason` why the value is what it is (and, when
/// `unknown`, what is missing); `preset` names the option set the rule ran under. As everywhere in
/// `provenance`, reasons name rules, thresholds and record kinds, never a recorded value, date or
/// identifier, so they can be logged; the dates are in the facts' own fields.
/// Thread-safety: a value type.
struct finding {
  truth value = truth::unknown;
  provenance source;
  std::string preset;  ///< the preset the rule's parameters came from ("imwg-myeloma")

  [[nodiscard]] bool is_yes() const noexcept { return value == truth::yes; }
  [[nodiscard]] bool is_no() const noexcept { return value == truth::no; }
  [[nodiscard]] bool is_unknown() const noexcept { return value == truth::unknown; }

  friend bool operator==(const finding&, const finding&) = default;
};

/// A finding with its value, rule and reason (no records yet).
inline finding make_finding(truth value, std::string_view rule, std::string reason,
                            std::string_view preset = {}) {
  finding f;
  f.value = value;
  f.source.rule = std::string(rule);
  f.source.reason = std::move(reason);
  f.preset = std::string(preset);
  return f;
}

/// A patient-level derived fact with a stable name ("imwg.triple_class_refractory",
/// "gcig.platinum_resistant"), so rules can ask for it by name. Thread-safety: a value type.
struct named_finding {
  std::string name;
  finding fact;

  friend bool operator==(const named_finding&, const named_finding&) = default;
};

}  // namespace ctm::history
