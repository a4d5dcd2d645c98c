#include <iostream>
#include <map>

#include <CLI/CLI.hpp>

#include "command.hpp"

namespace causality::cli {

std::vector<std::pair<std::string, command_setup>>& commands() {
  static std::vector<std::pair<std::string, command_setup>> all;
  return all;
}

int fail(const std::string& message) {
  std::cerr << "causality: " << message << "\n";
  return 1;
}

}  // namespace causality::cli

int main(int argc, char** argv) {
  CLI::App app{"causality: plan and run process dataflows across execution domains"};
  app.require_subcommand(1);
  std::map<std::string, std::function<int()>> runners;
  for (auto& [name, setup] : causality::cli::commands()) runners[name] = setup(app);
  // CLI11 reports an unknown subcommand as "a subcommand is required",
  // which does not name it: name it here.
  if (argc > 1 && argv[1][0] != '-' && runners.find(argv[1]) == runners.end()) {
    std::string known;
    for (auto& [name, run] : runners) known += (known.empty() ? "" : ", ") + name;
    causality::cli::fail(std::string("unknown subcommand '") + argv[1] + "' (known: " + known + ")");
    return 2;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and friends print as CLI11 does; a usage error is one line
    // like every other error, exit 2.
    if (e.get_exit_code() == 0) return app.exit(e);
    causality::cli::fail(std::string(e.what()) + " (try --help)");
    return 2;
  }
  for (auto* sub : app.get_subcommands()) {
    auto it = runners.find(sub->get_name());
    if (it != runners.end()) {
      try {
        return it->second();
      } catch (const std::exception& e) {
        return causality::cli::fail(std::string("internal error: ") + e.what());
      }
    }
  }
  return causality::cli::fail("no subcommand given (try --help)");
}
