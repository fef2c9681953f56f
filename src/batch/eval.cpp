// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// The leaf kernels: each atom's test over 64 patients' column values at once.
#include "batch/eval.hpp"

#include <ctm/batch/engine.hpp>

#include <algorithm>
#include <cmath>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ctm::batch::detail {

namespace {

/// `rules::interval_truth(set, v, v)` for 64 single values at once where `ok` is set: yes when
/// v is in the set, no when it is not (NaN is neither); for a complement, yes outside the closed
/// hole and no inside it.
template <bool LowOpen, bool HighOpen, bool Complement, class T>
void single_values_as(const rules::interval& s, const T* v, word ok, node_words& out) {
  const double low = s.low;
  const double high = s.high;
  word yes = 0;
  word no = 0;
  for (unsigned b = 0; b < 64; ++b) {
    const double x = static_cast<double>(v[b]);  // exact: floats hold only float-exact values
    bool y = false;
    bool n = false;
    if constexpr (Complement) {
      y = x < low || x > high;
      n = x >= low && x <= high;
    } else {
      const bool in = (LowOpen ? x > low : x >= low) && (HighOpen ? x < high : x <= high);
      y = in;
      n = !in && !std::isnan(x);
    }
    yes |= word{y} << b;
    no |= word{n} << b;
  }
  out.yes |= yes & ok;
  out.no |= no & ok;
}

/// Bit b set where (c[b] - low) mod 2^bits <= span, i.e. c[b] in [low, low + span]: 16 codes
/// per SSE2 comparison where the target has SSE2, a plain loop elsewhere.
word band_mask(const std::uint8_t* c, std::uint16_t low, std::uint16_t span) noexcept {
#if defined(__SSE2__)
  const __m128i lo = _mm_set1_epi8(static_cast<char>(low));
  const __m128i sp = _mm_set1_epi8(static_cast<char>(span));
  word m = 0;
  for (unsigned k = 0; k < 4; ++k) {
    const __m128i v =
        _mm_sub_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(c + 16 * k)), lo);  // NOLINT
    const __m128i le = _mm_cmpeq_epi8(_mm_min_epu8(v, sp), v);
    m |= static_cast<word>(static_cast<std::uint16_t>(_mm_movemask_epi8(le))) << (16 * k);
  }
  return m;
#else
  word m = 0;
  for (unsigned b = 0; b < 64; ++b) {
    m |= word{static_cast<std::uint8_t>(c[b] - low) <= span} << b;
  }
  return m;
#endif
}

word band_mask(const std::uint16_t* c, std::uint16_t low, std::uint16_t span) noexcept {
#if defined(__SSE2__)
  // Unsigned 16-bit "<=" as a signed comparison after flipping the top bit.
  const __m128i lo = _mm_set1_epi16(static_cast<short>(low));
  const __m128i flip = _mm_set1_epi16(static_cast<short>(0x8000));
  const __m128i sp = _mm_xor_si128(_mm_set1_epi16(static_cast<short>(span)), flip);
  word m = 0;
  for (unsigned k = 0; k < 8; k += 2) {
    const auto gt = [&](unsigned j) {
      const __m128i v = _mm_sub_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(c + 8 * j)),
                                      lo);  // NOLINT
      return _mm_cmpgt_epi16(_mm_xor_si128(v, flip), sp);
    };
    const __m128i above = _mm_packs_epi16(gt(k), gt(k + 1));
    m |= static_cast<word>(static_cast<std::uint16_t>(~_mm_movemask_epi8(above))) << (8 * k);
  }
  return m;
#else
  word m = 0;
  for (unsigned b = 0; b < 64; ++b) {
    m |= word{static_cast<std::uint16_t>(c[b] - low) <= span} << b;
  }
  return m;
#endif
}

/// Bit b set where low[b] != high[b] (a range rather than a single value).
template <class C>
word ranges_mask(const C* low, const C* high) noexcept {
  word m = 0;
  for (unsigned b = 0; b < 64; ++b) m |= word{low[b] != high[b]} << b;
  return m;
}

/// A view atom over 64 coded values where `ok` is set: a range check on the codes when the
/// atom's table is a band (`atom::band`), else the table, for a single value;
/// `rules::interval_truth` on the codes' representatives for a range.
template <class C>
void coded_values(const atom& a, const std::vector<double>& reps, const C* low, const C* high,
                  word ok, node_words& out) {
  if (ok == 0) return;
  word yes = 0;
  word no = 0;
  if (a.band != band_kind::none) {
    const word inside = band_mask(low, a.band_low, a.band_span);
    yes = a.band == band_kind::yes_inside ? inside : ~inside;
    no = ~yes;
  } else {
    const std::uint8_t* table = a.table.data();
    for (unsigned b = 0; b < 64; ++b) {
      const std::uint8_t t = table[low[b]];
      yes |= word{t == static_cast<std::uint8_t>(truth::yes)} << b;
      no |= word{t == static_cast<std::uint8_t>(truth::no)} << b;
    }
  }
  if (high != nullptr) {
    for_each_bit(ok & ranges_mask(low, high), [&](unsigned b) {
      const word bit = word{1} << b;
      yes &= ~bit;
      no &= ~bit;
      const truth t = rules::interval_truth(a.test.set, reps[low[b]], reps[high[b]]);
      if (t == truth::yes) yes |= bit;
      if (t == truth::no) no |= bit;
    });
  }
  out.yes |= yes & ok;
  out.no |= no & ok;
}

template <class T>
void single_values(const rules::interval& s, const T* v, word ok, node_words& out) {
  if (ok == 0) return;
  if (s.complement) return single_values_as<false, false, true, T>(s, v, ok, out);
  switch ((s.low_open ? 1 : 0) | (s.high_open ? 2 : 0)) {
    case 0:
      return single_values_as<false, false, false, T>(s, v, ok, out);
    case 1:
      return single_values_as<true, false, false, T>(s, v, ok, out);
    case 2:
      return single_values_as<false, true, false, T>(s, v, ok, out);
    default:
      return single_values_as<true, true, false, T>(s, v, ok, out);
  }
}

void put(node_words& out, unsigned b, truth v, bool missing) {
  const word bit = word{1} << b;
  if (v == truth::yes) out.yes |= bit;
  if (v == truth::no) out.no |= bit;
  if (missing) out.missing |= bit;
}

}  // namespace

run_plan make_plan(const engine_impl& e, const cohort_impl& c) {
  CTM_ASSERT(c.engine == &e);
  run_plan plan;
  plan.e = &e;
  plan.c = &c;
  plan.symbol_tables.resize(e.atoms.size());
  plan.elapsed.resize(e.atoms.size());
  for (std::size_t a = 0; a < e.atoms.size(); ++a) {
    const atom& at = e.atoms[a];
    if (at.test.kind == rules::test_kind::elapsed || at.test.kind == rules::test_kind::state_for) {
      plan.elapsed[a] = elapsed_plan::make(at.test.span, c.as_of);
    }
    if (at.path != atom_path::symbol) continue;
    rules::leaf_test t = at.test;
    if (t.kind == rules::test_kind::state_for) t.kind = rules::test_kind::symbol;
    for (const std::string& s : c.columns[at.query].symbols) {
      rules::fact_answer answer;
      answer.value = rules::symbol{s};
      const rules::leaf_value v =
          rules::assess_leaf(t, e.queries[at.query], answer, c.as_of, at.ontology);
      plan.symbol_tables[a].push_back({v.value, v.missing});
    }
  }
  return plan;
}

/// One atom's words over patients [64 w, 64 w + 64).
node_words kernel(const run_plan& plan, std::uint32_t id, std::size_t w) {
  const engine_impl& e = *plan.e;
  const cohort_impl& c = *plan.c;
  const atom& a = e.atoms[id];
  const column& col = c.columns[a.query];
  node_words out;
  out.missing = col.missing[w];
  const word present = col.present[w];
  const std::size_t base = w * 64;
  switch (a.path) {
    case atom_path::truth_bits:
      out.yes = col.yes[w];
      out.no = col.no[w];
      break;
    case atom_path::view: {
      const view_data& d = c.views[a.view];
      const word ok = d.ok[w];
      const auto& reps = e.views[a.view].reps;
      if (!d.low8.empty()) {
        coded_values(a, reps, d.low8.data() + base,
                     d.high8.empty() ? nullptr : d.high8.data() + base, ok, out);
      } else if (!d.low16.empty()) {
        coded_values(a, reps, d.low16.data() + base,
                     d.high16.empty() ? nullptr : d.high16.data() + base, ok, out);
      } else if (d.high.empty()) {
        single_values(a.test.set, d.low.data() + base, ok, out);
      } else {
        const double* low = d.low.data() + base;
        const double* high = d.high.data() + base;
        for_each_bit(ok, [&](unsigned b) {
          put(out, b, rules::interval_truth(a.test.set, low[b], high[b]), false);
        });
      }
      out.missing |= d.flag[w];
      break;
    }
    case atom_path::symbol: {
      const auto& table = plan.symbol_tables[id];
      const bool state_for = a.test.kind == rules::test_kind::state_for;
      for_each_bit(present, [&](unsigned b) {
        const std::size_t i = base + b;
        const symbol_entry& s = table[col.symbol[i]];
        if (!state_for || s.value == truth::no) return put(out, b, s.value, s.missing);
        if (!get_bit(col.has_date, i)) return put(out, b, truth::unknown, true);
        const truth v = all_of(s.value, plan.elapsed[id].truth_of(col.earliest[i], col.latest[i],
                                                                  a.test.span, c.as_of));
        put(out, b, v, s.missing);
      });
      break;
    }
    case atom_path::concepts: {
      if (!a.ontology) break;
      // Slots are grouped by diagnosis set, so neighbours mostly hold the same list: test each
      // run of one list once.
      std::uint32_t last = npos;
      truth value = truth::unknown;
      bool missing = false;
      for_each_bit(present, [&](unsigned b) {
        const std::uint32_t l = col.list[base + b];
        if (l != last) {
          last = l;
          const std::span<const concept_id> ids(col.list_ids.data() + col.list_offsets[l],
                                                col.list_offsets[l + 1] - col.list_offsets[l]);
          missing = ids.empty();
          value =
              missing ? truth::unknown : rules::concepts_truth(ids, a.test.targets, *a.ontology);
        }
        put(out, b, value, missing);
      });
      break;
    }
    case atom_path::elapsed: {
      const elapsed_plan& ep = plan.elapsed[id];
      for_each_bit(present, [&](unsigned b) {
        const std::size_t i = base + b;
        if (!get_bit(col.has_date, i)) return put(out, b, ep.never, false);
        put(out, b, ep.truth_of(col.earliest[i], col.latest[i], a.test.span, c.as_of), false);
      });
      break;
    }
    case atom_path::wrong_kind:
    case atom_path::generic:
      break;
  }
  if (!col.rows.empty()) {
    auto it = std::lower_bound(col.rows.begin(), col.rows.end(), base,
                               [](const answer_row& r, std::size_t p) { return r.patient < p; });
    for (; it != col.rows.end() && it->patient < base + 64; ++it) {
      const auto b = static_cast<unsigned>(it->patient - base);
      const word bit = word{1} << b;
      out.yes &= ~bit;
      out.no &= ~bit;
      out.missing &= ~bit;
      const rules::leaf_value v =
          rules::assess_leaf(a.test, e.queries[a.query], it->answer, c.as_of, a.ontology);
      put(out, b, v.value, v.missing);
    }
  }
  return out;
}

node_words verdict_words(const run_plan& plan, const criterion_spec& s, std::size_t w,
                         scratch& sc) {
  return criterion_words(
      s, [&](std::uint32_t id) { return cached_kernel(plan, id, w, sc); }, sc.stack);
}

}  // namespace ctm::batch::detail
