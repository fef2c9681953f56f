// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// What every JSON reader in io shares: JSON pointers, where a record sits in its input, parsing
// under size and depth limits with line:column errors, and the split of a text into records (one
// document, an array of documents, or JSON Lines). Private to src/io; nlohmann_json stays here.
#include <ctm/core/error.hpp>
#include <ctm/core/result.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ctm::io::detail {

using json = nlohmann::json;

/// Where the current record sits in its input.
struct record_place {
  std::string file;
  std::uint32_t line = 0;  ///< the record's line (JSON Lines), else 0
  std::string prefix;      ///< pointer prefix ("/3" for element 3 of an array)
};

/// Thrown while reading one record; caught where the record's `result` is made, so it never
/// leaves the library.
struct read_failure {
  ctm::error err;
};

/// An error at `place` + `pointer`; `line` (when not 0) overrides the place's line.
ctm::error make_error(const record_place& place, errc code, std::string message,
                      const std::string& pointer, std::uint32_t line = 0, std::uint32_t column = 0);

/// A JSON pointer reference token (RFC 6901: '~' -> "~0", '/' -> "~1").
std::string escape_key(std::string_view key);
std::string child(const std::string& pointer, std::string_view key);
std::string child(const std::string& pointer, std::size_t index);

/// 1-based line and column of the byte at 0-based offset `pos` (clamped to the text).
std::pair<std::uint32_t, std::uint32_t> line_column(std::string_view text, std::size_t pos);

bool is_space(char c) noexcept;
std::string_view trim(std::string_view s) noexcept;

/// The input's limits (each reader's options carry them).
struct json_limits {
  std::size_t max_bytes = 0;
  std::size_t max_depth = 0;
};

/// Parses `text` under `limits`; `first_line` is the line of text[0] in the file. Throws
/// `read_failure` with `json_syntax` (and the line:column) or `input_too_large`.
json parse_json(std::string_view text, const json_limits& limits, const record_place& place,
                std::uint32_t first_line);

/// Reads a whole input file. A file over `max_bytes` is refused (`input_too_large`) unless it is
/// JSON Lines, whose limit applies to each record: a cohort file may be any size. Errors:
/// `io_open_failed`, `input_too_large`; the location names the file only.
result<std::string> read_input_file(const std::filesystem::path& file, std::size_t max_bytes);

/// How a text holds its records.
enum class record_layout : std::uint8_t {
  empty,       ///< nothing but white space
  single,      ///< one document
  array,       ///< a JSON array of documents
  json_lines,  ///< one document per line: the first non-blank line is a whole JSON object
               ///< and more text follows it
};
record_layout detect_layout(std::string_view text) noexcept;

/// Calls `on_value(value, place, line)` for every document of `text` (any `record_layout`; a
/// leading byte-order mark is skipped) and `on_error(error, line)` for each document that does
/// not parse or that `on_value` rejects by throwing `read_failure`. `line` is where the document
/// starts (1 for a single document, 0 inside an array). Errors name the file, the line (JSON
/// Lines) or the document's pointer ("/3"). With `split_arrays` false a top-level array is one
/// document.
template <class OnValue, class OnError>
void for_each_document(std::string_view text, const std::string& source, const json_limits& limits,
                       OnValue&& on_value, OnError&& on_error, bool split_arrays = true) {
  const auto parse_and_read = [&](std::string_view doc, const record_place& place,
                                  std::uint32_t first_line) {
    try {
      on_value(parse_json(doc, limits, place, first_line), place, first_line);
    } catch (const read_failure& f) {
      on_error(f.err, first_line);
    }
  };
  std::string_view body = text;
  if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
  switch (detect_layout(body)) {
    case record_layout::empty:
      return;
    case record_layout::single:
      parse_and_read(body, record_place{source, 0, ""}, 1);
      return;
    case record_layout::array: {
      if (!split_arrays) {
        parse_and_read(body, record_place{source, 0, ""}, 0);
        return;
      }
      json v;
      try {
        v = parse_json(body, limits, record_place{source, 0, ""}, 1);
      } catch (const read_failure& f) {
        on_error(f.err, 0);
        return;
      }
      for (std::size_t i = 0; i < v.size(); ++i) {
        const record_place place{source, 0, "/" + std::to_string(i)};
        try {
          on_value(v[i], place, std::uint32_t{0});
        } catch (const read_failure& f) {
          on_error(f.err, 0);
        }
      }
      return;
    }
    case record_layout::json_lines:
      break;
  }
  std::uint32_t line_no = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t nl = text.find('\n', pos);
    const std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(pos, end - pos);
    ++line_no;
    if (line_no == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    if (!trim(line).empty()) parse_and_read(line, record_place{source, line_no, ""}, line_no);
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
}

/// Reads one record per document with `read(value, place) -> result<T>`; `Record` is an aggregate
/// {index, line, result<T>}. A document that fails keeps its place with its error.
template <class Record, class Read>
std::vector<Record> read_records(std::string_view text, const std::string& source,
                                 const json_limits& limits, Read&& read) {
  std::vector<Record> records;
  for_each_document(
      text, source, limits,
      [&](const json& v, const record_place& place, std::uint32_t line) {
        records.push_back(Record{records.size(), line, read(v, place)});
      },
      [&](const ctm::error& e, std::uint32_t line) {
        records.push_back(Record{records.size(), line, e});
      });
  return records;
}

}  // namespace ctm::io::detail
