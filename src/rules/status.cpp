// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include <ctm/rules/status.hpp>

namespace ctm::rules {

std::string_view to_string(missing_data_policy p) noexcept {
  switch (p) {
    case missing_data_policy::treat_as_met:
      return "treat_as_met";
    case missing_data_policy::treat_as_not_met:
      return "treat_as_not_met";
    case missing_data_policy::unknown:
      break;
  }
  return "unknown";
}

std::string_view to_string(criterion_kind k) noexcept {
  return k == criterion_kind::inclusion ? "inclusion" : "exclusion";
}

std::string_view to_string(eligibility e) noexcept {
  switch (e) {
    case eligibility::ineligible:
      return "ineligible";
    case eligibility::eligible:
      return "eligible";
    case eligibility::possibly_eligible:
      break;
  }
  return "possibly_eligible";
}

eligibility aggregate(std::span<const truth> passes) noexcept {
  const truth all = all_of(passes);
  if (all == truth::no) return eligibility::ineligible;
  if (all == truth::unknown) return eligibility::possibly_eligible;
  return eligibility::eligible;
}

}  // namespace ctm::rules
