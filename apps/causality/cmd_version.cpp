#include <iostream>

#include <CLI/CLI.hpp>

#include "command.hpp"

namespace {
causality::cli::register_command reg{"version", [](CLI::App& app) {
  app.add_subcommand("version", "print the version (also --version)");
  return std::function<int()>([] {
    std::cout << "causality " CAUSALITY_VERSION "\n";
    return 0;
  });
}};
}  // namespace
