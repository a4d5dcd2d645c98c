// causality-domain: hosts domains and runs their nodes for a remote runtime.
// Publishes one actor with CAF's middleman on 127.0.0.1; every request must
// carry the cluster's shared secret. Built-in node types: noop, work.

#include <csignal>
#include <deque>
#include <iostream>
#include <map>
#include <memory>

#include <CLI/CLI.hpp>
#include <caf/all.hpp>
#include <caf/io/all.hpp>

#include "causality/actors/remote.hpp"
#include "causality/model/io.hpp"
#include "causality/observe/log.hpp"
#include "cli_logging.hpp"
#include "suggest.hpp"

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(caf::response_promise)

namespace {

namespace remote = causality::actors::remote;
using done_atom = caf::atom_constant<caf::atom("done")>;

struct hosted {
  std::string name;
  int slots = 1;
  double speed = 1.0;
  int running = 0;
  std::deque<std::pair<remote::request, caf::response_promise>> queue;
};

struct server_state {
  std::string token;
  std::size_t max_payload = remote::default_max_payload;
  std::map<std::string, hosted> domains;
};

/// Runs one node on its own (detached) thread, then reports to the server.
void worker(caf::blocking_actor* self, caf::actor server, remote::request req, double speed,
            caf::response_promise rp) {
  remote::reply r;
  r.id = req.id;
  auto t0 = std::chrono::steady_clock::now();
  auto in = remote::from_json(req.input_json);
  if (!in) {
    r.error = "input: " + in.err().message();
  } else {
    if (req.node_type == "work") remote::spin_for_ms(req.cpu_time_ms / std::max(1e-9, speed) * req.time_scale);
    r.ok = true;
    r.output_json = req.input_json;  // noop and work return their input
  }
  r.exec_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  self->send(server, done_atom::value, req.domain, std::move(rp), std::move(r));
}

using server_self = caf::stateful_actor<server_state>;

void pump(server_self* self, hosted& d) {
  while (d.running < d.slots && !d.queue.empty()) {
    auto [req, rp] = std::move(d.queue.front());
    d.queue.pop_front();
    ++d.running;
    self->spawn<caf::detached>(worker, caf::actor_cast<caf::actor>(self), std::move(req), d.speed, std::move(rp));
  }
}

caf::behavior server(server_self* self, server_state init) {
  self->state = std::move(init);
  auto log = causality::observe::logger("cluster");
  // A message of a type we do not speak is dropped with a logged reason.
  self->set_default_handler([log](caf::scheduled_actor*, caf::message_view& m) -> caf::result<caf::message> {
    log->warn("rejected a malformed or unknown message: {}", caf::to_string(m.content()));
    return caf::sec::unexpected_message;
  });
  return {
      [self, log](remote::request& req) -> caf::result<remote::reply> {
        auto& st = self->state;
        remote::reply refused;
        refused.id = req.id;
        if (req.token != st.token) {
          log->warn("refused a request for node '{}': wrong or missing token", req.node_id);
          refused.error = "refused: wrong or missing cluster token";
          return refused;
        }
        if (req.input_json.size() > st.max_payload) {
          log->warn("rejected node '{}': payload of {} bytes exceeds the limit of {} bytes", req.node_id,
                    req.input_json.size(), st.max_payload);
          refused.error = "rejected: payload of " + std::to_string(req.input_json.size()) +
                          " bytes exceeds the limit of " + std::to_string(st.max_payload);
          return refused;
        }
        if (req.node_type.empty()) {  // handshake: the token is good
          refused.ok = true;
          return refused;
        }
        auto d = st.domains.find(req.domain);
        if (d == st.domains.end()) {
          log->warn("rejected node '{}': domain '{}' is not hosted here", req.node_id, req.domain);
          refused.error = "rejected: domain '" + req.domain + "' is not hosted here";
          return refused;
        }
        if (req.node_type != "noop" && req.node_type != "work") {
          log->warn("rejected node '{}': unknown node type '{}'", req.node_id, req.node_type);
          refused.error = "rejected: unknown node type '" + req.node_type + "' (remote domains run noop, work)";
          return refused;
        }
        auto rp = self->make_response_promise();
        d->second.queue.emplace_back(std::move(req), rp);
        pump(self, d->second);
        return caf::delegated<remote::reply>();
      },
      [self](done_atom, const std::string& domain, caf::response_promise& rp, remote::reply& r) {
        rp.deliver(std::move(r));
        auto& d = self->state.domains[domain];
        --d.running;
        pump(self, d);
      },
  };
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"causality-domain: hosts execution domains for remote causality runtimes"};
  app.set_version_flag("--version", "causality-domain " CAUSALITY_VERSION);
  std::string platform_file, token_file, bind = "127.0.0.1", name = "remote", kind = "compute";
  std::vector<std::string> names;
  int port = 0, slots = 1;
  double speed = 1.0;
  std::size_t max_payload = remote::default_max_payload;
  app.add_option("--platform", platform_file, "platform file holding the hosted domains");
  app.add_option("--domain", names, "hosted domain of --platform (repeatable)");
  app.add_option("--name", name, "name of the single domain given by --kind/--slots/--speed");
  app.add_option("--kind", kind, "kind of that domain (informational)");
  app.add_option("--slots", slots, "nodes run at once, 1..4096")->check(CLI::Range(1, 4096));
  app.add_option("--speed", speed, "speed factor (work runs cpu_time_ms / speed), > 0 and <= 1e6")
      ->check(CLI::Range(1e-9, 1e6));
  app.add_option("--port", port, "TCP port (0: a free one)")->check(CLI::Range(0, 65535));
  app.add_option("--bind", bind, "address to bind (beyond 127.0.0.1 needs TLS)");
  app.add_option("--token-file", token_file, "file holding the cluster token (mode 600); else CAUSALITY_TOKEN");
  app.add_option("--max-payload-bytes", max_payload, "largest accepted input payload, 1..1073741824")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 30));
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

  if (bind != "127.0.0.1" && bind != "localhost") {
    std::cerr << "causality-domain: --bind " << bind
              << ": binding beyond 127.0.0.1 requires TLS, which this build does not configure; refused\n";
    return 2;
  }
  auto token = remote::load_token(token_file);
  if (!token) return std::cerr << "causality-domain: " << token.err().message() << "\n", 2;

  server_state init;
  init.token = *token;
  init.max_payload = max_payload;
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
      init.domains[n] = hosted{n, static_cast<int>(d.slots), d.speed, 0, {}};
    }
  } else {
    init.domains[name] = hosted{name, slots, speed, 0, {}};
  }

  // Signals are waited for by main; block them before CAF starts its threads.
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGINT);
  sigaddset(&sigs, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &sigs, nullptr);

  caf::actor_system_config cfg;
  cfg.load<caf::io::middleman>();
  cfg.add_message_type<remote::request>("causality_remote_request");
  cfg.add_message_type<remote::reply>("causality_remote_reply");
  cfg.set("scheduler.max-threads", static_cast<size_t>(2));
  caf::actor_system sys{cfg};
  std::string hosted_names;
  for (auto& [n, d] : init.domains) hosted_names += (hosted_names.empty() ? "" : ", ") + n;
  auto srv = sys.spawn(server, std::move(init));
  auto bound = sys.middleman().publish(srv, static_cast<std::uint16_t>(port), "127.0.0.1");
  if (!bound) {
    std::cerr << "causality-domain: cannot listen on 127.0.0.1:" << port << ": " << sys.render(bound.error()) << "\n";
    caf::anon_send_exit(srv, caf::exit_reason::user_shutdown);
    return 1;
  }
  std::cout << "listening on 127.0.0.1:" << *bound << std::endl;
  causality::observe::logger("cluster")->info("hosting {} on 127.0.0.1:{}", hosted_names, *bound);
  int sig = 0;
  sigwait(&sigs, &sig);
  caf::anon_send_exit(srv, caf::exit_reason::user_shutdown);
  return 0;
}
