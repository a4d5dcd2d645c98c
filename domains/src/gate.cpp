// The authenticating front end (gate) and the runtime-side connector: a
// fixed-size token preamble, one status byte, then a byte-for-byte splice.

#include "causality/domains/gate.hpp"

#include <utility>  // before Asio (TOOLCHAIN.md)

#include <array>
#include <atomic>
#include <chrono>
#include <cstring>
#include <thread>

#include <boost/asio.hpp>

namespace causality::domains {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

constexpr char magic[8] = {'C', 'S', 'L', 'T', 'Y', '0', '0', '1'};
constexpr char status_ok = 'K', status_refused = 'R';

std::array<char, preamble_size> make_preamble(const std::string& token) {
  std::array<char, preamble_size> p{};
  std::memcpy(p.data(), magic, sizeof magic);
  p[8] = static_cast<char>(token.size());
  std::memcpy(p.data() + 9, token.data(), token.size());
  return p;
}

/// Compares every byte whatever the first difference (no timing hint).
bool same(const std::array<char, preamble_size>& a, const std::array<char, preamble_size>& b) {
  unsigned char d = 0;
  for (std::size_t i = 0; i < preamble_size; ++i) d |= static_cast<unsigned char>(a[i] ^ b[i]);
  return d == 0;
}

/// Copies bytes both ways between two connected sockets (16 KiB each way)
/// until either side closes; then closes both.
struct splice : std::enable_shared_from_this<splice> {
  splice(tcp::socket a, tcp::socket b) : a_(std::move(a)), b_(std::move(b)) {}
  void start() {
    pump(a_, b_, ab_);
    pump(b_, a_, ba_);
  }

 private:
  void pump(tcp::socket& from, tcp::socket& to, std::array<char, 16384>& buf) {
    from.async_read_some(asio::buffer(buf), [self = shared_from_this(), &from, &to, &buf](error_code ec, std::size_t n) {
      if (ec) return self->close();
      asio::async_write(to, asio::buffer(buf.data(), n), [self, &from, &to, &buf](error_code ec2, std::size_t) {
        if (ec2) return self->close();
        self->pump(from, to, buf);
      });
    });
  }
  void close() {
    error_code ignored;
    a_.shutdown(tcp::socket::shutdown_both, ignored);
    b_.shutdown(tcp::socket::shutdown_both, ignored);
    a_.close(ignored);
    b_.close(ignored);
  }
  tcp::socket a_, b_;
  std::array<char, 16384> ab_, ba_;
};

/// An io_context on its own thread, stopped and joined on destruction.
struct io_thread {
  asio::io_context io;
  std::thread th;
  void run() {
    th = std::thread([this] { io.run(); });
  }
  /// Stops the thread; the derived class calls it first in its destructor,
  /// before its acceptor and sockets go.
  void stop() {
    io.stop();
    if (th.joinable()) th.join();
  }
};

}  // namespace

model::status check_token(const std::string& token) {
  if (token.size() < min_token_size)
    return model::make_error(model::errc::invalid_input, "the cluster token has " + std::to_string(token.size()) +
                                                             " bytes; at least " + std::to_string(min_token_size) +
                                                             " are required");
  if (token.size() > max_token_size)
    return model::make_error(model::errc::invalid_input, "the cluster token has " + std::to_string(token.size()) +
                                                             " bytes; at most " + std::to_string(max_token_size) +
                                                             " fit the preamble");
  return std::nullopt;
}

// ----------------------------------------------------------------------- gate

struct gate::impl : io_thread {
  ~impl() { stop(); }
  options opt;
  std::array<char, preamble_size> expected{};
  tcp::acceptor acceptor{io};
  std::size_t unauthenticated = 0;  ///< only touched on the io thread

  void log(const std::string& line) {
    if (opt.log) opt.log(line);
  }

  struct session : std::enable_shared_from_this<session> {
    session(impl& g, tcp::socket s) : g(g), client(std::move(s)), upstream(g.io), timer(g.io) {}
    impl& g;
    tcp::socket client, upstream;
    asio::steady_timer timer;
    std::array<char, preamble_size> pre{};
    bool counted = true;
    std::string peer;

    void leave_unauthenticated() {
      if (counted) --g.unauthenticated, counted = false;
    }
    void drop() {
      leave_unauthenticated();
      error_code ignored;
      timer.cancel(ignored);
      client.close(ignored);
      upstream.close(ignored);
    }
    void start() {
      error_code ec;
      auto ep = client.remote_endpoint(ec);
      peer = ec ? "?" : ep.address().to_string() + ":" + std::to_string(ep.port());
      timer.expires_after(std::chrono::duration_cast<asio::steady_timer::duration>(
          std::chrono::duration<double, std::milli>(g.opt.handshake_timeout_ms)));
      timer.async_wait([self = shared_from_this()](error_code e) {
        if (e || !self->counted) return;
        self->g.log("dropped a connection from " + self->peer + ": not authenticated within handshake_timeout_ms");
        self->drop();
      });
      asio::async_read(client, asio::buffer(pre), [self = shared_from_this()](error_code e, std::size_t) {
        if (!self->counted) return;  // timed out
        self->timer.cancel();
        if (e) return self->drop();
        if (!same(self->pre, self->g.expected)) {
          self->g.log("refused a connection from " + self->peer + ": wrong or missing token");
          self->leave_unauthenticated();
          asio::async_write(self->client, asio::buffer(&status_refused, 1),
                            [self](error_code, std::size_t) { self->drop(); });
          return;
        }
        self->leave_unauthenticated();
        self->upstream.async_connect(tcp::endpoint(asio::ip::address_v4::loopback(), self->g.opt.target_port),
                                     [self](error_code e2) {
                                       if (e2) return self->drop();
                                       asio::async_write(self->client, asio::buffer(&status_ok, 1),
                                                         [self](error_code e3, std::size_t) {
                                                           if (e3) return self->drop();
                                                           std::make_shared<splice>(std::move(self->client),
                                                                                    std::move(self->upstream))
                                                               ->start();
                                                         });
                                     });
      });
    }
  };

  void accept() {
    acceptor.async_accept([this](error_code ec, tcp::socket s) {
      if (ec) {
        if (ec != asio::error::operation_aborted) accept();
        return;
      }
      if (unauthenticated >= opt.max_unauthenticated) {
        log("refused a connection: " + std::to_string(unauthenticated) +
            " unauthenticated connections already (max_unauthenticated)");
        error_code ignored;
        s.close(ignored);
      } else {
        ++unauthenticated;
        std::make_shared<session>(*this, std::move(s))->start();
      }
      accept();
    });
  }
};

gate::gate(std::unique_ptr<impl> i) : impl_(std::move(i)) {}
gate::~gate() = default;
std::uint16_t gate::port() const { return impl_->acceptor.local_endpoint().port(); }

model::expected<std::unique_ptr<gate>> gate::start(options o) {
  if (auto bad = check_token(o.token)) return *bad;
  auto g = std::make_unique<impl>();
  g->opt = std::move(o);
  g->expected = make_preamble(g->opt.token);
  error_code ec;
  auto where = g->opt.bind + ":" + std::to_string(g->opt.port);
  auto addr = asio::ip::make_address(g->opt.bind == "localhost" ? "127.0.0.1" : g->opt.bind, ec);
  if (ec) return model::make_error(model::errc::invalid_input, "cannot listen on " + where + ": " + ec.message());
  tcp::endpoint ep(addr, g->opt.port);
  g->acceptor.open(ep.protocol(), ec);
  if (!ec) g->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);  // restart on the same port at once
  if (!ec) g->acceptor.bind(ep, ec);
  if (!ec) g->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return model::make_error(model::errc::internal, "cannot listen on " + where + ": " + ec.message());
  g->accept();
  g->run();
  return std::unique_ptr<gate>(new gate(std::move(g)));
}

// ------------------------------------------------------------------ connector

struct connector::impl : io_thread {
  ~impl() { stop(); }
  tcp::acceptor acceptor{io};
  tcp::resolver::results_type target;
  std::array<char, preamble_size> pre{};
  std::atomic<bool> refused{false};

  struct session : std::enable_shared_from_this<session> {
    session(impl& c, tcp::socket s) : c(c), local(std::move(s)), upstream(c.io) {}
    impl& c;
    tcp::socket local, upstream;
    char status = 0;
    void drop() {
      error_code ignored;
      local.close(ignored);
      upstream.close(ignored);
    }
    void start() {
      asio::async_connect(upstream, c.target, [self = shared_from_this()](error_code e, const tcp::endpoint&) {
        if (e) return self->drop();
        asio::async_write(self->upstream, asio::buffer(self->c.pre), [self](error_code e2, std::size_t) {
          if (e2) return self->drop();
          asio::async_read(self->upstream, asio::buffer(&self->status, 1), [self](error_code e3, std::size_t) {
            if (e3 || self->status != status_ok) {
              if (!e3 && self->status == status_refused) self->c.refused.store(true);
              return self->drop();
            }
            self->c.refused.store(false);
            std::make_shared<splice>(std::move(self->local), std::move(self->upstream))->start();
          });
        });
      });
    }
  };

  void accept() {
    acceptor.async_accept([this](error_code ec, tcp::socket s) {
      if (ec) {
        if (ec != asio::error::operation_aborted) accept();
        return;
      }
      std::make_shared<session>(*this, std::move(s))->start();
      accept();
    });
  }
};

connector::connector(std::unique_ptr<impl> i) : impl_(std::move(i)) {}
connector::~connector() = default;
std::uint16_t connector::local_port() const { return impl_->acceptor.local_endpoint().port(); }
bool connector::refused() const { return impl_->refused.load(); }

model::expected<std::unique_ptr<connector>> connector::start(std::string host, std::uint16_t port, std::string token) {
  if (auto bad = check_token(token)) return *bad;
  auto c = std::make_unique<impl>();
  c->pre = make_preamble(token);
  error_code ec;
  tcp::resolver r(c->io);
  c->target = r.resolve(host, std::to_string(port), ec);
  if (ec) return model::make_error(model::errc::remote_unreachable, "cannot resolve " + host + ": " + ec.message());
  tcp::endpoint ep(asio::ip::address_v4::loopback(), 0);
  c->acceptor.open(ep.protocol(), ec);
  if (!ec) c->acceptor.bind(ep, ec);
  if (!ec) c->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return model::make_error(model::errc::internal, "connector on 127.0.0.1: " + ec.message());
  c->accept();
  c->run();
  return std::unique_ptr<connector>(new connector(std::move(c)));
}

}  // namespace causality::domains
