// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// Rule-language spellings of the query enums, both ways. Private to src/rules.
#include <ctm/rules/query.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace ctm::rules::detail {

std::optional<metastatic_site> parse_metastatic_site(std::string_view s) noexcept;
std::optional<condition_kind> parse_condition_kind(std::string_view s) noexcept;
std::optional<biomarker_kind> parse_biomarker_kind(std::string_view s) noexcept;
std::optional<therapy_setting> parse_therapy_setting(std::string_view s) noexcept;
std::optional<preset> parse_preset(std::string_view s) noexcept;
std::optional<event_kind> parse_event_kind(std::string_view s) noexcept;

/// The words the language accepts in each position, comma-separated, for "expected one of"
/// messages.
std::string metastatic_site_names();
std::string condition_kind_names();
std::string biomarker_kind_names();
std::string therapy_setting_names();
std::string event_kind_names();

}  // namespace ctm::rules::detail
