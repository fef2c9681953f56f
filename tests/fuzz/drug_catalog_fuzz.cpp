// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// libFuzzer entry point for the drug catalog reader, alone and extending the bundled catalog. Any
// input gives a whole catalog or an error, never a crash; a catalog that reads has a transitive
// class closure. Seeds: tests/data/vocab/drugs_*.json, data/vocab/drugs.json.
#include <ctm/io/vocabulary.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {
void check(const ctm::vocab::drug_catalog& c) {
  for (std::uint32_t i = 0; i < c.size(); ++i) {
    const ctm::drug_id id{i};
    if (!c.is_a(id, id)) std::abort();
    for (const auto up : c.ancestors(id)) {
      if (!c.is_a(id, up) || up == id || !c[up].is_class) std::abort();
    }
    if (c.find_code(c[id].code) != id) std::abort();
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const auto c = ctm::io::read_drug_catalog(text, "fuzz.json")) check(*c);
  static const auto base = ctm::io::bundled_drug_catalog();
  if (base) {
    if (const auto c = ctm::io::read_drug_catalog(text, "fuzz.json", *base)) {
      if (c->size() < base->size()) std::abort();
    }
  }
  return 0;
}
