// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/error.hpp>
#include <ctm/core/ids.hpp>
#include <ctm/core/quantity.hpp>
#include <ctm/core/result.hpp>
#include <ctm/export.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ctm::vocab {

/// A reference range. In the lab catalog these are population defaults for when a site's own
/// range is not recorded with the result, never a substitute for the site's range.
/// Thread-safety: thread-compatible (a value type).
struct reference_range {
  std::optional<double> low;      ///< lower limit of normal (LLN); may be absent
  std::optional<double> high;     ///< upper limit of normal (ULN); may be absent
  std::optional<ctm::unit> unit;  ///< absent only for analytes without a unit (QTcF in ms)

  friend bool operator==(const reference_range&, const reference_range&) = default;
};

/// Which default range applies.
enum class reference_sex : std::uint8_t { unspecified, female, male };

/// A laboratory analyte: the LOINC codes that measure it, its units and default ranges.
/// Thread-safety: thread-compatible (a value type).
struct analyte {
  std::string code;                           ///< e.g. "anc"
  std::string name;                           ///< e.g. "Absolute neutrophil count"
  std::vector<std::string> synonyms;          ///< e.g. "ANC"
  std::vector<std::string> loinc;             ///< LOINC codes of this analyte, e.g. "751-8"
  std::optional<ctm::unit> unit;              ///< canonical unit; absent for qualitative analytes
  std::vector<ctm::unit> units;               ///< every unit results may come in (includes `unit`)
  bool qualitative = false;                   ///< positive/negative rather than a number
  std::optional<ctm::molar_mass> molar_mass;  ///< converts mass <-> substance concentration
  std::optional<reference_range> default_range;
  std::optional<reference_range> default_range_female;
  std::optional<reference_range> default_range_male;
  std::string note;
  ctm::location where;

  friend bool operator==(const analyte& a, const analyte& b) {
    const auto mm = [](const std::optional<ctm::molar_mass>& m) {
      return m ? m->grams_per_mole : -1.0;
    };
    return a.code == b.code && a.name == b.name && a.synonyms == b.synonyms && a.loinc == b.loinc &&
           a.unit == b.unit && a.units == b.units && a.qualitative == b.qualitative &&
           mm(a.molar_mass) == mm(b.molar_mass) && a.default_range == b.default_range &&
           a.default_range_female == b.default_range_female &&
           a.default_range_male == b.default_range_male && a.note == b.note && a.where == b.where;
  }
};

namespace detail {
struct lab_catalog_impl;
}

/// The laboratory analytes eligibility criteria ask about, with their LOINC code groups, units
/// and default reference ranges. Thread-safety: immutable; copies share state.
class CTM_EXPORT lab_catalog {
 public:
  [[nodiscard]] std::size_t size() const noexcept;
  /// A file name or "bundled".
  [[nodiscard]] const std::string& source_name() const noexcept;
  /// The note the file gives about its default ranges (they are defaults, not a site's ranges).
  [[nodiscard]] const std::string& default_range_note() const noexcept;

  /// The analyte whose code, name or synonym matches `text` ignoring case and punctuation; codes
  /// win over names, names over synonyms.
  [[nodiscard]] std::optional<analyte_id> find(std::string_view text) const;
  /// The analyte whose LOINC group contains `loinc_code` ("751-8").
  [[nodiscard]] std::optional<analyte_id> find_by_loinc(std::string_view loinc_code) const;

  /// Precondition: `id.value < size()`.
  [[nodiscard]] const analyte& get(analyte_id id) const noexcept;
  [[nodiscard]] const analyte& operator[](analyte_id id) const noexcept { return get(id); }

  /// The sex-specific default range when there is one, else the general default.
  [[nodiscard]] std::optional<reference_range> default_range(analyte_id id,
                                                             reference_sex sex) const noexcept;

 private:
  friend class lab_catalog_builder;
  explicit lab_catalog(std::shared_ptr<const detail::lab_catalog_impl> impl);
  std::shared_ptr<const detail::lab_catalog_impl> impl_;
};

/// Collects analytes and freezes them into a `lab_catalog`.
///
/// `build()` returns the first problem, in order: `errc::invalid_code`, `errc::empty_name`,
/// `errc::duplicate_code` (a code, or a LOINC code in two analytes), `errc::incompatible_units`
/// (an allowed unit or a range unit that the canonical unit cannot be converted to, using the
/// molar mass when given), `errc::invalid_range` (low above high); no analytes at all is
/// `errc::empty_vocabulary`. Thread-safety: not thread-safe.
class CTM_EXPORT lab_catalog_builder {
 public:
  explicit lab_catalog_builder(std::string source_name = {}, std::string default_range_note = {});

  /// Adds an analyte; its canonical unit is added to `units` when missing.
  void add(analyte a);
  [[nodiscard]] std::size_t size() const noexcept { return analytes_.size(); }

  [[nodiscard]] result<lab_catalog> build() const;

 private:
  std::string source_name_;
  std::string note_;
  std::vector<analyte> analytes_;
};

}  // namespace ctm::vocab
