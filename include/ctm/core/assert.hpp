// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/export.hpp>

/// CTM_ASSERT(cond): checks a caller's precondition. A broken precondition is a bug in the calling
/// code, never bad data: it aborts with the file and line in Debug and sanitizer builds and
/// compiles to nothing when NDEBUG is defined. It never throws.
namespace ctm::detail {
[[noreturn]] CTM_EXPORT void assert_fail(const char* condition, const char* file,
                                         int line) noexcept;
}  // namespace ctm::detail

#ifdef NDEBUG
#define CTM_ASSERT(cond) static_cast<void>(0)
#else
#define CTM_ASSERT(cond) \
  ((cond) ? static_cast<void>(0) : ::ctm::detail::assert_fail(#cond, __FILE__, __LINE__))
#endif
