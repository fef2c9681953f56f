// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// The candidate index: trials by disease concept, status, phase and site.
#include <ctm/match/index.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <unordered_map>

namespace ctm::match {
namespace detail {

struct indexed_trial {
  bool open = false;
  std::vector<trial_phase> phases;
  std::vector<geo_point> sites;  ///< located sites
};

struct index_impl {
  std::optional<vocab::ontology> ontology;
  std::vector<indexed_trial> trials;
  std::unordered_map<std::uint32_t, std::vector<std::size_t>> by_concept;
  std::vector<std::size_t> unindexed;  ///< no resolvable condition code: always candidates
};

}  // namespace detail

trial_index::trial_index(std::span<const trial> trials,
                         const std::optional<vocab::ontology>& ontology) {
  auto impl = std::make_shared<detail::index_impl>();
  impl->ontology = ontology;
  for (std::size_t i = 0; i < trials.size(); ++i) {
    const trial& t = trials[i];
    detail::indexed_trial it;
    it.open = is_open(t.status);
    it.phases = t.phases;
    for (const auto& s : t.sites) {
      if (s.location) it.sites.push_back(*s.location);
    }
    bool any = false;
    for (const auto& code : t.conditions.codes) {
      if (const auto id = ontology ? ontology->find(code) : std::nullopt) {
        impl->by_concept[id->value].push_back(i);
        any = true;
      }
    }
    if (!any) impl->unindexed.push_back(i);
    impl->trials.push_back(std::move(it));
  }
  impl_ = std::move(impl);
}

std::size_t trial_index::size() const noexcept { return impl_->trials.size(); }

std::vector<std::size_t> trial_index::candidates(const index_query& q) const {
  const auto& ix = *impl_;
  std::vector<std::size_t> out;
  std::vector<concept_id> diseases;
  for (const auto d : q.diseases) {
    if (ix.ontology && d.value < ix.ontology->size()) diseases.push_back(d);
  }
  if (diseases.empty()) {
    for (std::size_t i = 0; i < ix.trials.size(); ++i) out.push_back(i);
  } else {
    const vocab::ontology& onto = *ix.ontology;
    out = ix.unindexed;
    const auto take = [&](std::uint32_t c) {
      const auto it = ix.by_concept.find(c);
      if (it != ix.by_concept.end()) out.insert(out.end(), it->second.begin(), it->second.end());
    };
    for (const auto d : diseases) {
      // Ancestors (and the concept itself): the trial covers the patient's disease.
      for (const auto a : onto.path_to_root(d)) take(a.value);
      // Descendants: the patient's diagnosis is less specific than the trial asks (unknown).
      for (std::uint32_t c = d.value + 1; c < onto.subtree_end(d).value; ++c) take(c);
      // The group of the disease, and every group for a node without one.
      const auto group = onto.get(d).group;
      if (group != vocab::disease_group::liquid) take(onto.solid().value);
      if (group != vocab::disease_group::solid) take(onto.liquid().value);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
  }
  std::erase_if(out, [&](std::size_t i) {
    const auto& t = ix.trials[i];
    if (!q.include_closed && !t.open) return true;
    if (!q.phases.empty() && std::none_of(t.phases.begin(), t.phases.end(), [&](trial_phase p) {
          return std::find(q.phases.begin(), q.phases.end(), p) != q.phases.end();
        })) {
      return true;
    }
    if (q.near && q.within_km) {
      return std::none_of(t.sites.begin(), t.sites.end(), [&](const geo_point& s) {
        return haversine_km(*q.near, s) <= *q.within_km;
      });
    }
    return false;
  });
  return out;
}

double haversine_km(const geo_point& a, const geo_point& b) noexcept {
  constexpr double radius = 6371.0088;
  constexpr double rad = std::numbers::pi / 180.0;
  const double dlat = (b.latitude - a.latitude) * rad;
  const double dlon = (b.longitude - a.longitude) * rad;
  const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(a.latitude * rad) * std::cos(b.latitude * rad) * std::sin(dlon / 2) *
                       std::sin(dlon / 2);
  return 2.0 * radius * std::asin(std::min(1.0, std::sqrt(h)));
}

std::optional<double> nearest_site_km(const trial& t, const geo_point& from) noexcept {
  std::optional<double> best;
  for (const auto& s : t.sites) {
    if (!s.location) continue;
    const bool recruiting =
        s.recruitment_status ? is_open(*s.recruitment_status) : is_open(t.status);
    if (!recruiting) continue;
    const double d = haversine_km(from, *s.location);
    if (!best || d < *best) best = d;
  }
  return best;
}

std::vector<concept_id> resolve_diagnoses(const patient& p, const vocab::ontology& diseases) {
  std::vector<concept_id> out;
  for (const auto& d : p.diagnoses) {
    std::optional<concept_id> id;
    if (!d.code.empty()) id = diseases.lookup(d.code);
    if (!id && !d.text.empty()) id = diseases.lookup(d.text);
    if (id) out.push_back(*id);
  }
  return out;
}

}  // namespace ctm::match
