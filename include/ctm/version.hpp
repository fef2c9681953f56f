// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

/// The one place the version is written; CMake reads these three lines (cmake/ctm_version.cmake).
#define CTM_VERSION_MAJOR 0
#define CTM_VERSION_MINOR 1
#define CTM_VERSION_PATCH 0

/// Version as a single integer, MMmmpp, for preprocessor comparisons.
#define CTM_VERSION (CTM_VERSION_MAJOR * 10000 + CTM_VERSION_MINOR * 100 + CTM_VERSION_PATCH)

namespace ctm {
/// The library version as "MAJOR.MINOR.PATCH" (of the linked library, not of the headers).
const char* version_string() noexcept;
}  // namespace ctm
