#pragma once
/// \file The one include for users: the runtime facade and every
/// user-facing type, in namespace `causality` (examples/ and README.md use
/// only this). The layers' own namespaces (model::, domains::, actors::,
/// strategies::) stay available for code that needs more.

#include "causality/model/error.hpp"
#include "causality/model/io.hpp"
#include "causality/model/types.hpp"
#include "causality/runtime/runtime.hpp"
#include "causality/runtime/workflow.hpp"
#include "causality/strategies/planner.hpp"

namespace causality {

// Errors (model/error.hpp).
using model::errc;
using model::error;
using model::expected;
using model::make_error;

// The seed's types (model/types.hpp).
using model::dataflow_definition;
using model::dataflow_edge;
using model::dataflow_node;
using model::domain_kind;
using model::domain_spec;
using model::initiation_hint;
using model::optimization_strategy;
using model::resource_limits;
using model::resource_usage_estimate;

// Runs and what they report (actors/run_state.hpp, engine.hpp).
using actors::domain_snapshot;
using actors::node_status;
using actors::run_status;
using actors::to_string;

// Node code (domains/node.hpp, actors/program.hpp).
using actors::cancel_token;
using actors::filter_fn;
using actors::node_options;
using actors::router_fn;
using actors::transform_fn;
using actors::workflow_state;

// Policies, clocks and dynamic optimization.
using actors::dynamic_config;
using actors::manual_clock;
using actors::real_clock;
using strategies::balancer_policy;
using strategies::plan;
using strategies::strategy_switch;

}  // namespace causality
