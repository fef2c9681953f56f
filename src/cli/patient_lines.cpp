// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include "patient_lines.hpp"

#include <ctm/io/patient_json.hpp>

#include <algorithm>
#include <cstring>

namespace ctm::cli {

namespace {
constexpr std::size_t buffer_bytes = std::size_t{1} << 20;
}

line_reader::line_reader(std::FILE* in, std::size_t max_line)
    : in_(in), max_line_(max_line), buffer_(buffer_bytes) {}

bool line_reader::fill() {
  if (eof_ || failed_) return false;
  begin_ = 0;
  end_ = std::fread(buffer_.data(), 1, buffer_.size(), in_);
  if (end_ == 0) {
    if (std::ferror(in_) != 0) failed_ = true;
    eof_ = true;
    return false;
  }
  return true;
}

bool line_reader::next(std::string& line) {
  line.clear();
  bool any = false;
  for (;;) {
    if (begin_ == end_ && !fill()) return any && !failed_;
    any = true;
    const char* start = buffer_.data() + begin_;
    const std::size_t available = end_ - begin_;
    const void* nl = std::memchr(start, '\n', available);
    const std::size_t take =
        nl == nullptr ? available : static_cast<std::size_t>(static_cast<const char*>(nl) - start);
    if (line.size() < max_line_) line.append(start, std::min(take, max_line_ - line.size()));
    begin_ += take;
    consumed_ += take;
    if (nl != nullptr) {
      ++begin_;
      ++consumed_;
      return true;
    }
  }
}

bool line_reader::skip_line() {
  for (;;) {
    if (begin_ == end_ && !fill()) return false;
    const char* start = buffer_.data() + begin_;
    const std::size_t available = end_ - begin_;
    const void* nl = std::memchr(start, '\n', available);
    if (nl == nullptr) {
      begin_ = end_;
      consumed_ += available;
      continue;
    }
    const auto take = static_cast<std::size_t>(static_cast<const char*>(nl) - start) + 1;
    begin_ += take;
    consumed_ += take;
    return true;
  }
}

bool is_blank_line(std::string_view line) noexcept {
  return std::all_of(line.begin(), line.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

match::batch_input read_patient_line(std::string_view line, const std::string& source,
                                     std::uint32_t line_no, std::size_t record_index) {
  if (line_no == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
  io::read_options options;
  options.source_name = source;
  auto document = io::read_patient(line, options);
  match::batch_input in;
  if (document) {
    in.label = document->patient.id;
    in.record = std::move(document->patient);
    return in;
  }
  // As a JSON Lines reader of the whole file would place it: every error of a line is on it.
  ctm::error e = document.error();
  e.where.line = line_no;
  in.label = "record " + std::to_string(record_index + 1) +
             (source.empty() ? std::string() : " of " + source) + " (line " +
             std::to_string(line_no) + ")";
  in.error = std::move(e);
  return in;
}

}  // namespace ctm::cli
