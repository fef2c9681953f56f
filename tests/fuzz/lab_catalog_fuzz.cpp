// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// libFuzzer entry point for the lab catalog reader. Any input gives a whole catalog or an error,
// never a crash. Seeds: tests/data/vocab/labs_small.json, data/vocab/labs.json.
#include <ctm/io/vocabulary.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto c = ctm::io::read_lab_catalog(text, "fuzz.json");
  if (!c) return 0;
  for (std::uint32_t i = 0; i < c->size(); ++i) {
    const auto& a = (*c)[ctm::analyte_id{i}];
    if (c->find(a.code) != ctm::analyte_id{i}) std::abort();
    for (const auto& loinc : a.loinc) {
      if (c->find_by_loinc(loinc) != ctm::analyte_id{i}) std::abort();
    }
    if (a.unit && std::find(a.units.begin(), a.units.end(), *a.unit) == a.units.end()) std::abort();
  }
  return 0;
}
