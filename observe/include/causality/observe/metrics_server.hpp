#pragma once
/// \file An HTTP endpoint serving GET /metrics (Prometheus text) on its own
/// thread, with Boost.Beast. Anything else gets 404 (405 for other methods
/// on /metrics). Binds 127.0.0.1 unless told otherwise.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "causality/model/error.hpp"

namespace causality::observe {

class metric_registry;

/// The /metrics endpoint. Not copyable; stop() or destruction joins its thread.
class metrics_server {
 public:
  /// Serves `registry.render_prometheus()`; the registry must outlive this.
  explicit metrics_server(const metric_registry& registry);
  /// Serves whatever `render` returns (called on the server thread).
  explicit metrics_server(std::function<std::string()> render);
  ~metrics_server();
  metrics_server(const metrics_server&) = delete;
  metrics_server& operator=(const metrics_server&) = delete;

  /// Binds `address`:`port` (port 0 picks a free one), starts the thread and
  /// returns the bound port. Errors: bad address, port in use, already started.
  model::expected<std::uint16_t> start(std::uint16_t port = 0,
                                       const std::string& address = "127.0.0.1");
  /// Closes the listener and open connections and joins the thread. Idempotent.
  void stop();
  /// The bound port, 0 when not running.
  std::uint16_t port() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace causality::observe
