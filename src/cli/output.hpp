// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// Output helpers shared by the subcommands.
#include <ctm/core/error.hpp>

#include <string>
#include <string_view>

namespace ctm::cli {

/// Prints an error to stderr as "ctm: <tagged message>".
void report(const ctm::error& e);

/// Escapes a string for inclusion in a JSON document.
std::string json_escape(std::string_view s);

}  // namespace ctm::cli
