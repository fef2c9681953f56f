// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/diagnostic.hpp>
#include <ctm/export.hpp>
#include <ctm/trial/trial.hpp>

#include <functional>
#include <string_view>
#include <vector>

namespace ctm {

/// Options of `validate(const trial&)`.
struct trial_validate_options {
  /// Returns true for a disease code the caller knows (an ontology's `find`); empty = no check.
  std::function<bool(std::string_view code)> is_known_disease;
};

/// Checks that need no rule compiler: the trial id is an NCT id (`errc::invalid_id`); criterion,
/// arm and definition ids are non-empty, contain only letters, digits, '.', '_' and '-' and are
/// unique (criterion ids across the trial and all its arms; `errc::invalid_id`,
/// `errc::duplicate_id`); `uses` names are identifiers; an `extracted` provenance has a
/// confidence in [0, 1] (`errc::value_out_of_range`); latitudes lie in [-90, 90] and
/// longitudes in [-180, 180] (`errc::value_out_of_range`); the title is not empty and a criterion
/// has text (`errc::missing_value`). Unknown disease codes (when a lookup is given) are warnings
/// with `errc::unknown_code`. Every diagnostic's pointer is the member in the native JSON format
/// (`/arms/2/criteria/0/id`). Never throws except `std::bad_alloc`.
CTM_EXPORT std::vector<diagnostic> validate(const trial& t,
                                            const trial_validate_options& options = {});

}  // namespace ctm
