// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// libFuzzer entry point for the trial JSON readers: any input must give a value or an error, never
// a crash, and whatever reads must write canonically and read back to the same trial.
#include <ctm/io/trial_json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  ctm::io::trial_read_options options;
  options.max_bytes = 1 << 20;
  const auto one = ctm::io::read_trial(text, options);
  if (one) {
    const std::string written = ctm::io::write_trial(one->trial);
    const auto again = ctm::io::read_trial(written, options);
    // Non-finite numbers cannot occur (JSON has none), so the round trip must be exact.
    if (!again || ctm::io::write_trial(again->trial) != written) std::abort();
  }
  for (const auto& record : ctm::io::read_trials(text, options)) {
    if (!record.document && record.document.error().message.empty()) std::abort();
  }
  return 0;
}
