// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Loading a cohort: deriving each patient once and storing the answers to the catalog's queries
// in columns.
#include "batch/store.hpp"
#include "batch/workers.hpp"
#include "core/logging.hpp"

#include <ctm/batch/engine.hpp>
#include <ctm/rules/patient_fact_source.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

namespace ctm::batch {

using detail::answer_row;
using detail::atom;
using detail::atom_path;
using detail::chunk_words;
using detail::column;
using detail::column_kind;
using detail::day_number;
using detail::from_days;
using detail::get_bit;
using detail::npos;
using detail::parallel_units;
using detail::set_bit;
using detail::view_data;
using detail::view_kind;
using detail::word;

namespace {

/// Whether the column holds answers of this alternative.
bool holds(column_kind k, const rules::fact_value& v) {
  switch (k) {
    case column_kind::truth:
      return std::holds_alternative<truth>(v);
    case column_kind::number:
      return std::holds_alternative<rules::number_range>(v);
    case column_kind::measurement:
      return std::holds_alternative<rules::measurement>(v);
    case column_kind::symbol:
      return std::holds_alternative<rules::symbol>(v);
    case column_kind::concepts:
      return std::holds_alternative<rules::concepts>(v);
    case column_kind::event:
      return std::holds_alternative<rules::event>(v);
    case column_kind::generic:
      break;
  }
  return false;
}

template <class T>
std::size_t bytes_of(const std::vector<T>& v) {
  return v.size() * sizeof(T);
}

}  // namespace

// ------------------------------------------------------------------------------------------------
// The cohort handle

cohort::cohort(std::shared_ptr<const detail::cohort_impl> impl) : impl_(std::move(impl)) {}
std::size_t cohort::size() const noexcept { return impl_->size; }
const std::vector<std::string>& cohort::patient_ids() const noexcept { return impl_->ids; }
const std::vector<match::batch_output>& cohort::errors() const noexcept { return impl_->errors; }
date cohort::as_of() const noexcept { return impl_->as_of; }
std::size_t cohort::bytes() const noexcept { return impl_->bytes; }

// ------------------------------------------------------------------------------------------------
// Loading a cohort

namespace {

/// Interning tables of one chunk of patients, merged after the parallel pass.
struct chunk_tables {
  std::vector<std::vector<std::string>> symbols;                           ///< per query
  std::vector<std::map<std::vector<std::uint32_t>, std::uint32_t>> lists;  ///< per query
  std::map<std::vector<std::uint32_t>, std::uint32_t> signatures;
  std::vector<std::vector<answer_row>> rows;  ///< per query
};

std::uint32_t intern(std::map<std::vector<std::uint32_t>, std::uint32_t>& table,
                     std::vector<std::uint32_t> key) {
  const auto it = table.find(key);
  if (it != table.end()) return it->second;
  const auto id = static_cast<std::uint32_t>(table.size());
  table.emplace(std::move(key), id);
  return id;
}

/// Stores one answer of patient `i` into its column and views.
void store(const detail::engine_impl& e, detail::cohort_impl& c, chunk_tables& local,
           std::uint32_t q, std::size_t i, rules::fact_answer&& a,
           const std::vector<std::uint32_t>& views_of_query) {
  column& col = c.columns[q];
  if (a.is_missing()) {
    set_bit(col.missing, i);
    return;
  }
  if (!holds(col.kind, a.value)) {
    local.rows[q].push_back({static_cast<std::uint32_t>(i), std::move(a)});
    return;
  }
  set_bit(col.present, i);
  switch (col.kind) {
    case column_kind::truth: {
      const truth t = std::get<truth>(a.value);
      if (t == truth::yes) set_bit(col.yes, i);
      if (t == truth::no) set_bit(col.no, i);
      break;
    }
    case column_kind::number: {
      const auto& n = std::get<rules::number_range>(a.value);
      for (const std::uint32_t v : views_of_query) {
        view_data& d = c.views[v];
        d.low[i] = n.low;
        d.high[i] = n.high;
        if (!std::isnan(n.low) && !std::isnan(n.high)) set_bit(d.ok, i);
      }
      break;
    }
    case column_kind::measurement: {
      const auto& m = std::get<rules::measurement>(a.value);
      for (const std::uint32_t v : views_of_query) {
        const detail::view_spec& s = e.views[v];
        view_data& d = c.views[v];
        if (s.kind == view_kind::quantity) {
          const auto conv = s.molar ? ctm::convert(m.value, s.unit, ctm::molar_mass{*s.molar})
                                    : ctm::convert(m.value, s.unit);
          if (conv) {
            d.low[i] = conv->value;
            set_bit(d.ok, i);
          }
        } else {
          const std::optional<double> limit = s.kind == view_kind::lln ? m.lln : m.uln;
          if (!limit || !(*limit > 0.0) || !std::isfinite(*limit)) {
            set_bit(d.flag, i);
          } else {
            d.low[i] = m.value.value / *limit;
            set_bit(d.ok, i);
          }
        }
      }
      break;
    }
    case column_kind::symbol: {
      auto& table = local.symbols[q];
      const std::string& text = std::get<rules::symbol>(a.value).text;
      const auto it = std::find(table.begin(), table.end(), text);
      col.symbol[i] = static_cast<std::uint16_t>(it - table.begin());
      if (it == table.end()) table.push_back(text);
      if (!col.has_date.empty() && a.date) {
        set_bit(col.has_date, i);
        col.earliest[i] = day_number(a.date->earliest);
        col.latest[i] = day_number(a.date->latest);
      }
      break;
    }
    case column_kind::concepts: {
      const auto& ids = std::get<rules::concepts>(a.value).ids;
      std::vector<std::uint32_t> key;
      key.reserve(ids.size());
      for (const concept_id id : ids) key.push_back(id.value);
      col.list[i] = intern(local.lists[q], std::move(key));
      break;
    }
    case column_kind::event: {
      const auto& ev = std::get<rules::event>(a.value);
      if (ev.when) {
        set_bit(col.has_date, i);
        col.earliest[i] = day_number(ev.when->earliest);
        col.latest[i] = day_number(ev.when->latest);
      }
      break;
    }
    case column_kind::generic:
      break;
  }
}

}  // namespace

cohort engine::load(std::span<const match::batch_input> patients, date as_of,
                    const batch_options& options) const {
  const detail::engine_impl& e = *impl_;
  const history::vocabularies& vocab = e.matcher.vocabularies();
  auto c = std::make_shared<detail::cohort_impl>();
  c->engine = &e;
  c->as_of = as_of;
  std::vector<const patient*> records;
  for (const auto& in : patients) {
    if (in.error || !in.record) {
      match::batch_output o;
      o.label = in.label;
      o.error = in.error.value_or(
          ctm::error{errc::missing_value, "the patient record could not be read", {}});
      c->errors.push_back(std::move(o));
      continue;
    }
    records.push_back(&*in.record);
    c->ids.push_back(in.record->id);
  }
  const std::size_t n = records.size();
  const std::size_t words = (n + 63) / 64;
  c->size = n;
  c->words = words;

  // Columns sized for every patient, so that chunks (whole words) write without locks.
  std::vector<std::vector<std::uint32_t>> views_of_query(e.queries.size());
  for (std::uint32_t v = 0; v < e.views.size(); ++v) views_of_query[e.views[v].query].push_back(v);
  c->columns.resize(e.queries.size());
  for (std::size_t q = 0; q < e.queries.size(); ++q) {
    column& col = c->columns[q];
    col.kind = e.kinds[q];
    col.missing.assign(words, 0);
    col.present.assign(words, 0);
    switch (col.kind) {
      case column_kind::truth:
        col.yes.assign(words, 0);
        col.no.assign(words, 0);
        break;
      case column_kind::symbol:
        col.symbol.assign(n, 0);
        if (e.dated[q] != 0) {
          col.has_date.assign(words, 0);
          col.earliest.assign(n, 0);
          col.latest.assign(n, 0);
        }
        break;
      case column_kind::concepts:
        col.list.assign(n, 0);
        break;
      case column_kind::event:
        col.has_date.assign(words, 0);
        col.earliest.assign(n, 0);
        col.latest.assign(n, 0);
        break;
      default:
        break;
    }
  }
  c->views.resize(e.views.size());
  for (std::size_t v = 0; v < e.views.size(); ++v) {
    view_data& d = c->views[v];
    d.low.assign(words * 64, 0.0);  // whole words: kernels read 64 values at a time
    if (e.views[v].kind == view_kind::number) d.high.assign(words * 64, 0.0);
    d.ok.assign(words, 0);
    d.flag.assign(words, 0);
  }
  c->signature.assign(n, 0);

  // 1. Derive and answer, one chunk of 16 words per unit of work.
  const std::size_t chunks = (words + chunk_words - 1) / chunk_words;
  std::vector<chunk_tables> tables(chunks);
  parallel_units(chunks, options.threads, [&](std::size_t u) {
    chunk_tables& local = tables[u];
    local.symbols.resize(e.queries.size());
    local.lists.resize(e.queries.size());
    local.rows.resize(e.queries.size());
    const std::size_t end = std::min(n, (u + 1) * chunk_words * 64);
    for (std::size_t i = u * chunk_words * 64; i < end; ++i) {
      const patient& p = *records[i];
      const history::patient_facts facts = history::derive_facts(p, as_of, vocab, options.derive);
      const rules::patient_fact_source source(p, facts, vocab);
      for (std::uint32_t q = 0; q < e.queries.size(); ++q) {
        store(e, *c, local, q, i, source.answer(e.queries[q], as_of), views_of_query[q]);
      }
      std::vector<std::uint32_t> key;
      if (vocab.diseases) {
        for (const concept_id d : match::resolve_diagnoses(p, *vocab.diseases)) {
          key.push_back(d.value);
        }
      }
      c->signature[i] = intern(local.signatures, std::move(key));
    }
  });

  // 2. Merge the chunks' interning tables, in chunk order.
  std::map<std::vector<std::uint32_t>, std::uint32_t> signatures;
  for (std::size_t q = 0; q < e.queries.size(); ++q) {
    column& col = c->columns[q];
    std::map<std::vector<std::uint32_t>, std::uint32_t> lists;
    for (std::size_t u = 0; u < chunks; ++u) {
      chunk_tables& local = tables[u];
      const std::size_t begin = u * chunk_words * 64;
      const std::size_t end = std::min(n, begin + chunk_words * 64);
      for (auto& r : local.rows[q]) col.rows.push_back(std::move(r));
      if (col.kind == column_kind::symbol) {
        std::vector<std::uint16_t> remap;
        bool overflow = false;
        for (const std::string& s : local.symbols[q]) {
          const auto it = std::find(col.symbols.begin(), col.symbols.end(), s);
          if (it == col.symbols.end() && col.symbols.size() >= 0xFFFF) {
            overflow = true;
            remap.push_back(0);
            continue;
          }
          remap.push_back(static_cast<std::uint16_t>(it - col.symbols.begin()));
          if (it == col.symbols.end()) col.symbols.push_back(s);
        }
        for (std::size_t i = begin; i < end; ++i) {
          if (!get_bit(col.present, i)) continue;
          const std::uint16_t local_id = col.symbol[i];
          col.symbol[i] = remap[local_id];
          if (overflow && col.symbols[remap[local_id]] != local.symbols[q][local_id]) {
            // More distinct symbols than the column holds: keep the answer whole.
            rules::fact_answer a;
            a.value = rules::symbol{local.symbols[q][local_id]};
            if (!col.has_date.empty() && get_bit(col.has_date, i)) {
              a.date = from_days(col.earliest[i], col.latest[i]);
            }
            col.present[i / 64] &= ~(word{1} << (i % 64));
            col.rows.push_back({static_cast<std::uint32_t>(i), std::move(a)});
          }
        }
      } else if (col.kind == column_kind::concepts) {
        std::vector<std::uint32_t> remap(local.lists[q].size());
        for (auto& [key, id] : local.lists[q]) {
          const auto it = lists.find(key);
          if (it != lists.end()) {
            remap[id] = it->second;
            continue;
          }
          const auto g = static_cast<std::uint32_t>(lists.size());
          lists.emplace(key, g);
          remap[id] = g;
        }
        for (std::size_t i = begin; i < end; ++i) {
          if (get_bit(col.present, i)) col.list[i] = remap[col.list[i]];
        }
      }
    }
    std::sort(col.rows.begin(), col.rows.end(),
              [](const answer_row& a, const answer_row& b) { return a.patient < b.patient; });
    if (col.kind == column_kind::concepts) {
      std::vector<const std::vector<std::uint32_t>*> by_id(lists.size());
      for (const auto& [key, id] : lists) by_id[id] = &key;
      for (const auto* key : by_id) {
        for (const std::uint32_t v : *key) col.list_ids.push_back(concept_id{v});
        col.list_offsets.push_back(static_cast<std::uint32_t>(col.list_ids.size()));
      }
    }
  }
  for (std::size_t u = 0; u < chunks; ++u) {
    std::vector<std::uint32_t> remap(tables[u].signatures.size());
    for (auto& [key, id] : tables[u].signatures) remap[id] = intern(signatures, key);
    const std::size_t begin = u * chunk_words * 64;
    const std::size_t end = std::min(n, begin + chunk_words * 64);
    for (std::size_t i = begin; i < end; ++i) c->signature[i] = remap[c->signature[i]];
  }
  tables.clear();

  // 3. Each distinct diagnosis set's candidate trials (open or not, any phase: `run` filters).
  c->candidates.resize(signatures.size());
  for (const auto& [key, id] : signatures) {
    match::index_query iq;
    for (const std::uint32_t d : key) iq.diseases.push_back(concept_id{d});
    iq.include_closed = true;
    for (const std::size_t t : e.matcher.index().candidates(iq)) {
      c->candidates[id].push_back(static_cast<std::uint32_t>(t));
    }
  }

  // 4. Numeric views as codes (`view_spec::cuts`): one or two bytes instead of eight.
  for (std::size_t v = 0; v < c->views.size(); ++v) {
    view_data& d = c->views[v];
    const auto& cuts = e.views[v].cuts;
    const std::size_t codes = 2 * cuts.size() + 1;
    if (codes > 0xFFFF) continue;  // keep the doubles
    const auto code = [&](double x) {
      const auto it = std::lower_bound(cuts.begin(), cuts.end(), x);
      const auto i = static_cast<std::size_t>(it - cuts.begin());
      return 2 * i + (it != cuts.end() && *it == x ? 1 : 0);
    };
    bool ranges = false;
    for (std::size_t i = 0; i < n && !d.high.empty(); ++i) {
      if (get_bit(d.ok, i) && code(d.low[i]) != code(d.high[i])) ranges = true;
    }
    const auto encode = [&](auto& low, auto& high) {
      using C = typename std::decay_t<decltype(low)>::value_type;
      low.assign(words * 64, 0);
      if (ranges) high.assign(words * 64, 0);
      for (std::size_t i = 0; i < n; ++i) {
        if (!get_bit(d.ok, i)) continue;
        low[i] = static_cast<C>(code(d.low[i]));
        if (ranges) high[i] = static_cast<C>(code(d.high[i]));
      }
    };
    if (codes <= 0xFF) {
      encode(d.low8, d.high8);
    } else {
      encode(d.low16, d.high16);
    }
    d.low = {};
    d.high = {};
  }

  // 5. What the store holds.
  std::size_t bytes = bytes_of(c->signature);
  for (const auto& list : c->candidates) bytes += bytes_of(list);
  for (const column& col : c->columns) {
    bytes += bytes_of(col.missing) + bytes_of(col.present) + bytes_of(col.yes) + bytes_of(col.no) +
             bytes_of(col.symbol) + bytes_of(col.list) + bytes_of(col.list_offsets) +
             bytes_of(col.list_ids) + bytes_of(col.has_date) + bytes_of(col.earliest) +
             bytes_of(col.latest);
    for (const std::string& s : col.symbols) bytes += s.capacity() + sizeof(std::string);
    bytes += col.rows.size() * sizeof(answer_row);
  }
  for (const view_data& d : c->views) {
    bytes += bytes_of(d.low) + bytes_of(d.high) + bytes_of(d.low8) + bytes_of(d.high8) +
             bytes_of(d.low16) + bytes_of(d.high16) + bytes_of(d.ok) + bytes_of(d.flag);
  }
  c->bytes = bytes;
  ctm::detail::logger().debug("batch: loaded {} patients ({} unusable), {} bytes", n,
                              c->errors.size(), bytes);
  return cohort(std::move(c));
}

}  // namespace ctm::batch
