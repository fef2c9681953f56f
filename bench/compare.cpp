// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// ctm_compare: generates a workload, runs the batch engine, the scalar matcher, a naive
// interpreter and SQLite on it, checks that every answer is identical (checksum of the sorted
// (patient, trial, status) triples; exit 1 on a mismatch) and prints a markdown table with the
// timings and ratios, then the growth curves (docs/performance.md). With --stream (and always
// for L) the cohort is generated and loaded in parts and the engine's pairs go to a sink that
// counts them (support/stream.hpp), so that 2x10^6 patients x 2x10^4 trials fit in memory.
#include "support/baselines.hpp"
#include "support/stream.hpp"
#include "support/workload.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
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
  bool stream = false;
  std::size_t part = 50000;  // patients per part in the streaming path
  bool verify_stream = false;
  std::size_t q2_trials = 100;  // streaming path: trials timed for Q2 (0 = none)
};

// From this many patients on, the streaming path is used whatever the options say: the records
// held at once would not fit in memory (L's 2x10^6 take about 40 GiB).
constexpr std::size_t stream_from_patients = 500000;

[[noreturn]] void usage() {
  std::fputs(
      "usage: ctm_compare [--size S|M|L] [--patients N] [--trials N] [--seed N] [--threads N]\n"
      "                   [--baseline-patients N] [--baseline-trials N] [--scalar-max N]\n"
      "                   [--repeat N] [--no-curves] [--no-sqlite] [--no-naive] [--print-query]\n"
      "                   [--stream] [--part N] [--verify-stream] [--q2 N]\n",
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
      if (s == "L") o.stream = true;
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
    } else if (a == "--stream") {
      o.stream = true;
    } else if (a == "--part") {
      o.part = std::max<std::size_t>(1, number());
    } else if (a == "--verify-stream") {
      o.stream = true;
      o.verify_stream = true;
    } else if (a == "--q2") {
      o.q2_trials = number();
    } else {
      usage();
    }
  }
  if (o.patients >= stream_from_patients) o.stream = true;
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

std::string fmt_hex(std::uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
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
  unsigned cores = 1;  // threads the match ran on
  double load_s = 0;
  double run_s = 0;
  std::size_t pairs = 0;
  std::size_t evaluations = 0;
  double full_s = 0;  // extrapolated to the whole workload
  bool extrapolated = false;
  std::string check;
};

// The sample the naive interpreter and SQLite run on: the first patients and evenly spaced
// trials of the catalog.
struct sample {
  bench::coverage cov;
  std::size_t trials = 0;
  bool partial = false;
  std::string covered;
};

sample make_sample(const options& o, std::size_t catalog_trials) {
  sample s;
  s.cov.patients = o.baseline_patients != 0 ? std::min(o.baseline_patients, o.patients)
                                            : std::min<std::size_t>(o.patients, 10000);
  s.trials = o.baseline_trials != 0 ? std::min(o.baseline_trials, o.trials)
                                    : std::min<std::size_t>(o.trials, 100);
  s.cov.trials.assign(catalog_trials, false);
  // An even sample of the catalog's trials.
  for (std::size_t k = 0; k < s.trials; ++k) s.cov.trials[k * catalog_trials / s.trials] = true;
  s.partial = s.cov.patients < o.patients || s.trials < o.trials;
  s.covered = std::to_string(s.cov.patients) + " x " + std::to_string(s.trials);
  return s;
}

struct sqlite_columns {
  std::size_t native = 0;
  std::size_t leaf = 0;
};

// The naive interpreter and SQLite on the sample of `w` (which holds at least the sample's
// patients' records), compared with `expected` (the engine's pairs of the sample); their time per
// pair is extrapolated to `total_pairs`. Appends their rows; clears `ok` on a mismatch.
sqlite_columns run_baselines(const options& o, unsigned threads, const match::matcher& m,
                             const bench::lowered_catalog& catalog, const bench::workload& w,
                             const sample& smp, const std::vector<batch::pair_status>& expected,
                             std::uint64_t total_pairs, std::vector<row>& rows, bool& ok) {
  sqlite_columns cols;
  if (!o.naive && !o.sqlite) return cols;
  const auto cands = bench::candidates(m, catalog, w);
  const auto baseline_row = [&](const std::string& name, double load_s, double run_s,
                                const std::vector<batch::pair_status>& got) {
    row r;
    r.system = name;
    r.covered = smp.covered;
    r.load_s = load_s;
    r.run_s = run_s;
    r.pairs = got.size();
    r.evaluations = bench::implied_evaluations(catalog, got);
    r.extrapolated = smp.partial;
    r.full_s = got.empty()
                   ? 0
                   : run_s * static_cast<double>(total_pairs) / static_cast<double>(got.size());
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
    progress("naive interpreter on " + smp.covered);
    bench::naive_baseline nb(catalog, w);
    nb.load(smp.cov, threads);
    const auto t0 = clock_type::now();
    const auto got = nb.run(cands);
    baseline_row("naive tree-walking interpreter, 1 thread", nb.stats().load_seconds, since(t0),
                 got);
  }
  if (o.sqlite) {
    progress("SQLite on " + smp.covered);
    bench::sqlite_baseline sb(catalog, w);
    sb.load(smp.cov, cands, threads);
    cols.native = sb.native_columns();
    cols.leaf = sb.leaf_columns();
    if (o.print_query) {
      for (std::size_t t = 0; t < smp.cov.trials.size(); ++t) {
        if (smp.cov.trials[t]) {
          std::printf("-- generated query for trial %s\n%s;\n\n", catalog.trial_ids[t].c_str(),
                      sb.query_text(t).c_str());
          break;
        }
      }
    }
    const auto t0 = clock_type::now();
    const auto got = sb.run();
    baseline_row("SQLite " + bench::sqlite_version() + ", in memory, 1 thread",
                 sb.stats().load_seconds, since(t0), got);
  }
  return cols;
}

void print_table(const std::vector<row>& rows, double base_per_pair) {
  std::printf(
      "| system | patients x trials run | load s | match s | pairs | evaluations/s per core | "
      "match s, whole workload | x engine (1 thread) | answers |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|\n");
  for (const auto& r : rows) {
    const double eps =
        r.run_s > 0 ? static_cast<double>(r.evaluations) / r.run_s / static_cast<double>(r.cores)
                    : 0;
    const double per_pair = r.run_s / static_cast<double>(std::max<std::size_t>(1, r.pairs));
    std::printf("| %s | %s | %s | %s | %zu | %s | %s%s | %s | %s |\n", r.system.c_str(),
                r.covered.c_str(), r.load_s > 0 ? fmt("%.2f", r.load_s).c_str() : "-",
                fmt("%.3f", r.run_s).c_str(), r.pairs, sci(eps).c_str(),
                fmt("%.3f", r.full_s).c_str(), r.extrapolated ? " (extrapolated)" : "",
                fmt("%.1f", per_pair / base_per_pair).c_str(), r.check.c_str());
  }
}

void print_sqlite_columns(const options& o, const sqlite_columns& cols) {
  if (!o.sqlite) return;
  std::printf(
      "\nSQLite table: %zu columns holding answers natively (truth values, numbers, converted "
      "lab values, ULN ratios, symbols, missing flags) and %zu precomputed leaf columns "
      "(diagnosis hierarchy, stage/response ordinals, dated states and elapsed times, computed "
      "with rules::test_leaf at load).\n",
      cols.native, cols.leaf);
}

void print_tally(const bench::pair_tally& t) {
  std::printf("Statuses: %s.\n", bench::describe(t).c_str());
  std::printf(
      "Order-independent checksum (sum of per-triple hashes, bench/support/stream.hpp): "
      "%016llx\n",
      static_cast<unsigned long long>(t.checksum));
}

double mib(std::size_t bytes) { return static_cast<double>(bytes) / 1048576.0; }

std::vector<std::size_t> sorted_atoms(const std::vector<trial>& trials) {
  std::vector<std::size_t> atoms;
  for (const auto& t : trials) atoms.push_back(synth::atomic_conditions(t));
  std::sort(atoms.begin(), atoms.end());
  if (atoms.empty()) atoms.push_back(0);
  return atoms;
}

// The growth curves: fresh workloads of 10^4 patients x 100 trials varying one dimension.
void run_curves(const options& o, unsigned threads, bool& ok) {
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
    const auto ca = sorted_atoms(cw.trials);
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
                pt.what.c_str(), pt.patients, pt.trials, ca[ca.size() / 2], cf.result.pairs.size(),
                static_cast<unsigned long long>(cf.result.stats.evaluations), cf.run1_s, np,
                naive_s, cf.run1_s > 0 ? naive_s / cf.run1_s : 0.0);
    std::fflush(stdout);
  }
  std::printf("\n");
}

int finish(bool ok) {
  if (!ok) {
    std::printf("**Answers differ: see the MISMATCH rows.**\n");
    return 1;
  }
  std::printf("All answers identical.\n");
  return 0;
}

int compare_main(const options& o, unsigned threads) {
  progress("generating " + std::to_string(o.patients) + " patients x " + std::to_string(o.trials) +
           " trials, seed " + std::to_string(o.seed));
  auto t0 = clock_type::now();
  const auto w = bench::make_workload(o.patients, o.trials, o.seed, threads);
  const double gen_s = since(t0);
  t0 = clock_type::now();
  const auto m = bench::make_matcher(w);
  const double compile_s = since(t0);
  const auto catalog = bench::lower_catalog(m);
  const auto atoms = sorted_atoms(w.trials);

  progress("engine");
  const auto ef = run_engine(m, w, threads, o.repeat, true);
  const double engine_rss_mib = mib(bench::peak_rss_bytes());
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
    r.cores = threads;
    r.run_s = ef.run_all_s;
    r.full_s = ef.run_all_s;
    r.check = "identical";
    rows.push_back(r);
  }

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

  const auto smp = make_sample(o, catalog.trials.size());
  const auto expected = bench::restrict_pairs(pairs, smp.cov.trials, smp.cov.patients);
  const auto cols = run_baselines(o, threads, m, catalog, w, smp, expected, pairs.size(), rows, ok);

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
      engine_rss_mib, mib(bench::peak_rss_bytes()));
  print_table(rows, ef.run1_s / static_cast<double>(std::max<std::size_t>(1, pairs.size())));
  print_sqlite_columns(o, cols);
  std::printf(
      "\nEngine: %.3g evaluations in %zu pairs; %.2e evaluations/s on one core, %.2e pairs/s on "
      "one core.\n",
      evals, pairs.size(), evals / ef.run1_s, static_cast<double>(pairs.size()) / ef.run1_s);
  std::printf("Checksum of the sorted (patient, trial, status) triples: %016llx\n",
              static_cast<unsigned long long>(ef.checksum));
  print_tally(bench::triple_hasher(w.patient_ids, catalog.trial_ids).tally(pairs));
  std::printf("\n");
  std::fflush(stdout);

  if (o.curves) run_curves(o, threads, ok);
  return finish(ok);
}

// One streaming run: the figures of the first run are the reference the others must equal.
struct stream_run {
  double seconds = 0;
  batch::run_stats stats;
  bench::pair_tally tally;
  std::vector<batch::pair_status> sample;
};

stream_run run_streaming(const batch::engine& e, const batch::cohort& c,
                         const bench::triple_hasher& hasher, const bench::coverage& cov,
                         unsigned threads) {
  bench::tally_sink sink(hasher, cov);
  batch::batch_options bo;
  bo.threads = threads;
  stream_run r;
  const auto t0 = clock_type::now();
  r.stats = e.run(c, sink.sink(), bo);
  r.seconds = since(t0);
  r.tally = sink.tally();
  r.sample = sink.sample_pairs();
  return r;
}

bool same_run(const stream_run& a, const stream_run& b) {
  return a.tally == b.tally && a.sample == b.sample && a.stats.pairs == b.stats.pairs &&
         a.stats.evaluations == b.stats.evaluations;
}

// The streaming path: the catalog at once, the cohort generated and loaded in parts
// (cohort_builder), the engine's pairs handed to a sink that tallies them; the baselines run on
// the first patients' records, kept while loading, and are compared with the pairs the same
// streaming run handed over for the sample.
int stream_main(const options& o, unsigned threads) {
  progress("generating the catalog: " + std::to_string(o.trials) + " trials, seed " +
           std::to_string(o.seed));
  auto t0 = clock_type::now();
  auto w = bench::make_catalog(o.trials, o.seed);
  const double catalog_gen_s = since(t0);
  t0 = clock_type::now();
  const auto m = bench::make_matcher(w);
  const double compile_s = since(t0);
  const auto catalog = bench::lower_catalog(m);
  const auto atoms = sorted_atoms(w.trials);
  t0 = clock_type::now();
  const auto e = batch::engine::create(m);
  const double create_s = since(t0);

  const auto smp = make_sample(o, catalog.trials.size());
  progress("generating and loading " + std::to_string(o.patients) + " patients in parts of " +
           std::to_string(o.part));
  const auto load_start = clock_type::now();
  auto sc = bench::load_in_parts(
      e, w, o.seed, o.patients, o.part, threads, smp.cov.patients, [&](std::size_t done) {
        if (o.patients > o.part) {
          progress(std::to_string(done) + " patients loaded, " + fmt("%.0f s", since(load_start)) +
                   ", peak RSS " + fmt("%.0f MiB", mib(bench::peak_rss_bytes())));
        }
      });
  const batch::cohort& cohort = *sc.cohort;
  if (!cohort.errors().empty() || cohort.size() != o.patients) {
    progress("internal error: " + std::to_string(o.patients - cohort.size()) +
             " generated patients could not be loaded");
    return 3;
  }
  const bench::triple_hasher hasher(cohort.patient_ids(), e.trial_ids());

  bool ok = true;
  std::vector<double> one;
  std::vector<double> all;
  stream_run ref;
  for (int r = 0; r < o.repeat; ++r) {
    progress("engine, streaming, 1 thread (run " + std::to_string(r + 1) + " of " +
             std::to_string(o.repeat) + ")");
    auto r1 = run_streaming(e, cohort, hasher, smp.cov, 1);
    one.push_back(r1.seconds);
    if (r == 0) {
      ref = std::move(r1);
      if (ref.tally.pairs != ref.stats.pairs) {
        progress("MISMATCH: the sink received " + std::to_string(ref.tally.pairs) +
                 " pairs, the run reports " + std::to_string(ref.stats.pairs));
        ok = false;
      }
    } else if (!same_run(r1, ref)) {
      progress("MISMATCH: the engine's answers differ between runs");
      ok = false;
    }
    progress("engine, streaming, " + std::to_string(threads) + " threads (run " +
             std::to_string(r + 1) + " of " + std::to_string(o.repeat) + ")");
    const auto rn = run_streaming(e, cohort, hasher, smp.cov, threads);
    all.push_back(rn.seconds);
    if (!same_run(rn, ref)) {
      progress("MISMATCH: the engine's answers differ between 1 and " + std::to_string(threads) +
               " threads");
      ok = false;
    }
  }
  const double run1_s = median(one);
  const double run_all_s = median(all);
  const std::size_t runs_rss = bench::peak_rss_bytes();
  const double evals = static_cast<double>(ref.stats.evaluations);
  const auto pairs = static_cast<std::size_t>(ref.tally.pairs);

  std::vector<row> rows;
  {
    row r;
    r.system = "ctm batch engine, streaming, 1 thread";
    r.covered = "all";
    r.load_s = sc.load_seconds;
    r.run_s = run1_s;
    r.pairs = pairs;
    r.evaluations = ref.stats.evaluations;
    r.full_s = run1_s;
    r.check = ok ? "reference" : "MISMATCH";
    rows.push_back(r);
    r.system = "ctm batch engine, streaming, " + std::to_string(threads) + " threads";
    r.cores = threads;
    r.run_s = run_all_s;
    r.full_s = run_all_s;
    r.check = ok ? "identical" : "MISMATCH";
    rows.push_back(r);
  }

  // The baselines on the kept records, against the pairs the streaming run handed over for them.
  w.patients = std::move(sc.kept);
  for (const auto& p : w.patients) w.patient_ids.push_back(p.label);
  const auto cols =
      run_baselines(o, threads, m, catalog, w, smp, ref.sample, ref.tally.pairs, rows, ok);

  // At small sizes: the same workload generated and loaded at once, run without a sink; its
  // cohort and pairs must equal the streaming path's.
  std::string verified;
  if (o.verify_stream) {
    progress("verifying against one-shot generation and load");
    const auto records =
        bench::generate_patients(w.data.vocab, o.seed, w.as_of, 0, o.patients, threads);
    batch::batch_options bo;
    bo.threads = threads;
    const auto c2 = e.load(records, w.as_of, bo);
    const auto r2 = e.run(c2, bo);
    bench::coverage everything;
    everything.patients = o.patients;
    everything.trials.assign(catalog.trials.size(), true);
    const auto full = run_streaming(e, cohort, hasher, everything, threads);
    const bench::triple_hasher hasher2(c2.patient_ids(), e.trial_ids());
    const bool same_cohort = c2.patient_ids() == cohort.patient_ids() &&
                             c2.size() == cohort.size() && c2.bytes() == cohort.bytes();
    const bool same_pairs = full.sample == r2.pairs && hasher2.tally(r2.pairs) == ref.tally &&
                            r2.stats.pairs == ref.stats.pairs &&
                            r2.stats.evaluations == ref.stats.evaluations &&
                            full.tally == ref.tally;
    if (!same_cohort) progress("MISMATCH: the cohort loaded in parts differs from load()'s");
    if (!same_pairs) progress("MISMATCH: the streaming run's pairs differ from run()'s");
    ok = ok && same_cohort && same_pairs;
    verified = "Streaming path checked against one-shot generation, `engine::load` and `run`: " +
               std::string(same_cohort ? "same cohort" : "DIFFERENT cohort") + " (" +
               std::to_string(c2.size()) + " patients, " + std::to_string(c2.bytes()) +
               " bytes), " + (same_pairs ? "same pairs" : "DIFFERENT pairs") +
               " (sorted checksum " +
               fmt_hex(batch::checksum(r2.pairs, c2.patient_ids(), e.trial_ids())) + ").\n";
  }

  // Q2: one trial's feasibility (counts and attrition) over the whole cohort, one thread, for
  // evenly spaced trials of the catalog.
  std::vector<double> q2_ms;
  {
    batch::batch_options single;
    single.threads = 1;
    const auto& ids = e.trial_ids();
    const std::size_t k = std::min(o.q2_trials, ids.size());
    if (k > 0) progress("Q2: " + std::to_string(k) + " trials' feasibility, 1 thread");
    for (std::size_t i = 0; i < k; ++i) {
      const auto q2_start = clock_type::now();
      const auto f = e.feasibility(ids[i * ids.size() / k], cohort, {}, single);
      q2_ms.push_back(since(q2_start) * 1000.0);
      if (!f || f->patients != cohort.size()) {
        progress("Q2: feasibility failed for " + ids[i * ids.size() / k]);
        ok = false;
      }
    }
  }

  // The report.
  const double n = static_cast<double>(std::max<std::size_t>(1, o.patients));
  std::printf("## ctm_compare: %zu patients x %zu trials (seed %llu), streaming\n\n", o.patients,
              o.trials, static_cast<unsigned long long>(o.seed));
  std::printf(
      "Atomic conditions per trial: min %zu, median %zu, max %zu; %zu leaves in the catalog, %zu "
      "distinct queries.\nGeneration: catalog %.2f s, patients %.2f s in %zu parts of up to %zu "
      "(%.0f patients/s, %u threads). Compiling the catalog %.2f s, engine create %.2f s.\n"
      "Engine load (derive + columns, %u threads, `cohort_builder` part by part, records dropped "
      "after each part) %.2f s, %.0f patients/s; %.0f bytes per patient in the batch store "
      "(`cohort::bytes()`).\nPeak RSS %.0f MiB after generation and load, %.0f MiB after the "
      "engine's runs, %.0f MiB at the end (the baselines' stores included).\n",
      atoms.front(), atoms[atoms.size() / 2], atoms.back(), catalog.leaves, catalog.queries.size(),
      catalog_gen_s, sc.generate_seconds, sc.parts, o.part, n / std::max(1e-9, sc.generate_seconds),
      threads, compile_s, create_s, threads, sc.load_seconds, n / std::max(1e-9, sc.load_seconds),
      static_cast<double>(cohort.bytes()) / n, mib(sc.peak_rss_bytes), mib(runs_rss),
      mib(bench::peak_rss_bytes()));
  std::printf(
      "Match: `engine::run` with a sink, nothing kept; the sink counts each block's pairs per "
      "status, sums the order-independent checksum and keeps the sample's pairs (its work is "
      "included in the match times; median of %d run%s). The baselines are compared with the pairs "
      "this streaming run handed over for the sample's patients and trials.\n\n",
      o.repeat, o.repeat == 1 ? "" : "s");
  print_table(rows, run1_s / static_cast<double>(std::max<std::size_t>(1, pairs)));
  print_sqlite_columns(o, cols);
  std::printf(
      "\nEngine: %.3g evaluations in %zu pairs; %.2e evaluations/s on one core, %.2e pairs/s on "
      "one core.\n",
      evals, pairs, evals / run1_s, static_cast<double>(pairs) / run1_s);
  print_tally(ref.tally);
  if (!q2_ms.empty()) {
    std::printf(
        "Q2, one trial's feasibility (counts and attrition) over all %zu patients, 1 thread, %zu "
        "evenly spaced trials: p50 %.1f ms, p99 %.1f ms.\n",
        cohort.size(), q2_ms.size(), bench::percentile(q2_ms, 0.5), bench::percentile(q2_ms, 0.99));
  }
  std::printf("%s\n", verified.c_str());
  std::fflush(stdout);

  if (o.curves) run_curves(o, threads, ok);
  return finish(ok);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const auto o = parse(argc, argv);
    const unsigned threads =
        o.threads != 0 ? o.threads : std::max(1U, std::thread::hardware_concurrency());
    return o.stream ? stream_main(o, threads) : compare_main(o, threads);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ctm_compare: %s\n", e.what());
    return 3;
  }
}
