// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Loading vocabulary files, and the bundled defaults embedded from data/vocab/.
#include "io/vocabulary_common.hpp"

#include <ctm/io/vocabulary.hpp>

#include <fstream>
#include <sstream>
#include <system_error>

namespace ctm::detail {
// Defined by the files cmake/ctm_embed.cmake generates from data/vocab/.
extern const std::string_view bundled_diseases_tsv;
extern const std::string_view bundled_drugs_json;
extern const std::string_view bundled_labs_json;
}  // namespace ctm::detail

namespace ctm::io {

namespace detail {

std::optional<ctm::error> check_vocabulary_size(std::string_view text,
                                                std::string_view source_name) {
  if (text.size() <= max_vocabulary_bytes) return std::nullopt;
  return ctm::error{
      errc::input_too_large,
      "the vocabulary is larger than " + std::to_string(max_vocabulary_bytes >> 20) + " MiB",
      {std::string(source_name), 0, 0, ""}};
}

result<std::string> read_vocabulary_file(const std::filesystem::path& file) {
  const std::string name = file.string();
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) {
    return ctm::error{errc::io_open_failed, "is a directory, not a file", {name, 0, 0, ""}};
  }
  const auto bytes = std::filesystem::file_size(file, ec);
  if (!ec && bytes > max_vocabulary_bytes) {
    return ctm::error{
        errc::input_too_large,
        "the vocabulary is larger than " + std::to_string(max_vocabulary_bytes >> 20) + " MiB",
        {name, 0, 0, ""}};
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return ctm::error{errc::io_open_failed, "cannot open the file", {name, 0, 0, ""}};
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) return ctm::error{errc::io_open_failed, "cannot read the file", {name, 0, 0, ""}};
  return std::move(out).str();
}

}  // namespace detail

namespace {

bool looks_like_json(const std::filesystem::path& file, std::string_view text) {
  if (file.extension() == ".json") return true;
  const auto first = text.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && text[first] == '{';
}

}  // namespace

result<vocab::ontology> load_ontology(const std::filesystem::path& file) {
  auto text = detail::read_vocabulary_file(file);
  if (!text) return text.error();
  if (looks_like_json(file, *text)) return read_oncotree_json(*text, file.string());
  return read_disease_tsv(*text, file.string());
}

result<vocab::drug_catalog> load_drug_catalog(const std::filesystem::path& file) {
  auto text = detail::read_vocabulary_file(file);
  if (!text) return text.error();
  return read_drug_catalog(*text, file.string());
}

result<vocab::drug_catalog> load_drug_catalog(const std::filesystem::path& file,
                                              const vocab::drug_catalog& base) {
  auto text = detail::read_vocabulary_file(file);
  if (!text) return text.error();
  return read_drug_catalog(*text, file.string(), base);
}

result<vocab::lab_catalog> load_lab_catalog(const std::filesystem::path& file) {
  auto text = detail::read_vocabulary_file(file);
  if (!text) return text.error();
  return read_lab_catalog(*text, file.string());
}

// Parsed once, on first use (thread-safe static initialisation); copies share the state.
result<vocab::ontology> bundled_ontology() {
  static const result<vocab::ontology> parsed =
      read_disease_tsv(ctm::detail::bundled_diseases_tsv, "bundled:diseases");
  return parsed;
}

result<vocab::drug_catalog> bundled_drug_catalog() {
  static const result<vocab::drug_catalog> parsed =
      read_drug_catalog(ctm::detail::bundled_drugs_json, "bundled:drugs");
  return parsed;
}

result<vocab::lab_catalog> bundled_lab_catalog() {
  static const result<vocab::lab_catalog> parsed =
      read_lab_catalog(ctm::detail::bundled_labs_json, "bundled:labs");
  return parsed;
}

}  // namespace ctm::io
