// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include <ctm/vocab/drug_catalog.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

using ctm::vocab::drug_record;

namespace {

drug_record cls(std::string code, std::vector<std::string> parents, std::uint32_t index) {
  drug_record r;
  r.code = std::move(code);
  r.name = r.code;
  r.is_class = true;
  r.parents = std::move(parents);
  r.where = {"d.json", 0, 0, "/classes/" + std::to_string(index)};
  return r;
}

drug_record drug(std::string code, std::vector<std::string> classes, std::uint32_t index) {
  drug_record r = cls(std::move(code), std::move(classes), index);
  r.is_class = false;
  r.where.pointer = "/drugs/" + std::to_string(index);
  return r;
}

ctm::vocab::drug_catalog myeloma_catalog() {
  ctm::vocab::drug_catalog_builder b("d.json");
  b.add(cls("antineoplastic", {}, 0));
  b.add(cls("proteasome_inhibitor", {"antineoplastic"}, 1));
  b.add(cls("imid", {"antineoplastic"}, 2));
  b.add(cls("monoclonal_antibody", {"antineoplastic"}, 3));
  b.add(cls("anti_cd38", {"monoclonal_antibody"}, 4));
  b.add(cls("supportive_care", {}, 5));
  b.add(cls("corticosteroid", {"antineoplastic", "supportive_care"}, 6));
  auto bortezomib = drug("bortezomib", {"proteasome_inhibitor"}, 0);
  bortezomib.brands = {"Velcade"};
  bortezomib.rxnorm = "358258";
  bortezomib.atc = {"L01XG01"};
  b.add(bortezomib);
  auto lenalidomide = drug("lenalidomide", {"imid"}, 1);
  lenalidomide.brands = {"Revlimid"};
  lenalidomide.synonyms = {"CC-5013"};
  lenalidomide.half_life_days = 0.125;
  b.add(lenalidomide);
  b.add(drug("daratumumab", {"anti_cd38", "anti_cd38"}, 2));  // a repeated class counts once
  b.add(drug("dexamethasone", {"corticosteroid"}, 3));
  auto built = b.build();
  REQUIRE(built.has_value());
  return *built;
}

ctm::error build_error(std::vector<drug_record> records) {
  ctm::vocab::drug_catalog_builder b("d.json");
  for (auto& r : records) b.add(std::move(r));
  auto built = b.build();
  REQUIRE_FALSE(built.has_value());
  return built.error();
}

std::vector<std::string> codes(const ctm::vocab::drug_catalog& c, std::vector<ctm::drug_id> ids) {
  std::vector<std::string> out;
  for (auto id : ids) out.push_back(c[id].code);
  return out;
}

}  // namespace

TEST_SUITE("vocab.drug_catalog") {
  TEST_CASE("class closure: each myeloma drug is in its own class, every class above it") {
    const auto c = myeloma_catalog();
    const auto id = [&](std::string_view code) { return *c.find_code(code); };
    CHECK(c.is_a(id("bortezomib"), id("proteasome_inhibitor")));
    CHECK_FALSE(c.is_a(id("bortezomib"), id("imid")));
    CHECK(c.is_a(id("lenalidomide"), id("imid")));
    CHECK_FALSE(c.is_a(id("lenalidomide"), id("anti_cd38")));
    CHECK(c.is_a(id("daratumumab"), id("anti_cd38")));
    CHECK(c.is_a(id("daratumumab"), id("monoclonal_antibody")));
    CHECK_FALSE(c.is_a(id("daratumumab"), id("proteasome_inhibitor")));
    for (auto d : {"bortezomib", "lenalidomide", "daratumumab"}) {
      CAPTURE(d);
      CHECK(c.is_a(id(d), id("antineoplastic")));
      CHECK(c.is_a(id(d), id(d)));
      CHECK(c.is_anticancer(id(d)));
    }
    CHECK_FALSE(c.is_a(id("antineoplastic"), id("anti_cd38")));
    CHECK(codes(c, c.ancestors(id("daratumumab"))) ==
          std::vector<std::string>{"anti_cd38", "monoclonal_antibody", "antineoplastic"});
    CHECK(c[id("daratumumab")].parents.size() == 1);
    CHECK(codes(c, c.members(id("antineoplastic"))) ==
          std::vector<std::string>{"bortezomib", "lenalidomide", "daratumumab", "dexamethasone"});
    CHECK(codes(c, c.members(id("monoclonal_antibody"))) ==
          std::vector<std::string>{"daratumumab"});
  }

  TEST_CASE("supportive care is not anticancer, even below antineoplastic") {
    const auto c = myeloma_catalog();
    const auto dex = *c.find_code("dexamethasone");
    CHECK(c.is_a(dex, *c.find_code("antineoplastic")));
    CHECK(c.is_supportive(dex));
    CHECK_FALSE(c.is_anticancer(dex));
    CHECK_FALSE(c.is_supportive(*c.find_code("bortezomib")));
    CHECK(c.is_anticancer(*c.find_code("proteasome_inhibitor")));
  }

  TEST_CASE("lookup by code, name, synonym, brand, RxNorm and ATC") {
    const auto c = myeloma_catalog();
    CHECK(c.find("Revlimid") == c.find_code("lenalidomide"));
    CHECK(c.find("REVLIMID ") == c.find_code("lenalidomide"));
    CHECK(c.find("cc 5013") == c.find_code("lenalidomide"));
    CHECK(c.find("velcade") == c.find_code("bortezomib"));
    CHECK(c.find("anti-CD38") == c.find_code("anti_cd38"));
    CHECK(c.find_by_rxnorm("358258") == c.find_code("bortezomib"));
    CHECK(c.find_by_atc("l01xg01") == c.find_code("bortezomib"));
    CHECK(c.find_code("BORTEZOMIB") == c.find_code("bortezomib"));
    CHECK_FALSE(c.find("aspirin").has_value());
    CHECK(c.find_all("aspirin").empty());
    CHECK(c.find_all("Revlimid") == std::vector{*c.find_code("lenalidomide")});
    CHECK(c.half_life_days(*c.find("Revlimid")) == doctest::Approx(0.125));
    CHECK_FALSE(c.half_life_days(*c.find("bortezomib")).has_value());
  }

  TEST_CASE("a combination brand finds every ingredient, codes and names first") {
    ctm::vocab::drug_catalog_builder b("d.json");
    b.add(cls("antineoplastic", {}, 0));
    auto trifluridine = drug("trifluridine", {"antineoplastic"}, 0);
    trifluridine.brands = {"Lonsurf"};
    auto tipiracil = drug("tipiracil", {"antineoplastic"}, 1);
    tipiracil.brands = {"Lonsurf"};
    auto odd = drug("lonsurf", {"antineoplastic"}, 2);  // a code equal to a brand ranks first
    b.add(trifluridine);
    b.add(tipiracil);
    b.add(odd);
    const auto c = b.build().value();
    CHECK(codes(c, c.find_all("LONSURF")) ==
          std::vector<std::string>{"lonsurf", "trifluridine", "tipiracil"});
    CHECK(c.find("lonsurf") == c.find_code("lonsurf"));
  }

  TEST_CASE("extending a catalog adds entries and never overrides") {
    const auto base = myeloma_catalog();
    ctm::vocab::drug_catalog_builder b(base, "d.json + site.json");
    b.add(drug("carfilzomib", {"proteasome_inhibitor"}, 0));
    const auto extended = b.build().value();
    CHECK(extended.size() == base.size() + 1);
    CHECK(extended.is_a(*extended.find("carfilzomib"), *extended.find_code("antineoplastic")));
    CHECK(extended.find("Revlimid") == extended.find_code("lenalidomide"));
    CHECK(extended.source_name() == "d.json + site.json");
    CHECK_FALSE(base.find("carfilzomib").has_value());

    ctm::vocab::drug_catalog_builder clash(base, "site.json");
    auto again = drug("bortezomib", {"proteasome_inhibitor"}, 0);
    again.where.file = "site.json";
    clash.add(again);
    const auto e = clash.build();
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error().code == ctm::errc::duplicate_code);
    CHECK(e.error().where == ctm::location{"site.json", 0, 0, "/drugs/0"});
    CHECK(e.error().message == "code 'bortezomib' is already defined at d.json#/drugs/0");
  }

  TEST_CASE("bad catalogs are reported with the entry's location") {
    SUBCASE("unknown class") {
      const auto e =
          build_error({cls("antineoplastic", {}, 0), drug("x", {"kinase_inhibitor"}, 0)});
      CHECK(e.code == ctm::errc::unknown_parent);
      CHECK(e.where.pointer == "/drugs/0");
      CHECK(e.message == "class 'kinase_inhibitor' of 'x' is not defined");
    }
    SUBCASE("a drug used as a class") {
      const auto e = build_error({drug("a", {}, 0), drug("b", {"a"}, 1)});
      CHECK(e.code == ctm::errc::unknown_parent);
      CHECK(e.where.pointer == "/drugs/1");
    }
    SUBCASE("a cycle of classes") {
      const auto e = build_error(
          {cls("root", {}, 0), cls("a", {"c", "root"}, 1), cls("b", {"a"}, 2), cls("c", {"b"}, 3)});
      CHECK(e.code == ctm::errc::vocabulary_cycle);
      CHECK(e.where.pointer == "/classes/1");
      CHECK(e.message == "the class links form a cycle: a -> c -> b -> a");
    }
    SUBCASE("a class that is its own parent") {
      const auto e = build_error({cls("a", {"a"}, 0)});
      CHECK(e.code == ctm::errc::vocabulary_cycle);
    }
    SUBCASE("duplicate code across classes and drugs") {
      const auto e = build_error({cls("imid", {}, 0), drug("imid", {}, 0)});
      CHECK(e.code == ctm::errc::duplicate_code);
      CHECK(e.where.pointer == "/drugs/0");
    }
    SUBCASE("codes must be lower snake_case") {
      CHECK(build_error({cls("Anti-PD1", {}, 0)}).code == ctm::errc::invalid_code);
      CHECK(build_error({cls("", {}, 0)}).code == ctm::errc::invalid_code);
      CHECK(build_error({cls("_x", {}, 0)}).code == ctm::errc::invalid_code);
    }
    SUBCASE("empty name") {
      auto r = cls("a", {}, 0);
      r.name = "";
      CHECK(build_error({r}).code == ctm::errc::empty_name);
    }
    SUBCASE("nothing at all") { CHECK(build_error({}).code == ctm::errc::empty_vocabulary); }
  }

  TEST_CASE("bitsets span several words") {
    ctm::vocab::drug_catalog_builder b("wide");
    b.add(cls("c0", {}, 0));
    for (std::uint32_t i = 1; i < 200; ++i) {
      b.add(cls("c" + std::to_string(i), {"c" + std::to_string(i - 1)}, i));
    }
    b.add(drug("leaf", {"c199"}, 0));
    const auto c = b.build().value();
    const auto leaf = *c.find_code("leaf");
    for (std::uint32_t i = 0; i < 200; ++i) CHECK(c.is_a(leaf, ctm::drug_id{i}));
    CHECK_FALSE(c.is_a(*c.find_code("c64"), *c.find_code("c65")));
    CHECK(c.is_a(*c.find_code("c130"), *c.find_code("c3")));
    CHECK(c.ancestors(leaf).size() == 200);
  }
}
