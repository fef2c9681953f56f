// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/date.hpp>
#include <ctm/core/quantity.hpp>
#include <ctm/export.hpp>
#include <ctm/patient/assessment.hpp>
#include <ctm/patient/biomarker.hpp>
#include <ctm/patient/condition.hpp>
#include <ctm/patient/diagnosis.hpp>
#include <ctm/patient/lab.hpp>
#include <ctm/patient/performance_status.hpp>
#include <ctm/patient/procedure.hpp>
#include <ctm/patient/progression.hpp>
#include <ctm/patient/treatment.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ctm {

/// Sex as recorded (administrative or biological, whichever the source holds).
enum class sex : std::uint8_t { female, male, other, unknown };

/// A dated body measurement: weight (in kg or g) or height (in cm or m).
struct body_measurement {
  quantity value;
  std::optional<partial_date> date;

  friend bool operator==(const body_measurement&, const body_measurement&) = default;
};

/// A point on the globe in decimal degrees (WGS 84).
struct geo_point {
  double latitude = 0.0;
  double longitude = 0.0;

  friend bool operator==(const geo_point&, const geo_point&) = default;
};

/// A patient's record: the facts as entered, with no derived facts and no "as of" date.
///
/// Lines of therapy, responses, refractoriness and the like are derived from this record by the
/// history module. Every list is in recorded order (not sorted); a missing fact is an absent
/// optional or an empty list, which later stages treat as unknown. Impossible values are kept
/// so that `validate` can report them. Thread-safety: a value type.
struct patient {
  std::string id;  ///< identifier (never printed in messages)
  std::optional<partial_date> birth_date;
  ctm::sex sex = sex::unknown;
  std::optional<geo_point> location;
  std::optional<double> max_travel_km;  ///< how far the patient will travel, in kilometres
  std::vector<body_measurement> weights;
  std::vector<body_measurement> heights;
  std::vector<diagnosis> diagnoses;
  std::vector<metastasis> metastases;
  std::vector<biomarker_result> biomarkers;
  std::vector<lab_result> labs;
  std::vector<performance_status> performance;
  std::vector<condition> conditions;
  std::vector<drug_administration> treatments;
  std::vector<procedure> procedures;
  std::vector<tumour_assessment> tumour_assessments;
  std::vector<disease_assessment> disease_assessments;
  std::vector<progression_event> progressions;

  friend bool operator==(const patient&, const patient&) = default;
};

CTM_EXPORT std::string_view to_string(ctm::sex s) noexcept;
CTM_EXPORT std::optional<ctm::sex> parse_sex(std::string_view text) noexcept;

}  // namespace ctm
