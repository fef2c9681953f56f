// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// Locations of test inputs, set by tests/CMakeLists.txt.
#include <filesystem>
#include <string>

namespace ctm::test {

/// The repository root.
inline std::filesystem::path source_dir() { return CTM_TEST_SOURCE_DIR; }

/// ../shared/data beside the checkout; may not exist on every machine.
inline std::filesystem::path shared_data_dir() { return CTM_SHARED_DATA_DIR; }

/// True when the shared reference data is present; tests that need it skip otherwise and say so.
inline bool have_shared_data() { return std::filesystem::is_directory(shared_data_dir()); }

}  // namespace ctm::test

/// Skips the rest of the test case with a visible message when ../shared/data is absent.
#define CTM_REQUIRE_SHARED_DATA()                                                         \
  do {                                                                                    \
    if (!::ctm::test::have_shared_data()) {                                               \
      MESSAGE("skipped: ../shared/data not found at " << ::ctm::test::shared_data_dir()); \
      return;                                                                             \
    }                                                                                     \
  } while (false)
