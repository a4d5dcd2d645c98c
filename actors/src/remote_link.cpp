// Remote domains: the handshake with a domain server and the watcher actor
// that marks a domain lost when its server goes away.

#include "messages.hpp"

namespace causality::actors {

// ------------------------------------------------------------- remote domains

/// Connects to a domain server and checks the token with a handshake.
void connect_remote(impl& m, domain_rt& d) {
  const auto& name = d.spec->name;
  auto ep = remote::parse_endpoint(*d.spec->endpoint);
  if (!ep) throw engine_error(model::errc::invalid_input, "domain '" + name + "': " + ep.err().message());
  auto a = m.sys->middleman().remote_actor(ep->first, ep->second);
  if (!a)
    throw engine_error(model::errc::remote_unreachable, "domain '" + name + "': cannot reach " + *d.spec->endpoint + ": " +
                                m.sys->render(a.error()));
  std::optional<std::string> refused;
  {
    caf::scoped_actor s{*m.sys};
    remote::request hello;
    hello.token = m.token;
    hello.domain = name;
    s->request(*a, span_ms(m.cfg.remote_handshake_timeout_ms), std::move(hello))
        .receive([&](remote::reply& r) { if (!r.ok) refused = r.error; },
                 [&](caf::error& e) { refused = m.sys->render(e); });
  }
  if (refused) {
    observe::logger("cluster")->error("domain '{}' at {}: {}", name, *d.spec->endpoint, *refused);
    throw engine_error(model::errc::remote_refused, "domain '" + name + "' at " + *d.spec->endpoint + ": " + *refused);
  }
  d.remote = *a;
  observe::logger("cluster")->info("domain '{}' connected at {}", name, *d.spec->endpoint);
}

/// Watches a remote domain: when its server goes away (CAF down message, or
/// the middleman's heartbeat gives up) the domain gets no more nodes and its
/// queue goes back to the balancer.
caf::behavior watcher_actor(caf::event_based_actor* self, domain_rt* d) {
  self->monitor(d->remote);
  self->set_down_handler([self, d](caf::down_msg& dm) {
    d->available.store(false);
    observe::logger("cluster")->error("domain '{}' lost ({}): its nodes run elsewhere", d->spec->name,
                                      caf::to_string(dm.reason));
    caf::anon_send(d->actor, wake_atom::value);
    self->quit();
  });
  return {[](wake_atom) {}};
}

}  // namespace causality::actors
