// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// How subcommands plug into the ctm tool. Each commands/<name>.cpp defines a function that adds a
// CLI11 subcommand and registers it with a static `ctm::cli::command_registration`; main.cpp never
// changes when a command is added. Only src/cli/CMakeLists.txt lists the file.
#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace ctm::cli {

/// Documented exit codes (docs/cli.md).
enum exit_code : int {
  exit_ok = 0,        ///< success
  exit_input = 1,     ///< input errors were found and reported
  exit_usage = 2,     ///< bad command line
  exit_internal = 3,  ///< a bug: an unexpected exception
};

/// Options every subcommand shares, filled by main.cpp before a command runs.
struct global_options {
  std::string log_level = "warn";
};

/// Adds one subcommand to `app`. The subcommand's callback must set `exit` to its exit code.
using command_setup = std::function<void(CLI::App& app, const global_options& global, int& exit)>;

/// The commands linked into the tool, in registration order.
std::vector<command_setup>& command_registry();

/// A static instance of this in a command's file registers it.
struct command_registration {
  explicit command_registration(command_setup setup) {
    command_registry().push_back(std::move(setup));
  }
};

}  // namespace ctm::cli
