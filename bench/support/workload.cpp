// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include "support/workload.hpp"

#include <ctm/io/trial_json.hpp>
#include <ctm/io/vocabulary.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <sys/resource.h>

#ifndef CTM_SOURCE_DIR
#error "CTM_SOURCE_DIR must name the source tree"
#endif

namespace ctm::bench {
namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

bundled_data load_bundled() {
  bundled_data d;
  d.vocab.diseases = io::bundled_ontology().value();
  d.vocab.drugs = io::bundled_drug_catalog().value();
  d.vocab.labs = io::bundled_lab_catalog().value();
  const std::filesystem::path root = CTM_SOURCE_DIR;
  (void)d.definitions.add(
      rules::parse(slurp(root / "data" / "definitions" / "common.rules"), "common.rules"));
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(root / "data" / "trials")) {
    if (e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    auto doc = io::read_trial(slurp(f), f.filename().string());
    if (doc) d.templates.push_back(std::move(doc->trial));
  }
  return d;
}

workload make_catalog(std::size_t trials, std::uint64_t seed, std::size_t min_conditions,
                      std::size_t max_conditions) {
  workload w;
  w.data = load_bundled();
  w.as_of = synth::default_as_of;
  synth::catalog_options co;
  co.seed = seed;
  co.trials = trials;
  co.definitions = w.data.definitions;
  co.min_conditions = min_conditions;
  co.max_conditions = max_conditions;
  w.trials = synth::generate_trials(co, w.data.templates, w.data.vocab);
  return w;
}

std::vector<match::batch_input> generate_patients(const history::vocabularies& vocab,
                                                  std::uint64_t seed, date as_of, std::size_t begin,
                                                  std::size_t end, unsigned threads) {
  synth::cohort_options po;
  po.seed = seed;
  po.patients = end;
  po.as_of = as_of;
  const synth::cohort_generator g(po, vocab);
  std::vector<match::batch_input> out(end > begin ? end - begin : 0);
  parallel_for(out.size(), threads, [&](std::size_t k) {
    auto& in = out[k];
    in.record = g(begin + k);
    in.label = in.record->id;
  });
  return out;
}

workload make_workload(std::size_t patients, std::size_t trials, std::uint64_t seed,
                       unsigned threads, std::size_t min_conditions, std::size_t max_conditions) {
  workload w = make_catalog(trials, seed, min_conditions, max_conditions);
  w.patients = generate_patients(w.data.vocab, seed, w.as_of, 0, patients, threads);
  w.patient_ids.reserve(patients);
  for (const auto& p : w.patients) w.patient_ids.push_back(p.label);
  return w;
}

match::matcher make_matcher(const workload& w) {
  match::matcher_config config;
  config.vocab = w.data.vocab;
  config.definitions = w.data.definitions;
  return match::matcher::create(w.trials, config);
}

lowered_catalog lower_catalog(const match::matcher& m) {
  lowered_catalog out;
  out.ontology = std::nullopt;
  std::map<std::string, std::vector<std::uint32_t>> by_name;
  const auto intern = [&](const rules::query& q) {
    const std::string name = rules::describe(q);
    auto& ids = by_name[name];
    for (const auto id : ids) {
      if (out.queries[id] == q) return id;
    }
    const auto id = static_cast<std::uint32_t>(out.queries.size());
    out.queries.push_back(q);
    out.query_names.push_back(name + "#" + std::to_string(ids.size()));
    ids.push_back(id);
    return id;
  };
  const auto lower_one = [&](const compiled_criterion& c) {
    lowered_criterion lc;
    lc.kind = c.kind;
    if (c.program) {
      lc.program = c.program->lower();
      for (const auto& q : lc.program->queries) lc.queries.push_back(intern(q));
      out.leaves += lc.program->leaves.size();
      if (!out.ontology && lc.program->ontology) out.ontology = lc.program->ontology;
    }
    return lc;
  };
  for (const auto& ct : m.trials()) {
    lowered_trial t;
    for (const auto& c : ct.criteria) t.criteria.push_back(lower_one(c));
    const auto shared = static_cast<std::uint32_t>(t.criteria.size());
    if (ct.arms.empty()) {
      lowered_arm a;
      for (std::uint32_t k = 0; k < shared; ++k) a.criteria.push_back(k);
      t.arms.push_back(std::move(a));
    } else {
      for (const auto& arm : ct.arms) {
        if (!is_open(arm.status)) continue;
        lowered_arm a;
        for (std::uint32_t k = 0; k < shared; ++k) a.criteria.push_back(k);
        for (const auto& c : arm.criteria) {
          a.criteria.push_back(static_cast<std::uint32_t>(t.criteria.size()));
          t.criteria.push_back(lower_one(c));
        }
        t.arms.push_back(std::move(a));
      }
    }
    out.trials.push_back(std::move(t));
    out.trial_ids.push_back(ct.trial.id);
  }
  return out;
}

std::vector<std::vector<std::uint32_t>> candidates(const match::matcher& m,
                                                   const lowered_catalog& c, const workload& w) {
  std::vector<std::vector<std::uint32_t>> out(w.patients.size());
  const auto& onto = w.data.vocab.diseases;
  for (std::size_t i = 0; i < w.patients.size(); ++i) {
    const auto& p = *w.patients[i].record;
    match::index_query q;
    // The patient's resolvable diagnoses, as the matcher resolves them.
    for (const auto& d : p.diagnoses) {
      std::optional<concept_id> id;
      if (onto && !d.code.empty()) id = onto->lookup(d.code);
      if (onto && !id && !d.text.empty()) id = onto->lookup(d.text);
      if (id) q.diseases.push_back(*id);
    }
    for (const std::size_t t : m.index().candidates(q)) {
      if (!c.trials[t].arms.empty()) out[i].push_back(static_cast<std::uint32_t>(t));
    }
  }
  return out;
}

std::vector<batch::pair_status> scalar_pairs(const match::matcher& m, const workload& w,
                                             unsigned threads) {
  match::match_options o;
  o.include_ineligible = true;
  o.top_k = 0;
  o.threads = threads;
  const auto outputs = m.match_batch(w.patients, w.as_of, o);
  std::map<std::string, std::uint32_t> trial_pos;
  for (std::size_t t = 0; t < m.trials().size(); ++t) {
    trial_pos[m.trials()[t].trial.id] = static_cast<std::uint32_t>(t);
  }
  std::vector<batch::pair_status> out;
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    if (!outputs[i].result) continue;
    for (const auto& t : outputs[i].result->results) {
      out.push_back({static_cast<std::uint32_t>(i), trial_pos.at(t.trial_id), t.best().status});
    }
  }
  std::sort(out.begin(), out.end(), [](const batch::pair_status& a, const batch::pair_status& b) {
    return a.patient != b.patient ? a.patient < b.patient : a.trial < b.trial;
  });
  return out;
}

std::vector<batch::pair_status> restrict_pairs(const std::vector<batch::pair_status>& pairs,
                                               const std::vector<bool>& keep,
                                               std::size_t patients) {
  std::vector<batch::pair_status> out;
  for (const auto& p : pairs) {
    if (p.patient < patients && p.trial < keep.size() && keep[p.trial]) out.push_back(p);
  }
  return out;
}

std::size_t peak_rss_bytes() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<std::size_t>(u.ru_maxrss) * 1024U;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(k, v.size() - 1)];
}

}  // namespace ctm::bench
