// Remote domains: the connection and handshake with a domain server, and the
// watcher actor that probes it, declares it lost and re-admits it.

#include "context.hpp"

namespace causality::actors {

namespace {

using probe_atom = caf::atom_constant<caf::atom("probe")>;

/// The handshake: a request with an empty node type and the token.
remote::request hello(const std::string& token, const domain_entry& d) {
  remote::request r;
  r.token = token;
  r.domain = d.spec->name;
  return r;
}

/// An actor that does nothing: it stands for one admission of a remote domain.
/// A class, not a function: CAF 0.17 spawns a function of no arguments
/// through a null tuple pointer it dereferences (UBSan: init_fun_factory).
class guard_actor : public actor_base {
 public:
  using actor_base::actor_base;
  caf::behavior make_behavior() override {
    return {[](wake_atom) {}};
  }
};

caf::actor new_guard(caf::actor_system& sys) { return sys.spawn<guard_actor, caf::hidden>(); }

}  // namespace

// ------------------------------------------------------------- remote domains

/// Connects to a domain server (within connect_timeout_ms) and checks the
/// token (within remote_handshake_timeout_ms).
void connect_remote(caf::actor_system& sys, const engine_settings& cfg, const std::string& token, domain_entry& d) {
  const auto& name = d.spec->name;
  const auto& where = *d.spec->endpoint;
  auto ep = remote::parse_endpoint(where);
  if (!ep) throw engine_error(model::errc::invalid_input, "domain '" + name + "': " + ep.err().message());
  auto log = observe::logger("cluster");
  if (!d.via) {
    auto c = domains::connector::start(ep->first, ep->second, token);
    if (!c) throw engine_error(c.err().code, "domain '" + name + "': " + c.err().message());
    d.via = std::move(*c);
  }
  std::optional<std::string> unreachable, refused;
  std::string hosts;
  caf::actor srv;
  {
    caf::scoped_actor s{sys};
    s->request(sys.middleman().actor_handle(), span_ms(cfg.connect_timeout_ms), caf::connect_atom::value,
               std::string("127.0.0.1"), d.via->local_port())
        .receive(
            [&](const caf::node_id&, caf::strong_actor_ptr& p, const std::set<std::string>&) {
              if (p) srv = caf::actor_cast<caf::actor>(std::move(p));
              else unreachable = "no actor published there";
            },
            [&](caf::error& e) {
              unreachable = e == caf::sec::request_timeout
                                ? "no answer within connect_timeout_ms = " + std::to_string(cfg.connect_timeout_ms) +
                                      " ms"
                                : sys.render(e);
            });
    if (srv) {
      s->request(srv, span_ms(cfg.remote_handshake_timeout_ms), hello(token, d))
          .receive(
              [&](remote::reply& r) {
                if (!r.ok) refused = r.error;
                else hosts = std::move(r.output_json);
              },
                   [&](caf::error& e) {
                     unreachable = e == caf::sec::request_timeout
                                       ? "no handshake reply within remote_handshake_timeout_ms = " +
                                             std::to_string(cfg.remote_handshake_timeout_ms) + " ms"
                                       : sys.render(e);
                   });
    }
  }
  if (unreachable && d.via->refused()) refused = "refused: wrong or missing cluster token";
  if (refused) {
    log->error("domain '{}' at {}: {}", name, where, *refused);
    throw engine_error(model::errc::remote_refused, "domain '" + name + "' at " + where + ": " + *refused);
  }
  if (unreachable) {
    if (!cfg.remote_optional)
      throw engine_error(model::errc::remote_unreachable,
                         "domain '" + name + "': cannot reach " + where + ": " + *unreachable);
    log->warn("domain '{}': cannot reach {}: {}; remote_optional: running without it until it answers", name,
              where, *unreachable);
    liveness::set(d, false);
    return;
  }
  if (auto h = remote::parse_hosts(hosts)) {
    if (std::find(h->domains.begin(), h->domains.end(), name) == h->domains.end()) {
      std::string list;
      for (auto& n : h->domains) list += (list.empty() ? "" : ", ") + n;
      log->error("domain '{}' at {}: the server does not host it (it hosts {})", name, where, list);
      throw engine_error(model::errc::remote_refused, "domain '" + name + "' at " + where +
                                                          ": the server does not host it (it hosts " + list + ")");
    }
    d.hosted_types.emplace(h->node_types.begin(), h->node_types.end());
    if (auto differs = remote::spec_mismatch(*d.spec, *h); !differs.empty()) {
      if (cfg.strict_platform) {
        log->error("domain '{}' at {}: {} (strict_platform)", name, where, differs);
        throw engine_error(model::errc::remote_refused, "domain '" + name + "' at " + where + ": " + differs +
                                                            " (strict platform: the server must match the file)");
      }
      log->warn("domain '{}' at {}: {}; planning with the platform's values", name, where, differs);
    }
  } else {
    log->warn("domain '{}' at {}: {}; assuming it runs any node type", name, where, h.err().message());
  }
  liveness::link(d, {srv, new_guard(sys)});
  log->info("domain '{}' connected at {}", name, where);
}

namespace {

struct watcher_state {
  double last_ok_ms = 0;        ///< engine clock, last probe answered
  bool lost = false;
  std::uint64_t gen = 0;        ///< bumped per connection: replies of an older one are ignored
  bool probe_out = false;       ///< a probe of this connection awaits its reply
  double connect_since = -1;    ///< a reconnection is in flight since (engine clock); -1 none
  clock::timer_id timer = 0;
};

using watcher_self = stateful<watcher_state>;

void schedule_probe(watcher_self* self, const watcher_context* eng) {
  caf::weak_actor_ptr me{self->ctrl()};
  self->state.timer = eng->clk->schedule_after(
      ms(eng->heartbeat_ms),
      [me] {
        if (auto p = me.lock()) caf::anon_send(caf::actor_cast<caf::actor>(p), probe_atom::value);
      });
}

void declare_lost(watcher_self* self, domain_entry* d, const watcher_context* eng, const std::string& why, bool drop_server) {
  auto& s = self->state;
  auto l = d->link();
  if (drop_server && l.server) {
    self->demonitor(l.server);
    l.server = caf::actor{};
    ++s.gen;  // replies still due from the old connection are ignored
    s.probe_out = false;
  }
  if (!s.lost) {
    s.lost = true;
    liveness::set(*d, false);
    eng->events->publish(&observe::observer::on_domain_changed,
                        observe::domain_changed{d->spec->name, false, why, now_ms(*eng->clk)});
    if (l.guard) caf::anon_send_exit(l.guard, caf::exit_reason::user_shutdown);  // running nodes: lost
    l.guard = caf::actor{};
    caf::anon_send(d->actor, wake_atom::value);  // queued nodes: back to the balancer
  }
  liveness::link(*d, std::move(l));
}

void admit(watcher_self* self, domain_entry* d, const watcher_context* eng, caf::actor srv) {
  auto& s = self->state;
  s.last_ok_ms = now_ms(*eng->clk);
  auto l = d->link();
  if (srv && srv != l.server) {
    self->monitor(srv);
    l.server = std::move(srv);
  }
  if (!s.lost) {
    liveness::link(*d, std::move(l));
    return;
  }
  s.lost = false;
  l.guard = new_guard(self->system());
  liveness::link(*d, std::move(l));
  liveness::set(*d, true);
  eng->events->publish(&observe::observer::on_domain_changed,
                      observe::domain_changed{d->spec->name, true, "its server at " + *d->spec->endpoint + " answers again", now_ms(*eng->clk)});
  caf::anon_send(d->actor, wake_atom::value);
}

/// One heartbeat: a probe on the current connection (one at a time), or a
/// reconnection attempt when there is none.
void probe(watcher_self* self, domain_entry* d, const watcher_context* eng) {
  auto& s = self->state;
  auto now = now_ms(*eng->clk);
  auto srv = d->link().server;
  if (srv) {
    if (!s.lost && now - s.last_ok_ms > eng->dead_after_ms)
      declare_lost(self, d, eng,
                   "no heartbeat reply for " + std::to_string(static_cast<long>(now - s.last_ok_ms)) + " ms", false);
    if (s.probe_out) return;
    s.probe_out = true;
    auto gen = s.gen;
    self->request(srv, caf::infinite, hello(eng->token, *d))
        .then(
            [self, d, eng, gen](remote::reply& r) {
              if (gen != self->state.gen) return;
              self->state.probe_out = false;
              if (r.ok) admit(self, d, eng, caf::actor{});
              else observe::logger("cluster")->error("domain '{}': probe refused: {}", d->spec->name, r.error);
            },
            [self, gen](caf::error&) {
              if (gen == self->state.gen) self->state.probe_out = false;
            });
    return;
  }
  // No connection (closed, or never made): try again, one attempt per connect_timeout_ms.
  if (s.connect_since >= 0 && now - s.connect_since < eng->connect_timeout_ms) return;
  if (!d->via) return;
  s.connect_since = now;
  auto gen = ++s.gen;
  self->request(self->system().middleman().actor_handle(), caf::infinite, caf::connect_atom::value,
                std::string("127.0.0.1"), d->via->local_port())
      .then(
          [self, d, eng, gen](const caf::node_id&, caf::strong_actor_ptr& p, const std::set<std::string>&) {
            if (gen != self->state.gen || !p) return;
            auto srv = caf::actor_cast<caf::actor>(std::move(p));
            self->request(srv, caf::infinite, hello(eng->token, *d))
                .then(
                    [self, d, eng, gen, srv](remote::reply& r) {
                      if (gen != self->state.gen) return;
                      self->state.connect_since = -1;
                      if (r.ok) admit(self, d, eng, srv);
                      else
                        observe::logger("cluster")->error("domain '{}': refused on reconnection: {}", d->spec->name,
                                                          r.error);
                    },
                    [](caf::error&) {});
          },
          [self, gen](caf::error&) {
            if (gen == self->state.gen) self->state.connect_since = -1;
          });
}

caf::behavior watcher_actor(watcher_self* self, domain_entry* d, const watcher_context* eng) {
  auto& s = self->state;
  s.last_ok_ms = now_ms(*eng->clk);
  s.lost = !d->available();
  if (auto srv = d->link().server) self->monitor(srv);
  self->set_down_handler([self, d, eng](caf::down_msg& dm) {
    if (dm.source != d->link().server.address()) return;  // an older connection
    declare_lost(self, d, eng, caf::to_string(dm.reason), true);
  });
  schedule_probe(self, eng);
  return {
      [self, d, eng](probe_atom) {
        probe(self, d, eng);
        schedule_probe(self, eng);
      },
      [self, d, eng](suspect_atom, const caf::actor& guard) {
        // A remote attempt saw its server or guard go down: still this admission? Then it is lost.
        if (guard && d->link().guard == guard)
          declare_lost(self, d, eng, "a node's connection to the server went down", false);
      },
  };
}

}  // namespace

caf::actor spawn_watcher_actor(caf::actor_system& sys, domain_entry* d, const watcher_context* eng) {
  return sys.spawn(watcher_actor, d, eng);
}

}  // namespace causality::actors
