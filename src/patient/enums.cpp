// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Names of the patient module's enumerators: the spelling of the native JSON format.
#include <ctm/patient/patient.hpp>

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
constexpr std::array<std::string_view, 4> sex_names{"female", "male", "other", "unknown"};
constexpr std::array<std::string_view, 2> diagnosis_kind_names{"primary", "recurrence"};
constexpr std::array<std::string_view, 11> metastatic_site_names{
    "brain",   "leptomeningeal", "liver",  "bone", "lung", "lymph_node",
    "adrenal", "peritoneum",     "pleura", "skin", "other"};
constexpr std::array<std::string_view, 10> biomarker_kind_names{
    "mutation", "amplification", "deletion", "fusion", "expression",
    "msi",      "mmr",           "tmb",      "pd_l1",  "other"};
constexpr std::array<std::string_view, 3> test_status_names{"detected", "not_detected",
                                                            "indeterminate"};
constexpr std::array<std::string_view, 3> qualitative_names{"positive", "negative",
                                                            "indeterminate"};
constexpr std::array<std::string_view, 4> comparator_names{"<", "<=", ">", ">="};
constexpr std::array<std::string_view, 2> performance_scale_names{"ecog", "karnofsky"};
constexpr std::array<std::string_view, 11> condition_kind_names{"hiv",
                                                                "hepatitis_b",
                                                                "hepatitis_c",
                                                                "pregnancy",
                                                                "lactation",
                                                                "autoimmune_disease",
                                                                "organ_transplant",
                                                                "second_malignancy",
                                                                "active_infection",
                                                                "graft_versus_host_disease",
                                                                "other"};
constexpr std::array<std::string_view, 4> condition_status_names{"active", "controlled", "resolved",
                                                                 "absent"};
constexpr std::array<std::string_view, 7> therapy_setting_names{
    "neoadjuvant",   "adjuvant",    "definitive", "induction",
    "consolidation", "maintenance", "advanced"};
constexpr std::array<std::string_view, 5> stop_reason_names{"progression", "toxicity", "completed",
                                                            "patient_choice", "other"};
constexpr std::array<std::string_view, 8> route_names{
    "oral",        "intravenous",  "subcutaneous", "intramuscular",
    "intrathecal", "intravesical", "topical",      "other"};
constexpr std::array<std::string_view, 7> procedure_kind_names{
    "radiotherapy",          "major_surgery",  "minor_surgery", "autologous_transplant",
    "allogeneic_transplant", "car_t_infusion", "other"};
constexpr std::array<std::string_view, 8> imaging_method_names{
    "ct", "mri", "pet_ct", "x_ray", "bone_scan", "clinical_exam", "ultrasound", "other"};
constexpr std::array<std::string_view, 3> lesion_role_names{"target", "non_target", "new"};
constexpr std::array<std::string_view, 3> lesion_status_names{"present", "absent",
                                                              "unequivocal_progression"};
constexpr std::array<std::string_view, 10> response_system_names{
    "recist", "irecist", "imwg", "lugano", "iwcll", "eln", "pcwg3", "gcig", "rano", "other"};
constexpr std::array<std::string_view, 5> progression_basis_names{
    "radiographic", "clinical", "biochemical", "pathological", "other"};

}  // namespace

std::string_view to_string(ctm::sex s) noexcept { return name_of(sex_names, s); }
std::optional<ctm::sex> parse_sex(std::string_view text) noexcept {
  return parse_in<ctm::sex>(sex_names, text);
}

std::string_view to_string(diagnosis_kind k) noexcept { return name_of(diagnosis_kind_names, k); }
std::optional<diagnosis_kind> parse_diagnosis_kind(std::string_view text) noexcept {
  return parse_in<diagnosis_kind>(diagnosis_kind_names, text);
}

std::string_view to_string(metastatic_site s) noexcept { return name_of(metastatic_site_names, s); }
std::optional<metastatic_site> parse_metastatic_site(std::string_view text) noexcept {
  return parse_in<metastatic_site>(metastatic_site_names, text);
}

std::string_view to_string(biomarker_kind k) noexcept { return name_of(biomarker_kind_names, k); }
std::optional<biomarker_kind> parse_biomarker_kind(std::string_view text) noexcept {
  return parse_in<biomarker_kind>(biomarker_kind_names, text);
}

std::string_view to_string(test_status s) noexcept { return name_of(test_status_names, s); }
std::optional<test_status> parse_test_status(std::string_view text) noexcept {
  return parse_in<test_status>(test_status_names, text);
}

std::string_view to_string(qualitative_result r) noexcept { return name_of(qualitative_names, r); }
std::optional<qualitative_result> parse_qualitative_result(std::string_view text) noexcept {
  return parse_in<qualitative_result>(qualitative_names, text);
}

std::string_view to_string(comparator c) noexcept { return name_of(comparator_names, c); }
std::optional<comparator> parse_comparator(std::string_view text) noexcept {
  return parse_in<comparator>(comparator_names, text);
}

std::string_view to_string(performance_scale s) noexcept {
  return name_of(performance_scale_names, s);
}
std::optional<performance_scale> parse_performance_scale(std::string_view text) noexcept {
  return parse_in<performance_scale>(performance_scale_names, text);
}

std::string_view to_string(condition_kind k) noexcept { return name_of(condition_kind_names, k); }
std::optional<condition_kind> parse_condition_kind(std::string_view text) noexcept {
  return parse_in<condition_kind>(condition_kind_names, text);
}

std::string_view to_string(condition_status s) noexcept {
  return name_of(condition_status_names, s);
}
std::optional<condition_status> parse_condition_status(std::string_view text) noexcept {
  return parse_in<condition_status>(condition_status_names, text);
}

std::string_view to_string(therapy_setting s) noexcept { return name_of(therapy_setting_names, s); }
std::optional<therapy_setting> parse_therapy_setting(std::string_view text) noexcept {
  return parse_in<therapy_setting>(therapy_setting_names, text);
}

std::string_view to_string(stop_reason r) noexcept { return name_of(stop_reason_names, r); }
std::optional<stop_reason> parse_stop_reason(std::string_view text) noexcept {
  return parse_in<stop_reason>(stop_reason_names, text);
}

std::string_view to_string(route r) noexcept { return name_of(route_names, r); }
std::optional<route> parse_route(std::string_view text) noexcept {
  return parse_in<route>(route_names, text);
}

std::string_view to_string(procedure_kind k) noexcept { return name_of(procedure_kind_names, k); }
std::optional<procedure_kind> parse_procedure_kind(std::string_view text) noexcept {
  return parse_in<procedure_kind>(procedure_kind_names, text);
}

std::string_view to_string(imaging_method m) noexcept { return name_of(imaging_method_names, m); }
std::optional<imaging_method> parse_imaging_method(std::string_view text) noexcept {
  return parse_in<imaging_method>(imaging_method_names, text);
}

std::string_view to_string(lesion_role r) noexcept { return name_of(lesion_role_names, r); }
std::optional<lesion_role> parse_lesion_role(std::string_view text) noexcept {
  return parse_in<lesion_role>(lesion_role_names, text);
}

std::string_view to_string(lesion_status s) noexcept { return name_of(lesion_status_names, s); }
std::optional<lesion_status> parse_lesion_status(std::string_view text) noexcept {
  return parse_in<lesion_status>(lesion_status_names, text);
}

std::string_view to_string(response_system s) noexcept { return name_of(response_system_names, s); }
std::optional<response_system> parse_response_system(std::string_view text) noexcept {
  return parse_in<response_system>(response_system_names, text);
}

std::string_view to_string(progression_basis b) noexcept {
  return name_of(progression_basis_names, b);
}
std::optional<progression_basis> parse_progression_basis(std::string_view text) noexcept {
  return parse_in<progression_basis>(progression_basis_names, text);
}

}  // namespace ctm
