// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/date.hpp>
#include <ctm/export.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ctm {

/// The imaging or examination method of a tumour assessment.
enum class imaging_method : std::uint8_t {
  ct,
  mri,
  pet_ct,
  x_ray,
  bone_scan,
  clinical_exam,
  ultrasound,
  other,
};

/// A lesion's role in a RECIST assessment (domain definitions, sections 1.2 and 1.6).
enum class lesion_role : std::uint8_t { target, non_target, new_lesion };

/// The status of a non-target lesion (section 1.5); "unequivocal progression" is a reader's
/// judgement recorded here, never derived from sizes.
enum class lesion_status : std::uint8_t { present, absent, unequivocal_progression };

/// One lesion at one assessment. `id` links the same lesion across assessments.
/// Thread-safety: a value type.
struct lesion {
  std::string id;    ///< stable across assessments ("T1", "NT2")
  std::string site;  ///< anatomical site as written ("right upper lobe", "liver segment 6")
  lesion_role role = lesion_role::target;
  bool nodal = false;                 ///< a lymph node: `diameter_mm` is its short axis
  std::optional<double> diameter_mm;  ///< longest diameter (short axis for nodes); 0 = gone
  std::optional<double> slice_thickness_mm;
  std::optional<lesion_status> status;  ///< for non-target and new lesions
  bool equivocal = false;               ///< a new lesion that is not yet unequivocal

  friend bool operator==(const lesion&, const lesion&) = default;
};

/// A dated tumour assessment with its lesions (RECIST 1.1 input). `response` is the overall
/// response as recorded by the reader ("PR"), kept as written; the history module derives its
/// own. Thread-safety: a value type.
struct tumour_assessment {
  std::optional<partial_date> date;
  std::optional<imaging_method> method;
  std::vector<lesion> lesions;
  std::string response;  ///< recorded overall response; may be empty

  friend bool operator==(const tumour_assessment&, const tumour_assessment&) = default;
};

/// The response criteria a recorded category belongs to.
enum class response_system : std::uint8_t {
  recist,  ///< RECIST 1.1: CR, PR, SD, PD, NE
  irecist,
  imwg,    ///< myeloma: sCR, CR, VGPR, PR, MR, SD, PD
  lugano,  ///< lymphoma: CMR, PMR, NMR, PMD (PET) or CR, PR, SD, PD (CT)
  iwcll,   ///< CLL: CR, CRi, PR, PR-L, SD, PD
  eln,     ///< AML: CR, CRh, CRi, MLFS, PR, refractory, relapse
  pcwg3,   ///< prostate: PSA and radiographic categories
  gcig,    ///< ovarian CA-125 criteria
  rano,
  other,
};

/// A response category recorded for a non-RECIST (or a summary RECIST) assessment.
/// Thread-safety: a value type.
struct disease_assessment {
  response_system system = response_system::other;
  std::string category;  ///< as recorded ("VGPR", "CMR", "PD")
  std::optional<partial_date> date;
  std::optional<std::int32_t> deauville;  ///< Lugano Deauville five-point score, 1-5

  friend bool operator==(const disease_assessment&, const disease_assessment&) = default;
};

CTM_EXPORT std::string_view to_string(imaging_method m) noexcept;
CTM_EXPORT std::optional<imaging_method> parse_imaging_method(std::string_view text) noexcept;
/// "target", "non_target", "new".
CTM_EXPORT std::string_view to_string(lesion_role r) noexcept;
CTM_EXPORT std::optional<lesion_role> parse_lesion_role(std::string_view text) noexcept;
CTM_EXPORT std::string_view to_string(lesion_status s) noexcept;
CTM_EXPORT std::optional<lesion_status> parse_lesion_status(std::string_view text) noexcept;
CTM_EXPORT std::string_view to_string(response_system s) noexcept;
CTM_EXPORT std::optional<response_system> parse_response_system(std::string_view text) noexcept;

}  // namespace ctm
