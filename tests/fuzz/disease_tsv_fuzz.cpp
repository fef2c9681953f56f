// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// libFuzzer entry point for the disease TSV reader. Any input gives a whole hierarchy or an error,
// never a crash; a hierarchy that reads keeps the interval invariants. Seeds: tests/data/vocab,
// data/vocab/diseases.tsv, ../shared/data/oncotree/*.tsv.
#include <ctm/io/vocabulary.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {
void check(const ctm::vocab::ontology& o) {
  for (std::uint32_t i = 0; i < o.size(); ++i) {
    const ctm::concept_id id{i};
    if (o.is_a(id, id) != ctm::truth::yes) std::abort();
    const auto path = o.path_to_root(id);
    if (path.empty() || path.back() != o.root()) std::abort();
    if (i < o.tree_size() && o.is_a(id, o.root()) != ctm::truth::yes) std::abort();
    if (o.find(o[id].code) != id) std::abort();
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const auto o = ctm::io::read_disease_tsv(text, "fuzz.tsv")) check(*o);
  return 0;
}
