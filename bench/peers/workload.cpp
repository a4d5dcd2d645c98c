#include "workload.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <random>
#include <stdexcept>

#include "causality/model/graph.hpp"
#include "causality/model/io.hpp"

namespace causality::bench {

std::size_t workload::edges() const {
  std::size_t e = 0;
  for (const auto& p : preds) e += p.size();
  return e;
}

namespace {

workload finish(std::string name, std::vector<std::vector<std::uint32_t>> preds,
                std::vector<double> work) {
  workload w{std::move(name), std::move(preds), {}, std::move(work)};
  w.succs.resize(w.preds.size());
  for (std::uint32_t i = 0; i < w.preds.size(); ++i)
    for (auto p : w.preds[i]) w.succs[p].push_back(i);
  return w;
}

}  // namespace

workload make_chain(std::size_t n, double work_us) {
  std::vector<std::vector<std::uint32_t>> preds(n);
  for (std::size_t i = 1; i < n; ++i) preds[i] = {static_cast<std::uint32_t>(i - 1)};
  return finish("chain", std::move(preds), std::vector<double>(n, work_us));
}

workload make_fan(std::size_t n, double work_us) {
  if (n < 3) n = 3;
  std::vector<std::vector<std::uint32_t>> preds(n);
  for (std::size_t i = 1; i + 1 < n; ++i) {
    preds[i] = {0};
    preds[n - 1].push_back(static_cast<std::uint32_t>(i));
  }
  return finish("fan", std::move(preds), std::vector<double>(n, work_us));
}

workload make_random_dag(std::size_t n, double work_us, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<std::vector<std::uint32_t>> preds(n);
  for (std::uint32_t i = 1; i < n; ++i) {
    std::uint32_t k = std::min<std::uint32_t>(i, 1 + rng() % 4);
    while (preds[i].size() < k) {
      std::uint32_t p = rng() % i;
      bool dup = false;
      for (auto q : preds[i]) dup |= q == p;
      if (!dup) preds[i].push_back(p);
    }
  }
  return finish("random", std::move(preds), std::vector<double>(n, work_us));
}

workload load_workflow(const std::string& path, double time_scale) {
  auto d = model::load_workflow_file(path);
  if (!d) throw std::runtime_error(d.err().message());
  auto g = model::build_dag(*d);
  // Renumber in topological order: peers may rely on preds having lower ids.
  std::vector<std::uint32_t> id(d->nodes.size());
  for (std::size_t k = 0; k < g.topo.size(); ++k) id[g.topo[k]] = static_cast<std::uint32_t>(k);
  std::vector<std::vector<std::uint32_t>> preds(d->nodes.size());
  for (std::size_t e = 0; e < g.edge_src.size(); ++e)
    preds[id[g.edge_dst[e]]].push_back(id[g.edge_src[e]]);
  // Several edges may join the same pair (one per file): one dependency.
  for (auto& p : preds) {
    std::sort(p.begin(), p.end());
    p.erase(std::unique(p.begin(), p.end()), p.end());
  }
  std::vector<double> work(d->nodes.size());
  for (std::size_t i = 0; i < work.size(); ++i)
    work[id[i]] = static_cast<double>(d->nodes[i].resources.cpu_time_ms) * 1000.0 *
                  time_scale;
  return finish(d->name, std::move(preds), std::move(work));
}

void write_json(const workload& w, const std::string& path) {
  std::ofstream out(path);
  out << "{\"preds\":[";
  for (std::size_t i = 0; i < w.size(); ++i) {
    out << (i ? ",[" : "[");
    for (std::size_t k = 0; k < w.preds[i].size(); ++k) out << (k ? "," : "") << w.preds[i][k];
    out << "]";
  }
  out << "],\"work_us\":[";
  for (std::size_t i = 0; i < w.size(); ++i) out << (i ? "," : "") << w.work_us[i];
  out << "]}\n";
  if (!out) throw std::runtime_error("cannot write " + path);
}

void busy_work(double us) {
  if (us <= 0) return;
  auto end = std::chrono::steady_clock::now() + std::chrono::duration<double, std::micro>(us);
  while (std::chrono::steady_clock::now() < end) {
  }
}

}  // namespace causality::bench
