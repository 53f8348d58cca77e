/* bench_stp.c - RSTP on a grid of 100 and of 1,000 switches, from power on
 * to full convergence. Prints figures; it is not a timed test.
 *
 * The grid is R x C switches, each linked to its right and lower
 * neighbour (1 Gb/s, 1 us), so it has many loops: R*(C-1) + (R-1)*C links,
 * of which a spanning tree keeps N-1 and blocks the rest. The switch in
 * the middle has priority 4096 and becomes the root. An RSTP (or 802.1D)
 * BPDU's message age grows 1 s a hop and is discarded at max age, so max
 * age bounds the tree's radius: the 40 x 25 grid's corners are 32 hops
 * from the middle, beyond the default 20 s, so both grids run with max age
 * 40 s, forward delay 21 s (802.1D 8.10.2 requires 2 x (21 - 1) >= 40),
 * hello 2 s. For each grid it reports:
 *   converged  simulated time of the last role or port state change;
 *   wall       host time to simulate 60 s (power on, convergence, hellos);
 *   events     events run in those 60 s;
 *   bpdus      BPDUs sent by all switches in those 60 s;
 *   blocked    ports left discarding, checked against links - (N - 1);
 * and that every switch agrees on the root.
 *
 * Usage: bench_stp [rstp|stp] [small]   (default rstp; small: only 10 x 10)
 */
#include "sim/core/world.h"
#include "sim/l2/stp.h"
#include "sim/l2/switch.h"
#include "sim/link/iface.h"
#include "sim/link/link.h"
#include "sim/link/node.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct {
    SimTime last_change;
    uint64_t changes;
} Watch;

static void watch(const SimTraceRecord *r, void *user)
{
    Watch *w = user;
    if (strstr(r->detail, " role ") || strstr(r->detail, " → ")) {
        w->last_change = r->time;
        w->changes++;
    }
}

static void grid(guint rows, guint cols, SimStpMode mode)
{
    SimWorld *w = sim_world_new(1);
    guint n = rows * cols;
    SimNode **sw = g_new(SimNode *, n);
    SimLinkParams lp;
    sim_link_params_default(&lp);
    lp.rate_bps = 1000000000ULL;
    lp.delay = SIM_US;
    guint middle = (rows / 2) * cols + cols / 2;
    for (guint i = 0; i < n; i++) {
        char name[32];
        g_snprintf(name, sizeof name, "s%u", i);
        sw[i] = sim_switch_new(w, name, 4, NULL);
    }
    guint links = 0;
    for (guint r = 0; r < rows; r++) {
        for (guint c = 0; c < cols; c++) {
            guint i = r * cols + c;
            if (c + 1 < cols) { /* port 1 right, port 2 left */
                sim_link_new(w, sim_node_iface(sw[i], 0), sim_node_iface(sw[i + 1], 1), &lp);
                links++;
            }
            if (r + 1 < rows) { /* port 3 down, port 4 up */
                sim_link_new(w, sim_node_iface(sw[i], 2), sim_node_iface(sw[i + cols], 3), &lp);
                links++;
            }
        }
    }
    for (guint i = 0; i < n; i++) {
        SimStpConfig cfg;
        sim_stp_config_default(&cfg);
        cfg.mode = mode;
        cfg.max_age = 40 * SIM_SEC;
        cfg.forward_delay = 21 * SIM_SEC;
        cfg.priority = i == middle ? 4096 : 32768;
        cfg.mac = sim_mac_from_u64(0x02b000000000ULL | (i + 1));
        sim_switch_enable_stp(sw[i], &cfg);
    }
    Watch wt = {0, 0};
    sim_trace_subscribe(sim_world_trace(w), SIM_TRACE_BIT(SIM_TR_STP), watch, &wt);
    double t0 = now_s();
    sim_world_run(w, 60 * SIM_SEC, 0);
    double wall = now_s() - t0;
    uint64_t bpdus = 0;
    guint blocked = 0, agree = 0;
    uint64_t root = sim_stp_bridge_id(sim_switch_stp(sw[middle]));
    for (guint i = 0; i < n; i++) {
        SimStp *s = sim_switch_stp(sw[i]);
        bpdus += sim_stp_stats(s)->bpdu_tx;
        agree += sim_stp_root_id(s) == root;
        for (guint p = 0; p < 4; p++)
            blocked += sim_stp_port_role(s, p) == SIM_STP_ROLE_ALTERNATE ||
                       sim_stp_port_role(s, p) == SIM_STP_ROLE_BACKUP;
    }
    printf("%-5s %4u x %-4u %6u switches %6u links  converged %9.6f s  wall %7.3f s  events "
           "%10" G_GUINT64_FORMAT "  bpdus %9" G_GUINT64_FORMAT "  blocked %5u (links-(N-1) = "
           "%u)  root agreed by %u/%u\n",
           sim_stp_mode_name(mode), rows, cols, n, links, wt.last_change / 1e9, wall,
           sim_world_events(w), bpdus, blocked, links - (n - 1), agree, n);
    sim_world_free(w);
    g_free(sw);
}

int main(int argc, char **argv)
{
    SimStpMode mode = argc > 1 && strcmp(argv[1], "stp") == 0 ? SIM_STP_IEEE : SIM_STP_RSTP;
    grid(10, 10, mode);
    if (argc < 3 || strcmp(argv[2], "small") != 0)
        grid(40, 25, mode);
    return 0;
}
