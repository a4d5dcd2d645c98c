#pragma once
/// \file Performance models per (node type, domain) calibrated from measured
/// execution times with a robust estimator, so a few very slow outliers do
/// not move them; saved to and loaded from JSON so a restarted runtime starts
/// calibrated. Pure: no clock, no threads.

#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "causality/model/error.hpp"
#include "causality/model/types.hpp"

namespace causality::strategies {

/// How a model condenses its samples into one figure.
enum class estimator_kind {
  mean,    ///< plain mean: for comparison only, outliers move it
  median,  ///< the median: breaks down only past 50 % outliers
  huber,   ///< Huber M-estimate scaled by the MAD: median's robustness, mean's efficiency
};

/// "mean" / "median" / "huber".
const char* to_string(estimator_kind k);
/// Parses an estimator name; nullopt when unknown.
std::optional<estimator_kind> parse_estimator_kind(const std::string& s);

/// Median of `v` (0 when empty).
double median_of(std::vector<double> v);
/// Median absolute deviation around `center`, scaled by 1.4826 so it
/// estimates the standard deviation of normal data.
double mad_of(const std::vector<double>& v, double center);
/// Huber M-estimate of location: iteratively reweighted mean where samples
/// beyond k * MAD from the estimate get weight k * MAD / |residual|.
double huber_location(const std::vector<double>& v, double k = 1.345);
/// The location of `v` by `kind` (0 when empty).
double estimate_location(const std::vector<double>& v, estimator_kind kind, double huber_k = 1.345);

/// The model a node's measured times go to and its estimate comes from: its
/// node type when its cpu_time_ms was given and it is not an exec node (one
/// model serves nodes of a type with different sizes); otherwise the node's
/// own, "<workflow>/<node id>" (a command's time is its own, and a node with
/// no estimate has nothing to scale).
std::string model_key(const model::dataflow_definition& def, const model::dataflow_node& n);

/// Tuning of the performance models; see docs/dynamic.md.
struct perf_model_config {
  std::size_t min_samples = 5;                 ///< history needed before the model replaces a given estimate
                                               ///< (one sample replaces the default guess of a node without one)
  std::size_t max_samples = 256;               ///< most recent samples kept per model
  estimator_kind estimator = estimator_kind::huber;
  double huber_k = 1.345;                      ///< Huber threshold in MADs
};

/// Calibrated execution-time models keyed by (node type, domain name). A
/// sample is the ratio observed / static estimate (the FORMATS.md model,
/// strategies::exec_ms = cpu_time_ms / speed), so one model serves nodes of the same type with
/// different sizes; nodes with a zero static estimate are modelled in ms.
class perf_model {
 public:
  /// The planner's hook: exec_time_ms(node index, domain index).
  using exec_time_fn = std::function<std::optional<double>(std::size_t, std::size_t)>;

  explicit perf_model(perf_model_config cfg = {}) : cfg_(cfg) {}

  /// One measured execution of a node of `node_type` on `domain`: it took
  /// observed_ms where the static model said static_ms. Negative or
  /// non-finite figures are ignored.
  void record(const std::string& node_type, const std::string& domain, double observed_ms,
              double static_ms);
  /// Calibrated execution time for a node with static estimate static_ms;
  /// nullopt until the model has min_samples samples.
  std::optional<double> exec_time_ms(const std::string& node_type, const std::string& domain,
                                     double static_ms) const;
  /// Samples held for that (node type, domain).
  std::size_t samples(const std::string& node_type, const std::string& domain) const;
  /// Number of (node type, domain) models.
  std::size_t size() const { return models_.size(); }
  /// One model as `causality models show` lists it.
  struct summary {
    std::string key, domain;
    std::size_t samples = 0;
    std::optional<double> ratio;  ///< observed / static estimate (robust location)
    std::optional<double> ms;     ///< observed ms, for a zero static estimate
  };
  std::vector<summary> list() const;
  /// The configuration in force.
  const perf_model_config& config() const { return cfg_; }

  /// A snapshot usable as planner_context::exec_time_ms for `def` on `plat`:
  /// it copies the calibrated figures, so later records do not change a plan
  /// in progress and the model may be destroyed. Each node is looked up by
  /// model_key(); a node without a given cpu_time_ms needs one sample, any
  /// other min_samples.
  exec_time_fn planner_hook(const model::dataflow_definition& def,
                            const model::platform& plat) const;

  /// The JSON form: {"version": 1, "estimator", "min_samples", "models": [
  /// {"node_type", "domain", "ratio_samples": [...], "ms_samples": [...]}]}.
  nlohmann::json to_json() const;
  /// Reads the JSON form; errors name `file` and the JSON path.
  static model::expected<perf_model> from_json(const nlohmann::json& j, const std::string& file,
                                               perf_model_config cfg = {});
  /// Which estimate the planner takes for node `node` of `def` on domain
  /// `domain` of `plat`, in words: "412 ms from history (1 run of
  /// 'w/a' on 'local')", "1000 ms: the default guess (no cpu_time_ms, no
  /// history)", "500 ms from cpu_time_ms (history: 2 of the 5 runs needed)".
  std::string describe_estimate(const model::dataflow_definition& def, const model::platform& plat,
                                std::size_t node, std::size_t domain) const;

  /// Writes the JSON form to `path` (through a temporary file renamed over
  /// it, so a reader never sees half a file).
  model::status save(const std::string& path) const;
  /// Reads a file written by save(); estimator and min_samples come from the file.
  static model::expected<perf_model> load(const std::string& path, perf_model_config cfg = {});

 private:
  struct series {
    std::deque<double> samples;
    double estimate = 0;
  };
  struct entry {
    series ratio;  ///< observed / static, for static estimates > 0
    series ms;     ///< observed ms, for static estimates == 0
  };
  void push(series& s, double x);
  /// Samples a node's model needs before it replaces the node's estimate.
  std::size_t samples_needed(const model::dataflow_node& n) const;
  const entry* find(const std::string& node_type, const std::string& domain) const;

  perf_model_config cfg_;
  std::map<std::pair<std::string, std::string>, entry> models_;
};

}  // namespace causality::strategies
