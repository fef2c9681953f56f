// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// The native trial JSON format (docs/formats/trial.md). nlohmann_json stays in this file.
#include "io/json_support.hpp"

#include <ctm/io/trial_json.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <utility>

namespace ctm::io {
namespace {

using detail::child;
using detail::json;
using detail::make_error;
using detail::read_failure;
using detail::record_place;
using ordered_json = nlohmann::ordered_json;

using keys = std::initializer_list<std::string_view>;

// Reads one trial from a parsed JSON value.
class reader {
 public:
  reader(const trial_read_options& options, const record_place& place,
         std::vector<diagnostic>& diags)
      : options_(options), place_(place), diags_(diags) {}

  [[noreturn]] void fail(errc code, std::string message, const std::string& ptr) const {
    throw read_failure{make_error(place_, code, std::move(message), ptr)};
  }

  trial root(const json& v) {
    if (!v.is_object()) fail(errc::json_schema, "a trial document must be a JSON object", "");
    const auto version = v.find("schema_version");
    if (version == v.end()) {
      fail(errc::json_schema, "missing required member 'schema_version'", "/schema_version");
    }
    if (!version->is_number_integer()) {
      fail(errc::json_schema, "schema_version must be an integer", "/schema_version");
    }
    if (*version != trial_schema_version) {
      fail(errc::unsupported_schema_version,
           "unsupported schema_version; this library reads version " +
               std::to_string(trial_schema_version),
           "/schema_version");
    }
    object(v, "",
           {"schema_version", "id", "secondary_ids", "title", "phases", "status", "sponsor",
            "conditions", "source", "definitions", "criteria", "arms", "sites"});
    trial t;
    required(v, "id", "", [&](const json& x, const std::string& p) { t.id = str(x, p); });
    list(v, "secondary_ids", "", t.secondary_ids,
         [&](const json& x, const std::string& p) { return str(x, p); });
    required(v, "title", "", [&](const json& x, const std::string& p) { t.title = str(x, p); });
    list(v, "phases", "", t.phases, [&](const json& x, const std::string& p) {
      return enumerated(x, p, parse_trial_phase, "trial phase");
    });
    optional(v, "status", "", [&](const json& x, const std::string& p) {
      t.status = enumerated(x, p, parse_trial_status, "trial status");
    });
    optional(v, "sponsor", "", [&](const json& x, const std::string& p) { t.sponsor = str(x, p); });
    optional(v, "conditions", "", [&](const json& x, const std::string& p) {
      object(x, p, {"codes", "registry"});
      list(x, "codes", p, t.conditions.codes,
           [&](const json& y, const std::string& q) { return str(y, q); });
      list(x, "registry", p, t.conditions.registry,
           [&](const json& y, const std::string& q) { return str(y, q); });
    });
    optional(v, "source", "", [&](const json& x, const std::string& p) {
      object(x, p, {"registry", "record", "retrieved", "last_update"});
      optional(x, "registry", p,
               [&](const json& y, const std::string& q) { t.source.registry = str(y, q); });
      optional(x, "record", p,
               [&](const json& y, const std::string& q) { t.source.record = str(y, q); });
      optional(x, "retrieved", p,
               [&](const json& y, const std::string& q) { t.source.retrieved = date(y, q); });
      optional(x, "last_update", p,
               [&](const json& y, const std::string& q) { t.source.last_update = date(y, q); });
    });
    list(v, "definitions", "", t.definitions,
         [&](const json& x, const std::string& p) { return read_definition(x, p); });
    list(v, "criteria", "", t.criteria,
         [&](const json& x, const std::string& p) { return read_criterion(x, p); });
    list(v, "arms", "", t.arms,
         [&](const json& x, const std::string& p) { return read_arm(x, p); });
    list(v, "sites", "", t.sites,
         [&](const json& x, const std::string& p) { return read_site(x, p); });
    return t;
  }

 private:
  // --- structure --------------------------------------------------------------------------------

  void object(const json& v, const std::string& ptr, keys known) {
    if (!v.is_object()) fail(errc::json_schema, "expected an object", ptr);
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (std::find(known.begin(), known.end(), std::string_view(it.key())) != known.end()) {
        continue;
      }
      const std::string where = child(ptr, it.key());
      if (options_.strict) fail(errc::unknown_field, "member is not part of the format", where);
      diags_.push_back(diagnostic{severity::warning,
                                  make_error(place_, errc::unknown_field,
                                             "member is not part of the format; ignored", where)});
    }
  }

  template <class F>
  void optional(const json& obj, const char* key, const std::string& ptr, F&& read) {
    const auto it = obj.find(key);
    if (it != obj.end()) read(*it, child(ptr, key));
  }

  template <class F>
  void required(const json& obj, const char* key, const std::string& ptr, F&& read) {
    const auto it = obj.find(key);
    if (it == obj.end()) {
      fail(errc::json_schema, std::string("missing required member '") + key + "'",
           child(ptr, key));
    }
    read(*it, child(ptr, key));
  }

  template <class T, class F>
  void list(const json& obj, const char* key, const std::string& ptr, std::vector<T>& out,
            F&& read_one) {
    optional(obj, key, ptr, [&](const json& arr, const std::string& where) {
      if (!arr.is_array()) fail(errc::json_schema, "expected an array", where);
      out.reserve(arr.size());
      for (std::size_t i = 0; i < arr.size(); ++i) out.push_back(read_one(arr[i], child(where, i)));
    });
  }

  // --- scalars ----------------------------------------------------------------------------------

  std::string str(const json& v, const std::string& ptr) const {
    if (!v.is_string()) fail(errc::json_schema, "expected a string", ptr);
    return v.get<std::string>();
  }

  // A string, or null for "not written yet".
  std::optional<std::string> str_or_null(const json& v, const std::string& ptr) const {
    if (v.is_null()) return std::nullopt;
    if (!v.is_string()) fail(errc::json_schema, "expected a string or null", ptr);
    return v.get<std::string>();
  }

  double number(const json& v, const std::string& ptr) const {
    if (!v.is_number()) fail(errc::json_schema, "expected a number", ptr);
    return v.get<double>();
  }

  std::uint32_t count(const json& v, const std::string& ptr) const {
    if (!v.is_number_unsigned()) fail(errc::json_schema, "expected a non-negative integer", ptr);
    const auto u = v.get<std::uint64_t>();
    if (u > std::numeric_limits<std::uint32_t>::max()) {
      fail(errc::json_schema, "integer out of range", ptr);
    }
    return static_cast<std::uint32_t>(u);
  }

  partial_date date(const json& v, const std::string& ptr) const {
    auto d = parse_partial_date(str(v, ptr));
    if (!d) fail(d.error().code, d.error().message, ptr);
    return *d;
  }

  template <class E>
  E enumerated(const json& v, const std::string& ptr, std::optional<E> (*parse)(std::string_view),
               std::string_view what) const {
    const auto e = parse(str(v, ptr));
    if (!e) fail(errc::json_schema, "not a known " + std::string(what) + " value", ptr);
    return *e;
  }

  // --- document parts ---------------------------------------------------------------------------

  definition read_definition(const json& v, const std::string& ptr) {
    object(v, ptr, {"name", "text", "rule"});
    definition d;
    required(v, "name", ptr, [&](const json& x, const std::string& p) { d.name = str(x, p); });
    optional(v, "text", ptr, [&](const json& x, const std::string& p) { d.text = str(x, p); });
    optional(v, "rule", ptr,
             [&](const json& x, const std::string& p) { d.rule = str_or_null(x, p); });
    return d;
  }

  provenance read_provenance(const json& v, const std::string& ptr) {
    object(v, ptr, {"kind", "confidence", "span", "extractor"});
    provenance p;
    required(v, "kind", ptr, [&](const json& x, const std::string& q) {
      p.kind = enumerated(x, q, parse_provenance_kind, "provenance kind");
    });
    if (p.kind == provenance_kind::curated) {
      for (const char* key : {"confidence", "span", "extractor"}) {
        if (v.contains(key)) {
          fail(errc::json_schema, "only an extracted criterion has this member", child(ptr, key));
        }
      }
      return p;
    }
    required(v, "confidence", ptr, [&](const json& x, const std::string& q) {
      p.confidence = number(x, q);
      if (!(*p.confidence >= 0.0 && *p.confidence <= 1.0)) {
        fail(errc::json_schema, "confidence must be in [0, 1]", q);
      }
    });
    optional(v, "span", ptr, [&](const json& x, const std::string& q) {
      object(x, q, {"offset", "length"});
      text_span s;
      required(x, "offset", q,
               [&](const json& y, const std::string& r) { s.offset = count(y, r); });
      required(x, "length", q,
               [&](const json& y, const std::string& r) { s.length = count(y, r); });
      p.span = s;
    });
    optional(v, "extractor", ptr,
             [&](const json& x, const std::string& q) { p.extractor = str(x, q); });
    return p;
  }

  criterion read_criterion(const json& v, const std::string& ptr) {
    object(v, ptr, {"id", "kind", "text", "rule", "provenance", "uses"});
    criterion c;
    required(v, "id", ptr, [&](const json& x, const std::string& p) { c.id = str(x, p); });
    required(v, "kind", ptr, [&](const json& x, const std::string& p) {
      c.kind = enumerated(x, p, parse_criterion_kind, "criterion kind");
    });
    required(v, "text", ptr, [&](const json& x, const std::string& p) { c.text = str(x, p); });
    optional(v, "rule", ptr,
             [&](const json& x, const std::string& p) { c.rule = str_or_null(x, p); });
    optional(v, "provenance", ptr,
             [&](const json& x, const std::string& p) { c.provenance = read_provenance(x, p); });
    list(v, "uses", ptr, c.uses, [&](const json& x, const std::string& p) { return str(x, p); });
    return c;
  }

  arm read_arm(const json& v, const std::string& ptr) {
    object(v, ptr, {"id", "name", "description", "status", "interventions", "criteria"});
    arm a;
    required(v, "id", ptr, [&](const json& x, const std::string& p) { a.id = str(x, p); });
    optional(v, "name", ptr, [&](const json& x, const std::string& p) { a.name = str(x, p); });
    optional(v, "description", ptr,
             [&](const json& x, const std::string& p) { a.description = str(x, p); });
    optional(v, "status", ptr, [&](const json& x, const std::string& p) {
      a.status = enumerated(x, p, parse_trial_status, "trial status");
    });
    list(v, "interventions", ptr, a.interventions,
         [&](const json& x, const std::string& p) { return str(x, p); });
    list(v, "criteria", ptr, a.criteria,
         [&](const json& x, const std::string& p) { return read_criterion(x, p); });
    return a;
  }

  site read_site(const json& v, const std::string& ptr) {
    object(v, ptr, {"name", "city", "state", "country", "location", "status"});
    site s;
    required(v, "name", ptr, [&](const json& x, const std::string& p) { s.name = str(x, p); });
    optional(v, "city", ptr, [&](const json& x, const std::string& p) { s.city = str(x, p); });
    optional(v, "state", ptr, [&](const json& x, const std::string& p) { s.state = str(x, p); });
    optional(v, "country", ptr,
             [&](const json& x, const std::string& p) { s.country = str(x, p); });
    optional(v, "location", ptr, [&](const json& x, const std::string& p) {
      object(x, p, {"latitude", "longitude"});
      geo_point g;
      required(x, "latitude", p,
               [&](const json& y, const std::string& q) { g.latitude = number(y, q); });
      required(x, "longitude", p,
               [&](const json& y, const std::string& q) { g.longitude = number(y, q); });
      s.location = g;
    });
    optional(v, "status", ptr, [&](const json& x, const std::string& p) {
      s.recruitment_status = enumerated(x, p, parse_trial_status, "trial status");
    });
    return s;
  }

  const trial_read_options& options_;
  const record_place& place_;
  std::vector<diagnostic>& diags_;
};

// Reads one parsed record; never throws except std::bad_alloc.
result<trial_document> read_value(const json& v, const trial_read_options& options,
                                  const record_place& place) {
  try {
    trial_document doc;
    reader r(options, place, doc.diagnostics);
    doc.trial = r.root(v);
    if (options.validate) {
      for (diagnostic d : validate(doc.trial, options.validation)) {
        d.error.where.file = std::string(place.file);
        d.error.where.line = place.line;
        d.error.where.pointer = place.prefix + d.error.where.pointer;
        doc.diagnostics.push_back(std::move(d));
      }
    }
    return doc;
  } catch (const read_failure& f) {
    return f.err;
  } catch (const json::exception&) {
    return make_error(place, errc::json_schema, "JSON value of an unexpected shape", "");
  }
}

// --- writing ------------------------------------------------------------------------------------

void put(ordered_json& o, const char* key, const std::string& s) {
  if (!s.empty()) o[key] = s;
}
void put(ordered_json& o, const char* key, const std::optional<partial_date>& d) {
  if (d) o[key] = to_string(*d);
}
// Always written: null marks a rule still to be written.
void put_rule(ordered_json& o, const std::optional<std::string>& rule) {
  o["rule"] = rule ? ordered_json(*rule) : ordered_json(nullptr);
}
void put_strings(ordered_json& o, const char* key, const std::vector<std::string>& items) {
  if (!items.empty()) o[key] = items;
}

template <class T, class F>
void put_list(ordered_json& o, const char* key, const std::vector<T>& items, F&& write_one) {
  if (items.empty()) return;
  ordered_json arr = ordered_json::array();
  for (const T& item : items) arr.push_back(write_one(item));
  o[key] = std::move(arr);
}

ordered_json criterion_json(const criterion& c) {
  ordered_json j = ordered_json::object();
  j["id"] = c.id;
  j["kind"] = std::string(to_string(c.kind));
  j["text"] = c.text;
  put_rule(j, c.rule);
  ordered_json p = ordered_json::object();
  p["kind"] = std::string(to_string(c.provenance.kind));
  if (c.provenance.kind == provenance_kind::extracted) {
    if (c.provenance.confidence) p["confidence"] = *c.provenance.confidence;
    if (c.provenance.span) {
      ordered_json s = ordered_json::object();
      s["offset"] = c.provenance.span->offset;
      s["length"] = c.provenance.span->length;
      p["span"] = std::move(s);
    }
    put(p, "extractor", c.provenance.extractor);
  }
  j["provenance"] = std::move(p);
  put_strings(j, "uses", c.uses);
  return j;
}

ordered_json trial_json(const trial& t) {
  ordered_json o = ordered_json::object();
  o["schema_version"] = trial_schema_version;
  o["id"] = t.id;
  put_strings(o, "secondary_ids", t.secondary_ids);
  o["title"] = t.title;
  if (!t.phases.empty()) {
    ordered_json phases = ordered_json::array();
    for (trial_phase p : t.phases) phases.push_back(std::string(to_string(p)));
    o["phases"] = std::move(phases);
  }
  o["status"] = std::string(to_string(t.status));
  put(o, "sponsor", t.sponsor);
  if (!t.conditions.codes.empty() || !t.conditions.registry.empty()) {
    ordered_json c = ordered_json::object();
    put_strings(c, "codes", t.conditions.codes);
    put_strings(c, "registry", t.conditions.registry);
    o["conditions"] = std::move(c);
  }
  ordered_json src = ordered_json::object();
  put(src, "registry", t.source.registry);
  put(src, "record", t.source.record);
  put(src, "retrieved", t.source.retrieved);
  put(src, "last_update", t.source.last_update);
  if (!src.empty()) o["source"] = std::move(src);
  put_list(o, "definitions", t.definitions, [](const definition& d) {
    ordered_json j = ordered_json::object();
    j["name"] = d.name;
    put(j, "text", d.text);
    put_rule(j, d.rule);
    return j;
  });
  put_list(o, "criteria", t.criteria, criterion_json);
  put_list(o, "arms", t.arms, [](const arm& a) {
    ordered_json j = ordered_json::object();
    j["id"] = a.id;
    put(j, "name", a.name);
    put(j, "description", a.description);
    if (a.status) j["status"] = std::string(to_string(*a.status));
    put_strings(j, "interventions", a.interventions);
    put_list(j, "criteria", a.criteria, criterion_json);
    return j;
  });
  put_list(o, "sites", t.sites, [](const site& s) {
    ordered_json j = ordered_json::object();
    j["name"] = s.name;
    put(j, "city", s.city);
    put(j, "state", s.state);
    put(j, "country", s.country);
    if (s.location) {
      ordered_json g = ordered_json::object();
      g["latitude"] = s.location->latitude;
      g["longitude"] = s.location->longitude;
      j["location"] = std::move(g);
    }
    if (s.recruitment_status) j["status"] = std::string(to_string(*s.recruitment_status));
    return j;
  });
  return o;
}

detail::json_limits limits_of(const trial_read_options& options) {
  return {options.max_bytes, options.max_depth};
}

// Parses one document and reads it.
result<trial_document> read_document(std::string_view text, const trial_read_options& options,
                                     const record_place& place, std::uint32_t first_line) {
  try {
    return read_value(detail::parse_json(text, limits_of(options), place, first_line), options,
                      place);
  } catch (const read_failure& f) {
    return f.err;
  }
}

trial_read_options named(std::string_view source_name) {
  trial_read_options options;
  options.source_name = std::string(source_name);
  return options;
}

}  // namespace

result<trial_document> read_trial(std::string_view json_text, const trial_read_options& options) {
  const record_place place{options.source_name, 0, ""};
  return read_document(json_text, options, place, 1);
}

result<trial_document> read_trial(std::string_view json_text, std::string_view source_name) {
  return read_trial(json_text, named(source_name));
}

std::string write_trial_line(const trial& t) {
  std::string out = trial_json(t).dump(-1, ' ', false, ordered_json::error_handler_t::replace);
  out += '\n';
  return out;
}

std::string write_trial(const trial& t) {
  std::string out = trial_json(t).dump(2, ' ', false, ordered_json::error_handler_t::replace);
  out += '\n';
  return out;
}

std::vector<trial_record> read_trials(std::string_view text, const trial_read_options& options) {
  return detail::read_records<trial_record>(
      text, options.source_name, limits_of(options),
      [&](const json& v, const record_place& place) { return read_value(v, options, place); });
}

std::vector<trial_record> read_trials(std::string_view text, std::string_view source_name) {
  return read_trials(text, named(source_name));
}

}  // namespace ctm::io
