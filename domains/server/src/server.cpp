// The domain server actor: checks the token and payload of each request,
// queues it on its domain's slot pool and runs it on a detached thread.

#include "causality/domains/server.hpp"

#include <csignal>
#include <chrono>
#include <atomic>
#include <deque>
#include <memory>

#include <caf/all.hpp>
#include <caf/io/all.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "causality/domains/gate.hpp"
#include "causality/domains/slot_pool.hpp"

#if defined(__SANITIZE_THREAD__)
#define CAUSALITY_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define CAUSALITY_TSAN 1
#endif
#endif
#ifdef CAUSALITY_TSAN
#include <sanitizer/tsan_interface.h>
#endif

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(caf::response_promise)

namespace causality::domains {
namespace {

using done_atom = caf::atom_constant<caf::atom("done")>;

struct hosted {
  hosted(int slots, double speed) : pool(slots), speed(speed) {}
  slot_pool pool;
  double speed = 1.0;
  std::deque<std::pair<remote::request, caf::response_promise>> queue;
};

struct server_state {
  std::string token;
  std::size_t max_payload = remote::default_max_payload;
  std::map<std::string, std::unique_ptr<hosted>> domains;
  std::shared_ptr<const std::map<std::string, node_fn>> node_types;
  std::string type_names;  ///< "noop, work" for the refusal message
  std::string hosts;       ///< remote::hosts_json, the handshake's answer
  std::size_t max_payload_out = remote::default_max_payload;
  /// Cancellation flags of the nodes running now, by request id.
  std::map<std::uint64_t, std::shared_ptr<std::atomic<bool>>> running;
  std::shared_ptr<spdlog::logger> log;
};

/// The logger of a server whose options name none: "cluster" on stderr at
/// warn (what the observe layer's loggers do until configured).
std::shared_ptr<spdlog::logger> default_logger() {
  static const auto lg = [] {
    auto l = std::make_shared<spdlog::logger>("cluster", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    l->set_level(spdlog::level::warn);
    return l;
  }();
  return lg;
}

/// Runs one node on its own (detached) thread, then reports to the server.
void worker(caf::blocking_actor* self, caf::actor server, remote::request req, double speed, std::size_t max_out,
            std::shared_ptr<const node_fn> fn, std::shared_ptr<std::atomic<bool>> cancelled, caf::response_promise rp) {
  remote::reply r;
  r.id = req.id;
  auto t0 = std::chrono::steady_clock::now();
  auto in = remote::from_json(req.input_json);
  if (!in) {
    r.error = "input: " + in.err().message();
  } else {
    model::dataflow_node spec;
    spec.node_id = req.node_id;
    spec.node_type = req.node_type;
    if (!req.exec_argv.empty()) spec.exec = model::exec_spec{req.exec_argv, req.exec_env, req.exec_cwd};
    spec.resources.cpu_time_ms = static_cast<decltype(spec.resources.cpu_time_ms)>(req.cpu_time_ms);
    model::domain_spec dom;
    dom.name = req.domain;
    dom.speed = speed;
    workflow_state state({}, {});
    node_context ctx{spec.node_id, 0, 1, spec, dom, req.time_scale, cancel_token(cancelled.get(), nullptr), state};
    ctx.stderr_out = &r.stderr_tail;
    try {
      auto out = (*fn)(*in, ctx);
      if (out.same_payload(*in)) {  // noop and work return their input: send its text back as is
        r.ok = true;
        r.output_json = req.input_json;
      } else if (auto j = remote::to_json(out)) {
        r.ok = true;
        r.output_json = std::move(*j);
      } else {
        r.error = "output: " + j.err().message();
      }
    } catch (const std::exception& e) {
      r.error = e.what();
    }
  }
  if (r.ok && r.output_json.size() > max_out) {
    r.ok = false;
    r.error = "rejected: output of " + std::to_string(r.output_json.size()) + " bytes exceeds the limit of " +
              std::to_string(max_out) + " bytes";
    r.output_json.clear();
  }
  r.exec_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  self->send(server, done_atom::value, req.domain, std::move(rp), std::move(r));
}

#ifdef CAUSALITY_TSAN
/// Under ThreadSanitizer, the server actor shows TSan the hand-offs of the
/// uninstrumented libcaf_core (its mailbox, scheduler and reference counts
/// are atomics TSan cannot see), as the engine's actors do
/// (actors/src/annotated_actor.hpp says which edge each hook stands for).
/// Any other build spawns a plain caf::event_based_actor.
class annotated_actor : public caf::event_based_actor {
 public:
  using super = caf::event_based_actor;
  using super::super;
  void launch(caf::execution_unit* eu, bool lazy, bool hide) override {
    __tsan_release(this);
    super::launch(eu, lazy, hide);
  }
  void enqueue(caf::mailbox_element_ptr ptr, caf::execution_unit* eu) override {
    __tsan_release(this);
    super::enqueue(std::move(ptr), eu);
  }
  caf::resumable::resume_result resume(caf::execution_unit* eu, size_t max_throughput) override {
    __tsan_acquire(this);
    auto r = super::resume(eu, max_throughput);
    __tsan_release(this);
    return r;
  }
  caf::invoke_message_result consume(caf::mailbox_element& x) override {
    __tsan_acquire(this);
    auto r = super::consume(x);
    __tsan_release(this);
    return r;
  }
  bool cleanup(caf::error&& reason, caf::execution_unit* eu) override {
    __tsan_acquire(this);
    return super::cleanup(std::move(reason), eu);
  }
  void on_destroy() override {
    __tsan_acquire(this);
    super::on_destroy();
  }

 protected:
  void initialize() override {
    __tsan_acquire(this);
    super::initialize();
    __tsan_release(this);
  }
};
using server_self = caf::stateful_actor<server_state, annotated_actor>;
#else
using server_self = caf::stateful_actor<server_state>;
#endif

/// Bytes a request asks the server to take: its input and, for exec, its command.
std::size_t payload_bytes(const remote::request& r) {
  std::size_t n = r.input_json.size() + r.exec_cwd.size();
  for (auto& a : r.exec_argv) n += a.size();
  for (auto& [k, v] : r.exec_env) n += k.size() + v.size();
  return n;
}

void pump(server_self* self, hosted& d) {
  while (!d.queue.empty() && d.pool.try_acquire()) {
    auto [req, rp] = std::move(d.queue.front());
    d.queue.pop_front();
    d.pool.remove_queued(1);
    auto fn = std::make_shared<const node_fn>(self->state.node_types->at(req.node_type));
    auto flag = std::make_shared<std::atomic<bool>>(false);
    self->state.running[req.id] = flag;
    self->spawn<caf::detached>(worker, caf::actor_cast<caf::actor>(self), std::move(req), d.speed,
                               self->state.max_payload_out, std::move(fn), std::move(flag), std::move(rp));
  }
}

caf::behavior server(server_self* self, server_state init) {
  self->state = std::move(init);
  auto log = self->state.log;
  // A message of a type we do not speak is dropped with a logged reason.
  self->set_default_handler([log](caf::scheduled_actor*, caf::message_view& m) -> caf::result<caf::message> {
    log->warn("rejected a malformed or unknown message: {}", caf::to_string(m.content()));
    return caf::sec::unexpected_message;
  });
  return {
      [self, log](remote::cancel& c) {
        auto& st = self->state;
        if (c.token != st.token) {
          log->warn("refused a cancellation: wrong or missing token");
          return;
        }
        if (auto r = st.running.find(c.id); r != st.running.end()) {
          r->second->store(true);  // the node's token fires; its slot is freed when it returns
          log->info("cancelled running request {}", c.id);
          return;
        }
        auto d = st.domains.find(c.domain);
        if (d == st.domains.end()) return;
        auto& q = d->second->queue;
        for (auto it = q.begin(); it != q.end(); ++it)
          if (it->first.id == c.id) {
            remote::reply r;
            r.id = c.id;
            r.error = "cancelled before it started";
            it->second.deliver(std::move(r));
            q.erase(it);
            d->second->pool.remove_queued(1);
            log->info("cancelled queued request {}", c.id);
            return;
          }
      },
      [self, log](remote::request& req) -> caf::result<remote::reply> {
        auto& st = self->state;
        remote::reply refused;
        refused.id = req.id;
        if (req.token != st.token) {
          log->warn("refused a request for node '{}': wrong or missing token", req.node_id);
          refused.error = "refused: wrong or missing cluster token";
          return refused;
        }
        if (auto bytes = payload_bytes(req); bytes > st.max_payload) {
          log->warn("rejected node '{}': payload of {} bytes exceeds the limit of {} bytes", req.node_id, bytes,
                    st.max_payload);
          refused.error = "rejected: payload of " + std::to_string(bytes) + " bytes exceeds the limit of " +
                          std::to_string(st.max_payload);
          return refused;
        }
        if (req.node_type.empty()) {  // handshake: the token is good; what it hosts
          refused.ok = true;
          refused.output_json = st.hosts;
          return refused;
        }
        auto d = st.domains.find(req.domain);
        if (d == st.domains.end()) {
          log->warn("rejected node '{}': domain '{}' is not hosted here", req.node_id, req.domain);
          refused.error = "rejected: domain '" + req.domain + "' is not hosted here";
          return refused;
        }
        if (!st.node_types->count(req.node_type)) {
          log->warn("rejected node '{}': unknown node type '{}'", req.node_id, req.node_type);
          refused.error = req.node_type == "exec"
                              ? "rejected: this server does not run commands (start causality-domain with "
                                "--allow-exec); it runs " + st.type_names
                              : "rejected: unknown node type '" + req.node_type + "' (remote domains run " +
                                    st.type_names + ")";
          return refused;
        }
        auto rp = self->make_response_promise();
        d->second->queue.emplace_back(std::move(req), rp);
        d->second->pool.add_queued(1);
        pump(self, *d->second);
        return caf::delegated<remote::reply>();
      },
      [self](done_atom, const std::string& domain, caf::response_promise& rp, remote::reply& r) {
        self->state.running.erase(r.id);
        rp.deliver(std::move(r));
        auto& d = *self->state.domains.at(domain);
        d.pool.release();
        pump(self, d);
      },
  };
}

}  // namespace

model::status serve(server_options opts, const std::function<void(std::uint16_t)>& on_listening,
                    const std::function<void()>& wait_for_stop) {
  server_state init;
  init.token = std::move(opts.token);
  init.max_payload = opts.max_payload;
  init.log = opts.logger ? opts.logger : default_logger();
  auto log = init.log;
  std::string hosted_names;
  for (auto& d : opts.domains) {
    init.domains[d.name] = std::make_unique<hosted>(d.slots, d.speed);
    hosted_names += (hosted_names.empty() ? "" : ", ") + d.name;
  }
  if (!opts.allow_exec) opts.node_types.erase("exec");
  remote::hosts h;
  for (auto& d : opts.domains) {
    h.domains.push_back(d.name);
    h.specs.push_back({d.name, d.kind, static_cast<std::uint32_t>(d.slots), d.speed});
  }
  for (auto& [n, f] : opts.node_types) {
    init.type_names += (init.type_names.empty() ? "" : ", ") + n;
    h.node_types.push_back(n);
  }
  init.hosts = remote::hosts_json(h);
  init.max_payload_out = opts.max_payload;
  const bool exec_allowed = opts.node_types.count("exec") > 0;
  init.node_types = std::make_shared<const std::map<std::string, node_fn>>(std::move(opts.node_types));

  if (auto bad = check_token(init.token)) return bad;
  caf::actor_system_config cfg;
  cfg.load<caf::io::middleman>();
  cfg.add_message_type<remote::request>("causality_remote_request");
  cfg.add_message_type<remote::reply>("causality_remote_reply");
  cfg.add_message_type<remote::cancel>("causality_remote_cancel");
  cfg.set("scheduler.max-threads", static_cast<size_t>(opts.scheduler_threads));
  caf::actor_system sys{cfg};
  auto init_token = init.token;
  auto srv = sys.spawn(server, std::move(init));
  // CAF listens on a free loopback port that only the gate connects to: no
  // byte reaches BASP before the peer has presented the token.
  auto inner = sys.middleman().publish(srv, 0, "127.0.0.1", true);
  if (!inner) {
    caf::anon_send_exit(srv, caf::exit_reason::user_shutdown);
    return model::make_error(model::errc::internal, "cannot listen on 127.0.0.1 (inner CAF port): " +
                                                        sys.render(inner.error()));
  }
  gate::options go;
  go.token = init_token;
  go.port = opts.port;
  go.target_port = *inner;
  go.handshake_timeout_ms = opts.handshake_timeout_ms;
  go.max_unauthenticated = opts.max_unauthenticated;
  go.log = [log](const std::string& line) { log->warn("{}", line); };
  auto front = gate::start(std::move(go));
  if (!front) {
    caf::anon_send_exit(srv, caf::exit_reason::user_shutdown);
    return front.err();
  }
  auto bound = (*front)->port();
  on_listening(bound);
  log->info("hosting {} on 127.0.0.1:{}", hosted_names, bound);
  if (exec_allowed)
    log->warn("exec allowed (--allow-exec): runs the commands of exec nodes sent by runtimes holding the token, "
              "as this server's user");
  wait_for_stop();
  caf::anon_send_exit(srv, caf::exit_reason::user_shutdown);
  return std::nullopt;
}

model::status serve_until_signal(server_options opts, const std::function<void(std::uint16_t)>& on_listening) {
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGINT);
  sigaddset(&sigs, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &sigs, nullptr);
  return serve(std::move(opts), on_listening, [&sigs] {
    int sig = 0;
    sigwait(&sigs, &sig);
  });
}

}  // namespace causality::domains
