#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>

#include <CLI/CLI.hpp>

#include "causality/observe/log.hpp"
#include "cli_logging.hpp"
#include "command.hpp"
#include "interrupts.hpp"
#include "suggest.hpp"

namespace causality::cli {

std::vector<std::pair<std::string, command_setup>>& commands() {
  static std::vector<std::pair<std::string, command_setup>> all;
  return all;
}

log_flags& global_log_flags() {
  static log_flags f;
  return f;
}

int fail(const std::string& message) {
  // One line whatever the message holds (an id with a newline or an ANSI escape).
  std::cerr << "causality: " << observe::printable(message) << "\n";
  return 1;
}

namespace {

/// The subcommand of that name, or nullptr (CLI11 2.1 has no non-throwing lookup).
CLI::App* find_command(CLI::App& app, const std::string& name) {
  for (auto* s : app.get_subcommands([](CLI::App*) { return true; }))
    if (s->get_name() == name) return s;
  return nullptr;
}

/// The long flag names (`--name`) `app` takes, with its parents' (fallthrough).
std::vector<std::string> long_flags(const CLI::App* app) {
  std::vector<std::string> out;
  for (; app; app = app->get_parent())
    for (const auto* opt : app->get_options())
      for (const auto& n : opt->get_lnames()) out.push_back("--" + n);
  return out;
}

/// An unknown `--flag` names itself and the closest known one, before CLI11
/// would report something else first (e.g. "--platform is required" for
/// `--plattform`). Empty when every long flag is known.
std::string unknown_flag(CLI::App& app, int argc, char** argv) {
  const CLI::App* sub = &app;
  std::string where = "causality";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--") break;
    if (sub == &app && a[0] != '-') {
      if (auto* s = find_command(app, a)) {
        sub = s;
        where = "causality " + a;
      }
      continue;
    }
    if (a.rfind("--", 0) != 0 || a.size() == 2) continue;
    auto name = a.substr(0, a.find('='));
    auto known = long_flags(sub);
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    return "unknown flag '" + name + "' for " + where + did_you_mean(name, known) + " (try " +
           (sub == &app ? std::string("causality --help") : "causality help " + sub->get_name()) + ")";
  }
  return {};
}

}  // namespace

int finish_stdout(int rc) {
  // Standard output is buffered: a full disk or a closed pipe shows at the
  // flush. What the command printed did not arrive, so it did not succeed.
  errno = 0;
  std::cout.flush();
  if ((std::fflush(stdout) != 0 || std::ferror(stdout) || !std::cout) && rc == 0) {  // else reported
    int e = errno;
    std::cerr << "causality: standard output: write failed: " << std::strerror(e ? e : EIO) << "\n";
    return rc == 0 ? exit_failure : rc;
  }
  return rc;
}

}  // namespace causality::cli

int main(int argc, char** argv) {
  using namespace causality;
  // First: a signal ends every state (interrupts.hpp).
  cli::install_interrupt_handlers();
  CLI::App app{"causality: plan and run process dataflows across execution domains"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "causality " CAUSALITY_VERSION);
  app.footer(
      "Exit codes: 0 success; 1 failure (bad input, refused plan, failed or cancelled run, operational\n"
      "error); 2 usage error (unknown command or flag, bad flag value, unknown log level); 130\n"
      "interrupted (SIGINT or SIGTERM: `run` cancels, prints its summary and writes --gantt, --dot and\n"
      "--metrics-out; a second signal exits at once).\n"
      "`causality help COMMAND` shows a command's flags.");
  // Options of the top level (--log-level, --quiet) are also accepted after
  // the subcommand: `causality run W -p P --log-level debug`.
  app.fallthrough();
  cli::add_log_flags(app, cli::global_log_flags());
  std::map<std::string, std::function<int()>> runners;
  for (auto& [name, setup] : cli::commands()) runners[name] = setup(app);

  // `causality help [COMMAND]`: the top-level or that command's help.
  std::string help_topic;
  auto* help = app.add_subcommand("help", "show the help of causality or of one command");
  help->add_option("command", help_topic, "a command");
  runners["help"] = [&]() {
    // As --help prints them (App::help() would show the selected command's).
    if (help_topic.empty()) {
      std::cout << app.get_formatter()->make_help(&app, app.get_name(), CLI::AppFormatMode::Normal);
      return 0;
    }
    auto* sub = cli::find_command(app, help_topic);
    if (!sub || sub == help) {
      std::vector<std::string> known;
      for (auto& [name, run] : runners) known.push_back(name);
      cli::fail("help: unknown command '" + help_topic + "'" + cli::did_you_mean(help_topic, known) +
                " (known: " + cli::join(known) + ")");
      return cli::exit_usage;
    }
    std::cout << sub->help(app.get_name());
    return 0;
  };

  // CLI11 reports an unknown subcommand as "a subcommand is required",
  // which does not name it: name it here.
  if (argc > 1 && argv[1][0] != '-' && runners.find(argv[1]) == runners.end()) {
    std::vector<std::string> known;
    for (auto& [name, run] : runners) known.push_back(name);
    cli::fail(std::string("unknown command '") + argv[1] + "'" + cli::did_you_mean(argv[1], known) +
              " (known: " + cli::join(known) + ")");
    return cli::exit_usage;
  }
  if (auto bad = cli::unknown_flag(app, argc, argv); !bad.empty()) {
    cli::fail(bad);
    return cli::exit_usage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and friends print as CLI11 does; a usage error is one line
    // like every other error, exit 2.
    if (e.get_exit_code() == 0) return app.exit(e);
    cli::fail(std::string(e.what()) + " (try --help)");
    return cli::exit_usage;
  }
  if (auto bad = cli::apply_log_flags(cli::global_log_flags())) {
    cli::fail(bad->message());
    return cli::exit_usage;
  }
  for (auto* sub : app.get_subcommands()) {
    auto it = runners.find(sub->get_name());
    if (it != runners.end()) {
      try {
        int rc = it->second();
        return cli::finish_stdout(rc);
      } catch (const std::exception& e) {
        // Expected failures are reported by the commands; this is a bug.
        return cli::fail(std::string("internal error: ") + e.what());
      }
    }
  }
  return cli::fail("no command given (try --help)");
}
