// Results equal a sequential reference evaluation on generated DAGs.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "helpers.hpp"

using namespace causality;

namespace {

struct gen_dag {
  std::size_t n;
  std::vector<std::pair<std::size_t, std::size_t>> edges;
  std::vector<bool> filtered;  // edge fires only for even values
};

gen_dag generate(std::uint64_t seed, std::size_t n) {
  std::mt19937_64 rng(seed);
  gen_dag g{n, {}, {}};
  for (std::size_t v = 1; v < n; ++v) {
    auto k = rng() % 3;
    for (std::size_t j = 0; j < k; ++j) {
      auto u = rng() % v;
      // One edge per pair: parallel duplicate edges are refused (docs/model.md).
      if (std::find(g.edges.begin(), g.edges.end(), std::make_pair(u, v)) != g.edges.end()) continue;
      g.edges.emplace_back(u, v);
      g.filtered.push_back(rng() % 4 == 0);
    }
  }
  return g;
}

std::int64_t body(std::size_t id, const value& in) {
  std::int64_t s = static_cast<std::int64_t>(id) * 7 + 1;
  if (in.is_int()) s += in.as_int();
  else if (in.is_object())
    for (auto& [k, v] : in.as_object()) s += v.as_int() * static_cast<std::int64_t>(k.size());
  return s % 1000003;
}

/// The semantics written out sequentially (nodes are in topological order by construction).
std::vector<std::optional<std::int64_t>> reference(const gen_dag& g) {
  std::vector<std::optional<std::int64_t>> out(g.n);
  for (std::size_t v = 0; v < g.n; ++v) {
    value::object in;
    std::size_t preds = 0;
    value single;
    for (std::size_t e = 0; e < g.edges.size(); ++e) {
      if (g.edges[e].second != v) continue;
      ++preds;
      auto u = g.edges[e].first;
      if (!out[u]) continue;
      if (g.filtered[e] && *out[u] % 2 != 0) continue;
      in["n" + std::to_string(u)] = value(*out[u]);
      single = value(*out[u]);
    }
    if (preds == 0) out[v] = body(v, value(5));
    else if (in.empty()) out[v] = std::nullopt;  // skipped
    else out[v] = body(v, preds == 1 ? single : value(in));
  }
  return out;
}

}  // namespace

TEST_CASE("results equal a sequential reference evaluation on generated DAGs", "[runtime]") {
  runtime rt;
  for (std::uint64_t seed : {1u, 2u, 3u, 4u, 5u}) {
    auto g = generate(seed, 300);
    workflow wf("gen");
    for (std::size_t v = 0; v < g.n; ++v)
      wf.node("n" + std::to_string(v), [v](const value& in, node_context&) { return value(body(v, in)); });
    for (std::size_t e = 0; e < g.edges.size(); ++e) {
      wf.edge("n" + std::to_string(g.edges[e].first), "n" + std::to_string(g.edges[e].second));
      if (g.filtered[e]) wf.filter([](const value& x) { return x.as_int() % 2 == 0; });
    }
    spawn_options o = test::with_plan(wf);
    o.inputs = value(5);
    auto run = rt.spawn(wf, {}, o);
    REQUIRE(run);
    REQUIRE(run->outcome().status == run_status::succeeded);
    auto want = reference(g);
    auto got = run->results();
    for (std::size_t v = 0; v < g.n; ++v) {
      INFO("seed " << seed << " node " << v);
      if (want[v]) {
        REQUIRE(got[v].status == actors::node_status::done);
        CHECK(got[v].output.as_int() == *want[v]);
      } else {
        CHECK(got[v].status == actors::node_status::skipped);
      }
    }
  }
}
