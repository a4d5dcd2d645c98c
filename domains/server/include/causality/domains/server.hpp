#pragma once
/// \file A domain server: hosts execution domains for remote runtimes and
/// runs their nodes. `causality-domain` is a thin CLI over serve(); an
/// application builds its own server with its own node types the same way.
/// No CAF type appears here (CAF is linked privately).

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "causality/domains/builtins.hpp"
#include "causality/domains/remote.hpp"
#include "causality/model/error.hpp"

namespace spdlog { class logger; }

namespace causality::domains {

/// One domain the server hosts.
struct hosted_domain {
  std::string name;
  int slots = 1;       ///< nodes run at once
  double speed = 1.0;  ///< speed factor given to node bodies (work runs cpu_time_ms / speed)
  std::string kind = "compute";  ///< announced in the handshake (a platform kind name)
};

/// What a server hosts and how it listens.
struct server_options {
  std::string token;                                  ///< the cluster's shared secret
  std::size_t max_payload = remote::default_max_payload;  ///< largest input accepted and output sent, JSON bytes
  std::vector<hosted_domain> domains;
  std::uint16_t port = 0;                              ///< on 127.0.0.1; 0: a free one
  /// Node types it runs, by name (requests name a node_type); default: noop,
  /// work and exec (exec only with allow_exec).
  std::map<std::string, node_fn> node_types = builtin_node_types();
  /// Runs the commands of `exec` nodes (argv, env and cwd as the request
  /// gives them, as this server's user). Off: node type "exec" is neither
  /// hosted nor announced in the handshake, and a request for it is refused
  /// naming --allow-exec.
  bool allow_exec = false;
  unsigned scheduler_threads = 2;                      ///< CAF scheduler.max-threads
  /// A connection that has not presented the token within this is dropped, ms.
  double handshake_timeout_ms = 5000;
  /// Connections at once that have not presented the token yet; more are closed.
  std::size_t max_unauthenticated = 64;
  /// Where it logs (refused requests and connections: warn; the address it
  /// hosts on: info). None: its own logger "cluster" on standard error at
  /// level warn. `causality-domain` passes observe::logger("cluster"), so
  /// --log-level and CAUSALITY_LOG_LEVEL reach it (the observe layer is above
  /// this one: it is handed in, not included).
  std::shared_ptr<spdlog::logger> logger;
};

/// Publishes the server on 127.0.0.1:port behind its authenticating front
/// end (gate.hpp; the token must have at least 16 bytes), calls `on_listening(bound port)`,
/// serves until `wait_for_stop()` returns, then shuts down. An error when it
/// cannot listen (reason names the address).
model::status serve(server_options opts, const std::function<void(std::uint16_t)>& on_listening,
                    const std::function<void()>& wait_for_stop);

/// serve() until SIGINT or SIGTERM (blocked in the calling thread before the
/// server starts its threads, then waited for): what a server's main calls.
model::status serve_until_signal(server_options opts, const std::function<void(std::uint16_t)>& on_listening);

}  // namespace causality::domains
