// A plugin built for another ABI: what the loader must refuse in one line
// (tests/cluster/test_cluster_cli.cpp).
#include <causality/domains/plugin.hpp>

extern "C" unsigned causality_plugin_abi() { return 999; }
extern "C" void causality_plugin_register(causality::domains::plugin_registry&) {}
