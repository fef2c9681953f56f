// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include <ctm/vocab/ontology.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

using ctm::truth;
using ctm::vocab::disease_group;
using ctm::vocab::disease_record;

namespace {

disease_record rec(std::string code, std::string parent, std::uint32_t line,
                   std::optional<disease_group> group = std::nullopt) {
  disease_record r;
  r.code = std::move(code);
  r.name = r.code + " name";
  r.parent = std::move(parent);
  r.group = group;
  r.where = {"t.tsv", line, 0, ""};
  return r;
}

// TISSUE > LUNG(solid) > NSCLC > {LUAD, LUSC}; TISSUE > BLOOD(liquid) > PCM; TISSUE > OTHER.
ctm::vocab::ontology small_tree() {
  ctm::vocab::ontology_builder b("t.tsv");
  b.add(rec("TISSUE", "", 2));
  b.add(rec("LUNG", "TISSUE", 3, disease_group::solid));
  b.add(rec("NSCLC", "LUNG", 4));
  b.add(rec("LUAD", "NSCLC", 5));
  b.add(rec("LUSC", "NSCLC", 6));
  b.add(rec("BLOOD", "TISSUE", 7, disease_group::liquid));
  b.add(rec("PCM", "BLOOD", 8));
  b.add(rec("OTHER", "TISSUE", 9));  // a tissue without a group
  b.add(rec("ODD", "OTHER", 10));
  auto built = b.build();
  REQUIRE(built.has_value());
  return *built;
}

ctm::error build_error(std::vector<disease_record> records) {
  ctm::vocab::ontology_builder b("t.tsv");
  for (auto& r : records) b.add(std::move(r));
  auto built = b.build();
  REQUIRE_FALSE(built.has_value());
  return built.error();
}

}  // namespace

TEST_SUITE("vocab.ontology") {
  TEST_CASE("ids are the DFS pre-order with children in file order, then the group nodes") {
    const auto o = small_tree();
    CHECK(o.size() == 11);
    CHECK(o.tree_size() == 9);
    std::vector<std::string> codes;
    for (std::uint32_t i = 0; i < o.size(); ++i) codes.push_back(o[ctm::concept_id{i}].code);
    CHECK(codes == std::vector<std::string>{"TISSUE", "LUNG", "NSCLC", "LUAD", "LUSC", "BLOOD",
                                            "PCM", "OTHER", "ODD", "_SOLID_", "_LIQUID_"});
    CHECK(o.root() == ctm::concept_id{0});
    CHECK(o.subtree_end(*o.find("NSCLC")) == ctm::concept_id{5});
    CHECK(o.source_name() == "t.tsv");
  }

  TEST_CASE("a patient at or below the trial's node matches, above it is unknown, apart is no") {
    const auto o = small_tree();
    const auto id = [&](std::string_view c) { return *o.find(c); };
    CHECK(o.is_a(id("LUAD"), id("NSCLC")) == truth::yes);
    CHECK(o.is_a(id("LUAD"), id("LUAD")) == truth::yes);
    CHECK(o.is_a(id("LUAD"), id("TISSUE")) == truth::yes);
    CHECK(o.is_a(id("NSCLC"), id("LUAD")) == truth::unknown);
    CHECK(o.is_a(id("TISSUE"), id("LUAD")) == truth::unknown);
    CHECK(o.is_a(id("LUSC"), id("LUAD")) == truth::no);
    CHECK(o.is_a(id("PCM"), id("LUNG")) == truth::no);
    CHECK(o.is_a(id("LUNG"), id("PCM")) == truth::no);
    CHECK(o.is_a(id("ODD"), id("LUSC")) == truth::no);
  }

  TEST_CASE("group nodes: inherited groups decide, no group is unknown") {
    const auto o = small_tree();
    const auto id = [&](std::string_view c) { return *o.find(c); };
    CHECK(o[id("LUAD")].group == disease_group::solid);
    CHECK(o[id("PCM")].group == disease_group::liquid);
    CHECK(o[id("ODD")].group == disease_group::none);
    CHECK(o.is_a(id("LUAD"), o.solid()) == truth::yes);
    CHECK(o.is_a(id("LUAD"), o.liquid()) == truth::no);
    CHECK(o.is_a(id("PCM"), o.liquid()) == truth::yes);
    CHECK(o.is_a(id("PCM"), o.solid()) == truth::no);
    CHECK(o.is_a(id("TISSUE"), o.solid()) == truth::unknown);
    CHECK(o.is_a(id("ODD"), o.liquid()) == truth::unknown);
    // The group nodes themselves sit between the root and the tissues.
    CHECK(o.is_a(o.solid(), o.solid()) == truth::yes);
    CHECK(o.is_a(o.solid(), o.liquid()) == truth::no);
    CHECK(o.is_a(o.solid(), id("TISSUE")) == truth::yes);
    CHECK(o.is_a(o.solid(), id("LUAD")) == truth::unknown);
    CHECK(o.is_a(o.solid(), id("PCM")) == truth::no);
    CHECK(o.is_a(o.liquid(), id("ODD")) == truth::unknown);
    CHECK(o[o.solid()].is_group);
    CHECK(o.find("_liquid_") == o.liquid());
  }

  TEST_CASE("is_a by code reports an unknown code") {
    const auto o = small_tree();
    CHECK(o.is_a("luad", "nsclc").value() == truth::yes);
    CHECK(o.is_a("LUAD", "_SOLID_").value() == truth::yes);
    const auto bad = o.is_a("LUAD", "NOPE");
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().code == ctm::errc::unknown_code);
    CHECK(bad.error().message == "disease code 'NOPE' is not in t.tsv");
  }

  TEST_CASE("levels, parents, children and the path to the root") {
    const auto o = small_tree();
    const auto luad = *o.find("LUAD");
    CHECK(o[luad].level == 3);
    CHECK(o[o[luad].parent].code == "NSCLC");
    std::vector<std::string> path;
    for (auto c : o.path_to_root(luad)) path.push_back(o[c].code);
    CHECK(path == std::vector<std::string>{"LUAD", "NSCLC", "LUNG", "TISSUE"});
    std::vector<std::string> kids;
    for (auto c : o.children(o.root())) kids.push_back(o[c].code);
    CHECK(kids == std::vector<std::string>{"LUNG", "BLOOD", "OTHER"});
    CHECK(o.children(luad).empty());
    CHECK(o.children(o.liquid()).empty());
    CHECK(o.path_to_root(o.liquid()) == std::vector{o.liquid(), o.root()});
  }

  TEST_CASE("names and synonyms are found ignoring case, punctuation and spacing") {
    ctm::vocab::ontology_builder b("t");
    auto root = rec("TISSUE", "", 1);
    auto lung = rec("NSCLC", "TISSUE", 2);
    lung.name = "Non-Small Cell Lung Cancer";
    lung.synonyms = {"NSCLC, NOS", "Lung Adenocarcinoma"};
    lung.nci = {"C2926"};
    auto luad = rec("LUAD", "NSCLC", 3);
    luad.name = "Lung Adenocarcinoma";
    b.add(root);
    b.add(lung);
    b.add(luad);
    const auto o = b.build().value();
    CHECK(o.find_by_name("non small cell lung cancer") == o.find("NSCLC"));
    CHECK(o.find_by_name("  NON-SMALL-CELL   lung   CANCER. ") == o.find("NSCLC"));
    CHECK(o.find_by_name("nsclc nos") == o.find("NSCLC"));
    CHECK(o.find_by_name("lung adenocarcinoma") == o.find("LUAD"));  // a name beats a synonym
    CHECK(o.find_by_name("solid tumor") == o.solid());
    CHECK_FALSE(o.find_by_name("").has_value());
    CHECK_FALSE(o.find_by_name("---").has_value());
    CHECK(o.find_by_nci("c2926") == o.find("NSCLC"));
    CHECK(o.lookup("C2926") == o.find("NSCLC"));
    CHECK(o.lookup("luad") == o.find("LUAD"));
    CHECK_FALSE(o.lookup("glioma").has_value());
  }

  TEST_CASE("bad hierarchies are reported with the record's location") {
    SUBCASE("duplicate codes, case-insensitively") {
      const auto e =
          build_error({rec("TISSUE", "", 2), rec("LUNG", "TISSUE", 3), rec("lung", "TISSUE", 4)});
      CHECK(e.code == ctm::errc::duplicate_code);
      CHECK(e.where == ctm::location{"t.tsv", 4, 0, ""});
      CHECK(e.message == "code 'lung' is already defined at t.tsv:3");
    }
    SUBCASE("unknown parent") {
      const auto e = build_error({rec("TISSUE", "", 2), rec("LUNG", "TISUE", 3)});
      CHECK(e.code == ctm::errc::unknown_parent);
      CHECK(e.where.line == 3);
      CHECK(e.message == "parent 'TISUE' of 'LUNG' is not defined");
    }
    SUBCASE("a cycle beside the tree") {
      const auto e = build_error({rec("TISSUE", "", 2), rec("A", "C", 3), rec("B", "A", 4),
                                  rec("C", "B", 5), rec("D", "C", 6)});
      CHECK(e.code == ctm::errc::vocabulary_cycle);
      CHECK(e.where.line == 3);
      CHECK(e.message == "the parent links form a cycle: A -> C -> B -> A");
    }
    SUBCASE("a node that is its own parent, with no root at all") {
      const auto e = build_error({rec("A", "A", 7)});
      CHECK(e.code == ctm::errc::vocabulary_cycle);
      CHECK(e.where.line == 7);
    }
    SUBCASE("two roots") {
      const auto e = build_error({rec("TISSUE", "", 2), rec("OTHER", "", 3)});
      CHECK(e.code == ctm::errc::multiple_roots);
      CHECK(e.where.line == 3);
    }
    SUBCASE("empty name") {
      auto r = rec("LUNG", "TISSUE", 3);
      r.name = "  ";
      const auto e = build_error({rec("TISSUE", "", 2), r});
      CHECK(e.code == ctm::errc::empty_name);
      CHECK(e.where.line == 3);
    }
    SUBCASE("empty or reserved code") {
      CHECK(build_error({rec("TISSUE", "", 2), rec("", "TISSUE", 3)}).code ==
            ctm::errc::invalid_code);
      CHECK(build_error({rec("TISSUE", "", 2), rec("_solid_", "TISSUE", 3)}).code ==
            ctm::errc::invalid_code);
    }
    SUBCASE("nothing at all") { CHECK(build_error({}).code == ctm::errc::empty_vocabulary); }
  }

  TEST_CASE("a deep chain builds without recursion trouble") {
    ctm::vocab::ontology_builder b("deep");
    b.add(rec("N0", "", 1));
    for (std::uint32_t i = 1; i < 20000; ++i) {
      b.add(rec("N" + std::to_string(i), "N" + std::to_string(i - 1), i + 1));
    }
    const auto o = b.build().value();
    CHECK(o.is_a(*o.find("N19999"), *o.find("N3")) == truth::yes);
    CHECK(o.is_a(*o.find("N3"), *o.find("N19999")) == truth::unknown);
    CHECK(o[*o.find("N19999")].level == 19999);
  }
}
