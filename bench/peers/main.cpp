// bench_peers: the same DAG workloads on causality and its peers (raw CAF,
// oneTBB flow graph, StarPU/dmda, Dask), each peer in its own child process
// so its peak RSS is its own. See bench/README.md.
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "peers.hpp"
#include "workload.hpp"

extern char** environ;

namespace {

using namespace causality::bench;
namespace fs = std::filesystem;

struct options {
  bool json = false;
  int reps = 3;
  int threads = 2;
  double scale = 1.0;         ///< multiplies the 100k / 10k node counts
  std::size_t dask_nodes = 2000;  ///< cap for generated workloads on Dask
  double time_scale = 1e-4;   ///< WfCommons seconds -> spin time
  std::string wfcommons_dir = CAUSALITY_PEERS_SHARED "/workloads/wfcommons";
  std::vector<std::string> peers{"causality", "caf", "tbb", "starpu", "dask"};
  std::vector<std::string> workloads;  ///< empty: all
  bool sweep = true;          ///< the granularity sweep (grain-N workloads) and METG
  // child mode
  std::string child_peer, child_workload;
  std::size_t child_nodes = 0;
};

/// Which peers this binary was built with, and why not otherwise.
std::string skip_reason(const std::string& peer) {
#ifndef CAUSALITY_PEER_TBB
  if (peer == "tbb") return "oneTBB not found (libtbb-dev)";
#endif
#ifndef CAUSALITY_PEER_STARPU
  if (peer == "starpu") return "StarPU not found (libstarpu-dev, pkg-config starpu-1.3)";
#endif
  if (peer == "dask" && std::system("/usr/bin/python3 -c 'import distributed' 2>/dev/null") != 0)
    return "dask.distributed not importable by /usr/bin/python3 (python3-distributed)";
  return "";
}

/// The generated workloads by name with their full node counts.
struct spec {
  std::string name;
  std::size_t nodes;
  double work_us;
};
/// Node bodies of the granularity sweep (Task Bench's METG, Slaughter et al.
/// SC 2020): the random DAG with every node spinning this many microseconds.
const std::vector<double> sweep_us{1, 2, 5, 10, 20, 50, 100};
std::string grain_name(double us) { return "grain-" + std::to_string(static_cast<int>(us)) + "us"; }

std::vector<spec> generated(const options& o) {
  auto n = [&](double base) { return static_cast<std::size_t>(std::max(3.0, base * o.scale)); };
  std::vector<spec> out{{"chain", n(100000), 0}, {"fan", n(100000), 0},
                        {"random", n(10000), 0}, {"random-10us", n(10000), 10}};
  if (o.sweep)
    for (double us : sweep_us) out.push_back({grain_name(us), n(10000), us});
  return out;
}

workload make(const options& o, const std::string& name, std::size_t nodes) {
  for (const auto& s : generated(o)) {
    if (s.name != name) continue;
    if (name == "chain") return make_chain(nodes, s.work_us);
    if (name == "fan") return make_fan(nodes, s.work_us);
    auto w = make_random_dag(nodes, s.work_us);
    w.name = name;
    return w;
  }
  if (name.rfind("wf:", 0) == 0) {
    auto w = load_workflow(o.wfcommons_dir + "/" + name.substr(3) + ".json", o.time_scale);
    w.name = name;
    return w;
  }
  throw std::runtime_error("unknown workload " + name);
}

int run_child(const options& o) {
  auto w = make(o, o.child_workload, o.child_nodes);
  std::vector<double> t;
  if (o.child_peer == "caf") t = run_caf(w, o.threads, o.reps);
#ifdef CAUSALITY_PEER_TBB
  else if (o.child_peer == "tbb") t = run_tbb(w, o.threads, o.reps);
#endif
#ifdef CAUSALITY_PEER_STARPU
  else if (o.child_peer == "starpu") t = run_starpu(w, o.threads, o.reps);
#endif
  else if (o.child_peer == "causality") t = run_causality(w, o.threads, o.reps);
  else throw std::runtime_error("peer not built: " + o.child_peer);
  double work = 0;
  for (double x : w.work_us) work += x;
  std::printf("seconds %.9f nodes %zu work_us %.3f\n", *std::min_element(t.begin(), t.end()),
              w.size(), work);
  return 0;
}

struct outcome {
  bool ok = false;
  double seconds = 0;
  std::size_t nodes = 0;
  double work_us = 0;  ///< summed node bodies (0 for no-op workloads)
  long peak_rss_bytes = 0;
  std::string error;
};

/// Runs argv as a child, parses "seconds S nodes N" from its stdout, and
/// takes its peak RSS from wait4.
outcome spawn_child(const std::vector<std::string>& args) {
  outcome r;
  int fds[2];
  if (pipe(fds) != 0) return r.error = "pipe failed", r;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  posix_spawn_file_actions_addclose(&fa, fds[0]);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    return r.error = "cannot start " + args[0], r;
  }
  std::string out;
  char buf[512];
  ssize_t got;
  while ((got = read(fds[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(got));
  close(fds[0]);
  int status = 0;
  rusage ru{};
  wait4(pid, &status, 0, &ru);
  r.peak_rss_bytes = ru.ru_maxrss * 1024L;
  std::istringstream in(out);
  std::string k1, k2, k3;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && (in >> k1 >> r.seconds >> k2 >> r.nodes) &&
      k1 == "seconds" && k2 == "nodes") {
    r.ok = true;
    if (in >> k3 >> r.work_us && k3 != "work_us") r.work_us = 0;
  } else {
    r.error = WIFSIGNALED(status) ? "killed by signal " + std::to_string(WTERMSIG(status))
                                  : "exit " + std::to_string(WEXITSTATUS(status));
  }
  return r;
}

struct row {
  std::string workload, peer;
  outcome res;
  std::string skipped;
};

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

int usage() {
  std::cerr << "usage: bench_peers [--json] [--reps N] [--threads N] [--scale F]\n"
               "         [--dask-nodes N] [--time-scale S] [--wfcommons DIR]\n"
               "         [--peers causality,caf,tbb,starpu,dask] [--workloads chain,fan,...]\n"
               "         [--no-sweep]   (skip the grain-1us..grain-100us sweep and METG)\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) try {
  options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--json") o.json = true;
    else if (a == "--reps") o.reps = std::max(1, std::stoi(next()));
    else if (a == "--threads") o.threads = std::max(1, std::stoi(next()));
    else if (a == "--scale") o.scale = std::stod(next());
    else if (a == "--dask-nodes") o.dask_nodes = std::stoul(next());
    else if (a == "--time-scale") o.time_scale = std::stod(next());
    else if (a == "--wfcommons") o.wfcommons_dir = next();
    else if (a == "--peers") o.peers = split(next());
    else if (a == "--workloads") o.workloads = split(next());
    else if (a == "--no-sweep") o.sweep = false;
    else if (a == "--child") o.child_peer = next(), o.child_workload = next();
    else if (a == "--nodes") o.child_nodes = std::stoul(next());
    else return usage();
  }
  if (!o.child_peer.empty()) return run_child(o);

  // Workloads: generated ones, then every WfCommons file found.
  std::vector<std::pair<std::string, std::size_t>> todo;
  for (const auto& s : generated(o)) todo.emplace_back(s.name, s.nodes);
  if (fs::is_directory(o.wfcommons_dir)) {
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(o.wfcommons_dir))
      if (e.path().extension() == ".json") files.push_back(e.path().stem().string());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) todo.emplace_back("wf:" + f, 0);
  }
  if (!o.workloads.empty())
    todo.erase(std::remove_if(todo.begin(), todo.end(), [&](const auto& t) {
                 return std::find(o.workloads.begin(), o.workloads.end(), t.first) ==
                        o.workloads.end();
               }), todo.end());

  const std::string self = fs::canonical("/proc/self/exe").string();
  const std::string tmp = (fs::temp_directory_path() / ("bench_peers_" + std::to_string(getpid()) + ".json")).string();
  std::vector<row> rows;
  for (const auto& [name, nodes] : todo) {
    for (const auto& peer : o.peers) {
      row r{name, peer, {}, skip_reason(peer)};
      if (r.skipped.empty()) {
        std::cerr << "bench_peers: " << name << " on " << peer << "\n";
        if (peer == "dask") {
          // Dask is ~1000x slower per node: the same shape, fewer nodes.
          std::size_t n = nodes ? std::min(nodes, o.dask_nodes) : 0;
          auto w = make(o, name, n);
          write_json(w, tmp);
          r.res = spawn_child({"/usr/bin/python3", CAUSALITY_PEERS_DIR "/dask_peer.py", tmp,
                               std::to_string(o.reps), std::to_string(o.threads)});
        } else {
          r.res = spawn_child({self, "--child", peer, name, "--nodes", std::to_string(nodes),
                               "--reps", std::to_string(o.reps), "--threads",
                               std::to_string(o.threads), "--scale", std::to_string(o.scale),
                               "--time-scale", std::to_string(o.time_scale), "--wfcommons",
                               o.wfcommons_dir});
        }
      }
      rows.push_back(std::move(r));
    }
  }
  std::error_code ec;
  fs::remove(tmp, ec);

  auto us_per_node = [](const outcome& x) { return x.seconds * 1e6 / static_cast<double>(x.nodes); };
  // Efficiency of a workload with bodies: ideal time (all bodies spread over
  // the threads, zero overhead) over the measured time.
  auto efficiency = [&](const outcome& x) {
    return x.work_us > 0 ? x.work_us / o.threads / (x.seconds * 1e6) : 0.0;
  };
  // METG(50 %): the smallest body of the sweep at which the peer reaches 50 %
  // efficiency, interpolated log-linearly between the two sweep points that
  // straddle 50 % (Task Bench); -1 when no body of the sweep reaches it.
  std::map<std::string, double> metg;
  if (o.sweep) {
    for (const auto& peer : o.peers) {
      std::vector<std::pair<double, double>> pts;  // body us, efficiency
      for (const auto& r : rows)
        if (r.peer == peer && r.res.ok && r.workload.rfind("grain-", 0) == 0)
          pts.emplace_back(r.res.work_us / static_cast<double>(r.res.nodes), efficiency(r.res));
      if (pts.empty()) continue;
      std::sort(pts.begin(), pts.end());
      double m = -1;
      for (std::size_t k = 0; k < pts.size(); ++k) {
        if (pts[k].second < 0.5) continue;
        m = pts[k].first;
        if (k > 0 && pts[k - 1].second < 0.5 && pts[k].second > pts[k - 1].second) {
          double f = (0.5 - pts[k - 1].second) / (pts[k].second - pts[k - 1].second);
          m = std::exp(std::log(pts[k - 1].first) + f * (std::log(pts[k].first) - std::log(pts[k - 1].first)));
        }
        break;
      }
      metg[peer] = m;
    }
  }
  std::map<std::string, double> ours;  // workload -> causality us/node
  for (const auto& r : rows)
    if (r.peer == "causality" && r.res.ok) ours[r.workload] = us_per_node(r.res);
  if (o.json) {
    for (const auto& r : rows) {
      if (!r.res.ok) continue;
      std::printf("{\"workload\":\"%s\",\"peer\":\"%s\",\"nodes\":%zu,\"us_per_node\":%.4f,"
                  "\"peak_rss_bytes\":%ld,\"efficiency\":%.4f}\n",
                  r.workload.c_str(), r.peer.c_str(), r.res.nodes, us_per_node(r.res),
                  r.res.peak_rss_bytes, efficiency(r.res));
    }
    for (const auto& [peer, m] : metg)
      std::printf("{\"metg_peer\":\"%s\",\"threads\":%d,\"metg50_us\":%.3f}\n", peer.c_str(),
                  o.threads, m);
    for (const auto& r : rows)
      if (!r.res.ok)
        std::fprintf(stderr, "bench_peers: %s on %s: %s\n", r.workload.c_str(), r.peer.c_str(),
                     r.skipped.empty() ? r.res.error.c_str() : ("skipped, " + r.skipped).c_str());
    return 0;
  }
  std::printf("%-44s %-10s %8s %12s %14s %10s %12s %6s\n", "workload", "peer", "nodes", "us/node",
              "nodes/s", "peak MB", "ours/peer", "eff");
  for (const auto& r : rows) {
    if (!r.res.ok) {
      std::printf("%-44s %-10s %s\n", r.workload.c_str(), r.peer.c_str(),
                  r.skipped.empty() ? ("failed: " + r.res.error).c_str()
                                    : ("skipped: " + r.skipped).c_str());
      continue;
    }
    double u = us_per_node(r.res);
    std::string ratio = "n/a";
    if (auto it = ours.find(r.workload); it != ours.end()) {
      char b[32];
      std::snprintf(b, sizeof b, "%.2fx", it->second / u);
      ratio = b;
    }
    std::string eff = r.res.work_us > 0 ? std::to_string(static_cast<int>(efficiency(r.res) * 100 + 0.5)) + "%" : "";
    std::printf("%-44s %-10s %8zu %12.3f %14.0f %10.1f %12s %6s\n", r.workload.c_str(),
                r.peer.c_str(), r.res.nodes, u, 1e6 / u,
                static_cast<double>(r.res.peak_rss_bytes) / (1024.0 * 1024.0), ratio.c_str(),
                eff.c_str());
  }
  for (const auto& [peer, m] : metg) {
    if (m < 0) std::printf("METG(50%%) %-10s  > %g us (no body of the sweep reached 50%% on %d threads)\n", peer.c_str(), sweep_us.back(), o.threads);
    else std::printf("METG(50%%) %-10s %8.2f us on %d threads\n", peer.c_str(), m, o.threads);
  }
  return 0;
} catch (const std::exception& e) {
  std::cerr << "bench_peers: " << e.what() << "\n";
  return 1;
}
