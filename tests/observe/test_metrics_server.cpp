#include <catch2/catch.hpp>

#include <sstream>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "causality/observe/metrics.hpp"
#include "causality/observe/metrics_server.hpp"
#include "causality/observe/runtime_metrics.hpp"
#include "prometheus_parser.hpp"

using namespace causality::observe;
using causality::test::parse_exposition;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

struct http_reply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

// Sends raw bytes to 127.0.0.1:port and reads until the server closes.
std::string send_raw(std::uint16_t port, const std::string& request) {
  net::io_context ioc;
  tcp::socket sock(ioc);
  sock.connect({net::ip::make_address("127.0.0.1"), port});
  boost::system::error_code ec;
  // The server may close mid-request (oversized input): a failed write is
  // then expected, and whatever it answered is still read below.
  net::write(sock, net::buffer(request), ec);
  std::string data;
  net::read(sock, net::dynamic_buffer(data), ec);
  REQUIRE((ec == net::error::eof || ec == net::error::connection_reset || !ec));
  return data;
}

// A minimal HTTP/1.1 response parser (status line, headers, Content-Length body).
http_reply parse_reply(const std::string& raw) {
  http_reply r;
  auto head_end = raw.find("\r\n\r\n");
  REQUIRE(head_end != std::string::npos);
  std::istringstream head(raw.substr(0, head_end));
  std::string line;
  std::getline(head, line);
  REQUIRE(line.rfind("HTTP/1.1 ", 0) == 0);
  r.status = std::stoi(line.substr(9, 3));
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto colon = line.find(':');
    REQUIRE(colon != std::string::npos);
    std::string name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
  }
  r.body = raw.substr(head_end + 4);
  REQUIRE(r.headers.count("content-length"));
  CHECK(std::stoul(r.headers["content-length"]) == r.body.size());
  return r;
}

http_reply get(std::uint16_t port, const std::string& target, const std::string& method = "GET") {
  return parse_reply(send_raw(port, method + " " + target +
                                        " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
}

}  // namespace

TEST_CASE("GET /metrics over a real socket returns the registry in exposition format",
          "[observe][server]") {
  metric_registry reg;
  runtime_metrics m(reg);
  auto& d = m.domain("compute-a");
  d.node_started();
  d.node_finished(42);
  d.cost_accrued(110);

  metrics_server server(reg);
  auto port = server.start(0);
  REQUIRE(port);
  REQUIRE(*port != 0);
  CHECK(server.port() == *port);

  auto r = get(*port, "/metrics");
  CHECK(r.status == 200);
  CHECK(r.headers["content-type"].rfind("text/plain; version=0.0.4", 0) == 0);
  auto e = parse_exposition(r.body);
  CHECK(e.value("causality_nodes_started_total", {{"domain", "compute-a"}}) == 1);
  CHECK(e.value("causality_cost_accrued_total", {{"domain", "compute-a"}}) == 110);
  CHECK(e.value("causality_node_latency_seconds_bucket", {{"domain", "compute-a"}, {"le", "0.05"}}) == 1);
  CHECK(e.value("causality_strategy_switches_total") == 0);

  // A later scrape sees later updates.
  m.strategy_switched();
  d.node_started();
  auto e2 = parse_exposition(get(*port, "/metrics?x=1").body);
  CHECK(e2.value("causality_strategy_switches_total") == 1);
  CHECK(e2.value("causality_nodes_started_total", {{"domain", "compute-a"}}) == 2);
}

TEST_CASE("other paths get 404 and other methods 405", "[observe][server]") {
  metric_registry reg;
  metrics_server server(reg);
  auto port = server.start(0).value();
  CHECK(get(port, "/").status == 404);
  CHECK(get(port, "/metricsx").status == 404);
  auto post = get(port, "/metrics", "POST");
  CHECK(post.status == 405);
  CHECK(post.headers["allow"] == "GET");
}

TEST_CASE("keep-alive serves several scrapes on one connection", "[observe][server]") {
  metric_registry reg;
  reg.get_gauge("g", "a gauge").value()->set(5);
  metrics_server server(reg);
  auto port = server.start(0).value();
  const std::string keep = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string last = "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  auto raw = send_raw(port, keep + last);
  auto second = raw.find("HTTP/1.1 200", 1);
  REQUIRE(second != std::string::npos);
  CHECK(parse_exposition(parse_reply(raw.substr(0, second)).body).value("g") == 5);
  CHECK(parse_exposition(parse_reply(raw.substr(second)).body).value("g") == 5);
}

TEST_CASE("garbage and oversized requests are dropped and the server keeps serving",
          "[observe][server]") {
  metric_registry reg;
  metrics_server server(reg);
  auto port = server.start(0).value();
  CHECK(send_raw(port, "NOT HTTP AT ALL\r\n\r\n").find("200") == std::string::npos);
  std::string huge = "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(64 * 1024, 'a') +
                     "\r\n\r\n";
  CHECK(send_raw(port, huge).find("HTTP/1.1 200") == std::string::npos);
  CHECK(get(port, "/metrics").status == 200);
}

TEST_CASE("a busy port is an error and stop closes the listener", "[observe][server]") {
  metric_registry reg;
  metrics_server a(reg), b(reg);
  auto port = a.start(0).value();
  auto clash = b.start(port);
  REQUIRE_FALSE(clash);
  CHECK(clash.err().message().find(std::to_string(port)) != std::string::npos);
  CHECK_FALSE(a.start(0));  // already running

  a.stop();
  CHECK(a.port() == 0);
  a.stop();  // idempotent
  net::io_context ioc;
  tcp::socket sock(ioc);
  boost::system::error_code ec;
  sock.connect({net::ip::make_address("127.0.0.1"), port}, ec);
  CHECK(ec == net::error::connection_refused);

  auto again = a.start(0);  // restartable
  REQUIRE(again);
  CHECK(get(*again, "/metrics").status == 200);
}

TEST_CASE("a bad listen address is an error", "[observe][server]") {
  metric_registry reg;
  metrics_server s(reg);
  auto r = s.start(0, "not-an-address");
  REQUIRE_FALSE(r);
  CHECK(r.err().message().find("not-an-address") != std::string::npos);
}
