// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/assert.hpp>
#include <ctm/core/error.hpp>
#include <ctm/core/ids.hpp>
#include <ctm/core/result.hpp>
#include <ctm/core/truth.hpp>
#include <ctm/export.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ctm::vocab {

/// The broad kind of cancer a disease node belongs to, set on tissue nodes and inherited by their
/// descendants. MatchMiner calls the two groups _SOLID_ and _LIQUID_.
enum class disease_group : std::uint8_t {
  none,    ///< above the tissue level (the root), or a file that does not say
  solid,   ///< a solid tumour
  liquid,  ///< a haematological malignancy
};

/// "none", "solid" or "liquid".
CTM_EXPORT std::string_view to_string(disease_group g) noexcept;

/// One row of a disease file, as given to `ontology_builder`: the parent is still a code.
/// Thread-safety: thread-compatible (a value type).
struct disease_record {
  std::string code;                    ///< e.g. "LUAD"; unique, case-insensitive
  std::string name;                    ///< e.g. "Lung Adenocarcinoma"; not empty
  std::string parent;                  ///< the parent's code; empty for the root
  std::string main_type;               ///< OncoTree main type; may be empty
  std::string tissue;                  ///< OncoTree tissue; may be empty
  std::optional<disease_group> group;  ///< set on tissue nodes; inherited when absent
  std::vector<std::string> nci;        ///< NCI Thesaurus codes, e.g. "C3512"
  std::vector<std::string> umls;       ///< UMLS CUIs, e.g. "C0152013"
  std::vector<std::string> synonyms;   ///< other names, matched like the name
  ctm::location where;                 ///< where the record came from, for diagnostics

  friend bool operator==(const disease_record&, const disease_record&) = default;
};

/// A node of a frozen disease hierarchy. Thread-safety: thread-compatible (a value type).
struct disease {
  std::string code;
  std::string name;
  std::string main_type;
  std::string tissue;
  std::vector<std::string> nci;
  std::vector<std::string> umls;
  std::vector<std::string> synonyms;
  concept_id parent;                          ///< invalid for the root and the group nodes
  std::uint32_t level = 0;                    ///< depth below the root (root 0, tissues 1)
  disease_group group = disease_group::none;  ///< inherited from the nearest tissue node
  bool is_group = false;                      ///< true for the virtual nodes _SOLID_ and _LIQUID_

  friend bool operator==(const disease&, const disease&) = default;
};

namespace detail {
/// The frozen DFS label of one concept, read by the inline `ontology::is_a`.
struct interval_label {
  std::uint32_t end = 0;  ///< one past the last pre-order number of the subtree
  disease_group group = disease_group::none;
};
struct ontology_impl;
}  // namespace detail

/// A cancer-type hierarchy (OncoTree-shaped tree) frozen for O(1) `is_a` queries.
///
/// Concept ids are the DFS pre-order numbers of the tree (children in file order), so the subtree
/// of `c` is the id range [c, end(c)). Two virtual group nodes, `_SOLID_` and `_LIQUID_`, follow
/// the tree's nodes. Built by `ontology_builder` or the readers in `ctm/io/vocabulary.hpp`.
/// Thread-safety: immutable; copies share the same state and may be read from any thread.
class CTM_EXPORT ontology {
 public:
  /// Reserved codes of the two group nodes.
  static constexpr std::string_view solid_code = "_SOLID_";
  static constexpr std::string_view liquid_code = "_LIQUID_";

  /// Number of concepts, including the two group nodes.
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  /// Number of tree nodes (`size()` minus the two group nodes).
  [[nodiscard]] std::size_t tree_size() const noexcept { return size_ - 2; }
  /// Where the hierarchy came from: a file name or "bundled".
  [[nodiscard]] const std::string& source_name() const noexcept;

  /// The node with this code (case-insensitive), including "_SOLID_" and "_LIQUID_".
  [[nodiscard]] std::optional<concept_id> find(std::string_view code) const;
  /// The node whose name or synonym matches `text` ignoring case, punctuation and spacing; a name
  /// wins over another node's synonym, and an earlier node (pre-order) over a later one.
  [[nodiscard]] std::optional<concept_id> find_by_name(std::string_view text) const;
  /// The first node (pre-order) cross-referenced to this NCI Thesaurus code, e.g. "C3512".
  [[nodiscard]] std::optional<concept_id> find_by_nci(std::string_view nci_code) const;
  /// `find`, then `find_by_name`, then `find_by_nci`: what a user's query most likely means.
  [[nodiscard]] std::optional<concept_id> lookup(std::string_view text) const;

  /// The concept with this id. Precondition: `id.value < size()`.
  [[nodiscard]] const disease& get(concept_id id) const noexcept;
  [[nodiscard]] const disease& operator[](concept_id id) const noexcept { return get(id); }

  /// The root (TISSUE in OncoTree).
  [[nodiscard]] concept_id root() const noexcept { return concept_id{0}; }
  /// The group nodes.
  [[nodiscard]] concept_id solid() const noexcept {
    return concept_id{static_cast<std::uint32_t>(size_ - 2)};
  }
  [[nodiscard]] concept_id liquid() const noexcept {
    return concept_id{static_cast<std::uint32_t>(size_ - 1)};
  }

  /// Whether a patient with `patient` has a disease the trial's `trial` covers:
  /// - yes: `patient` is `trial` or below it (LUAD is_a NSCLC), or `trial` is the group node of
  ///   `patient`'s group (LUAD is_a _SOLID_);
  /// - unknown: `patient` is a proper ancestor of `trial`, so it is less specific than the trial
  ///   asks (NSCLC against LUAD), or `trial` is a group node and `patient` has no group (TISSUE);
  /// - no: unrelated, or the other group.
  /// A group node as `patient` is below the root, above every node of its group and unrelated to
  /// the other group. O(1). Precondition: both ids are `< size()`.
  [[nodiscard]] truth is_a(concept_id patient, concept_id trial) const noexcept {
    CTM_ASSERT(patient.value < size_ && trial.value < size_);
    const std::uint32_t p = patient.value;
    const std::uint32_t t = trial.value;
    const std::uint32_t tree = static_cast<std::uint32_t>(size_ - 2);
    if (p < tree && t < tree) {
      if (p - t < labels_[t].end - t) return truth::yes;  // unsigned: t <= p < end(t)
      if (t - p < labels_[p].end - p) return truth::unknown;
      return truth::no;
    }
    return is_a_group(p, t);
  }

  /// `is_a` by code. Errors: `errc::unknown_code` naming the code that is not in the hierarchy.
  [[nodiscard]] result<truth> is_a(std::string_view patient_code,
                                   std::string_view trial_code) const;

  /// `id`, its parent, ..., the root. A group node's path is itself then the root.
  [[nodiscard]] std::vector<concept_id> path_to_root(concept_id id) const;
  /// Direct children in file order (empty for leaves and group nodes).
  [[nodiscard]] std::span<const concept_id> children(concept_id id) const noexcept;
  /// One past the last id of `id`'s subtree: the descendants of `id` are (id, subtree_end(id)).
  [[nodiscard]] concept_id subtree_end(concept_id id) const noexcept;

 private:
  friend class ontology_builder;
  explicit ontology(std::shared_ptr<const detail::ontology_impl> impl);
  [[nodiscard]] truth is_a_group(std::uint32_t p, std::uint32_t t) const noexcept;

  std::shared_ptr<const detail::ontology_impl> impl_;
  const detail::interval_label* labels_ = nullptr;  // points into *impl_
  std::size_t size_ = 0;
};

/// Collects disease records and freezes them into an `ontology`.
///
/// `build()` checks the whole set and returns the first problem with the offending record's
/// location. Codes, names and roots are checked first, in file order: `errc::invalid_code` (empty,
/// or one of the reserved group codes), `errc::empty_name`, `errc::duplicate_code`
/// (case-insensitive), `errc::multiple_roots`; then parents, in file order:
/// `errc::unknown_parent`; then `errc::vocabulary_cycle` (at the cycle's first record in file
/// order). No records at all is `errc::empty_vocabulary`.
/// Thread-safety: not thread-safe.
class CTM_EXPORT ontology_builder {
 public:
  /// `source_name` is what `ontology::source_name()` will report.
  explicit ontology_builder(std::string source_name = {});

  void add(disease_record record);
  [[nodiscard]] std::size_t size() const noexcept { return records_.size(); }

  /// The frozen hierarchy, or the first problem found. The builder may be reused afterwards.
  [[nodiscard]] result<ontology> build() const;

 private:
  std::string source_name_;
  std::vector<disease_record> records_;
};

}  // namespace ctm::vocab
