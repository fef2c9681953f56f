// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// The batch engine's baselines, on the same workload and with the same answers
// (docs/performance.md):
// - naive: what a team writes by hand: one std::map<std::string, fact_answer> per patient and a
//   recursive walk over each criterion's tree per (patient, trial);
// - SQLite: one flattened patient table (one column per fact the catalog asks), the candidate
//   pairs as a table, and one generated SQL query per trial computing every candidate's best-arm
//   status with SQL's three-valued logic.
#include "support/workload.hpp"

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace ctm::bench {

/// Which part of the workload a baseline covers: patients [0, patients) and the trials marked.
struct coverage {
  std::size_t patients = 0;
  std::vector<bool> trials;
};

struct baseline_stats {
  double load_seconds = 0.0;  ///< derivation and building the baseline's own store
  std::size_t pairs = 0;
  std::size_t evaluations = 0;  ///< patient x atomic-condition evaluations the pairs imply
};

class naive_baseline {
 public:
  naive_baseline(const lowered_catalog& catalog, const workload& w);
  ~naive_baseline();
  naive_baseline(const naive_baseline&) = delete;
  naive_baseline& operator=(const naive_baseline&) = delete;

  /// Derives the covered patients' facts into per-patient maps.
  void load(const coverage& cov, unsigned threads);
  /// Every covered candidate pair's best-arm status, sorted by (patient, trial); one thread.
  std::vector<batch::pair_status> run(const std::vector<std::vector<std::uint32_t>>& candidates);
  [[nodiscard]] const baseline_stats& stats() const noexcept;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

class sqlite_baseline {
 public:
  sqlite_baseline(const lowered_catalog& catalog, const workload& w);
  ~sqlite_baseline();
  sqlite_baseline(const sqlite_baseline&) = delete;
  sqlite_baseline& operator=(const sqlite_baseline&) = delete;

  /// Derives the covered patients' facts and fills the tables (in-memory database).
  void load(const coverage& cov, const std::vector<std::vector<std::uint32_t>>& candidates,
            unsigned threads);
  /// Runs one generated query per covered trial; sorted by (patient, trial).
  std::vector<batch::pair_status> run();
  [[nodiscard]] const baseline_stats& stats() const noexcept;
  /// Columns of the patient tables: native (answers as values) and precomputed leaf columns.
  [[nodiscard]] std::size_t native_columns() const noexcept;
  [[nodiscard]] std::size_t leaf_columns() const noexcept;
  /// The generated query of trial `t` (for the documentation).
  [[nodiscard]] std::string query_text(std::size_t t) const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// The SQLite library's version ("3.40.1").
std::string sqlite_version();

/// Patient x atomic-condition evaluations implied by `pairs` (every leaf of every criterion of
/// every evaluated arm), the engine's `run_stats::evaluations` definition.
std::size_t implied_evaluations(const lowered_catalog& c,
                                const std::vector<batch::pair_status>& pairs);

}  // namespace ctm::bench
