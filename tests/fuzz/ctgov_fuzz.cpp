// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// libFuzzer entry point for the registry readers (API v2 JSON, legacy XML, NCI CTS, TrialGPT) and
// the eligibility-text splitter: any input gives records or errors, never a crash; every imported
// trial writes canonically and reads back; every split item's span lies inside the text.
#include <ctm/io/ctgov.hpp>
#include <ctm/io/trial_json.hpp>
#include <ctm/trial/eligibility_text.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  ctm::io::registry_options options;
  options.source_name = "fuzz";
  options.max_bytes = 1 << 20;
  for (const auto& record : ctm::io::read_registry(text, options)) {
    if (!record.trial) {
      if (record.trial.error().message.empty()) std::abort();
      continue;
    }
    const std::string written = ctm::io::write_trial(record.trial->document.trial);
    if (!ctm::io::read_trial(written, ctm::io::trial_read_options{})) std::abort();
  }
  // The XML reader directly, whatever the content looks like.
  (void)ctm::io::read_ctgov_xml(text, options);
  const ctm::eligibility_split split = ctm::split_eligibility_text(text);
  for (const auto& item : split.items) {
    if (std::size_t{item.span.offset} + item.span.length > text.size()) std::abort();
    if (item.parent && *item.parent >= split.items.size()) std::abort();
  }
  (void)ctm::eligibility_criteria(split);
  return 0;
}
