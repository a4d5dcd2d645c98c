// Range checks of the run policies (retry, timeout_ms) of nodes and of a
// workflow's "policies", against limits.hpp; paths as in the JSON form.
#include "checks.hpp"

#include "causality/model/validate.hpp"

namespace causality::model::checks {

status check_retry(const retry_policy& r, const std::string& file, const std::string& path) {
  if (auto bad = check_range(std::uint64_t{r.max_attempts}, 1, limits::max_retry_attempts, file,
                             path + "/max_attempts"))
    return bad;
  if (auto bad = check_range(r.initial_backoff_ms, 0.0, limits::max_backoff_ms, file,
                             path + "/initial_backoff_ms"))
    return bad;
  if (auto bad = check_range(r.multiplier, limits::min_backoff_multiplier, limits::max_backoff_multiplier,
                             file, path + "/multiplier"))
    return bad;
  if (auto bad = check_range(r.max_backoff_ms, 0.0, limits::max_backoff_ms, file, path + "/max_backoff_ms"))
    return bad;
  return check_range(r.jitter, 0.0, limits::max_jitter, file, path + "/jitter");
}

status check_timeout(const std::optional<double>& t, const std::string& file, const std::string& path) {
  if (!t) return std::nullopt;
  return check_range(*t, 0.0, limits::max_timeout_ms, file, path, /*lo_open=*/true);
}

status check_node_policies(const dataflow_node& n, std::size_t i, const std::string& file) {
  if (n.retry)
    if (auto bad = check_retry(*n.retry, file, at("nodes", i, "retry"))) return bad;
  return check_timeout(n.timeout_ms, file, at("nodes", i, "timeout_ms"));
}

status check_run_policies(const run_policies& p, const std::string& file) {
  if (p.retry)
    if (auto bad = check_retry(*p.retry, file, "/policies/retry")) return bad;
  return check_timeout(p.timeout_ms, file, "/policies/timeout_ms");
}

}  // namespace causality::model::checks

namespace causality::model {

status validate_retry_policy(const retry_policy& r, const std::string& file, const std::string& path) {
  return checks::check_retry(r, file, path);
}

status validate_timeout(const std::optional<double>& t, const std::string& file, const std::string& path) {
  return checks::check_timeout(t, file, path);
}

}  // namespace causality::model
