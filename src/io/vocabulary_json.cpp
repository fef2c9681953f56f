// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// The JSON vocabulary readers: OncoTree's nested release, the drug catalog and the lab catalog.
#include "io/json_support.hpp"
#include "io/vocabulary_common.hpp"

#include <ctm/core/quantity.hpp>
#include <ctm/io/vocabulary.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ctm::io {

namespace {

// ordered_json keeps members in file order, so ids follow the file.
using json = nlohmann::ordered_json;

// A JSON value and where it is, for error messages.
struct node {
  const json* value;
  std::string pointer;
};

using detail::child;

// Parses the text, turning a syntax error into `errc::json_syntax` with line and column.
result<json> parse(std::string_view text, const std::string& source) {
  if (auto e = detail::check_vocabulary_size(text, source)) return *e;
  try {
    return json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    // e.byte is 1-based and points just past the offending character.
    const auto [line, column] = detail::line_column(text, e.byte == 0 ? 0 : e.byte - 1);
    std::string what = e.what();
    // Keep nlohmann's description, drop its own position prefix.
    if (const auto colon = what.rfind(": "); colon != std::string::npos)
      what = what.substr(colon + 2);
    return ctm::error{errc::json_syntax, "malformed JSON: " + what, {source, line, column, ""}};
  } catch (const json::exception& e) {  // e.g. a number out of range
    return ctm::error{
        errc::json_syntax, std::string("malformed JSON: ") + e.what(), {source, 0, 0, ""}};
  }
}

// A reader with the source name, producing errors that carry a JSON pointer.
class reader {
 public:
  explicit reader(std::string source) : source_(std::move(source)) {}

  [[nodiscard]] ctm::location at(const std::string& pointer) const {
    return {source_, 0, 0, pointer};
  }
  [[nodiscard]] ctm::error schema(const std::string& pointer, std::string message) const {
    return ctm::error{errc::json_schema, std::move(message), at(pointer)};
  }

  // The member `key` of object `n` (null when absent).
  [[nodiscard]] static node member(const node& n, std::string_view key) {
    static const json null_value;
    const auto it = n.value->find(key);
    return {it == n.value->end() ? &null_value : &*it, child(n.pointer, key)};
  }

  result<std::string> string(const node& n, bool required) const {
    if (n.value->is_string()) return n.value->get<std::string>();
    if (n.value->is_null() && !required) return std::string{};
    return schema(n.pointer, required ? "expected a string" : "expected a string or null");
  }

  // A string, or a number written as its integer text (an RXCUI given as a number).
  result<std::string> code_text(const node& n) const {
    if (n.value->is_number_unsigned()) return std::to_string(n.value->get<std::uint64_t>());
    return string(n, false);
  }

  result<std::vector<std::string>> strings(const node& n) const {
    std::vector<std::string> out;
    if (n.value->is_null()) return out;
    if (n.value->is_string()) {  // a single value where a list is expected
      out.push_back(n.value->get<std::string>());
      return out;
    }
    if (!n.value->is_array()) return schema(n.pointer, "expected an array of strings");
    for (std::size_t i = 0; i < n.value->size(); ++i) {
      const json& item = (*n.value)[i];
      if (!item.is_string()) return schema(child(n.pointer, i), "expected a string");
      out.push_back(item.get<std::string>());
    }
    return out;
  }

  result<std::optional<double>> number(const node& n) const {
    if (n.value->is_null()) return std::optional<double>{};
    if (!n.value->is_number()) return schema(n.pointer, "expected a number or null");
    const double v = n.value->get<double>();
    if (!std::isfinite(v)) return schema(n.pointer, "expected a finite number");
    return std::optional<double>{v};
  }

  result<bool> boolean(const node& n) const {
    if (n.value->is_null()) return false;
    if (!n.value->is_boolean()) return schema(n.pointer, "expected true, false or null");
    return n.value->get<bool>();
  }

  result<std::optional<ctm::unit>> unit(const node& n) const {
    if (n.value->is_null()) return std::optional<ctm::unit>{};
    if (!n.value->is_string()) return schema(n.pointer, "expected a UCUM unit code or null");
    auto u = parse_unit(n.value->get<std::string>());
    if (!u) return ctm::error{errc::unknown_unit, u.error().message, at(n.pointer)};
    return std::optional<ctm::unit>{*u};
  }

  // Checks the top-level object and its schema_version.
  std::optional<ctm::error> check_document(const node& root) const {
    if (!root.value->is_object()) return schema("", "expected a JSON object");
    const node version = member(root, "schema_version");
    if (version.value->is_null()) return schema(version.pointer, "schema_version is missing");
    if (!version.value->is_number_integer()) {
      return schema(version.pointer, "schema_version must be an integer");
    }
    if (version.value->get<std::int64_t>() != 1) {
      return ctm::error{errc::unsupported_schema_version,
                        "schema_version " + std::to_string(version.value->get<std::int64_t>()) +
                            " is not supported (this ctm reads version 1)",
                        at(version.pointer)};
    }
    return std::nullopt;
  }

  // The array member `key` (empty when absent or null).
  result<std::vector<node>> array(const node& n, std::string_view key) const {
    const node a = member(n, key);
    std::vector<node> out;
    if (a.value->is_null()) return out;
    if (!a.value->is_array()) return schema(a.pointer, "expected an array");
    for (std::size_t i = 0; i < a.value->size(); ++i) {
      out.push_back({&(*a.value)[i], child(a.pointer, i)});
    }
    return out;
  }

  [[nodiscard]] const std::string& source() const noexcept { return source_; }

 private:
  std::string source_;
};

// Evaluates `expr` (a result<T>) into `var`, returning its error from the enclosing function.
#define CTM_JSON_TRY(var, expr)                   \
  auto var##_result = (expr);                     \
  if (!var##_result) return var##_result.error(); \
  auto var = std::move(*var##_result)

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// OncoTree ----------------------------------------------------------------------------------------

// Cross-reference codes without surrounding white space (the 2025-10-03 release has "C1333295 "),
// empty ones dropped.
std::vector<std::string> trimmed(std::vector<std::string> codes) {
  std::vector<std::string> out;
  for (std::string& c : codes) {
    const auto first = c.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) continue;
    const auto last = c.find_last_not_of(" \t\r\n");
    out.push_back(c.substr(first, last - first + 1));
  }
  return out;
}

std::optional<vocab::disease_group> group_from_tissue(std::string_view tissue) {
  if (tissue.empty()) return std::nullopt;
  const std::string t = lower(tissue);
  if (t == "myeloid" || t == "lymphoid") return vocab::disease_group::liquid;
  return vocab::disease_group::solid;
}

struct pending_node {
  node at;
  std::string key;     // the member name it was found under (must equal its code)
  std::string parent;  // the enclosing node's code; empty for a root
};

result<vocab::disease_record> oncotree_record(const reader& rd, const pending_node& p) {
  const node& n = p.at;
  if (!n.value->is_object()) return rd.schema(n.pointer, "expected an OncoTree node object");
  CTM_JSON_TRY(code, rd.string(reader::member(n, "code"), true));
  if (!p.key.empty() && lower(code) != lower(p.key)) {
    return rd.schema(child(n.pointer, "code"),
                     "code '" + code + "' differs from its key '" + p.key + "'");
  }
  CTM_JSON_TRY(name, rd.string(reader::member(n, "name"), false));
  CTM_JSON_TRY(main_type, rd.string(reader::member(n, "mainType"), false));
  CTM_JSON_TRY(tissue, rd.string(reader::member(n, "tissue"), false));
  CTM_JSON_TRY(parent, rd.string(reader::member(n, "parent"), false));
  if (!parent.empty() && lower(parent) != lower(p.parent)) {
    return rd.schema(child(n.pointer, "parent"),
                     "parent '" + parent + "' differs from the enclosing node '" + p.parent + "'");
  }
  vocab::disease_record r;
  const node refs = reader::member(n, "externalReferences");
  if (!refs.value->is_null()) {
    if (!refs.value->is_object()) return rd.schema(refs.pointer, "expected an object");
    CTM_JSON_TRY(nci, rd.strings(reader::member(refs, "NCI")));
    CTM_JSON_TRY(umls, rd.strings(reader::member(refs, "UMLS")));
    r.nci = trimmed(std::move(nci));
    r.umls = trimmed(std::move(umls));
  }
  r.code = std::move(code);
  r.name = std::move(name);
  r.parent = p.parent;
  r.main_type = std::move(main_type);
  r.tissue = std::move(tissue);
  r.group = group_from_tissue(r.tissue);
  r.where = rd.at(n.pointer);
  return r;
}

// Drugs
// --------------------------------------------------------------------------------------------

result<vocab::drug_record> drug_entry_record(const reader& rd, const node& n, bool is_class) {
  if (!n.value->is_object()) return rd.schema(n.pointer, "expected an object");
  vocab::drug_record r;
  r.is_class = is_class;
  r.where = rd.at(n.pointer);
  CTM_JSON_TRY(code, rd.string(reader::member(n, "code"), true));
  CTM_JSON_TRY(name, rd.string(reader::member(n, "name"), true));
  CTM_JSON_TRY(parents, rd.strings(reader::member(n, is_class ? "parents" : "classes")));
  CTM_JSON_TRY(synonyms, rd.strings(reader::member(n, "synonyms")));
  CTM_JSON_TRY(brands, rd.strings(reader::member(n, "brands")));
  CTM_JSON_TRY(rxnorm, rd.code_text(reader::member(n, "rxnorm")));
  CTM_JSON_TRY(atc, rd.strings(reader::member(n, "atc")));
  CTM_JSON_TRY(half_life, rd.number(reader::member(n, "half_life_days")));
  if (half_life && *half_life <= 0.0) {
    return rd.schema(child(n.pointer, "half_life_days"), "half_life_days must be positive");
  }
  CTM_JSON_TRY(supportive, rd.boolean(reader::member(n, "supportive")));
  r.code = std::move(code);
  r.name = std::move(name);
  r.parents = std::move(parents);
  r.synonyms = std::move(synonyms);
  r.brands = std::move(brands);
  r.rxnorm = std::move(rxnorm);
  r.atc = std::move(atc);
  r.half_life_days = half_life;
  r.supportive = supportive;
  return r;
}

result<vocab::drug_catalog> read_drugs_into(vocab::drug_catalog_builder& builder,
                                            std::string_view text, const std::string& source) {
  CTM_JSON_TRY(doc, parse(text, source));
  const reader rd(source);
  const node root{&doc, ""};
  if (auto e = rd.check_document(root)) return *e;
  CTM_JSON_TRY(classes, rd.array(root, "classes"));
  CTM_JSON_TRY(drugs, rd.array(root, "drugs"));
  for (const node& c : classes) {
    CTM_JSON_TRY(r, drug_entry_record(rd, c, true));
    builder.add(std::move(r));
  }
  for (const node& d : drugs) {
    CTM_JSON_TRY(r, drug_entry_record(rd, d, false));
    builder.add(std::move(r));
  }
  return builder.build();
}

// Labs
// ---------------------------------------------------------------------------------------------

result<std::optional<vocab::reference_range>> range(const reader& rd, const node& n) {
  if (n.value->is_null()) return std::optional<vocab::reference_range>{};
  if (!n.value->is_object()) return rd.schema(n.pointer, "expected a range object or null");
  CTM_JSON_TRY(low, rd.number(reader::member(n, "low")));
  CTM_JSON_TRY(high, rd.number(reader::member(n, "high")));
  CTM_JSON_TRY(unit, rd.unit(reader::member(n, "unit")));
  if (!low && !high) return rd.schema(n.pointer, "a range needs low, high or both");
  return std::optional<vocab::reference_range>{vocab::reference_range{low, high, unit}};
}

result<vocab::analyte> analyte_record(const reader& rd, const node& n) {
  if (!n.value->is_object()) return rd.schema(n.pointer, "expected an object");
  vocab::analyte a;
  a.where = rd.at(n.pointer);
  CTM_JSON_TRY(code, rd.string(reader::member(n, "code"), true));
  CTM_JSON_TRY(name, rd.string(reader::member(n, "name"), true));
  CTM_JSON_TRY(synonyms, rd.strings(reader::member(n, "synonyms")));
  CTM_JSON_TRY(loinc, rd.strings(reader::member(n, "loinc")));
  CTM_JSON_TRY(unit, rd.unit(reader::member(n, "unit")));
  const node units = reader::member(n, "units");
  if (!units.value->is_null()) {
    if (!units.value->is_array()) return rd.schema(units.pointer, "expected an array of units");
    for (std::size_t i = 0; i < units.value->size(); ++i) {
      CTM_JSON_TRY(u, rd.unit({&(*units.value)[i], child(units.pointer, i)}));
      if (!u) return rd.schema(child(units.pointer, i), "expected a UCUM unit code");
      a.units.push_back(*u);
    }
  }
  const node kind = reader::member(n, "kind");
  CTM_JSON_TRY(kind_text, rd.string(kind, false));
  if (kind_text == "qualitative") {
    a.qualitative = true;
  } else if (!kind_text.empty() && kind_text != "quantitative") {
    return rd.schema(kind.pointer, "kind must be 'quantitative' or 'qualitative'");
  }
  const node molar = reader::member(n, "molar_mass");
  CTM_JSON_TRY(molar_mass, rd.number(molar));
  if (molar_mass) {
    if (*molar_mass <= 0.0) return rd.schema(molar.pointer, "molar_mass must be positive");
    a.molar_mass = ctm::molar_mass{*molar_mass};
  }
  CTM_JSON_TRY(general, range(rd, reader::member(n, "default_range")));
  CTM_JSON_TRY(female, range(rd, reader::member(n, "default_range_female")));
  CTM_JSON_TRY(male, range(rd, reader::member(n, "default_range_male")));
  CTM_JSON_TRY(note, rd.string(reader::member(n, "note"), false));
  a.code = std::move(code);
  a.name = std::move(name);
  a.synonyms = std::move(synonyms);
  a.loinc = std::move(loinc);
  a.unit = unit;
  a.default_range = general;
  a.default_range_female = female;
  a.default_range_male = male;
  a.note = std::move(note);
  return a;
}

}  // namespace

result<vocab::ontology> read_oncotree_json(std::string_view text, std::string_view source_name) {
  const std::string source(source_name);
  CTM_JSON_TRY(doc, parse(text, source));
  const reader rd(source);
  if (!doc.is_object()) return rd.schema("", "expected a JSON object keyed by the root code");

  vocab::ontology_builder builder(source);
  std::vector<pending_node> stack;
  if (doc.contains("code") && doc.contains("children")) {
    stack.push_back({{&doc, ""}, "", ""});  // a bare root node
  } else {
    for (auto it = doc.end(); it != doc.begin();) {  // reversed, so the first is read first
      --it;
      stack.push_back({{&*it, child("", it.key())}, it.key(), ""});
    }
  }
  while (!stack.empty()) {
    const pending_node p = std::move(stack.back());
    stack.pop_back();
    CTM_JSON_TRY(r, oncotree_record(rd, p));
    const node kids = reader::member(p.at, "children");
    if (!kids.value->is_null()) {
      if (!kids.value->is_object()) return rd.schema(kids.pointer, "expected an object");
      for (auto it = kids.value->end(); it != kids.value->begin();) {
        --it;
        stack.push_back({{&*it, child(kids.pointer, it.key())}, it.key(), r.code});
      }
    }
    builder.add(std::move(r));
  }
  return builder.build();
}

result<vocab::drug_catalog> read_drug_catalog(std::string_view text, std::string_view source_name) {
  vocab::drug_catalog_builder builder{std::string(source_name)};
  return read_drugs_into(builder, text, std::string(source_name));
}

result<vocab::drug_catalog> read_drug_catalog(std::string_view text, std::string_view source_name,
                                              const vocab::drug_catalog& base) {
  vocab::drug_catalog_builder builder(base, base.source_name() + " + " + std::string(source_name));
  return read_drugs_into(builder, text, std::string(source_name));
}

result<vocab::lab_catalog> read_lab_catalog(std::string_view text, std::string_view source_name) {
  const std::string source(source_name);
  CTM_JSON_TRY(doc, parse(text, source));
  const reader rd(source);
  const node root{&doc, ""};
  if (auto e = rd.check_document(root)) return *e;
  CTM_JSON_TRY(note, rd.string(reader::member(root, "default_range_note"), false));
  CTM_JSON_TRY(analytes, rd.array(root, "analytes"));
  vocab::lab_catalog_builder builder(source, std::move(note));
  for (const node& n : analytes) {
    CTM_JSON_TRY(a, analyte_record(rd, n));
    builder.add(std::move(a));
  }
  return builder.build();
}

}  // namespace ctm::io
