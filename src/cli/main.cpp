// SPDX-License-Identifier: MIT
// The `pcapframe` command: parses the command line and runs one subcommand.
#include <fmt/format.h>

#include <cstdio>
#include <map>
#include <new>
#include <string>

#include "commands.hpp"
#include "pcapframe/export.hpp"

namespace pcapframe::cli {

void print_error(const std::string& what) { std::fprintf(stderr, "pcapframe: %s\n", what.c_str()); }
void print_warning(const std::string& what) {
  std::fprintf(stderr, "pcapframe: warning: %s\n", what.c_str());
}

}  // namespace pcapframe::cli

int main(int argc, char** argv) {
  using namespace pcapframe::cli;
  CLI::App app{"pcapframe: packet captures to answers, at memory speed"};
  app.require_subcommand(1);
  app.set_version_flag("--version", kVersionText);

  std::map<CLI::App*, Action> actions;
  for (auto add : {add_info_command, add_packets_command, add_top_command, add_flows_command,
                   add_direction_command, add_dns_command, add_rates_command, add_sizes_command,
                   add_names_command, add_capture_command}) {
    const std::size_t before = app.get_subcommands({}).size();
    Action action = add(app);
    actions[app.get_subcommands({})[before]] = std::move(action);
  }

  // CLI11 would say "A subcommand is required" for a misspelt one: name it, and the commands.
  if (argc > 1 && argv[1][0] != '-') {
    std::string known;
    bool found = false;
    for (const CLI::App* command : app.get_subcommands({})) {
      found = found || command->check_name(argv[1]);
      known += (known.empty() ? "" : ", ") + command->get_name();
    }
    if (!found) {
      print_error(fmt::format("unknown command '{}' (commands: {}; see --help)",
                              pcapframe::to_display_text(argv[1]), known));
      return kExitUsage;
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" that exit 0; real usage errors exit 1.
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  for (const auto& [command, action] : actions) {
    if (!command->parsed()) continue;
    try {
      return action();
    } catch (const std::bad_alloc&) {
      // Under a memory limit (ulimit -v, a cgroup) say so instead of aborting.
      print_error("out of memory");
      return kExitBadInput;
    }
  }
  return kExitUsage;
}
