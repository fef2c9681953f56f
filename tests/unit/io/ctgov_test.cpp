// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Registry readers (ctm/io/ctgov.hpp) and the disease mapping table (ctm/io/disease_mapping.hpp).
#include "support/paths.hpp"

#include <ctm/io/ctgov.hpp>
#include <ctm/io/disease_mapping.hpp>
#include <ctm/io/vocabulary.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using ctm::errc;
using ctm::io::imported_trial_record;
using ctm::io::trial_format;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot open " << path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

fs::path data(const char* name) {
  return ctm::test::source_dir() / "tests" / "data" / "import" / name;
}

ctm::io::registry_options named(const std::string& name) {
  ctm::io::registry_options o;
  o.source_name = name;
  return o;
}

bool has_diagnostic(const std::vector<ctm::diagnostic>& ds, errc code, const std::string& pointer) {
  return std::any_of(ds.begin(), ds.end(), [&](const ctm::diagnostic& d) {
    return d.error.code == code && d.error.where.pointer == pointer;
  });
}

template <class T>
bool contains(const std::vector<T>& v, const T& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

TEST_SUITE("io.ctgov.mapping") {
  TEST_CASE("qualifiers that do not change the disease are stripped") {
    using ctm::io::strip_condition_qualifiers;
    CHECK(strip_condition_qualifiers("Relapsed/Refractory Multiple Myeloma") == "multiple myeloma");
    CHECK(strip_condition_qualifiers("Stage IIIB Non-small Cell Lung Cancer AJCC v8") ==
          "non small cell lung cancer");
    CHECK(strip_condition_qualifiers("Relapse and / or Refractory Myeloma") == "myeloma");
    CHECK(strip_condition_qualifiers("EGFR-mutant Metastatic NSCLC") == "nsclc");
    CHECK(strip_condition_qualifiers("KRAS G12C Mutated Non-Small Cell Lung Cancer") ==
          "non small cell lung cancer");
    CHECK(strip_condition_qualifiers("Recurrent Head and Neck Carcinoma") ==
          "head and neck carcinoma");
    CHECK(strip_condition_qualifiers("Advanced Solid Tumours") == "solid tumor");
    CHECK(ctm::io::normalize_condition("Leukaemia, Lymphoid") == "leukemia lymphoid");
  }

  TEST_CASE("registry phrasings map to OncoTree codes through the bundled table and ontology") {
    const auto mapper = ctm::io::bundled_disease_mappings();
    REQUIRE(mapper.has_value());
    const auto onto = ctm::io::bundled_ontology();
    REQUIRE(onto.has_value());
    const std::map<std::string, std::string> expected{
        {"Multiple Myeloma", "PCM"},
        {"Relapsed/Refractory Multiple Myeloma", "PCM"},
        {"Non-small Cell Lung Cancer", "NSCLC"},
        {"NSCLC (Advanced Non-small Cell Lung Cancer)", "NSCLC"},
        {"Diffuse Large B-Cell Lymphoma", "DLBCLNOS"},
        {"Recurrent Adult Diffuse Large Cell Lymphoma", "DLBCLNOS"},
        {"Chronic Lymphocytic Leukemia", "CLLSLL"},
        {"Refractory Chronic Lymphocytic Leukemia", "CLLSLL"},
        {"Multiple Myeloma in Relapse", "PCM"},
        {"Stage IV Breast Cancer", "BREAST"},
        {"Triple Negative Breast Cancer", "BRCA"},
        {"Advanced Malignant Solid Neoplasm", "_SOLID_"},
        {"Colorectal (Colon or Rectal) Cancer", "COADREAD"},
        {"Carcinoma, Non-Small-Cell Lung", "NSCLC"},
        {"Lung Adenocarcinoma", "LUAD"},
    };
    for (const auto& entry : expected) {
      const std::string& text = entry.first;  // CAPTURE needs a variable, not a binding (clang 14)
      CAPTURE(text);
      CHECK(mapper->map_condition(text, &*onto).value_or("-") == entry.second);
    }
    CHECK_FALSE(mapper->map_condition("Zorblax Syndrome", &*onto).has_value());
    CHECK_FALSE(mapper->map_condition("Fatigue", &*onto).has_value());
  }

  TEST_CASE("codes map by system, ICD-10-CM falls back to its category") {
    const auto mapper = ctm::io::bundled_disease_mappings();
    REQUIRE(mapper.has_value());
    using ctm::io::mapping_system;
    CHECK(mapper->map_code(mapping_system::snomed, "254837009").value_or("-") == "BREAST");
    CHECK(mapper->map_code(mapping_system::icd10cm, "C50.911").value_or("-") == "BREAST");
    CHECK(mapper->map_code(mapping_system::icd10cm, "c90.00").value_or("-") == "PCM");
    CHECK(mapper->map_code(mapping_system::icdo3, "8500/3").value_or("-") == "IDC");
    CHECK_FALSE(mapper->map_code(mapping_system::snomed, "254837").has_value());
    CHECK(ctm::io::mapping_system_of_uri("http://snomed.info/sct") == mapping_system::snomed);
    CHECK_FALSE(ctm::io::mapping_system_of_uri("http://loinc.org").has_value());
  }

  TEST_CASE("every code of the bundled table is in the bundled disease hierarchy") {
    const auto onto = ctm::io::bundled_ontology();
    REQUIRE(onto.has_value());
    const std::string table = slurp(ctm::test::source_dir() / "data" / "mappings" / "diseases.tsv");
    std::istringstream in(table);
    std::size_t rows = 0;
    bool header = true;
    for (std::string line; std::getline(in, line);) {
      if (line.empty() || line[0] == '#') continue;
      if (header) {
        header = false;
        continue;
      }
      const auto first = line.find('\t');
      const auto second = line.find('\t', first + 1);
      const auto third = line.find('\t', second + 1);
      const std::string code = line.substr(second + 1, third - second - 1);
      CAPTURE(line);
      CHECK(onto->find(code).has_value());
      ++rows;
    }
    CHECK(rows > 300);
    CHECK(ctm::io::bundled_disease_mappings()->size() == rows);
  }

  TEST_CASE("a mapping table with errors is rejected with its line") {
    const auto bad =
        ctm::io::read_disease_mappings("system\tkey\tcode\nplanet\tmars\tX\n", "t.tsv");
    REQUIRE_FALSE(bad.has_value());
    CHECK(ctm::to_string(bad.error()) ==
          "[ctm.io.tsv_syntax.204] t.tsv:2: not a known mapping system");
    CHECK(ctm::io::read_disease_mappings("key\tcode\n", "t.tsv").error().code == errc::tsv_syntax);
    const auto site = ctm::io::read_disease_mappings(
        "system\tkey\tcode\nphrase\tZorblax syndrome\tPCM\n", "s.tsv");
    REQUIRE(site.has_value());
    const auto merged = ctm::io::bundled_disease_mappings()->extended(*site);
    CHECK(merged.map_condition("Zorblax Syndrome", nullptr).value_or("-") == "PCM");
  }
}

TEST_SUITE("io.ctgov") {
  TEST_CASE("registry ages: years, months, N/A and very large maxima") {
    using ctm::io::parse_registry_age;
    CHECK(parse_registry_age("18 Years")->value() == ctm::years(18));
    CHECK(parse_registry_age("6 Months")->value() == ctm::months(6));
    CHECK(parse_registry_age("1 Year")->value() == ctm::years(1));
    CHECK(parse_registry_age("30 days")->value() == ctm::days(30));
    CHECK(parse_registry_age("12 Hours")->value() == ctm::days(0));
    CHECK_FALSE(parse_registry_age("N/A")->has_value());
    CHECK_FALSE(parse_registry_age("")->has_value());
    CHECK_FALSE(parse_registry_age("999 Years")->has_value());
    CHECK(parse_registry_age("eighteen").error().code == errc::invalid_duration);
    CHECK(parse_registry_age("18 Parsecs").error().code == errc::invalid_duration);
  }

  TEST_CASE("formats are told apart from their content") {
    CHECK(ctm::io::detect_trial_format(slurp(data("study_v2.json"))) == trial_format::ctgov_json);
    CHECK(ctm::io::detect_trial_format(slurp(data("studies_search.json"))) ==
          trial_format::ctgov_json);
    CHECK(ctm::io::detect_trial_format(slurp(data("clinical_study.xml"))) ==
          trial_format::ctgov_xml);
    CHECK(ctm::io::detect_trial_format(R"({"nctid": "NCT00000001", "title": "t"})") ==
          trial_format::trialgpt_json);
    CHECK(ctm::io::detect_trial_format(R"({"nci_id": "NCI-1", "nct_id": "NCT00000001"})") ==
          trial_format::nci_cts_json);
    CHECK(ctm::io::detect_trial_format(R"({"schema_version": 1, "id": "NCT00000001"})") ==
          trial_format::native);
    CHECK(ctm::io::detect_trial_format(slurp(data("not_a_study.json"))) == trial_format::unknown);
    CHECK(ctm::io::detect_trial_format("") == trial_format::unknown);
    CHECK(ctm::io::detect_trial_format("<html/>") == trial_format::unknown);
  }

  TEST_CASE("an API v2 study becomes a trial document with registry details") {
    const auto records =
        ctm::io::read_registry(slurp(data("study_v2.json")), named("study_v2.json"));
    REQUIRE(records.size() == 1);
    REQUIRE(records[0].trial.has_value());
    const auto& imp = *records[0].trial;
    const ctm::trial& t = imp.document.trial;
    CHECK(imp.format == trial_format::ctgov_json);
    CHECK(t.id == "NCT09990001");
    CHECK(t.secondary_ids == std::vector<std::string>{"SYN-001", "SYN-2026-01"});
    CHECK(t.title == "A synthetic study of drug X in relapsed or refractory multiple myeloma");
    CHECK(t.status == ctm::trial_status::recruiting);
    CHECK(t.phases ==
          std::vector<ctm::trial_phase>{ctm::trial_phase::phase1, ctm::trial_phase::phase2});
    CHECK(t.sponsor == "Synthetic Sponsor Inc.");
    CHECK(t.conditions.codes == std::vector<std::string>{"PCM"});
    CHECK(t.conditions.registry.size() == 2);
    CHECK(imp.registry.unmapped_conditions == std::vector<std::string>{"Zorblax Syndrome"});
    CHECK(has_diagnostic(imp.document.diagnostics, errc::unknown_code,
                         "/protocolSection/conditionsModule/conditions/1"));
    CHECK(imp.registry.mesh_terms == std::vector<std::string>{"Multiple Myeloma"});
    CHECK(imp.registry.keywords.size() == 2);
    CHECK(imp.registry.study_type == "INTERVENTIONAL");
    CHECK(imp.registry.minimum_age == ctm::years(18));
    CHECK(imp.registry.maximum_age == ctm::years(75));
    CHECK(imp.registry.sex == ctm::io::sex_eligibility::female);
    CHECK(imp.registry.healthy_volunteers == false);

    // Structured criteria first, then one per top-level item, nested items folded in.
    REQUIRE(t.criteria.size() == 7);
    CHECK(t.criteria[0].id == "inc-age");
    CHECK(t.criteria[0].text == "Age from 18 years to 75 years (registry age limits).");
    CHECK(t.criteria[1].id == "inc-sex");
    CHECK(t.criteria[1].text == "Female participants only (registry sex field).");
    CHECK(t.criteria[3].id == "inc-02");
    CHECK(t.criteria[3].text ==
          "Adequate organ function defined as:\n- ANC >= 1.0 x 10^9/L\n- Platelets >= 75 x 10^9/L");
    CHECK(t.criteria[4].text ==
          "ECOG performance status 0-1\n- Note: ECOG 2 is allowed when due to bone disease.");
    CHECK(t.criteria[5].id == "exc-01");
    CHECK(t.criteria[5].kind == ctm::criterion_kind::exclusion);
    // Rules: exact ones for the structured limits, extracted ones where the whole text is read;
    // the ECOG item's note (an exception) leaves it for review.
    CHECK(t.criteria[0].rule == "age in 18..75");
    CHECK(t.criteria[1].rule == "sex == female");
    CHECK(t.criteria[3].rule == "lab(anc) >= 1 [10*9/L] and lab(platelets) >= 75 [10*9/L]");
    CHECK(t.criteria[3].provenance.kind == ctm::provenance_kind::extracted);
    CHECK(t.criteria[4].needs_review());
    std::size_t ruled = 0;
    for (const auto& c : t.criteria) ruled += c.rule ? 1U : 0U;
    CHECK(ruled == 3);

    REQUIRE(t.arms.size() == 2);
    CHECK(t.arms[0].id == "dose-escalation");
    CHECK(t.arms[0].interventions == std::vector<std::string>{"Synthetic Drug X", "Lenalidomide"});
    REQUIRE(imp.registry.interventions.size() == 2);
    CHECK(imp.registry.interventions[0].drug.empty());
    CHECK(imp.registry.interventions[1].drug == "lenalidomide");
    CHECK(has_diagnostic(imp.document.diagnostics, errc::unknown_code,
                         "/protocolSection/armsInterventionsModule/interventions/0"));

    REQUIRE(t.sites.size() == 2);
    CHECK(t.sites[0].name == "Synthetic Cancer Centre");
    CHECK(t.sites[0].state == "Massachusetts");
    REQUIRE(t.sites[0].location.has_value());
    CHECK(t.sites[0].location->latitude == doctest::Approx(42.3601));
    CHECK(t.sites[0].recruitment_status == ctm::trial_status::recruiting);
    CHECK(t.sites[1].recruitment_status == ctm::trial_status::not_yet_recruiting);
    CHECK_FALSE(t.sites[1].location.has_value());
    CHECK(t.source.registry == "ClinicalTrials.gov");
    CHECK(t.source.record == "study_v2.json");
    CHECK(ctm::to_string(*t.source.last_update) == "2026-01-15");
    // Every diagnostic is a warning: the document itself is valid.
    for (const auto& d : imp.document.diagnostics) CHECK(d.severity == ctm::severity::warning);
  }

  TEST_CASE("a search response keeps each study in place, one without an NCT id is rejected") {
    const auto records =
        ctm::io::read_registry(slurp(data("studies_search.json")), named("s.json"));
    REQUIRE(records.size() == 2);
    REQUIRE(records[0].trial.has_value());
    CHECK(records[0].trial->document.trial.id == "NCT09990002");
    CHECK(records[0].trial->document.trial.conditions.codes == std::vector<std::string>{"NSCLC"});
    REQUIRE_FALSE(records[1].trial.has_value());
    CHECK(
        ctm::to_string(records[1].trial.error()) ==
        "[ctm.trial.invalid_id.700] s.json#/studies/1/protocolSection/identificationModule/nctId: "
        "the record has no NCT id");
    CHECK(records[1].index == 1);
  }

  TEST_CASE("arrays and JSON Lines of studies, a malformed line loses only itself") {
    const std::string one =
        R"({"protocolSection": {"identificationModule": {"nctId": "NCT09990010", "briefTitle": "a"}}})";
    const std::string two =
        R"({"protocolSection": {"identificationModule": {"nctId": "NCT09990011", "briefTitle": "b"}}})";
    const auto array = ctm::io::read_registry_json("[" + one + "," + two + "]", named("a.json"));
    REQUIRE(array.size() == 2);
    CHECK(array[1].trial->document.trial.id == "NCT09990011");
    const auto lines =
        ctm::io::read_registry_json(one + "\n{broken\n\n" + two + "\n", named("l.jsonl"));
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].trial.has_value());
    REQUIRE_FALSE(lines[1].trial.has_value());
    CHECK(lines[1].trial.error().code == errc::json_syntax);
    CHECK(lines[1].line == 2);
    CHECK(lines[2].line == 4);
    CHECK(lines[2].trial->document.trial.id == "NCT09990011");
  }

  TEST_CASE("wrong types fail the record with the member's pointer") {
    const auto r = ctm::io::read_registry_json(
        R"({"protocolSection": {"identificationModule": {"nctId": "NCT09990012"}, "conditionsModule": {"conditions": "x"}}})",
        named("w.json"));
    REQUIRE(r.size() == 1);
    REQUIRE_FALSE(r[0].trial.has_value());
    CHECK(ctm::to_string(r[0].trial.error()) ==
          "[ctm.io.json_schema.202] w.json#/protocolSection/conditionsModule/conditions: expected "
          "an array");
  }

  TEST_CASE("a legacy clinical_study XML record") {
    const auto records = ctm::io::read_registry(slurp(data("clinical_study.xml")), named("c.xml"));
    REQUIRE(records.size() == 1);
    REQUIRE(records[0].trial.has_value());
    const auto& imp = *records[0].trial;
    const ctm::trial& t = imp.document.trial;
    CHECK(imp.format == trial_format::ctgov_xml);
    CHECK(t.id == "NCT09990003");
    CHECK(t.secondary_ids == std::vector<std::string>{"SYN-XML-1", "SYN-XML-1B"});
    CHECK(t.status == ctm::trial_status::active_not_recruiting);
    CHECK(t.phases ==
          std::vector<ctm::trial_phase>{ctm::trial_phase::phase1, ctm::trial_phase::phase2});
    CHECK(t.conditions.codes == std::vector<std::string>{"CLLSLL"});
    CHECK(imp.registry.minimum_age == ctm::years(18));
    CHECK_FALSE(imp.registry.maximum_age.has_value());
    CHECK(imp.registry.healthy_volunteers == false);
    REQUIRE(t.criteria.size() == 4);
    CHECK(t.criteria[0].text == "Age 18 years or older (registry minimum age).");
    CHECK(
        t.criteria[1].text ==
        "Relapsed or refractory CLL after at least one prior therapy, with one of the following:\n"
        "- del(17p)\n- TP53 mutation");
    CHECK(t.criteria[3].id == "exc-01");
    REQUIRE(imp.registry.interventions.size() == 1);
    CHECK(imp.registry.interventions[0].drug == "ibrutinib");
    REQUIRE(t.sites.size() == 1);
    CHECK(t.sites[0].recruitment_status == ctm::trial_status::recruiting);
    CHECK(ctm::to_string(*t.source.retrieved) == "2018-05-11");
    CHECK(ctm::to_string(*t.source.last_update) == "2018-03-05");
    CHECK(imp.document.diagnostics.empty());
  }

  TEST_CASE("malformed XML, another root element and oversize input are reported") {
    const auto bad = ctm::io::read_ctgov_xml("<clinical_study><id_info>", named("b.xml"));
    REQUIRE(bad.size() == 1);
    CHECK(bad[0].trial.error().code == errc::xml_syntax);
    const auto other = ctm::io::read_ctgov_xml("<html><body/></html>", named("o.xml"));
    CHECK(other[0].trial.error().code == errc::unsupported_format);
    ctm::io::registry_options small = named("x.xml");
    small.max_bytes = 10;
    CHECK(ctm::io::read_ctgov_xml(slurp(data("clinical_study.xml")), small)[0].trial.error().code ==
          errc::input_too_large);
    ctm::io::registry_options shallow = named("x.xml");
    shallow.max_depth = 3;
    CHECK(
        ctm::io::read_ctgov_xml(slurp(data("clinical_study.xml")), shallow)[0].trial.error().code ==
        errc::input_too_large);
  }

  TEST_CASE("NCI CTS and TrialGPT records") {
    const std::string cts =
        R"({"nci_id": "NCI-2099-00001", "nct_id": "NCT09990020", "brief_title": "CTS trial",
      "phase": "I_II", "current_trial_status": "Temporarily Closed to Accrual", "lead_org": "Synthetic Org",
      "eligibility": {"structured": {"min_age": "18 Years", "max_age": "999 Years", "sex": "MALE"},
        "unstructured": [{"inclusion_indicator": false, "display_order": 2, "description": "No prior RT"},
                         {"inclusion_indicator": true, "display_order": 1, "description": "Measurable  disease"}]},
      "diseases": [{"inclusion_indicator": "TRIAL", "is_lead_disease": true, "name": "Prostate Carcinoma", "type": ["maintype"]},
                   {"inclusion_indicator": "TRIAL", "name": "Stage IV Prostate Cancer AJCC v8", "type": ["stage"]}],
      "sites": [{"org_name": "Site A", "org_city": "Denver", "org_country": "United States",
                 "recruitment_status": "CLOSED_TO_ACCRUAL", "org_coordinates": {"lat": 39.7, "lon": -104.9}}]})";
    const auto r = ctm::io::read_registry(cts, named("cts.json"));
    REQUIRE(r.size() == 1);
    REQUIRE(r[0].trial.has_value());
    const ctm::trial& t = r[0].trial->document.trial;
    CHECK(r[0].trial->format == trial_format::nci_cts_json);
    CHECK(t.phases ==
          std::vector<ctm::trial_phase>{ctm::trial_phase::phase1, ctm::trial_phase::phase2});
    CHECK(t.status == ctm::trial_status::suspended);
    CHECK(t.conditions.codes == std::vector<std::string>{"PROSTATE"});
    CHECK(t.conditions.registry.size() == 1);
    REQUIRE(t.criteria.size() == 4);
    CHECK(t.criteria[0].text == "Age 18 years or older (registry minimum age).");
    CHECK(t.criteria[1].id == "inc-sex");
    CHECK(t.criteria[2].text == "Measurable disease");
    CHECK(t.criteria[3].id == "exc-01");
    CHECK(t.sites[0].recruitment_status == ctm::trial_status::active_not_recruiting);
    CHECK(t.source.registry == "NCI CTS");

    const std::string gpt =
        R"({"nctid": "NCT09990021", "title": "TrialGPT trial", "phases": ["PHASE2"],
      "overall_status": "COMPLETED", "raw_criteria": "Inclusion Criteria:\n\n* A\n\nExclusion Criteria:\n\n* B",
      "minimum_age": "", "maximum_age": "", "sex": "ALL", "condition": ["Glioblastoma"]})";
    const auto g = ctm::io::read_registry(gpt, named("g.json"));
    REQUIRE(g[0].trial.has_value());
    CHECK(g[0].trial->document.trial.conditions.codes == std::vector<std::string>{"GB"});
    CHECK(g[0].trial->document.trial.criteria.size() == 2);
    CHECK(g[0].trial->document.trial.status == ctm::trial_status::completed);
  }

  TEST_CASE("other shapes are an unsupported format, reported cleanly") {
    for (const std::string& text :
         {slurp(data("not_a_study.json")), std::string(R"({"a": 1})"), std::string("plain text"),
          std::string(R"({"schema_version": 1})")}) {
      CAPTURE(text);
      const auto r = ctm::io::read_registry(text, named("n.json"));
      REQUIRE(r.size() == 1);
      REQUIRE_FALSE(r[0].trial.has_value());
      CHECK(r[0].trial.error().code == errc::unsupported_format);
    }
    CHECK(ctm::io::read_registry_json("", named("e.json")).empty());
  }

  TEST_CASE("read_trials_any reads native and registry files alike") {
    const auto native =
        ctm::io::read_trials_any(ctm::test::source_dir() / "data" / "trials" / "NCT02465060.json");
    REQUIRE(native.size() == 1);
    REQUIRE(native[0].document.has_value());
    CHECK(native[0].document->trial.id == "NCT02465060");
    const auto registry = ctm::io::read_trials_any(data("study_v2.json"));
    REQUIRE(registry.size() == 1);
    CHECK(registry[0].document->trial.id == "NCT09990001");
    const auto dir =
        ctm::io::read_trials_any(ctm::test::source_dir() / "tests" / "data" / "import");
    CHECK(dir.size() == 7);  // study, search (2), xml; the three FHIR files as unsupported
    const auto missing = ctm::io::read_trials_any("no/such/file.json");
    REQUIRE(missing.size() == 1);
    CHECK(missing[0].document.error().code == errc::io_open_failed);
  }
}

TEST_SUITE("io.ctgov.shared_data") {
  TEST_CASE("every registry record under ../shared/data imports without a crash") {
    CTM_REQUIRE_SHARED_DATA();
    struct tally {
      std::size_t read = 0, imported = 0, warnings = 0, rejected = 0;
    };
    std::map<std::string, tally> folders;
    const fs::path root = ctm::test::shared_data_dir();
    const std::vector<fs::path> inputs{root / "ctgov-oncology-trials", root / "ctgov-rr-trials",
                                       root / "mcode-trial-matching-service" / "NCT02513394.json",
                                       root / "mcode-trial-matching-service" / "NCT02513394.xml"};
    for (const fs::path& input : inputs) {
      std::vector<fs::path> files;
      if (fs::is_directory(input)) {
        for (const auto& e : fs::recursive_directory_iterator(input)) {
          const auto ext = e.path().extension();
          if (e.is_regular_file() && (ext == ".json" || ext == ".ndjson" || ext == ".xml"))
            files.push_back(e.path());
        }
      } else {
        files.push_back(input);
      }
      std::sort(files.begin(), files.end());
      for (const fs::path& file : files) {
        CAPTURE(file.string());
        const std::string folder = fs::relative(file, root).begin()->string();
        tally& t = folders[folder];
        for (const imported_trial_record& r :
             ctm::io::read_registry(slurp(file), named(file.string()))) {
          ++t.read;
          if (!r.trial) {
            ++t.rejected;
            MESSAGE("rejected: " << ctm::to_string(r.trial.error()));
            continue;
          }
          ++t.imported;
          if (!r.trial->document.diagnostics.empty()) ++t.warnings;
          const ctm::trial& tr = r.trial->document.trial;
          CHECK(ctm::is_nct_id(tr.id));
          CHECK_FALSE(tr.title.empty());
          // No structural errors: only warnings, and unknown disease codes never appear.
          for (const auto& d : r.trial->document.diagnostics) {
            CAPTURE(ctm::to_string(d));
            CHECK(d.severity == ctm::severity::warning);
          }
        }
      }
    }
    for (const auto& [folder, t] : folders) {
      MESSAGE(folder << ": read " << t.read << ", imported " << t.imported << ", with warnings "
                     << t.warnings << ", rejected " << t.rejected);
      CHECK(t.rejected == 0);
      CHECK(t.imported > 0);
    }
    CHECK(folders["ctgov-oncology-trials"].read == 30);
    CHECK(folders["ctgov-rr-trials"].read == 41);
  }

  TEST_CASE("the PALLAS record: conditions, sites with geo points, eligibility") {
    CTM_REQUIRE_SHARED_DATA();
    const fs::path file =
        ctm::test::shared_data_dir() / "mcode-trial-matching-service" / "NCT02513394.json";
    const auto r = ctm::io::read_registry(slurp(file), named("pallas.json"));
    REQUIRE(r.size() == 1);
    REQUIRE(r[0].trial.has_value());
    const ctm::trial& t = r[0].trial->document.trial;
    CHECK(t.id == "NCT02513394");
    CHECK(t.status == ctm::trial_status::active_not_recruiting);
    CHECK(t.phases == std::vector<ctm::trial_phase>{ctm::trial_phase::phase3});
    CHECK(contains(t.conditions.codes, std::string("BREAST")));
    CHECK(t.sites.size() == 437);
    CHECK(std::count_if(t.sites.begin(), t.sites.end(),
                        [](const ctm::site& s) { return s.location.has_value(); }) > 400);
    CHECK(std::count_if(t.criteria.begin(), t.criteria.end(), [](const ctm::criterion& c) {
            return c.kind == ctm::criterion_kind::exclusion;
          }) > 5);
    CHECK(r[0].trial->registry.minimum_age == ctm::years(18));
    CHECK(r[0].trial->registry.interventions[0].drug == "palbociclib");
  }
}
