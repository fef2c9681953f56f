// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include "vocab/normalize.hpp"

#include <boost/algorithm/string/case_conv.hpp>
#include <boost/algorithm/string/join.hpp>
#include <boost/algorithm/string/split.hpp>
#include <boost/algorithm/string/trim.hpp>

#include <locale>
#include <vector>

namespace ctm::vocab::detail {
namespace {

// A separator is any ASCII byte that is not a letter or digit; UTF-8 bytes belong to words.
bool is_separator(char c) noexcept {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x80) return false;
  return !((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9'));
}

}  // namespace

std::string normalize_name(std::string_view text) {
  const std::string lowered =
      boost::algorithm::to_lower_copy(std::string(text), std::locale::classic());
  std::vector<std::string> words;
  boost::algorithm::split(words, lowered, is_separator, boost::algorithm::token_compress_on);
  std::erase_if(words, [](const std::string& w) { return w.empty(); });
  return boost::algorithm::join(words, " ");
}

std::string normalize_code(std::string_view text) {
  return boost::algorithm::to_upper_copy(boost::algorithm::trim_copy(std::string(text)),
                                         std::locale::classic());
}

}  // namespace ctm::vocab::detail
