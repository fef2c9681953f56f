// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

/// Forward declarations of ctm's public types, for headers that only pass them by reference.
#include <cstdint>

namespace ctm {
enum class truth : std::uint8_t;
enum class errc : std::uint16_t;
enum class unit : std::uint8_t;
enum class time_unit : std::uint8_t;
struct error;
struct location;
struct quantity;
struct duration;
struct partial_date;
template <class T>
class result;
template <class Tag>
struct strong_id;
}  // namespace ctm
