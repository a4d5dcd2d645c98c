#include "causality/observe/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace causality::observe {
namespace {

enum kind { k_counter, k_gauge, k_histogram };
const char* kind_name(int k) {
  return k == k_counter ? "counter" : k == k_gauge ? "gauge" : "histogram";
}

// C++17 has no atomic<double>::fetch_add.
void atomic_add(std::atomic<double>& a, double v) noexcept {
  double cur = a.load(std::memory_order_relaxed);
  while (!a.compare_exchange_weak(cur, cur + v, std::memory_order_relaxed)) {
  }
}

bool valid_metric_name(const std::string& n) {
  if (n.empty()) return false;
  for (std::size_t i = 0; i < n.size(); ++i) {
    char c = n[i];
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

bool valid_label_name(const std::string& n) {
  if (n.empty() || n.rfind("__", 0) == 0) return false;
  for (std::size_t i = 0; i < n.size(); ++i) {
    char c = n[i];
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

std::string escape_help(const std::string& h) {
  std::string out;
  for (char c : h) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

// `{a="x",b="y"}`, or "" without labels.
std::string label_block(const std::vector<std::string>& names,
                        const std::vector<std::string>& values) {
  if (names.empty()) return "";
  std::string out = "{";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += ',';
    out += names[i] + "=\"" + escape_label_value(values[i]) + '"';
  }
  return out + "}";
}

}  // namespace

void counter::inc(double v) noexcept {
  if (v > 0) atomic_add(value_, v);
}

void gauge::add(double v) noexcept { atomic_add(value_, v); }

histogram::histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      buckets_(new std::atomic<std::uint64_t>[bounds_.size() + 1]) {
  for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0);
}

void histogram::observe(double v) noexcept {
  if (std::isnan(v)) return;  // would poison _sum for the life of the process
  // Buckets are stored non-cumulative so one observation touches one bucket.
  auto i = static_cast<std::size_t>(
      std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin());
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  atomic_add(sum_, v);
}

histogram_snapshot histogram::snapshot() const {
  histogram_snapshot s;
  s.bounds = bounds_;
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative.push_back(running);
  }
  s.sum = sum_.load(std::memory_order_relaxed);
  // _count is derived from the buckets so it always equals the +Inf bucket.
  s.count = running;
  return s;
}

struct metric_registry::family {
  int kind = k_counter;
  std::string help;
  std::vector<std::string> label_names;
  std::vector<double> bounds;
  std::map<std::vector<std::string>, std::unique_ptr<counter>> counters;
  std::map<std::vector<std::string>, std::unique_ptr<gauge>> gauges;
  std::map<std::vector<std::string>, std::unique_ptr<histogram>> histograms;
};

metric_registry::metric_registry() = default;
metric_registry::~metric_registry() = default;

model::expected<metric_registry::family*> metric_registry::find_or_add(const std::string& name,
                                                                      const std::string& help,
                                                                      int k, const labels& l) {
  auto fail = [&](std::string reason) { return model::error{"", "metric " + name, reason}; };
  if (!valid_metric_name(name)) return fail("invalid metric name");
  std::vector<std::string> names;
  for (const auto& [ln, lv] : l) {
    if (!valid_label_name(ln)) return fail("invalid label name '" + ln + "'");
    if (k == k_histogram && ln == "le") return fail("label 'le' is reserved for histograms");
    if (std::find(names.begin(), names.end(), ln) != names.end())
      return fail("label '" + ln + "' given twice");
    names.push_back(ln);
  }
  auto it = families_.find(name);
  if (it == families_.end()) {
    auto f = std::make_unique<family>();
    f->kind = k;
    f->help = help;
    f->label_names = names;
    it = families_.emplace(name, std::move(f)).first;
  }
  family& f = *it->second;
  if (f.kind != k)
    return fail(std::string("already registered as a ") + kind_name(f.kind) + ", not a " +
                kind_name(k));
  if (f.label_names != names) return fail("label names differ from the family's");
  return &f;
}

static std::vector<std::string> values_of(const labels& l) {
  std::vector<std::string> v;
  for (const auto& p : l) v.push_back(p.second);
  return v;
}

model::expected<counter*> metric_registry::get_counter(const std::string& name,
                                                       const std::string& help, const labels& l) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto f = find_or_add(name, help, k_counter, l);
  if (!f) return f.err();
  auto& slot = (*f)->counters[values_of(l)];
  if (!slot) slot = std::make_unique<counter>();
  return slot.get();
}

model::expected<gauge*> metric_registry::get_gauge(const std::string& name,
                                                   const std::string& help, const labels& l) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto f = find_or_add(name, help, k_gauge, l);
  if (!f) return f.err();
  auto& slot = (*f)->gauges[values_of(l)];
  if (!slot) slot = std::make_unique<gauge>();
  return slot.get();
}

model::expected<histogram*> metric_registry::get_histogram(const std::string& name,
                                                           const std::string& help,
                                                           const std::vector<double>& bounds,
                                                           const labels& l) {
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    if (!std::isfinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1]))
      return model::error{"", "metric " + name,
                          "bucket bounds must be finite and strictly increasing"};
  }
  std::lock_guard<std::mutex> lock(mutex_);
  bool is_new = families_.find(name) == families_.end();
  auto f = find_or_add(name, help, k_histogram, l);
  if (!f) return f.err();
  if (is_new) (*f)->bounds = bounds;
  if ((*f)->bounds != bounds)
    return model::error{"", "metric " + name, "bucket bounds differ from the family's"};
  auto& slot = (*f)->histograms[values_of(l)];
  if (!slot) slot = std::make_unique<histogram>(bounds);
  return slot.get();
}

std::string metric_registry::render_prometheus() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string out;
  out.reserve(last_render_size_ + 1024);
  auto line = [&out](const std::string& name, const char* suffix, const std::string& labels,
                     const std::string& value) {
    out.append(name).append(suffix).append(labels).append(1, ' ').append(value).append(1, '\n');
  };
  for (const auto& [name, fp] : families_) {
    const family& f = *fp;
    out.append("# HELP ").append(name).append(1, ' ').append(escape_help(f.help)).append(1, '\n');
    out.append("# TYPE ").append(name).append(1, ' ').append(kind_name(f.kind)).append(1, '\n');
    for (const auto& [vals, c] : f.counters)
      line(name, "", label_block(f.label_names, vals), format_metric_value(c->value()));
    for (const auto& [vals, g] : f.gauges)
      line(name, "", label_block(f.label_names, vals), format_metric_value(g->value()));
    for (const auto& [vals, h] : f.histograms) {
      auto s = h->snapshot();
      const std::string labels = label_block(f.label_names, vals);
      // `{a="x",le="` built once per series; only the bound changes per bucket.
      const std::string le_open =
          labels.empty() ? std::string("{le=\"") : labels.substr(0, labels.size() - 1) + ",le=\"";
      for (std::size_t i = 0; i <= s.bounds.size(); ++i) {
        out.append(name).append("_bucket").append(le_open);
        out.append(i < s.bounds.size() ? format_metric_value(s.bounds[i]) : "+Inf");
        out.append("\"} ").append(std::to_string(s.cumulative[i])).append(1, '\n');
      }
      line(name, "_sum", labels, format_metric_value(s.sum));
      line(name, "_count", labels, std::to_string(s.count));
    }
  }
  last_render_size_ = out.size();
  return out;
}

std::string format_metric_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string escape_label_value(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

}  // namespace causality::observe
