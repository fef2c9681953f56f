// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/assert.hpp>
#include <ctm/core/error.hpp>
#include <ctm/core/ids.hpp>
#include <ctm/core/result.hpp>
#include <ctm/export.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ctm::vocab {

/// One drug or drug class as written in a catalog file, given to `drug_catalog_builder`: its
/// parents are still codes. Thread-safety: thread-compatible (a value type).
struct drug_record {
  std::string code;  ///< lower snake_case, unique across drugs and classes: "pembrolizumab"
  std::string name;  ///< display name; not empty
  bool is_class = false;
  std::vector<std::string> parents;   ///< class codes: a drug's classes, a class's parent classes
  std::vector<std::string> synonyms;  ///< other names and development codes ("MK-3475")
  std::vector<std::string> brands;    ///< brand names ("Keytruda")
  std::string rxnorm;                 ///< RxNorm ingredient RXCUI; empty when not given
  std::vector<std::string> atc;       ///< ATC codes (a class has at most one)
  std::optional<double> half_life_days;  ///< terminal half-life, for "5 half-lives" washouts
  bool supportive = false;               ///< supportive care, not anticancer therapy
  ctm::location where;                   ///< where the record came from, for diagnostics

  friend bool operator==(const drug_record&, const drug_record&) = default;
};

/// A node of a frozen drug catalog: an ingredient or a class. Thread-safety: thread-compatible (a
/// value type).
struct drug_entry {
  std::string code;
  std::string name;
  bool is_class = false;
  std::vector<drug_id> parents;  ///< direct classes, in file order
  std::vector<std::string> synonyms;
  std::vector<std::string> brands;
  std::string rxnorm;
  std::vector<std::string> atc;
  std::optional<double> half_life_days;
  bool supportive = false;  ///< the entry's own flag; see `drug_catalog::is_supportive`
  ctm::location where;

  friend bool operator==(const drug_entry&, const drug_entry&) = default;
};

namespace detail {
struct drug_catalog_impl;
}

/// Antineoplastic ingredients and their classes, a DAG frozen into per-node ancestor bitsets.
///
/// Ids are dense, in the order the entries were added (a base catalog's entries first).
/// Thread-safety: immutable; copies share the same state and may be read from any thread.
class CTM_EXPORT drug_catalog {
 public:
  /// The class every anticancer drug descends from, and the supportive-care class.
  static constexpr std::string_view antineoplastic_code = "antineoplastic";
  static constexpr std::string_view supportive_care_code = "supportive_care";

  /// Number of entries (drugs and classes).
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  /// Where the catalog came from: a file name, "bundled", or "bundled + site.json".
  [[nodiscard]] const std::string& source_name() const noexcept;

  /// The entry whose code, name, synonym or brand matches `text` ignoring case, punctuation and
  /// spacing. Codes win over names, names over synonyms and brands; earlier entries win ties.
  [[nodiscard]] std::optional<drug_id> find(std::string_view text) const;
  /// Every entry `text` matches, best first (as `find` ranks them): a combination product's brand
  /// ("Vyxeos") names each of its ingredients.
  [[nodiscard]] std::vector<drug_id> find_all(std::string_view text) const;
  /// The entry with exactly this code.
  [[nodiscard]] std::optional<drug_id> find_code(std::string_view code) const;
  /// The first entry with this RxNorm RXCUI.
  [[nodiscard]] std::optional<drug_id> find_by_rxnorm(std::string_view rxcui) const;
  /// The first entry with this ATC code (case-insensitive).
  [[nodiscard]] std::optional<drug_id> find_by_atc(std::string_view atc_code) const;

  /// The entry with this id. Precondition: `id.value < size()`.
  [[nodiscard]] const drug_entry& get(drug_id id) const noexcept;
  [[nodiscard]] const drug_entry& operator[](drug_id id) const noexcept { return get(id); }

  /// Whether `entry` is `cls` or descends from it through any path of class links
  /// (bortezomib is_a proteasome_inhibitor, is_a antineoplastic). O(1).
  /// Precondition: both ids are `< size()`.
  [[nodiscard]] bool is_a(drug_id entry, drug_id cls) const noexcept {
    CTM_ASSERT(entry.value < size_ && cls.value < size_);
    const std::uint64_t word = bits_[entry.value * words_ + cls.value / 64];
    return ((word >> (cls.value % 64)) & 1U) != 0;
  }

  /// Every class above `id`, nearest first (breadth-first over the parents in file order), without
  /// `id` itself and without repeats.
  [[nodiscard]] std::vector<drug_id> ancestors(drug_id id) const;
  /// The drugs (not classes) that are `cls` or below it, in id order.
  [[nodiscard]] std::vector<drug_id> members(drug_id cls) const;

  /// The entry's own flag, or it descends from `supportive_care`.
  [[nodiscard]] bool is_supportive(drug_id id) const noexcept;
  /// Descends from `antineoplastic` and is not supportive.
  [[nodiscard]] bool is_anticancer(drug_id id) const noexcept;
  /// The terminal half-life in days, when the catalog knows it.
  [[nodiscard]] std::optional<double> half_life_days(drug_id id) const noexcept;

 private:
  friend class drug_catalog_builder;
  explicit drug_catalog(std::shared_ptr<const detail::drug_catalog_impl> impl);

  std::shared_ptr<const detail::drug_catalog_impl> impl_;
  const std::uint64_t* bits_ = nullptr;  // ancestor-or-self bitsets, `words_` per entry
  std::size_t words_ = 0;
  std::size_t size_ = 0;
};

/// Collects drug and class records and freezes them into a `drug_catalog`.
///
/// `build()` returns the first problem with the offending record's location. Entries are checked
/// first, in order: `errc::invalid_code` (not lower snake_case), `errc::empty_name`,
/// `errc::duplicate_code` (also against a base catalog: extending never overrides);
/// then references, in order: `errc::unknown_parent` (an undefined class, or a drug named as a
/// class); then `errc::vocabulary_cycle`. No entries at all is `errc::empty_vocabulary`.
/// Thread-safety: not thread-safe.
class CTM_EXPORT drug_catalog_builder {
 public:
  explicit drug_catalog_builder(std::string source_name = {});
  /// Starts from every entry of `base`; added records extend it.
  drug_catalog_builder(const drug_catalog& base, std::string source_name);

  void add(drug_record record);
  [[nodiscard]] std::size_t size() const noexcept { return records_.size(); }

  [[nodiscard]] result<drug_catalog> build() const;

 private:
  std::string source_name_;
  std::vector<drug_record> records_;
};

}  // namespace ctm::vocab
