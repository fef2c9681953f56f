// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/date.hpp>
#include <ctm/export.hpp>
#include <ctm/history/facts.hpp>
#include <ctm/history/labs.hpp>
#include <ctm/history/line_of_therapy.hpp>
#include <ctm/history/performance_status.hpp>
#include <ctm/history/refractory.hpp>
#include <ctm/history/response.hpp>
#include <ctm/patient/patient.hpp>
#include <ctm/vocab/drug_catalog.hpp>
#include <ctm/vocab/lab_catalog.hpp>
#include <ctm/vocab/ontology.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ctm::history {

/// The vocabularies derivation resolves the record against. Each is optional: without a drug
/// catalog every drug is an unknown agent, without a lab catalog no lab is resolved, without a
/// disease hierarchy diseases are recognised by their codes only. Thread-safety: a value type
/// holding immutable handles.
struct vocabularies {
  std::optional<vocab::ontology> diseases;
  std::optional<vocab::drug_catalog> drugs;
  std::optional<vocab::lab_catalog> labs;
};

/// The options of `derive_facts`: one option set per derivation, each with published defaults.
/// Thread-safety: a value type.
struct derive_options {
  /// The preset name ("auto" unless a preset was chosen).
  std::string name = "auto";
  /// Line-of-therapy parameters. With `lines_auto`, myeloma patients get
  /// `lot_options::imwg_myeloma()` and everyone else these.
  lot_options lines = lot_options::rwd_default();
  bool lines_auto = true;
  refractory_options refractory = refractory_options::automatic();
  response_options responses{};
  lab_options labs{};
  performance_options performance{};

  /// Named presets for `ctm derive --preset`: "auto", the line-of-therapy presets
  /// ("rwd-default", "hess-nsclc", "imwg-myeloma", which also applies the IMWG refractory rules)
  /// and the disease presets ("scholar-1", "iwcll", "eln", "gcig-ovarian", "pcwg3-prostate",
  /// "generic"). Returns nullopt for an unknown name.
  CTM_EXPORT static std::optional<derive_options> preset(std::string_view name);
  /// The names `preset` accepts.
  CTM_EXPORT static std::vector<std::string_view> preset_names();
};

/// Derives every fact trials ask about from `p` as of `as_of`: agents and their status, lines of
/// therapy with best response, per-line, per-drug and per-class refractoriness, disease-specific
/// status (IMWG, SCHOLAR-1, iwCLL, ELN, GCIG, PCWG3, SITC), time since the last therapy of each
/// kind, the most recent labs and performance status. Records dated after `as_of` are ignored.
///
/// Never fails: a record that cannot be used is left out with a note (its JSON pointer, no patient
/// values) and every fact it would have decided becomes unknown. Never throws except
/// `std::bad_alloc`. Thread-safety: reentrant. Complexity: O(n log n) in the number of records.
CTM_EXPORT patient_facts derive_facts(const patient& p, date as_of, const vocabularies& vocab,
                                      const derive_options& options = {});

}  // namespace ctm::history
