// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include "io/json_support.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

namespace ctm::io::detail {
namespace {

struct too_deep {};

}  // namespace

ctm::error make_error(const record_place& place, errc code, std::string message,
                      const std::string& pointer, std::uint32_t line, std::uint32_t column) {
  return ctm::error{
      code, std::move(message),
      location{place.file, line != 0 ? line : place.line, column, place.prefix + pointer}};
}

std::string escape_key(std::string_view key) {
  std::string out;
  out.reserve(key.size());
  for (const char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string child(const std::string& pointer, std::string_view key) {
  std::string out = pointer;
  out += '/';
  out += escape_key(key);
  return out;
}

std::string child(const std::string& pointer, std::size_t index) {
  return pointer + "/" + std::to_string(index);
}

std::pair<std::uint32_t, std::uint32_t> line_column(std::string_view text, std::size_t pos) {
  pos = std::min(pos, text.size());
  std::uint32_t line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < pos; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, static_cast<std::uint32_t>(pos - line_start + 1)};
}

bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

json parse_json(std::string_view text, const json_limits& limits, const record_place& place,
                std::uint32_t first_line) {
  if (text.size() > limits.max_bytes) {
    throw read_failure{make_error(
        place, errc::input_too_large,
        "document exceeds the size limit of " + std::to_string(limits.max_bytes) + " bytes", "")};
  }
  const auto max_depth = limits.max_depth;
  const json::parser_callback_t limit_depth = [max_depth](int depth, json::parse_event_t event,
                                                          json&) {
    if ((event == json::parse_event_t::object_start || event == json::parse_event_t::array_start) &&
        static_cast<std::size_t>(depth) >= max_depth) {
      throw too_deep{};
    }
    return true;
  };
  try {
    return json::parse(text.data(), text.data() + text.size(), limit_depth);
  } catch (const json::parse_error& e) {
    const std::size_t pos = e.byte == 0 ? 0 : e.byte - 1;
    const auto [line, column] = line_column(text, pos);
    const bool at_end = e.byte > text.size();
    throw read_failure{
        make_error(place, errc::json_syntax,
                   at_end ? "malformed JSON: unexpected end of input" : "malformed JSON", "",
                   line + first_line - 1, column)};
  } catch (const json::exception&) {
    throw read_failure{make_error(place, errc::json_syntax,
                                  "malformed JSON: a number is out of range", "", first_line)};
  } catch (const too_deep&) {
    throw read_failure{
        make_error(place, errc::input_too_large,
                   "nesting exceeds the depth limit of " + std::to_string(limits.max_depth), "")};
  }
}

result<std::string> read_input_file(const std::filesystem::path& file, std::size_t max_bytes) {
  const std::string name = file.string();
  const auto fail = [&](errc code, std::string message) {
    return ctm::error{code, std::move(message), location{name, 0, 0, ""}};
  };
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail(errc::io_open_failed, "cannot read the file");
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(file, ec);
  if (!ec && bytes > max_bytes) {
    // Large is fine for JSON Lines: look at the beginning (a first record may be up to the limit).
    std::string head(max_bytes, '\0');
    in.read(head.data(), static_cast<std::streamsize>(max_bytes));
    head.resize(static_cast<std::size_t>(in.gcount()));
    if (head.substr(0, 3) == "\xEF\xBB\xBF") head.erase(0, 3);
    if (detect_layout(head) != record_layout::json_lines) {
      return fail(errc::input_too_large, "the file exceeds the size limit of " +
                                             std::to_string(max_bytes) +
                                             " bytes and is not JSON Lines");
    }
    in.clear();
    in.seekg(0);
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return fail(errc::io_open_failed, "cannot read the file");
  return std::move(buffer).str();
}

record_layout detect_layout(std::string_view text) noexcept {
  const std::string_view content = trim(text);
  if (content.empty()) return record_layout::empty;
  if (content.front() == '[') return record_layout::array;
  const std::size_t lead = static_cast<std::size_t>(content.data() - text.data());
  const std::size_t first_end = text.find('\n', lead);
  if (first_end == std::string_view::npos) return record_layout::single;
  const std::string_view first_line = trim(text.substr(lead, first_end - lead));
  const bool more = !trim(text.substr(first_end)).empty();
  const bool object_line =
      first_line.size() >= 2 && first_line.front() == '{' && first_line.back() == '}';
  return more && object_line && json::accept(first_line) ? record_layout::json_lines
                                                         : record_layout::single;
}

}  // namespace ctm::io::detail
