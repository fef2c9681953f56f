// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/export.hpp>

#include <cstdint>
#include <functional>
#include <string_view>

namespace ctm {

/// Severity of a library log record (the spdlog levels).
enum class log_level : std::uint8_t { trace, debug, info, warn, error, critical, off };

/// Receives the library's log records. Messages name pipeline stages, counts, files and
/// locations, never a patient's values or identifiers.
using log_handler = std::function<void(log_level level, std::string_view message)>;

/// Routes the library's log records to `handler`; an empty handler discards them (the default).
///
/// The library never installs sinks, never prints and never touches spdlog's default logger. A
/// host that uses spdlog itself may instead register a logger named "ctm" in spdlog's registry
/// before the first ctm call; ctm then logs to it. An exception thrown by the handler is swallowed:
/// logging never changes a result. Thread-safety: safe to call at any time from any thread.
CTM_EXPORT void set_log_handler(log_handler handler);

/// Records below `level` are dropped before they are formatted (default: `warn`).
CTM_EXPORT void set_log_level(log_level level);
CTM_EXPORT log_level get_log_level() noexcept;

/// Parses "trace", "debug", "info", "warn" (or "warning"), "error", "critical", "off".
/// Returns false and leaves `out` unchanged for anything else.
CTM_EXPORT bool parse_log_level(std::string_view text, log_level& out) noexcept;

}  // namespace ctm
