#include <iostream>

#include <CLI/CLI.hpp>

#include "command.hpp"

namespace {
causality::cli::register_command reg{"version", [](CLI::App& app) {
  app.add_subcommand("version", "print the version");
  return std::function<int()>([] {
    std::cout << "causality 0.1.0\n";
    return 0;
  });
}};
}  // namespace
