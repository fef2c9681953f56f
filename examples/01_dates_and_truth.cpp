// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Dates, durations and three-valued truth: the ground every eligibility answer stands on.
#include <ctm/core/date.hpp>
#include <ctm/core/quantity.hpp>
#include <ctm/core/truth.hpp>

#include <cstdio>

int main() {
  // "Progressed within 60 days of the last dose" when the progression is known only to the month.
  const auto last_dose = ctm::parse_partial_date("2024-01-01").value();
  for (const char* progression : {"2024-02", "2024-03", "2024-04"}) {
    const auto event = ctm::parse_partial_date(progression).value();
    const ctm::truth within = ctm::is_within(event, last_dose, ctm::days(60));
    std::printf("progression %s within 60 days of %s: %s\n", progression,
                ctm::to_string(last_dose).c_str(), ctm::to_string(within).data());
  }

  // Calendar months clamp to the end of the month.
  const auto platinum = ctm::parse_date("2024-08-31").value();
  std::printf("6 months after %s is %s\n", ctm::to_string(platinum).c_str(),
              ctm::to_string(ctm::add(platinum, ctm::months(6))).c_str());

  // Creatinine reported in umol/L, compared in mg/dL.
  const ctm::molar_mass creatinine{10000.0 / 88.4};
  const auto mg = ctm::convert({132.6, ctm::unit::micromole_per_litre},
                               ctm::unit::milligram_per_decilitre, creatinine)
                      .value();
  std::printf("creatinine 132.6 umol/L = %s\n", ctm::to_string(mg).c_str());

  // An unknown inclusion keeps a trial "possibly eligible"; a known failure settles it.
  const ctm::truth ecog_ok = ctm::truth::unknown;
  const ctm::truth anc_ok = ctm::truth::yes;
  std::printf("ECOG unknown and ANC met: %s\n",
              ctm::to_string(ctm::all_of(ecog_ok, anc_ok)).data());
  std::printf("... and platelets not met: %s\n",
              ctm::to_string(ctm::all_of({ecog_ok, anc_ok, ctm::truth::no})).data());
  return 0;
}
