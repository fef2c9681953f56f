// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Vocabulary hot paths: disease is_a on the DFS intervals, drug-class membership on the ancestor
// bitsets, code lookup, and the time to parse the bundled vocabularies (target: under 50 ms).
#include <ctm/io/vocabulary.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <vector>

namespace {

// A fixed-seed list of id pairs, so every run measures the same queries.
template <class Id>
std::vector<std::pair<Id, Id>> random_pairs(std::size_t universe, std::size_t count) {
  std::mt19937 rng(20260303);
  std::uniform_int_distribution<std::uint32_t> pick(0, static_cast<std::uint32_t>(universe - 1));
  std::vector<std::pair<Id, Id>> out(count);
  for (auto& [a, b] : out) {
    a = Id{pick(rng)};
    b = Id{pick(rng)};
  }
  return out;
}

void BM_vocab_is_a(benchmark::State& state) {
  const auto tree = ctm::io::bundled_ontology().value();
  const auto pairs = random_pairs<ctm::concept_id>(tree.size(), 4096);
  std::size_t yes = 0;
  for (auto _ : state) {
    for (const auto& [p, t] : pairs) yes += tree.is_a(p, t) == ctm::truth::yes ? 1U : 0U;
    benchmark::DoNotOptimize(yes);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * pairs.size()));
}
BENCHMARK(BM_vocab_is_a);

void BM_vocab_is_a_oncotree(benchmark::State& state) {
  const auto tree =
      ctm::io::load_ontology(CTM_SHARED_DATA_DIR "/oncotree/oncotree_2025_10_03.json");
  if (!tree) {
    state.SkipWithError("the OncoTree release is not in ../shared/data");
    return;
  }
  const auto pairs = random_pairs<ctm::concept_id>(tree->size(), 4096);
  std::size_t yes = 0;
  for (auto _ : state) {
    for (const auto& [p, t] : pairs) yes += tree->is_a(p, t) == ctm::truth::yes ? 1U : 0U;
    benchmark::DoNotOptimize(yes);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * pairs.size()));
}
BENCHMARK(BM_vocab_is_a_oncotree);

void BM_vocab_drug_is_a(benchmark::State& state) {
  const auto catalog = ctm::io::bundled_drug_catalog().value();
  const auto pairs = random_pairs<ctm::drug_id>(catalog.size(), 4096);
  std::size_t yes = 0;
  for (auto _ : state) {
    for (const auto& [d, c] : pairs) yes += catalog.is_a(d, c) ? 1U : 0U;
    benchmark::DoNotOptimize(yes);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * pairs.size()));
}
BENCHMARK(BM_vocab_drug_is_a);

void BM_vocab_drug_ancestors(benchmark::State& state) {
  const auto catalog = ctm::io::bundled_drug_catalog().value();
  std::uint32_t next = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(catalog.ancestors(ctm::drug_id{next}));
    next = (next + 1) % static_cast<std::uint32_t>(catalog.size());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_vocab_drug_ancestors);

void BM_vocab_drug_find_brand(benchmark::State& state) {
  const auto catalog = ctm::io::bundled_drug_catalog().value();
  for (auto _ : state) benchmark::DoNotOptimize(catalog.find("Revlimid"));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_vocab_drug_find_brand);

void BM_vocab_disease_find_code(benchmark::State& state) {
  const auto tree = ctm::io::bundled_ontology().value();
  for (auto _ : state) benchmark::DoNotOptimize(tree.find("LUAD"));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_vocab_disease_find_code);

// What the first bundled_*() calls cost: parse and freeze all three embedded vocabularies. The
// embedded text is the same as data/vocab/, read from the tree so each iteration parses afresh.
void BM_vocab_load_bundled(benchmark::State& state) {
  const auto dir = std::string(CTM_SOURCE_DIR) + "/data/vocab/";
  for (auto _ : state) {
    auto o = ctm::io::load_ontology(dir + "diseases.tsv");
    auto d = ctm::io::load_drug_catalog(dir + "drugs.json");
    auto l = ctm::io::load_lab_catalog(dir + "labs.json");
    if (!o || !d || !l) {
      state.SkipWithError("data/vocab does not load");
      return;
    }
    benchmark::DoNotOptimize(o);
    benchmark::DoNotOptimize(d);
    benchmark::DoNotOptimize(l);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_vocab_load_bundled)->Unit(benchmark::kMillisecond);

void BM_vocab_load_oncotree_json(benchmark::State& state) {
  for (auto _ : state) {
    auto o = ctm::io::load_ontology(CTM_SHARED_DATA_DIR "/oncotree/oncotree_2025_10_03.json");
    if (!o) {
      state.SkipWithError("the OncoTree release is not in ../shared/data");
      return;
    }
    benchmark::DoNotOptimize(o);
  }
}
BENCHMARK(BM_vocab_load_oncotree_json)->Unit(benchmark::kMillisecond);

}  // namespace
