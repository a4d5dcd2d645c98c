#include "soak.hpp"

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <stdexcept>

namespace causality::soak {

namespace {

/// splitmix64: a well-mixed hash of the (workflow, node, round) key.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::string chain_node(std::size_t c, std::size_t i) {
  return "c" + std::to_string(c) + "_" + std::to_string(i);
}

}  // namespace

int soak_workload::fault(std::size_t wf, std::size_t node, std::uint64_t round) const {
  const double u = static_cast<double>(mix((round << 40) ^ (wf << 20) ^ node) >> 11) * 0x1.0p-53;
  if (u < cfg_.fatal_fraction) return 2;
  if (u < cfg_.fatal_fraction + cfg_.throw_fraction) return 1;
  return 0;
}

soak_workload::soak_workload(const soak_config& c)
    : cfg_(c),
      round_(std::make_shared<std::atomic<std::uint64_t>>(0)),
      throws_(std::make_shared<std::atomic<std::uint64_t>>(0)) {
  retry_policy retry;
  retry.max_attempts = c.max_attempts;
  retry.initial_backoff_ms = 1;
  for (std::size_t w = 0; w < c.workflows; ++w) {
    workflow wf("soak-" + std::to_string(w));
    // Node index k: 0 source, 1 + c * length + i chain nodes, last the sink.
    auto body = [this, w](std::size_t k, auto compute) {
      return [this, w, k, compute](const value& in, node_context& ctx) -> value {
        int f = fault(w, k, round_->load());
        if (f == 2 || (f == 1 && ctx.attempt == 1)) {
          throws_->fetch_add(1);
          throw std::runtime_error("injected fault in " + ctx.node_id);
        }
        return compute(in);
      };
    };
    wf.node("source", body(0, [](const value& in) { return value(in.as_int()); })).retry(retry);
    for (std::size_t ch = 0; ch < c.chains; ++ch)
      for (std::size_t i = 0; i < c.chain_length; ++i) {
        std::size_t k = 1 + ch * c.chain_length + i;
        wf.node(chain_node(ch, i), body(k, [](const value& in) { return value(in.as_int() + 1); }))
            .retry(retry);
        wf.edge(i == 0 ? "source" : chain_node(ch, i - 1), chain_node(ch, i));
      }
    wf.node("sink", body(nodes_per_workflow() - 1, [](const value& in) {
          std::int64_t sum = 0;
          for (const auto& [key, v] : in.as_object()) sum += v.as_int();
          return value(sum);
        })).retry(retry);
    for (std::size_t ch = 0; ch < c.chains; ++ch)
      wf.edge(chain_node(ch, c.chain_length - 1), "sink");
    workflows_.push_back(std::move(wf));
  }
}

soak_result soak_workload::run_round(runtime& rt, std::uint64_t round) {
  round_->store(round);
  const std::uint64_t throws_before = throws_->load();
  soak_result r;
  auto start = std::chrono::steady_clock::now();
  std::vector<std::optional<run_handle>> handles(workflows_.size());
  for (std::size_t w = 0; w < workflows_.size(); ++w) {
    spawn_options opts;
    opts.inputs = value(static_cast<std::int64_t>(w));
    opts.keep_outputs = false;
    auto h = rt.spawn(workflows_[w], {}, std::move(opts));
    ++r.spawned;
    if (!h) {
      ++r.spawn_errors;
      if (r.first_problems.size() < 5) r.first_problems.push_back("spawn: " + h.err().message());
      continue;
    }
    handles[w] = *h;
  }
  auto note = [&](std::string what) {
    if (r.first_problems.size() < 5) r.first_problems.push_back(std::move(what));
  };
  const auto limit = std::chrono::duration<double>(cfg_.wait_limit_s);
  for (std::size_t w = 0; w < handles.size(); ++w) {
    if (!handles[w]) continue;
    auto& h = *handles[w];
    auto left = limit - (std::chrono::steady_clock::now() - start);
    if (!h.wait_for(std::chrono::duration_cast<std::chrono::milliseconds>(
            std::max(left, decltype(left)(0))))) {
      ++r.lost;
      note("workflow " + std::to_string(w) + " did not end");
      continue;
    }
    // The expected outcome: fails iff a node always throws (the planner may
    // stop the run at the first one, so any of them may be named).
    std::vector<std::string> fatal;
    for (std::size_t k = 0; k < nodes_per_workflow(); ++k)
      if (fault(w, k, round) == 2)
        fatal.push_back(k == 0 ? "source"
                        : k == nodes_per_workflow() - 1
                            ? "sink"
                            : chain_node((k - 1) / cfg_.chain_length, (k - 1) % cfg_.chain_length));
    const auto& out = h.outcome();
    if (fatal.empty()) {
      const auto want = static_cast<std::int64_t>(cfg_.chains * (w + cfg_.chain_length));
      if (out.status == run_status::succeeded && h.output().is_int() &&
          h.output().as_int() == want) {
        ++r.succeeded;
      } else {
        ++r.wrong;
        note("workflow " + std::to_string(w) + ": expected output " + std::to_string(want) +
             ", status " + std::to_string(static_cast<int>(out.status)) + " " + out.error);
      }
    } else {
      bool named = false;
      for (const auto& f : fatal) named |= out.failed_node == f;
      if (out.status == run_status::failed && named && !out.error.empty()) {
        ++r.failed_as_expected;
      } else {
        ++r.wrong;
        note("workflow " + std::to_string(w) + ": expected failure at " + fatal.front() +
             ", got status " + std::to_string(static_cast<int>(out.status)) + " node '" +
             out.failed_node + "' reason '" + out.error + "'");
      }
    }
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.throws = throws_->load() - throws_before;
  return r;
}

std::uint64_t current_rss_bytes() {
  std::ifstream in("/proc/self/statm");
  std::uint64_t size = 0, resident = 0;
  in >> size >> resident;
  return resident * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace causality::soak
