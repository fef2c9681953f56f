// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include "history/fact_notes.hpp"

#include <ctm/history/performance_status.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <string>
#include <utility>

namespace ctm::history {

namespace {

// Domain definitions 4.2, indexed by KPS / 10.
constexpr std::array<int, 11> convention_a{5, 4, 4, 3, 3, 2, 2, 1, 1, 0, 0};
constexpr std::array<int, 11> convention_b{5, 4, 4, 4, 3, 3, 2, 2, 1, 1, 0};

bool valid_score(const performance_status& s) {
  if (s.scale == performance_scale::ecog) return s.value >= 0 && s.value <= 5;
  return s.value >= 0 && s.value <= 100 && s.value % 10 == 0;
}

struct scored {
  std::size_t index = 0;
  const performance_status* score = nullptr;
};

// The usable scores of `scale` in the window, after noting the unusable ones once.
std::vector<scored> in_window(const patient& p, performance_scale scale, date as_of,
                              const performance_options& options, std::vector<diagnostic>* notes) {
  std::vector<scored> out;
  for (std::size_t i = 0; i < p.performance.size(); ++i) {
    const performance_status& s = p.performance[i];
    if (!s.date) {
      if (notes != nullptr) {
        detail::add_note(*notes, severity::error, errc::missing_value,
                         "a performance-status score without a date is ignored",
                         detail::pointer_to("performance_status", i, "date"));
      }
      continue;
    }
    if (!valid_score(s)) {
      if (notes != nullptr) {
        detail::add_note(*notes, severity::error, errc::invalid_value,
                         s.scale == performance_scale::ecog
                             ? "an ECOG score must be 0-5; the score is ignored"
                             : "a Karnofsky score must be 0-100 in steps of 10; the score is "
                               "ignored",
                         detail::pointer_to("performance_status", i, "value"));
      }
      continue;
    }
    const truth in = detail::in_lookback(*s.date, as_of, options.window);
    if (is_unknown(in) && notes != nullptr) {
      detail::add_note(*notes, severity::warning, errc::inconsistent_dates,
                       "the score's date is not precise enough to tell whether it falls in the "
                       "window; it is ignored",
                       detail::pointer_to("performance_status", i, "date"));
    }
    if (is_yes(in) && s.scale == scale) out.push_back({i, &s});
  }
  return out;
}

// The scores of the most recent day (all of them when several share it).
std::vector<scored> latest_day(const std::vector<scored>& scores) {
  std::vector<scored> out;
  const auto later = [](const partial_date& a, const partial_date& b) {
    using std::chrono::sys_days;
    if (sys_days{a.latest} != sys_days{b.latest}) return sys_days{a.latest} > sys_days{b.latest};
    return sys_days{a.earliest} > sys_days{b.earliest};
  };
  for (const scored& s : scores) {
    if (out.empty() || later(*s.score->date, *out.front().score->date)) {
      out.assign(1, s);
    } else if (!later(*out.front().score->date, *s.score->date)) {
      out.push_back(s);
    }
  }
  return out;
}

truth combine(const std::vector<truth>& answers) {
  if (std::all_of(answers.begin(), answers.end(), [](truth t) { return t == truth::yes; })) {
    return truth::yes;
  }
  if (std::all_of(answers.begin(), answers.end(), [](truth t) { return t == truth::no; })) {
    return truth::no;
  }
  return truth::unknown;
}

// The Kleene answer of "some KPS in [lo, hi] (steps of 10) is >= min_kps" for every one of them.
truth span_at_least(const karnofsky_span& span, int min_kps) {
  if (span.lowest >= min_kps) return truth::yes;
  if (span.highest < min_kps) return truth::no;
  return truth::unknown;
}

void fill(performance_answer& a, const std::vector<scored>& day) {
  for (const scored& s : day) {
    a.source.records.push_back(detail::pointer_to("performance_status", s.index));
  }
  a.scale = day.front().score->scale;
  a.date = day.front().score->date;
}

}  // namespace

std::string_view to_string(ps_convention c) noexcept { return c == ps_convention::a ? "A" : "B"; }

/// Domain definitions 4.2 (Oken et al. 1982 and the two published KPS tables).
std::optional<int> ecog_from_karnofsky(int kps, ps_convention convention) noexcept {
  if (kps < 0 || kps > 100 || kps % 10 != 0) return std::nullopt;
  const auto& table = convention == ps_convention::a ? convention_a : convention_b;
  return table[static_cast<std::size_t>(kps / 10)];
}

std::optional<karnofsky_span> karnofsky_from_ecog(int ecog, ps_convention convention) noexcept {
  if (ecog < 0 || ecog > 5) return std::nullopt;
  const auto& table = convention == ps_convention::a ? convention_a : convention_b;
  std::optional<karnofsky_span> out;
  for (int k = 0; k <= 10; ++k) {
    if (table[static_cast<std::size_t>(k)] != ecog) continue;
    if (!out) out = karnofsky_span{k * 10, k * 10};
    out->highest = k * 10;
  }
  return out;
}

/// Domain definitions 4.2, library rule: the named scale first; a conversion only without it, and
/// unknown when conventions A and B disagree on the answer.
performance_answer ecog_at_most(const patient& p, int max_ecog, date as_of,
                                const performance_options& options) {
  performance_answer a;
  a.source.rule = "performance_status.ecog_at_most";
  const std::string limit = "ECOG <= " + std::to_string(max_ecog);
  const auto ecog = latest_day(in_window(p, performance_scale::ecog, as_of, options, &a.notes));
  if (!ecog.empty()) {
    fill(a, ecog);
    std::vector<truth> answers;
    int worst = 0;
    for (const scored& s : ecog) {
      answers.push_back(to_truth(s.score->value <= max_ecog));
      worst = std::max(worst, s.score->value);
    }
    a.score = worst;
    a.value = combine(answers);
    a.source.reason = is_unknown(a.value)
                          ? "unknown: ECOG scores recorded on the same day disagree on " + limit
                          : "the most recent ECOG score in the " + to_string(options.window) +
                                " window decides " + limit;
    return a;
  }
  const auto kps = latest_day(in_window(p, performance_scale::karnofsky, as_of, options, nullptr));
  if (kps.empty()) {
    a.source.reason =
        "unknown: no ECOG or Karnofsky score in the " + to_string(options.window) + " window";
    return a;
  }
  fill(a, kps);
  a.derived = true;
  std::vector<truth> answers;
  int worst = 100;
  bool conventions_disagree = false;
  for (const scored& s : kps) {
    const int ea = *ecog_from_karnofsky(s.score->value, ps_convention::a);
    const int eb = *ecog_from_karnofsky(s.score->value, ps_convention::b);
    answers.push_back(to_truth(ea <= max_ecog));
    answers.push_back(to_truth(eb <= max_ecog));
    conventions_disagree = conventions_disagree || (ea <= max_ecog) != (eb <= max_ecog);
    worst = std::min(worst, s.score->value);
  }
  a.score = worst;
  a.value = combine(answers);
  if (!is_unknown(a.value)) {
    a.source.reason =
        "derived: no ECOG score in the window; the most recent Karnofsky score "
        "converts to the same answer on " +
        limit + " under conventions A and B";
  } else if (conventions_disagree) {
    a.source.reason =
        "unknown: no ECOG score in the window, and the Karnofsky score converted "
        "under conventions A and B disagrees on " +
        limit;
  } else {
    a.source.reason = "unknown: Karnofsky scores recorded on the same day disagree on " + limit;
  }
  return a;
}

performance_answer karnofsky_at_least(const patient& p, int min_kps, date as_of,
                                      const performance_options& options) {
  performance_answer a;
  a.source.rule = "performance_status.karnofsky_at_least";
  const std::string limit = "Karnofsky >= " + std::to_string(min_kps);
  const auto kps = latest_day(in_window(p, performance_scale::karnofsky, as_of, options, &a.notes));
  if (!kps.empty()) {
    fill(a, kps);
    std::vector<truth> answers;
    int worst = 100;
    for (const scored& s : kps) {
      answers.push_back(to_truth(s.score->value >= min_kps));
      worst = std::min(worst, s.score->value);
    }
    a.score = worst;
    a.value = combine(answers);
    a.source.reason =
        is_unknown(a.value)
            ? "unknown: Karnofsky scores recorded on the same day disagree on " + limit
            : "the most recent Karnofsky score in the " + to_string(options.window) +
                  " window decides " + limit;
    return a;
  }
  const auto ecog = latest_day(in_window(p, performance_scale::ecog, as_of, options, nullptr));
  if (ecog.empty()) {
    a.source.reason =
        "unknown: no Karnofsky or ECOG score in the " + to_string(options.window) + " window";
    return a;
  }
  fill(a, ecog);
  a.derived = true;
  std::vector<truth> answers;
  int worst = 0;
  for (const scored& s : ecog) {
    for (const ps_convention c : {ps_convention::a, ps_convention::b}) {
      answers.push_back(span_at_least(*karnofsky_from_ecog(s.score->value, c), min_kps));
    }
    worst = std::max(worst, s.score->value);
  }
  a.score = worst;
  a.value = combine(answers);
  a.source.reason =
      is_unknown(a.value)
          ? "unknown: no Karnofsky score in the window, and the Karnofsky scores the ECOG score "
            "stands for under conventions A and B do not all agree on " +
                limit
          : "derived: no Karnofsky score in the window; every Karnofsky score the most recent "
            "ECOG score stands for under conventions A and B gives the same answer on " +
                limit;
  return a;
}

}  // namespace ctm::history
