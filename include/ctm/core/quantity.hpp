// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/result.hpp>
#include <ctm/export.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace ctm {

/// The UCUM units clinical eligibility needs (domain definitions, section 5.4), plus the few that
/// formulas and dosing criteria use. Parsing accepts the UCUM code and common spellings
/// ("x10^9/L", "K/uL", "mg/dl"); `ucum_code()` gives the canonical UCUM spelling back.
enum class unit : std::uint8_t {
  // number concentration
  giga_per_litre,           ///< 10*9/L (canonical for cell counts)
  thousand_per_microlitre,  ///< 10*3/uL (= 10*9/L)
  per_microlitre,           ///< /uL (= /mm3; 1000 /uL = 1 10*9/L)
  per_cubic_millimetre,     ///< /mm3
  mega_per_litre,           ///< 10*6/L
  twelve_per_litre,         ///< 10*12/L (red cells)
  copies_per_millilitre,    ///< {copies}/mL (viral load)
  // mass concentration
  gram_per_decilitre,       ///< g/dL
  gram_per_litre,           ///< g/L
  milligram_per_decilitre,  ///< mg/dL
  milligram_per_litre,      ///< mg/L
  microgram_per_litre,      ///< ug/L (= ng/mL)
  nanogram_per_millilitre,  ///< ng/mL
  nanogram_per_decilitre,   ///< ng/dL
  // substance concentration
  millimole_per_litre,  ///< mmol/L
  micromole_per_litre,  ///< umol/L
  nanomole_per_litre,   ///< nmol/L
  // catalytic and arbitrary activity concentration
  unit_per_litre,                     ///< U/L
  international_unit_per_litre,       ///< [IU]/L (treated as U/L for enzymes)
  microkatal_per_litre,               ///< ukat/L (1 ukat/L = 60 U/L)
  unit_per_millilitre,                ///< U/mL (CA-125)
  international_unit_per_millilitre,  ///< [IU]/mL (HCV RNA)
  // volume flow (clearance); the BSA-normalised form is a different quantity
  millilitre_per_minute,              ///< mL/min
  millilitre_per_minute_per_1_73_m2,  ///< mL/min/{1.73_m2} (eGFR)
  // length
  millimetre,  ///< mm
  centimetre,  ///< cm
  metre,       ///< m
  // mass (body weight, doses)
  kilogram,           ///< kg
  gram,               ///< g
  milligram,          ///< mg
  milligram_per_day,  ///< mg/d (steroid dose)
  // time; months and years are calendar periods, not fixed day counts
  day,          ///< d
  week,         ///< wk
  millisecond,  ///< ms (QT intervals)
  month,        ///< mo
  year,         ///< a
  // dimensionless
  percent,                 ///< %
  one,                     ///< 1 (a ratio such as INR)
  mutations_per_megabase,  ///< {mutations}/Mb (tumour mutational burden)
};

/// What a unit measures; only units of the same dimension convert without extra knowledge.
enum class dimension : std::uint8_t {
  number_concentration,
  mass_concentration,
  substance_concentration,
  catalytic_concentration,
  volume_flow,
  volume_flow_per_area,
  length,
  mass,
  mass_rate,
  fixed_time,     ///< days and weeks
  calendar_time,  ///< months and years
  fraction,       ///< percent and ratio
  per_megabase,
};

/// The canonical UCUM code, e.g. "10*9/L".
CTM_EXPORT std::string_view ucum_code(unit u) noexcept;
/// What `u` measures.
CTM_EXPORT dimension dimension_of(unit u) noexcept;
/// "number concentration", "mass concentration", ...
CTM_EXPORT std::string_view to_string(dimension d) noexcept;

/// Parses a UCUM code or a common spelling of one (case-insensitive where UCUM is unambiguous).
/// Errors: `errc::unknown_unit`.
CTM_EXPORT result<unit> parse_unit(std::string_view text);

/// Molar mass of an analyte, in g/mol: what converts mass to substance concentration. The lab
/// catalogue (vocab module) holds the value for each analyte.
struct molar_mass {
  double grams_per_mole = 0.0;
};

/// A measured value with its unit.
struct quantity {
  double value = 0.0;
  ctm::unit unit = unit::one;

  friend bool operator==(const quantity&, const quantity&) = default;
};

/// Converts within one dimension ("10*3/uL" -> "10*9/L", "umol/L" -> "nmol/L", "wk" -> "d",
/// "a" -> "mo"). Errors: `errc::incompatible_units` (different dimensions, or days to calendar
/// months), `errc::needs_molar_mass` (mass <-> substance: use the overload below),
/// `errc::not_a_number` (a NaN or infinite value).
CTM_EXPORT result<quantity> convert(quantity q, unit to);

/// As above, and also between mass and substance concentration using the analyte's molar mass:
/// creatinine 88.4 umol/L = 1.0 mg/dL with M = 10000/88.4 g/mol.
CTM_EXPORT result<quantity> convert(quantity q, unit to, molar_mass analyte);

/// "1.5 10*9/L".
CTM_EXPORT std::string to_string(const quantity& q);

}  // namespace ctm
