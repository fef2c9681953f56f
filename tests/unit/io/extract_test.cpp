// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Rule extraction from criterion text (include/ctm/trial/extract.hpp), on criteria written for
// these tests, and its wiring into the registry import.
#include "support/paths.hpp"

#include <ctm/io/ctgov.hpp>
#include <ctm/io/vocabulary.hpp>
#include <ctm/rules/ast.hpp>
#include <ctm/rules/check.hpp>
#include <ctm/trial/extract.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <random>
#include <string>

namespace {

const ctm::rules::environment& env() {
  static const ctm::rules::environment e = [] {
    ctm::rules::environment x;
    x.ontology = ctm::io::bundled_ontology().value();
    x.drugs = ctm::io::bundled_drug_catalog().value();
    x.labs = ctm::io::bundled_lab_catalog().value();
    return x;
  }();
  return e;
}

std::string inc(const std::string& text) {
  const auto e = ctm::extract_rule(text, ctm::criterion_kind::inclusion, env());
  return e ? e->rule : "none";
}

std::string exc(const std::string& text) {
  const auto e = ctm::extract_rule(text, ctm::criterion_kind::exclusion, env());
  return e ? e->rule : "none";
}

std::string kind_of(const std::string& text, ctm::criterion_kind k) {
  const auto e = ctm::extract_rule(text, k, env());
  return e ? e->kind : "none";
}

}  // namespace

TEST_SUITE("io.extract") {
  TEST_CASE("age and performance status") {
    CHECK(inc("Age >= 18 years") == "age >= 18");
    CHECK(inc("Patients must be 18 years of age or older.") == "age >= 18");
    CHECK(inc("Age \u2265 50 years and \u2264 75 years") == "age in 50..75");
    CHECK(inc("Aged 18 to 70 years") == "age in 18..70");
    CHECK(exc("Age < 18") == "age < 18");
    CHECK(inc("ECOG performance status 0-1") == "ecog <= 1");
    CHECK(inc("Eastern Cooperative Oncology Group (ECOG) performance status of 0, 1, or 2") ==
          "ecog <= 2");
    CHECK(inc("Zubrod performance status =< 2") == "ecog <= 2");
    CHECK(inc("Karnofsky performance status 60-100%") == "karnofsky >= 60");
    CHECK(inc("KPS score\u226570;") == "karnofsky >= 70");
    CHECK(inc("ECOG 0-2 or Karnofsky >= 60%") == "ecog <= 2 or karnofsky >= 60");
    CHECK(kind_of("ECOG 0-1", ctm::criterion_kind::inclusion) == "performance_status");
    // Not a performance status scale ctm knows, or a scale value off the scale.
    CHECK(inc("Lansky performance status >= 50") == "none");
    CHECK(inc("ECOG performance status 0-7") == "none");
    CHECK(inc("Performance status 0-2") == "none");
  }

  TEST_CASE("laboratory thresholds with units and multiples of the upper limit of normal") {
    // Cell counts are stated in the analyte's canonical unit: 1,500/mm3 = 1.5 10*9/L.
    CHECK(inc("Absolute neutrophil count (ANC) >= 1,500/mm^3") == "lab(anc) >= 1.5 [10*9/L]");
    CHECK(inc("Platelets \u2265 100,000/\u03bcL") == "lab(platelets) >= 100 [10*9/L]");
    CHECK(inc("Platelet count >= 75 x 10^3/uL") == "lab(platelets) >= 75 [10*9/L]");
    CHECK(inc("Hemoglobin >= 90 g/L") == "lab(haemoglobin) >= 9 [g/dL]");
    CHECK(inc("Hemoglobin (Hgb) >= 10 g/dl") == "lab(haemoglobin) >= 10 [g/dL]");
    // A conversion that needs the molar mass keeps the criterion's unit (no rounding).
    CHECK(inc("Serum creatinine <= 133 umol/L") == "lab(creatinine) <= 133 [umol/L]");
    CHECK(inc("Creatinine clearance > 50 mL/min") == "lab(creatinine_clearance) > 50 [mL/min]");
    CHECK(inc("Total bilirubin =< 1.5 x upper limit of normal (ULN)") ==
          "lab(bilirubin_total) <= 1.5 x uln");
    CHECK(inc("AST and ALT <= 2.5 times the institutional upper limit of normal") ==
          "lab(ast) <= 2.5 x uln and lab(alt) <= 2.5 x uln");
    // An exclusion on either transaminase excludes on either.
    CHECK(exc("ALT or AST > 3 x ULN") == "lab(alt) > 3 x uln or lab(ast) > 3 x uln");
    // Liver-metastasis and Gilbert variants.
    CHECK(inc("AST <= 2.5 x ULN (<= 5 x ULN for patients with liver metastases)") ==
          "lab(ast) <= (if liver_metastases then 5 else 2.5) x uln");
    CHECK(inc("Bilirubin <= 1.5 x ULN (<= 3 x ULN in patients with Gilbert's syndrome)") ==
          "lab(bilirubin_total) <= (if gilbert_syndrome is present then 3 else 1.5) x uln");
    CHECK(inc("Total bilirubin <= 1.5 x ULN (unless Gilbert's syndrome)") ==
          "lab(bilirubin_total) <= 1.5 x uln or gilbert_syndrome is present");
    CHECK(exc("Total bilirubin > 1.5 x ULN unless Gilbert's syndrome") ==
          "lab(bilirubin_total) > 1.5 x uln and gilbert_syndrome is not present");
    CHECK(inc("Platelets >= 100,000/mm^3 (within 14 days prior to registration)") ==
          "lab(platelets, within 14 days) >= 100 [10*9/L]");
    // A list under a heading: every line must be read.
    CHECK(inc("Adequate bone marrow function defined as:\n- ANC >= 1500/mm3\n- Platelets >= "
              "100,000/mm3") == "lab(anc) >= 1.5 [10*9/L] and lab(platelets) >= 100 [10*9/L]");
    CHECK(kind_of("ANC >= 1500/mm3; platelets >= 100,000/mm3", ctm::criterion_kind::inclusion) ==
          "lab:panel");
    // Hard negatives: an exception or a line that is not understood leaves it for review.
    CHECK(inc("Creatinine <= 2 mg/dL (unless due to organ leukemic involvement)") == "none");
    CHECK(inc("Platelets >= 100,000/mm3 and absence of active bleeding") == "none");
    CHECK(inc("Adequate organ function:\n- ANC >= 1500/mm3\n- QTc < 470 ms") == "none");
    CHECK(inc("Platelets >= 100 mg/dL") == "none");                     // wrong dimension
    CHECK(inc("Platelets >= 100,000/dL") == "none");                    // unknown unit
    CHECK(inc("Hemoglobin >= 900 g/dL") == "none");                     // implausible threshold
    CHECK(inc("Creatinine clearance >= 60 mL/min/1.73 m2") == "none");  // eGFR, not clearance
  }

  TEST_CASE("therapy history, disease and conditions") {
    CHECK(inc("At least 2 prior lines of therapy") == "prior_lines >= 2");
    CHECK(inc("Received 1-3 prior regimens for metastatic disease") ==
          "prior_lines(setting: advanced) in 1..3");
    CHECK(inc("Prior chemotherapy regimens >= 2") == "none");
    CHECK(exc("Prior treatment with docetaxel") == "exposed_to(drug \"docetaxel\")");
    CHECK(inc("No prior taxanes") == "not exposed_to(class \"taxane\")");
    CHECK(exc("Disease refractory to thalidomide or lenalidomide") ==
          "refractory_to(drug \"thalidomide\") or refractory_to(drug \"lenalidomide\")");
    CHECK(inc("Progression on or after platinum-based chemotherapy") ==
          "progressed_on(class \"platinum_compound\")");
    CHECK(exc("Intolerance to bortezomib") == "intolerant_to(drug \"bortezomib\")");
    CHECK(exc("Prior treatment with an unknown agent XYZ-123") == "none");
    CHECK(inc("Measurable disease per RECIST version 1.1") == "measurable_disease");
    CHECK(inc("Measurable or evaluable disease") == "none");
    CHECK(exc("Untreated or symptomatic brain metastases") == "brain_metastases is active");
    CHECK(exc("Known brain metastases") == "brain_metastases is not absent");
    CHECK(exc("Known CNS metastases") ==
          "brain_metastases is not absent or leptomeningeal_disease");
    CHECK(inc("At least 4 weeks since prior chemotherapy (6 weeks for nitrosoureas)") ==
          "time_since(last_dose(class \"cytotoxic_chemotherapy\")) >= 4 weeks and "
          "time_since(last_dose(class \"nitrosourea\")) >= 6 weeks");
    CHECK(exc("Radiotherapy within 2 weeks prior to treatment") ==
          "time_since(radiotherapy) < 2 weeks");
    CHECK(exc("Major surgery within 28 days prior to randomization") ==
          "time_since(major_surgery) < 28 days");
    CHECK(kind_of("Major surgery within 28 days prior to randomization",
                  ctm::criterion_kind::exclusion) == "washout_surgery");
    CHECK(exc("Investigational agent within 4 weeks") == "none");
    CHECK(exc("Pregnant or breastfeeding") == "pregnancy is present or lactation is present");
    CHECK(inc("Not pregnant or nursing") ==
          "pregnancy is not present and lactation is not present");
    CHECK(inc("Women of childbearing potential must use effective contraception") == "none");
    CHECK(exc("Known HIV infection") == "hiv is present");
    CHECK(exc("Active hepatitis B or C infection") ==
          "hepatitis_b is active or hepatitis_c is active");
    CHECK(kind_of("Known HIV, hepatitis B or hepatitis C infection",
                  ctm::criterion_kind::exclusion) == "viral_infection");
    CHECK(inc("HIV negative") == "hiv is not present");
  }

  TEST_CASE("every extracted rule checks and its span covers the criterion") {
    const std::string text = "  Platelets >= 100,000/mm^3.  ";
    const auto e = ctm::extract_rule(text, ctm::criterion_kind::inclusion, env());
    REQUIRE(e.has_value());
    CHECK(text.substr(e->span.offset, e->span.length) == "Platelets >= 100,000/mm^3");
    CHECK(e->confidence > 0.0);
    CHECK(e->confidence <= 1.0);
    CHECK(ctm::rules::check(ctm::rules::parse(e->rule), env()).ok());
    const auto& kinds = ctm::extraction_kinds();
    CHECK(std::find(kinds.begin(), kinds.end(), e->kind) != kinds.end());
    // Over the length bound nothing is read.
    ctm::extract_options small;
    small.max_bytes = 10;
    CHECK_FALSE(ctm::extract_rule(text, ctm::criterion_kind::inclusion, env(), small));
    // Without a lab catalog no lab rule can be checked, so none is given.
    ctm::rules::environment bare;
    CHECK_FALSE(ctm::extract_rule(text, ctm::criterion_kind::inclusion, bare));
  }

  TEST_CASE("extract_rules marks provenance and leaves existing rules alone") {
    std::vector<ctm::criterion> cs(3);
    cs[0].id = "inc-01";
    cs[0].text = "ECOG 0-1";
    cs[1].id = "inc-02";
    cs[1].text = "Able to swallow tablets";
    cs[2].id = "inc-03";
    cs[2].text = "Age >= 21";
    cs[2].rule = "age >= 18";
    CHECK(ctm::extract_rules(cs, env()) == 1);
    CHECK(cs[0].rule == "ecog <= 1");
    CHECK(cs[0].provenance.kind == ctm::provenance_kind::extracted);
    REQUIRE(cs[0].provenance.confidence.has_value());
    CHECK(cs[0].provenance.extractor == ctm::extractor_name);
    REQUIRE(cs[0].provenance.span.has_value());
    CHECK(cs[0].provenance.span->length == 8);
    CHECK(cs[1].needs_review());
    CHECK(cs[1].provenance.kind == ctm::provenance_kind::curated);
    CHECK(cs[2].rule == "age >= 18");
    CHECK(cs[2].provenance.kind == ctm::provenance_kind::curated);
  }

  TEST_CASE("the registry import extracts unless told not to") {
    const std::string study = R"({"protocolSection": {
      "identificationModule": {"nctId": "NCT09990042", "briefTitle": "Extraction"},
      "statusModule": {"overallStatus": "RECRUITING"},
      "eligibilityModule": {"minimumAge": "18 Years", "sex": "FEMALE",
        "eligibilityCriteria": "Inclusion Criteria:\n\n* ECOG 0-1\n* Able to swallow\n\nExclusion Criteria:\n\n* Known HIV infection\n"}}})";
    auto with = ctm::io::read_registry_json(study);
    REQUIRE(with.size() == 1);
    REQUIRE(with[0].trial);
    const auto& cs = with[0].trial->document.trial.criteria;
    const auto find = [&](const std::string& id) {
      return *std::find_if(cs.begin(), cs.end(),
                           [&](const ctm::criterion& c) { return c.id == id; });
    };
    CHECK(find("inc-age").rule == "age >= 18");
    CHECK(find("inc-sex").rule == "sex == female");
    CHECK(find("inc-01").rule == "ecog <= 1");
    CHECK(find("inc-01").provenance.kind == ctm::provenance_kind::extracted);
    CHECK(find("inc-02").needs_review());
    CHECK(find("exc-01").rule == "hiv is present");
    ctm::io::registry_options off;
    off.extract = false;
    auto without = ctm::io::read_registry_json(study, off);
    REQUIRE(without[0].trial);
    for (const auto& c : without[0].trial->document.trial.criteria) CHECK(c.needs_review());
  }

  TEST_CASE("arbitrary text never crashes and every rule given checks") {
    // Fragments of criterion language recombined at random, plus raw bytes: the same invariants
    // as tests/fuzz/extract_fuzz.cpp, on a fixed seed.
    const std::vector<std::string> words = {"ANC",
                                            ">=",
                                            "1,500/mm^3",
                                            "platelets",
                                            "<=",
                                            "x ULN",
                                            "(",
                                            ")",
                                            "ECOG",
                                            "0-1",
                                            "or",
                                            "and",
                                            "within",
                                            "14 days",
                                            "prior",
                                            "chemotherapy",
                                            "brain metastases",
                                            "HIV",
                                            "hepatitis B",
                                            "pregnant",
                                            "\xe2\x89\xa5",
                                            "\n- ",
                                            ":",
                                            ";",
                                            "Gilbert's",
                                            "liver metastases",
                                            "at least",
                                            "2",
                                            "lines",
                                            "refractory to",
                                            "bortezomib",
                                            "measurable disease",
                                            "RECIST 1.1",
                                            "since",
                                            "weeks",
                                            "x 10^9/L",
                                            "g/dL",
                                            "mg/dL",
                                            "umol/L",
                                            "mL/min",
                                            "age",
                                            "years",
                                            "*"};
    std::mt19937 rng(20261127u);
    const auto& kinds = ctm::extraction_kinds();
    for (int i = 0; i < 3000; ++i) {
      std::string text;
      const int n = static_cast<int>(rng() % 12) + 1;
      for (int k = 0; k < n; ++k) {
        if (rng() % 7 == 0) {
          text += static_cast<char>(rng() % 256);
        } else {
          text += words[rng() % words.size()];
          text += ' ';
        }
      }
      for (const auto kind : {ctm::criterion_kind::inclusion, ctm::criterion_kind::exclusion}) {
        const auto e = ctm::extract_rule(text, kind, env());
        if (!e) continue;
        CAPTURE(text);
        CHECK(std::size_t{e->span.offset} + e->span.length <= text.size());
        CHECK(std::find(kinds.begin(), kinds.end(), e->kind) != kinds.end());
        CHECK(ctm::rules::check(ctm::rules::parse(e->rule), env()).ok());
      }
    }
  }
}
