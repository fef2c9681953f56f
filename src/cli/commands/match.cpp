// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// `ctm match --patients FILE|DIR [--trials FILE|DIR] [--top K] [--as-of DATE]
// [--include-ineligible] [--include-closed] [--format json|text]`: ranks the trials for each
// patient, with the reasons (docs/cli.md, docs/scoring.md). `ctm match --stream` reads JSON Lines
// on stdin and writes one result line per patient on stdout, in chunks (docs/scale-out.md);
// `--status-only` prints each candidate trial's status from the columnar batch engine instead.
// Uses only the public API.
#include "match_support.hpp"
#include "parallel.hpp"
#include "patient_lines.hpp"
#include "report.hpp"

#include <ctm/batch/engine.hpp>
#include <ctm/io/patient_json.hpp>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <unistd.h>
#include <utility>

namespace ctm::cli {
namespace {

using namespace matching;

struct match_cli_options {
  common_options common;
  std::string patients;
  std::size_t top = 10;
  bool include_ineligible = false;
  bool include_closed = false;
  std::size_t reasons = 3;
  std::vector<std::string> phases;
  double within_km = 0.0;
  bool stream = false;
  bool status_only = false;
  std::size_t chunk = 128;
  bool format_given = false;
  std::vector<std::string> prefer_phases;
  std::vector<std::string> prefer_trials;
  std::vector<std::string> weights;  // "feature=value"
  double travel_km = 0.0;
};

// "distance=20": a feature of the default scorer and its weight; nullopt when malformed.
std::optional<std::pair<std::size_t, double>> parse_weight(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos) return std::nullopt;
  const std::string name = text.substr(0, eq);
  const char* begin = text.c_str() + eq + 1;
  char* end = nullptr;
  const double value = std::strtod(begin, &end);
  if (end == begin || *end != '\0' || !std::isfinite(value) || value < 0.0) return std::nullopt;
  for (std::size_t f = 0; f < match::feature_count; ++f) {
    if (match::to_string(static_cast<match::feature>(f)) == name) return std::pair{f, value};
  }
  return std::nullopt;
}

std::string weight_usage() {
  std::string names;
  for (std::size_t f = 0; f < match::feature_count; ++f) {
    names += (f == 0 ? "" : ", ") + std::string(match::to_string(static_cast<match::feature>(f)));
  }
  return "expected FEATURE=NUMBER (a number >= 0) with FEATURE one of: " + names;
}

std::string text_report(const match::match_result& r, std::size_t reasons) {
  std::string s = "Patient " + r.patient_id + " as of " + ctm::to_string(r.as_of) + ": " +
                  std::to_string(r.results.size()) + " trial" + (r.results.size() == 1 ? "" : "s") +
                  " shown of " + std::to_string(r.candidates) + " candidates (scorer " + r.scorer +
                  ")\n";
  if (r.results.empty()) {
    s += "  no eligible or possibly eligible open trial in the catalog for this patient\n\n";
    return s;
  }
  s += text_table_header();
  for (const auto& t : r.results) s += text_trial_row(t, reasons);
  return s + "\n";
}

match::match_options make_options(const match_cli_options& o) {
  match::match_options options;
  options.top_k = o.top;
  options.include_ineligible = o.include_ineligible;
  options.include_closed = o.include_closed;
  options.threads = o.common.threads;
  for (const auto& text : o.phases) options.phases.push_back(*parse_trial_phase(text));
  if (o.within_km > 0.0) options.within_km = o.within_km;
  for (const auto& text : o.prefer_phases) {
    options.scorer.preferred_phases.push_back(*parse_trial_phase(text));
  }
  options.scorer.preferred_trials = o.prefer_trials;
  if (o.travel_km > 0.0) options.scorer.default_travel_km = o.travel_km;
  for (const auto& w : o.weights) {
    const auto [feature, value] = *parse_weight(w);  // checked when the arguments were read
    if (options.scorer.weights[feature] != value) options.scorer.name = "ctm-linear-1-custom";
    options.scorer.weights[feature] = value;
  }
  return options;
}

// JSON Lines in, JSON Lines out: `o.chunk` lines are read, matched on the worker threads and
// written (and flushed) before the next chunk is read, so memory holds at most one chunk of
// records and their results. Blank lines are skipped, as in a JSON Lines file.
batch::batch_options make_batch_options(const match_cli_options& o) {
  batch::batch_options options;
  options.threads = o.common.threads;
  options.include_closed = o.include_closed;
  for (const auto& text : o.phases) options.phases.push_back(*parse_trial_phase(text));
  return options;
}

// Prints the --status-only lines of `inputs` and reports the unreadable ones; returns how many.
int print_statuses(const batch::engine& engine, std::span<const match::batch_input> inputs,
                   date as_of, const batch::batch_options& options) {
  const status_batch statuses = status_lines(engine, inputs, as_of, options);
  for (const auto& e : statuses.errors) {
    std::fprintf(stderr, "ctm: patient %s: %s\n", e.label.c_str(),
                 ctm::to_string(*e.error).c_str());
  }
  for (const auto& line : statuses.lines) print(line);
  return static_cast<int>(statuses.errors.size());
}

int run_stream(const match_cli_options& o, const match::matcher& matcher,
               const batch::engine* engine, date as_of, int errors) {
  const match::match_options options = make_options(o);
  const unsigned threads =
      o.common.threads != 0 ? o.common.threads : std::max(1U, std::thread::hardware_concurrency());
  const std::string source = "<stdin>";
  line_reader reader(stdin, io::read_options{}.max_bytes + 1);
  struct numbered_line {
    std::string text;
    std::uint32_t line = 0;
  };
  std::vector<numbered_line> lines(std::min<std::size_t>(o.chunk, 1 << 16));
  std::vector<match::batch_input> chunk;
  std::vector<std::string> out;
  std::string line;
  std::uint32_t line_no = 0;
  std::size_t records = 0;
  bool more = true;
  while (more) {
    std::size_t n = 0;
    while (n < o.chunk) {
      if (!reader.next(line)) {
        more = false;
        break;
      }
      ++line_no;
      if (is_blank_line(line)) continue;
      if (n == lines.size()) lines.emplace_back();
      lines[n].text.swap(line);
      lines[n].line = line_no;
      ++n;
    }
    // Parsing and formatting run on the worker threads too; the output keeps input order.
    chunk.resize(n);
    parallel_for(n, threads, [&](std::size_t i) {
      chunk[i] = read_patient_line(lines[i].text, source, lines[i].line, records + i);
    });
    records += n;
    if (engine != nullptr) {
      errors += print_statuses(*engine, chunk, as_of, make_batch_options(o));
      std::fflush(stdout);
      continue;
    }
    const auto results = matcher.match_batch(chunk, as_of, options);
    out.resize(results.size());
    parallel_for(results.size(), threads,
                 [&](std::size_t i) { out[i] = json_match_line(results[i]); });
    for (std::size_t i = 0; i < results.size(); ++i) {
      if (results[i].error) {
        ++errors;
        std::fprintf(stderr, "ctm: patient %s: %s\n", results[i].label.c_str(),
                     ctm::to_string(*results[i].error).c_str());
      }
      print(out[i]);
    }
    std::fflush(stdout);
  }
  if (reader.failed()) {
    report(ctm::error{errc::io_open_failed,
                      "cannot read standard input after line " + std::to_string(line_no),
                      ctm::location{source, 0, 0, {}}});
    return exit_input;
  }
  return errors > 0 ? exit_input : exit_ok;
}

int run_match(const match_cli_options& o) {
  if (o.stream && !o.patients.empty()) {
    std::fprintf(stderr, "ctm: --stream reads patients from stdin; it takes no --patients\n");
    return exit_usage;
  }
  if ((o.stream || o.status_only) && o.format_given && o.common.format != "json") {
    std::fprintf(stderr, "ctm: --stream and --status-only write JSON Lines, not --format text\n");
    return exit_usage;
  }
  if (!o.stream && o.patients.empty()) {
    std::fprintf(stderr, "ctm: match needs --patients FILE|DIR, or --stream\n");
    return exit_usage;
  }
  if (o.chunk == 0) {
    std::fprintf(stderr, "ctm: --chunk must be at least 1\n");
    return exit_usage;
  }
  const auto as_of = parse_as_of(o.common.as_of);
  if (!as_of) return exit_usage;
  int errors = 0;
  auto trials = load_trials(o.common.trials, errors);
  auto matcher = build_matcher(std::move(trials), o.common);
  if (!matcher) return exit_input;
  std::optional<batch::engine> engine;
  if (o.status_only) engine = batch::engine::create(*matcher);
  if (o.stream) return run_stream(o, *matcher, engine ? &*engine : nullptr, *as_of, errors);
  const auto patients = load_patients(o.patients);
  if (engine) {
    errors += print_statuses(*engine, patients, *as_of, make_batch_options(o));
    std::fflush(stdout);
    return errors > 0 ? exit_input : exit_ok;
  }

  match::match_options options = make_options(o);

  // A progress bar on stderr for long batches, only when stderr is a terminal.
  std::atomic<std::size_t> done{0};
  std::mutex bar;
  const bool show_progress = patients.size() >= 20 && isatty(STDERR_FILENO) != 0;
  if (show_progress) {
    options.on_patient_done = [&] {
      const std::size_t n = ++done;
      const std::lock_guard lock(bar);
      const std::size_t width = 40;
      const std::size_t filled = n * width / patients.size();
      std::fprintf(stderr, "\r[%s%s] %zu/%zu patients", std::string(filled, '#').c_str(),
                   std::string(width - filled, '.').c_str(), n, patients.size());
      if (n == patients.size()) std::fputc('\n', stderr);
    };
  }
  // Matched and printed a chunk at a time, so the results held in memory stay one chunk's
  // whatever the cohort's size (the output is the same as one batch).
  const std::span<const match::batch_input> all(patients);
  for (std::size_t begin = 0; begin < all.size(); begin += o.chunk) {
    const auto results = matcher->match_batch(
        all.subspan(begin, std::min(o.chunk, all.size() - begin)), *as_of, options);
    for (const auto& r : results) {
      if (r.error) {
        ++errors;
        std::fprintf(stderr, "ctm: patient %s: %s\n", r.label.c_str(),
                     ctm::to_string(*r.error).c_str());
        if (o.common.format == "json") {
          print(json_match_line(r));
        } else {
          print("Patient " + r.label + ": not matched, the record could not be read (" +
                error_tag(r.error->code) + ")\n\n");
        }
        continue;
      }
      print(o.common.format == "json" ? json_match_line(*r.result)
                                      : text_report(*r.result, o.reasons));
    }
  }
  std::fflush(stdout);
  return errors > 0 ? exit_input : exit_ok;
}

void setup(CLI::App& app, const global_options& /*global*/, int& exit) {
  auto o = std::make_shared<match_cli_options>();
  CLI::App* cmd = app.add_subcommand(
      "match",
      "Rank clinical trials for each patient. Every candidate trial (by disease, open status and "
      "arm) is evaluated criterion by criterion from the patient's derived facts; each result "
      "says eligible, possibly eligible (something is unknown: see 'missing') or ineligible, "
      "with the reason for every criterion and a score whose parts are explained "
      "(docs/scoring.md).\n\nExamples:\n"
      "  ctm match --patients data/patients --top 3\n"
      "  ctm match --patients cohort.jsonl --trials my-trials/ --as-of 2026-11-01 --format json\n"
      "  ctm match --stream --as-of 2026-11-01 < cohort.jsonl > ranked.jsonl");
  auto* patients = cmd->add_option("--patients", o->patients,
                                   "Patient file or directory: ctm patient JSON (single, array or "
                                   "JSON Lines) or FHIR bundles");
  auto* stream =
      cmd->add_flag("--stream", o->stream,
                    "Read patients as JSON Lines on stdin and write one JSON result line per "
                    "patient on stdout, in input order, a chunk at a time (docs/scale-out.md)");
  patients->excludes(stream);
  cmd->add_flag("--status-only", o->status_only,
                "Only the status of every candidate trial per patient, from the columnar batch "
                "engine: no ranking, scores or reasons; JSON Lines (docs/cli.md)");
  cmd->add_option("--chunk", o->chunk,
                  "Patients matched and written at a time (default 128); bounds the memory "
                  "results take");
  add_common(cmd, o->common, true);
  cmd->add_option("--top", o->top, "Trials to show per patient (default 10; 0 = all)");
  cmd->add_option("--reasons", o->reasons, "Reasons shown per trial in text output (default 3)");
  cmd->add_flag("--include-ineligible", o->include_ineligible,
                "Also list ineligible trials (ranked after the others)");
  cmd->add_option("--phase", o->phases,
                  "Only trials of these phases (repeatable): early_phase1, phase1, phase2, "
                  "phase3, phase4, na")
      ->check(CLI::IsMember({"early_phase1", "phase1", "phase2", "phase3", "phase4", "na"}));
  cmd->add_option("--within-km", o->within_km,
                  "Only trials with a site this close to the patient (patients with a location)");
  cmd->add_flag("--include-closed", o->include_closed,
                "Also evaluate trials and arms that are not recruiting");
  cmd->add_option("--prefer-phase", o->prefer_phases,
                  "Score trials of these phases higher (repeatable; the 'preference' feature, "
                  "docs/scoring.md)")
      ->check(CLI::IsMember({"early_phase1", "phase1", "phase2", "phase3", "phase4", "na"}));
  cmd->add_option("--prefer-trial", o->prefer_trials,
                  "Score these trials higher (repeatable NCT ids; the 'preference' feature)");
  cmd->add_option("--weight", o->weights,
                  "Set a scorer weight, e.g. --weight distance=20 (repeatable; features: tier, "
                  "specificity, criteria_met, unknowns, distance, phase, preference)")
      ->check([](const std::string& text) {
        return parse_weight(text) ? std::string() : weight_usage();
      });
  cmd->add_option("--travel-km", o->travel_km,
                  "Travel limit for patients whose record gives none (default 500 km)")
      ->check(CLI::PositiveNumber);
  cmd->callback([o, cmd, &exit] {
    o->format_given = cmd->get_option("--format")->count() > 0;
    exit = run_match(*o);
  });
}

const command_registration registration{setup};

}  // namespace
}  // namespace ctm::cli
