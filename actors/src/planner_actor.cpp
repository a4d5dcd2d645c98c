// The planner actor: plans a run (unless it came with a plan) and spawns its run actor.

#include "messages.hpp"

namespace causality::actors {

// -------------------------------------------------------------- planner actor

caf::behavior planner_actor(caf::event_based_actor* self, impl* eng) {
  return {
      [self, eng](core_ptr& rc) {
        auto& st = *rc->state;
        if (st.cancel_flag.load()) {
          st.finish(run_outcome{run_status::cancelled, value{}, "cancelled by the caller", {}}, {}, eng->now_ms());
          return;
        }
        auto& prog = *rc->prog;
        // The adaptive policy's normal strategy follows the workflows arriving (given plans too).
        if (eng->cfg.dynamic.adaptive_strategy) eng->board.preferred(rc->hint.preferred_strategy_id);
        if (rc->given_plan) {
          if (rc->given_plan->assignments.size() != prog.size()) {
            st.finish(run_outcome{run_status::failed, value{},
                                  "the given plan has " + std::to_string(rc->given_plan->assignments.size()) +
                                      " assignments for " + std::to_string(prog.size()) + " nodes",
                                  {}},
                      {}, eng->now_ms());
            return;
          }
          rc->plan = std::make_shared<const strategies::plan>(std::move(*rc->given_plan));
          rc->given_plan.reset();
        } else {
          auto& dc = eng->cfg.dynamic;
          strategies::planner_context ctx;
          if (dc.adaptive_strategy) ctx.strategy_override = eng->board.strategy_for(rc->hint.preferred_strategy_id);
          if (dc.calibrate) ctx.exec_time_ms = eng->board.perf()->planner_hook(*prog.def, *prog.platform);
          auto p = strategies::make_plan(*prog.def, *prog.platform, rc->hint, rc->strategies, ctx);
          if (!p) {
            st.finish(run_outcome{run_status::failed, value{}, "planning failed: " + p.err().message(), {}}, {},
                      eng->now_ms());
            return;
          }
          rc->plan = std::make_shared<const strategies::plan>(std::move(*p));
        }
        st.set_plan(rc->plan);
        if (eng->cfg.dynamic.replan) {
          // Re-planning judges speed against the model the run was planned with.
          strategies::perf_model::exec_time_fn base;
          if (eng->cfg.dynamic.calibrate) base = eng->board.perf()->planner_hook(*prog.def, *prog.platform);
          rc->dyn = std::make_unique<run_dynamic>(
              prog.size(), std::make_unique<run_replanner>(prog.def, prog.platform,
                                                           eng->cfg.dynamic.replanning, std::move(base)));
          rc->dyn->set_plan(rc->plan);
        }
        spawn_run_actor(self, rc, eng);
      },
  };
}

}  // namespace causality::actors
