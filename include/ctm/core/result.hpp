// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/assert.hpp>
#include <ctm/core/error.hpp>

#include <type_traits>
#include <utility>
#include <variant>

namespace ctm {

/// A value or the `error` that prevented it; the return type of every fallible reader and parser.
///
/// Like `std::expected<T, error>` (C++23), which it will become. Dereferencing an error result is a
/// precondition violation (`CTM_ASSERT`); `value()` throws `ctm::exception` instead.
/// Thread-safety: a value type; thread-compatible.
template <class T>
class [[nodiscard]] result {
  static_assert(!std::is_same_v<T, ctm::error>, "result<error> is ambiguous");

 public:
  using value_type = T;

  // Implicit on purpose, so `return value;` and `return error{...};` both read naturally.
  result(T value) : state_(std::in_place_index<0>, std::move(value)) {}   // NOLINT
  result(ctm::error e) : state_(std::in_place_index<1>, std::move(e)) {}  // NOLINT

  [[nodiscard]] bool has_value() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  const T& operator*() const& noexcept {
    CTM_ASSERT(has_value());
    return *std::get_if<0>(&state_);
  }
  T& operator*() & noexcept {
    CTM_ASSERT(has_value());
    return *std::get_if<0>(&state_);
  }
  T&& operator*() && noexcept {
    CTM_ASSERT(has_value());
    return std::move(*std::get_if<0>(&state_));
  }
  const T* operator->() const noexcept { return &**this; }
  T* operator->() noexcept { return &**this; }

  /// The value, or throws `ctm::exception` carrying the error.
  const T& value() const& {
    if (!has_value()) throw exception(error());
    return *std::get_if<0>(&state_);
  }
  T&& value() && {
    if (!has_value()) throw exception(error());
    return std::move(*std::get_if<0>(&state_));
  }

  template <class U>
  T value_or(U&& fallback) const& {
    return has_value() ? **this : static_cast<T>(std::forward<U>(fallback));
  }

  const ctm::error& error() const& noexcept {
    CTM_ASSERT(!has_value());
    return *std::get_if<1>(&state_);
  }

 private:
  std::variant<T, ctm::error> state_;
};

/// Success with no value, for operations that only can fail.
struct ok_t {
  friend bool operator==(ok_t, ok_t) = default;
};
inline constexpr ok_t ok{};
using status = result<ok_t>;

}  // namespace ctm
