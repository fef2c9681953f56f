// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/date.hpp>
#include <ctm/core/quantity.hpp>
#include <ctm/core/truth.hpp>
#include <ctm/export.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ctm {

/// Whether a diagnosis record is the first occurrence of the cancer or a recurrence of it.
enum class diagnosis_kind : std::uint8_t { primary, recurrence };

/// A TNM classification as recorded ("T2a", "N1", "M1b"); any part may be empty.
struct tnm_stage {
  std::string t;
  std::string n;
  std::string m;
  std::string edition;  ///< e.g. "AJCC 8"; empty when not recorded

  friend bool operator==(const tnm_stage&, const tnm_stage&) = default;
};

/// A cancer diagnosis as recorded. Codes are kept as written; resolving them against a disease
/// vocabulary happens later, so an unknown code is never dropped. Thread-safety: a value type.
struct diagnosis {
  std::string code;  ///< disease code as written (OncoTree "LUAD", ICD-10 "C34.1", ...)
  std::string
      system;  ///< code system of `code` ("oncotree", "icd10", "icdo3", "snomed"); may be empty
  std::string text;                  ///< free-text description; may be empty
  std::optional<partial_date> date;  ///< date of diagnosis
  diagnosis_kind kind = diagnosis_kind::primary;
  std::string stage;         ///< overall stage as recorded ("IV", "IIIB", "III")
  std::string stage_system;  ///< "AJCC 8", "ISS", "R-ISS", "Ann Arbor", "FIGO"; may be empty
  std::optional<tnm_stage> tnm;
  std::string histology;  ///< ICD-O-3 morphology ("8140/3") or text; may be empty
  /// When the disease became advanced or metastatic (equal to `date` for de-novo stage IV).
  std::optional<partial_date> advanced_date;

  friend bool operator==(const diagnosis&, const diagnosis&) = default;
};

/// Where a metastasis is. Brain and leptomeningeal disease are separate sites (trials treat them
/// differently); `other` takes its description from `metastasis::text`.
enum class metastatic_site : std::uint8_t {
  brain,
  leptomeningeal,
  liver,
  bone,
  lung,
  lymph_node,
  adrenal,
  peritoneum,
  pleura,
  skin,
  other,
};

/// A recorded metastatic site. The CNS fields (`treated`, `last_local_therapy`, `stable_since`,
/// `steroid_dose`) describe brain metastases (domain definitions, section 4.7); they are allowed
/// for other sites but rarely meaningful there. Thread-safety: a value type.
struct metastasis {
  metastatic_site site = metastatic_site::other;
  std::string text;                  ///< description as recorded; required for `other`
  std::optional<partial_date> date;  ///< first documented
  truth symptomatic = truth::unknown;
  truth treated = truth::unknown;  ///< local therapy (surgery, SRS, WBRT) received
  std::optional<partial_date> last_local_therapy;
  std::optional<partial_date> stable_since;  ///< radiographically stable since
  std::optional<quantity> steroid_dose;      ///< current daily corticosteroid dose, in mg/d
  std::string steroid;                       ///< the corticosteroid as written ("dexamethasone")

  friend bool operator==(const metastasis&, const metastasis&) = default;
};

CTM_EXPORT std::string_view to_string(diagnosis_kind k) noexcept;
CTM_EXPORT std::optional<diagnosis_kind> parse_diagnosis_kind(std::string_view text) noexcept;
CTM_EXPORT std::string_view to_string(metastatic_site s) noexcept;
CTM_EXPORT std::optional<metastatic_site> parse_metastatic_site(std::string_view text) noexcept;

}  // namespace ctm
