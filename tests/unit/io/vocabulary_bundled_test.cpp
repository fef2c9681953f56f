// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// The vocabularies built into the library (data/vocab/), and their agreement with OncoTree.
#include "support/paths.hpp"

#include <ctm/io/vocabulary.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using ctm::truth;

namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot open " << p);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

template <class T>
const T& must(const ctm::result<T>& r) {
  REQUIRE_MESSAGE(r.has_value(), ctm::to_string(r.error()));
  return *r;
}

}  // namespace

TEST_SUITE("io.vocabulary.bundled") {
  TEST_CASE("the bundled disease hierarchy: size and matching semantics") {
    const auto o = must(ctm::io::bundled_ontology());
    CHECK(o.source_name() == "bundled:diseases");
    CHECK(o.tree_size() >= 150);
    CHECK(o.is_a("LUAD", "NSCLC").value() == truth::yes);
    CHECK(o.is_a("NSCLC", "LUAD").value() == truth::unknown);
    CHECK(o.is_a("LUAD", "_SOLID_").value() == truth::yes);
    CHECK(o.is_a("PCM", "_LIQUID_").value() == truth::yes);
    CHECK(o.is_a("LUAD", "_LIQUID_").value() == truth::no);
    CHECK(o.is_a("TISSUE", "_SOLID_").value() == truth::unknown);
    CHECK(o.is_a("LUAD", "PCM").value() == truth::no);
    CHECK(o.find_by_name("Lung Adenocarcinoma") == o.find("LUAD"));
    CHECK(o.find_by_name("multiple myeloma") == o.find("PCM"));
    CHECK(o.find_by_nci("C3512") == o.find("LUAD"));
    // Every node below a tissue has a group.
    for (std::uint32_t i = 1; i < o.tree_size(); ++i) {
      CAPTURE(o[ctm::concept_id{i}].code);
      CHECK(o[ctm::concept_id{i}].group != ctm::vocab::disease_group::none);
    }
  }

  TEST_CASE("the bundled hierarchy agrees with the official OncoTree release") {
    CTM_REQUIRE_SHARED_DATA();
    const auto bundled = must(ctm::io::bundled_ontology());
    const auto official = must(ctm::io::load_ontology(ctm::test::shared_data_dir() / "oncotree" /
                                                      "oncotree_2025_10_03.json"));
    std::vector<std::pair<ctm::concept_id, ctm::concept_id>> shared;  // bundled id, official id
    std::vector<std::string> only_bundled;
    for (std::uint32_t i = 0; i < bundled.size(); ++i) {
      const auto& d = bundled[ctm::concept_id{i}];
      if (const auto j = official.find(d.code)) {
        shared.emplace_back(ctm::concept_id{i}, *j);
        CAPTURE(d.code);
        CHECK(d.name == official[*j].name);
        CHECK(d.group == official[*j].group);
      } else {
        only_bundled.push_back(d.code);
      }
    }
    MESSAGE(shared.size() << " codes in both; only in the bundled hierarchy: "
                          << only_bundled.size());
    CHECK(shared.size() >= 150);
    std::size_t differ = 0;
    for (const auto& [bp, op] : shared) {
      for (const auto& [bt, ot] : shared) {
        if (bundled.is_a(bp, bt) != official.is_a(op, ot)) {
          if (differ++ < 10) {
            MESSAGE("is_a(" << bundled[bp].code << ", " << bundled[bt].code << ") differs");
          }
        }
      }
    }
    CHECK(differ == 0);
  }

  TEST_CASE("the bundled drug catalog: size, class closure, brands") {
    const auto c = must(ctm::io::bundled_drug_catalog());
    CHECK(c.source_name() == "bundled:drugs");
    std::size_t drugs = 0;
    for (std::uint32_t i = 0; i < c.size(); ++i)
      if (!c[ctm::drug_id{i}].is_class) ++drugs;
    CHECK(drugs >= 150);
    const auto id = [&](std::string_view code) {
      const auto found = c.find_code(code);
      REQUIRE_MESSAGE(found.has_value(), code);
      return *found;
    };
    const auto pi = id("proteasome_inhibitor");
    const auto imid = id("imid");
    const auto cd38 = id("anti_cd38");
    CHECK(c.is_a(id("bortezomib"), pi));
    CHECK(c.is_a(id("carfilzomib"), pi));
    CHECK(c.is_a(id("lenalidomide"), imid));
    CHECK(c.is_a(id("pomalidomide"), imid));
    CHECK(c.is_a(id("daratumumab"), cd38));
    CHECK_FALSE(c.is_a(id("bortezomib"), imid));
    CHECK_FALSE(c.is_a(id("lenalidomide"), cd38));
    CHECK_FALSE(c.is_a(id("daratumumab"), pi));
    for (auto d : {"bortezomib", "lenalidomide", "daratumumab", "pembrolizumab"}) {
      CAPTURE(d);
      CHECK(c.is_anticancer(id(d)));
    }
    CHECK(c.is_a(id("pembrolizumab"), id("anti_pd1")));
    CHECK(c.is_a(id("pembrolizumab"), id("pd1_pdl1_inhibitor")));
    CHECK(c.is_a(id("pembrolizumab"), id("immune_checkpoint_inhibitor")));
    CHECK(c.is_a(id("pembrolizumab"), id("immunotherapy")));
    CHECK(c.find("Revlimid") == c.find_code("lenalidomide"));
    CHECK(c.find("keytruda") == c.find_code("pembrolizumab"));
    CHECK(c.find("MK-3475") == c.find_code("pembrolizumab"));
    CHECK(c.find_by_rxnorm("1547545") == c.find_code("pembrolizumab"));
    CHECK(c.half_life_days(id("pembrolizumab")).has_value());
    CHECK(c.is_supportive(id("dexamethasone")));
    CHECK_FALSE(c.is_anticancer(id("dexamethasone")));
  }

  TEST_CASE("the bundled lab catalog") {
    const auto c = must(ctm::io::bundled_lab_catalog());
    CHECK(c.source_name() == "bundled:labs");
    CHECK_FALSE(c.default_range_note().empty());
    const auto anc = c.find_by_loinc("751-8");
    REQUIRE(anc.has_value());
    CHECK(c[*anc].code == "anc");
    CHECK(c[*anc].unit == ctm::unit::giga_per_litre);
    CHECK(c.find("ANC") == anc);
    const auto cr = c.find("creatinine");
    REQUIRE(cr.has_value());
    CHECK(c[*cr].molar_mass.has_value());
  }

  TEST_CASE("the data files read from disk equal the embedded copies, quickly") {
    const auto dir = ctm::test::source_dir() / "data" / "vocab";
    const std::string diseases = slurp(dir / "diseases.tsv");
    const std::string drugs = slurp(dir / "drugs.json");
    const std::string labs = slurp(dir / "labs.json");
    const auto start = std::chrono::steady_clock::now();
    const auto o = must(ctm::io::read_disease_tsv(diseases, "diseases.tsv"));
    const auto d = must(ctm::io::read_drug_catalog(drugs, "drugs.json"));
    const auto l = must(ctm::io::read_lab_catalog(labs, "labs.json"));
    const auto elapsed = std::chrono::steady_clock::now() - start;
    // The target is 50 ms in a Release build (bench/vocab_bench.cpp); this catches a gross
    // regression even in Debug and sanitizer builds.
    CHECK(elapsed < std::chrono::milliseconds(1000));
    CHECK(o.size() == must(ctm::io::bundled_ontology()).size());
    CHECK(d.size() == must(ctm::io::bundled_drug_catalog()).size());
    CHECK(l.size() == must(ctm::io::bundled_lab_catalog()).size());
  }
}
