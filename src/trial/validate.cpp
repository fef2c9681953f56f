// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include <ctm/trial/validate.hpp>

#include <set>
#include <string>
#include <utility>

namespace ctm {
namespace {

bool is_id_char(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

bool is_local_id(std::string_view id) noexcept {
  if (id.empty()) return false;
  for (char c : id) {
    if (!is_id_char(c)) return false;
  }
  return true;
}

bool is_identifier(std::string_view name) noexcept {
  if (name.empty() || (name.front() >= '0' && name.front() <= '9')) return false;
  for (char c : name) {
    if (!is_id_char(c) || c == '.' || c == '-') return false;
  }
  return true;
}

class checker {
 public:
  checker(const trial_validate_options& options, std::vector<diagnostic>& out)
      : options_(options), out_(out) {}

  void run(const trial& t) {
    if (!is_nct_id(t.id))
      error(errc::invalid_id, "the trial id must be NCT and eight digits", "/id");
    if (t.title.empty()) error(errc::missing_text, "the trial has no title", "/title");
    if (options_.is_known_disease) {
      for (std::size_t i = 0; i < t.conditions.codes.size(); ++i) {
        if (!options_.is_known_disease(t.conditions.codes[i])) {
          warn(errc::unknown_code, "disease code not in the vocabulary",
               "/conditions/codes/" + std::to_string(i));
        }
      }
    }
    criteria(t.criteria, "/criteria");
    std::set<std::string, std::less<>> arm_ids;
    for (std::size_t i = 0; i < t.arms.size(); ++i) {
      const arm& a = t.arms[i];
      const std::string ptr = "/arms/" + std::to_string(i);
      if (!is_local_id(a.id)) {
        error(errc::invalid_id, "an arm id must be letters, digits, '.', '_' or '-'", ptr + "/id");
      } else if (!arm_ids.insert(a.id).second) {
        error(errc::duplicate_id, "arm id used twice in this trial", ptr + "/id");
      }
      criteria(a.criteria, ptr + "/criteria");
    }
    std::set<std::string, std::less<>> names;
    for (std::size_t i = 0; i < t.definitions.size(); ++i) {
      const std::string ptr = "/definitions/" + std::to_string(i) + "/name";
      if (!is_identifier(t.definitions[i].name)) {
        error(errc::invalid_id, "a definition name must be an identifier", ptr);
      } else if (!names.insert(t.definitions[i].name).second) {
        error(errc::duplicate_id, "definition name used twice in this trial", ptr);
      }
    }
    for (std::size_t i = 0; i < t.sites.size(); ++i) {
      const site& s = t.sites[i];
      const std::string ptr = "/sites/" + std::to_string(i);
      if (s.name.empty()) error(errc::missing_text, "a site has no name", ptr + "/name");
      if (s.location) {
        if (!(s.location->latitude >= -90.0 && s.location->latitude <= 90.0)) {
          error(errc::value_out_of_range, "latitude must be in [-90, 90]",
                ptr + "/location/latitude");
        }
        if (!(s.location->longitude >= -180.0 && s.location->longitude <= 180.0)) {
          error(errc::value_out_of_range, "longitude must be in [-180, 180]",
                ptr + "/location/longitude");
        }
      }
    }
  }

 private:
  void error(errc code, std::string message, std::string ptr) {
    out_.push_back(diagnostic{
        severity::error, ctm::error{code, std::move(message), location{{}, 0, 0, std::move(ptr)}}});
  }
  void warn(errc code, std::string message, std::string ptr) {
    out_.push_back(diagnostic{severity::warning, ctm::error{code, std::move(message),
                                                            location{{}, 0, 0, std::move(ptr)}}});
  }

  void criteria(const std::vector<criterion>& list, const std::string& base) {
    for (std::size_t i = 0; i < list.size(); ++i) {
      const criterion& c = list[i];
      const std::string ptr = base + "/" + std::to_string(i);
      if (!is_local_id(c.id)) {
        error(errc::invalid_id, "a criterion id must be letters, digits, '.', '_' or '-'",
              ptr + "/id");
      } else if (!criterion_ids_.insert(c.id).second) {
        error(errc::duplicate_id, "criterion id used twice in this trial", ptr + "/id");
      }
      if (c.text.empty()) error(errc::missing_text, "a criterion has no text", ptr + "/text");
      for (std::size_t j = 0; j < c.uses.size(); ++j) {
        if (!is_identifier(c.uses[j])) {
          error(errc::invalid_id, "a definition name must be an identifier",
                ptr + "/uses/" + std::to_string(j));
        }
      }
      const provenance& p = c.provenance;
      if (p.kind == provenance_kind::extracted &&
          !(p.confidence && *p.confidence >= 0.0 && *p.confidence <= 1.0)) {
        error(errc::value_out_of_range, "an extracted criterion needs a confidence in [0, 1]",
              ptr + "/provenance/confidence");
      }
    }
  }

  const trial_validate_options& options_;
  std::vector<diagnostic>& out_;
  std::set<std::string, std::less<>> criterion_ids_;
};

}  // namespace

std::vector<diagnostic> validate(const trial& t, const trial_validate_options& options) {
  std::vector<diagnostic> out;
  checker(options, out).run(t);
  return out;
}

}  // namespace ctm
