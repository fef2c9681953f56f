// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// libFuzzer entry point for the OncoTree JSON reader. Any input gives a whole hierarchy or an
// error, never a crash. Seeds: tests/data/vocab/oncotree_small.json,
// ../shared/data/oncotree/oncotree_2025_10_03.json.
#include <ctm/io/vocabulary.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto o = ctm::io::read_oncotree_json(text, "fuzz.json");
  if (!o) return 0;
  for (std::uint32_t i = 0; i < o->size(); ++i) {
    const ctm::concept_id id{i};
    if (o->is_a(id, id) != ctm::truth::yes) std::abort();
    if (o->path_to_root(id).back() != o->root()) std::abort();
    for (const auto child : o->children(id)) {
      if (o->is_a(child, id) != ctm::truth::yes) std::abort();
      if (o->is_a(id, child) != ctm::truth::unknown) std::abort();
    }
  }
  return 0;
}
