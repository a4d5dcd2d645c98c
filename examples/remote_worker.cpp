// A domain server with its own node types: the same node_fn an application
// registers in-process (runtime::register_node_type) runs here for remote
// runtimes. Start it, then give a platform domain its endpoint:
//
//   export CAUSALITY_TOKEN=$(head -c 24 /dev/urandom | base64)
//   build/bin/example_remote_worker --name far --slots 2 --port 0
//   # first line: listening on 127.0.0.1:PORT
//
// A workflow with node_of_type("sq", "square") then runs "sq" in this
// process when the runtime places it on "far". Stops on SIGINT/SIGTERM.

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>

#include "causality/domains/server.hpp"

namespace domains = causality::domains;
using causality::model::value;

int main(int argc, char** argv) {
  domains::hosted_domain dom{"remote", 1, 1.0};
  int port = 0;
  std::string token_file;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], arg = argv[i + 1];
    if (flag == "--name") dom.name = arg;
    else if (flag == "--slots") dom.slots = std::max(1, std::atoi(arg.c_str()));
    else if (flag == "--port") port = std::atoi(arg.c_str());
    else if (flag == "--token-file") token_file = arg;
    else return std::cerr << "example_remote_worker: unknown flag " << flag << "\n", 2;
  }
  auto token = domains::remote::load_token(token_file);
  if (!token) return std::cerr << "example_remote_worker: " << token.err().message() << "\n", 2;

  domains::server_options opts;
  opts.token = *token;
  opts.port = static_cast<std::uint16_t>(port);
  opts.domains.push_back(dom);
  // Its own node types, next to the built-in noop and work.
  opts.node_types["square"] = [](const value& in, domains::node_context&) {
    return in.is_int() ? value(in.as_int() * in.as_int()) : value(in.as_double() * in.as_double());
  };
  opts.node_types["shout"] = [](const value& in, domains::node_context& ctx) {
    std::string s = in.as_string();
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return value(s + "! (on " + ctx.domain.name + ")");
  };

  auto failed = domains::serve_until_signal(
      std::move(opts), [](std::uint16_t p) { std::cout << "listening on 127.0.0.1:" << p << std::endl; });
  if (failed) return std::cerr << "example_remote_worker: " << failed->message() << "\n", 1;
  return 0;
}
