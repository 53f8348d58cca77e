/* bench_evq - the classic hold model on netsim's event core.
 *
 * P events are pending; each event, when it fires, schedules one new event
 * at now + Exp(mean 1 ms). The queue size stays P. We time the run phase
 * only (not the prefill), through sim_world_run so that the dispatch cost a
 * real model pays is included, and print one machine-readable line per size:
 *   sim=netsim scheduler=ladder pending=P events=E seconds=S events_per_sec=R
 *   cpu_seconds=C
 * seconds is wall time (what events_per_sec uses, as the ns-3 peer does);
 * cpu_seconds is this process's CPU time over the same phase, which stays
 * close to the uncontended figure when other jobs share the machine.
 * Usage: bench_evq [EVENTS] [P...]   (defaults: 5000000 events; 1000 100000 1000000)
 */
#include "sim/core/rng.h"
#include "sim/core/world.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef struct {
    SimWorld *w;
    SimRng *rng;
    uint64_t left;
} Hold;

static void hold_event(void *ctx, void *arg)
{
    Hold *h = ctx;
    if (h->left == 0) {
        sim_world_stop(h->w);
        return;
    }
    h->left--;
    SimTime inc = (SimTime)sim_rng_exp(h->rng, 1e6); /* mean 1 ms in ns */
    sim_world_schedule(h->w, inc, hold_event, h, NULL);
}

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void run(uint64_t pending, uint64_t events)
{
    g_autoptr(SimWorld) w = sim_world_new(1);
    Hold h = {w, sim_world_rng(w), events};
    for (uint64_t i = 0; i < pending; i++)
        sim_world_schedule(w, (SimTime)sim_rng_exp(h.rng, 1e6), hold_event, &h, NULL);
    double c0 = cpu_seconds();
    gint64 t0 = g_get_monotonic_time();
    uint64_t before = sim_world_events(w);
    sim_world_run(w, SIM_TIME_MAX, 0);
    gint64 t1 = g_get_monotonic_time();
    double c1 = cpu_seconds();
    uint64_t done = sim_world_events(w) - before;
    double s = (double)(t1 - t0) / 1e6;
    printf("sim=netsim scheduler=ladder pending=%llu events=%llu seconds=%.3f events_per_sec=%.0f "
           "cpu_seconds=%.3f\n",
           (unsigned long long)pending, (unsigned long long)done, s, (double)done / s, c1 - c0);
}

int main(int argc, char **argv)
{
    uint64_t events = argc > 1 ? strtoull(argv[1], NULL, 10) : 5000000;
    if (argc > 2) {
        for (int i = 2; i < argc; i++)
            run(strtoull(argv[i], NULL, 10), events);
    } else {
        run(1000, events);
        run(100000, events);
        run(1000000, events);
    }
    return 0;
}
