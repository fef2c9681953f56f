// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// Lookup keys shared by the vocabularies (private to the library).
#include <string>
#include <string_view>

namespace ctm::vocab::detail {

/// The lookup key of a name: lower case, every run of punctuation and white space turned into one
/// space, trimmed. "Non-Small Cell Lung Cancer" and "non small-cell  LUNG cancer" share a key.
/// Bytes outside ASCII are kept as they are. Thread-safety: a pure function.
std::string normalize_name(std::string_view text);

/// The lookup key of a code: upper-case ASCII, surrounding white space trimmed.
std::string normalize_code(std::string_view text);

}  // namespace ctm::vocab::detail
