// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// ctm_compare: generates a workload, runs the batch engine, the scalar matcher, a naive
// interpreter and SQLite on it, checks that every answer is identical (checksum of the sorted
// (patient, trial, status) triples; exit 1 on a mismatch) and prints a markdown table with the
// timings and ratios, then the growth curves (docs/performance.md).
#include "support/baselines.hpp"
#include "support/workload.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

using namespace ctm;
using clock_type = std::chrono::steady_clock;

double since(clock_type::time_point t) {
  return std::chrono::duration<double>(clock_type::now() - t).count();
}

struct options {
  std::size_t patients = synth::size_s.patients;
  std::size_t trials = synth::size_s.trials;
  std::uint64_t seed = 1;
  unsigned threads = 0;
  std::size_t baseline_patients = 0;  // 0 = min(patients, 10000)
  std::size_t baseline_trials = 0;    // 0 = min(trials, 100)
  std::size_t scalar_max_patients = 20000;
  int repeat = 3;
  bool curves = true;
  bool sqlite = true;
  bool naive = true;
  bool print_query = false;
};

[[noreturn]] void usage() {
  std::fputs(
      "usage: ctm_compare [--size S|M|L] [--patients N] [--trials N] [--seed N] [--threads N]\n"
      "                   [--baseline-patients N] [--baseline-trials N] [--scalar-max N]\n"
      "                   [--repeat N] [--no-curves] [--no-sqlite] [--no-naive] [--print-query]\n",
      stderr);
  std::exit(2);
}

options parse(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage();
      return argv[++i];
    };
    const auto number = [&]() { return static_cast<std::size_t>(std::stoull(value())); };
    if (a == "--size") {
      const std::string s = value();
      const auto sz = s == "S"   ? synth::size_s
                      : s == "M" ? synth::size_m
                      : s == "L" ? synth::size_l
                                 : synth::workload_size{};
      if (sz.patients == 0) usage();
      o.patients = sz.patients;
      o.trials = sz.trials;
    } else if (a == "--patients") {
      o.patients = number();
    } else if (a == "--trials") {
      o.trials = number();
    } else if (a == "--seed") {
      o.seed = number();
    } else if (a == "--threads") {
      o.threads = static_cast<unsigned>(number());
    } else if (a == "--baseline-patients") {
      o.baseline_patients = number();
    } else if (a == "--baseline-trials") {
      o.baseline_trials = number();
    } else if (a == "--scalar-max") {
      o.scalar_max_patients = number();
    } else if (a == "--repeat") {
      o.repeat = std::max(1, static_cast<int>(number()));
    } else if (a == "--no-curves") {
      o.curves = false;
    } else if (a == "--no-sqlite") {
      o.sqlite = false;
    } else if (a == "--no-naive") {
      o.naive = false;
    } else if (a == "--print-query") {
      o.print_query = true;
    } else {
      usage();
    }
  }
  return o;
}

void progress(const std::string& s) {
  std::fprintf(stderr, "ctm_compare: %s\n", s.c_str());
  std::fflush(stderr);
}

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::string sci(double v) {
  if (v <= 0) return "0";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2e", v);
  return buf;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

struct engine_figures {
  double create_s = 0;
  double load_s = 0;
  double run1_s = 0;
  double run_all_s = 0;
  std::size_t bytes = 0;
  batch::run_result result;
  std::uint64_t checksum = 0;
};

engine_figures run_engine(const match::matcher& m, const bench::workload& w, unsigned threads,
                          int repeat, bool all_threads) {
  engine_figures f;
  auto t0 = clock_type::now();
  const auto e = batch::engine::create(m);
  f.create_s = since(t0);
  batch::batch_options lo;
  lo.threads = threads;
  t0 = clock_type::now();
  const auto cohort = e.load(w.patients, w.as_of, lo);
  f.load_s = since(t0);
  f.bytes = cohort.bytes();
  std::vector<double> one;
  std::vector<double> all;
  batch::batch_options o1;
  o1.threads = 1;
  batch::batch_options on;
  on.threads = threads;
  for (int r = 0; r < repeat; ++r) {
    t0 = clock_type::now();
    f.result = e.run(cohort, o1);
    one.push_back(since(t0));
    if (all_threads) {
      t0 = clock_type::now();
      auto again = e.run(cohort, on);
      all.push_back(since(t0));
      if (again.pairs != f.result.pairs) {
        progress("MISMATCH: the engine's answers differ between 1 and all threads");
        std::exit(1);
      }
    }
  }
  f.run1_s = median(one);
  f.run_all_s = all.empty() ? 0 : median(all);
  f.checksum = batch::checksum(f.result.pairs, cohort.patient_ids(), e.trial_ids());
  return f;
}

struct row {
  std::string system;
  std::string covered;
  double load_s = 0;
  double run_s = 0;
  std::size_t pairs = 0;
  std::size_t evaluations = 0;
  double full_s = 0;  // extrapolated to the whole workload
  bool extrapolated = false;
  std::string check;
};

int compare_main(const options& o) {
  const unsigned threads =
      o.threads != 0 ? o.threads : std::max(1U, std::thread::hardware_concurrency());
  progress("generating " + std::to_string(o.patients) + " patients x " + std::to_string(o.trials) +
           " trials, seed " + std::to_string(o.seed));
  auto t0 = clock_type::now();
  const auto w = bench::make_workload(o.patients, o.trials, o.seed, threads);
  const double gen_s = since(t0);
  t0 = clock_type::now();
  const auto m = bench::make_matcher(w);
  const double compile_s = since(t0);
  const auto catalog = bench::lower_catalog(m);
  std::vector<std::size_t> atoms;
  for (const auto& t : w.trials) atoms.push_back(synth::atomic_conditions(t));
  std::sort(atoms.begin(), atoms.end());

  progress("engine");
  const auto ef = run_engine(m, w, threads, o.repeat, true);
  const double engine_rss_mib = static_cast<double>(bench::peak_rss_bytes()) / 1048576.0;
  const auto& pairs = ef.result.pairs;
  const double evals = static_cast<double>(ef.result.stats.evaluations);
  bool ok = true;
  std::vector<row> rows;
  {
    row r;
    r.system = "ctm batch engine, 1 thread";
    r.covered = "all";
    r.load_s = ef.load_s;
    r.run_s = ef.run1_s;
    r.pairs = pairs.size();
    r.evaluations = ef.result.stats.evaluations;
    r.full_s = ef.run1_s;
    r.check = "reference";
    rows.push_back(r);
    r.system = "ctm batch engine, " + std::to_string(threads) + " threads";
    r.run_s = ef.run_all_s;
    r.full_s = ef.run_all_s;
    r.check = "identical";
    rows.push_back(r);
  }

  const auto cands = bench::candidates(m, catalog, w);
  if (o.patients <= o.scalar_max_patients) {
    progress("scalar matcher");
    t0 = clock_type::now();
    const auto sp = bench::scalar_pairs(m, w, 1);
    const double s = since(t0);
    row r;
    r.system = "ctm scalar matcher (match_batch), 1 thread, derive included";
    r.covered = "all";
    r.run_s = s;
    r.pairs = sp.size();
    r.evaluations = bench::implied_evaluations(catalog, sp);
    r.full_s = s;
    const bool same = sp == pairs;
    r.check = same ? "identical" : "MISMATCH";
    ok = ok && same;
    rows.push_back(r);
  }

  bench::coverage cov;
  cov.patients = o.baseline_patients != 0 ? std::min(o.baseline_patients, o.patients)
                                          : std::min<std::size_t>(o.patients, 10000);
  const std::size_t keep = o.baseline_trials != 0 ? std::min(o.baseline_trials, o.trials)
                                                  : std::min<std::size_t>(o.trials, 100);
  cov.trials.assign(catalog.trials.size(), false);
  // An even sample of the catalog's trials.
  for (std::size_t k = 0; k < keep; ++k) cov.trials[k * catalog.trials.size() / keep] = true;
  const auto expected = bench::restrict_pairs(pairs, cov.trials, cov.patients);
  const bool partial = cov.patients < o.patients || keep < o.trials;
  const std::string covered = std::to_string(cov.patients) + " x " + std::to_string(keep);
  const auto baseline_row = [&](const std::string& name, double load_s, double run_s,
                                const std::vector<batch::pair_status>& got) {
    row r;
    r.system = name;
    r.covered = covered;
    r.load_s = load_s;
    r.run_s = run_s;
    r.pairs = got.size();
    r.evaluations = bench::implied_evaluations(catalog, got);
    r.extrapolated = partial;
    r.full_s = got.empty()
                   ? 0
                   : run_s * static_cast<double>(pairs.size()) / static_cast<double>(got.size());
    const bool same =
        got == expected && batch::checksum(got, w.patient_ids, catalog.trial_ids) ==
                               batch::checksum(expected, w.patient_ids, catalog.trial_ids);
    r.check = same ? "identical" : "MISMATCH";
    if (!same) {
      std::size_t diff = 0;
      for (std::size_t k = 0; k < std::min(got.size(), expected.size()); ++k)
        diff += got[k] == expected[k] ? 0U : 1U;
      progress(name + ": " + std::to_string(got.size()) + " pairs, expected " +
               std::to_string(expected.size()) + ", " + std::to_string(diff) + " differ");
    }
    ok = ok && same;
    rows.push_back(r);
  };
  if (o.naive) {
    progress("naive interpreter on " + covered);
    bench::naive_baseline nb(catalog, w);
    nb.load(cov, threads);
    t0 = clock_type::now();
    const auto got = nb.run(cands);
    baseline_row("naive tree-walking interpreter, 1 thread", nb.stats().load_seconds, since(t0),
                 got);
  }
  std::size_t native_cols = 0;
  std::size_t leaf_cols = 0;
  if (o.sqlite) {
    progress("SQLite on " + covered);
    bench::sqlite_baseline sb(catalog, w);
    sb.load(cov, cands, threads);
    native_cols = sb.native_columns();
    leaf_cols = sb.leaf_columns();
    if (o.print_query) {
      for (std::size_t t = 0; t < cov.trials.size(); ++t) {
        if (cov.trials[t]) {
          std::printf("-- generated query for trial %s\n%s;\n\n", catalog.trial_ids[t].c_str(),
                      sb.query_text(t).c_str());
          break;
        }
      }
    }
    t0 = clock_type::now();
    const auto got = sb.run();
    baseline_row("SQLite " + bench::sqlite_version() + ", in memory, 1 thread",
                 sb.stats().load_seconds, since(t0), got);
  }

  // The report.
  std::printf("## ctm_compare: %zu patients x %zu trials (seed %llu)\n\n", o.patients, o.trials,
              static_cast<unsigned long long>(o.seed));
  std::printf(
      "Atomic conditions per trial: min %zu, median %zu, max %zu; %zu leaves in the catalog, %zu "
      "distinct queries.\nGeneration %.2f s, compiling the catalog %.2f s, engine create %.2f s, "
      "engine load (derive + columns, %u threads) %.2f s, %.0f bytes per patient in the batch "
      "store; peak RSS %.0f MiB after generation, load and the engine's runs, %.0f MiB at the "
      "end (the baselines' stores and the scalar matcher's full results included).\n\n",
      atoms.front(), atoms[atoms.size() / 2], atoms.back(), catalog.leaves, catalog.queries.size(),
      gen_s, compile_s, ef.create_s, threads, ef.load_s,
      static_cast<double>(ef.bytes) /
          static_cast<double>(std::max<std::size_t>(1, w.patients.size())),
      engine_rss_mib, static_cast<double>(bench::peak_rss_bytes()) / 1048576.0);
  std::printf(
      "| system | patients x trials run | load s | match s | pairs | evaluations/s per core | "
      "match s, whole workload | x engine (1 thread) | answers |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|\n");
  const double base_per_pair =
      ef.run1_s / static_cast<double>(std::max<std::size_t>(1, pairs.size()));
  for (const auto& r : rows) {
    const bool all_threads = r.system.find("threads") != std::string::npos &&
                             r.system.find("1 thread") == std::string::npos;
    const double cores = all_threads ? threads : 1.0;
    const double eps = r.run_s > 0 ? static_cast<double>(r.evaluations) / r.run_s / cores : 0;
    const double per_pair = r.run_s / static_cast<double>(std::max<std::size_t>(1, r.pairs));
    std::printf("| %s | %s | %s | %s | %zu | %s | %s%s | %s | %s |\n", r.system.c_str(),
                r.covered.c_str(), r.load_s > 0 ? fmt("%.2f", r.load_s).c_str() : "-",
                fmt("%.3f", r.run_s).c_str(), r.pairs, sci(eps).c_str(),
                fmt("%.3f", r.full_s).c_str(), r.extrapolated ? " (extrapolated)" : "",
                fmt("%.1f", per_pair / base_per_pair).c_str(), r.check.c_str());
  }
  if (o.sqlite) {
    std::printf(
        "\nSQLite table: %zu columns holding answers natively (truth values, numbers, converted "
        "lab values, ULN ratios, symbols, missing flags) and %zu precomputed leaf columns "
        "(diagnosis hierarchy, stage/response ordinals, dated states and elapsed times, computed "
        "with rules::test_leaf at load).\n",
        native_cols, leaf_cols);
  }
  std::printf(
      "\nEngine: %.3g evaluations in %zu pairs; %.2e evaluations/s on one core, %.2e pairs/s on "
      "one core.\n",
      evals, pairs.size(), evals / ef.run1_s, static_cast<double>(pairs.size()) / ef.run1_s);
  std::printf("Checksum of the sorted (patient, trial, status) triples: %016llx\n\n",
              static_cast<unsigned long long>(ef.checksum));
  std::fflush(stdout);

  if (o.curves) {
    const std::size_t p0 = std::min<std::size_t>(o.patients, 10000);
    const std::size_t t0n = std::min<std::size_t>(o.trials, 100);
    struct point {
      std::string what;
      std::size_t patients;
      std::size_t trials;
      std::size_t lo;
      std::size_t hi;
    };
    std::vector<point> points;
    for (const std::size_t f : {std::size_t{1}, std::size_t{2}, std::size_t{4}, std::size_t{8}})
      points.push_back({"patients", p0 * f / 4, t0n, 30, 60});
    for (const std::size_t f : {std::size_t{1}, std::size_t{2}, std::size_t{4}, std::size_t{8}})
      points.push_back({"trials", p0, t0n * f / 4, 30, 60});
    points.push_back({"criteria", p0, t0n, 10, 20});
    points.push_back({"criteria", p0, t0n, 30, 60});
    points.push_back({"criteria", p0, t0n, 60, 90});
    points.push_back({"criteria", p0, t0n, 90, 120});
    std::printf("## Growth curves (engine and naive interpreter, 1 thread, load excluded)\n\n");
    std::printf(
        "| varied | patients | trials | atoms per trial (median) | pairs | evaluations | engine s "
        "| engine ns/pair | naive s | naive / engine |\n");
    std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
    for (const auto& pt : points) {
      progress("curve: " + pt.what + " " + std::to_string(pt.patients) + " x " +
               std::to_string(pt.trials) + " (" + std::to_string(pt.lo) + "-" +
               std::to_string(pt.hi) + " atoms)");
      const auto cw = bench::make_workload(pt.patients, pt.trials, o.seed, threads, pt.lo, pt.hi);
      const auto cm = bench::make_matcher(cw);
      const auto cf = run_engine(cm, cw, threads, o.repeat, false);
      std::vector<std::size_t> ca;
      for (const auto& t : cw.trials) ca.push_back(synth::atomic_conditions(t));
      std::sort(ca.begin(), ca.end());
      double naive_s = 0;
      if (o.naive) {
        const auto cc = bench::lower_catalog(cm);
        bench::coverage all;
        all.patients = cw.patients.size();
        all.trials.assign(cc.trials.size(), true);
        bench::naive_baseline nb(cc, cw);
        nb.load(all, threads);
        const auto cands2 = bench::candidates(cm, cc, cw);
        const auto t1 = clock_type::now();
        const auto got = nb.run(cands2);
        naive_s = since(t1);
        if (got != cf.result.pairs) {
          progress("MISMATCH in the curves (naive)");
          ok = false;
        }
      }
      const double np =
          cf.run1_s * 1e9 / static_cast<double>(std::max<std::size_t>(1, cf.result.pairs.size()));
      std::printf("| %s | %zu | %zu | %zu | %zu | %llu | %.4f | %.1f | %.3f | %.0f |\n",
                  pt.what.c_str(), pt.patients, pt.trials, ca[ca.size() / 2],
                  cf.result.pairs.size(),
                  static_cast<unsigned long long>(cf.result.stats.evaluations), cf.run1_s, np,
                  naive_s, cf.run1_s > 0 ? naive_s / cf.run1_s : 0.0);
      std::fflush(stdout);
    }
    std::printf("\n");
  }
  if (!ok) {
    std::printf("**Answers differ: see the MISMATCH rows.**\n");
    return 1;
  }
  std::printf("All answers identical.\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return compare_main(parse(argc, argv));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ctm_compare: %s\n", e.what());
    return 3;
  }
}
