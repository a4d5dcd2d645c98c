#include "causality/strategies/perf_model.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <numeric>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "causality/model/io.hpp"
#include "causality/model/names.hpp"
#include "causality/strategies/cost.hpp"

namespace causality::strategies {

std::string model_key(const model::dataflow_definition& def, const model::dataflow_node& n) {
  if (n.resources.cpu_time_given && n.node_type != "exec") return n.node_type;
  return (def.name.empty() ? def.definition_id : def.name) + "/" + n.node_id;
}

const char* to_string(estimator_kind k) {
  switch (k) {
    case estimator_kind::mean: return "mean";
    case estimator_kind::median: return "median";
    case estimator_kind::huber: return "huber";
  }
  return "huber";
}

std::optional<estimator_kind> parse_estimator_kind(const std::string& s) {
  for (auto k : {estimator_kind::mean, estimator_kind::median, estimator_kind::huber})
    if (s == to_string(k)) return k;
  return std::nullopt;
}

double median_of(std::vector<double> v) {
  if (v.empty()) return 0;
  auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  double hi = *mid;
  if (v.size() % 2) return hi;
  double lo = *std::max_element(v.begin(), mid);
  return (lo + hi) / 2;
}

double mad_of(const std::vector<double>& v, double center) {
  std::vector<double> dev;
  dev.reserve(v.size());
  for (double x : v) dev.push_back(std::abs(x - center));
  return 1.4826 * median_of(std::move(dev));
}

double huber_location(const std::vector<double>& v, double k) {
  double mu = median_of(v);
  double scale = mad_of(v, mu);
  if (v.size() < 3 || !(scale > 0)) return mu;  // no spread: the median is exact
  double c = k * scale;
  for (int it = 0; it < 50; ++it) {
    double num = 0, den = 0;
    for (double x : v) {
      double r = std::abs(x - mu);
      double w = r <= c ? 1.0 : c / r;
      num += w * x;
      den += w;
    }
    double next = num / den;
    if (std::abs(next - mu) <= 1e-9 * std::max(1.0, std::abs(mu))) return next;
    mu = next;
  }
  return mu;
}

double estimate_location(const std::vector<double>& v, estimator_kind kind, double huber_k) {
  if (v.empty()) return 0;
  switch (kind) {
    case estimator_kind::mean:
      return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
    case estimator_kind::median: return median_of(v);
    case estimator_kind::huber: return huber_location(v, huber_k);
  }
  return median_of(v);
}

void perf_model::push(series& s, double x) {
  s.samples.push_back(x);
  while (s.samples.size() > std::max<std::size_t>(cfg_.max_samples, 1)) s.samples.pop_front();
  s.estimate = estimate_location({s.samples.begin(), s.samples.end()}, cfg_.estimator, cfg_.huber_k);
}

void perf_model::record(const std::string& node_type, const std::string& domain,
                        double observed_ms, double static_ms) {
  if (!std::isfinite(observed_ms) || !std::isfinite(static_ms) || observed_ms < 0 ||
      static_ms < 0)
    return;
  auto& e = models_[{node_type, domain}];
  if (static_ms > 0) push(e.ratio, observed_ms / static_ms);
  else push(e.ms, observed_ms);
}

const perf_model::entry* perf_model::find(const std::string& node_type,
                                          const std::string& domain) const {
  auto it = models_.find({node_type, domain});
  return it == models_.end() ? nullptr : &it->second;
}

std::optional<double> perf_model::exec_time_ms(const std::string& node_type,
                                               const std::string& domain,
                                               double static_ms) const {
  const entry* e = find(node_type, domain);
  if (!e) return std::nullopt;
  const series& s = static_ms > 0 ? e->ratio : e->ms;
  if (s.samples.size() < std::max<std::size_t>(cfg_.min_samples, 1)) return std::nullopt;
  return static_ms > 0 ? static_ms * s.estimate : s.estimate;
}

std::size_t perf_model::samples(const std::string& node_type, const std::string& domain) const {
  const entry* e = find(node_type, domain);
  return e ? e->ratio.samples.size() + e->ms.samples.size() : 0;
}

perf_model::exec_time_fn perf_model::planner_hook(const model::dataflow_definition& def,
                                                  const model::platform& plat) const {
  // Copy only the calibrated figures the workflow's models need, indexed by
  // (model index, domain index): lookups in the planner's loop stay O(1).
  struct table {
    std::vector<std::size_t> model_of_node;
    std::vector<double> static_ms;                 ///< [node * domains + domain]
    std::vector<std::optional<double>> ratio, ms;  ///< [model * domains + domain]
  };
  auto t = std::make_shared<table>();
  std::unordered_map<std::string, std::size_t> keys;
  std::vector<std::pair<std::string, std::size_t>> key_need;  ///< key, samples it needs
  std::size_t nd = plat.domains.size();
  for (const auto& n : def.nodes) {
    auto [it, fresh] = keys.emplace(model_key(def, n), keys.size());
    if (fresh) key_need.emplace_back(it->first, samples_needed(n));
    t->model_of_node.push_back(it->second);
    for (const auto& d : plat.domains) t->static_ms.push_back(exec_ms(n, d));
  }
  t->ratio.resize(key_need.size() * nd);
  t->ms.resize(key_need.size() * nd);
  for (std::size_t ki = 0; ki < key_need.size(); ++ki)
    for (std::size_t d = 0; d < nd; ++d)
      if (const entry* e = find(key_need[ki].first, plat.domains[d].name)) {
        if (e->ratio.samples.size() >= key_need[ki].second) t->ratio[ki * nd + d] = e->ratio.estimate;
        if (e->ms.samples.size() >= key_need[ki].second) t->ms[ki * nd + d] = e->ms.estimate;
      }
  return [t, nd](std::size_t node, std::size_t domain) -> std::optional<double> {
    if (node >= t->model_of_node.size() || domain >= nd) return std::nullopt;
    std::size_t k = t->model_of_node[node] * nd + domain;
    double static_ms = t->static_ms[node * nd + domain];
    if (static_ms > 0) {
      if (t->ratio[k]) return static_ms * *t->ratio[k];
      return std::nullopt;
    }
    return t->ms[k];
  };
}

std::size_t perf_model::samples_needed(const model::dataflow_node& n) const {
  return n.resources.cpu_time_given ? std::max<std::size_t>(cfg_.min_samples, 1) : 1;
}

std::string perf_model::describe_estimate(const model::dataflow_definition& def, const model::platform& plat,
                                          std::size_t node, std::size_t domain) const {
  const auto& n = def.nodes.at(node);
  const auto& d = plat.domains.at(domain);
  const auto key = model_key(def, n);
  const double static_ms = exec_ms(n, d);
  const entry* e = find(key, d.name);
  const series* s = e ? (static_ms > 0 ? &e->ratio : &e->ms) : nullptr;
  const std::size_t have = s ? s->samples.size() : 0, need = samples_needed(n);
  auto ms = [](double x) {
    char b[48];
    std::snprintf(b, sizeof b, "%.4g ms", x);
    return std::string(b);
  };
  auto runs = [](std::size_t k) { return std::to_string(k) + (k == 1 ? " run" : " runs"); };
  if (s && have >= need) {
    double x = static_ms > 0 ? static_ms * s->estimate : s->estimate;
    return ms(x) + " from history (" + runs(have) + " of '" + key + "' on '" + d.name + "')";
  }
  std::string base = n.resources.cpu_time_given
                         ? ms(static_ms) + " from cpu_time_ms"
                         : ms(static_ms) + ": the default guess (no cpu_time_ms)";
  if (!have) return base + (n.resources.cpu_time_given ? "" : ", no history");
  return base + " (history: " + std::to_string(have) + " of the " + runs(need) + " needed)";
}

std::vector<perf_model::summary> perf_model::list() const {
  std::vector<summary> out;
  for (const auto& [key, e] : models_) {
    summary x{key.first, key.second, e.ratio.samples.size() + e.ms.samples.size(), std::nullopt, std::nullopt};
    if (!e.ratio.samples.empty()) x.ratio = e.ratio.estimate;
    if (!e.ms.samples.empty()) x.ms = e.ms.estimate;
    out.push_back(std::move(x));
  }
  return out;
}

nlohmann::json perf_model::to_json() const {
  nlohmann::json models = nlohmann::json::array();
  for (const auto& [key, e] : models_) {
    models.push_back({{"node_type", key.first},
                      {"domain", key.second},
                      {"ratio_samples", std::vector<double>(e.ratio.samples.begin(), e.ratio.samples.end())},
                      {"ms_samples", std::vector<double>(e.ms.samples.begin(), e.ms.samples.end())}});
  }
  return {{"version", 1},
          {"estimator", to_string(cfg_.estimator)},
          {"min_samples", cfg_.min_samples},
          {"models", std::move(models)}};
}

namespace {
model::error bad(const std::string& file, const std::string& path, const std::string& why) {
  return model::error{file, path, why};
}
std::optional<std::string> unknown_field(const nlohmann::json& o, const std::vector<std::string>& known) {
  for (const auto& [k, v] : o.items())
    if (std::find(known.begin(), known.end(), k) == known.end()) return k;
  return std::nullopt;
}
std::string suggestion(const std::string& word, const std::vector<std::string>& known) {
  auto c = model::closest(word, known);
  return c.empty() ? "" : " (did you mean '" + c + "'?)";
}
}  // namespace

model::expected<perf_model> perf_model::from_json(const nlohmann::json& j,
                                                  const std::string& file,
                                                  perf_model_config cfg) {
  if (!j.is_object()) return bad(file, "", "a performance model file must be a JSON object");
  if (auto u = unknown_field(j, {"version", "estimator", "min_samples", "models"})) return bad(file, "/" + *u, "unknown field" + suggestion(*u, {"version", "estimator", "min_samples", "models"}));
  if (!j.contains("version") || !j["version"].is_number_integer() || j["version"] != 1)
    return bad(file, "/version", "must be 1");
  if (j.contains("estimator")) {
    auto k = j["estimator"].is_string() ? parse_estimator_kind(j["estimator"].get<std::string>())
                                        : std::nullopt;
    if (!k) return bad(file, "/estimator", "must be one of \"mean\", \"median\", \"huber\"");
    cfg.estimator = *k;
  }
  if (j.contains("min_samples")) {
    if (!j["min_samples"].is_number_unsigned())
      return bad(file, "/min_samples", "must be a non-negative integer");
    cfg.min_samples = j["min_samples"].get<std::size_t>();
  }
  if (!j.contains("models") || !j["models"].is_array())
    return bad(file, "/models", "must be an array");
  perf_model pm(cfg);
  const auto& models = j["models"];
  for (std::size_t i = 0; i < models.size(); ++i) {
    const auto& m = models[i];
    std::string at = "/models/" + std::to_string(i);
    if (!m.is_object()) return bad(file, at, "must be an object");
    static const std::vector<std::string> entry_fields{"node_type", "domain", "ratio_samples", "ms_samples"};
    if (auto u = unknown_field(m, entry_fields))
      return bad(file, at + "/" + *u, "unknown field" + suggestion(*u, entry_fields));
    for (const char* f : {"node_type", "domain"})
      if (!m.contains(f) || !m[f].is_string()) return bad(file, at + "/" + f, "must be a string");
    auto& e = pm.models_[{m["node_type"].get<std::string>(), m["domain"].get<std::string>()}];
    for (const char* f : {"ratio_samples", "ms_samples"}) {
      if (!m.contains(f)) continue;
      if (!m[f].is_array()) return bad(file, at + "/" + f, "must be an array of numbers");
      for (std::size_t k = 0; k < m[f].size(); ++k) {
        const auto& x = m[f][k];
        if (!x.is_number() || !std::isfinite(x.get<double>()) || x.get<double>() < 0)
          return bad(file, at + "/" + f + "/" + std::to_string(k),
                     "must be a finite non-negative number");
        pm.push(std::string(f) == "ratio_samples" ? e.ratio : e.ms, x.get<double>());
      }
    }
  }
  return pm;
}

model::status perf_model::save(const std::string& path) const {
  const std::string tmp = path + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(tmp);
    if (!out) return model::error{path, "", "cannot open " + tmp + " for writing"};
    out << to_json().dump(1) << '\n';
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      return model::error{path, "", "write failed"};
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return model::error{path, "", std::string("cannot replace it: ") + std::strerror(errno)};
  }
  return std::nullopt;
}

model::expected<perf_model> perf_model::load(const std::string& path, perf_model_config cfg) {
  auto text = model::read_text_file(path);
  if (!text) return text.err();
  auto j = model::parse_json(*text, path);
  if (!j) return j.err();
  return from_json(*j, path, cfg);
}

}  // namespace causality::strategies
