// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Google Benchmark programs of the batch engine (issue 8, docs/performance.md): load (derive +
// columns), derive throughput from JSON, the batch over S and M on one thread and all threads,
// Q1 (one patient against the catalog, `engine::run_one` beside the one-patient cohort path and
// the scalar matcher; p50/p99 over 1,000 patients) and Q2 (one trial's feasibility over the
// cohort; p50/p99 over the trials), peak memory and bytes per patient.
//
//   batch_bench [--sizes=S,M] [--q1-trials=N] [google benchmark flags]
//
// Workloads are generated once per size (ctm::synth, seed 1) and reused across benchmarks.
#include "support/workload.hpp"

#include <ctm/io/patient_json.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace ctm;
using clock_type = std::chrono::steady_clock;

struct prepared {
  bench::workload w;
  std::unique_ptr<match::matcher> m;
  std::unique_ptr<batch::engine> e;
  std::unique_ptr<batch::cohort> c;
};

unsigned all_threads() { return std::max(1U, std::thread::hardware_concurrency()); }

prepared& workload_for(std::size_t patients, std::size_t trials) {
  static std::map<std::pair<std::size_t, std::size_t>, std::unique_ptr<prepared>> cache;
  auto& slot = cache[{patients, trials}];
  if (!slot) {
    slot = std::make_unique<prepared>();
    slot->w = bench::make_workload(patients, trials, 1, all_threads());
    slot->m = std::make_unique<match::matcher>(bench::make_matcher(slot->w));
    slot->e = std::make_unique<batch::engine>(batch::engine::create(*slot->m));
    batch::batch_options o;
    o.threads = all_threads();
    slot->c = std::make_unique<batch::cohort>(slot->e->load(slot->w.patients, slot->w.as_of, o));
  }
  return *slot;
}

void memory_counters(benchmark::State& state, const prepared& p) {
  state.counters["bytes_per_patient"] = static_cast<double>(p.c->bytes()) /
                                        static_cast<double>(std::max<std::size_t>(1, p.c->size()));
  state.counters["peak_rss_MiB"] = static_cast<double>(bench::peak_rss_bytes()) / 1048576.0;
}

// Load: derive every patient and fill the columns (reported apart from matching).
void bm_load(benchmark::State& state, std::size_t patients, std::size_t trials) {
  auto& p = workload_for(patients, trials);
  batch::batch_options o;
  o.threads = static_cast<unsigned>(state.range(0));
  for (auto _ : state) {
    auto c = p.e->load(p.w.patients, p.w.as_of, o);
    benchmark::DoNotOptimize(c.size());
  }
  state.counters["patients_per_s"] = benchmark::Counter(
      static_cast<double>(patients), benchmark::Counter::kIsIterationInvariantRate);
  memory_counters(state, p);
}

// Derive throughput: JSON text -> patient -> derived facts, one thread.
void bm_derive(benchmark::State& state) {
  auto& p = workload_for(synth::size_s.patients, synth::size_s.trials);
  std::vector<std::string> json;
  for (std::size_t i = 0; i < 2000; ++i)
    json.push_back(io::write_patient_line(*p.w.patients[i].record));
  for (auto _ : state) {
    for (const auto& text : json) {
      auto doc = io::read_patient(text);
      auto facts = history::derive_facts(doc->patient, p.w.as_of, p.w.data.vocab);
      benchmark::DoNotOptimize(facts);
    }
  }
  state.counters["patients_per_s"] = benchmark::Counter(
      static_cast<double>(json.size()), benchmark::Counter::kIsIterationInvariantRate);
}

// The batch: every candidate pair's best-arm status.
void bm_batch(benchmark::State& state, std::size_t patients, std::size_t trials) {
  auto& p = workload_for(patients, trials);
  batch::batch_options o;
  o.threads = static_cast<unsigned>(state.range(0));
  batch::run_stats stats;
  for (auto _ : state) {
    auto r = p.e->run(*p.c, o);
    stats = r.stats;
    benchmark::DoNotOptimize(r.pairs.data());
  }
  const double cores = static_cast<double>(o.threads);
  state.counters["evaluations_per_s_per_core"] =
      benchmark::Counter(static_cast<double>(stats.evaluations) / cores,
                         benchmark::Counter::kIsIterationInvariantRate);
  state.counters["pairs_per_s_per_core"] = benchmark::Counter(
      static_cast<double>(stats.pairs) / cores, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["pairs"] = static_cast<double>(stats.pairs);
  memory_counters(state, p);
}

// Q1: one patient (given as a record) against the whole catalog, one thread, timed one by one
// over 1,000 patients: the engine's single-patient path (`engine::run_one`: derive, answer only
// the candidate trials' queries, fold one bit wide), the cohort path for one patient (`load` of
// a one-patient cohort, then `run`) and the scalar matcher. `run_one`'s statuses must equal the
// cohort path's (the benchmark reports an error otherwise).
void bm_q1(benchmark::State& state, std::size_t trials) {
  auto& p = workload_for(1000, trials);
  batch::batch_options o;
  o.threads = 1;
  std::vector<double> one_us;
  std::vector<double> cohort_us;
  std::vector<double> scalar_us;
  std::size_t differ = 0;
  const auto us_since = [](clock_type::time_point t0) {
    return std::chrono::duration<double, std::micro>(clock_type::now() - t0).count();
  };
  for (auto _ : state) {
    one_us.clear();
    cohort_us.clear();
    scalar_us.clear();
    for (std::size_t i = 0; i < p.w.patients.size(); ++i) {
      auto t0 = clock_type::now();
      const auto one = p.e->run_one(*p.w.patients[i].record, p.w.as_of, o);
      benchmark::DoNotOptimize(one.data());
      one_us.push_back(us_since(t0));
      t0 = clock_type::now();
      const auto c = p.e->load(std::span(&p.w.patients[i], 1), p.w.as_of, o);
      const auto r = p.e->run(c, o);
      benchmark::DoNotOptimize(r.pairs.data());
      cohort_us.push_back(us_since(t0));
      if (one != r.pairs) ++differ;
      t0 = clock_type::now();
      const auto s = p.m->match(*p.w.patients[i].record, p.w.as_of);
      benchmark::DoNotOptimize(s.results.data());
      scalar_us.push_back(us_since(t0));
    }
  }
  if (differ != 0) {
    state.SkipWithError(
        (std::to_string(differ) + " patients: run_one differs from load + run").c_str());
    return;
  }
  state.counters["engine_p50_us"] = bench::percentile(one_us, 0.5);
  state.counters["engine_p99_us"] = bench::percentile(one_us, 0.99);
  state.counters["load_run_p50_us"] = bench::percentile(cohort_us, 0.5);
  state.counters["load_run_p99_us"] = bench::percentile(cohort_us, 0.99);
  state.counters["scalar_p50_us"] = bench::percentile(scalar_us, 0.5);
  state.counters["scalar_p99_us"] = bench::percentile(scalar_us, 0.99);
  state.counters["trials"] = static_cast<double>(trials);
}

// Q2: one trial's feasibility (counts and attrition) over the whole cohort, one thread; each
// iteration times up to 200 trials one by one.
void bm_q2(benchmark::State& state, std::size_t patients, std::size_t trials) {
  auto& p = workload_for(patients, trials);
  batch::batch_options o;
  o.threads = 1;
  const auto& ids = p.e->trial_ids();
  const std::size_t n = std::min<std::size_t>(200, ids.size());
  std::vector<double> ms;
  for (auto _ : state) {
    ms.clear();
    for (std::size_t k = 0; k < n; ++k) {
      const auto t0 = clock_type::now();
      auto f = p.e->feasibility(ids[k * ids.size() / n], *p.c, {}, o);
      benchmark::DoNotOptimize(f);
      ms.push_back(std::chrono::duration<double, std::milli>(clock_type::now() - t0).count());
    }
  }
  state.counters["p50_ms"] = bench::percentile(ms, 0.5);
  state.counters["p99_ms"] = bench::percentile(ms, 0.99);
  state.counters["patients"] = static_cast<double>(patients);
}

}  // namespace

int main(int argc, char** argv) {
  std::string sizes = "S,M";
  std::size_t q1_trials = synth::size_m.trials;
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], "--sizes=", 8) == 0) {
      sizes = argv[i] + 8;
    } else if (std::strncmp(argv[i], "--q1-trials=", 12) == 0) {
      q1_trials = static_cast<std::size_t>(std::stoull(argv[i] + 12));
    } else {
      rest.push_back(argv[i]);
    }
  }
  int n = static_cast<int>(rest.size());
  benchmark::Initialize(&n, rest.data());
  const unsigned threads = all_threads();
  benchmark::RegisterBenchmark("derive/json_to_facts", bm_derive)->Unit(benchmark::kMillisecond);
  for (const auto& [name, size] : {std::pair{"S", synth::size_s}, std::pair{"M", synth::size_m},
                                   std::pair{"L", synth::size_l}}) {
    if (sizes.find(name) == std::string::npos) continue;
    const std::string s = name;
    benchmark::RegisterBenchmark(("load/" + s).c_str(), bm_load, size.patients, size.trials)
        ->Arg(static_cast<long>(threads))
        ->ArgName("threads")
        ->Unit(benchmark::kMillisecond)
        ->Iterations(1)
        ->UseRealTime();
    benchmark::RegisterBenchmark(("batch/" + s).c_str(), bm_batch, size.patients, size.trials)
        ->Arg(1)
        ->Arg(static_cast<long>(threads))
        ->ArgName("threads")
        ->Unit(benchmark::kMillisecond)
        ->MinTime(1.0)
        ->UseRealTime();
    benchmark::RegisterBenchmark(("q2_feasibility/" + s).c_str(), bm_q2, size.patients, size.trials)
        ->Unit(benchmark::kMillisecond)
        ->Iterations(1)
        ->UseRealTime();
  }
  benchmark::RegisterBenchmark(("q1_one_patient/trials:" + std::to_string(q1_trials)).c_str(),
                               bm_q1, q1_trials)
      ->Unit(benchmark::kMillisecond)
      ->Iterations(1)
      ->UseRealTime();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
