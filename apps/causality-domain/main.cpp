// causality-domain: hosts domains and runs their nodes for a remote runtime.
// A thin CLI over causality::domains::serve (domains/server): flags, the
// token, the hosted domains, and signals. Built-in node types: noop, work,
// and exec with --allow-exec.

#include <csignal>
#include <iostream>

#include <CLI/CLI.hpp>

#include "causality/domains/gate.hpp"
#include "causality/domains/plugin.hpp"
#include "causality/domains/server.hpp"
#include "causality/model/io.hpp"
#include "causality/observe/log.hpp"
#include "cli_logging.hpp"
#include "flag_checks.hpp"
#include "suggest.hpp"

int main(int argc, char** argv) {
  namespace domains = causality::domains;
  namespace cli = causality::cli;
  CLI::App app{"causality-domain: hosts execution domains for remote causality runtimes"};
  app.set_version_flag("--version", "causality-domain " CAUSALITY_VERSION);
  std::string platform_file, token_file, bind = "127.0.0.1", name = "remote", kind = "compute";
  std::vector<std::string> names;
  int port = 0, slots = 1;
  double speed = 1.0;
  std::size_t max_payload = domains::remote::default_max_payload;
  app.add_option("--platform", platform_file, "platform file holding the hosted domains");
  app.add_option("--domain", names, "hosted domain of --platform (repeatable)");
  app.add_option("--name", name, "name of the single domain given by --kind/--slots/--speed");
  app.add_option("--kind", kind, "kind of that domain: compute (default), service or verifiable; told to runtimes in the handshake");
  app.add_option("--slots", slots, "nodes run at once, 1..4096")->check(cli::whole_in(1, 4096));
  app.add_option("--speed", speed, "speed factor (work runs cpu_time_ms / speed), 0.001..1000 (as a platform's)")
      ->check(cli::number_in(1e-3, 1e3));
  app.add_option("--port", port, "TCP port 0..65535 (0: a free one)")->check(cli::whole_in(0, 65535));
  app.add_option("--bind", bind, "address to bind (beyond 127.0.0.1 needs TLS)");
  app.add_option("--token-file", token_file, "file holding the cluster token (mode 600); else CAUSALITY_TOKEN");
  app.add_option("--max-payload-bytes", max_payload, "largest accepted input payload, 1..1073741824")
      ->check(cli::whole_in(1, std::uint64_t{1} << 30));
  double handshake_timeout_ms = 5000;
  std::size_t max_unauthenticated = 64;
  app.add_option("--handshake-timeout-ms", handshake_timeout_ms,
                 "drop a connection that has not presented the token within this many ms, 1..3600000 (default 5000)")
      ->check(cli::number_in(1, 3.6e6));
  app.add_option("--max-unauthenticated", max_unauthenticated, "connections at once not yet authenticated, 1..65536 (default 64)")
      ->check(cli::whole_in(1, 65536));
  std::vector<std::string> plugins;
  app.add_option("--node-types", plugins,
                 "load node types from a plugin LIB.so (repeatable; examples/plugin/, docs/cluster.md)");
  bool allow_exec = false;
  app.add_flag("--allow-exec", allow_exec,
               "run the commands of exec nodes (argv, env, cwd as the workflow gives them) as this user; off: exec "
               "requests are refused and the handshake does not offer exec");
  causality::cli::log_flags log_flags;
  causality::cli::add_log_flags(app, log_flags);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    std::cerr << "causality-domain: " << e.what() << " (try --help)\n";  // one line, a usage error
    return 2;
  }
  if (auto bad = causality::cli::apply_log_flags(log_flags))
    return std::cerr << "causality-domain: " << bad->message() << "\n", 2;

  if (!causality::model::parse_domain_kind(kind)) {
    const std::vector<std::string> kinds{"compute", "service", "verifiable"};
    std::cerr << "causality-domain: --kind: unknown kind '" << kind << "'" << causality::cli::did_you_mean(kind, kinds)
              << " (known: " << causality::cli::join(kinds) << ")\n";
    return 2;
  }
  if (bind != "127.0.0.1" && bind != "localhost") {
    std::cerr << "causality-domain: --bind " << bind
              << ": binding beyond 127.0.0.1 requires TLS, which this build does not configure; refused\n";
    return 2;
  }
  auto token = domains::remote::load_token(token_file);
  if (!token) return std::cerr << "causality-domain: " << token.err().message() << "\n", 2;

  if (auto bad = domains::check_token(*token)) return std::cerr << "causality-domain: " << bad->message() << "\n", 2;
  domains::server_options opts;
  opts.token = *token;
  opts.handshake_timeout_ms = handshake_timeout_ms;
  opts.max_unauthenticated = max_unauthenticated;
  opts.max_payload = max_payload;
  opts.allow_exec = allow_exec;
  for (auto& lib : plugins) {
    auto types = domains::load_plugin(lib, opts.node_types);
    if (!types) return std::cerr << "causality-domain: --node-types " << types.err().message() << "\n", 2;
    opts.node_types.merge(*types);
  }
  opts.port = static_cast<std::uint16_t>(port);
  opts.logger = causality::observe::logger("cluster");  // --log-level and CAUSALITY_LOG_LEVEL reach it
  if (!platform_file.empty()) {
    auto p = causality::model::load_platform_file(platform_file);
    if (!p) return std::cerr << "causality-domain: " << p.err().message() << "\n", 2;
    if (names.empty()) return std::cerr << "causality-domain: --platform needs at least one --domain NAME\n", 2;
    for (auto& n : names) {
      auto i = p->find_domain(n);
      if (!i) {
        std::vector<std::string> known;
        for (auto& d : p->domains) known.push_back(d.name);
        std::cerr << "causality-domain: " << platform_file << ": no domain '" << n << "'"
                  << causality::cli::did_you_mean(n, known) << " (known: " << causality::cli::join(known) << ")\n";
        return 2;
      }
      auto& d = p->domains[*i];
      opts.domains.push_back({n, static_cast<int>(d.slots), d.speed, causality::model::to_string(d.kind)});
    }
  } else {
    opts.domains.push_back({name, slots, speed, kind});
  }

  auto failed = domains::serve_until_signal(
      std::move(opts), [](std::uint16_t p) { std::cout << "listening on 127.0.0.1:" << p << std::endl; });
  if (failed) return std::cerr << "causality-domain: " << failed->message() << "\n", 1;
  return 0;
}
