// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// The ctm-mpi tool: `ctm match` and `ctm feasibility` over the ranks of an MPI job
// (docs/scale-out.md). Every rank loads the catalog and vocabularies itself; the patient files
// (JSON Lines) are cut into blocks of about --block-bytes split on line boundaries, dealt to the
// ranks round-robin, and each rank matches its block on all its cores. Round k holds blocks
// k*P .. k*P+P-1 in input order, so one collective step per round gives every rank the line and
// record numbers its block starts at and the byte offset its results go to in the output file:
// results land in input order, byte-identical to `ctm match --format json` on the same files.
// Uses only the public API, the result formatting of the ctm tool and MPI's C API.
#include "commands/match_support.hpp"
#include "parallel.hpp"
#include "patient_lines.hpp"
#include "report.hpp"

#include <ctm/core/log.hpp>
#include <ctm/io/patient_json.hpp>
#include <ctm/version.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <fcntl.h>
#include <filesystem>
#include <limits>
#include <memory>
#include <mpi.h>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <sys/resource.h>
#include <system_error>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

namespace ctm::cli {
namespace {

using namespace matching;

constexpr std::uint64_t default_block_bytes = std::uint64_t{8} << 20;

struct mpi_cli_options {
  common_options common;
  std::vector<std::string> patients;
  std::string out;
  std::size_t top = 10;
  bool include_ineligible = false;
  bool include_closed = false;
  bool status_only = false;
  std::string trial;
  std::string arm;
  std::uint64_t block_bytes = default_block_bytes;
  std::size_t chunk = 128;
};

struct world {
  int rank = 0;
  int size = 1;
  unsigned threads = 1;
};

/// A contiguous byte range of one patient file; a line belongs to the block holding its first
/// byte.
struct block {
  std::size_t file = 0;
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
};

/// What one rank did, gathered to rank 0 for the run statistics.
struct rank_stats {
  double blocks = 0;
  double bytes = 0;
  double records = 0;
  double errors = 0;
  double load_s = 0;   // catalog, vocabularies and definitions: read and compiled
  double read_s = 0;   // reading and parsing its blocks
  double match_s = 0;  // matching (or feasibility) on its threads
  double write_s = 0;  // formatting and writing its results
  double wait_s = 0;   // in collective steps, waiting for the other ranks
};
constexpr int stats_fields = 10;  // the above and the rank's processor time

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

std::string range_text(const std::string& path, const block& b) {
  return path + " bytes [" + std::to_string(b.begin) + ", " + std::to_string(b.end) + ")";
}

/// Ends the whole job: a message naming the rank and what it was reading, then MPI_Abort. The
/// output file is never renamed into place, so nothing that looks complete is left behind.
[[noreturn]] void fail_rank(const world& w, const std::string& what, const std::string& why,
                            const std::string& out) {
  std::fprintf(stderr, "ctm-mpi: rank %d of %d failed on %s: %s; the job is stopped%s\n", w.rank,
               w.size, what.c_str(), why.c_str(),
               out.empty() ? "" : ("; " + out + " is not written").c_str());
  std::fflush(stderr);
  MPI_Abort(MPI_COMM_WORLD, exit_input);
  std::abort();
}

/// Silences stderr on every rank but 0 while the catalog loads: every rank reads the same files
/// and would repeat the same diagnostics.
class quiet_stderr {
 public:
  explicit quiet_stderr(bool quiet) {
    if (!quiet) return;
    std::fflush(stderr);
    saved_ = dup(STDERR_FILENO);
    const int null = open("/dev/null", O_WRONLY);
    if (saved_ < 0 || null < 0) return;
    dup2(null, STDERR_FILENO);
    close(null);
  }
  ~quiet_stderr() {
    if (saved_ < 0) return;
    std::fflush(stderr);
    dup2(saved_, STDERR_FILENO);
    close(saved_);
  }
  quiet_stderr(const quiet_stderr&) = delete;
  quiet_stderr& operator=(const quiet_stderr&) = delete;

 private:
  int saved_ = -1;
};

/// The blocks of every file, in input order. Rank 0 reads the sizes and broadcasts them, so every
/// rank cuts the same blocks.
std::vector<block> plan_blocks(const world& w, const std::vector<std::string>& files,
                               std::uint64_t block_bytes, const std::string& out) {
  std::vector<std::uint64_t> sizes(files.size(), 0);
  if (w.rank == 0) {
    for (std::size_t i = 0; i < files.size(); ++i) {
      std::error_code ec;
      if (!std::filesystem::is_regular_file(files[i], ec)) {
        fail_rank(w, "patients " + files[i] + " (the whole file)",
                  ec ? ec.message() : "not a readable file", out);
      }
      sizes[i] = std::filesystem::file_size(files[i], ec);
      if (ec) fail_rank(w, "patients " + files[i] + " (the whole file)", ec.message(), out);
    }
  }
  MPI_Bcast(sizes.data(), static_cast<int>(sizes.size()), MPI_UINT64_T, 0, MPI_COMM_WORLD);
  // Small inputs get smaller blocks (at least 4 per rank, none under 64 KiB), so that every rank
  // has work; --block-bytes is the upper bound.
  std::uint64_t total = 0;
  for (const auto s : sizes) total += s;
  const std::uint64_t share = total / (4 * static_cast<std::uint64_t>(w.size));
  block_bytes = std::min(block_bytes, std::max(share, std::uint64_t{64} << 10));
  std::vector<block> blocks;
  for (std::size_t f = 0; f < files.size(); ++f) {
    for (std::uint64_t b = 0; b < sizes[f]; b += block_bytes) {
      blocks.push_back(block{f, b, std::min(sizes[f], b + block_bytes)});
    }
  }
  return blocks;
}

/// The lines that start inside `b` (blank ones included, so that lines can be numbered).
std::vector<std::string> read_block(const world& w, const std::string& path, const block& b,
                                    const std::string& out) {
  std::vector<std::string> lines;
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                             &std::fclose);
  if (!file) fail_rank(w, "patients " + range_text(path, b), "cannot open the file", out);
  // Start after the first '\n' at or after begin - 1: a line belongs to the block of its first
  // byte.
  const std::uint64_t start = b.begin == 0 ? 0 : b.begin - 1;
  if (start > static_cast<std::uint64_t>(std::numeric_limits<off_t>::max()) ||
      fseeko(file.get(), static_cast<off_t>(start), SEEK_SET) != 0) {
    fail_rank(w, "patients " + range_text(path, b), "cannot seek in the file", out);
  }
  line_reader reader(file.get(), io::read_options{}.max_bytes + 1);
  if (b.begin != 0 && !reader.skip_line()) {
    if (reader.failed()) fail_rank(w, "patients " + range_text(path, b), "read error", out);
    return lines;
  }
  std::string line;
  while (start + reader.consumed() < b.end && reader.next(line)) lines.push_back(std::move(line));
  if (reader.failed()) fail_rank(w, "patients " + range_text(path, b), "read error", out);
  return lines;
}

/// Per-round numbering: where in its file and in the whole input each rank's block starts.
struct numbering {
  std::size_t file = SIZE_MAX;
  std::uint64_t lines_in_file = 0;  // lines of `file` in the rounds so far
  std::uint64_t records = 0;        // non-blank lines of every file so far
};

/// One round: every rank (with a block or not) takes part in the collective steps.
struct round_input {
  std::vector<match::batch_input> inputs;
  const block* where = nullptr;
};

class driver {
 public:
  driver(world w, const mpi_cli_options& o, std::vector<block> blocks, std::string out)
      : w_(w), o_(o), blocks_(std::move(blocks)), out_(std::move(out)) {}

  [[nodiscard]] std::size_t rounds() const {
    const auto p = static_cast<std::size_t>(w_.size);
    return (blocks_.size() + p - 1) / p;
  }

  /// Reads this rank's block of round `k` (if any) and numbers its records. Collective.
  round_input read_round(std::size_t k, rank_stats& stats) {
    round_input r;
    const std::size_t mine =
        k * static_cast<std::size_t>(w_.size) + static_cast<std::size_t>(w_.rank);
    std::vector<std::string> lines;
    double t = MPI_Wtime();
    if (mine < blocks_.size()) {
      r.where = &blocks_[mine];
      lines = read_block(w_, o_.patients[r.where->file], *r.where, out_);
      stats.blocks += 1;
      stats.bytes += static_cast<double>(r.where->end - r.where->begin);
    }
    std::array<std::uint64_t, 2> counts{lines.size(), 0};
    for (const auto& l : lines) counts[1] += is_blank_line(l) ? 0U : 1U;
    std::vector<std::uint64_t> all(2 * static_cast<std::size_t>(w_.size));
    stats.read_s += MPI_Wtime() - t;
    t = MPI_Wtime();
    MPI_Allgather(counts.data(), 2, MPI_UINT64_T, all.data(), 2, MPI_UINT64_T, MPI_COMM_WORLD);
    stats.wait_s += MPI_Wtime() - t;
    t = MPI_Wtime();
    std::uint64_t line_base = 0;
    std::uint64_t record_base = 0;
    for (std::size_t i = 0; i < static_cast<std::size_t>(w_.size); ++i) {
      const std::size_t g = k * static_cast<std::size_t>(w_.size) + i;
      if (g >= blocks_.size()) break;
      if (blocks_[g].file != at_.file) {
        at_.file = blocks_[g].file;
        at_.lines_in_file = 0;
      }
      if (g == mine) {
        line_base = at_.lines_in_file;
        record_base = at_.records;
      }
      at_.lines_in_file += all[2 * i];
      at_.records += all[2 * i + 1];
    }
    if (r.where != nullptr) {
      const std::string& path = o_.patients[r.where->file];
      std::vector<std::size_t> records;  // the non-blank lines
      records.reserve(counts[1]);
      for (std::size_t j = 0; j < lines.size(); ++j) {
        if (!is_blank_line(lines[j])) records.push_back(j);
      }
      r.inputs.resize(records.size());
      parallel_for(records.size(), w_.threads, [&](std::size_t i) {
        const std::size_t j = records[i];
        r.inputs[i] =
            read_patient_line(lines[j], path, static_cast<std::uint32_t>(line_base + j + 1),
                              static_cast<std::size_t>(record_base + i));
        std::string().swap(lines[j]);
      });
      for (const auto& in : r.inputs) {
        if (!in.error) continue;
        stats.errors += 1;
        std::fprintf(stderr, "ctm-mpi: rank %d: patient %s: %s\n", w_.rank, in.label.c_str(),
                     ctm::to_string(*in.error).c_str());
      }
      stats.records += static_cast<double>(r.inputs.size());
    }
    stats.read_s += MPI_Wtime() - t;
    return r;
  }

 private:
  world w_;
  const mpi_cli_options& o_;
  std::vector<block> blocks_;
  std::string out_;
  numbering at_;
};

match::match_options make_options(const world& w, const mpi_cli_options& o) {
  match::match_options options;
  options.top_k = o.top;
  options.include_ineligible = o.include_ineligible;
  options.include_closed = o.include_closed;
  options.threads = w.threads;
  return options;
}

/// Gathers every rank's statistics to rank 0 and prints them on stderr.
void print_stats(const world& w, const rank_stats& mine, double elapsed, const char* verb) {
  const std::array<double, stats_fields> v{mine.blocks, mine.bytes,   mine.records, mine.errors,
                                           mine.load_s, mine.read_s,  mine.match_s, mine.write_s,
                                           mine.wait_s, cpu_seconds()};
  std::vector<double> all(w.rank == 0 ? stats_fields * static_cast<std::size_t>(w.size) : 0);
  MPI_Gather(v.data(), stats_fields, MPI_DOUBLE, all.data(), stats_fields, MPI_DOUBLE, 0,
             MPI_COMM_WORLD);
  char host[MPI_MAX_PROCESSOR_NAME] = {};
  int host_len = 0;
  MPI_Get_processor_name(host, &host_len);
  std::vector<char> hosts(w.rank == 0 ? MPI_MAX_PROCESSOR_NAME * static_cast<std::size_t>(w.size)
                                      : 0);
  MPI_Gather(host, MPI_MAX_PROCESSOR_NAME, MPI_CHAR, hosts.data(), MPI_MAX_PROCESSOR_NAME, MPI_CHAR,
             0, MPI_COMM_WORLD);
  if (w.rank != 0) return;
  double records = 0;
  double errors = 0;
  for (int r = 0; r < w.size; ++r) {
    records += all[static_cast<std::size_t>(r) * stats_fields + 2];
    errors += all[static_cast<std::size_t>(r) * stats_fields + 3];
  }
  std::fprintf(stderr,
               "ctm-mpi: %s %.0f patients (%.0f unreadable) on %d rank%s x %u thread%s in %.3f s "
               "(%.1f patients/s)\n",
               verb, records, errors, w.size, w.size == 1 ? "" : "s", w.threads,
               w.threads == 1 ? "" : "s", elapsed, elapsed > 0 ? records / elapsed : 0.0);
  std::fprintf(stderr, "  %4s  %-16s %6s %12s %9s %6s %8s %8s %8s %8s %8s %8s\n", "rank", "host",
               "blocks", "bytes", "patients", "errors", "load s", "read s", "match s", "write s",
               "wait s", "cpu s");
  for (int r = 0; r < w.size; ++r) {
    const double* s = &all[static_cast<std::size_t>(r) * stats_fields];
    const char* h = &hosts[static_cast<std::size_t>(r) * MPI_MAX_PROCESSOR_NAME];
    std::fprintf(stderr,
                 "  %4d  %-16.16s %6.0f %12.0f %9.0f %6.0f %8.3f %8.3f %8.3f %8.3f %8.3f %8.3f\n",
                 r, h, s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9]);
  }
}

/// The as-of date, parsed on every rank and reported by rank 0. Collective.
std::optional<date> as_of_date(const world& w, const mpi_cli_options& o) {
  const quiet_stderr quiet(w.rank != 0);
  return parse_as_of(o.common.as_of);
}

/// Every rank reads the catalog, vocabularies and definitions itself (docs/scale-out.md says
/// why). Trial records that cannot be read count as errors, as in `ctm match`. Collective: when
/// any rank cannot build the matcher, every rank returns nullopt.
std::optional<match::matcher> load_matcher(const world& w, const mpi_cli_options& o,
                                           rank_stats& stats, int& trial_errors) {
  const double t = MPI_Wtime();
  std::optional<match::matcher> matcher;
  {
    const quiet_stderr quiet(w.rank != 0);
    auto trials = load_trials(o.common.trials, trial_errors);
    matcher = build_matcher(std::move(trials), o.common);
  }
  stats.load_s = MPI_Wtime() - t;
  const int ok = matcher ? 1 : 0;
  int all_ok = 0;
  MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  if (ok == 0 && w.rank != 0) {
    std::fprintf(stderr,
                 "ctm-mpi: rank %d of %d: cannot load the trials, vocabularies or "
                 "definitions\n",
                 w.rank, w.size);
  }
  if (all_ok == 0) return std::nullopt;
  return matcher;
}

/// Writes `data` at `offset`, in pieces MPI's int counts can hold.
bool write_at(MPI_File fh, std::uint64_t offset, const std::string& data) {
  constexpr std::size_t piece = std::size_t{1} << 30;
  for (std::size_t done = 0; done < data.size(); done += piece) {
    const std::size_t n = std::min(piece, data.size() - done);
    MPI_Status status;
    if (MPI_File_write_at(fh, static_cast<MPI_Offset>(offset + done), data.data() + done,
                          static_cast<int>(n), MPI_CHAR, &status) != MPI_SUCCESS) {
      return false;
    }
  }
  return true;
}

int run_match(const world& w, const mpi_cli_options& o) {
  const double start = MPI_Wtime();
  const auto as_of = as_of_date(w, o);
  if (!as_of) return exit_usage;
  rank_stats stats;
  int trial_errors = 0;
  const auto matcher = load_matcher(w, o, stats, trial_errors);
  if (!matcher) return exit_input;

  const std::string partial = o.out + ".partial";
  if (w.rank == 0) {
    // A failed run must not leave the output of an earlier run looking like its own.
    std::error_code ec;
    std::filesystem::remove(o.out, ec);
    if (ec) fail_rank(w, "output " + o.out, "cannot remove the old file: " + ec.message(), {});
  }
  const std::vector<block> blocks = plan_blocks(w, o.patients, o.block_bytes, o.out);
  MPI_File fh = MPI_FILE_NULL;
  if (MPI_File_open(MPI_COMM_WORLD, partial.c_str(), MPI_MODE_CREATE | MPI_MODE_WRONLY,
                    MPI_INFO_NULL, &fh) != MPI_SUCCESS ||
      MPI_File_set_size(fh, 0) != MPI_SUCCESS) {
    fail_rank(w, "output " + partial, "cannot create the file", o.out);
  }

  driver d(w, o, blocks, o.out);
  const match::match_options options = make_options(w, o);
  std::optional<batch::engine> engine;
  batch::batch_options batch_options;
  if (o.status_only) {
    engine = batch::engine::create(*matcher);
    batch_options.threads = w.threads;
    batch_options.include_closed = o.include_closed;
  }
  std::uint64_t written = 0;  // bytes of every earlier round
  for (std::size_t k = 0; k < d.rounds(); ++k) {
    std::string text;
    const block* where = nullptr;
    try {
      round_input r = d.read_round(k, stats);
      where = r.where;
      // --chunk patients at a time: a patient's results take far more memory than its line.
      const std::span<const match::batch_input> inputs(r.inputs);
      for (std::size_t at = 0; at < inputs.size(); at += o.chunk) {
        double t = MPI_Wtime();
        if (engine) {
          // Unreadable lines were reported when the block was read.
          const status_batch statuses =
              status_lines(*engine, inputs.subspan(at, std::min(o.chunk, inputs.size() - at)),
                           *as_of, batch_options);
          for (const auto& line : statuses.lines) text += line;
          stats.match_s += MPI_Wtime() - t;
          continue;
        }
        const auto results = matcher->match_batch(
            inputs.subspan(at, std::min(o.chunk, inputs.size() - at)), *as_of, options);
        stats.match_s += MPI_Wtime() - t;
        t = MPI_Wtime();
        std::vector<std::string> lines(results.size());
        parallel_for(results.size(), w.threads,
                     [&](std::size_t i) { lines[i] = json_match_line(results[i]); });
        for (const auto& line : lines) text += line;
        stats.write_s += MPI_Wtime() - t;
      }
    } catch (const std::bad_alloc&) {
      fail_rank(w, where ? "patients " + range_text(o.patients[where->file], *where) : "a round",
                "out of memory (try a smaller --block-bytes)", o.out);
    } catch (const std::exception& e) {
      fail_rank(w, where ? "patients " + range_text(o.patients[where->file], *where) : "a round",
                std::string("internal error: ") + e.what(), o.out);
    }
    const std::uint64_t size = text.size();
    std::vector<std::uint64_t> sizes(static_cast<std::size_t>(w.size));
    double t = MPI_Wtime();
    MPI_Allgather(&size, 1, MPI_UINT64_T, sizes.data(), 1, MPI_UINT64_T, MPI_COMM_WORLD);
    stats.wait_s += MPI_Wtime() - t;
    t = MPI_Wtime();
    std::uint64_t offset = written;
    for (int i = 0; i < w.rank; ++i) offset += sizes[static_cast<std::size_t>(i)];
    for (const auto s : sizes) written += s;
    if (!text.empty() && !write_at(fh, offset, text)) {
      fail_rank(w, "output " + partial + " at byte " + std::to_string(offset), "write error",
                o.out);
    }
    stats.write_s += MPI_Wtime() - t;
  }
  if (MPI_File_close(&fh) != MPI_SUCCESS) {
    fail_rank(w, "output " + partial, "cannot close the file", o.out);
  }
  // Unreadable patients on any rank, and unreadable trial records (counted once), as in ctm match.
  double errors = stats.errors + (w.rank == 0 ? trial_errors : 0);
  double total_errors = 0;
  MPI_Allreduce(&errors, &total_errors, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
  print_stats(w, stats, MPI_Wtime() - start, "matched");
  if (w.rank == 0) {
    std::error_code ec;
    std::filesystem::rename(partial, o.out, ec);
    if (ec) {
      std::fprintf(stderr, "ctm-mpi: cannot rename %s to %s: %s\n", partial.c_str(), o.out.c_str(),
                   ec.message().c_str());
      return exit_input;
    }
  }
  return total_errors > 0 ? exit_input : exit_ok;
}

int run_feasibility(const world& w, const mpi_cli_options& o) {
  const double start = MPI_Wtime();
  const auto as_of = as_of_date(w, o);
  if (!as_of) return exit_usage;
  rank_stats stats;
  int trial_errors = 0;
  const auto matcher = load_matcher(w, o, stats, trial_errors);
  if (!matcher) return exit_input;
  match::match_options options = make_options(w, o);
  // The empty cohort checks the trial and arm and gives the attrition rows every rank adds to.
  auto total = matcher->feasibility(o.trial, {}, *as_of, options, o.arm);
  if (!total) {
    if (w.rank == 0) report(total.error());
    return exit_input;
  }
  const std::vector<block> blocks = plan_blocks(w, o.patients, o.block_bytes, {});
  driver d(w, o, blocks, {});
  for (std::size_t k = 0; k < d.rounds(); ++k) {
    const block* where = nullptr;
    try {
      round_input r = d.read_round(k, stats);
      where = r.where;
      if (r.inputs.empty()) continue;
      const double t = MPI_Wtime();
      const auto f = matcher->feasibility(o.trial, r.inputs, *as_of, options, o.arm);
      stats.match_s += MPI_Wtime() - t;
      if (!f || f->rows.size() != total->rows.size()) {
        fail_rank(w, "patients " + range_text(o.patients[where->file], *where),
                  "feasibility failed", {});
      }
      total->patients += f->patients;
      total->errors += f->errors;
      total->eligible += f->eligible;
      total->possibly_eligible += f->possibly_eligible;
      total->ineligible += f->ineligible;
      for (std::size_t i = 0; i < f->rows.size(); ++i) {
        auto& row = total->rows[i];
        row.remaining_before += f->rows[i].remaining_before;
        row.excluded_in_sequence += f->rows[i].excluded_in_sequence;
        row.excluded_alone += f->rows[i].excluded_alone;
        row.unknown += f->rows[i].unknown;
      }
    } catch (const std::bad_alloc&) {
      fail_rank(w, where ? "patients " + range_text(o.patients[where->file], *where) : "a round",
                "out of memory (try a smaller --block-bytes)", {});
    } catch (const std::exception& e) {
      fail_rank(w, where ? "patients " + range_text(o.patients[where->file], *where) : "a round",
                std::string("internal error: ") + e.what(), {});
    }
  }
  // Counts add up over disjoint cohorts: reduce them to rank 0.
  std::vector<std::uint64_t> counts{total->patients, total->errors, total->eligible,
                                    total->possibly_eligible, total->ineligible};
  for (const auto& row : total->rows) {
    counts.insert(counts.end(), {row.remaining_before, row.excluded_in_sequence, row.excluded_alone,
                                 row.unknown});
  }
  std::vector<std::uint64_t> sums(counts.size());
  MPI_Reduce(counts.data(), sums.data(), static_cast<int>(counts.size()), MPI_UINT64_T, MPI_SUM, 0,
             MPI_COMM_WORLD);
  print_stats(w, stats, MPI_Wtime() - start, "checked");
  if (w.rank != 0) return exit_ok;
  total->patients = sums[0];
  total->errors = sums[1];
  total->eligible = sums[2];
  total->possibly_eligible = sums[3];
  total->ineligible = sums[4];
  for (std::size_t i = 0; i < total->rows.size(); ++i) {
    total->rows[i].remaining_before = sums[5 + 4 * i];
    total->rows[i].excluded_in_sequence = sums[6 + 4 * i];
    total->rows[i].excluded_alone = sums[7 + 4 * i];
    total->rows[i].unknown = sums[8 + 4 * i];
  }
  print(o.common.format == "json" ? json_feasibility(*total, *as_of)
                                  : text_feasibility(*total, *as_of));
  std::fflush(stdout);
  return total->errors > 0 || trial_errors > 0 ? exit_input : exit_ok;
}

void add_shared(CLI::App* cmd, mpi_cli_options& o) {
  cmd->add_option("--patients", o.patients,
                  "Patient JSON Lines files (one ctm patient document per line), read in this "
                  "order")
      ->required()
      ->expected(1, -1);
  cmd->add_option("--trials", o.common.trials,
                  "Trial file or directory, read by every rank (default: the bundled catalog)");
  cmd->add_option("--definitions", o.common.definitions,
                  "Shared rule definitions file (default: data/definitions/common.rules)");
  cmd->add_option("--as-of", o.common.as_of,
                  "Date eligibility is judged on, YYYY-MM-DD (default: today)");
  cmd->add_option("--threads", o.common.threads,
                  "Worker threads per rank (default: the node's cores / the ranks on the node)");
  cmd->add_option("--block-bytes", o.block_bytes,
                  "Bytes of patient input per block, the unit ranks take in turn (default 8 MiB); "
                  "bounds memory per rank")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 40));
  cmd->add_option("--chunk", o.chunk,
                  "Patients matched at a time within a block (default 128); bounds memory")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 30));
}

unsigned default_threads() {
  MPI_Comm node = MPI_COMM_NULL;
  int local = 1;
  if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node) ==
      MPI_SUCCESS) {
    MPI_Comm_size(node, &local);
    MPI_Comm_free(&node);
  }
  const unsigned cores = std::max(1U, std::thread::hardware_concurrency());
  return std::max(1U, cores / static_cast<unsigned>(std::max(local, 1)));
}

int run(int argc, char** argv, world& w) {
  CLI::App app{
      "ctm-mpi - ctm match and ctm feasibility over the ranks of an MPI job (docs/scale-out.md).\n"
      "Run it under mpirun or srun; patients are JSON Lines files cut into blocks on line "
      "boundaries.",
      "ctm-mpi"};
  app.set_version_flag("--version", std::string("ctm-mpi ") + ctm::version_string());
  app.require_subcommand(1);
  std::string log_level = "warn";
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error, critical or off")
      ->check(
          CLI::IsMember({"trace", "debug", "info", "warn", "warning", "error", "critical", "off"}));

  mpi_cli_options o;
  int exit = exit_ok;
  CLI::App* match = app.add_subcommand(
      "match",
      "Rank the trials for every patient; the results go to --out in input order, one JSON line "
      "per patient, byte-identical to `ctm match --format json`.");
  add_shared(match, o);
  match->add_option("--out", o.out, "Output file (written as FILE.partial, renamed when done)")
      ->required();
  match->add_option("--top", o.top, "Trials kept per patient (default 10; 0 = all)");
  match->add_flag("--include-ineligible", o.include_ineligible, "Also list ineligible trials");
  match->add_flag("--include-closed", o.include_closed,
                  "Also evaluate trials and arms that are not recruiting");
  match->add_flag("--status-only", o.status_only,
                  "Only the status of every candidate trial per patient, from the columnar batch "
                  "engine, as `ctm match --status-only` writes it");
  match->callback([&] { exit = run_match(w, o); });

  CLI::App* feasibility = app.add_subcommand(
      "feasibility",
      "One trial against the cohort: counts and attrition reduced over the ranks, printed by "
      "rank 0 as `ctm feasibility` prints them.");
  add_shared(feasibility, o);
  feasibility->add_option("--trial", o.trial, "Trial id in the catalog")->required();
  feasibility->add_option("--arm", o.arm, "Arm whose criteria to add (default: first open arm)");
  feasibility->add_option("--format", o.common.format, "text (default) or json")
      ->check(CLI::IsMember({"text", "json"}));
  feasibility->callback([&] { exit = run_feasibility(w, o); });

  app.parse_complete_callback([&] {
    ctm::log_level level = ctm::log_level::warn;
    ctm::parse_log_level(log_level, level);
    ctm::set_log_level(level);
    const int rank = w.rank;
    ctm::set_log_handler([rank](ctm::log_level, std::string_view message) {
      std::fprintf(stderr, "ctm-mpi: rank %d: %.*s\n", rank, static_cast<int>(message.size()),
                   message.data());
    });
    w.threads = o.common.threads != 0 ? o.common.threads : default_threads();
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (w.rank == 0) {
      const int code = app.exit(e);
      return code == 0 ? exit_ok : exit_usage;
    }
    return e.get_exit_code() == 0 ? exit_ok : exit_usage;
  }
  return exit;
}

}  // namespace
}  // namespace ctm::cli

int main(int argc, char** argv) {
  int provided = 0;
  // The matcher's worker threads never call MPI; only the main thread does.
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  ctm::cli::world w;
  MPI_Comm_rank(MPI_COMM_WORLD, &w.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &w.size);
  int code = ctm::cli::exit_ok;
  try {
    code = ctm::cli::run(argc, argv, w);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ctm-mpi: rank %d: internal error: %s\n", w.rank, e.what());
    std::fflush(stderr);
    MPI_Abort(MPI_COMM_WORLD, ctm::cli::exit_internal);
  }
  MPI_Finalize();
  return code;
}
