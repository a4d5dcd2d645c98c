#include "causality/observe/metrics_server.hpp"

#include <chrono>
#include <mutex>
#include <optional>
#include <thread>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "causality/observe/log.hpp"
#include "causality/observe/metrics.hpp"

namespace causality::observe {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// A scrape request is a few hundred bytes; anything large is refused early.
constexpr std::uint32_t header_limit = 8 * 1024;
constexpr std::uint64_t body_limit = 16 * 1024;
constexpr std::chrono::seconds io_timeout{10};

/// One connection: read a request, answer, repeat while keep-alive.
class session : public std::enable_shared_from_this<session> {
 public:
  session(tcp::socket socket, const std::function<std::string()>& render)
      : stream_(std::move(socket)), render_(render) {}

  void read() {
    parser_.emplace();
    parser_->header_limit(header_limit);
    parser_->body_limit(body_limit);
    stream_.expires_after(io_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       self->on_read(ec);
                     });
  }

 private:
  void on_read(beast::error_code ec) {
    if (ec) {
      if (ec != http::error::end_of_stream && ec != beast::error::timeout)
        logger("monitor")->debug("metrics endpoint: bad request: {}", ec.message());
      close();
      return;
    }
    const auto& req = parser_->get();
    res_ = {};
    res_.version(req.version());
    res_.keep_alive(req.keep_alive());
    res_.set(http::field::server, "causality");
    auto target = std::string(req.target());
    auto path = target.substr(0, target.find('?'));
    if (path != "/metrics") {
      res_.result(http::status::not_found);
      res_.set(http::field::content_type, "text/plain; charset=utf-8");
      res_.body() = "not found; metrics are at /metrics\n";
    } else if (req.method() != http::verb::get) {
      res_.result(http::status::method_not_allowed);
      res_.set(http::field::allow, "GET");
      res_.set(http::field::content_type, "text/plain; charset=utf-8");
      res_.body() = "only GET\n";
    } else {
      res_.result(http::status::ok);
      res_.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
      res_.body() = render_();
    }
    res_.prepare_payload();
    stream_.expires_after(io_timeout);
    http::async_write(stream_, res_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec || !self->res_.keep_alive()) self->close();
      else self->read();
    });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> res_;
  const std::function<std::string()>& render_;
};

}  // namespace

struct metrics_server::impl {
  std::function<std::string()> render;
  mutable std::mutex mutex;  // guards start/stop against each other
  std::unique_ptr<net::io_context> ioc;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::thread thread;
  std::uint16_t port = 0;

  void accept() {
    acceptor->async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (ec != net::error::operation_aborted)
          logger("monitor")->warn("metrics endpoint: accept failed: {}", ec.message());
        if (!acceptor->is_open()) return;
      } else {
        std::make_shared<session>(std::move(socket), render)->read();
      }
      accept();
    });
  }
};

metrics_server::metrics_server(const metric_registry& registry)
    : metrics_server([&registry] { return registry.render_prometheus(); }) {}

metrics_server::metrics_server(std::function<std::string()> render)
    : impl_(std::make_unique<impl>()) {
  impl_->render = std::move(render);
}

metrics_server::~metrics_server() { stop(); }

model::expected<std::uint16_t> metrics_server::start(std::uint16_t port,
                                                     const std::string& address) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  const std::string where = "--metrics-port";
  if (impl_->ioc) return model::error{"", where, "metrics endpoint already started"};
  beast::error_code ec;
  auto addr = net::ip::make_address(address, ec);
  if (ec) return model::error{"", where, "bad listen address '" + address + "': " + ec.message()};
  auto ioc = std::make_unique<net::io_context>(1);
  auto acceptor = std::make_unique<tcp::acceptor>(*ioc);
  tcp::endpoint ep(addr, port);
  auto fail = [&](const char* what) {
    return model::error{"", where,
                        std::string(what) + " " + address + ":" + std::to_string(port) + ": " +
                            ec.message()};
  };
  if (acceptor->open(ep.protocol(), ec); ec) return fail("cannot open");
  if (acceptor->set_option(net::socket_base::reuse_address(true), ec); ec) return fail("cannot set options on");
  if (acceptor->bind(ep, ec); ec) return fail("cannot bind");
  if (acceptor->listen(net::socket_base::max_listen_connections, ec); ec) return fail("cannot listen on");
  impl_->port = acceptor->local_endpoint().port();
  impl_->ioc = std::move(ioc);
  impl_->acceptor = std::move(acceptor);
  impl_->accept();
  impl_->thread = std::thread([io = impl_->ioc.get()] { io->run(); });
  logger("monitor")->info("metrics at http://{}:{}/metrics", address, impl_->port);
  return impl_->port;
}

void metrics_server::stop() {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  if (!impl_->ioc) return;
  impl_->ioc->stop();
  impl_->thread.join();
  // Destroying the context destroys pending handlers, hence the sessions and
  // their sockets: no connection outlives stop().
  impl_->acceptor.reset();
  impl_->ioc.reset();
  impl_->port = 0;
}

std::uint16_t metrics_server::port() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->port;
}

}  // namespace causality::observe
