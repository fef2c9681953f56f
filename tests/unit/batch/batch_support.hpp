// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// Random cohorts and catalogs for the batch engine's differential tests: the bundled trials and
// sample patients, random rule texts over a small grammar of the rule language, and random
// patients (mutated samples and patients built from scratch) with missing data everywhere.
#include "support/paths.hpp"

#include <ctm/batch/engine.hpp>
#include <ctm/io/ctgov.hpp>
#include <ctm/io/fhir.hpp>
#include <ctm/io/vocabulary.hpp>
#include <ctm/match/matcher.hpp>
#include <ctm/rules/check.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace ctm::test::batch {

inline date as_of() { return std::chrono::year{2026} / 11 / 1; }

/// The bundled vocabularies, definitions, trials and sample patients, read once.
struct world {
  history::vocabularies vocab;
  rules::definition_library definitions;
  std::vector<trial> trials;
  std::vector<patient> samples;
};

inline const world& bundled() {
  static const world w = [] {
    world out;
    out.vocab.diseases = io::bundled_ontology().value();
    out.vocab.drugs = io::bundled_drug_catalog().value();
    out.vocab.labs = io::bundled_lab_catalog().value();
    const auto data = std::filesystem::path(CTM_TEST_SOURCE_DIR) / "data";
    std::ifstream in(data / "definitions" / "common.rules", std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    (void)out.definitions.add(rules::parse(text.str(), "common.rules"));
    for (auto& r : io::read_trials_any(data / "trials")) {
      if (r.document) out.trials.push_back(std::move(r.document->trial));
    }
    for (auto& r : io::read_patients_any(data / "patients")) {
      if (r.document) out.samples.push_back(std::move(r.document->patient));
    }
    return out;
  }();
  return w;
}

inline match::matcher make_matcher(
    std::vector<trial> trials,
    rules::missing_data_policy policy = rules::missing_data_policy::unknown) {
  match::matcher_config config;
  config.vocab = bundled().vocab;
  config.definitions = bundled().definitions;
  config.compile.compile.policy = policy;
  return match::matcher::create(std::move(trials), config);
}

class generator {
 public:
  explicit generator(std::uint64_t seed) : rng_(seed) {}

  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool coin(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(uniform(0, static_cast<int>(v.size()) - 1))];
  }

  /// A date in the `days` before the as-of date, exact, to the month or to the year.
  partial_date recent(int days) {
    const date d = add_days(as_of(), -uniform(0, days));
    const int precision = uniform(0, 9);
    if (precision == 0) return partial_date::of_year(d.year());
    if (precision == 1) return partial_date::of_month(d.year(), d.month());
    return partial_date::exact(d);
  }

  // ---- rules ------------------------------------------------------------------------------------

  std::string atom() {
    static const std::vector<std::string> codes = {
        "NSCLC", "LUAD", "PCM", "BRCA", "_SOLID_", "DLBCLNOS", "MEL", "_LIQUID_", "OVARY"};
    static const std::vector<std::string> labs = {"lab(anc) >= {n} [/mm3]",
                                                  "lab(anc, within 28 days) >= 1.5 [10*3/uL]",
                                                  "lab(platelets) >= {n}000 [/mm3]",
                                                  "lab(hemoglobin, within 28 days) >= {n} [g/dL]",
                                                  "lab(alt) <= {x} x uln",
                                                  "lab(bilirubin) <= {x} x uln",
                                                  "lab(creatinine) <= {x} [mg/dL]",
                                                  "lab(creatinine_clearance) >= {n} [mL/min]",
                                                  "lab(ast, within 14 days) < {x} x uln"};
    static const std::vector<std::string> others = {
        "age >= {n}",
        "age in 18..{n}",
        "age < {n}",
        "ecog <= {s}",
        "ecog in 0..1",
        "karnofsky >= {n}",
        "prior_lines >= {s}",
        "prior_lines in 1..{s}",
        "prior_lines(setting: advanced) >= 1",
        "biomarker(\"EGFR\", \"L858R\") is detected",
        "biomarker(\"EGFR\", \"exon 19 deletion\") is detected",
        "biomarker(\"KRAS\", \"G12C\") is detected",
        "biomarker(\"ERBB2\", kind: amplification) is not_detected",
        "exposed_to(class \"anti_cd38\")",
        "exposed_to(drug \"osimertinib\")",
        "refractory_to(last_line)",
        "progressed_on(class \"platinum_compound\")",
        "time_since(last_dose(any anticancer)) >= {n} days",
        "time_since(last_dose(class \"cytotoxic_chemotherapy\")) < 4 weeks",
        "time_since(radiotherapy) < 2 weeks",
        "time_since(major_surgery) < 4 weeks",
        "time_since(last_dose(class \"anthracycline\")) >= 6 months",
        "time_since(diagnosis) >= 1 year",
        "time_since(progression) <= {n} days",
        "time_since(radiotherapy) != 4 weeks",
        "time_since(last_dose(any anticancer)) == {n} days",
        "half_lives_since(last_dose(any anticancer)) >= {s}",
        "half_lives_since(last_dose(drug \"carboplatin\")) >= 5 or time_since(last_dose(drug "
        "\"carboplatin\")) >= 28 days",
        "age != {n}",
        "ecog != 2",
        "lab(creatinine) != 1.0 [mg/dL]",
        "brain_metastases is treated_stable for < 2 weeks",
        "brain_metastases is active",
        "brain_metastases is treated_stable for >= 4 weeks",
        "hiv is absent",
        "hepatitis_b is present",
        "sex == female",
        "stage >= IV",
        "liver_metastases",
        "measurable_disease",
        "steroid_dose > 10 [mg/d]",
        "relapsed",
        "true",
        "false"};
    std::string s;
    const int kind = uniform(0, 9);
    if (kind < 2) {
      s = "diagnosis is_a \"" + pick(codes) + "\"";
      if (coin(0.3)) s = "diagnosis is_a any of (\"" + pick(codes) + "\", \"" + pick(codes) + "\")";
    } else if (kind < 5) {
      s = pick(labs);
    } else {
      s = pick(others);
    }
    const auto fill = [&](const std::string& key, const std::string& value) {
      for (auto p = s.find(key); p != std::string::npos; p = s.find(key))
        s.replace(p, key.size(), value);
    };
    fill("{n}", std::to_string(uniform(1, 80)));
    fill("{s}", std::to_string(uniform(0, 3)));
    fill("{x}", std::to_string(uniform(1, 5)) + "." + std::to_string(uniform(0, 9)));
    return s;
  }

  std::string rule(int depth) {
    if (depth <= 0 || coin(0.35)) return atom();
    switch (uniform(0, 6)) {
      case 0:
        return "(" + rule(depth - 1) + " and " + rule(depth - 1) + ")";
      case 1:
        return "(" + rule(depth - 1) + " or " + rule(depth - 1) + ")";
      case 2:
        return "not " + rule(depth - 1);
      case 3:
      case 4: {
        const int n = uniform(2, 4);
        std::string s =
            (coin(0.5) ? "at_least " : "at_most ") + std::to_string(uniform(0, n + 1)) + " of (";
        for (int i = 0; i < n; ++i) s += (i == 0 ? "" : ", ") + rule(depth - 1);
        return s + ")";
      }
      case 5:
        return "(if " + rule(depth - 1) + " then " + rule(depth - 1) + " else " + rule(depth - 1) +
               ")";
      default:
        return "any of (" + rule(depth - 1) + ", " + rule(depth - 1) + ", " + rule(depth - 1) + ")";
    }
  }

  criterion random_criterion(const std::string& id) {
    criterion c;
    c.id = id;
    c.kind = coin(0.6) ? criterion_kind::inclusion : criterion_kind::exclusion;
    c.text = "random criterion";
    const int r = uniform(0, 19);
    if (r == 0) return c;  // no rule: needs review
    if (r == 1)
      c.rule = "lab(nonexistent) >= 1";  // does not check: needs review
    else
      c.rule = rule(3);
    return c;
  }

  trial random_trial(int k) {
    static const std::vector<std::string> codes = {"NSCLC",   "LUAD", "PCM",      "BRCA",
                                                   "_SOLID_", "MEL",  "_LIQUID_", "UNKNOWNCODE"};
    trial t;
    t.id = "NCTRND" + std::to_string(100000 + k);
    t.title = "random trial";
    t.status = coin(0.8) ? trial_status::recruiting : trial_status::completed;
    t.phases = {coin(0.5) ? trial_phase::phase2 : trial_phase::phase1};
    const int conditions = uniform(0, 2);
    for (int i = 0; i < conditions; ++i) t.conditions.codes.push_back(pick(codes));
    const int criteria = uniform(0, 6);
    for (int i = 0; i < criteria; ++i)
      t.criteria.push_back(random_criterion("c" + std::to_string(i)));
    const int arms = uniform(0, 3);
    for (int a = 0; a < arms; ++a) {
      arm x;
      x.id = "A" + std::to_string(a);
      x.name = "arm";
      if (coin(0.4)) x.status = coin(0.5) ? trial_status::recruiting : trial_status::suspended;
      const int n = uniform(0, 3);
      for (int i = 0; i < n; ++i) x.criteria.push_back(random_criterion("a" + std::to_string(i)));
      t.arms.push_back(std::move(x));
    }
    return t;
  }

  // ---- patients ---------------------------------------------------------------------------------

  template <class T>
  void thin(std::vector<T>& v, double keep) {
    std::vector<T> out;
    for (auto& x : v) {
      if (coin(keep)) out.push_back(std::move(x));
    }
    v = std::move(out);
  }

  patient random_patient(int k) {
    const auto& samples = bundled().samples;
    patient p;
    if (!samples.empty() && coin(0.6)) {
      p = pick(samples);
      thin(p.diagnoses, 0.9);
      thin(p.labs, 0.7);
      thin(p.performance, 0.7);
      thin(p.biomarkers, 0.7);
      thin(p.metastases, 0.7);
      thin(p.conditions, 0.7);
      thin(p.treatments, 0.8);
      thin(p.procedures, 0.8);
      thin(p.progressions, 0.8);
    }
    p.id = "RND-" + std::to_string(k);
    if (coin(0.5)) {
      const int age = uniform(10, 90);
      const date birth = add_days(as_of(), -age * 365 - uniform(0, 364));
      const int precision = uniform(0, 5);
      p.birth_date = precision == 0   ? partial_date::of_year(birth.year())
                     : precision == 1 ? partial_date::of_month(birth.year(), birth.month())
                                      : partial_date::exact(birth);
      if (coin(0.05)) p.birth_date.reset();
    }
    if (coin(0.3)) p.sex = static_cast<ctm::sex>(uniform(0, 3));
    if (coin(0.5)) {
      static const std::vector<std::string> codes = {"LUAD", "NSCLC",    "PCM",  "IDC",     "BRCA",
                                                     "MEL",  "DLBCLNOS", "LUSC", "NOTACODE"};
      diagnosis d;
      if (coin(0.9))
        d.code = pick(codes);
      else
        d.text = "lung adenocarcinoma";
      d.date = recent(2000);
      static const std::vector<std::string> stages = {"", "IV", "IIIB", "IA", "X", "2"};
      d.stage = pick(stages);
      if (coin(0.5)) d.advanced_date = recent(900);
      p.diagnoses.push_back(d);
    }
    const int labs = uniform(0, 5);
    for (int i = 0; i < labs; ++i) p.labs.push_back(random_lab());
    if (coin(0.5)) {
      performance_status s;
      s.scale = coin(0.8) ? performance_scale::ecog : performance_scale::karnofsky;
      s.value = s.scale == performance_scale::ecog ? uniform(0, 4) : uniform(4, 10) * 10;
      if (coin(0.9)) s.date = recent(60);
      p.performance.push_back(s);
    }
    const int markers = uniform(0, 3);
    for (int i = 0; i < markers; ++i) {
      static const std::vector<std::pair<std::string, std::string>> genes = {
          {"EGFR", "L858R"}, {"EGFR", "exon 19 deletion"}, {"KRAS", "G12C"}, {"ERBB2", ""}};
      biomarker_result b;
      const auto& g = pick(genes);
      b.gene = g.first;
      b.alteration = g.second;
      b.kind = g.first == "ERBB2" ? biomarker_kind::amplification : biomarker_kind::mutation;
      b.status = static_cast<test_status>(uniform(0, 2));
      if (coin(0.8)) b.date = recent(700);
      p.biomarkers.push_back(b);
    }
    if (coin(0.4)) {
      metastasis m;
      m.site = coin(0.5) ? metastatic_site::brain : metastatic_site::liver;
      if (coin(0.8)) m.date = recent(500);
      m.treated = static_cast<truth>(uniform(0, 2));
      if (coin(0.5)) m.stable_since = recent(100);
      p.metastases.push_back(m);
    }
    if (coin(0.4)) {
      condition c;
      c.kind = coin(0.5) ? condition_kind::hiv : condition_kind::hepatitis_b;
      c.status = static_cast<condition_status>(uniform(0, 3));
      if (coin(0.7)) c.date = recent(400);
      p.conditions.push_back(c);
    }
    const int drugs = uniform(0, 4);
    for (int i = 0; i < drugs; ++i) {
      static const std::vector<std::string> names = {"osimertinib", "pembrolizumab", "carboplatin",
                                                     "daratumumab", "lenalidomide",  "bortezomib",
                                                     "docetaxel",   "unknowndrugxyz"};
      drug_administration d;
      d.drug.name = pick(names);
      const int start = uniform(30, 1200);
      d.start = partial_date::exact(add_days(as_of(), -start));
      if (coin(0.8))
        d.end =
            coin(0.8) ? partial_date::exact(add_days(as_of(), -uniform(0, start))) : recent(start);
      if (coin(0.5)) d.setting = therapy_setting::advanced;
      if (coin(0.4)) d.stop_reason = coin(0.5) ? stop_reason::progression : stop_reason::toxicity;
      p.treatments.push_back(d);
    }
    if (coin(0.3)) {
      progression_event e;
      if (coin(0.9)) e.date = recent(400);
      p.progressions.push_back(e);
    }
    if (coin(0.2)) {
      procedure x;
      x.kind = coin(0.5) ? procedure_kind::radiotherapy : procedure_kind::major_surgery;
      x.start = recent(90);
      p.procedures.push_back(x);
    }
    return p;
  }

  lab_result random_lab() {
    struct spec {
      const char* analyte;
      const char* unit;
      double lo, hi;
    };
    static const std::vector<spec> specs = {{"anc", "10*9/L", 0.2, 6.0},
                                            {"anc", "/mm3", 200, 6000},
                                            {"platelets", "10*9/L", 20, 400},
                                            {"hemoglobin", "g/dL", 6, 16},
                                            {"alt", "U/L", 5, 300},
                                            {"ast", "U/L", 5, 300},
                                            {"bilirubin", "mg/dL", 0.1, 4},
                                            {"creatinine", "mg/dL", 0.4, 4},
                                            {"creatinine", "umol/L", 40, 300},
                                            {"creatinine_clearance", "mL/min", 10, 120}};
    const spec& s = pick(specs);
    lab_result l;
    l.analyte = s.analyte;
    if (coin(0.95)) {
      const double v = s.lo + (s.hi - s.lo) * uniform(0, 1000) / 1000.0;
      l.value = quantity{v, parse_unit(s.unit).value()};
    }
    if (coin(0.4)) {
      reference_range r;
      if (coin(0.5)) r.low = s.lo;
      if (coin(0.8)) r.high = coin(0.1) ? 0.0 : s.hi * 0.5;
      l.range = r;
    }
    if (coin(0.9)) l.date = recent(60);
    return l;
  }

 private:
  std::mt19937_64 rng_;
};

/// The sample patients (when asked) followed by `n` random patients from `seed`.
inline std::vector<patient> random_cohort(std::uint64_t seed, int n, bool with_samples) {
  generator g(seed);
  std::vector<patient> out;
  if (with_samples) out = bundled().samples;
  for (int i = 0; i < n; ++i) out.push_back(g.random_patient(i));
  return out;
}

inline std::vector<match::batch_input> inputs(const std::vector<patient>& ps) {
  std::vector<match::batch_input> out;
  for (const auto& p : ps) {
    match::batch_input in;
    in.label = p.id;
    in.record = p;
    out.push_back(std::move(in));
  }
  return out;
}

/// The scalar matcher's (patient, trial, status) pairs, as `batch::run` reports them.
inline std::vector<ctm::batch::pair_status> scalar_pairs(const match::matcher& m,
                                                         const std::vector<patient>& ps,
                                                         const ctm::batch::batch_options& o) {
  std::map<std::string, std::uint32_t> index;
  for (std::uint32_t t = 0; t < m.trials().size(); ++t) index[m.trials()[t].trial.id] = t;
  match::match_options mo;
  mo.include_ineligible = true;
  mo.top_k = 0;
  mo.include_closed = o.include_closed;
  mo.phases = o.phases;
  std::vector<ctm::batch::pair_status> out;
  for (std::uint32_t i = 0; i < ps.size(); ++i) {
    const auto r = m.match(ps[i], as_of(), mo);
    std::vector<ctm::batch::pair_status> mine;
    for (const auto& t : r.results) mine.push_back({i, index.at(t.trial_id), t.best().status});
    std::sort(mine.begin(), mine.end(),
              [](const auto& a, const auto& b) { return a.trial < b.trial; });
    out.insert(out.end(), mine.begin(), mine.end());
  }
  return out;
}

}  // namespace ctm::test::batch
