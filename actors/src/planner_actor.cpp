// The planner actor: plans a run (unless it came with a plan) and spawns its run actor.

#include "context.hpp"

namespace causality::actors {

// -------------------------------------------------------------- planner actor

caf::behavior planner_actor(actor_base* self, const planner_actor_context* eng) {
  return {
      [self, eng](core_ptr& rc) {
        auto& st = *rc->state;
        if (st.cancel_flag.load()) {
          st.finish(run_outcome{run_status::cancelled, value{}, "cancelled by the caller", {}}, {}, now_ms(*eng->clk));
          return;
        }
        auto& prog = rc->prog();
        // The adaptive policy's normal strategy follows the workflows arriving (given plans too).
        if (eng->dynamic->adaptive_strategy) eng->board->preferred(rc->req.hint.preferred_strategy_id);
        if (rc->req.plan) {
          if (rc->req.plan->assignments.size() != prog.size()) {
            st.finish(run_outcome{run_status::failed, value{},
                                  "the given plan has " + std::to_string(rc->req.plan->assignments.size()) +
                                      " assignments for " + std::to_string(prog.size()) + " nodes",
                                  {}},
                      {}, now_ms(*eng->clk));
            return;
          }
          rc->plan = std::make_shared<const strategies::plan>(std::move(*rc->req.plan));
          rc->req.plan.reset();
        } else {
          auto& dc = *eng->dynamic;
          strategies::planner_context ctx;
          if (dc.adaptive_strategy) ctx.strategy_override = eng->board->strategy_for(rc->req.hint.preferred_strategy_id);
          if (dc.calibrate) ctx.exec_time_ms = eng->board->perf()->planner_hook(*prog.def, *prog.platform);
          auto p = strategies::make_plan(*prog.def, *prog.platform, rc->req.hint, rc->req.strategies, ctx);
          if (!p) {
            st.finish(run_outcome{run_status::failed, value{}, "planning failed: " + p.err().message(), {}}, {},
                      now_ms(*eng->clk));
            return;
          }
          rc->plan = std::make_shared<const strategies::plan>(std::move(*p));
        }
        st.set_plan(rc->plan);
        if (eng->dynamic->replan) {
          // Re-planning judges speed against the model the run was planned with.
          strategies::perf_model::exec_time_fn base;
          if (eng->dynamic->calibrate) base = eng->board->perf()->planner_hook(*prog.def, *prog.platform);
          rc->dyn = std::make_unique<run_dynamic>(
              prog.size(), std::make_unique<run_replanner>(prog.def, prog.platform,
                                                           eng->dynamic->replanning, std::move(base)));
          rc->dyn->set_plan(rc->plan);
        }
        spawn_run_actor(self->system(), rc, eng->runs);
      },
  };
}

caf::actor spawn_planner_actor(caf::actor_system& sys, const planner_actor_context* ctx) {
  return sys.spawn(planner_actor, ctx);
}

}  // namespace causality::actors
