#pragma once
/// \file The authenticating front end of a domain server and its runtime-side
/// connector (Boost.Asio, no CAF). CAF's BASP reads whole frames before the
/// application sees a token, so nothing reaches CAF before the peer has sent
/// a fixed-size preamble with the cluster token: the gate reads exactly
/// preamble_size bytes per connection (its only allocation before then),
/// answers one status byte, and only then splices the connection to the CAF
/// port bound on loopback. The connector does the runtime's side: CAF
/// connects to it on loopback, it connects to the gate, sends the preamble,
/// checks the status and splices.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "causality/model/error.hpp"

namespace causality::domains {

/// Bytes of the preamble: "CSLTY001", one length byte, the token, zero padding.
constexpr std::size_t preamble_size = 256;
/// Shortest token accepted (bytes), longest that fits the preamble.
constexpr std::size_t min_token_size = 16, max_token_size = preamble_size - 9;

/// Whether a token is usable; the error says why (too short / too long).
model::status check_token(const std::string& token);

/// Server side: listens on bind:port, authenticates, splices to target_port on 127.0.0.1.
class gate {
 public:
  struct options {
    std::string token;
    std::string bind = "127.0.0.1";
    std::uint16_t port = 0;                   ///< 0: a free one
    std::uint16_t target_port = 0;            ///< the CAF port on 127.0.0.1
    double handshake_timeout_ms = 5000;       ///< unauthenticated connections are dropped after it
    std::size_t max_unauthenticated = 64;     ///< beyond it new connections are closed at once
    std::function<void(const std::string&)> log;  ///< each refusal, one line
  };
  /// Binds and starts its thread; an error names the address.
  static model::expected<std::unique_ptr<gate>> start(options o);
  std::uint16_t port() const;
  ~gate();
  struct impl;

 private:
  explicit gate(std::unique_ptr<impl> i);
  std::unique_ptr<impl> impl_;
};

/// Runtime side: listens on 127.0.0.1:(free port); each connection accepted
/// there is carried to host:port through the gate with the token.
class connector {
 public:
  static model::expected<std::unique_ptr<connector>> start(std::string host, std::uint16_t port, std::string token);
  std::uint16_t local_port() const;
  /// True once the gate answered "wrong token" (the last connection attempt).
  bool refused() const;
  ~connector();
  struct impl;

 private:
  explicit connector(std::unique_ptr<impl> i);
  std::unique_ptr<impl> impl_;
};

}  // namespace causality::domains
