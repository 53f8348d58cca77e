/* horizon.c - see horizon.h. The validator's check lives here too, next to
 * the arithmetic it relies on. */
#include "sim/topo/horizon.h"
#include "sim/topo/validate_priv.h"

#define TRACEROUTE_WAIT (5 * SIM_SEC) /* sim/apps/traceroute.c's default */

static bool mul(SimTime a, uint64_t b, SimTime *out)
{
    return !__builtin_mul_overflow(a, b, out);
}

bool sim_topo_cmd_duration(const SimTopoCmd *c, SimTime *out)
{
    SimTime gaps;
    switch (c->kind) {
    case SIM_TOPO_CMD_PING:
        return mul(c->ping.interval, c->ping.count ? c->ping.count - 1 : 0, &gaps) &&
               sim_time_add(gaps, c->ping.timeout, out);
    case SIM_TOPO_CMD_TRACEROUTE:
        return mul(TRACEROUTE_WAIT, (uint64_t)c->trace.max_hops * c->trace.probes, out);
    default:
        *out = 0;
        return true;
    }
}

static bool cmd_end(const SimTopoCmd *c, SimTime *out)
{
    SimTime d;
    return sim_topo_cmd_duration(c, &d) && sim_time_add(c->at, d, out);
}

bool sim_topo_scenario_end(const SimTopo *topo, SimTime *out)
{
    *out = 0;
    for (guint i = 0; i < topo->cmds->len; i++) {
        SimTime end;
        if (!cmd_end(sim_topo_cmd(topo, i), &end))
            return false;
        *out = MAX(*out, end);
    }
    return true;
}

static const char *cmd_name(SimTopoCmdKind kind)
{
    switch (kind) {
    case SIM_TOPO_CMD_PING:
        return "ping";
    case SIM_TOPO_CMD_TRACEROUTE:
        return "traceroute";
    default:
        return "command";
    }
}

void sim_validate_horizon(SimValidate *v)
{
    char at[SIM_TIME_STRLEN], need[SIM_TIME_STRLEN], latest[SIM_TIME_STRLEN];
    for (guint i = 0; i < v->topo->cmds->len; i++) {
        const SimTopoCmd *c = sim_topo_cmd(v->topo, i);
        SimTime d, with_timers, end;
        if (sim_topo_cmd_duration(c, &d) && sim_time_add(d, SIM_TOPO_TIMER_MARGIN, &with_timers) &&
            sim_time_add(c->at, with_timers, &end))
            continue;
        sim_time_format_sec(c->at, at);
        if (!sim_topo_cmd_duration(c, &d) ||
            !sim_time_add(d, SIM_TOPO_TIMER_MARGIN, &with_timers)) {
            sim_validate_error(v, c->pos, "this %s runs too long to fit in simulated time",
                               cmd_name(c->kind));
            continue;
        }
        sim_time_format(with_timers, need);
        sim_time_format_sec(SIM_TIME_MAX - with_timers, latest);
        sim_validate_error(v, c->at_pos,
                           "%s at %ss runs past the end of simulated time: it and the timers it "
                           "starts need %s more (schedule it at %ss at the latest)",
                           cmd_name(c->kind), at, need, latest);
    }
}
