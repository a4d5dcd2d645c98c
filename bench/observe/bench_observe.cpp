// Cost of the observability hot paths and of a scrape:
//   bench_observe [--json]
// Prints a table (to stderr with --json, which prints JSON on stdout).
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "causality/observe/metrics.hpp"
#include "causality/observe/metrics_server.hpp"
#include "causality/observe/runtime_metrics.hpp"

using namespace causality::observe;
using clock_type = std::chrono::steady_clock;

namespace {

struct result {
  std::string name;
  double ns_per_op;
  double target_ns;  // speed target checked here, not by tests
};

// Runs `op` `iters` times on each of `threads` threads; ns per operation per thread.
double time_ns(std::size_t iters, int threads, const std::function<void()>& op) {
  auto t0 = clock_type::now();
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t)
    ts.emplace_back([&] {
      for (std::size_t i = 0; i < iters; ++i) op();
    });
  for (auto& t : ts) t.join();
  return std::chrono::duration<double, std::nano>(clock_type::now() - t0).count() /
         static_cast<double>(iters);
}

// Keep-alive scrapes over one connection: ns per request/response.
double scrape_ns(std::uint16_t port, int n) {
  namespace net = boost::asio;
  net::io_context ioc;
  net::ip::tcp::socket sock(ioc);
  sock.connect({net::ip::make_address("127.0.0.1"), port});
  const std::string req = "GET /metrics HTTP/1.1\r\nHost: b\r\n\r\n";
  std::string buf;
  auto t0 = clock_type::now();
  for (int i = 0; i < n; ++i) {
    net::write(sock, net::buffer(req));
    auto head = net::read_until(sock, net::dynamic_buffer(buf), "\r\n\r\n");
    auto cl = buf.find("Content-Length: ");
    std::size_t len = std::stoul(buf.substr(cl + 16));
    if (buf.size() < head + len) net::read(sock, net::dynamic_buffer(buf), net::transfer_exactly(head + len - buf.size()));
    buf.erase(0, head + len);
  }
  return std::chrono::duration<double, std::nano>(clock_type::now() - t0).count() / n;
}

}  // namespace

int main(int argc, char** argv) {
  bool json = argc > 1 && std::strcmp(argv[1], "--json") == 0;
  metric_registry reg;
  runtime_metrics m(reg);
  auto& d = m.domain("compute");
  counter* c = reg.get_counter("bench_total", "b").value();
  histogram* h = reg.get_histogram("bench_seconds", "b", node_latency_buckets_seconds()).value();
  const std::size_t n = 5'000'000;
  std::vector<result> rs;
  rs.push_back({"counter.inc, 1 thread", time_ns(n, 1, [&] { c->inc(); }), 50});
  rs.push_back({"counter.inc, 2 threads same counter", time_ns(n, 2, [&] { c->inc(); }), 500});
  double v = 0;
  rs.push_back({"histogram.observe, 1 thread", time_ns(n, 1, [&] { h->observe(v += 0.37); }), 100});
  rs.push_back({"domain.node_finished (counter+histogram)",
                time_ns(n, 1, [&] { d.node_finished(42.0); }), 150});
  for (int i = 0; i < 50; ++i) m.domain("domain-" + std::to_string(i)).node_started();
  std::size_t bytes = reg.render_prometheus().size();
  rs.push_back({"render_prometheus, 51 domains (" + std::to_string(bytes) + " B)",
                time_ns(2000, 1, [&] { (void)reg.render_prometheus(); }), 1e6});
  metrics_server server(reg);
  auto port = server.start(0).value();
  rs.push_back({"GET /metrics keep-alive round trip, 51 domains", scrape_ns(port, 1000), 5e6});
  server.stop();

  bool ok = true;
  FILE* table = json ? stderr : stdout;
  std::fprintf(table, "%-50s %14s %12s %s\n", "case", "ns/op", "target ns", "ok");
  for (const auto& r : rs) {
    bool pass = r.ns_per_op <= r.target_ns;
    ok = ok && pass;
    std::fprintf(table, "%-50s %14.1f %12.0f %s\n", r.name.c_str(), r.ns_per_op, r.target_ns,
                 pass ? "yes" : "NO");
  }
  if (json) {
    std::printf("{\"bench\": \"observe\", \"results\": [");
    for (std::size_t i = 0; i < rs.size(); ++i)
      std::printf("%s{\"case\": \"%s\", \"ns_per_op\": %.1f, \"target_ns\": %.0f}", i ? ", " : "",
                  rs[i].name.c_str(), rs[i].ns_per_op, rs[i].target_ns);
    std::printf("]}\n");
  }
  return ok ? 0 : 1;
}
