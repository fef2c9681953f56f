// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include "vocab/normalize.hpp"

#include <ctm/vocab/drug_catalog.hpp>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/depth_first_search.hpp>

#include <algorithm>
#include <limits>
#include <unordered_map>
#include <utility>

namespace ctm::vocab {

namespace detail {
struct drug_catalog_impl {
  std::string source;
  std::vector<drug_entry> entries;
  std::size_t words = 0;
  std::vector<std::uint64_t> bits;  // ancestor-or-self, `words` per entry
  std::vector<bool> supportive;
  std::vector<bool> anticancer;
  std::unordered_map<std::string, drug_id> by_code;  // exact code
  // normalize_name of code, name, synonym and brand -> entries, best first
  std::unordered_map<std::string, std::vector<drug_id>> by_key;
  std::unordered_map<std::string, drug_id> by_rxnorm;  // exact
  std::unordered_map<std::string, drug_id> by_atc;     // upper case
};
}  // namespace detail

// drug_catalog
// -------------------------------------------------------------------------------------

drug_catalog::drug_catalog(std::shared_ptr<const detail::drug_catalog_impl> impl)
    : impl_(std::move(impl)),
      bits_(impl_->bits.data()),
      words_(impl_->words),
      size_(impl_->entries.size()) {}

const std::string& drug_catalog::source_name() const noexcept { return impl_->source; }

namespace {
template <class Map>
std::optional<drug_id> find_in(const Map& map, const std::string& key) {
  const auto it = map.find(key);
  if (it == map.end()) return std::nullopt;
  return it->second;
}

std::string lower_trimmed(std::string_view text) {
  std::string out = vocab::detail::normalize_code(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}
}  // namespace

std::optional<drug_id> drug_catalog::find(std::string_view text) const {
  const auto all = find_all(text);
  if (all.empty()) return std::nullopt;
  return all.front();
}

std::vector<drug_id> drug_catalog::find_all(std::string_view text) const {
  const std::string key = vocab::detail::normalize_name(text);
  if (key.empty()) return {};
  const auto it = impl_->by_key.find(key);
  if (it == impl_->by_key.end()) return {};
  return it->second;
}

std::optional<drug_id> drug_catalog::find_code(std::string_view code) const {
  return find_in(impl_->by_code, lower_trimmed(code));
}

std::optional<drug_id> drug_catalog::find_by_rxnorm(std::string_view rxcui) const {
  return find_in(impl_->by_rxnorm, vocab::detail::normalize_code(rxcui));
}

std::optional<drug_id> drug_catalog::find_by_atc(std::string_view atc_code) const {
  return find_in(impl_->by_atc, vocab::detail::normalize_code(atc_code));
}

const drug_entry& drug_catalog::get(drug_id id) const noexcept {
  CTM_ASSERT(id.value < size_);
  return impl_->entries[id.value];
}

std::vector<drug_id> drug_catalog::ancestors(drug_id id) const {
  CTM_ASSERT(id.value < size_);
  std::vector<drug_id> out;
  std::vector<bool> seen(size_, false);
  seen[id.value] = true;
  std::vector<drug_id> frontier{id};
  for (std::size_t at = 0; at < frontier.size(); ++at) {
    for (const drug_id p : impl_->entries[frontier[at].value].parents) {
      if (seen[p.value]) continue;
      seen[p.value] = true;
      frontier.push_back(p);
      out.push_back(p);
    }
  }
  return out;
}

std::vector<drug_id> drug_catalog::members(drug_id cls) const {
  CTM_ASSERT(cls.value < size_);
  std::vector<drug_id> out;
  for (std::uint32_t i = 0; i < size_; ++i) {
    const drug_id id{i};
    if (!impl_->entries[i].is_class && is_a(id, cls)) out.push_back(id);
  }
  return out;
}

bool drug_catalog::is_supportive(drug_id id) const noexcept {
  CTM_ASSERT(id.value < size_);
  return impl_->supportive[id.value];
}

bool drug_catalog::is_anticancer(drug_id id) const noexcept {
  CTM_ASSERT(id.value < size_);
  return impl_->anticancer[id.value];
}

std::optional<double> drug_catalog::half_life_days(drug_id id) const noexcept {
  CTM_ASSERT(id.value < size_);
  return impl_->entries[id.value].half_life_days;
}

// drug_catalog_builder
// -----------------------------------------------------------------------------

namespace {

// Edges point from an entry to its parents, so a DFS finishes every parent before its children.
using graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
using vertex = boost::graph_traits<graph>::vertex_descriptor;
using edge = boost::graph_traits<graph>::edge_descriptor;

struct dag_state {
  std::vector<vertex> finished;
  std::vector<vertex> predecessor;
  bool has_cycle = false;
  vertex cycle_from = 0;  // back edge cycle_from -> cycle_to
  vertex cycle_to = 0;
};

class dag_visitor : public boost::default_dfs_visitor {
 public:
  explicit dag_visitor(dag_state& state) : state_(&state) {}
  void tree_edge(edge e, const graph& g) {
    state_->predecessor[boost::target(e, g)] = boost::source(e, g);
  }
  void back_edge(edge e, const graph& g) {
    if (state_->has_cycle) return;
    state_->has_cycle = true;
    state_->cycle_from = boost::source(e, g);
    state_->cycle_to = boost::target(e, g);
  }
  void finish_vertex(vertex v, const graph&) { state_->finished.push_back(v); }

 private:
  dag_state* state_;
};

bool is_snake_code(std::string_view code) {
  if (code.empty()) return false;
  const auto ok = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!ok(code.front())) return false;
  return std::all_of(code.begin(), code.end(), [&](char c) { return ok(c) || c == '_'; });
}

bool is_blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
  });
}

std::string place(const ctm::location& where) {
  std::string out = ctm::to_string(where);
  return out.empty() ? "an earlier record" : out;
}

drug_record to_record(const drug_entry& e, const std::vector<drug_entry>& all) {
  drug_record r;
  r.code = e.code;
  r.name = e.name;
  r.is_class = e.is_class;
  for (const drug_id p : e.parents) r.parents.push_back(all[p.value].code);
  r.synonyms = e.synonyms;
  r.brands = e.brands;
  r.rxnorm = e.rxnorm;
  r.atc = e.atc;
  r.half_life_days = e.half_life_days;
  r.supportive = e.supportive;
  r.where = e.where;
  return r;
}

}  // namespace

drug_catalog_builder::drug_catalog_builder(std::string source_name)
    : source_name_(std::move(source_name)) {}

drug_catalog_builder::drug_catalog_builder(const drug_catalog& base, std::string source_name)
    : source_name_(std::move(source_name)) {
  records_.reserve(base.size());
  for (std::uint32_t i = 0; i < base.size(); ++i) {
    records_.push_back(to_record(base.get(drug_id{i}), base.impl_->entries));
  }
}

void drug_catalog_builder::add(drug_record record) { records_.push_back(std::move(record)); }

result<drug_catalog> drug_catalog_builder::build() const {
  const std::size_t n = records_.size();
  if (n == 0) {
    return ctm::error{errc::empty_vocabulary,
                      "the drug catalog defines no drug or class",
                      {source_name_, 0, 0, ""}};
  }
  if (n >= std::numeric_limits<std::uint32_t>::max() / 2) {
    return ctm::error{
        errc::input_too_large, "too many drug catalog entries", {source_name_, 0, 0, ""}};
  }

  std::unordered_map<std::string, std::size_t> index;
  index.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const drug_record& r = records_[i];
    if (!is_snake_code(r.code)) {
      return ctm::error{errc::invalid_code,
                        "code '" + r.code + "' is not lower snake_case ([a-z0-9][a-z0-9_]*)",
                        r.where};
    }
    if (is_blank(r.name)) {
      return ctm::error{errc::empty_name, "entry '" + r.code + "' has no name", r.where};
    }
    const auto [it, inserted] = index.emplace(r.code, i);
    if (!inserted) {
      return ctm::error{
          errc::duplicate_code,
          "code '" + r.code + "' is already defined at " + place(records_[it->second].where),
          r.where};
    }
  }

  auto impl = std::make_shared<detail::drug_catalog_impl>();
  impl->source = source_name_;
  impl->entries.resize(n);
  graph g(n);
  for (std::size_t i = 0; i < n; ++i) {
    const drug_record& r = records_[i];
    drug_entry& e = impl->entries[i];
    for (const std::string& p : r.parents) {
      const auto it = index.find(p);
      if (it == index.end()) {
        return ctm::error{errc::unknown_parent,
                          "class '" + p + "' of '" + r.code + "' is not defined", r.where};
      }
      if (!records_[it->second].is_class) {
        return ctm::error{errc::unknown_parent,
                          "'" + p + "', named as a class of '" + r.code + "', is a drug", r.where};
      }
      const drug_id pid{static_cast<std::uint32_t>(it->second)};
      if (std::find(e.parents.begin(), e.parents.end(), pid) != e.parents.end()) continue;
      e.parents.push_back(pid);
      boost::add_edge(i, it->second, g);
    }
    e.code = r.code;
    e.name = r.name;
    e.is_class = r.is_class;
    e.synonyms = r.synonyms;
    e.brands = r.brands;
    e.rxnorm = r.rxnorm;
    e.atc = r.atc;
    e.half_life_days = r.half_life_days;
    e.supportive = r.supportive;
    e.where = r.where;
  }

  dag_state state;
  state.predecessor.assign(n, 0);
  state.finished.reserve(n);
  std::vector<boost::default_color_type> colors(n, boost::white_color);
  boost::depth_first_search(
      g, dag_visitor(state),
      boost::make_iterator_property_map(colors.begin(), boost::get(boost::vertex_index, g)));
  if (state.has_cycle) {
    // The back edge from -> to closes the DFS-tree path to ... from.
    std::vector<vertex> cycle{state.cycle_from};
    for (vertex v = state.cycle_from; v != state.cycle_to;) {
      v = state.predecessor[v];
      cycle.push_back(v);
    }
    // Each entry's parent follows it; start at the entry that comes first in the file.
    std::reverse(cycle.begin(), cycle.end());
    const auto first_at = std::min_element(cycle.begin(), cycle.end());
    const vertex first = *first_at;
    std::rotate(cycle.begin(), first_at, cycle.end());
    std::string path;
    for (const vertex v : cycle) path += records_[v].code + " -> ";
    path += records_[cycle.front()].code;
    return ctm::error{errc::vocabulary_cycle, "the class links form a cycle: " + path,
                      records_[first].where};
  }

  // Ancestor-or-self bitsets, parents before children.
  impl->words = (n + 63) / 64;
  impl->bits.assign(n * impl->words, 0);
  for (const vertex v : state.finished) {
    std::uint64_t* row = impl->bits.data() + v * impl->words;
    row[v / 64] |= std::uint64_t{1} << (v % 64);
    for (const drug_id p : impl->entries[v].parents) {
      const std::uint64_t* up = impl->bits.data() + p.value * impl->words;
      for (std::size_t w = 0; w < impl->words; ++w) row[w] |= up[w];
    }
  }
  const auto has_bit = [&](std::size_t entry, std::size_t cls) {
    return ((impl->bits[entry * impl->words + cls / 64] >> (cls % 64)) & 1U) != 0;
  };
  const auto find_index = [&](std::string_view code) -> std::optional<std::size_t> {
    const auto it = index.find(std::string(code));
    if (it == index.end()) return std::nullopt;
    return it->second;
  };
  const auto antineoplastic = find_index(drug_catalog::antineoplastic_code);
  const auto supportive = find_index(drug_catalog::supportive_care_code);
  impl->supportive.assign(n, false);
  impl->anticancer.assign(n, false);
  for (std::size_t i = 0; i < n; ++i) {
    impl->supportive[i] = impl->entries[i].supportive || (supportive && has_bit(i, *supportive));
    impl->anticancer[i] =
        !impl->supportive[i] && antineoplastic.has_value() && has_bit(i, *antineoplastic);
  }

  // Lookup tables: codes, then names, then synonyms and brands; earlier entries first.
  for (std::size_t i = 0; i < n; ++i) {
    const drug_entry& e = impl->entries[i];
    const drug_id id{static_cast<std::uint32_t>(i)};
    impl->by_code.emplace(e.code, id);
    if (!e.rxnorm.empty()) impl->by_rxnorm.emplace(vocab::detail::normalize_code(e.rxnorm), id);
    for (const std::string& a : e.atc) impl->by_atc.emplace(vocab::detail::normalize_code(a), id);
  }
  const auto add_key = [&](std::string_view text, drug_id id) {
    const std::string key = vocab::detail::normalize_name(text);
    if (key.empty()) return;
    auto& ids = impl->by_key[key];
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  };
  for (std::size_t i = 0; i < n; ++i) {
    add_key(impl->entries[i].code, drug_id{static_cast<std::uint32_t>(i)});
  }
  for (std::size_t i = 0; i < n; ++i) {
    add_key(impl->entries[i].name, drug_id{static_cast<std::uint32_t>(i)});
  }
  for (std::size_t i = 0; i < n; ++i) {
    const drug_id id{static_cast<std::uint32_t>(i)};
    for (const std::string& s : impl->entries[i].synonyms) add_key(s, id);
    for (const std::string& b : impl->entries[i].brands) add_key(b, id);
  }
  return drug_catalog(std::move(impl));
}

}  // namespace ctm::vocab
