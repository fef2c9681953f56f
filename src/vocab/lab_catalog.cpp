// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include "vocab/normalize.hpp"

#include <ctm/vocab/lab_catalog.hpp>

#include <algorithm>
#include <unordered_map>
#include <utility>

namespace ctm::vocab {

namespace detail {
struct lab_catalog_impl {
  std::string source;
  std::string note;
  std::vector<analyte> analytes;
  std::unordered_map<std::string, analyte_id> by_key;    // normalize_name of code/name/synonym
  std::unordered_map<std::string, analyte_id> by_loinc;  // upper case, trimmed
};
}  // namespace detail

lab_catalog::lab_catalog(std::shared_ptr<const detail::lab_catalog_impl> impl)
    : impl_(std::move(impl)) {}

std::size_t lab_catalog::size() const noexcept { return impl_->analytes.size(); }
const std::string& lab_catalog::source_name() const noexcept { return impl_->source; }
const std::string& lab_catalog::default_range_note() const noexcept { return impl_->note; }

std::optional<analyte_id> lab_catalog::find(std::string_view text) const {
  const std::string key = vocab::detail::normalize_name(text);
  if (key.empty()) return std::nullopt;
  const auto it = impl_->by_key.find(key);
  if (it == impl_->by_key.end()) return std::nullopt;
  return it->second;
}

std::optional<analyte_id> lab_catalog::find_by_loinc(std::string_view loinc_code) const {
  const auto it = impl_->by_loinc.find(vocab::detail::normalize_code(loinc_code));
  if (it == impl_->by_loinc.end()) return std::nullopt;
  return it->second;
}

const analyte& lab_catalog::get(analyte_id id) const noexcept {
  CTM_ASSERT(id.value < impl_->analytes.size());
  return impl_->analytes[id.value];
}

std::optional<reference_range> lab_catalog::default_range(analyte_id id,
                                                          reference_sex sex) const noexcept {
  const analyte& a = get(id);
  if (sex == reference_sex::female && a.default_range_female) return a.default_range_female;
  if (sex == reference_sex::male && a.default_range_male) return a.default_range_male;
  return a.default_range;
}

// lab_catalog_builder
// ------------------------------------------------------------------------------

namespace {

bool is_blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
  });
}

std::string place(const ctm::location& where) {
  std::string out = ctm::to_string(where);
  return out.empty() ? "an earlier record" : out;
}

// Whether a value in `from` can be expressed in `to` for this analyte.
bool converts(const analyte& a, ctm::unit from, ctm::unit to) {
  if (a.molar_mass) return convert(quantity{1.0, from}, to, *a.molar_mass).has_value();
  return convert(quantity{1.0, from}, to).has_value();
}

std::optional<ctm::error> check_range(const analyte& a, const std::optional<reference_range>& r,
                                      std::string_view which) {
  if (!r) return std::nullopt;
  if (r->unit && a.unit && !converts(a, *r->unit, *a.unit)) {
    return ctm::error{errc::incompatible_units,
                      "the " + std::string(which) + " of '" + a.code + "' is in " +
                          std::string(ucum_code(*r->unit)) + ", which does not convert to " +
                          std::string(ucum_code(*a.unit)),
                      a.where};
  }
  if (r->low && r->high && *r->low > *r->high) {
    return ctm::error{errc::invalid_range,
                      "the " + std::string(which) + " of '" + a.code + "' has low above high",
                      a.where};
  }
  return std::nullopt;
}

}  // namespace

lab_catalog_builder::lab_catalog_builder(std::string source_name, std::string default_range_note)
    : source_name_(std::move(source_name)), note_(std::move(default_range_note)) {}

void lab_catalog_builder::add(analyte a) {
  if (a.unit && std::find(a.units.begin(), a.units.end(), *a.unit) == a.units.end()) {
    a.units.insert(a.units.begin(), *a.unit);
  }
  analytes_.push_back(std::move(a));
}

result<lab_catalog> lab_catalog_builder::build() const {
  if (analytes_.empty()) {
    return ctm::error{
        errc::empty_vocabulary, "the lab catalog defines no analyte", {source_name_, 0, 0, ""}};
  }
  auto impl = std::make_shared<detail::lab_catalog_impl>();
  impl->source = source_name_;
  impl->note = note_;
  std::unordered_map<std::string, std::size_t> codes;
  for (std::size_t i = 0; i < analytes_.size(); ++i) {
    const analyte& a = analytes_[i];
    if (is_blank(a.code)) return ctm::error{errc::invalid_code, "an analyte has no code", a.where};
    if (is_blank(a.name)) {
      return ctm::error{errc::empty_name, "analyte '" + a.code + "' has no name", a.where};
    }
    const auto [it, inserted] = codes.emplace(vocab::detail::normalize_name(a.code), i);
    if (!inserted) {
      return ctm::error{
          errc::duplicate_code,
          "code '" + a.code + "' is already defined at " + place(analytes_[it->second].where),
          a.where};
    }
    const analyte_id id{static_cast<std::uint32_t>(i)};
    for (const std::string& l : a.loinc) {
      const auto [at, fresh] = impl->by_loinc.emplace(vocab::detail::normalize_code(l), id);
      if (!fresh && at->second != id) {
        return ctm::error{errc::duplicate_code,
                          "LOINC " + l + " of '" + a.code + "' already belongs to '" +
                              analytes_[at->second.value].code + "'",
                          a.where};
      }
    }
    if (a.unit) {
      for (const ctm::unit u : a.units) {
        if (!converts(a, u, *a.unit)) {
          return ctm::error{errc::incompatible_units,
                            "unit " + std::string(ucum_code(u)) + " of '" + a.code +
                                "' does not convert to " + std::string(ucum_code(*a.unit)),
                            a.where};
        }
      }
    }
    for (const auto& [range, which] : {std::pair{&a.default_range, "default range"},
                                       std::pair{&a.default_range_female, "female default range"},
                                       std::pair{&a.default_range_male, "male default range"}}) {
      if (auto e = check_range(a, *range, which)) return *e;
    }
  }
  impl->analytes = analytes_;
  for (std::size_t i = 0; i < analytes_.size(); ++i) {
    impl->by_key.emplace(vocab::detail::normalize_name(analytes_[i].code),
                         analyte_id{static_cast<std::uint32_t>(i)});
  }
  for (std::size_t i = 0; i < analytes_.size(); ++i) {
    if (auto key = vocab::detail::normalize_name(analytes_[i].name); !key.empty()) {
      impl->by_key.emplace(std::move(key), analyte_id{static_cast<std::uint32_t>(i)});
    }
  }
  for (std::size_t i = 0; i < analytes_.size(); ++i) {
    for (const std::string& s : analytes_[i].synonyms) {
      if (auto key = vocab::detail::normalize_name(s); !key.empty()) {
        impl->by_key.emplace(std::move(key), analyte_id{static_cast<std::uint32_t>(i)});
      }
    }
  }
  return lab_catalog(std::move(impl));
}

}  // namespace ctm::vocab
