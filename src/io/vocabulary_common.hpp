// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// Helpers shared by the vocabulary readers (private to the library).
#include <ctm/core/result.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace ctm::io::detail {

/// The whole file, or `errc::io_open_failed` / `errc::input_too_large` naming it.
result<std::string> read_vocabulary_file(const std::filesystem::path& file);

/// `errc::input_too_large` when `text` exceeds `max_vocabulary_bytes`.
std::optional<ctm::error> check_vocabulary_size(std::string_view text,
                                                std::string_view source_name);

}  // namespace ctm::io::detail
