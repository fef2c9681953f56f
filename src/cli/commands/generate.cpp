// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// `ctm generate patients|trials`: deterministic synthetic cohorts and catalogs for benchmarks and
// demos (issue 8; docs/cli.md, docs/performance.md). Uses only the public API.
#include "command.hpp"
#include "match_support.hpp"
#include "output.hpp"

#include <ctm/io/patient_json.hpp>
#include <ctm/io/trial_json.hpp>
#include <ctm/synth/generate.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace ctm::cli {
namespace {

namespace fs = std::filesystem;

struct generate_options {
  std::size_t count = 0;
  std::uint64_t seed = 1;
  std::string as_of;
  std::string out;
  double missing_rate = 0.15;
  unsigned threads = 0;
  std::string templates;
  std::string definitions;
  bool quiet = false;
};

void print_err(const std::string& s) { std::fwrite(s.data(), 1, s.size(), stderr); }

/// Where records go: a file, or stdout when `path` is empty.
class sink {
 public:
  bool open(const std::string& path) {
    if (path.empty()) return true;
    std::error_code ec;
    const fs::path parent = fs::path(path).parent_path();
    if (!parent.empty()) fs::create_directories(parent, ec);
    file_.open(path, std::ios::binary | std::ios::trunc);
    if (!file_) {
      report(ctm::error{errc::io_open_failed, "cannot write the file", {path, 0, 0, ""}});
      return false;
    }
    path_ = path;
    return true;
  }
  bool write(const std::string& s) {
    if (path_.empty()) return std::fwrite(s.data(), 1, s.size(), stdout) == s.size();
    file_.write(s.data(), static_cast<std::streamsize>(s.size()));
    if (!file_) {
      report(ctm::error{errc::io_open_failed, "cannot write the file", {path_, 0, 0, ""}});
      return false;
    }
    return true;
  }

 private:
  std::string path_;
  std::ofstream file_;
};

unsigned workers(unsigned asked) {
  const unsigned n = asked != 0 ? asked : std::thread::hardware_concurrency();
  return std::max(1U, n);
}

int run_patients(const generate_options& o) {
  auto vocab = matching::load_vocab();
  if (!vocab) return exit_input;
  synth::cohort_options co;
  co.seed = o.seed;
  co.patients = o.count;
  co.missing_rate = o.missing_rate;
  co.as_of = synth::default_as_of;
  if (!o.as_of.empty()) {
    const auto d = matching::parse_as_of(o.as_of);
    if (!d) return exit_usage;
    co.as_of = *d;
  }
  sink out;
  if (!out.open(o.out)) return exit_input;
  const auto started = std::chrono::steady_clock::now();
  const synth::cohort_generator g(co, *vocab);
  // Chunks generated and serialised in parallel, written in order.
  constexpr std::size_t chunk = 4096;
  const unsigned n = workers(o.threads);
  std::vector<std::string> lines(chunk);
  for (std::size_t first = 0; first < o.count; first += chunk) {
    const std::size_t size = std::min(chunk, o.count - first);
    std::atomic<std::size_t> next{0};
    const auto work = [&] {
      for (std::size_t k = next++; k < size; k = next++) {
        lines[k] = io::write_patient_line(g(first + k));
      }
    };
    if (n <= 1) {
      work();
    } else {
      std::vector<std::jthread> pool;
      for (unsigned t = 0; t < n; ++t) pool.emplace_back(work);
    }
    std::string block;
    for (std::size_t k = 0; k < size; ++k) block += lines[k];
    if (!out.write(block)) return exit_input;
  }
  const double s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!o.quiet) {
    char buf[160];
    std::snprintf(buf, sizeof buf,
                  "ctm: generated %zu patients in %.2f s (%.0f patients/s, %u threads)\n", o.count,
                  s, s > 0 ? static_cast<double>(o.count) / s : 0.0, n);
    print_err(buf);
  }
  return exit_ok;
}

int run_trials(const generate_options& o) {
  auto vocab = matching::load_vocab();
  if (!vocab) return exit_input;
  int errors = 0;
  const auto templates = matching::load_trials(o.templates, errors);
  if (errors != 0 || templates.empty()) {
    if (templates.empty()) {
      report(
          ctm::error{errc::missing_value, "no template trials were read", {o.templates, 0, 0, ""}});
    }
    return exit_input;
  }
  synth::catalog_options co;
  co.seed = o.seed;
  co.trials = o.count;
  {
    // The shared definitions the templates use, as `ctm match` loads them.
    fs::path defs = o.definitions;
    if (defs.empty()) defs = matching::data_dir() / "definitions" / "common.rules";
    std::error_code ec;
    if (fs::is_regular_file(defs, ec)) {
      std::ifstream in(defs, std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      (void)co.definitions.add(rules::parse(text.str(), defs.filename().string()));
    } else if (!o.definitions.empty()) {
      report(ctm::error{errc::io_open_failed, "cannot read the file", {o.definitions, 0, 0, ""}});
      return exit_input;
    }
  }
  const auto started = std::chrono::steady_clock::now();
  const auto trials = synth::generate_trials(co, templates, *vocab);
  const bool lines = o.out.ends_with(".jsonl") || o.out.ends_with(".ndjson");
  if (lines) {
    sink out;
    if (!out.open(o.out)) return exit_input;
    std::string all;
    for (const auto& t : trials) all += io::write_trial_line(t);
    if (!out.write(all)) return exit_input;
  } else {
    std::error_code ec;
    fs::create_directories(o.out, ec);
    for (const auto& t : trials) {
      sink out;
      if (!out.open((fs::path(o.out) / (t.id + ".json")).string()) ||
          !out.write(io::write_trial(t))) {
        return exit_input;
      }
    }
  }
  const double s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!o.quiet) {
    std::vector<std::size_t> counts;
    for (const auto& t : trials) counts.push_back(synth::atomic_conditions(t));
    std::sort(counts.begin(), counts.end());
    char buf[200];
    if (counts.empty()) {
      std::snprintf(buf, sizeof buf, "ctm: generated 0 trials\n");
    } else {
      std::snprintf(buf, sizeof buf,
                    "ctm: generated %zu trials from %zu templates in %.2f s; atomic conditions per "
                    "trial: min %zu, median %zu, max %zu\n",
                    trials.size(), templates.size(), s, counts.front(), counts[counts.size() / 2],
                    counts.back());
    }
    print_err(buf);
  }
  return exit_ok;
}

void setup(CLI::App& app, const global_options& /*global*/, int& exit) {
  CLI::App* cmd = app.add_subcommand(
      "generate",
      "Deterministic synthetic patients or trials for benchmarks and demos (docs/performance.md)");
  cmd->require_subcommand(1);

  auto po = std::make_shared<generate_options>();
  CLI::App* p = cmd->add_subcommand(
      "patients", "Synthetic patients as JSON Lines (stdout, or --out); every record is synthetic");
  p->add_option("--count", po->count, "Number of patients")->required();
  p->add_option("--seed", po->seed, "Seed (default 1): the same seed gives the same bytes");
  p->add_option("--as-of", po->as_of,
                "Histories end before this date, YYYY-MM-DD (default 2026-11-01)");
  p->add_option("--out", po->out, "JSON Lines file to write (default: stdout)");
  p->add_option("--missing-rate", po->missing_rate, "Share of values left missing (default 0.15)")
      ->check(CLI::Range(0.0, 0.9));
  p->add_option("--threads", po->threads, "Worker threads (default: all cores)");
  p->add_flag("--quiet,-q", po->quiet, "Do not print the summary line (stderr)");
  p->callback([po, &exit] { exit = run_patients(*po); });

  auto to = std::make_shared<generate_options>();
  CLI::App* t = cmd->add_subcommand(
      "trials",
      "Synthetic trials varied from a template catalog; --out DIR writes one file per trial, "
      "--out FILE.jsonl one JSON Lines file");
  t->add_option("--count", to->count, "Number of trials")->required();
  t->add_option("--seed", to->seed, "Seed (default 1)");
  t->add_option("--out", to->out, "Directory, or a .jsonl file")->required();
  t->add_option("--templates", to->templates,
                "Template trials: file or directory (default: the bundled catalog, data/trials)");
  t->add_option("--definitions", to->definitions,
                "Shared rule definitions (default: data/definitions/common.rules)");
  t->add_flag("--quiet,-q", to->quiet, "Do not print the summary line (stderr)");
  t->callback([to, &exit] { exit = run_trials(*to); });
}

const command_registration registration{setup};

}  // namespace
}  // namespace ctm::cli
