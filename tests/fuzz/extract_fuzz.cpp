// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// libFuzzer entry point for rule extraction from criterion text (ctm::extract_rule): any text, as
// an inclusion and as an exclusion, gives a rule or nothing, never a crash; every rule given
// parses and checks against the bundled vocabularies, its kind is a listed kind, its span lies in
// the text and its confidence in (0, 1].
#include <ctm/io/vocabulary.hpp>
#include <ctm/rules/ast.hpp>
#include <ctm/rules/check.hpp>
#include <ctm/trial/extract.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

const ctm::rules::environment& env() {
  static const ctm::rules::environment e = [] {
    ctm::rules::environment x;
    x.ontology = ctm::io::bundled_ontology().value();
    x.drugs = ctm::io::bundled_drug_catalog().value();
    x.labs = ctm::io::bundled_lab_catalog().value();
    return x;
  }();
  return e;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto& kinds = ctm::extraction_kinds();
  for (const auto kind : {ctm::criterion_kind::inclusion, ctm::criterion_kind::exclusion}) {
    const auto e = ctm::extract_rule(text, kind, env());
    if (!e) continue;
    if (std::size_t{e->span.offset} + e->span.length > text.size()) std::abort();
    if (!(e->confidence > 0.0 && e->confidence <= 1.0)) std::abort();
    if (std::find(kinds.begin(), kinds.end(), e->kind) == kinds.end()) std::abort();
    if (!ctm::rules::check(ctm::rules::parse(e->rule), env()).ok()) std::abort();
  }
  return 0;
}
