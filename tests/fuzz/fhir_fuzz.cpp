// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// libFuzzer entry point for the FHIR reader: any input gives patients or errors, never a crash, and
// every imported patient writes canonically and reads back.
#include <ctm/io/fhir.hpp>
#include <ctm/io/patient_json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  ctm::io::fhir_options options;
  options.source_name = "fuzz";
  options.max_bytes = 1 << 20;
  for (const auto& record : ctm::io::read_fhir(text, options)) {
    if (!record.patient) {
      if (record.patient.error().message.empty()) std::abort();
      continue;
    }
    const std::string written = ctm::io::write_patient(record.patient->document.patient);
    ctm::io::read_options read;
    read.validate = false;
    if (!ctm::io::read_patient(written, read)) std::abort();
  }
  (void)ctm::io::is_fhir_json(text);
  return 0;
}
