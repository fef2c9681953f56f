// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// Synthetic patient records for tests: every field of the record set at least once.
#include <ctm/patient/patient.hpp>

#include <chrono>

namespace ctm::test {

inline partial_date day(int y, unsigned m, unsigned d) {
  return partial_date::exact(
      date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}});
}
inline partial_date month_of(int y, unsigned m) {
  return partial_date::of_month(std::chrono::year{y}, std::chrono::month{m});
}
inline partial_date year_of(int y) { return partial_date::of_year(std::chrono::year{y}); }

/// A valid record (no validate() diagnostics) in which every member of every value type is set.
inline patient full_patient() {
  patient p;
  p.id = "SYN-TEST-001";
  p.birth_date = month_of(1961, 7);
  p.sex = sex::female;
  p.location = geo_point{47.3769, 8.5417};
  p.max_travel_km = 150.5;
  p.weights = {{quantity{68.4, unit::kilogram}, day(2024, 1, 8)}};
  p.heights = {{quantity{165, unit::centimetre}, year_of(2023)}};
  p.diagnoses = {diagnosis{"LUAD", "oncotree", "lung adenocarcinoma", day(2021, 3, 2),
                           diagnosis_kind::primary, "IVB", "AJCC 8",
                           tnm_stage{"T2a", "N2", "M1c", "AJCC 8"}, "8140/3", day(2021, 3, 2)},
                 diagnosis{"C34.1", "icd10", "", month_of(2023, 5), diagnosis_kind::recurrence, "",
                           "", std::nullopt, "", std::nullopt}};
  p.metastases = {metastasis{metastatic_site::brain, "two lesions", day(2022, 6, 1), truth::no,
                             truth::yes, day(2022, 6, 20), day(2022, 8, 1),
                             quantity{2, unit::milligram_per_day}, "dexamethasone"},
                  metastasis{metastatic_site::other, "adrenal gland", std::nullopt, truth::unknown,
                             truth::unknown, std::nullopt, std::nullopt, std::nullopt, ""}};
  p.biomarkers = {
      biomarker_result{"EGFR", "exon 19 deletion", biomarker_kind::mutation, test_status::detected,
                       quantity{23.5, unit::percent}, "VAF", "FoundationOne CDx", "tissue",
                       day(2021, 3, 20)},
      biomarker_result{"ALK", "", biomarker_kind::fusion, test_status::not_detected, std::nullopt,
                       "", "", "", day(2021, 3, 20)},
      biomarker_result{"", "", biomarker_kind::pd_l1, test_status::detected,
                       quantity{60, unit::percent}, "TPS", "22C3", "tissue", std::nullopt},
      biomarker_result{"", "", biomarker_kind::tmb, test_status::indeterminate,
                       quantity{4.2, unit::mutations_per_megabase}, "", "", "", std::nullopt}};
  p.labs = {lab_result{"creatinine", "2160-0", quantity{0.92, unit::milligram_per_decilitre},
                       std::nullopt, std::nullopt, reference_range{0.5, 1.1}, day(2024, 1, 8)},
            lab_result{"", "20447-9", quantity{20, unit::copies_per_millilitre}, comparator::less,
                       std::nullopt, std::nullopt, day(2024, 1, 8)},
            lab_result{"hbsag", "5196-1", std::nullopt, std::nullopt, qualitative_result::negative,
                       std::nullopt, day(2024, 1, 8)},
            lab_result{"alt", "", quantity{31, unit::unit_per_litre}, std::nullopt, std::nullopt,
                       reference_range{std::nullopt, 35.0}, day(2024, 1, 8)}};
  p.performance = {{performance_scale::ecog, 1, day(2024, 1, 8)},
                   {performance_scale::karnofsky, 80, month_of(2023, 12)}};
  p.conditions = {
      condition{condition_kind::hiv, condition_status::controlled, "86406008", "HIV infection",
                year_of(2010), std::nullopt, day(2024, 1, 8), truth::yes,
                quantity{20, unit::copies_per_millilitre}, quantity{520, unit::per_microlitre}},
      condition{condition_kind::pregnancy, condition_status::absent, "", "", std::nullopt,
                std::nullopt, day(2024, 1, 9), truth::unknown, std::nullopt, std::nullopt},
      condition{condition_kind::hepatitis_c, condition_status::resolved, "", "", year_of(2005),
                year_of(2016), std::nullopt, truth::no, std::nullopt, std::nullopt}};
  p.treatments = {drug_administration{drug{"osimertinib", "1721560"}, "osimertinib",
                                      day(2021, 4, 1), day(2023, 5, 10), route::oral, std::nullopt,
                                      quantity{80, unit::milligram}, therapy_setting::advanced,
                                      stop_reason::progression},
                  drug_administration{drug{"carboplatin", ""}, "carboplatin/pemetrexed",
                                      day(2023, 6, 1), std::nullopt, route::intravenous, 4,
                                      std::nullopt, std::nullopt, std::nullopt}};
  p.procedures = {procedure{procedure_kind::radiotherapy, "SRS", day(2022, 6, 20), day(2022, 6, 22),
                            "brain", std::nullopt, therapy_setting::advanced},
                  procedure{procedure_kind::car_t_infusion, "", day(2023, 9, 1), std::nullopt, "",
                            drug{"axicabtagene ciloleucel", ""}, std::nullopt}};
  p.tumour_assessments = {tumour_assessment{
      day(2021, 3, 25),
      imaging_method::ct,
      {lesion{"T1", "right upper lobe", lesion_role::target, false, 31.0, 5.0, std::nullopt, false},
       lesion{"T2", "subcarinal node", lesion_role::target, true, 17.5, 5.0, std::nullopt, false},
       lesion{"NT1", "pleural effusion", lesion_role::non_target, false, std::nullopt, std::nullopt,
              lesion_status::present, false},
       lesion{"N1", "liver", lesion_role::new_lesion, false, 8.0, std::nullopt, std::nullopt,
              true}},
      "PR"}};
  p.disease_assessments = {
      disease_assessment{response_system::lugano, "CMR", day(2023, 12, 1), 3},
      disease_assessment{response_system::recist, "PD", month_of(2023, 5), std::nullopt}};
  p.progressions = {
      progression_event{day(2023, 5, 2), progression_basis::radiographic, "",
                        response_system::recist},
      progression_event{month_of(2023, 4), progression_basis::biochemical, "CEA", std::nullopt}};
  return p;
}

}  // namespace ctm::test
