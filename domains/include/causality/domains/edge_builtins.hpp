#pragma once
/// \file Edge functions a workflow file can name without code: transforms,
/// filters and routers over JSON-like values, looked up when no function of
/// that name is registered. Names (docs/runtime.md "Built-in edge functions"):
///   transforms  `identity`, `get:KEY`            (field KEY of an object; null if absent)
///   filters     `truthy`, `falsy`, `has:KEY`, `lacks:KEY`
///   routers     `by:KEY`                          (label = the string, int or bool in field KEY)
/// "Truthy": not null, not false, not 0, not "", not an empty array or object.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "causality/model/value.hpp"

namespace causality::domains {

using model::value;

/// Whether a value counts as true for `truthy` / `has:`.
bool truthy(const value& v);

/// The built-in transform named `name`, if there is one.
std::optional<std::function<value(const value&)>> builtin_transform(const std::string& name);
/// The built-in filter named `name`, if there is one.
std::optional<std::function<bool(const value&)>> builtin_filter(const std::string& name);
/// The built-in router named `name`, if there is one.
std::optional<std::function<std::vector<std::string>(const value&)>> builtin_router(const std::string& name);

}  // namespace causality::domains
