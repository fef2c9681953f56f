// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// A ten-line consumer: links ctm::ctm and uses a public function from a compiled source file.
#include <ctm/ctm.hpp>

#include <cstdio>

int main() {
  const auto d = ctm::parse_date("2024-08-31");
  if (!d || ctm::to_string(ctm::add_months(*d, 6)) != "2025-02-28") return 1;
  std::printf("ctm %s ok\n", ctm::version_string());
  return ctm::all_of(ctm::truth::yes, ctm::truth::unknown) == ctm::truth::unknown ? 0 : 1;
}
