// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Synthetic patients (issue 8): diagnoses skewed across the disease hierarchy, lines of therapy
// from the drug catalog with responses and progression, dated labs in several units, ECOG,
// biomarkers tested and untested, metastases and missing data. See docs/performance.md.
#include "synth/random.hpp"

#include <ctm/synth/generate.hpp>

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ctm::synth {
namespace detail {

using synth::detail::rng;

/// Broad disease families: each has its own regimens, biomarkers, response criteria and sex mix.
enum class family : std::uint8_t {
  nsclc,
  sclc,
  breast,
  prostate,
  colorectal,
  pancreas,
  gastric,
  melanoma,
  ovarian,
  cervical,
  glioma,
  bladder,
  kidney,
  head_neck,
  thyroid,
  germ_cell,
  sarcoma,
  myeloma,
  lymphoma,
  cll,
  leukaemia,
  other_solid,
  other_liquid,
};

struct disease_choice {
  std::string code;
  family fam = family::other_solid;
  double weight = 0.0;
};

struct lab_profile {
  std::string code;  ///< catalog code
  std::string loinc;
  unit canonical = unit::one;
  std::vector<unit> alternatives;  ///< units convertible without a molar mass
  double mean = 0.0;
  double sd = 0.0;
  double floor = 0.0;
  int digits = 1;
  std::optional<double> low;  ///< the catalog's default range, recorded with some results
  std::optional<double> high;
  bool everyone = true;  ///< drawn for every patient (else only for some families)
};

struct biomarker_choice {
  std::string gene;
  std::string alteration;
  biomarker_kind kind = biomarker_kind::mutation;
  double positive = 0.0;  ///< chance of detected when tested
};

struct cohort_model {
  cohort_options options;
  std::vector<disease_choice> diseases;
  std::vector<double> disease_weights;
  /// Regimens (drug codes that exist in the catalog) per family: first line, then later lines.
  std::array<std::vector<std::vector<std::string>>, 23> first_line;
  std::array<std::vector<std::vector<std::string>>, 23> later_lines;
  std::array<std::vector<biomarker_choice>, 23> biomarkers;
  std::vector<lab_profile> labs;
  std::vector<std::string> panel_genes;  ///< tested and usually negative
};

namespace {

constexpr std::size_t idx(family f) { return static_cast<std::size_t>(f); }

bool is_liquid(family f) {
  return f == family::myeloma || f == family::lymphoma || f == family::cll ||
         f == family::leukaemia || f == family::other_liquid;
}

struct seed_disease {
  const char* code;
  family fam;
  double weight;
};

// Roughly the mix of an academic oncology practice: common cancers dominate, with a long tail.
constexpr seed_disease common_diseases[] = {
    {"LUAD", family::nsclc, 10},     {"LUSC", family::nsclc, 4},
    {"NSCLC", family::nsclc, 1.5},   {"SCLC", family::sclc, 2},
    {"IDC", family::breast, 10},     {"ILC", family::breast, 2},
    {"BRCA", family::breast, 1},     {"PRAD", family::prostate, 8},
    {"COAD", family::colorectal, 5}, {"READ", family::colorectal, 2},
    {"PAAD", family::pancreas, 3},   {"STAD", family::gastric, 1.5},
    {"SKCM", family::melanoma, 3},   {"HGSOC", family::ovarian, 3},
    {"CESC", family::cervical, 1},   {"GB", family::glioma, 2},
    {"ASTR", family::glioma, 0.7},   {"BLCA", family::bladder, 2},
    {"CCRCC", family::kidney, 2},    {"HNSC", family::head_neck, 2},
    {"THPA", family::thyroid, 1},    {"NSGCT", family::germ_cell, 0.4},
    {"SEM", family::germ_cell, 0.4}, {"LMS", family::sarcoma, 0.6},
    {"PCM", family::myeloma, 4},     {"DLBCLNOS", family::lymphoma, 3},
    {"FL", family::lymphoma, 1},     {"MCL", family::lymphoma, 0.5},
    {"HL", family::lymphoma, 1},     {"CLLSLL", family::cll, 3},
    {"AML", family::leukaemia, 2},   {"BLL", family::leukaemia, 0.8},
    {"CML", family::leukaemia, 0.6}, {"MDS", family::leukaemia, 0.8},
};

using regimen_list = std::vector<std::vector<std::string>>;

struct family_regimens {
  family fam;
  regimen_list first;
  regimen_list later;
};

std::vector<family_regimens> regimen_table() {
  return {
      {family::nsclc,
       {{"carboplatin", "pemetrexed", "pembrolizumab"},
        {"osimertinib"},
        {"alectinib"},
        {"carboplatin", "paclitaxel"},
        {"cisplatin", "pemetrexed"},
        {"pembrolizumab"}},
       {{"docetaxel"},
        {"docetaxel", "ramucirumab"},
        {"sotorasib"},
        {"amivantamab"},
        {"gemcitabine"},
        {"lorlatinib"},
        {"nivolumab"},
        {"datopotamab_deruxtecan"}}},
      {family::sclc,
       {{"carboplatin", "etoposide", "atezolizumab"}, {"cisplatin", "etoposide"}},
       {{"topotecan"}, {"lurbinectedin"}, {"tarlatamab"}}},
      {family::breast,
       {{"letrozole", "palbociclib"},
        {"anastrozole", "ribociclib"},
        {"paclitaxel", "trastuzumab", "pertuzumab"},
        {"doxorubicin", "cyclophosphamide"},
        {"tamoxifen"}},
       {{"fulvestrant"},
        {"capecitabine"},
        {"trastuzumab_deruxtecan"},
        {"sacituzumab_govitecan"},
        {"eribulin"},
        {"olaparib"},
        {"tucatinib", "trastuzumab", "capecitabine"},
        {"elacestrant"}}},
      {family::prostate,
       {{"leuprolide", "abiraterone", "prednisone"}, {"leuprolide", "enzalutamide"}, {"degarelix"}},
       {{"docetaxel", "prednisone"},
        {"cabazitaxel"},
        {"lutetium_lu177_vipivotide_tetraxetan"},
        {"olaparib"},
        {"radium_223_dichloride"}}},
      {family::colorectal,
       {{"fluorouracil", "leucovorin", "oxaliplatin"},
        {"capecitabine", "oxaliplatin", "bevacizumab"}},
       {{"fluorouracil", "leucovorin", "irinotecan", "bevacizumab"},
        {"cetuximab", "irinotecan"},
        {"trifluridine", "tipiracil"},
        {"regorafenib"},
        {"fruquintinib"},
        {"encorafenib", "cetuximab"}}},
      {family::pancreas,
       {{"gemcitabine", "nab_paclitaxel"},
        {"fluorouracil", "leucovorin", "irinotecan", "oxaliplatin"}},
       {{"capecitabine"}, {"gemcitabine"}, {"olaparib"}}},
      {family::gastric,
       {{"capecitabine", "oxaliplatin", "nivolumab"}, {"fluorouracil", "cisplatin", "trastuzumab"}},
       {{"paclitaxel", "ramucirumab"}, {"trastuzumab_deruxtecan"}, {"irinotecan"}}},
      {family::melanoma,
       {{"nivolumab", "ipilimumab"}, {"pembrolizumab"}, {"dabrafenib", "trametinib"}},
       {{"encorafenib", "binimetinib"},
        {"relatlimab", "nivolumab"},
        {"lifileucel"},
        {"dacarbazine"}}},
      {family::ovarian,
       {{"carboplatin", "paclitaxel"}, {"carboplatin", "paclitaxel", "bevacizumab"}},
       {{"olaparib"},
        {"niraparib"},
        {"carboplatin", "gemcitabine"},
        {"doxorubicin"},
        {"mirvetuximab_soravtansine"},
        {"topotecan"}}},
      {family::cervical,
       {{"cisplatin", "paclitaxel", "bevacizumab"}, {"carboplatin", "paclitaxel", "pembrolizumab"}},
       {{"tisotumab_vedotin"}, {"cemiplimab"}, {"topotecan"}}},
      {family::glioma,
       {{"temozolomide"}},
       {{"lomustine"}, {"bevacizumab"}, {"carmustine"}, {"vorasidenib"}}},
      {family::bladder,
       {{"gemcitabine", "cisplatin"}, {"enfortumab_vedotin", "pembrolizumab"}},
       {{"avelumab"}, {"erdafitinib"}, {"sacituzumab_govitecan"}, {"docetaxel"}}},
      {family::kidney,
       {{"nivolumab", "ipilimumab"}, {"pembrolizumab", "axitinib"}, {"sunitinib"}},
       {{"cabozantinib"}, {"lenvatinib", "everolimus"}, {"tivozanib"}}},
      {family::head_neck,
       {{"cisplatin", "fluorouracil", "pembrolizumab"}, {"carboplatin", "paclitaxel", "cetuximab"}},
       {{"nivolumab"}, {"cetuximab"}, {"docetaxel"}, {"methotrexate"}}},
      {family::thyroid,
       {{"lenvatinib"}, {"sorafenib"}},
       {{"cabozantinib"}, {"selpercatinib"}, {"dabrafenib", "trametinib"}}},
      {family::germ_cell,
       {{"bleomycin", "etoposide", "cisplatin"}, {"etoposide", "cisplatin"}},
       {{"paclitaxel", "ifosfamide", "cisplatin"}, {"carboplatin", "etoposide"}}},
      {family::sarcoma,
       {{"doxorubicin"}, {"doxorubicin", "ifosfamide"}},
       {{"gemcitabine", "docetaxel"}, {"trabectedin"}, {"pazopanib"}, {"eribulin"}}},
      {family::myeloma,
       {{"bortezomib", "lenalidomide", "dexamethasone"},
        {"daratumumab", "lenalidomide", "dexamethasone"},
        {"daratumumab", "bortezomib", "lenalidomide", "dexamethasone"}},
       {{"carfilzomib", "dexamethasone"},
        {"daratumumab", "pomalidomide", "dexamethasone"},
        {"isatuximab", "carfilzomib", "dexamethasone"},
        {"elotuzumab", "pomalidomide", "dexamethasone"},
        {"teclistamab"},
        {"elranatamab"},
        {"talquetamab"},
        {"ciltacabtagene_autoleucel"},
        {"idecabtagene_vicleucel"},
        {"selinexor", "bortezomib", "dexamethasone"},
        {"belantamab_mafodotin"}}},
      {family::lymphoma,
       {{"rituximab", "cyclophosphamide", "doxorubicin", "vincristine", "prednisone"},
        {"polatuzumab_vedotin", "rituximab", "cyclophosphamide", "doxorubicin", "prednisone"},
        {"bendamustine", "rituximab"}},
       {{"axicabtagene_ciloleucel"},
        {"lisocabtagene_maraleucel"},
        {"glofitamab"},
        {"epcoritamab"},
        {"tafasitamab", "lenalidomide"},
        {"loncastuximab_tesirine"},
        {"ibrutinib"},
        {"gemcitabine", "oxaliplatin", "rituximab"},
        {"brentuximab_vedotin"}}},
      {family::cll,
       {{"ibrutinib"},
        {"acalabrutinib", "obinutuzumab"},
        {"venetoclax", "obinutuzumab"},
        {"fludarabine", "cyclophosphamide", "rituximab"}},
       {{"zanubrutinib"},
        {"venetoclax", "rituximab"},
        {"pirtobrutinib"},
        {"idelalisib", "rituximab"},
        {"lisocabtagene_maraleucel"}}},
      {family::leukaemia,
       {{"cytarabine", "daunorubicin"},
        {"azacitidine", "venetoclax"},
        {"imatinib"},
        {"vincristine", "prednisone", "pegaspargase", "daunorubicin"}},
       {{"gilteritinib"},
        {"ivosidenib"},
        {"enasidenib"},
        {"decitabine"},
        {"dasatinib"},
        {"blinatumomab"},
        {"inotuzumab_ozogamicin"},
        {"ponatinib"},
        {"revumenib"}}},
      {family::other_solid,
       {{"carboplatin", "paclitaxel"}, {"cisplatin", "gemcitabine"}, {"pembrolizumab"}},
       {{"docetaxel"}, {"irinotecan"}, {"capecitabine"}, {"nivolumab"}}},
      {family::other_liquid,
       {{"rituximab", "bendamustine"}, {"azacitidine"}},
       {{"ibrutinib"}, {"venetoclax"}, {"ruxolitinib"}}},
  };
}

struct family_markers {
  family fam;
  std::vector<biomarker_choice> markers;
};

std::vector<family_markers> biomarker_table() {
  using k = biomarker_kind;
  return {
      {family::nsclc,
       {{"EGFR", "L858R", k::mutation, 0.08},
        {"EGFR", "exon 19 deletion", k::mutation, 0.09},
        {"ALK", "EML4-ALK", k::fusion, 0.05},
        {"KRAS", "G12C", k::mutation, 0.13},
        {"BRAF", "V600E", k::mutation, 0.02},
        {"ROS1", "", k::fusion, 0.02},
        {"MET", "exon 14 skipping", k::mutation, 0.03},
        {"RET", "", k::fusion, 0.02},
        {"ERBB2", "", k::mutation, 0.02}}},
      {family::breast,
       {{"ERBB2", "", k::amplification, 0.2},
        {"PIK3CA", "", k::mutation, 0.3},
        {"BRCA1", "", k::mutation, 0.04},
        {"BRCA2", "", k::mutation, 0.05},
        {"ESR1", "", k::mutation, 0.15}}},
      {family::prostate, {{"BRCA2", "", k::mutation, 0.1}, {"ATM", "", k::mutation, 0.05}}},
      {family::colorectal,
       {{"KRAS", "", k::mutation, 0.4},
        {"NRAS", "", k::mutation, 0.04},
        {"BRAF", "V600E", k::mutation, 0.08},
        {"ERBB2", "", k::amplification, 0.03}}},
      {family::pancreas, {{"KRAS", "", k::mutation, 0.9}, {"BRCA2", "", k::mutation, 0.05}}},
      {family::gastric,
       {{"ERBB2", "", k::amplification, 0.15}, {"CLDN18", "", k::expression, 0.35}}},
      {family::melanoma, {{"BRAF", "V600E", k::mutation, 0.45}, {"NRAS", "", k::mutation, 0.2}}},
      {family::ovarian, {{"BRCA1", "", k::mutation, 0.12}, {"BRCA2", "", k::mutation, 0.08}}},
      {family::glioma,
       {{"IDH1", "R132H", k::mutation, 0.15},
        {"MGMT", "promoter methylation", k::other, 0.4},
        {"EGFR", "", k::amplification, 0.3}}},
      {family::bladder, {{"FGFR3", "", k::mutation, 0.15}}},
      {family::thyroid, {{"BRAF", "V600E", k::mutation, 0.5}, {"RET", "", k::fusion, 0.08}}},
      {family::myeloma,
       {{"TP53", "del(17p)", k::deletion, 0.1},
        {"FGFR3", "t(4;14) IGH-FGFR3", k::fusion, 0.12},
        {"CD38", "", k::expression, 0.95}}},
      {family::lymphoma, {{"MS4A1", "CD20", k::expression, 0.9}, {"MYC", "", k::fusion, 0.1}}},
      {family::cll,
       {{"TP53", "del(17p)", k::deletion, 0.08},
        {"TP53", "", k::mutation, 0.08},
        {"IGHV", "unmutated", k::other, 0.5}}},
      {family::leukaemia,
       {{"FLT3", "ITD", k::mutation, 0.25},
        {"IDH1", "", k::mutation, 0.08},
        {"IDH2", "", k::mutation, 0.12},
        {"NPM1", "", k::mutation, 0.3},
        {"BCR", "BCR-ABL1", k::fusion, 0.2}}},
  };
}

constexpr const char* panel[] = {"TP53", "PTEN",  "CDKN2A", "ARID1A", "APC",    "ATM",   "NF1",
                                 "RB1",  "SMAD4", "STK11",  "KEAP1",  "NOTCH1", "FBXW7", "CTNNB1",
                                 "MTOR", "TSC2",  "FGFR2",  "KIT",    "PDGFRA", "MSH2",  "MLH1"};

std::vector<lab_profile> lab_table(const vocab::lab_catalog* labs) {
  std::vector<lab_profile> out = {
      {"anc",
       "",
       unit::giga_per_litre,
       {unit::per_microlitre, unit::thousand_per_microlitre},
       4.0,
       1.7,
       0.05,
       2,
       {},
       {},
       true},
      {"platelets",
       "",
       unit::giga_per_litre,
       {unit::per_microlitre, unit::thousand_per_microlitre},
       230,
       85,
       5,
       0,
       {},
       {},
       true},
      {"haemoglobin",
       "",
       unit::gram_per_decilitre,
       {unit::gram_per_litre},
       12.2,
       1.8,
       5.0,
       1,
       {},
       {},
       true},
      {"wbc", "", unit::giga_per_litre, {unit::per_microlitre}, 6.6, 2.4, 0.3, 1, {}, {}, true},
      {"lymphocytes", "", unit::giga_per_litre, {}, 1.6, 0.7, 0.1, 2, {}, {}, false},
      {"creatinine", "", unit::milligram_per_decilitre, {}, 0.95, 0.3, 0.3, 2, {}, {}, true},
      {"creatinine_clearance", "", unit::millilitre_per_minute, {}, 85, 25, 10, 0, {}, {}, false},
      {"bilirubin_total", "", unit::milligram_per_decilitre, {}, 0.7, 0.35, 0.1, 1, {}, {}, true},
      {"ast", "", unit::unit_per_litre, {}, 30, 14, 6, 0, {}, {}, true},
      {"alt", "", unit::unit_per_litre, {}, 28, 15, 5, 0, {}, {}, true},
      {"alkaline_phosphatase", "", unit::unit_per_litre, {}, 105, 45, 25, 0, {}, {}, true},
      {"albumin",
       "",
       unit::gram_per_decilitre,
       {unit::gram_per_litre},
       3.8,
       0.5,
       1.5,
       1,
       {},
       {},
       true},
      {"inr", "", unit::one, {}, 1.05, 0.12, 0.8, 2, {}, {}, false},
      {"ldh", "", unit::unit_per_litre, {}, 220, 80, 90, 0, {}, {}, false},
      {"lvef", "", unit::percent, {}, 59, 7, 20, 0, {}, {}, false},
  };
  std::vector<lab_profile> kept;
  for (auto& l : out) {
    if (labs != nullptr) {
      const auto id = labs->find(l.code);
      if (!id) continue;
      const auto& a = labs->get(*id);
      if (!a.loinc.empty()) l.loinc = a.loinc.front();
      if (a.default_range && (!a.default_range->unit || *a.default_range->unit == l.canonical)) {
        l.low = a.default_range->low;
        l.high = a.default_range->high;
      }
      // Keep only alternative units the catalog accepts for this analyte.
      std::erase_if(l.alternatives, [&](unit u) {
        return std::find(a.units.begin(), a.units.end(), u) == a.units.end();
      });
    }
    kept.push_back(std::move(l));
  }
  return kept;
}

}  // namespace
}  // namespace detail

namespace {

using detail::family;
using detail::rng;
using detail::round_to;

partial_date exact(date d) { return partial_date::exact(d); }

date before(date d, int days) { return add_days(d, -days); }

struct patient_builder {
  const detail::cohort_model& m;
  rng r;
  date as_of;
  patient p;
  family fam = family::other_solid;
  bool liquid = false;

  bool missing() { return r.chance(m.options.missing_rate); }

  void demographics(std::size_t i) {
    p.id = "syn-" + std::to_string(m.options.seed) + "-" + std::to_string(i);
    const double age = std::clamp(r.normal(fam == family::germ_cell ? 34 : 64, 11.0), 18.0, 90.0);
    const date birth = before(as_of, static_cast<int>(age * 365.25) + r.between(0, 364));
    if (r.chance(0.05)) {
      p.birth_date = partial_date::of_month(birth.year(), birth.month());
    } else {
      p.birth_date = exact(birth);
    }
    switch (fam) {
      case family::breast:
        p.sex = r.chance(0.99) ? sex::female : sex::male;
        break;
      case family::prostate:
      case family::germ_cell:
        p.sex = sex::male;
        break;
      case family::ovarian:
      case family::cervical:
        p.sex = sex::female;
        break;
      default:
        p.sex = r.chance(0.5) ? sex::female : sex::male;
    }
    if (r.chance(0.01)) p.sex = sex::unknown;
    if (r.chance(0.8)) {
      const double kg =
          round_to(std::clamp(r.normal(p.sex == sex::female ? 68 : 82, 13), 38.0, 160.0), 1);
      p.weights.push_back({quantity{kg, unit::kilogram}, exact(before(as_of, r.between(1, 60)))});
      const double cm =
          round_to(std::clamp(r.normal(p.sex == sex::female ? 163 : 177, 7), 140.0, 205.0), 0);
      p.heights.push_back(
          {quantity{cm, unit::centimetre}, exact(before(as_of, r.between(60, 900)))});
    }
    if (r.chance(0.6)) {
      p.location = geo_point{round_to(r.normal(39.5, 4.0), 2), round_to(r.normal(-90.0, 12.0), 2)};
      p.max_travel_km = static_cast<double>(r.between(2, 20) * 25);
    }
  }

  std::string solid_stage() {
    static constexpr std::array<const char*, 11> stages = {
        "I", "IA", "II", "IIB", "III", "IIIA", "IIIB", "IIIC", "IV", "IVA", "IVB"};
    static constexpr std::array<double, 11> weights = {4, 4, 6, 5, 6, 8, 8, 3, 30, 14, 12};
    return stages[r.weighted(weights)];
  }

  date add_diagnosis(const detail::disease_choice& d, int lines) {
    diagnosis dx;
    dx.code = d.code;
    dx.system = "oncotree";
    const int months_back = lines * r.between(5, 11) + r.between(2, 30);
    const date when = before(as_of, months_back * 30 + r.between(0, 29));
    dx.date = exact(when);
    if (!liquid) {
      if (!missing()) {
        dx.stage = solid_stage();
        dx.stage_system = "AJCC 8";
      }
      if (lines > 0 || dx.stage.starts_with("IV")) {
        const bool de_novo = dx.stage.starts_with("IV");
        dx.advanced_date = de_novo ? exact(when) : exact(add_days(when, r.between(90, 500)));
        if (!de_novo && dx.advanced_date->earliest > before(as_of, 30))
          dx.advanced_date = exact(when);
      }
    } else if (fam == family::myeloma) {
      static constexpr std::array<const char*, 3> iss = {"I", "II", "III"};
      dx.stage = iss[r.below(3)];
      dx.stage_system = r.chance(0.5) ? "ISS" : "R-ISS";
    } else if (fam == family::lymphoma) {
      static constexpr std::array<const char*, 6> aa = {"I", "II", "III", "IV", "IIIA", "IVB"};
      dx.stage = aa[r.below(6)];
      dx.stage_system = "Ann Arbor";
    }
    p.diagnoses.push_back(std::move(dx));
    if (r.chance(0.04)) {
      // An earlier, unrelated cancer (a second primary), usually treated and resolved.
      const auto& other = m.diseases[r.weighted(m.disease_weights)];
      diagnosis second;
      second.code = other.code;
      second.system = "oncotree";
      date earlier = before(when, r.between(400, 4000));
      const date adult = add_years(p.birth_date->latest, 18);
      if (earlier < adult) earlier = std::min(adult, when);
      second.date = exact(earlier);
      p.diagnoses.push_back(std::move(second));
      condition c;
      c.kind = condition_kind::second_malignancy;
      c.status = r.chance(0.8) ? condition_status::resolved : condition_status::active;
      c.onset = second.date;
      p.conditions.push_back(c);
    }
    return when;
  }

  void metastases(date dx) {
    if (liquid) return;
    const auto& stage = p.diagnoses.front().stage;
    const bool advanced = p.diagnoses.front().advanced_date.has_value() || stage.starts_with("IV");
    if (!advanced) return;
    static constexpr std::array<metastatic_site, 7> sites = {
        metastatic_site::liver,      metastatic_site::bone,    metastatic_site::lung,
        metastatic_site::lymph_node, metastatic_site::adrenal, metastatic_site::peritoneum,
        metastatic_site::pleura};
    const int n = r.between(1, 3);
    std::uint32_t used = 0;
    for (int k = 0; k < n; ++k) {
      const auto s = r.below(static_cast<std::uint32_t>(sites.size()));
      if ((used & (1U << s)) != 0) continue;
      used |= 1U << s;
      metastasis mt;
      mt.site = sites[s];
      mt.date = exact(add_days(dx, r.between(0, std::max(1, days_between(dx, as_of) - 1))));
      p.metastases.push_back(mt);
    }
    const double brain = fam == family::nsclc || fam == family::sclc || fam == family::melanoma
                             ? 0.25
                             : (fam == family::breast ? 0.12 : 0.04);
    if (r.chance(brain)) {
      metastasis b;
      b.site = metastatic_site::brain;
      const date found = add_days(dx, r.between(0, std::max(1, days_between(dx, as_of) - 1)));
      b.date = exact(found);
      if (r.chance(0.6)) {
        b.treated = truth::yes;
        const date local = add_days(found, r.between(7, 40));
        if (local < as_of) {
          b.last_local_therapy = exact(local);
          const date stable = add_days(local, r.between(28, 120));
          if (stable < as_of && r.chance(0.7)) b.stable_since = exact(stable);
          procedure rt;
          rt.kind = procedure_kind::radiotherapy;
          rt.text = r.chance(0.7) ? "SRS" : "WBRT";
          rt.field = "brain";
          rt.start = exact(local);
          p.procedures.push_back(rt);
        } else {
          b.treated = truth::no;
        }
        b.symptomatic = r.chance(0.8) ? truth::no : truth::yes;
      } else {
        b.treated = r.chance(0.5) ? truth::no : truth::unknown;
        b.symptomatic = r.chance(0.5) ? truth::yes : truth::unknown;
      }
      p.metastases.push_back(b);
    }
  }

  void biomarkers(date dx) {
    const auto& markers = m.biomarkers[detail::idx(fam)];
    const date tested = add_days(dx, r.between(5, 40));
    const partial_date when = exact(std::min(tested, before(as_of, 1)));
    if (!markers.empty() && !r.chance(m.options.missing_rate * 2)) {
      bool driver = false;
      for (const auto& b : markers) {
        if (r.chance(0.2)) continue;  // this one not tested: "untested"
        biomarker_result res;
        res.gene = b.gene;
        res.alteration = b.alteration;
        res.kind = b.kind;
        const bool pos = !driver && r.chance(b.positive);
        if (pos && (b.kind == biomarker_kind::mutation || b.kind == biomarker_kind::fusion)) {
          driver = true;
        }
        res.status =
            pos ? test_status::detected
                : (r.chance(0.03) ? test_status::indeterminate : test_status::not_detected);
        res.assay = r.chance(0.5) ? "NGS panel" : "PCR";
        res.specimen = r.chance(0.8) ? "tissue" : "plasma";
        res.date = when;
        p.biomarkers.push_back(std::move(res));
      }
    }
    if (!liquid && r.chance(0.45)) {
      const int n = r.between(2, 8);
      for (int k = 0; k < n; ++k) {
        biomarker_result res;
        res.gene = detail::panel[r.below(static_cast<std::uint32_t>(std::size(detail::panel)))];
        res.kind = biomarker_kind::mutation;
        res.status = r.chance(0.12) ? test_status::detected : test_status::not_detected;
        res.assay = "NGS panel";
        res.date = when;
        p.biomarkers.push_back(std::move(res));
      }
      biomarker_result tmb;
      tmb.kind = biomarker_kind::tmb;
      tmb.status = test_status::detected;
      tmb.value =
          quantity{round_to(std::max(0.0, r.normal(6, 5)), 1), unit::mutations_per_megabase};
      tmb.date = when;
      p.biomarkers.push_back(tmb);
      biomarker_result msi;
      msi.kind = biomarker_kind::msi;
      msi.status = r.chance(fam == family::colorectal ? 0.12 : 0.03) ? test_status::detected
                                                                     : test_status::not_detected;
      msi.date = when;
      p.biomarkers.push_back(msi);
    }
    if ((fam == family::nsclc || fam == family::head_neck || fam == family::gastric ||
         fam == family::bladder || fam == family::cervical) &&
        r.chance(0.7)) {
      biomarker_result pd;
      pd.gene = "CD274";
      pd.kind = biomarker_kind::pd_l1;
      pd.status = test_status::detected;
      const bool tps = fam == family::nsclc;
      pd.scoring = tps ? "TPS" : "CPS";
      const double v = std::clamp(round_to(r.uniform() * r.uniform() * 100, 0), 0.0, 100.0);
      pd.value = quantity{v, tps ? unit::percent : unit::one};
      pd.assay = "22C3";
      pd.date = when;
      p.biomarkers.push_back(pd);
    }
  }

  void labs() {
    for (const auto& l : m.labs) {
      const bool relevant =
          l.everyone || (l.code == "lvef" && (fam == family::breast || fam == family::myeloma)) ||
          r.chance(0.3);
      if (!relevant || missing()) continue;
      const int n = r.between(1, 5);
      int back = r.between(1, 45);
      const bool alt_unit = !l.alternatives.empty() && r.chance(0.25);
      const unit u =
          alt_unit ? l.alternatives[r.below(static_cast<std::uint32_t>(l.alternatives.size()))]
                   : l.canonical;
      const bool range = r.chance(0.5) && (l.low || l.high);
      for (int k = 0; k < n; ++k) {
        lab_result res;
        res.analyte = l.code;
        res.loinc = l.loinc;
        double v = std::max(l.floor, r.normal(l.mean, l.sd));
        if (r.chance(0.05)) v = std::max(l.floor, l.mean + (r.chance(0.5) ? 3.2 : -3.2) * l.sd);
        v = round_to(v, l.digits);
        quantity q{v, l.canonical};
        if (u != l.canonical) {
          if (const auto c = convert(q, u)) q = quantity{round_to(c->value, l.digits), u};
        }
        res.value = q;
        if (range) {
          reference_range rr;
          rr.low = l.low;
          rr.high = l.high;
          if (u != l.canonical) {
            const auto conv = [&](std::optional<double> x) -> std::optional<double> {
              if (!x) return x;
              const auto c = convert(quantity{*x, l.canonical}, u);
              return c ? std::optional<double>(round_to(c->value, 3)) : std::nullopt;
            };
            rr.low = conv(rr.low);
            rr.high = conv(rr.high);
          }
          res.range = rr;
        }
        res.date = exact(before(as_of, back));
        p.labs.push_back(std::move(res));
        back += r.between(14, 90);
      }
    }
    if (fam == family::prostate) marker("psa", unit::nanogram_per_millilitre, 25, 20, 2);
    if (fam == family::ovarian) marker("ca125", unit::unit_per_millilitre, 120, 90, 0);
    static constexpr std::array<const char*, 2> serology = {"hbsag", "hcv_antibody"};
    for (const char* s : serology) {
      if (r.chance(0.5)) {
        lab_result res;
        res.analyte = s;
        res.qualitative =
            r.chance(0.02) ? qualitative_result::positive : qualitative_result::negative;
        res.date = exact(before(as_of, r.between(5, 120)));
        p.labs.push_back(std::move(res));
      }
    }
  }

  void marker(const char* code, unit u, double mean, double sd, int digits) {
    if (missing()) return;
    const int n = r.between(2, 6);
    int back = r.between(3, 40);
    for (int k = 0; k < n; ++k) {
      lab_result res;
      res.analyte = code;
      res.value = quantity{round_to(std::max(0.01, r.normal(mean, sd)), digits), u};
      res.date = exact(before(as_of, back));
      p.labs.push_back(std::move(res));
      back += r.between(25, 80);
    }
  }

  void performance() {
    if (missing()) return;
    static constexpr std::array<double, 5> weights = {30, 45, 17, 6, 2};
    const int n = r.between(1, 6);
    int back = r.between(1, 40);
    const bool karnofsky = r.chance(0.06);
    for (int k = 0; k < n; ++k) {
      performance_status ps;
      const auto ecog = static_cast<std::int32_t>(r.weighted(weights));
      if (karnofsky) {
        ps.scale = performance_scale::karnofsky;
        ps.value = 100 - 10 * (2 * ecog + static_cast<std::int32_t>(r.below(2)));
      } else {
        ps.value = ecog;
      }
      ps.date = exact(before(as_of, back));
      p.performance.push_back(ps);
      back += r.between(20, 120);
    }
  }

  void conditions() {
    static constexpr std::array<condition_kind, 3> viral = {
        condition_kind::hepatitis_b, condition_kind::hepatitis_c, condition_kind::hiv};
    for (const auto k : viral) {
      if (!r.chance(0.6)) continue;
      condition c;
      c.kind = k;
      const double u = r.uniform();
      c.status = u < 0.97 ? condition_status::absent
                          : (u < 0.985 ? condition_status::controlled : condition_status::active);
      c.date = exact(before(as_of, r.between(5, 200)));
      if (c.status == condition_status::controlled) c.on_treatment = truth::yes;
      p.conditions.push_back(c);
    }
    if (r.chance(0.03)) {
      condition c;
      c.kind = condition_kind::autoimmune_disease;
      c.status = r.chance(0.5) ? condition_status::active : condition_status::controlled;
      c.text = "autoimmune disease";
      p.conditions.push_back(c);
    }
    if (p.sex == sex::female && r.chance(0.3)) {
      condition c;
      c.kind = condition_kind::pregnancy;
      c.status = r.chance(0.995) ? condition_status::absent : condition_status::active;
      c.date = exact(before(as_of, r.between(1, 20)));
      p.conditions.push_back(c);
    }
  }

  response_system system() const {
    switch (fam) {
      case family::myeloma:
        return response_system::imwg;
      case family::lymphoma:
        return response_system::lugano;
      case family::cll:
        return response_system::iwcll;
      case family::leukaemia:
      case family::other_liquid:
        return response_system::eln;
      default:
        return response_system::recist;
    }
  }

  std::string best_category(bool responded) {
    switch (system()) {
      case response_system::imwg: {
        static constexpr std::array<const char*, 5> good = {"sCR", "CR", "VGPR", "PR", "MR"};
        return responded ? good[r.below(5)] : (r.chance(0.5) ? "SD" : "PD");
      }
      case response_system::lugano:
        return responded ? (r.chance(0.6) ? "CR" : "PR") : (r.chance(0.5) ? "SD" : "PD");
      case response_system::iwcll:
        return responded ? (r.chance(0.3) ? "CR" : "PR") : (r.chance(0.6) ? "SD" : "PD");
      case response_system::eln:
        return responded ? (r.chance(0.7) ? "CR" : "CRi") : "refractory";
      default:
        return responded ? (r.chance(0.15) ? "CR" : "PR") : (r.chance(0.6) ? "SD" : "PD");
    }
  }

  void therapy(date dx, int lines) {
    const auto& first = m.first_line[detail::idx(fam)];
    const auto& later = m.later_lines[detail::idx(fam)];
    date start = add_days(dx, r.between(10, 45));
    if (!liquid && r.chance(0.3)) {
      procedure s;
      s.kind = r.chance(0.8) ? procedure_kind::major_surgery : procedure_kind::minor_surgery;
      s.text = "resection";
      s.start = exact(add_days(dx, r.between(3, 20)));
      if (s.start->earliest < as_of) p.procedures.push_back(s);
    }
    for (int line = 0; line < lines; ++line) {
      if (start >= before(as_of, 20)) break;
      const auto& pool = line == 0 || later.empty() ? first : later;
      if (pool.empty()) break;
      const auto& regimen = pool[r.below(static_cast<std::uint32_t>(pool.size()))];
      const bool last = line + 1 == lines;
      const int length = r.between(45, 420);
      date end = add_days(start, length);
      const bool ongoing = last && (end >= before(as_of, 2) || r.chance(0.3));
      if (end >= before(as_of, 2)) end = before(as_of, r.between(2, 10));
      if (end < start) end = start;
      stop_reason why = stop_reason::progression;
      if (!last || !ongoing) {
        const double u = r.uniform();
        why = u < 0.72
                  ? stop_reason::progression
                  : (u < 0.86 ? stop_reason::toxicity
                              : (u < 0.95 ? stop_reason::completed : stop_reason::patient_choice));
      }
      therapy_setting setting = therapy_setting::advanced;
      if (line == 0 && fam == family::myeloma) setting = therapy_setting::induction;
      if (line == 0 && !liquid && !p.diagnoses.front().advanced_date)
        setting = therapy_setting::adjuvant;
      for (const auto& drug_code : regimen) {
        drug_administration a;
        a.drug.name = drug_code;
        a.regimen = regimen.size() > 1 ? "regimen " + std::to_string(line + 1) : std::string();
        a.start = exact(start);
        if (!ongoing) {
          a.end = exact(end);
          a.stop_reason = why;
        }
        a.setting = setting;
        a.cycles = std::max(1, length / 21);
        p.treatments.push_back(std::move(a));
      }
      // Response assessed during the line; progression recorded when the line stopped for it.
      const bool progressed = !ongoing && why == stop_reason::progression;
      const bool responded = r.chance(progressed ? 0.45 : 0.7);
      const date assessed = add_days(start, std::max(1, std::min(length / 2, 90)));
      if (assessed < as_of && !missing()) {
        disease_assessment da;
        da.system = system();
        da.category = best_category(responded);
        da.date = exact(assessed);
        if (da.system == response_system::lugano && r.chance(0.3)) da.deauville = r.between(1, 5);
        p.disease_assessments.push_back(std::move(da));
      }
      if (progressed) {
        const date when = std::min(add_days(end, r.between(0, 14)), before(as_of, 1));
        progression_event e;
        e.date = exact(when);
        e.basis = fam == family::myeloma || fam == family::prostate
                      ? progression_basis::biochemical
                      : progression_basis::radiographic;
        if (fam == family::myeloma) e.marker = "M-protein";
        if (fam == family::prostate) e.marker = "PSA";
        e.criteria = system();
        p.progressions.push_back(e);
        if (!missing()) {
          disease_assessment pd;
          pd.system = system();
          pd.category = pd.system == response_system::eln ? "relapse" : "PD";
          pd.date = exact(when);
          p.disease_assessments.push_back(std::move(pd));
        }
      }
      if (line == 0 && fam == family::myeloma && r.chance(0.45)) {
        procedure t;
        t.kind = procedure_kind::autologous_transplant;
        t.start = exact(add_days(end, r.between(20, 60)));
        t.setting = therapy_setting::consolidation;
        if (t.start->earliest < before(as_of, 1)) p.procedures.push_back(t);
      }
      if (fam == family::leukaemia && line == 0 && r.chance(0.15)) {
        procedure t;
        t.kind = procedure_kind::allogeneic_transplant;
        t.start = exact(add_days(end, r.between(20, 90)));
        if (t.start->earliest < before(as_of, 1)) p.procedures.push_back(t);
      }
      if (!liquid && r.chance(0.12)) {
        procedure rt;
        rt.kind = procedure_kind::radiotherapy;
        rt.text = "palliative radiotherapy";
        rt.field = "bone";
        rt.start = exact(add_days(start, r.between(5, 60)));
        rt.end = exact(add_days(rt.start->earliest, 5));
        if (rt.end->latest < before(as_of, 1)) p.procedures.push_back(rt);
      }
      start = add_days(end, r.between(7, 60));
    }
    if (r.chance(0.1)) {
      // Supportive care is recorded too and never counts as a line.
      drug_administration a;
      a.drug.name = r.chance(0.5) ? "dexamethasone" : "filgrastim";
      a.start = exact(before(as_of, r.between(3, 60)));
      p.treatments.push_back(std::move(a));
    }
  }

  void add_tumour_assessment() {
    if (liquid || !r.chance(0.55)) return;
    tumour_assessment a;
    a.date = exact(before(as_of, r.between(3, 50)));
    a.method = r.chance(0.8) ? imaging_method::ct : imaging_method::mri;
    const int n = r.between(1, 3);
    for (int k = 0; k < n; ++k) {
      lesion l;
      l.id = "T" + std::to_string(k + 1);
      l.site = "target lesion " + std::to_string(k + 1);
      l.role = lesion_role::target;
      l.diameter_mm = static_cast<double>(r.between(6, 70));
      a.lesions.push_back(std::move(l));
    }
    p.tumour_assessments.push_back(std::move(a));
  }
};

}  // namespace

cohort_generator::cohort_generator(const cohort_options& options,
                                   const history::vocabularies& vocab) {
  auto m = std::make_shared<detail::cohort_model>();
  m->options = options;
  if (!m->options.as_of.ok()) m->options.as_of = default_as_of;
  m->options.missing_rate = std::clamp(m->options.missing_rate, 0.0, 0.9);
  // Diseases: the common list (codes the vocabulary knows), then a Zipf tail over the rest of the
  // hierarchy's specific nodes (a fifth of the patients).
  double common_total = 0.0;
  for (const auto& d : detail::common_diseases) {
    if (vocab.diseases && !vocab.diseases->find(d.code)) continue;
    m->diseases.push_back({d.code, d.fam, d.weight});
    common_total += d.weight;
  }
  if (vocab.diseases) {
    const auto& onto = *vocab.diseases;
    std::vector<detail::disease_choice> tail;
    for (std::uint32_t c = 0; c < onto.tree_size(); ++c) {
      const auto& node = onto.get(concept_id{c});
      if (node.level < 2) continue;
      if (std::any_of(m->diseases.begin(), m->diseases.end(),
                      [&](const detail::disease_choice& x) { return x.code == node.code; })) {
        continue;
      }
      tail.push_back(
          {node.code,
           node.group == vocab::disease_group::liquid ? family::other_liquid : family::other_solid,
           0.0});
    }
    // Spread the ranks deterministically over the file order so neighbours differ in weight.
    double harmonic = 0.0;
    for (std::size_t k = 0; k < tail.size(); ++k) harmonic += 1.0 / static_cast<double>(k + 1);
    for (std::size_t k = 0; k < tail.size(); ++k) {
      const std::size_t rank = (k * 7919U) % tail.size();
      tail[k].weight = common_total * 0.25 / harmonic / static_cast<double>(rank + 1);
    }
    m->diseases.insert(m->diseases.end(), tail.begin(), tail.end());
  }
  if (m->diseases.empty()) m->diseases.push_back({"LUAD", family::nsclc, 1.0});
  for (const auto& d : m->diseases) m->disease_weights.push_back(d.weight);

  const auto known = [&](const std::string& code) {
    return !vocab.drugs || vocab.drugs->find_code(code).has_value();
  };
  const auto filter = [&](const detail::regimen_list& list) {
    detail::regimen_list out;
    for (const auto& reg : list) {
      std::vector<std::string> kept;
      for (const auto& d : reg) {
        if (known(d)) kept.push_back(d);
      }
      if (!kept.empty()) out.push_back(std::move(kept));
    }
    return out;
  };
  for (const auto& f : detail::regimen_table()) {
    m->first_line[detail::idx(f.fam)] = filter(f.first);
    m->later_lines[detail::idx(f.fam)] = filter(f.later);
  }
  for (auto& f : detail::biomarker_table())
    m->biomarkers[detail::idx(f.fam)] = std::move(f.markers);
  m->labs = detail::lab_table(vocab.labs ? &*vocab.labs : nullptr);
  model_ = std::move(m);
}

const cohort_options& cohort_generator::options() const noexcept { return model_->options; }

patient cohort_generator::operator()(std::size_t i) const {
  const detail::cohort_model& m = *model_;
  patient_builder b{m,    rng(detail::item_seed(m.options.seed, 1, i)), m.options.as_of, {}, {},
                    false};
  const auto& d = m.diseases[b.r.weighted(m.disease_weights)];
  b.fam = d.fam;
  b.liquid = detail::is_liquid(d.fam);
  static constexpr std::array<double, 9> line_weights = {20, 25, 20, 13, 9, 6, 4, 2, 1};
  const auto lines = static_cast<int>(b.r.weighted(line_weights));
  b.demographics(i);
  const date dx = b.add_diagnosis(d, lines);
  b.metastases(dx);
  b.biomarkers(dx);
  b.labs();
  b.performance();
  b.conditions();
  b.therapy(dx, lines);
  b.add_tumour_assessment();
  return std::move(b.p);
}

patient generate_patient(const cohort_options& options, std::size_t i,
                         const history::vocabularies& vocab) {
  return cohort_generator(options, vocab)(i);
}

std::vector<patient> generate_patients(const cohort_options& options,
                                       const history::vocabularies& vocab) {
  const cohort_generator g(options, vocab);
  std::vector<patient> out;
  out.reserve(options.patients);
  for (std::size_t i = 0; i < options.patients; ++i) out.push_back(g(i));
  return out;
}

}  // namespace ctm::synth
