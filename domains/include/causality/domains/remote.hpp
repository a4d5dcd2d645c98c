#pragma once
/// \file Wire protocol between the runtime and a `causality-domain` server
/// (CAF io middleman). CAF-free: the inspect() overloads only call the
/// inspector, so this header stays light for the apps that include it.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "causality/model/value.hpp"
#include "causality/model/error.hpp"
#include "causality/model/types.hpp"

namespace causality::domains::remote {

using model::value;

/// Largest input or output payload (JSON bytes) a server accepts or a runtime sends.
constexpr std::size_t default_max_payload = 1u << 20;

/// One node to run on a remote domain; also the handshake when `node_type` is empty.
struct request {
  std::string token;      ///< the cluster's shared secret
  std::uint64_t id = 0;   ///< caller's tag, echoed in the reply; unique per attempt (cancel names it)
  std::string domain;     ///< hosted domain name
  std::string node_id;
  std::string node_type;  ///< built-in on the server: noop, work, exec with --allow-exec ("" = handshake)
  double cpu_time_ms = 0;
  double time_scale = 1.0;
  std::string input_json;
  /// node_type "exec": the command (argv, env, cwd) of the node's `exec`
  /// object, run by a server started with --allow-exec as it runs locally.
  std::vector<std::string> exec_argv;
  std::map<std::string, std::string> exec_env;
  std::string exec_cwd;
};

/// The server's answer to a request. The handshake's reply carries in
/// `output_json` what the server hosts (hosts_json).
struct reply {
  std::uint64_t id = 0;
  bool ok = false;
  std::string output_json;
  std::string error;   ///< why it failed or was refused
  double exec_ms = 0;  ///< measured on the server
  std::string stderr_tail;  ///< a command that succeeded: the end of its stderr
};

/// Stops the node of request `id` (its token fires), or drops it while it queues.
struct cancel {
  std::string token;
  std::uint64_t id = 0;
  std::string domain;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cancel& x) {
  return f(x.token, x.id, x.domain);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, request& x) {
  return f(x.token, x.id, x.domain, x.node_id, x.node_type, x.cpu_time_ms, x.time_scale, x.input_json, x.exec_argv,
           x.exec_env, x.exec_cwd);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, reply& x) {
  return f(x.id, x.ok, x.output_json, x.error, x.exec_ms, x.stderr_tail);
}

/// One hosted domain as its server runs it (the runtime compares it with
/// the platform file's domain of the same name).
struct hosted_spec {
  std::string name;
  std::string kind = "compute";
  std::uint32_t slots = 1;
  double speed = 1.0;
  bool operator==(const hosted_spec& o) const {
    return name == o.name && kind == o.kind && slots == o.slots && speed == o.speed;
  }
};

/// What a domain server hosts: its domains (names, and each one's spec) and
/// the node types it runs.
struct hosts {
  std::vector<std::string> domains, node_types;
  std::vector<hosted_spec> specs;  ///< one per domain; empty from a server that sends none
};
/// `{"domains": [...], "node_types": [...], "specs": [{"name", "kind", "slots", "speed"}...]}`.
std::string hosts_json(const hosts& h);
/// The hosts of a handshake reply; an error names the field and the reason.
model::expected<hosts> parse_hosts(const std::string& text);

/// How the server's spec of platform domain `d` differs from the platform
/// file: "" when it agrees or the server sends no spec for it; otherwise one
/// phrase per field, e.g. "speed: the platform says 2, the server 0.5".
std::string spec_mismatch(const model::domain_spec& d, const hosts& h);

/// JSON text of a value; fails for user types (value::of), which cannot travel.
model::expected<std::string> to_json(const value& v);
/// The value of a JSON text.
model::expected<value> from_json(const std::string& text);

/// The shared secret: from `token_file` when given (it must be readable by
/// its owner only), else from the environment variable CAUSALITY_TOKEN.
model::expected<std::string> load_token(const std::string& token_file);

/// Splits "host:port"; an error names the text and the reason.
model::expected<std::pair<std::string, std::uint16_t>> parse_endpoint(const std::string& text);

}  // namespace causality::domains::remote
