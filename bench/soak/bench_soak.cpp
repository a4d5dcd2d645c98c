// bench_soak: rounds of 1000 concurrent workflows x 100 nodes, 1 % of nodes
// throwing once (retried) and 0.1 % throwing always; every workflow must end
// with its result or its reason, and RSS must stay flat across rounds.
// Usage: bench_soak [--rounds N] [--workflows N] [--throw F] [--fatal F] [--threads N] [--json]
#include <cstdio>
#include <cstdlib>
#include <string>

#include "soak.hpp"

int main(int argc, char** argv) {
  using namespace causality;
  soak::soak_config c;
  int rounds = 10;
  unsigned threads = 0;
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--json") json = true;
    else if (a == "--rounds" && i + 1 < argc) rounds = std::atoi(argv[++i]);
    else if (a == "--workflows" && i + 1 < argc) c.workflows = std::strtoul(argv[++i], nullptr, 10);
    else if (a == "--throw" && i + 1 < argc) c.throw_fraction = std::atof(argv[++i]);
    else if (a == "--fatal" && i + 1 < argc) c.fatal_fraction = std::atof(argv[++i]);
    else if (a == "--threads" && i + 1 < argc) threads = static_cast<unsigned>(std::atoi(argv[++i]));
    else {
      std::fprintf(stderr, "usage: bench_soak [--rounds N] [--workflows N] [--throw F] [--fatal F] [--threads N] [--json]\n");
      return 2;
    }
  }
  runtime_config cfg;
  cfg.scheduler_threads = threads;
  cfg.max_active_runs = c.workflows;  // all of a round at once
  runtime rt(cfg);
  soak::soak_workload load(c);
  bool all_ok = true;
  double first_mb = 0, last_mb = 0, base_mb = 0;
  if (!json)
    std::printf("%5s %9s %9s %9s %6s %6s %8s %9s %8s\n", "round", "workflows", "succeeded",
                "failed ok", "wrong", "lost", "throws", "seconds", "RSS MB");
  for (int r = 1; r <= rounds; ++r) {
    auto res = load.run_round(rt, static_cast<std::uint64_t>(r));
    double mb = static_cast<double>(soak::current_rss_bytes()) / (1024.0 * 1024.0);
    if (r == 1) first_mb = mb;
    if (r == std::min(2, rounds)) base_mb = mb;
    last_mb = mb;
    all_ok &= res.ok();
    if (json)
      std::printf("{\"round\":%d,\"workflows\":%zu,\"nodes_per_workflow\":%zu,\"succeeded\":%zu,"
                  "\"failed_with_reason\":%zu,\"wrong\":%zu,\"lost\":%zu,\"throws\":%llu,"
                  "\"seconds\":%.3f,\"rss_mb\":%.1f}\n",
                  r, res.spawned, load.nodes_per_workflow(), res.succeeded,
                  res.failed_as_expected, res.wrong, res.lost,
                  static_cast<unsigned long long>(res.throws), res.seconds, mb);
    else
      std::printf("%5d %9zu %9zu %9zu %6zu %6zu %8llu %9.2f %8.1f\n", r, res.spawned,
                  res.succeeded, res.failed_as_expected, res.wrong, res.lost,
                  static_cast<unsigned long long>(res.throws), res.seconds, mb);
    std::fflush(stdout);
    for (const auto& p : res.first_problems) std::fprintf(stderr, "bench_soak: %s\n", p.c_str());
  }
  // Round 1 warms the allocator and the caches; growth is measured after it.
  double growth = base_mb > 0 ? (last_mb - base_mb) / base_mb : 0;
  std::fprintf(stderr,
               "bench_soak: %s; RSS round 1 %.1f MB, round %d %.1f MB, last %.1f MB (%+.1f%% after "
               "round %d)\n",
               all_ok ? "every workflow ended with its result or its reason" : "PROBLEMS",
               first_mb, std::min(2, rounds), base_mb, last_mb, growth * 100, std::min(2, rounds));
  return all_ok ? 0 : 1;
}
