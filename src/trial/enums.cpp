// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Names of the trial module's enumerators: the spelling of the native trial JSON format.
#include <ctm/trial/trial.hpp>

#include <array>
#include <cstddef>

namespace ctm {
namespace {

template <class E, std::size_t N>
std::string_view name_of(const std::array<std::string_view, N>& names, E e) noexcept {
  const auto i = static_cast<std::size_t>(e);
  return i < N ? names[i] : std::string_view{"unknown"};
}

template <class E, std::size_t N>
std::optional<E> parse_in(const std::array<std::string_view, N>& names,
                          std::string_view text) noexcept {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == text) return static_cast<E>(i);
  }
  return std::nullopt;
}

// Each table lists the names in enumerator order.
constexpr std::array<std::string_view, 2> criterion_kind_names{"inclusion", "exclusion"};
constexpr std::array<std::string_view, 2> provenance_kind_names{"curated", "extracted"};
constexpr std::array<std::string_view, 14> trial_status_names{"not_yet_recruiting",
                                                              "recruiting",
                                                              "enrolling_by_invitation",
                                                              "active_not_recruiting",
                                                              "suspended",
                                                              "terminated",
                                                              "completed",
                                                              "withdrawn",
                                                              "available",
                                                              "no_longer_available",
                                                              "temporarily_not_available",
                                                              "approved_for_marketing",
                                                              "withheld",
                                                              "unknown"};
constexpr std::array<std::string_view, 6> trial_phase_names{"early_phase1", "phase1", "phase2",
                                                            "phase3",       "phase4", "na"};

}  // namespace

std::optional<criterion_kind> parse_criterion_kind(std::string_view text) noexcept {
  return parse_in<criterion_kind>(criterion_kind_names, text);
}

std::string_view to_string(provenance_kind k) noexcept { return name_of(provenance_kind_names, k); }
std::optional<provenance_kind> parse_provenance_kind(std::string_view text) noexcept {
  return parse_in<provenance_kind>(provenance_kind_names, text);
}

std::string_view to_string(trial_status s) noexcept { return name_of(trial_status_names, s); }
std::optional<trial_status> parse_trial_status(std::string_view text) noexcept {
  return parse_in<trial_status>(trial_status_names, text);
}

std::string_view to_string(trial_phase p) noexcept { return name_of(trial_phase_names, p); }
std::optional<trial_phase> parse_trial_phase(std::string_view text) noexcept {
  return parse_in<trial_phase>(trial_phase_names, text);
}

bool is_open(trial_status s) noexcept {
  return s == trial_status::recruiting || s == trial_status::enrolling_by_invitation ||
         s == trial_status::available;
}

bool is_nct_id(std::string_view text) noexcept {
  if (text.size() != 11 || text.substr(0, 3) != "NCT") return false;
  for (char c : text.substr(3)) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace ctm
