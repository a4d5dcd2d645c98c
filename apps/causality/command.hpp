#pragma once
/// \file Subcommand registry of the `causality` CLI.

#include <functional>
#include <string>
#include <vector>

namespace CLI { class App; }

namespace causality::cli {

/// Adds a subcommand to `app`; the returned callback runs it (exit code).
using command_setup = std::function<std::function<int()>(CLI::App& app)>;

/// All registered subcommands, in registration order.
std::vector<std::pair<std::string, command_setup>>& commands();

/// Registers a subcommand at static-initialisation time.
struct register_command {
  register_command(std::string name, command_setup setup) {
    commands().emplace_back(std::move(name), std::move(setup));
  }
};

/// Exit codes of every command (listed by `causality --help`).
inline constexpr int exit_ok = 0;           ///< success
inline constexpr int exit_failure = 1;      ///< bad input, refused plan, failed run, operational error
inline constexpr int exit_usage = 2;        ///< unknown command or flag, bad flag value
inline constexpr int exit_interrupted = 130;  ///< SIGINT or SIGTERM (run: cancelled, summary and files written)

struct log_flags;
/// --log-level and --quiet as parsed by main (commands read `quiet`).
log_flags& global_log_flags();

/// Flushes standard output: `rc`, or 1 with one error line when the output
/// could not be written (e.g. `> /dev/full`).
int finish_stdout(int rc);

/// Prints "causality: <message>" to stderr and returns 1 (one-line errors).
int fail(const std::string& message);

}  // namespace causality::cli
