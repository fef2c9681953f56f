// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include "vocab/normalize.hpp"

#include <string>

namespace ctm::vocab::detail {
namespace {

// A separator is any ASCII byte that is not a letter or digit; UTF-8 bytes belong to words.
bool is_separator(char c) noexcept {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x80) return false;
  return !((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9'));
}

bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

}  // namespace

// One pass, ASCII case mapping (the classic locale's): derivation normalises a name for every
// lab result and drug administration, so this is on the hot path of loading a cohort.
std::string normalize_name(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (const char c : text) {
    if (is_separator(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

std::string normalize_code(std::string_view text) {
  std::size_t first = 0;
  std::size_t last = text.size();
  while (first < last && is_space(text[first])) ++first;
  while (last > first && is_space(text[last - 1])) --last;
  std::string out(text.substr(first, last - first));
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

}  // namespace ctm::vocab::detail
