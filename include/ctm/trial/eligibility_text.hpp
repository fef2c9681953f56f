// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/export.hpp>
#include <ctm/trial/criterion.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ctm {

/// Which part of a registry eligibility text an item sits in.
enum class eligibility_section : std::uint8_t {
  inclusion,    ///< under an "Inclusion Criteria" heading (in any of its spellings)
  exclusion,    ///< under an "Exclusion Criteria" heading
  unspecified,  ///< before any such heading, or in a text that has none (old NCI PDQ records)
};

/// "inclusion", "exclusion" or "unspecified".
CTM_EXPORT std::string_view to_string(eligibility_section s) noexcept;

/// One item of a registry eligibility text: a bulleted or numbered line with its wrapped
/// continuation lines, or an unmarked paragraph. Thread-safety: a value type.
struct eligibility_item {
  eligibility_section section = eligibility_section::unspecified;
  /// The item's words: the marker removed, ClinicalTrials.gov markdown escapes ("\>=") undone and
  /// every run of white space (including the line breaks of wrapped lines) made one space.
  std::string text;
  /// The bytes of the original text the item covers, from the first character after its marker to
  /// the last non-space character of its last line: `original.substr(offset, length)`.
  text_span span;
  std::uint32_t line = 0;             ///< 1-based line of the original text where it starts
  std::uint32_t depth = 0;            ///< 0 for a top-level item, 1 for its sub-items, ...
  std::optional<std::size_t> parent;  ///< index of the enclosing item in `items`
  bool is_note = false;               ///< a "Note:" remark, attached to the item before it
  std::string heading;                ///< nearest sub-heading above ("Hematopoietic"); may be empty
  std::string marker;                 ///< "*", "-", "1.", "a)", "(ii)"; empty for a paragraph

  friend bool operator==(const eligibility_item&, const eligibility_item&) = default;
};

/// A registry eligibility text split into items, in the order they appear (a parent before its
/// sub-items). Thread-safety: a value type.
struct eligibility_split {
  std::vector<eligibility_item> items;
  /// True when an inclusion or exclusion heading was found; false for texts (such as old NCI PDQ
  /// records) that list every requirement together.
  bool has_sections = false;

  friend bool operator==(const eligibility_split&, const eligibility_split&) = default;
};

/// Splits the free-text eligibility section of a registry record (ClinicalTrials.gov API v2
/// markdown, the legacy XML textblock, NCI CTS or TrialGPT text) into items.
///
/// - Headings: "Inclusion Criteria:", "INCLUSION CRITERIA", "Key Inclusion Criteria", "Main
///   exclusion criteria:-", "Non-inclusion criteria", "**Exclusion Criteria**" and the like switch
///   the section; other short lines ending in ':' and all-capital lines ("DISEASE
///   CHARACTERISTICS:", "Hematopoietic:") are sub-headings, recorded in `heading`, not items.
///   A heading followed by text on the same line ("PATIENT CHARACTERISTICS: Age: 18 and over")
///   starts an item with that text.
/// - Markers: bullets (* - + o and the Unicode bullets), numbers ("1." "1)" "(1)"), letters
///   ("a." "B)" "(c)") and roman numerals ("ii." "(iv)").
/// - Nesting: a marked line indented deeper than the item above it, or with a different kind of
///   marker after a line ending in ':', is a sub-item. Unmarked lines continue the item above
///   when indented deeper than its marker or when no blank line separates them; otherwise they
///   start a paragraph item.
/// - Notes: an item starting with "Note" ("Note:", "NOTE -", "Notes:") becomes a sub-item of
///   the item before it, with `is_note` set.
///
/// Never fails: any text gives some split (empty text gives no items). Linear in the text size.
/// Thread-safety: reentrant.
CTM_EXPORT eligibility_split split_eligibility_text(std::string_view text);

/// How `eligibility_criteria` numbers and words the criteria it makes.
struct eligibility_criteria_options {
  /// Prefix of inclusion (and unspecified) criterion ids: "inc" gives "inc-01", "inc-02", ...
  std::string inclusion_prefix = "inc";
  /// Prefix of exclusion criterion ids.
  std::string exclusion_prefix = "exc";
};

/// Turns a split into trial criteria: one criterion per top-level item, in order, with the text
/// of its sub-items and notes folded in (each on its own line, "- " and two spaces per level), so
/// a parent such as "Adequate organ function defined as:" keeps its list. Unspecified items
/// become inclusion criteria (a PDQ record lists requirements); placeholders such as "Not
/// specified" and "See Disease Characteristics" make no criterion. Ids are "<prefix>-NN", numbered
/// per kind from 01 (three digits past 99). Every criterion has no rule and a default
/// (curated) provenance, so it evaluates to unknown with "needs manual review".
CTM_EXPORT std::vector<criterion> eligibility_criteria(
    const eligibility_split& split, const eligibility_criteria_options& options = {});

}  // namespace ctm
