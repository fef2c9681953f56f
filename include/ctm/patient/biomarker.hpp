// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/date.hpp>
#include <ctm/core/quantity.hpp>
#include <ctm/export.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ctm {

/// What kind of biomarker a result reports.
enum class biomarker_kind : std::uint8_t {
  mutation,       ///< a sequence variant (SNV, indel, exon deletion)
  amplification,  ///< copy-number gain
  deletion,       ///< copy-number loss
  fusion,         ///< a rearrangement; `alteration` names the partner ("EML4-ALK")
  expression,     ///< protein or RNA expression (HER2 IHC, CD20)
  msi,            ///< microsatellite instability; `detected` means MSI-high
  mmr,            ///< mismatch-repair IHC; `detected` means deficient (dMMR)
  tmb,            ///< tumour mutational burden, value in {mutations}/Mb
  pd_l1,          ///< PD-L1 expression, value in % (TPS) or a score (CPS)
  other,
};

/// The outcome of a test for one biomarker.
///
/// "Not tested" is not a status: it is the absence of any `biomarker_result` for that gene (and
/// kind). A `not_detected` result means the patient WAS tested and the alteration was not found.
enum class test_status : std::uint8_t {
  detected,
  not_detected,   ///< tested negative
  indeterminate,  ///< tested, but the test failed or was equivocal
};

/// One biomarker test result as reported. Thread-safety: a value type.
struct biomarker_result {
  std::string gene;        ///< HGNC symbol ("EGFR"); empty for MSI, MMR and TMB
  std::string alteration;  ///< "p.L858R", "exon 19 deletion", "V600E", "EML4-ALK"; may be empty
  biomarker_kind kind = biomarker_kind::mutation;
  test_status status = test_status::detected;
  std::optional<quantity> value;  ///< TMB, PD-L1 score, expression level, allele fraction
  std::string scoring;   ///< how `value` is scored: "TPS", "CPS", "IC", "VAF"; may be empty
  std::string assay;     ///< assay or panel as written ("22C3", "FoundationOne CDx")
  std::string specimen;  ///< "tissue", "plasma", ...; may be empty
  std::optional<partial_date> date;  ///< report or specimen date

  friend bool operator==(const biomarker_result&, const biomarker_result&) = default;
};

CTM_EXPORT std::string_view to_string(biomarker_kind k) noexcept;
CTM_EXPORT std::optional<biomarker_kind> parse_biomarker_kind(std::string_view text) noexcept;
CTM_EXPORT std::string_view to_string(test_status s) noexcept;
CTM_EXPORT std::optional<test_status> parse_test_status(std::string_view text) noexcept;

}  // namespace ctm
