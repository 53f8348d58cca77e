/* horizon.h - how far into simulated time a scenario reaches.
 *
 * SimTime is a uint64_t of nanoseconds, so time ends at about 584 years
 * (18446744073.709551615 s). The world saturates a timer that would pass it
 * (sim_world_schedule), which turns a late command into wrong behaviour
 * rather than a crash: a ping at the last representable second saw its
 * replies' ARP timers collapse onto one instant and reported "no ARP reply"
 * although the peer answered. So the check is up front: every command, plus
 * how long it runs, plus SIM_TOPO_TIMER_MARGIN for the protocol timers it
 * starts, must fit, or `netsim check` reports an error at the command.
 *
 * The margin is one day: the longest timer the model starts by itself is
 * the switch's MAC aging (300 s by default), then ARP's gc_stale_time (60 s)
 * and IP reassembly (30 s). A switch `aging` set past a day is not a
 * problem: the FDB treats a saturated expiry as "never".
 *
 * `netsim run --pcap` also uses sim_topo_scenario_end to refuse, before the
 * run, a scenario whose commands end past what classic pcap can stamp.
 */
#pragma once

#include "sim/topo/ast.h"

#include <stdbool.h>

#define SIM_TOPO_TIMER_MARGIN ((SimTime)86400 * SIM_SEC)

/* How long command c runs from its `at`: a ping's (count - 1) intervals
 * plus the last echo's timeout; a traceroute's hops x probes x 5 s wait
 * (the app's default, its worst case); 0 for show, link and clear. False if
 * that does not fit in a SimTime. */
bool sim_topo_cmd_duration(const SimTopoCmd *c, SimTime *out);
/* The latest c->at + duration over the scenario (0 with no commands);
 * false if one overflows. */
bool sim_topo_scenario_end(const SimTopo *topo, SimTime *out);
