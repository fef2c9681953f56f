// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Time since the last therapy of each kind (domain definitions, section 4.6: washouts).
#include "history/derive_detail.hpp"

#include <ctm/history/time_since.hpp>

#include <string>

namespace ctm::history {

std::string_view to_string(event_kind k) noexcept {
  switch (k) {
    case event_kind::anticancer_therapy:
      return "anticancer_therapy";
    case event_kind::radiotherapy:
      return "radiotherapy";
    case event_kind::major_surgery:
      return "major_surgery";
    case event_kind::minor_surgery:
      return "minor_surgery";
    case event_kind::surgery:
      return "surgery";
    case event_kind::autologous_transplant:
      return "autologous_transplant";
    case event_kind::allogeneic_transplant:
      return "allogeneic_transplant";
    case event_kind::transplant:
      return "transplant";
    case event_kind::car_t:
      break;
  }
  return "car_t";
}

std::optional<day_range> time_since_fact::days_until(ctm::date as_of) const noexcept {
  if (!date) return std::nullopt;
  return days_between(*date, partial_date::exact(as_of));
}

truth time_since_fact::at_least(duration span, ctm::date as_of) const noexcept {
  if (!date) return truth::yes;
  if (ongoing) return truth::no;
  return has_elapsed(*date, span, as_of);
}

namespace detail {
namespace {

/// Keeps the later of the current fact and a new dated record.
void keep_latest(time_since_fact& f, const partial_date& d, bool ongoing,
                 const std::string& record) {
  if (!f.date) {
    f.date = d;
    f.ongoing = ongoing;
    f.source.records = {record};
    return;
  }
  const bool newer =
      f.date->latest < d.latest || (f.date->latest == d.latest && f.date->earliest < d.earliest);
  f.date = later_of(*f.date, d);
  f.ongoing = f.ongoing || ongoing;
  if (newer) {
    f.source.records.insert(f.source.records.begin(), record);
  } else {
    f.source.records.push_back(record);
  }
}

}  // namespace

void derive_time_since(context& cx) {
  auto& events = cx.out.events;
  for (std::size_t k = 0; k < event_kind_count; ++k) {
    events[k].source.rule = "time_since." + std::string(to_string(static_cast<event_kind>(k)));
  }
  auto& therapy = events[static_cast<std::size_t>(event_kind::anticancer_therapy)];
  for (const auto& a : cx.admins) {
    const agent_status& ag = cx.out.agents[a.agent];
    if (!(ag.is_resolved() ? ag.anticancer : a.builds_lines)) continue;
    keep_latest(therapy, a.end, a.ongoing, a.record);
  }
  for (std::size_t j = 0; j < cx.p.procedures.size(); ++j) {
    const auto& pr = cx.p.procedures[j];
    if (!pr.start || cx.as_of < pr.start->earliest) continue;
    partial_date d = pr.end && !(cx.as_of < pr.end->earliest) ? *pr.end : *pr.start;
    if (cx.as_of < d.latest) d = span_of(d.earliest, cx.as_of);
    const bool ongoing = pr.end && cx.as_of < pr.end->earliest;
    const std::string where = pointer("procedures", j);
    auto put = [&](event_kind k) {
      keep_latest(events[static_cast<std::size_t>(k)], d, ongoing, where);
    };
    switch (pr.kind) {
      case procedure_kind::radiotherapy:
        put(event_kind::radiotherapy);
        break;
      case procedure_kind::major_surgery:
        put(event_kind::major_surgery);
        put(event_kind::surgery);
        break;
      case procedure_kind::minor_surgery:
        put(event_kind::minor_surgery);
        put(event_kind::surgery);
        break;
      case procedure_kind::autologous_transplant:
        put(event_kind::autologous_transplant);
        put(event_kind::transplant);
        break;
      case procedure_kind::allogeneic_transplant:
        put(event_kind::allogeneic_transplant);
        put(event_kind::transplant);
        break;
      case procedure_kind::car_t_infusion:
        put(event_kind::car_t);
        break;
      case procedure_kind::other:
        break;
    }
  }
  for (auto& e : events) {
    if (!e.date) {
      e.source.reason = "none recorded on or before the as-of date";
    } else if (e.ongoing) {
      e.source.reason = "still ongoing on the as-of date";
    } else {
      e.source.reason = "the latest recorded on or before the as-of date";
    }
  }
}

}  // namespace detail
}  // namespace ctm::history
