// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include "vocab/normalize.hpp"

#include <ctm/vocab/ontology.hpp>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/depth_first_search.hpp>

#include <algorithm>
#include <limits>
#include <unordered_map>
#include <utility>

namespace ctm::vocab {

namespace detail {
struct ontology_impl {
  std::string source;
  std::vector<disease> nodes;                // tree nodes in DFS pre-order, then _SOLID_, _LIQUID_
  std::vector<interval_label> labels;        // parallel to nodes
  std::vector<std::uint32_t> child_offsets;  // CSR: children of i are child_ids[off[i], off[i+1])
  std::vector<concept_id> child_ids;
  std::unordered_map<std::string, concept_id> by_code;  // normalize_code
  std::unordered_map<std::string, concept_id> by_name;  // normalize_name of names, then synonyms
  std::unordered_map<std::string, concept_id> by_nci;   // normalize_code
};
}  // namespace detail

std::string_view to_string(disease_group g) noexcept {
  switch (g) {
    case disease_group::solid:
      return "solid";
    case disease_group::liquid:
      return "liquid";
    case disease_group::none:
      break;
  }
  return "none";
}

// ontology
// -----------------------------------------------------------------------------------------

ontology::ontology(std::shared_ptr<const detail::ontology_impl> impl)
    : impl_(std::move(impl)), labels_(impl_->labels.data()), size_(impl_->nodes.size()) {}

const std::string& ontology::source_name() const noexcept { return impl_->source; }

std::optional<concept_id> ontology::find(std::string_view code) const {
  const auto it = impl_->by_code.find(vocab::detail::normalize_code(code));
  if (it == impl_->by_code.end()) return std::nullopt;
  return it->second;
}

std::optional<concept_id> ontology::find_by_name(std::string_view text) const {
  const std::string key = vocab::detail::normalize_name(text);
  if (key.empty()) return std::nullopt;
  const auto it = impl_->by_name.find(key);
  if (it == impl_->by_name.end()) return std::nullopt;
  return it->second;
}

std::optional<concept_id> ontology::find_by_nci(std::string_view nci_code) const {
  const auto it = impl_->by_nci.find(vocab::detail::normalize_code(nci_code));
  if (it == impl_->by_nci.end()) return std::nullopt;
  return it->second;
}

std::optional<concept_id> ontology::lookup(std::string_view text) const {
  if (auto id = find(text)) return id;
  if (auto id = find_by_name(text)) return id;
  return find_by_nci(text);
}

const disease& ontology::get(concept_id id) const noexcept {
  CTM_ASSERT(id.value < size_);
  return impl_->nodes[id.value];
}

truth ontology::is_a_group(std::uint32_t p, std::uint32_t t) const noexcept {
  const std::uint32_t tree = static_cast<std::uint32_t>(size_ - 2);
  const disease_group pg = labels_[p].group;
  const disease_group tg = labels_[t].group;
  if (p >= tree && t >= tree) return to_truth(p == t);
  if (t >= tree) {  // a tree node against a group
    if (pg == disease_group::none) return truth::unknown;
    return to_truth(pg == tg);
  }
  // A group node against a tree node: the group sits between the root and its tissues.
  if (t == 0) return truth::yes;
  if (tg == disease_group::none || tg == pg) return truth::unknown;
  return truth::no;
}

result<truth> ontology::is_a(std::string_view patient_code, std::string_view trial_code) const {
  const auto p = find(patient_code);
  if (!p) {
    return ctm::error{errc::unknown_code,
                      "disease code '" + std::string(patient_code) + "' is not in " + source_name(),
                      {}};
  }
  const auto t = find(trial_code);
  if (!t) {
    return ctm::error{errc::unknown_code,
                      "disease code '" + std::string(trial_code) + "' is not in " + source_name(),
                      {}};
  }
  return is_a(*p, *t);
}

std::vector<concept_id> ontology::path_to_root(concept_id id) const {
  CTM_ASSERT(id.value < size_);
  std::vector<concept_id> path;
  for (concept_id at = id; at.is_valid(); at = impl_->nodes[at.value].parent) path.push_back(at);
  if (impl_->nodes[id.value].is_group) path.push_back(root());
  return path;
}

std::span<const concept_id> ontology::children(concept_id id) const noexcept {
  CTM_ASSERT(id.value < size_);
  if (id.value + 1 >= impl_->child_offsets.size()) return {};
  const auto begin = impl_->child_offsets[id.value];
  const auto end = impl_->child_offsets[id.value + 1];
  return std::span<const concept_id>(impl_->child_ids).subspan(begin, end - begin);
}

concept_id ontology::subtree_end(concept_id id) const noexcept {
  CTM_ASSERT(id.value < size_);
  return concept_id{labels_[id.value].end};
}

// ontology_builder
// ---------------------------------------------------------------------------------

namespace {

using graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
using vertex = boost::graph_traits<graph>::vertex_descriptor;

// Numbers the vertices in DFS pre-order and records one past the last number of each subtree.
class interval_visitor : public boost::default_dfs_visitor {
 public:
  interval_visitor(std::vector<std::uint32_t>& pre, std::vector<std::uint32_t>& end,
                   std::vector<vertex>& order)
      : pre_(&pre), end_(&end), order_(&order) {}
  void discover_vertex(vertex v, const graph&) {
    (*pre_)[v] = static_cast<std::uint32_t>(order_->size());
    order_->push_back(v);
  }
  void finish_vertex(vertex v, const graph&) {
    (*end_)[v] = static_cast<std::uint32_t>(order_->size());
  }

 private:
  std::vector<std::uint32_t>* pre_;
  std::vector<std::uint32_t>* end_;
  std::vector<vertex>* order_;
};

ctm::error make_error(errc code, std::string message, const ctm::location& where) {
  return ctm::error{code, std::move(message), where};
}

std::string place(const ctm::location& where) {
  std::string out = ctm::to_string(where);
  return out.empty() ? "an earlier record" : out;
}

bool is_blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
  });
}

disease make_group(std::string_view code, std::string name, disease_group g,
                   std::vector<std::string> synonyms) {
  disease d;
  d.code = std::string(code);
  d.name = std::move(name);
  d.synonyms = std::move(synonyms);
  d.level = 1;
  d.group = g;
  d.is_group = true;
  return d;
}

}  // namespace

ontology_builder::ontology_builder(std::string source_name)
    : source_name_(std::move(source_name)) {}

void ontology_builder::add(disease_record record) { records_.push_back(std::move(record)); }

result<ontology> ontology_builder::build() const {
  const std::size_t n = records_.size();
  if (n == 0) {
    return make_error(errc::empty_vocabulary, "the disease hierarchy defines no node",
                      {source_name_, 0, 0, ""});
  }
  if (n >= std::numeric_limits<std::uint32_t>::max() - 3) {
    return make_error(errc::input_too_large, "too many disease nodes", {source_name_, 0, 0, ""});
  }

  // Codes, names and roots, in file order.
  std::unordered_map<std::string, std::size_t> index;
  index.reserve(n);
  std::size_t root = n;
  for (std::size_t i = 0; i < n; ++i) {
    const disease_record& r = records_[i];
    const std::string key = vocab::detail::normalize_code(r.code);
    if (key.empty()) return make_error(errc::invalid_code, "a disease node has no code", r.where);
    if (key == ontology::solid_code || key == ontology::liquid_code) {
      return make_error(errc::invalid_code, "code '" + r.code + "' is reserved for the group node",
                        r.where);
    }
    if (is_blank(r.name)) {
      return make_error(errc::empty_name, "disease '" + r.code + "' has no name", r.where);
    }
    const auto [it, inserted] = index.emplace(key, i);
    if (!inserted) {
      return make_error(
          errc::duplicate_code,
          "code '" + r.code + "' is already defined at " + place(records_[it->second].where),
          r.where);
    }
    if (is_blank(r.parent)) {
      if (root != n) {
        return make_error(
            errc::multiple_roots,
            "'" + r.code + "' has no parent, but '" + records_[root].code + "' is already the root",
            r.where);
      }
      root = i;
    }
  }

  // Parent links.
  std::vector<std::size_t> parent(n, n);
  graph g(n);
  for (std::size_t i = 0; i < n; ++i) {
    const disease_record& r = records_[i];
    if (i == root) continue;
    const auto it = index.find(vocab::detail::normalize_code(r.parent));
    if (it == index.end()) {
      return make_error(errc::unknown_parent,
                        "parent '" + r.parent + "' of '" + r.code + "' is not defined", r.where);
    }
    parent[i] = it->second;
    boost::add_edge(it->second, i, g);
  }

  // DFS from the root; a node it does not reach sits on or under a cycle.
  std::vector<std::uint32_t> pre(n, 0);
  std::vector<std::uint32_t> end(n, 0);
  std::vector<vertex> order;
  order.reserve(n);
  if (root != n) {
    std::vector<boost::default_color_type> colors(n, boost::white_color);
    boost::depth_first_visit(
        g, root, interval_visitor(pre, end, order),
        boost::make_iterator_property_map(colors.begin(), boost::get(boost::vertex_index, g)));
  }
  if (order.size() != n) {
    std::vector<bool> reached(n, false);
    for (const vertex v : order) reached[v] = true;
    std::size_t at = 0;
    while (reached[at]) ++at;
    // Walk up until a node repeats: that node is on the cycle.
    std::vector<bool> seen(n, false);
    while (!seen[at]) {
      seen[at] = true;
      at = parent[at];
    }
    std::vector<std::size_t> cycle{at};
    for (std::size_t v = parent[at]; v != at; v = parent[v]) cycle.push_back(v);
    const std::size_t first = *std::min_element(cycle.begin(), cycle.end());
    const auto pos =
        static_cast<std::size_t>(std::find(cycle.begin(), cycle.end(), first) - cycle.begin());
    std::rotate(cycle.begin(), cycle.begin() + static_cast<std::ptrdiff_t>(pos), cycle.end());
    std::string path;
    for (const std::size_t v : cycle) path += records_[v].code + " -> ";
    path += records_[first].code;
    return make_error(errc::vocabulary_cycle, "the parent links form a cycle: " + path,
                      records_[first].where);
  }

  // Freeze: nodes in pre-order, then the two group nodes.
  auto impl = std::make_shared<detail::ontology_impl>();
  impl->source = source_name_;
  impl->nodes.resize(n + 2);
  impl->labels.resize(n + 2);
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t i = order[k];
    const disease_record& r = records_[i];
    disease& d = impl->nodes[k];
    d.code = r.code;
    d.name = r.name;
    d.main_type = r.main_type;
    d.tissue = r.tissue;
    d.nci = r.nci;
    d.umls = r.umls;
    d.synonyms = r.synonyms;
    if (i != root) {
      const disease& up = impl->nodes[pre[parent[i]]];
      d.parent = concept_id{pre[parent[i]]};
      d.level = up.level + 1;
      d.group = r.group.value_or(up.group);
    } else {
      d.group = r.group.value_or(disease_group::none);
    }
    impl->labels[k] = detail::interval_label{end[i], d.group};
  }
  impl->nodes[n] = make_group(ontology::solid_code, "Any solid tumour", disease_group::solid,
                              {"solid tumour", "solid tumor", "solid malignancy"});
  impl->nodes[n + 1] =
      make_group(ontology::liquid_code, "Any haematological malignancy", disease_group::liquid,
                 {"hematologic malignancy", "hematological malignancy", "haematologic malignancy",
                  "blood cancer", "liquid tumour", "liquid tumor"});
  impl->labels[n] = detail::interval_label{static_cast<std::uint32_t>(n + 1), disease_group::solid};
  impl->labels[n + 1] =
      detail::interval_label{static_cast<std::uint32_t>(n + 2), disease_group::liquid};

  // Children (CSR), in file order.
  impl->child_offsets.assign(n + 1, 0);
  impl->child_ids.reserve(n);
  for (std::size_t k = 0; k < n; ++k) {
    impl->child_offsets[k] = static_cast<std::uint32_t>(impl->child_ids.size());
    const auto [first, last] = boost::out_edges(order[k], g);
    for (auto e = first; e != last; ++e) {
      impl->child_ids.push_back(concept_id{pre[boost::target(*e, g)]});
    }
  }
  impl->child_offsets[n] = static_cast<std::uint32_t>(impl->child_ids.size());

  // Lookup tables: codes, then names before synonyms, earlier nodes first.
  for (std::size_t k = 0; k < n + 2; ++k) {
    const disease& d = impl->nodes[k];
    const concept_id id{static_cast<std::uint32_t>(k)};
    impl->by_code.emplace(vocab::detail::normalize_code(d.code), id);
    if (auto key = vocab::detail::normalize_name(d.name); !key.empty()) {
      impl->by_name.emplace(std::move(key), id);
    }
    for (const std::string& c : d.nci) impl->by_nci.emplace(vocab::detail::normalize_code(c), id);
  }
  for (std::size_t k = 0; k < n + 2; ++k) {
    const concept_id id{static_cast<std::uint32_t>(k)};
    for (const std::string& s : impl->nodes[k].synonyms) {
      if (auto key = vocab::detail::normalize_name(s); !key.empty()) {
        impl->by_name.emplace(std::move(key), id);
      }
    }
  }
  return ontology(std::move(impl));
}

}  // namespace ctm::vocab
