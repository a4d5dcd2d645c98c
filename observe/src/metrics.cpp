// The metric registry on prometheus-cpp: our validation and error values in
// front, prometheus-cpp's families, atomics and text serializer behind.
#include "causality/observe/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include "draw_util.hpp"  // is_control, control_escape

namespace causality::observe {
namespace {

enum kind { k_counter, k_gauge, k_histogram };
const char* kind_name(int k) {
  return k == k_counter ? "counter" : k == k_gauge ? "gauge" : "histogram";
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

// prometheus-cpp 1.0's serializer writes HELP text as given: escape it here
// (backslash and newline, as the exposition format wants).
/// The exposition format's escapes (backslash, newline, and the double
/// quote in label values); other control bytes as a literal backslash and xNN.
std::string escape_text(const std::string& v, bool quote) {
  std::string out;
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (quote && c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else if (detail::is_control(c)) out += "\\" + detail::control_escape(c);
    else out += c;
  }
  return out;
}

std::string escape_help(const std::string& h) { return escape_text(h, false); }

std::vector<std::string> values_of(const labels& l) {
  std::vector<std::string> v;
  for (const auto& p : l) v.push_back(p.second);
  return v;
}

/// A label value with its control bytes (other than newline, which the
/// serializer escapes) as the text \xNN: a domain or node id with a carriage
/// return or an ANSI escape cannot corrupt the exposition or a terminal.
std::string label_text(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (detail::is_control(c) && c != '\n') out += detail::control_escape(c);
    else out += c;
  }
  return out;
}

prometheus::Labels to_prometheus(const labels& l) {
  prometheus::Labels out;
  for (const auto& [k, v] : l) out[k] = label_text(v);
  return out;
}

}  // namespace

void counter::inc(double v) noexcept {
  if (v > 0) c_->Increment(v);
}
double counter::value() const noexcept { return c_->Value(); }

void gauge::set(double v) noexcept { g_->Set(v); }
void gauge::add(double v) noexcept { g_->Increment(v); }
double gauge::value() const noexcept { return g_->Value(); }

void histogram::observe(double v) noexcept {
  if (!std::isnan(v)) h_->Observe(v);
}

histogram_snapshot histogram::snapshot() const {
  auto m = h_->Collect().histogram;
  histogram_snapshot s;
  for (const auto& b : m.bucket) {
    if (!std::isinf(b.upper_bound)) s.bounds.push_back(b.upper_bound);
    s.cumulative.push_back(b.cumulative_count);
  }
  s.sum = m.sample_sum;
  s.count = m.sample_count;
  return s;
}

struct metric_registry::family {
  int kind = k_counter;
  std::vector<std::string> label_names;
  std::vector<double> bounds;
  prometheus::Family<prometheus::Counter>* counters = nullptr;
  prometheus::Family<prometheus::Gauge>* gauges = nullptr;
  prometheus::Family<prometheus::Histogram>* histograms = nullptr;
  std::map<std::vector<std::string>, std::unique_ptr<counter>> counter_series;
  std::map<std::vector<std::string>, std::unique_ptr<gauge>> gauge_series;
  std::map<std::vector<std::string>, std::unique_ptr<histogram>> histogram_series;
};

metric_registry::metric_registry() : registry_(std::make_unique<prometheus::Registry>()) {}
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
    f->label_names = names;
    const auto h = escape_help(help);
    // Checked above, so prometheus-cpp's own checks (which throw) pass.
    if (k == k_counter) f->counters = &prometheus::BuildCounter().Name(name).Help(h).Register(*registry_);
    if (k == k_gauge) f->gauges = &prometheus::BuildGauge().Name(name).Help(h).Register(*registry_);
    if (k == k_histogram)
      f->histograms = &prometheus::BuildHistogram().Name(name).Help(h).Register(*registry_);
    it = families_.emplace(name, std::move(f)).first;
  }
  family& f = *it->second;
  if (f.kind != k)
    return fail(std::string("already registered as a ") + kind_name(f.kind) + ", not a " +
                kind_name(k));
  if (f.label_names != names) return fail("label names differ from the family's");
  return &f;
}

model::expected<counter*> metric_registry::get_counter(const std::string& name,
                                                       const std::string& help, const labels& l) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto f = find_or_add(name, help, k_counter, l);
  if (!f) return f.err();
  auto& slot = (*f)->counter_series[values_of(l)];
  if (!slot) slot = std::make_unique<counter>((*f)->counters->Add(to_prometheus(l)));
  return slot.get();
}

model::expected<gauge*> metric_registry::get_gauge(const std::string& name,
                                                   const std::string& help, const labels& l) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto f = find_or_add(name, help, k_gauge, l);
  if (!f) return f.err();
  auto& slot = (*f)->gauge_series[values_of(l)];
  if (!slot) slot = std::make_unique<gauge>((*f)->gauges->Add(to_prometheus(l)));
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
  auto& slot = (*f)->histogram_series[values_of(l)];
  if (!slot)
    slot = std::make_unique<histogram>(
        (*f)->histograms->Add(to_prometheus(l), prometheus::Histogram::BucketBoundaries(bounds)));
  return slot.get();
}

std::string metric_registry::render_prometheus() const {
  // Collect() takes prometheus-cpp's own locks; updates never wait on ours.
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

std::string format_metric_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string escape_label_value(const std::string& v) { return escape_text(v, true); }

}  // namespace causality::observe
