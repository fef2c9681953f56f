// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

/// Umbrella header: every public module header. Convenient for examples and quick starts; library
/// code includes the fine-grained headers it uses.
#include <ctm/core/assert.hpp>
#include <ctm/core/date.hpp>
#include <ctm/core/error.hpp>
#include <ctm/core/ids.hpp>
#include <ctm/core/log.hpp>
#include <ctm/core/quantity.hpp>
#include <ctm/core/result.hpp>
#include <ctm/core/truth.hpp>
#include <ctm/version.hpp>
