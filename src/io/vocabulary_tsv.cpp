// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// The disease TSV reader: ctm's diseases.tsv and OncoTree's flat release.
#include "io/vocabulary_common.hpp"

#include <ctm/io/vocabulary.hpp>

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace ctm::io {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

struct field {
  std::string_view text;
  std::uint32_t column = 0;  // 1-based byte column of the field's start
};

std::vector<field> split_tabs(std::string_view line) {
  std::vector<field> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t tab = line.find('\t', start);
    const std::size_t stop = tab == std::string_view::npos ? line.size() : tab;
    out.push_back({trim(line.substr(start, stop - start)), static_cast<std::uint32_t>(start + 1)});
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  return out;
}

// Splits a list field on any of `separators`, trimming and dropping empty items.
std::vector<std::string> split_list(std::string_view text, std::string_view separators) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t stop = text.find_first_of(separators, start);
    const std::size_t end = stop == std::string_view::npos ? text.size() : stop;
    const std::string_view item = trim(text.substr(start, end - start));
    if (!item.empty()) out.emplace_back(item);
    if (stop == std::string_view::npos) break;
    start = stop + 1;
  }
  return out;
}

std::optional<vocab::disease_group> group_from_tissue(std::string_view tissue) {
  if (tissue.empty()) return std::nullopt;
  const std::string t = lower(tissue);
  if (t == "myeloid" || t == "lymphoid") return vocab::disease_group::liquid;
  return vocab::disease_group::solid;
}

enum column : std::size_t { code, name, parent, main_type, tissue, group, nci, umls, synonyms };
constexpr std::array<std::string_view, 9> column_names{
    "code", "name", "parent", "main_type", "tissue", "group", "nci", "umls", "synonyms"};
constexpr std::size_t required_columns = 3;
constexpr std::size_t absent = static_cast<std::size_t>(-1);

}  // namespace

result<vocab::ontology> read_disease_tsv(std::string_view text, std::string_view source_name) {
  const std::string source(source_name);
  if (auto e = detail::check_vocabulary_size(text, source_name)) return *e;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // a UTF-8 byte order mark

  vocab::ontology_builder builder(source);
  std::array<std::size_t, column_names.size()> where_is{};
  where_is.fill(absent);
  std::size_t header_fields = 0;
  bool have_header = false;
  std::uint32_t line_number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t newline = text.find('\n', start);
    const std::size_t stop = newline == std::string_view::npos ? text.size() : newline;
    const std::string_view line = text.substr(start, stop - start);
    start = stop + 1;
    ++line_number;
    const ctm::location here{source, line_number, 0, ""};
    if (!line.empty() && line.front() == '#') continue;
    if (trim(line).empty()) continue;
    if (line.find('\0') != std::string_view::npos) {
      return ctm::error{errc::tsv_syntax, "a NUL byte in the line", here};
    }
    const std::vector<field> fields = split_tabs(line);

    if (!have_header) {
      have_header = true;
      header_fields = fields.size();
      for (std::size_t i = 0; i < fields.size(); ++i) {
        const std::string title = lower(fields[i].text);
        for (std::size_t c = 0; c < column_names.size(); ++c) {
          if (title != column_names[c]) continue;
          if (where_is[c] != absent) {
            return ctm::error{errc::tsv_syntax,
                              "the header names column '" + title + "' twice",
                              {source, line_number, fields[i].column, ""}};
          }
          where_is[c] = i;
        }
      }
      for (std::size_t c = 0; c < required_columns; ++c) {
        if (where_is[c] == absent) {
          return ctm::error{errc::tsv_syntax,
                            "the header has no '" + std::string(column_names[c]) + "' column",
                            here};
        }
      }
      continue;
    }

    if (fields.size() != header_fields) {
      return ctm::error{errc::tsv_syntax,
                        "the row has " + std::to_string(fields.size()) +
                            " fields, the header has " + std::to_string(header_fields),
                        here};
    }
    const auto get = [&](column c) -> std::string_view {
      return where_is[c] == absent ? std::string_view{} : fields[where_is[c]].text;
    };
    vocab::disease_record r;
    r.code = std::string(get(column::code));
    r.name = std::string(get(column::name));
    r.parent = std::string(get(column::parent));
    r.main_type = std::string(get(column::main_type));
    r.tissue = std::string(get(column::tissue));
    r.nci = split_list(get(column::nci), ",|");
    r.umls = split_list(get(column::umls), ",|");
    r.synonyms = split_list(get(column::synonyms), "|");
    r.where = here;
    if (where_is[column::group] == absent) {
      r.group = group_from_tissue(r.tissue);
    } else {
      const std::string g = lower(get(column::group));
      if (g == "solid") {
        r.group = vocab::disease_group::solid;
      } else if (g == "liquid") {
        r.group = vocab::disease_group::liquid;
      } else if (!g.empty()) {
        return ctm::error{errc::tsv_syntax,
                          "group must be 'solid', 'liquid' or empty",
                          {source, line_number, fields[where_is[column::group]].column, ""}};
      }
    }
    builder.add(std::move(r));
  }
  if (!have_header) {
    return ctm::error{errc::tsv_syntax, "no header line", {source, 0, 0, ""}};
  }
  return builder.build();
}

}  // namespace ctm::io
