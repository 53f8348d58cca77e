/* bench_evq - the classic hold model on netsim's event core.
 *
 * P events are pending; each event, when it fires, schedules one new event
 * at now + Exp(mean 1 ms). The queue size stays P. We time the run phase
 * only (not the prefill), through sim_world_run so that the dispatch cost a
 * real model pays is included, and print one machine-readable line per size:
 *   sim=netsim scheduler=ladder pending=P events=E seconds=S events_per_sec=R
 *   cpu_seconds=C queue_bytes=B peak_rss_kb=K
 * seconds is wall time (what events_per_sec uses, as the ns-3 peer does);
 * cpu_seconds is this process's CPU time over the same phase, which stays
 * close to the uncontended figure when other jobs share the machine.
 * queue_bytes is what the queue holds allocated at the end (sim_evq_bytes)
 * and peak_rss_kb the process's peak resident set so far (getrusage), the
 * figure that showed the bottom tier growing without bound (issue #12).
 * Usage: bench_evq [--far] [EVENTS] [P...]
 *   (defaults: 5000000 events; 1000 100000 1000000). --far adds one event at
 *   1e6 s to the prefill: the rungs then stay wide and every hold event lands
 *   in bottom, the case where bottom never drains.
 */
#include "sim/core/evq.h"
#include "sim/core/rng.h"
#include "sim/core/world.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
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

static void far_event(void *ctx, void *arg) {}

static long peak_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static void run(uint64_t pending, uint64_t events, bool far)
{
    g_autoptr(SimWorld) w = sim_world_new(1);
    Hold h = {w, sim_world_rng(w), events};
    for (uint64_t i = 0; i < pending; i++)
        sim_world_schedule(w, (SimTime)sim_rng_exp(h.rng, 1e6), hold_event, &h, NULL);
    if (far)
        sim_world_schedule(w, 1000000 * SIM_SEC, far_event, NULL, NULL);
    double c0 = cpu_seconds();
    gint64 t0 = g_get_monotonic_time();
    uint64_t before = sim_world_events(w);
    sim_world_run(w, SIM_TIME_MAX, 0);
    gint64 t1 = g_get_monotonic_time();
    double c1 = cpu_seconds();
    uint64_t done = sim_world_events(w) - before;
    double s = (double)(t1 - t0) / 1e6;
    printf("sim=netsim scheduler=ladder pending=%llu events=%llu seconds=%.3f events_per_sec=%.0f "
           "cpu_seconds=%.3f queue_bytes=%zu peak_rss_kb=%ld\n",
           (unsigned long long)pending, (unsigned long long)done, s, (double)done / s, c1 - c0,
           sim_evq_bytes(sim_world_evq(w)), peak_rss_kb());
}

int main(int argc, char **argv)
{
    bool far = argc > 1 && strcmp(argv[1], "--far") == 0;
    if (far) {
        argc--;
        argv++;
    }
    uint64_t events = argc > 1 ? strtoull(argv[1], NULL, 10) : 5000000;
    if (argc > 2) {
        for (int i = 2; i < argc; i++)
            run(strtoull(argv[i], NULL, 10), events, far);
    } else {
        run(1000, events, far);
        run(100000, events, far);
        run(1000000, events, far);
    }
    return 0;
}
