// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include <ctm/core/quantity.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <string>

namespace ctm {
namespace {

// One row per unit: canonical UCUM code, what it measures and its factor to the dimension's base
// (/L, g/L, mol/L, U/L, mL/min, mm, g, mg/d, d, mo, 1, /Mb). Conversions and their published
// equivalences are in the domain definitions, section 5.4.
struct unit_info {
  unit id;
  std::string_view ucum;
  dimension dim;
  double to_base;
};

constexpr std::array<unit_info, 39> units{{
    {unit::giga_per_litre, "10*9/L", dimension::number_concentration, 1e9},
    {unit::thousand_per_microlitre, "10*3/uL", dimension::number_concentration, 1e9},
    {unit::per_microlitre, "/uL", dimension::number_concentration, 1e6},
    {unit::per_cubic_millimetre, "/mm3", dimension::number_concentration, 1e6},
    {unit::mega_per_litre, "10*6/L", dimension::number_concentration, 1e6},
    {unit::twelve_per_litre, "10*12/L", dimension::number_concentration, 1e12},
    {unit::copies_per_millilitre, "{copies}/mL", dimension::number_concentration, 1e3},
    {unit::gram_per_decilitre, "g/dL", dimension::mass_concentration, 10.0},
    {unit::gram_per_litre, "g/L", dimension::mass_concentration, 1.0},
    {unit::milligram_per_decilitre, "mg/dL", dimension::mass_concentration, 1e-2},
    {unit::milligram_per_litre, "mg/L", dimension::mass_concentration, 1e-3},
    {unit::microgram_per_litre, "ug/L", dimension::mass_concentration, 1e-6},
    {unit::nanogram_per_millilitre, "ng/mL", dimension::mass_concentration, 1e-6},
    {unit::nanogram_per_decilitre, "ng/dL", dimension::mass_concentration, 1e-8},
    {unit::millimole_per_litre, "mmol/L", dimension::substance_concentration, 1e-3},
    {unit::micromole_per_litre, "umol/L", dimension::substance_concentration, 1e-6},
    {unit::nanomole_per_litre, "nmol/L", dimension::substance_concentration, 1e-9},
    {unit::unit_per_litre, "U/L", dimension::catalytic_concentration, 1.0},
    {unit::international_unit_per_litre, "[IU]/L", dimension::catalytic_concentration, 1.0},
    {unit::microkatal_per_litre, "ukat/L", dimension::catalytic_concentration, 60.0},
    {unit::unit_per_millilitre, "U/mL", dimension::catalytic_concentration, 1e3},
    {unit::international_unit_per_millilitre, "[IU]/mL", dimension::catalytic_concentration, 1e3},
    {unit::millilitre_per_minute, "mL/min", dimension::volume_flow, 1.0},
    {unit::millilitre_per_minute_per_1_73_m2, "mL/min/{1.73_m2}", dimension::volume_flow_per_area,
     1.0},
    {unit::millimetre, "mm", dimension::length, 1.0},
    {unit::centimetre, "cm", dimension::length, 10.0},
    {unit::metre, "m", dimension::length, 1000.0},
    {unit::kilogram, "kg", dimension::mass, 1000.0},
    {unit::gram, "g", dimension::mass, 1.0},
    {unit::milligram, "mg", dimension::mass, 1e-3},
    {unit::milligram_per_day, "mg/d", dimension::mass_rate, 1.0},
    {unit::day, "d", dimension::fixed_time, 1.0},
    {unit::week, "wk", dimension::fixed_time, 7.0},
    {unit::millisecond, "ms", dimension::fixed_time, 1.0 / 86'400'000.0},
    {unit::month, "mo", dimension::calendar_time, 1.0},
    {unit::year, "a", dimension::calendar_time, 12.0},
    {unit::percent, "%", dimension::fraction, 0.01},
    {unit::one, "1", dimension::fraction, 1.0},
    {unit::mutations_per_megabase, "{mutations}/Mb", dimension::per_megabase, 1.0},
}};

const unit_info& info(unit u) noexcept { return units[static_cast<std::size_t>(u)]; }

// Spellings seen in lab systems and trial text, after lower-casing and removing spaces.
struct alias {
  std::string_view text;
  unit id;
};
constexpr std::array<alias, 52> aliases{{
    {"10*9/l", unit::giga_per_litre},
    {"10^9/l", unit::giga_per_litre},
    {"x10^9/l", unit::giga_per_litre},
    {"x10*9/l", unit::giga_per_litre},
    {"10e9/l", unit::giga_per_litre},
    {"10*3/ul", unit::thousand_per_microlitre},
    {"10^3/ul", unit::thousand_per_microlitre},
    {"x10^3/ul", unit::thousand_per_microlitre},
    {"k/ul", unit::thousand_per_microlitre},
    {"10*3/mm3", unit::thousand_per_microlitre},
    {"/ul", unit::per_microlitre},
    {"cells/ul", unit::per_microlitre},
    {"/mm3", unit::per_cubic_millimetre},
    {"cells/mm3", unit::per_cubic_millimetre},
    {"10*6/l", unit::mega_per_litre},
    {"10*12/l", unit::twelve_per_litre},
    {"{copies}/ml", unit::copies_per_millilitre},
    {"copies/ml", unit::copies_per_millilitre},
    {"g/dl", unit::gram_per_decilitre},
    {"g/l", unit::gram_per_litre},
    {"mg/dl", unit::milligram_per_decilitre},
    {"mg/l", unit::milligram_per_litre},
    {"ug/l", unit::microgram_per_litre},
    {"µg/l", unit::microgram_per_litre},
    {"ng/ml", unit::nanogram_per_millilitre},
    {"ng/dl", unit::nanogram_per_decilitre},
    {"mmol/l", unit::millimole_per_litre},
    {"umol/l", unit::micromole_per_litre},
    {"µmol/l", unit::micromole_per_litre},
    {"nmol/l", unit::nanomole_per_litre},
    {"u/l", unit::unit_per_litre},
    {"[iu]/l", unit::international_unit_per_litre},
    {"iu/l", unit::international_unit_per_litre},
    {"ukat/l", unit::microkatal_per_litre},
    {"µkat/l", unit::microkatal_per_litre},
    {"u/ml", unit::unit_per_millilitre},
    {"ku/l", unit::unit_per_millilitre},
    {"[iu]/ml", unit::international_unit_per_millilitre},
    {"iu/ml", unit::international_unit_per_millilitre},
    {"ml/min", unit::millilitre_per_minute},
    {"ml/min/{1.73_m2}", unit::millilitre_per_minute_per_1_73_m2},
    {"ml/min/1.73m2", unit::millilitre_per_minute_per_1_73_m2},
    {"ml/min/1.73m^2", unit::millilitre_per_minute_per_1_73_m2},
    {"mg/day", unit::milligram_per_day},
    {"days", unit::day},
    {"weeks", unit::week},
    {"msec", unit::millisecond},
    {"months", unit::month},
    {"years", unit::year},
    {"{ratio}", unit::one},
    {"{inr}", unit::one},
    {"mut/mb", unit::mutations_per_megabase},
}};

std::string fold(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == ' ') continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

bool is_finite(double v) noexcept { return std::isfinite(v); }

error unit_error(errc code, std::string message) { return error{code, std::move(message), {}}; }

}  // namespace

std::string_view ucum_code(unit u) noexcept { return info(u).ucum; }

dimension dimension_of(unit u) noexcept { return info(u).dim; }

std::string_view to_string(dimension d) noexcept {
  switch (d) {
    case dimension::number_concentration:
      return "number concentration";
    case dimension::mass_concentration:
      return "mass concentration";
    case dimension::substance_concentration:
      return "substance concentration";
    case dimension::catalytic_concentration:
      return "catalytic concentration";
    case dimension::volume_flow:
      return "volume flow";
    case dimension::volume_flow_per_area:
      return "volume flow per body surface area";
    case dimension::length:
      return "length";
    case dimension::mass:
      return "mass";
    case dimension::mass_rate:
      return "mass per day";
    case dimension::fixed_time:
      return "time in days";
    case dimension::calendar_time:
      return "calendar time";
    case dimension::fraction:
      return "fraction";
    case dimension::per_megabase:
      return "count per megabase";
  }
  return "unknown";
}

result<unit> parse_unit(std::string_view text) {
  // Exact UCUM codes first: UCUM is case-sensitive ("mm" millimetre vs "Mm" megametre).
  for (const auto& u : units) {
    if (u.ucum == text) return u.id;
  }
  const std::string folded = fold(text);
  for (const auto& a : aliases) {
    if (a.text == folded) return a.id;
  }
  for (const auto& u : units) {
    if (fold(u.ucum) == folded) return u.id;
  }
  return unit_error(errc::unknown_unit, "unit is not a UCUM code ctm knows");
}

result<quantity> convert(quantity q, unit to) {
  if (!is_finite(q.value)) return unit_error(errc::not_a_number, "value is not a finite number");
  const unit_info& from_info = info(q.unit);
  const unit_info& to_info = info(to);
  if (from_info.dim == to_info.dim) {
    return quantity{q.value * from_info.to_base / to_info.to_base, to};
  }
  const auto is_molar_pair = [](dimension a, dimension b) {
    return (a == dimension::mass_concentration && b == dimension::substance_concentration) ||
           (a == dimension::substance_concentration && b == dimension::mass_concentration);
  };
  if (is_molar_pair(from_info.dim, to_info.dim)) {
    return unit_error(errc::needs_molar_mass,
                      "converting between mass and substance concentration needs the analyte's "
                      "molar mass");
  }
  const auto is_time = [](dimension d) {
    return d == dimension::fixed_time || d == dimension::calendar_time;
  };
  if (is_time(from_info.dim) && is_time(to_info.dim)) {
    return unit_error(errc::incompatible_units,
                      "calendar months and years are not a fixed number of days");
  }
  std::string message = "cannot convert ";
  message += to_string(from_info.dim);
  message += " (";
  message += from_info.ucum;
  message += ") to ";
  message += to_string(to_info.dim);
  message += " (";
  message += to_info.ucum;
  message += ")";
  return unit_error(errc::incompatible_units, std::move(message));
}

result<quantity> convert(quantity q, unit to, molar_mass analyte) {
  if (!(analyte.grams_per_mole > 0.0) || !is_finite(analyte.grams_per_mole)) {
    return unit_error(errc::needs_molar_mass, "molar mass must be a positive number");
  }
  const dimension from_dim = dimension_of(q.unit);
  const dimension to_dim = dimension_of(to);
  if (from_dim == dimension::substance_concentration && to_dim == dimension::mass_concentration) {
    if (!is_finite(q.value)) return unit_error(errc::not_a_number, "value is not a finite number");
    // mol/L x g/mol = g/L
    const double grams_per_litre = q.value * info(q.unit).to_base * analyte.grams_per_mole;
    return quantity{grams_per_litre / info(to).to_base, to};
  }
  if (from_dim == dimension::mass_concentration && to_dim == dimension::substance_concentration) {
    if (!is_finite(q.value)) return unit_error(errc::not_a_number, "value is not a finite number");
    const double moles_per_litre = q.value * info(q.unit).to_base / analyte.grams_per_mole;
    return quantity{moles_per_litre / info(to).to_base, to};
  }
  return convert(q, to);
}

std::string to_string(const quantity& q) {
  std::array<char, 32> buf{};
  std::snprintf(buf.data(), buf.size(), "%g", q.value);
  std::string out = buf.data();
  out += ' ';
  out += ucum_code(q.unit);
  return out;
}

}  // namespace ctm
