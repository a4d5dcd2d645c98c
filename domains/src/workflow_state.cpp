#include <stdexcept>

#include "causality/domains/node.hpp"

namespace causality::domains {

workflow_state::workflow_state(value::object initial, std::map<std::string, std::string> schema)
    : obj_(std::move(initial)), schema_(std::move(schema)) {}

value::object workflow_state::read() const {
  std::lock_guard<std::mutex> g(mx_);
  return obj_;
}

value workflow_state::get(const std::string& key) const {
  std::lock_guard<std::mutex> g(mx_);
  auto it = obj_.find(key);
  return it == obj_.end() ? value{} : it->second;
}

void workflow_state::update(const std::function<void(value::object&)>& f) {
  std::lock_guard<std::mutex> g(mx_);
  auto copy = obj_;  // shallow: values are shared pointers
  f(copy);
  for (auto& [field, type] : schema_) {
    auto it = copy.find(field);
    if (it != copy.end() && !it->second.matches(type))
      throw std::runtime_error("state field '" + field + "' must be " + type + ", got " +
                               it->second.type_name());
  }
  obj_ = std::move(copy);
}

}  // namespace causality::domains
