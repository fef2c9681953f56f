// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// The ctm tool: finds clinical trials for patients with refractory cancer (docs/cli.md).
#include "command.hpp"

#include <ctm/core/log.hpp>
#include <ctm/version.hpp>

#include <cstdio>
#include <exception>
#include <string>

namespace ctm::cli {
std::vector<command_setup>& command_registry() {
  static std::vector<command_setup> commands;
  return commands;
}
}  // namespace ctm::cli

int main(int argc, char** argv) {
  using namespace ctm::cli;
  CLI::App app{
      "ctm - clinical trial matching for patients with refractory cancer.\n"
      "Turns a patient's record and treatment history into the facts trials ask for, checks them\n"
      "against each trial's rules and explains every verdict. See docs/cli.md.",
      "ctm"};
  app.set_version_flag("--version", std::string("ctm ") + ctm::version_string());
  app.require_subcommand(1);

  global_options global;
  app.add_option("--log-level", global.log_level,
                 "trace, debug, info, warn, error, critical or off (default warn); logs go to "
                 "stderr and never contain patient values")
      ->check(
          CLI::IsMember({"trace", "debug", "info", "warn", "warning", "error", "critical", "off"}));
  app.parse_complete_callback([&global] {
    ctm::log_level level = ctm::log_level::warn;
    ctm::parse_log_level(global.log_level, level);
    ctm::set_log_level(level);
    ctm::set_log_handler([](ctm::log_level, std::string_view message) {
      std::fprintf(stderr, "ctm: %.*s\n", static_cast<int>(message.size()), message.data());
    });
  });

  int exit = exit_ok;
  for (const auto& setup : command_registry()) setup(app, global, exit);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? exit_ok : exit_usage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ctm: internal error: %s\n", e.what());
    return exit_internal;
  }
  return exit;
}
