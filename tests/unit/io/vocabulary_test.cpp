// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include "support/paths.hpp"

#include <ctm/io/vocabulary.hpp>

#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <set>
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

std::filesystem::path test_data(std::string_view name) {
  return ctm::test::source_dir() / "tests" / "data" / "vocab" / name;
}

std::filesystem::path oncotree_tsv() {
  return ctm::test::shared_data_dir() / "oncotree" / "oncotree_2025_10_03_flat.tsv";
}
std::filesystem::path oncotree_json() {
  return ctm::test::shared_data_dir() / "oncotree" / "oncotree_2025_10_03.json";
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(s);
  while (std::getline(in, item, sep)) out.push_back(item);
  if (!s.empty() && s.back() == sep) out.emplace_back();
  return out;
}

// The items without surrounding spaces (the release has "C1333295 "), empty ones dropped.
std::vector<std::string> trimmed(std::vector<std::string> items) {
  std::vector<std::string> out;
  for (auto& s : items) {
    while (!s.empty() && s.back() == ' ') s.pop_back();
    while (!s.empty() && s.front() == ' ') s.erase(0, 1);
    if (!s.empty()) out.push_back(s);
  }
  return out;
}

// Replaces the first occurrence of `from` in `text`, failing the test when there is none.
std::string replace(std::string text, std::string_view from, std::string_view to) {
  const auto at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, "no '" << from << "' to replace");
  text.replace(at, from.size(), to);
  return text;
}

// The 1-based line of the first line starting with `prefix`.
std::uint32_t line_of(const std::string& text, std::string_view prefix) {
  std::uint32_t line = 1;
  std::size_t start = 0;
  while (start < text.size()) {
    if (text.compare(start, prefix.size(), prefix) == 0) return line;
    start = text.find('\n', start);
    if (start == std::string::npos) break;
    ++start;
    ++line;
  }
  FAIL("no line starts with " << prefix);
  return 0;
}

template <class T>
ctm::error error_of(const ctm::result<T>& r) {
  REQUIRE_FALSE(r.has_value());
  return r.error();
}

std::vector<std::string> path_codes(const ctm::vocab::ontology& o, std::string_view code) {
  std::vector<std::string> out;
  for (auto id : o.path_to_root(*o.find(code))) out.push_back(o[id].code);
  return out;
}

}  // namespace

TEST_SUITE("io.vocabulary.disease_tsv") {
  TEST_CASE("ctm's own format: columns by name, groups, lists, unknown columns ignored") {
    const auto o = ctm::io::read_disease_tsv(slurp(test_data("diseases_small.tsv")), "small.tsv");
    REQUIRE_MESSAGE(o.has_value(), ctm::to_string(o.error()));
    CHECK(o->tree_size() == 14);
    CHECK(o->source_name() == "small.tsv");
    const auto& idc = (*o)[*o->find("IDC")];
    CHECK(idc.nci == std::vector<std::string>{"C4194", "C9245"});
    CHECK(idc.group == ctm::vocab::disease_group::solid);
    CHECK((*o)[*o->find("NSCLC")].synonyms ==
          std::vector<std::string>{"NSCLC, NOS", "non-small-cell lung carcinoma"});
    CHECK(o->find_by_name("multiple myeloma") == o->find("PCM"));
    CHECK(o->is_a("LUAD", "NSCLC").value() == truth::yes);
    CHECK(o->is_a("NSCLC", "LUAD").value() == truth::unknown);
    CHECK(o->is_a("PCM", "_LIQUID_").value() == truth::yes);
    CHECK(o->is_a("AML", "_SOLID_").value() == truth::no);
    CHECK(o->is_a("TISSUE", "_SOLID_").value() == truth::unknown);
  }

  TEST_CASE("broken copies give the file, the line and the exact error") {
    const std::string good = slurp(test_data("diseases_small.tsv"));
    const auto fail = [](const std::string& text) {
      return error_of(ctm::io::read_disease_tsv(text, "b.tsv"));
    };
    SUBCASE("a duplicate code") {
      const std::string text = good + "LUAD\tAgain\tNSCLC\t\t\t\t\t\t\t\n";
      const auto e = fail(text);
      CHECK(e.code == ctm::errc::duplicate_code);
      CHECK(e.where == ctm::location{"b.tsv", 19, 0, ""});
      CHECK(ctm::to_string(e) ==
            "[ctm.vocab.duplicate_code.300] b.tsv:19: code 'LUAD' is already defined at b.tsv:8");
    }
    SUBCASE("an unknown parent") {
      const auto e = fail(replace(good, "LUSC\tLung Squamous Cell Carcinoma\tNSCLC",
                                  "LUSC\tLung Squamous Cell Carcinoma\tNSCLX"));
      CHECK(e.code == ctm::errc::unknown_parent);
      CHECK(e.where.line == line_of(good, "LUSC\t"));
    }
    SUBCASE("a cycle") {
      const auto e = fail(replace(good, "LUNG\tLung\tTISSUE", "LUNG\tLung\tLUAD"));
      CHECK(e.code == ctm::errc::vocabulary_cycle);
      CHECK(e.where.line == line_of(good, "LUNG\t"));
      CHECK(e.message == "the parent links form a cycle: LUNG -> LUAD -> NSCLC -> LUNG");
    }
    SUBCASE("an empty name") {
      const auto e = fail(replace(good, "SCLC\tSmall Cell Lung Cancer", "SCLC\t "));
      CHECK(e.code == ctm::errc::empty_name);
      CHECK(e.where.line == line_of(good, "SCLC\t"));
    }
    SUBCASE("a row with a missing field") {
      const auto e = fail(replace(good, "LUSC\tLung Squamous Cell Carcinoma\t", "LUSC\t"));
      CHECK(e.code == ctm::errc::tsv_syntax);
      CHECK(e.where.line == line_of(good, "LUSC\t"));
      CHECK(e.message == "the row has 9 fields, the header has 10");
    }
    SUBCASE("a bad group") {
      const auto e = fail(replace(good, "Lung\tsolid", "Lung\tsolidish"));
      CHECK(e.code == ctm::errc::tsv_syntax);
      CHECK(e.where.line == line_of(good, "LUNG\t"));
      CHECK(e.where.column == 35);
    }
    SUBCASE("a header without the parent column") {
      const auto e = fail(replace(good, "code\tname\tparent", "code\tname\tmother"));
      CHECK(e.code == ctm::errc::tsv_syntax);
      CHECK(e.where.line == 4);
      CHECK(e.message == "the header has no 'parent' column");
    }
    SUBCASE("two roots") {
      const auto e = fail(replace(good, "BREAST\tBreast\tTISSUE", "BREAST\tBreast\t"));
      CHECK(e.code == ctm::errc::multiple_roots);
      CHECK(e.where.line == line_of(good, "BREAST\t"));
    }
    SUBCASE("nothing but comments") {
      CHECK(fail("# nothing\n").code == ctm::errc::tsv_syntax);
      CHECK(fail("code\tname\tparent\n").code == ctm::errc::empty_vocabulary);
    }
  }

  TEST_CASE("CRLF line ends and a byte order mark are accepted") {
    std::string crlf;
    for (const char c : slurp(test_data("diseases_small.tsv"))) {
      if (c == '\n') crlf += '\r';
      crlf += c;
    }
    const auto o = ctm::io::read_disease_tsv("\xEF\xBB\xBF" + crlf, "crlf.tsv");
    REQUIRE(o.has_value());
    CHECK(o->tree_size() == 14);
    CHECK((*o)[*o->find("LUAD")].name == "Lung Adenocarcinoma");
  }
}

TEST_SUITE("io.vocabulary.oncotree") {
  TEST_CASE("the small OncoTree JSON reads into the same structure") {
    const auto o = ctm::io::load_ontology(test_data("oncotree_small.json"));
    REQUIRE_MESSAGE(o.has_value(), ctm::to_string(o.error()));
    CHECK(o->tree_size() == 9);
    CHECK(path_codes(*o, "PCM") == std::vector<std::string>{"PCM", "MBN", "LYMPH", "TISSUE"});
    CHECK(o->is_a("PCM", "_LIQUID_").value() == truth::yes);
    CHECK(o->is_a("AML", "_LIQUID_").value() == truth::yes);
    CHECK(o->is_a("LUAD", "_SOLID_").value() == truth::yes);
    CHECK((*o)[*o->find("LUAD")].umls == std::vector<std::string>{"C0152013"});
    CHECK(o->find_by_nci("C3171") == o->find("AML"));
  }

  TEST_CASE("broken OncoTree JSON gives a line and column or a JSON pointer") {
    const std::string good = slurp(test_data("oncotree_small.json"));
    const auto fail = [](const std::string& text) {
      return error_of(ctm::io::read_oncotree_json(text, "b.json"));
    };
    SUBCASE("syntax") {
      const auto e = fail("{\n  \"TISSUE\": {\n    \"code\": \"TISSUE\",,\n");
      CHECK(e.code == ctm::errc::json_syntax);
      CHECK(e.where.file == "b.json");
      CHECK(e.where.line == 3);
      CHECK(e.where.column == 22);
    }
    SUBCASE("a wrong type") {
      const auto e = fail(replace(good, "\"name\": \"Lung Adenocarcinoma\"", "\"name\": 5"));
      CHECK(e.code == ctm::errc::json_schema);
      CHECK(e.where.pointer == "/TISSUE/children/LUNG/children/NSCLC/children/LUAD/name");
    }
    SUBCASE("a key that differs from the code") {
      const auto e = fail(replace(good, "\"code\": \"NSCLC\"", "\"code\": \"NSCLX\""));
      CHECK(e.code == ctm::errc::json_schema);
      CHECK(e.where.pointer == "/TISSUE/children/LUNG/children/NSCLC/code");
    }
    SUBCASE("a parent that differs from the enclosing node") {
      const auto e = fail(replace(good, "\"parent\": \"NSCLC\"", "\"parent\": \"LUNG\""));
      CHECK(e.code == ctm::errc::json_schema);
      CHECK(e.where.pointer == "/TISSUE/children/LUNG/children/NSCLC/children/LUAD/parent");
    }
    SUBCASE("an empty name reaches the builder with its pointer") {
      const auto e = fail(replace(good, "\"name\": \"Lung Adenocarcinoma\"", "\"name\": \"\""));
      CHECK(e.code == ctm::errc::empty_name);
      CHECK(e.where.pointer == "/TISSUE/children/LUNG/children/NSCLC/children/LUAD");
    }
    SUBCASE("a duplicate code in another branch") {
      const auto e = fail(replace(replace(good, "\"AML\": {", "\"LUAD\": {"), "\"code\": \"AML\"",
                                  "\"code\": \"LUAD\""));
      CHECK(e.code == ctm::errc::duplicate_code);
      CHECK(e.where.pointer == "/TISSUE/children/MYELOID/children/LUAD");
    }
    SUBCASE("not an object") { CHECK(fail("[]").code == ctm::errc::json_schema); }
  }

  TEST_CASE("the official release, flat TSV: 898 nodes, levels, tissues and cross-references") {
    CTM_REQUIRE_SHARED_DATA();
    const std::string text = slurp(oncotree_tsv());
    const auto o = ctm::io::read_disease_tsv(text, "oncotree.tsv");
    REQUIRE_MESSAGE(o.has_value(), ctm::to_string(o.error()));
    CHECK(o->tree_size() == 898);

    // Every row of the file against the frozen node: parent, level, main type, tissue, codes.
    const auto lines = split(text, '\n');
    const auto header = split(lines.at(0), '\t');
    std::map<std::string, std::size_t> col;
    for (std::size_t i = 0; i < header.size(); ++i) col[header[i]] = i;
    std::map<std::uint32_t, int> per_level;
    std::set<std::string> main_types;
    std::set<std::string> tissues;
    std::size_t rows = 0;
    for (std::size_t l = 1; l < lines.size(); ++l) {
      if (lines[l].empty()) continue;
      const auto f = split(lines[l], '\t');
      const auto id = o->find(f.at(col["code"]));
      REQUIRE(id.has_value());
      const auto& d = (*o)[*id];
      CAPTURE(d.code);
      ++rows;
      CHECK(std::to_string(d.level) == f.at(col["level"]));
      CHECK(d.main_type == f.at(col["main_type"]));
      CHECK(d.tissue == f.at(col["tissue"]));
      CHECK(d.name == f.at(col["name"]));
      if (d.parent.is_valid()) CHECK((*o)[d.parent].code == f.at(col["parent"]));
      CHECK(d.nci == trimmed(split(f.at(col["nci"]), ',')));
      CHECK(d.umls == trimmed(split(f.at(col["umls"]), ',')));
      ++per_level[d.level];
      if (!d.main_type.empty()) main_types.insert(d.main_type);
      if (!d.tissue.empty()) tissues.insert(d.tissue);
    }
    CHECK(rows == 898);
    CHECK(per_level == std::map<std::uint32_t, int>{
                           {0, 1}, {1, 32}, {2, 233}, {3, 333}, {4, 147}, {5, 131}, {6, 21}});
    CHECK(main_types.size() == 120);
    CHECK(tissues.size() == 32);
    CHECK(o->children(o->root()).size() == 32);

    CHECK(path_codes(*o, "LUAD") == std::vector<std::string>{"LUAD", "NSCLC", "LUNG", "TISSUE"});
    CHECK(path_codes(*o, "PCM") ==
          std::vector<std::string>{"PCM", "MBN", "NHL", "LNM", "LYMPH", "TISSUE"});
    CHECK(path_codes(*o, "AML") == std::vector<std::string>{"AML", "MNM", "MYELOID", "TISSUE"});
    CHECK(o->find_by_nci("C3512") == o->find("LUAD"));
    CHECK(o->find_by_nci("C7967") == o->find("SRCCR"));
    CHECK((*o)[*o->find("SRCCR")].umls == std::vector<std::string>{"C0279654", "C1707436"});
    CHECK(o->find_by_name("plasma cell myeloma") == o->find("PCM"));
    CHECK(o->find_by_name("non-small cell lung cancer") == o->find("NSCLC"));

    // Groups derived from the tissue.
    CHECK(o->is_a("LUAD", "_SOLID_").value() == truth::yes);
    CHECK(o->is_a("PCM", "_LIQUID_").value() == truth::yes);
    CHECK(o->is_a("AML", "_LIQUID_").value() == truth::yes);
    CHECK(o->is_a("DLBCLNOS", "_SOLID_").value() == truth::no);
    CHECK(o->is_a("TISSUE", "_LIQUID_").value() == truth::unknown);
    CHECK(o->is_a("LUAD", "NSCLC").value() == truth::yes);
    CHECK(o->is_a("NSCLC", "LUAD").value() == truth::unknown);
    CHECK(o->is_a("LUAD", "PCM").value() == truth::no);
  }

  TEST_CASE("the official release, nested JSON, answers exactly like the flat TSV") {
    CTM_REQUIRE_SHARED_DATA();
    const auto flat = ctm::io::load_ontology(oncotree_tsv());
    const auto nested = ctm::io::load_ontology(oncotree_json());
    REQUIRE_MESSAGE(flat.has_value(), ctm::to_string(flat.error()));
    REQUIRE_MESSAGE(nested.has_value(), ctm::to_string(nested.error()));
    REQUIRE(nested->tree_size() == 898);
    for (std::uint32_t i = 0; i < flat->size(); ++i) {
      const auto& a = (*flat)[ctm::concept_id{i}];
      const auto j = nested->find(a.code);
      REQUIRE(j.has_value());
      const auto& b = (*nested)[*j];
      CAPTURE(a.code);
      CHECK(a.name == b.name);
      CHECK(a.main_type == b.main_type);
      CHECK(a.tissue == b.tissue);
      CHECK(a.level == b.level);
      CHECK(a.group == b.group);
      CHECK(a.nci == b.nci);
      CHECK(a.umls == b.umls);
    }
    // Every ordered pair of codes, group nodes included.
    std::size_t differ = 0;
    std::vector<ctm::concept_id> map(flat->size());
    for (std::uint32_t i = 0; i < flat->size(); ++i) {
      map[i] = *nested->find((*flat)[ctm::concept_id{i}].code);
    }
    for (std::uint32_t p = 0; p < flat->size(); ++p) {
      for (std::uint32_t t = 0; t < flat->size(); ++t) {
        if (flat->is_a(ctm::concept_id{p}, ctm::concept_id{t}) != nested->is_a(map[p], map[t])) {
          ++differ;
        }
      }
    }
    CHECK(differ == 0);
  }
}

TEST_SUITE("io.vocabulary.drugs") {
  TEST_CASE("the drug catalog format") {
    const auto c = ctm::io::load_drug_catalog(test_data("drugs_small.json"));
    REQUIRE_MESSAGE(c.has_value(), ctm::to_string(c.error()));
    CHECK(c->size() == 21);
    const auto pembro = *c->find("Keytruda");
    CHECK((*c)[pembro].code == "pembrolizumab");
    CHECK(c->find("MK-3475") == pembro);
    CHECK(c->find_by_rxnorm("1547545") == pembro);
    CHECK(c->find_by_rxnorm("358258") == c->find("bortezomib"));  // written as a number
    CHECK(c->half_life_days(pembro) == doctest::Approx(22.0));
    std::vector<std::string> up;
    for (auto id : c->ancestors(pembro)) up.push_back((*c)[id].code);
    CHECK(up == std::vector<std::string>{"anti_pd1", "pd1_pdl1_inhibitor", "monoclonal_antibody",
                                         "immune_checkpoint_inhibitor", "antineoplastic",
                                         "immunotherapy"});
    CHECK(c->is_anticancer(pembro));
    CHECK_FALSE(c->is_anticancer(*c->find("dexamethasone")));
    CHECK_FALSE(c->is_anticancer(*c->find("ondansetron")));
    CHECK(c->is_supportive(*c->find("ondansetron")));
    CHECK((*c)[*c->find("anti_pd1")].atc == std::vector<std::string>{"L01FF"});
  }

  TEST_CASE("extending the catalog from a second file") {
    const auto base = ctm::io::load_drug_catalog(test_data("drugs_small.json")).value();
    const std::string site = R"({"schema_version": 1, "drugs": [
      {"code": "carfilzomib", "name": "carfilzomib", "classes": ["proteasome_inhibitor"],
       "brands": ["Kyprolis"]}]})";
    const auto ext = ctm::io::read_drug_catalog(site, "site.json", base);
    REQUIRE_MESSAGE(ext.has_value(), ctm::to_string(ext.error()));
    CHECK(ext->size() == base.size() + 1);
    CHECK(ext->is_a(*ext->find("Kyprolis"), *ext->find("antineoplastic")));
    CHECK(ext->source_name() == base.source_name() + " + site.json");
    const std::string clash = R"({"schema_version": 1, "drugs": [
      {"code": "nivolumab", "name": "nivolumab", "classes": ["anti_pd1"]}]})";
    const auto e = error_of(ctm::io::read_drug_catalog(clash, "site.json", base));
    CHECK(e.code == ctm::errc::duplicate_code);
    CHECK(e.where == ctm::location{"site.json", 0, 0, "/drugs/0"});
  }

  TEST_CASE("broken catalogs give the JSON pointer and the exact error") {
    const std::string good = slurp(test_data("drugs_small.json"));
    const auto fail = [](const std::string& text) {
      return error_of(ctm::io::read_drug_catalog(text, "d.json"));
    };
    SUBCASE("schema version") {
      const auto e = fail(replace(good, "\"schema_version\": 1", "\"schema_version\": 2"));
      CHECK(e.code == ctm::errc::unsupported_schema_version);
      CHECK(e.where.pointer == "/schema_version");
      CHECK(fail(replace(good, "\"schema_version\": 1,", "")).code == ctm::errc::json_schema);
    }
    SUBCASE("unknown class") {
      const auto e =
          fail(replace(good, "\"classes\": [\n    \"imid\"", "\"classes\": [\n    \"imd\""));
      CHECK(e.code == ctm::errc::unknown_parent);
      CHECK(e.where.pointer == "/drugs/4");
      CHECK(ctm::to_string(e) ==
            "[ctm.vocab.unknown_parent.301] d.json#/drugs/4: class 'imd' of 'lenalidomide' is "
            "not defined");
    }
    SUBCASE("a class cycle") {
      const auto e = fail(replace(good,
                                  "\"parents\": [\n    \"antineoplastic\"\n   ]\n  },\n  {\n   "
                                  "\"code\": \"immune_checkpoint_inhibitor\"",
                                  "\"parents\": [\n    \"pd1_pdl1_inhibitor\"\n   ]\n  },\n  {\n   "
                                  "\"code\": \"immune_checkpoint_inhibitor\""));
      CHECK(e.code == ctm::errc::vocabulary_cycle);
      CHECK(e.where.pointer == "/classes/1");
    }
    SUBCASE("a duplicate code") {
      const auto e = fail(replace(good, "\"code\": \"nivolumab\"", "\"code\": \"pembrolizumab\""));
      CHECK(e.code == ctm::errc::duplicate_code);
      CHECK(e.where.pointer == "/drugs/1");
      CHECK(e.message == "code 'pembrolizumab' is already defined at d.json#/drugs/0");
    }
    SUBCASE("wrong types") {
      auto e = fail(replace(good, "\"half_life_days\": 22", "\"half_life_days\": \"22\""));
      CHECK(e.code == ctm::errc::json_schema);
      CHECK(e.where.pointer == "/drugs/0/half_life_days");
      e = fail(replace(good, "\"brands\": [\n    \"Keytruda\"", "\"brands\": [\n    7"));
      CHECK(e.where.pointer == "/drugs/0/brands/0");
      e = fail(replace(good, "\"supportive\": true", "\"supportive\": \"yes\""));
      CHECK(e.where.pointer == "/drugs/6/supportive");
      e = fail(replace(good, "\"classes\": [\n  {", "\"classes\": {\"x\": [\n  {"));
      CHECK(e.code == ctm::errc::json_syntax);
    }
    SUBCASE("an empty name") {
      const auto e = fail(replace(good, "\"name\": \"Immunotherapy\"", "\"name\": \"\""));
      CHECK(e.code == ctm::errc::empty_name);
      CHECK(e.where.pointer == "/classes/1");
    }
    SUBCASE("a missing name") {
      const auto e = fail(replace(good, "\"name\": \"Immunotherapy\",", ""));
      CHECK(e.code == ctm::errc::json_schema);
      CHECK(e.where.pointer == "/classes/1/name");
    }
  }
}

TEST_SUITE("io.vocabulary.labs") {
  TEST_CASE("the lab catalog format") {
    const auto c = ctm::io::load_lab_catalog(test_data("labs_small.json"));
    REQUIRE_MESSAGE(c.has_value(), ctm::to_string(c.error()));
    CHECK(c->size() == 5);
    CHECK(c->default_range_note().find("Defaults") == 0);
    const auto anc = *c->find_by_loinc("26499-4");
    CHECK((*c)[anc].code == "anc");
    CHECK((*c)[anc].unit == ctm::unit::giga_per_litre);
    CHECK((*c)[anc].units.size() == 3);
    CHECK(c->find("neutrophils") == anc);
    const auto cr = *c->find("serum creatinine");
    CHECK((*c)[cr].molar_mass->grams_per_mole == doctest::Approx(113.12));
    CHECK_FALSE((*c)[cr].default_range.has_value());
    CHECK(c->default_range(cr, ctm::vocab::reference_sex::male)->unit ==
          ctm::unit::micromole_per_litre);
    const auto qtcf = *c->find("QTcF");
    CHECK_FALSE((*c)[qtcf].unit.has_value());
    CHECK((*c)[qtcf].default_range->high == doctest::Approx(450));
    CHECK((*c)[*c->find("hiv")].qualitative);
    CHECK_FALSE((*c)[*c->find_by_loinc("1975-2")].default_range->low.has_value());
  }

  TEST_CASE("broken lab catalogs give the JSON pointer") {
    const std::string good = slurp(test_data("labs_small.json"));
    const auto fail = [](const std::string& text) {
      return error_of(ctm::io::read_lab_catalog(text, "l.json"));
    };
    auto e = fail(replace(good, "\"/uL\"", "\"furlongs\""));
    CHECK(e.code == ctm::errc::unknown_unit);
    CHECK(e.where.pointer == "/analytes/0/units/2");
    e = fail(replace(good, "\"kind\": \"qualitative\"", "\"kind\": \"vague\""));
    CHECK(e.code == ctm::errc::json_schema);
    CHECK(e.where.pointer == "/analytes/4/kind");
    e = fail(replace(good, "\"molar_mass\": 113.12", "\"molar_mass\": -1"));
    CHECK(e.where.pointer == "/analytes/1/molar_mass");
    e = fail(replace(good, "\"loinc\": [\n    \"1975-2\"", "\"loinc\": [\n    \"751-8\""));
    CHECK(e.code == ctm::errc::duplicate_code);
    CHECK(e.where.pointer == "/analytes/2");
    e = fail(replace(good, "\"high\": 1.2", "\"high\": null, \"x\": 0"));
    CHECK(e.code == ctm::errc::json_schema);
    CHECK(e.where.pointer == "/analytes/2/default_range");
  }
}

TEST_SUITE("io.vocabulary.files") {
  TEST_CASE("a missing file is an open error naming it") {
    const auto e = error_of(ctm::io::load_ontology("/nonexistent/ctm/diseases.tsv"));
    CHECK(e.code == ctm::errc::io_open_failed);
    CHECK(e.where.file == "/nonexistent/ctm/diseases.tsv");
    CHECK(error_of(ctm::io::load_drug_catalog(ctm::test::source_dir())).code ==
          ctm::errc::io_open_failed);
  }

  TEST_CASE("oversized input is refused before parsing") {
    const std::string big(ctm::io::max_vocabulary_bytes + 1, ' ');
    CHECK(error_of(ctm::io::read_disease_tsv(big, "big")).code == ctm::errc::input_too_large);
    CHECK(error_of(ctm::io::read_lab_catalog(big, "big")).code == ctm::errc::input_too_large);
  }
}
