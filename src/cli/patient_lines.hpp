// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// Patients read from JSON Lines one line at a time, with bounded memory: used by
// `ctm match --stream` (stdin) and by ctm-mpi (byte ranges of files). Each line is read exactly as
// `ctm match --patients FILE.jsonl` reads it, so that both give the same bytes for the same line.
#include <ctm/match/matcher.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace ctm::cli {

/// Splits a stdio stream into lines. A line longer than `max_line` bytes is cut to that length
/// (the rest of it is skipped), so memory stays bounded by the buffer plus `max_line`.
/// Thread-safety: one reader per thread. Complexity: linear in the bytes read.
class line_reader {
 public:
  line_reader(std::FILE* in, std::size_t max_line);

  /// The next line without its '\n' (a final line without '\n' counts); false at the end of the
  /// input or on a read error (`failed`).
  bool next(std::string& line);

  /// Bytes consumed so far (every line returned and its '\n').
  [[nodiscard]] std::uint64_t consumed() const noexcept { return consumed_; }

  /// Skips up to and including the next '\n'; false when the input ends first.
  bool skip_line();

  /// True when the stream reported a read error.
  [[nodiscard]] bool failed() const noexcept { return failed_; }

 private:
  bool fill();

  std::FILE* in_;
  std::size_t max_line_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  std::uint64_t consumed_ = 0;
  bool eof_ = false;
  bool failed_ = false;
};

/// True when `line` holds only spaces, tabs and line breaks (JSON Lines skips such lines).
[[nodiscard]] bool is_blank_line(std::string_view line) noexcept;

/// Reads line `line_no` (1-based) of `source` as the record number `record_index` (0-based,
/// counting non-blank lines): the patient labelled with its id, or the reader's error labelled
/// "record N of SOURCE (line L)" with the location `ctm match --patients` gives. A UTF-8 byte
/// order mark is dropped from line 1. Never throws except std::bad_alloc.
[[nodiscard]] match::batch_input read_patient_line(std::string_view line, const std::string& source,
                                                   std::uint32_t line_no, std::size_t record_index);

}  // namespace ctm::cli
