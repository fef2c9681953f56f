// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/diagnostic.hpp>
#include <ctm/export.hpp>
#include <ctm/patient/patient.hpp>

#include <functional>
#include <string_view>
#include <vector>

namespace ctm {

/// Options of `validate`. The lookups let a caller with a drug catalog or a disease vocabulary
/// report names and codes it does not know, without the patient module depending on them.
struct validate_options {
  /// Returns true for a drug name (or RxNorm code) the caller knows; empty = no check.
  std::function<bool(std::string_view name, std::string_view rxnorm)> is_known_drug;
  /// Returns true for a diagnosis code the caller knows; empty = no check.
  std::function<bool(std::string_view code, std::string_view system)> is_known_diagnosis;
};

/// Semantic checks that need no vocabulary: ends before starts, dates before birth, impossible
/// scores (ECOG 7, Karnofsky 55), negative diameters, duplicate lesion ids, units that do not fit
/// the field or analyte, assessments and progressions without dates, human-range weight and
/// height. Each diagnostic's location is the JSON pointer of the field in the native format
/// (`/treatments/3/end`) and its message never contains a recorded value.
///
/// Severity `error` means later stages must ignore the value; `warning` means it is used.
/// Unknown drugs and diagnosis codes (when lookups are given) are warnings with
/// `errc::unknown_code`: the record keeps them as written. Never throws except `std::bad_alloc`.
CTM_EXPORT std::vector<diagnostic> validate(const patient& p, const validate_options& options = {});

}  // namespace ctm
