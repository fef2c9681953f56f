// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/date.hpp>
#include <ctm/core/diagnostic.hpp>
#include <ctm/core/ids.hpp>
#include <ctm/core/quantity.hpp>
#include <ctm/core/result.hpp>
#include <ctm/core/truth.hpp>
#include <ctm/export.hpp>
#include <ctm/history/provenance.hpp>
#include <ctm/patient/lab.hpp>
#include <ctm/patient/patient.hpp>
#include <ctm/vocab/lab_catalog.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ctm::history {

/// A closed interval [low, high] holding a value the record does not pin down: a censored lab
/// ("< 20"), same-day results that disagree, a ULN that depends on an unknown sex, an age known
/// to the year. `low == high` when the value is known. Bounds may be infinite.
struct bounds {
  double low = 0.0;
  double high = 0.0;

  [[nodiscard]] bool is_exact() const noexcept { return low == high; }
  friend bool operator==(const bounds&, const bounds&) = default;
};

/// `value >= threshold` over every value in `b`: yes, no, or unknown when the interval straddles
/// the threshold (inclusive, as "ANC >= 1.5" is written).
CTM_EXPORT truth at_least(const bounds& b, double threshold) noexcept;
/// `value <= threshold`, three-valued likewise.
CTM_EXPORT truth at_most(const bounds& b, double threshold) noexcept;

/// Where the ULN of a lab fact came from (domain definitions 4.4).
enum class uln_source : std::uint8_t {
  none,             ///< no ULN: neither the result nor the catalogue has one
  result_range,     ///< the result's own reference range (preferred)
  default_range,    ///< the catalogue's default ("derived_with_default_uln")
  default_by_sex,   ///< the catalogue's default for the patient's recorded sex
  default_any_sex,  ///< sex unknown and the sex-specific defaults differ: bounds span both
};
CTM_EXPORT std::string_view to_string(uln_source s) noexcept;

/// What to do with several results of one analyte on the latest day.
enum class same_day_rule : std::uint8_t {
  span,           ///< the value is the interval over them (unknown when a threshold splits them)
  last_recorded,  ///< the one recorded last wins (a warning names the others)
};

/// Options of the lab functions.
struct lab_options {
  /// Default look-back window for "the most recent result": 28 days, the wider of the screening
  /// windows domain section 5.3 calls common (14 or 28 days); trials pass their own.
  duration window = days(28);
  same_day_rule ties = same_day_rule::span;
};

/// The most recent result of one analyte, normalised, with its ULN multiple.
struct lab_fact {
  analyte_id analyte{};
  std::string analyte_code;
  std::optional<bounds> value;    ///< in `unit`; nullopt = unknown (no usable result)
  std::optional<ctm::unit> unit;  ///< the analyte's canonical unit
  std::optional<qualitative_result> qualitative;  ///< for qualitative analytes
  std::optional<ctm::comparator> comparator;      ///< a censored result ("< 20")
  std::optional<partial_date> date;
  std::optional<bounds> uln;           ///< upper limit of normal, in `unit`
  std::optional<bounds> uln_multiple;  ///< value / ULN
  uln_source uln_from = uln_source::none;
  /// Lower limit of normal, in `unit`, chosen like the ULN from the range's low end (absent when
  /// the range has no positive low end: "0-40 U/L" has no usable LLN).
  std::optional<bounds> lln;
  uln_source lln_from = uln_source::none;  ///< where `lln` came from (same sources as the ULN)
  provenance source;
  std::vector<diagnostic> notes;

  friend bool operator==(const lab_fact&, const lab_fact&) = default;
};

/// The analytes one lab result names: by its LOINC code and by its `analyte` text, each looked
/// up in the catalogue (either may be absent). Thread-safety: a value type.
struct resolved_lab {
  std::optional<analyte_id> by_loinc;  ///< the analyte whose LOINC group holds the code
  std::optional<analyte_id> by_name;   ///< the analyte the text names (code, name or synonym)

  /// The analyte the result belongs to: by LOINC when the catalogue knows the code, else by name.
  [[nodiscard]] std::optional<analyte_id> analyte() const noexcept {
    return by_loinc ? by_loinc : by_name;
  }
  friend bool operator==(const resolved_lab&, const resolved_lab&) = default;
};

/// Every lab result of one patient resolved against one lab catalogue, once: the LOINC and name
/// look-ups (text normalisation and hashing) that `latest_lab` would otherwise repeat for each
/// result on every analyte it is asked about. Build it once per patient and pass it to the
/// `latest_lab` and `creatinine_clearance` overloads that take it; they give exactly the facts
/// of the plain overloads.
///
/// It holds no reference to the patient or the catalogue, only their analyte ids and the results'
/// positions in `patient::labs`, so it is meaningful only with the patient and catalogue it was
/// built from. Thread-safety: immutable after construction; safe to read from many threads.
class CTM_EXPORT lab_resolution {
 public:
  /// No results (a patient without labs).
  lab_resolution() = default;
  /// Resolves every result of `p.labs` against `catalog`. Complexity: one LOINC and one name
  /// look-up per result, then O(n log n) in the number of results. Throws only `std::bad_alloc`.
  lab_resolution(const patient& p, const vocab::lab_catalog& catalog);

  /// One entry per result, parallel to `patient::labs`.
  [[nodiscard]] const std::vector<resolved_lab>& results() const noexcept { return results_; }
  /// The positions in `patient::labs` of the results whose LOINC code or text names `analyte`
  /// (whichever wins), ascending; every other result can neither match nor conflict with it.
  /// Complexity: O(log n).
  [[nodiscard]] std::span<const std::uint32_t> naming(analyte_id analyte) const noexcept;
  /// The distinct analytes the results belong to (`resolved_lab::analyte`), ascending.
  [[nodiscard]] std::vector<analyte_id> analytes() const;

  friend bool operator==(const lab_resolution&, const lab_resolution&) = default;

 private:
  std::vector<resolved_lab> results_;
  /// For each analyte a result names by LOINC or by text, the analyte and the result's position,
  /// sorted by (analyte, position): `named_[k]` is named by result `positions_[k]`.
  std::vector<analyte_id> named_;
  std::vector<std::uint32_t> positions_;
};

/// The most recent result of `analyte` with a date in [as_of - window, as_of] (both inclusive).
///
/// A result belongs to the analyte when its LOINC code is in the analyte's LOINC group, or, with no
/// LOINC code the catalogue knows, when its `analyte` text names it (code, name or synonym). Values
/// are converted to the analyte's canonical unit with `ctm::convert` and its molar mass. The ULN
/// is the result's own range high first (domain 4.4), else the catalogue default for the
/// patient's sex (female/male), else the general default; with sex unknown or other and
/// sex-specific defaults that differ, the ULN (and the multiple) is the interval over both.
/// Censored values are bounds: "< 20" is [0, 20]. Skipped with a note (severity error): results
/// without a date (`/labs/N/date`), with a unit that does not convert to the analyte's
/// (`/labs/N/unit`), with a negative or non-finite value (`/labs/N/value`). Results with a partial
/// date that may or may not fall in the window are skipped with a warning. Several results on the
/// latest day: `options.ties`. Thread-safety: a pure function.
/// Complexity: resolves every result of `p.labs` (one LOINC and one name look-up each); to ask
/// about several analytes of one patient, resolve once and use the overload below.
CTM_EXPORT lab_fact latest_lab(const patient& p, analyte_id analyte,
                               const vocab::lab_catalog& catalog, date as_of,
                               const lab_options& options = {});
/// As above with the results already resolved: the same fact (value, ULN, provenance, reason
/// and notes), without any catalogue look-up. Precondition: `resolved` was built from `p` and
/// `catalog` (its size is checked in Debug builds). Complexity: linear in the results that name
/// `analyte`; JSON pointers are built only for notes written and records cited.
/// Thread-safety: a pure function.
CTM_EXPORT lab_fact latest_lab(const patient& p, const lab_resolution& resolved, analyte_id analyte,
                               const vocab::lab_catalog& catalog, date as_of,
                               const lab_options& options = {});

/// Which body weight Cockcroft-Gault uses.
enum class body_weight_kind : std::uint8_t {
  actual,    ///< the measured weight (the original formula; default)
  ideal,     ///< Devine: 50 kg (male) / 45.5 kg (female) + 2.3 kg per inch over 5 feet
  adjusted,  ///< ideal + 0.4 x (actual - ideal) when actual exceeds ideal, else actual
};

/// The Cockcroft-Gault variants of domain section 4.5.
struct cockcroft_gault_options {
  body_weight_kind weight = body_weight_kind::actual;
  double female_factor = 0.85;
  std::optional<double> min_creatinine_mg_dl;  ///< floor some protocols apply (0.7 or 0.8)
  std::optional<double> max_clearance_ml_min;  ///< cap some protocols apply (125)
};

/// Cockcroft-Gault creatinine clearance in mL/min (Cockcroft DW, Gault MH, Nephron 1976;16:31-41;
/// domain 4.5): ((140 - age) x weight) / (72 x SCr mg/dL), x 0.85 for women. Serum creatinine in
/// umol/L is converted by the exact factor 88.4 first (`quantity` overload).
/// Errors: `errc::invalid_value` for age outside 0-139, weight or creatinine not positive and
/// finite, sex neither female nor male; `errc::missing_value` for the ideal or adjusted weight
/// without a height. Thread-safety: a pure function.
CTM_EXPORT result<quantity> cockcroft_gault(int age_years, double weight_kg, double scr_mg_dl,
                                            ctm::sex sex,
                                            const cockcroft_gault_options& options = {},
                                            std::optional<double> height_cm = std::nullopt);
/// As above with the creatinine as a quantity (mg/dL or umol/L). Errors: also
/// `errc::incompatible_units`.
CTM_EXPORT result<quantity> cockcroft_gault(int age_years, double weight_kg, quantity creatinine,
                                            ctm::sex sex,
                                            const cockcroft_gault_options& options = {},
                                            std::optional<double> height_cm = std::nullopt);

/// Options of `creatinine_clearance`.
struct creatinine_clearance_options {
  lab_options labs{};                 ///< window for creatinine and measured clearance
  duration weight_window = days(28);  ///< how old the body weight may be (as the lab window)
  std::string creatinine_analyte = "creatinine";          ///< catalogue code of serum creatinine
  std::string measured_analyte = "creatinine_clearance";  ///< measured (24-h urine) clearance
  bool prefer_measured = true;  ///< a measured clearance in the window wins over the formula
  cockcroft_gault_options formula{};
};

/// How a clearance fact was obtained.
enum class clearance_method : std::uint8_t { none, measured, cockcroft_gault };
CTM_EXPORT std::string_view to_string(clearance_method m) noexcept;

/// Creatinine clearance in mL/min: a bound interval, unknown (nullopt) when an input is missing.
struct clearance_fact {
  std::optional<bounds> value;  ///< mL/min
  clearance_method method = clearance_method::none;
  std::vector<std::string> missing;  ///< the inputs that were missing ("serum creatinine", ...)
  provenance source;
  std::vector<diagnostic> notes;

  friend bool operator==(const clearance_fact&, const clearance_fact&) = default;
};

/// The patient's creatinine clearance on `as_of` (domain 4.4-4.5): a measured clearance in the
/// lab window if there is one (and `prefer_measured`), else Cockcroft-Gault from the latest serum
/// creatinine, the latest body weight within `weight_window` (and height for ideal or adjusted
/// weight), the age on `as_of` and the sex. Sex unknown gives the interval between the female
/// and male results; a birth date known to the month or year gives the interval over the
/// possible ages; same-day creatinine results that differ give the interval likewise. Each
/// missing input is named in `missing` and the value is unknown.
/// Thread-safety: a pure function.
CTM_EXPORT clearance_fact creatinine_clearance(const patient& p, const vocab::lab_catalog& catalog,
                                               date as_of,
                                               const creatinine_clearance_options& options = {});
/// As above with the lab results already resolved (see `lab_resolution`): the same fact.
/// Precondition: `resolved` was built from `p` and `catalog`. Thread-safety: a pure function.
CTM_EXPORT clearance_fact creatinine_clearance(const patient& p, const lab_resolution& resolved,
                                               const vocab::lab_catalog& catalog, date as_of,
                                               const creatinine_clearance_options& options = {});

}  // namespace ctm::history
