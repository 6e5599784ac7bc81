// SPDX-License-Identifier: MIT
// The subcommands of the `pcapframe` binary: each registers its options and its action.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

#include "pcapframe/result.hpp"

namespace pcapframe::cli {

/// Exit codes: 0 success, 1 usage error, 2 unreadable or corrupt input (and failed output).
inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 1;
inline constexpr int kExitBadInput = 2;

/// `pcapframe --version`, and the application named in the captures it writes.
inline constexpr const char* kVersionText = "pcapframe 0.1.0";

/// A registered subcommand's action, run after parsing; returns the exit code.
using Action = std::function<int()>;

Action add_info_command(CLI::App& app);
Action add_packets_command(CLI::App& app);
Action add_top_command(CLI::App& app);
Action add_flows_command(CLI::App& app);
Action add_direction_command(CLI::App& app);
Action add_dns_command(CLI::App& app);
Action add_rates_command(CLI::App& app);
Action add_sizes_command(CLI::App& app);
Action add_names_command(CLI::App& app);
Action add_capture_command(CLI::App& app);

/// The exit code for a failure: a bad argument (filter, column) is a usage error.
inline int exit_code_for(const Error& error) {
  return error.code == ErrorCode::InvalidArgument ? kExitUsage : kExitBadInput;
}

/// Print "pcapframe: <what>" to stderr.
void print_error(const std::string& what);
void print_warning(const std::string& what);

}  // namespace pcapframe::cli
