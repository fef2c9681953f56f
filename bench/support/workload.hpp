// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// The benchmark workload: a synthetic cohort and catalog (ctm::synth) over the bundled
// vocabularies and trial templates, the matcher over it, and the catalog's programs in lowered
// form with the distinct queries they ask, shared by the engine's baselines (SQLite, naive).
#include "support/parallel.hpp"

#include <ctm/batch/engine.hpp>
#include <ctm/history/derive.hpp>
#include <ctm/match/matcher.hpp>
#include <ctm/rules/lowered.hpp>
#include <ctm/rules/patient_fact_source.hpp>
#include <ctm/synth/generate.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ctm::bench {

/// Reads the bundled vocabularies, definitions and trial templates from the source tree.
struct bundled_data {
  history::vocabularies vocab;
  rules::definition_library definitions;
  std::vector<trial> templates;
};
bundled_data load_bundled();

struct workload {
  bundled_data data;
  date as_of{};
  std::vector<trial> trials;                 ///< generated
  std::vector<match::batch_input> patients;  ///< generated, input order = cohort position
  std::vector<std::string> patient_ids;
};

/// Generates `patients` x `trials` from `seed` on `threads` workers.
workload make_workload(std::size_t patients, std::size_t trials, std::uint64_t seed,
                       unsigned threads, std::size_t min_conditions = 30,
                       std::size_t max_conditions = 60);

/// The workload's catalog and data without patients (`patients` and `patient_ids` empty), for
/// generating the cohort in parts with `generate_patients`.
workload make_catalog(std::size_t trials, std::uint64_t seed, std::size_t min_conditions = 30,
                      std::size_t max_conditions = 60);

/// Patients [begin, end) of the cohort of `seed` (as `make_workload` makes them: patient i is a
/// function of the seed and i only, so parts generated one after the other equal one-shot
/// generation), on `threads` workers.
std::vector<match::batch_input> generate_patients(const history::vocabularies& vocab,
                                                  std::uint64_t seed, date as_of, std::size_t begin,
                                                  std::size_t end, unsigned threads);

match::matcher make_matcher(const workload& w);

/// One criterion in lowered form; `queries` maps the program's query indexes to the catalog's.
struct lowered_criterion {
  rules::criterion_kind kind = rules::criterion_kind::inclusion;
  std::optional<rules::lowered_program> program;  ///< none: needs review (unknown)
  std::vector<std::uint32_t> queries;
};

/// One evaluated arm: positions into `lowered_trial::criteria` (trial-wide first).
struct lowered_arm {
  std::vector<std::uint32_t> criteria;
};

struct lowered_trial {
  std::vector<lowered_criterion> criteria;  ///< trial-wide, then every arm's
  std::vector<lowered_arm> arms;            ///< open arms only; empty = no pair is reported
};

/// The catalog as data: every trial in `matcher::trials()` order, and the distinct queries.
struct lowered_catalog {
  std::vector<rules::query> queries;
  std::vector<std::string> query_names;  ///< `rules::describe`, the naive baseline's keys
  std::vector<lowered_trial> trials;
  std::vector<std::string> trial_ids;
  std::optional<vocab::ontology> ontology;
  std::size_t leaves = 0;
};
lowered_catalog lower_catalog(const match::matcher& m);

/// The candidate trials of each patient (the matcher's disease index; trials without an open
/// arm left out), as the engine and the scalar matcher use them.
std::vector<std::vector<std::uint32_t>> candidates(const match::matcher& m,
                                                   const lowered_catalog& c, const workload& w);

/// Every (patient, trial) status the scalar matcher reports, as the engine's pairs.
std::vector<batch::pair_status> scalar_pairs(const match::matcher& m, const workload& w,
                                             unsigned threads);

/// Pairs of `pairs` whose trial is in `keep` (a mask over trials) and patient below `patients`.
std::vector<batch::pair_status> restrict_pairs(const std::vector<batch::pair_status>& pairs,
                                               const std::vector<bool>& keep, std::size_t patients);

/// Peak resident set size of this process, in bytes (getrusage).
std::size_t peak_rss_bytes();

/// The p-quantile of `v` by nearest rank (0 for an empty `v`), for latency percentiles.
double percentile(std::vector<double> v, double p);

}  // namespace ctm::bench
