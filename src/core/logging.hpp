// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// Private: the spdlog logger behind ctm/core/log.hpp. Only src/ may include this header.
#include <spdlog/logger.h>

namespace ctm::detail {

/// The library's logger: the host's "ctm" logger from spdlog's registry when it registered one,
/// otherwise a logger whose only sink forwards to the handler set with `ctm::set_log_handler`.
/// Never log patient values through it.
spdlog::logger& logger();

}  // namespace ctm::detail
