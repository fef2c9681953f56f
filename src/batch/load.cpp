// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Loading a cohort: deriving each patient once and storing the answers to the catalog's queries
// in columns.
#include "batch/store.hpp"
#include "batch/workers.hpp"
#include "core/logging.hpp"

#include <ctm/batch/engine.hpp>
#include <ctm/core/assert.hpp>
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
using detail::view_spec;
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

namespace detail {
namespace {

/// Interning tables of one chunk of patients, merged into the builder's after each part.
struct chunk_tables {
  std::size_t begin = 0;  ///< the chunk's slots
  std::size_t end = 0;
  std::vector<std::vector<std::string>> symbols;                           ///< per query
  std::vector<std::map<std::vector<std::uint32_t>, std::uint32_t>> lists;  ///< per query
  std::vector<std::vector<answer_row>> rows;                               ///< per query
};

std::uint32_t intern(std::map<std::vector<std::uint32_t>, std::uint32_t>& table,
                     std::vector<std::uint32_t> key) {
  const auto it = table.find(key);
  if (it != table.end()) return it->second;
  const auto id = static_cast<std::uint32_t>(table.size());
  table.emplace(std::move(key), id);
  return id;
}

/// How a numeric view's values are stored: as codes of one or two bytes (`view_spec::cuts`), or
/// as doubles when the codes do not fit two bytes.
unsigned code_bytes(const view_spec& v) {
  const std::size_t codes = 2 * v.cuts.size() + 1;
  return codes <= 0xFF ? 1 : codes <= 0xFFFF ? 2 : 8;
}

/// Writes value [low, high] of slot `i` into view `d` (`high` only where the view keeps ranges)
/// and marks it usable.
void put_value(const view_spec& s, view_data& d, std::size_t i, double low, double high) {
  const auto code = [&](double x) {
    const auto it = std::lower_bound(s.cuts.begin(), s.cuts.end(), x);
    const auto k = static_cast<std::size_t>(it - s.cuts.begin());
    return 2 * k + (it != s.cuts.end() && *it == x ? 1 : 0);
  };
  if (!d.low8.empty()) {
    d.low8[i] = static_cast<std::uint8_t>(code(low));
    if (!d.high8.empty()) d.high8[i] = static_cast<std::uint8_t>(code(high));
  } else if (!d.low16.empty()) {
    d.low16[i] = static_cast<std::uint16_t>(code(low));
    if (!d.high16.empty()) d.high16[i] = static_cast<std::uint16_t>(code(high));
  } else {
    d.low[i] = low;
    if (!d.high.empty()) d.high[i] = high;
  }
  set_bit(d.ok, i);
}

/// Stores one answer of slot `i` into its column and views.
void store(const engine_impl& e, cohort_impl& c, chunk_tables& local, std::uint32_t q,
           std::size_t i, rules::fact_answer&& a,
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
      if (std::isnan(n.low) || std::isnan(n.high)) break;
      for (const std::uint32_t v : views_of_query)
        put_value(e.views[v], c.views[v], i, n.low, n.high);
      break;
    }
    case column_kind::measurement: {
      const auto& m = std::get<rules::measurement>(a.value);
      for (const std::uint32_t v : views_of_query) {
        const view_spec& s = e.views[v];
        view_data& d = c.views[v];
        if (s.kind == view_kind::quantity) {
          const auto conv = s.molar ? ctm::convert(m.value, s.unit, ctm::molar_mass{*s.molar})
                                    : ctm::convert(m.value, s.unit);
          if (conv) put_value(s, d, i, conv->value, conv->value);
        } else {
          const std::optional<double> limit = s.kind == view_kind::lln ? m.lln : m.uln;
          if (!limit || !(*limit > 0.0) || !std::isfinite(*limit)) {
            set_bit(d.flag, i);
          } else {
            const double r = m.value.value / *limit;
            put_value(s, d, i, r, r);
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

/// The state of a cohort being built in parts.
struct builder_impl {
  const engine_impl* e = nullptr;
  batch_options options;
  std::shared_ptr<cohort_impl> c;
  std::vector<std::vector<std::uint32_t>> views_of_query;
  std::map<std::vector<std::uint32_t>, std::uint32_t> signatures;          ///< diagnosis set -> id
  std::vector<std::map<std::vector<std::uint32_t>, std::uint32_t>> lists;  ///< per query

  builder_impl(const engine_impl& engine, date as_of, const batch_options& o)
      : e(&engine), options(o), c(std::make_shared<cohort_impl>()) {
    c->engine = e;
    c->as_of = as_of;
    views_of_query.resize(e->queries.size());
    for (std::uint32_t v = 0; v < e->views.size(); ++v) {
      views_of_query[e->views[v].query].push_back(v);
    }
    lists.resize(e->queries.size());
    c->columns.resize(e->queries.size());
    for (std::size_t q = 0; q < e->queries.size(); ++q) c->columns[q].kind = e->kinds[q];
    c->views.resize(e->views.size());
  }

  /// Grows the arrays each column's and view's kind uses to `n` slots (bitmaps by words, view
  /// values to whole words: kernels read 64 values at a time); new entries are zero.
  void resize(std::size_t n) {
    const std::size_t words = (n + 63) / 64;
    for (std::size_t q = 0; q < e->queries.size(); ++q) {
      column& col = c->columns[q];
      col.missing.resize(words);
      col.present.resize(words);
      const bool dated =
          col.kind == column_kind::event || (col.kind == column_kind::symbol && e->dated[q] != 0);
      if (col.kind == column_kind::truth) {
        col.yes.resize(words);
        col.no.resize(words);
      }
      if (col.kind == column_kind::symbol) col.symbol.resize(n);
      if (col.kind == column_kind::concepts) col.list.resize(n);
      if (dated) {
        col.has_date.resize(words);
        col.earliest.resize(n);
        col.latest.resize(n);
      }
    }
    for (std::size_t v = 0; v < e->views.size(); ++v) {
      view_data& d = c->views[v];
      const bool ranges = e->views[v].kind == view_kind::number;
      const auto fit = [&](auto& low, auto& high) {
        low.resize(words * 64);
        if (ranges) high.resize(words * 64);
      };
      switch (code_bytes(e->views[v])) {
        case 1:
          fit(d.low8, d.high8);
          break;
        case 2:
          fit(d.low16, d.high16);
          break;
        default:
          fit(d.low, d.high);
          break;
      }
      d.ok.resize(words);
      d.flag.resize(words);
    }
    c->signature.resize(n);
    c->size = n;
    c->words = words;
  }

  void add(std::span<const match::batch_input> patients) {
    const history::vocabularies& vocab = e->matcher.vocabularies();
    // 1. The usable records and their diagnosis sets.
    struct entry {
      const patient* record = nullptr;
      std::uint32_t position = 0;
      std::uint32_t signature = 0;
    };
    std::vector<entry> part;
    for (const auto& in : patients) {
      if (in.error || !in.record) {
        match::batch_output o;
        o.label = in.label;
        o.error = in.error.value_or(
            ctm::error{errc::missing_value, "the patient record could not be read", {}});
        c->errors.push_back(std::move(o));
        continue;
      }
      entry en;
      en.record = &*in.record;
      en.position = static_cast<std::uint32_t>(c->ids.size());
      c->ids.push_back(in.record->id);
      std::vector<std::uint32_t> key;
      if (vocab.diseases) {
        for (const concept_id d : match::resolve_diagnoses(*en.record, *vocab.diseases)) {
          key.push_back(d.value);
        }
      }
      en.signature = intern(signatures, std::move(key));
      part.push_back(en);
    }
    // 2. Slots grouped by diagnosis set, so that a word's patients share their candidate trials
    // (input order within a set).
    std::stable_sort(part.begin(), part.end(),
                     [](const entry& a, const entry& b) { return a.signature < b.signature; });
    const std::size_t first = c->size;
    const std::size_t n = first + part.size();
    resize(n);
    c->position.resize(n);
    c->slot.resize(n);
    for (std::size_t k = 0; k < part.size(); ++k) {
      const std::size_t i = first + k;
      c->position[i] = part[k].position;
      c->slot[part[k].position] = static_cast<std::uint32_t>(i);
      c->signature[i] = part[k].signature;
    }

    // 3. Derive and answer, in chunks of whole words (chunk boundaries at multiples of
    // `chunk_words` words, so no two chunks write one word).
    constexpr std::size_t span = chunk_words * 64;
    std::vector<chunk_tables> tables;
    for (std::size_t b = first; b < n; b = (b / span + 1) * span) {
      chunk_tables t;
      t.begin = b;
      t.end = std::min(n, (b / span + 1) * span);
      tables.push_back(std::move(t));
    }
    parallel_units(tables.size(), options.threads, [&](std::size_t u) {
      chunk_tables& local = tables[u];
      local.symbols.resize(e->queries.size());
      local.lists.resize(e->queries.size());
      local.rows.resize(e->queries.size());
      for (std::size_t i = local.begin; i < local.end; ++i) {
        const patient& p = *part[i - first].record;
        const history::patient_facts facts =
            history::derive_facts(p, c->as_of, vocab, options.derive);
        const rules::patient_fact_source source(p, facts, vocab);
        for (std::uint32_t q = 0; q < e->queries.size(); ++q) {
          store(*e, *c, local, q, i, source.answer(e->queries[q], c->as_of), views_of_query[q]);
        }
      }
    });

    // 4. Merge the chunks' interning tables into the cohort's, in slot order.
    for (std::size_t q = 0; q < e->queries.size(); ++q) {
      column& col = c->columns[q];
      for (chunk_tables& local : tables) {
        for (auto& r : local.rows[q]) col.rows.push_back(std::move(r));
        if (col.kind == column_kind::symbol) {
          merge_symbols(col, local.symbols[q], local.begin, local.end);
        } else if (col.kind == column_kind::concepts) {
          std::vector<std::uint32_t> remap(local.lists[q].size());
          for (auto& [key, id] : local.lists[q]) remap[id] = intern(lists[q], key);
          for (std::size_t i = local.begin; i < local.end; ++i) {
            if (get_bit(col.present, i)) col.list[i] = remap[col.list[i]];
          }
        }
      }
    }
  }

  /// Re-numbers a chunk's symbols into the column's table. More distinct symbols than 16 bits
  /// hold: the answers beyond are kept whole as rows.
  static void merge_symbols(column& col, const std::vector<std::string>& local, std::size_t begin,
                            std::size_t end) {
    std::vector<std::uint16_t> remap;
    bool overflow = false;
    for (const std::string& s : local) {
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
      if (overflow && col.symbols[remap[local_id]] != local[local_id]) {
        rules::fact_answer a;
        a.value = rules::symbol{local[local_id]};
        if (!col.has_date.empty() && get_bit(col.has_date, i)) {
          a.date = from_days(col.earliest[i], col.latest[i]);
        }
        col.present[i / 64] &= ~(word{1} << (i % 64));
        col.rows.push_back({static_cast<std::uint32_t>(i), std::move(a)});
      }
    }
  }

  std::shared_ptr<cohort_impl> finish() {
    const std::size_t n = c->size;
    // Rows by slot; concept lists in CSR form.
    for (std::size_t q = 0; q < e->queries.size(); ++q) {
      column& col = c->columns[q];
      std::sort(col.rows.begin(), col.rows.end(),
                [](const answer_row& a, const answer_row& b) { return a.patient < b.patient; });
      if (col.kind != column_kind::concepts) continue;
      std::vector<const std::vector<std::uint32_t>*> by_id(lists[q].size());
      for (const auto& [key, id] : lists[q]) by_id[id] = &key;
      for (const auto* key : by_id) {
        for (const std::uint32_t v : *key) col.list_ids.push_back(concept_id{v});
        col.list_offsets.push_back(static_cast<std::uint32_t>(col.list_ids.size()));
      }
    }
    lists.clear();

    // Each distinct diagnosis set's candidate trials (open or not, any phase: `run` filters).
    c->candidates.resize(signatures.size());
    for (const auto& [key, id] : signatures) {
      match::index_query iq;
      for (const std::uint32_t d : key) iq.diseases.push_back(concept_id{d});
      iq.include_closed = true;
      for (const std::size_t t : e->matcher.index().candidates(iq)) {
        c->candidates[id].push_back(static_cast<std::uint32_t>(t));
      }
    }
    signatures.clear();

    // A view keeps its `high` values only when some value is a range.
    for (view_data& d : c->views) {
      const auto drop_if_single = [&](auto& low, auto& high) {
        if (high.empty()) return;
        for (std::size_t i = 0; i < n; ++i) {
          if (get_bit(d.ok, i) && low[i] != high[i]) return;
        }
        high = {};
      };
      drop_if_single(d.low8, d.high8);
      drop_if_single(d.low16, d.high16);
      drop_if_single(d.low, d.high);
    }

    // What the store holds.
    std::size_t bytes = bytes_of(c->signature) + bytes_of(c->position) + bytes_of(c->slot);
    for (const auto& list : c->candidates) bytes += bytes_of(list);
    for (const column& col : c->columns) {
      bytes += bytes_of(col.missing) + bytes_of(col.present) + bytes_of(col.yes) +
               bytes_of(col.no) + bytes_of(col.symbol) + bytes_of(col.list) +
               bytes_of(col.list_offsets) + bytes_of(col.list_ids) + bytes_of(col.has_date) +
               bytes_of(col.earliest) + bytes_of(col.latest);
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
    return std::move(c);
  }
};

}  // namespace detail

cohort_builder::cohort_builder(std::unique_ptr<detail::builder_impl> impl)
    : impl_(std::move(impl)) {}
cohort_builder::cohort_builder(cohort_builder&&) noexcept = default;
cohort_builder& cohort_builder::operator=(cohort_builder&&) noexcept = default;
cohort_builder::~cohort_builder() = default;

void cohort_builder::add(std::span<const match::batch_input> patients) {
  CTM_ASSERT(impl_ && impl_->c);
  impl_->add(patients);
}

std::size_t cohort_builder::size() const noexcept { return impl_ && impl_->c ? impl_->c->size : 0; }

cohort cohort_builder::finish() {
  CTM_ASSERT(impl_ && impl_->c);
  return cohort(impl_->finish());
}

cohort_builder engine::builder(date as_of, const batch_options& options) const {
  return cohort_builder(std::make_unique<detail::builder_impl>(*impl_, as_of, options));
}

cohort engine::load(std::span<const match::batch_input> patients, date as_of,
                    const batch_options& options) const {
  cohort_builder b = builder(as_of, options);
  b.add(patients);
  return b.finish();
}

}  // namespace ctm::batch
