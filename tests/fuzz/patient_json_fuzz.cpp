// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// libFuzzer entry point for the patient readers. Any input must give a result or an error, never
// a crash; a readable record must survive write -> read unchanged. Seeds: tests/golden/io/patient
// and data/patients.
#include <ctm/io/patient_json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto one = ctm::io::read_patient(text);
  if (one) {
    // Round trip: the canonical text reads back to the same record and is a fixed point.
    const std::string written = ctm::io::write_patient(one->patient);
    const auto again = ctm::io::read_patient(written);
    if (!again || !(again->patient == one->patient) ||
        ctm::io::write_patient(again->patient) != written) {
      std::abort();
    }
  }
  const auto many = ctm::io::read_patients(text);
  if (many.size() > size + 1) std::abort();
  return 0;
}
