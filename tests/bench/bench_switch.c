/* bench_switch.c - the learning switch's forwarding path with 100, 1000
 * and 10000 learned stations. Prints figures; it is not a timed test.
 *
 * For each table size it reports:
 *   lookup   ns per sim_fdb_lookup of a known station (the table alone);
 *   input    ns per frame through the switch's input function: learn,
 *            lookup, forward decision, and handing the frame to the output
 *            link (which starts transmission and schedules its events);
 *   e2e      ns per frame including running those link events and the
 *            delivery to the far end (frames/s is 1e9 / e2e).
 * Frames are prebuilt and shared (one reference per injection), so the
 * figures measure the switch and links, not frame construction.
 *
 * Usage: bench_switch [frames]   (default 2000000)
 */
#include "sim/core/world.h"
#include "sim/l2/switch.h"
#include "sim/link/iface.h"
#include "sim/link/link.h"
#include "sim/link/node.h"
#include "sim/net/eth.h"
#include "sim/net/packet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PORTS 48
#define PATTERN 4096 /* distinct prebuilt frames */
#define BATCH 1024   /* frames injected between two event-loop drains */

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static uint64_t sunk;

static void sink_input(SimNode *node, SimIface *in, SimPacket *pkt)
{
    sunk++;
    sim_packet_unref(pkt);
}

static const SimNodeOps sink_ops = {.input = sink_input};

static SimPacket *frame(SimWorld *w, const SimMac *src, const SimMac *dst)
{
    SimPacket *p = sim_packet_new(sim_world_pool(w), SIM_PACKET_HEADROOM, 46);
    SimEthHdr h = {.dst = *dst, .src = *src, .ethertype = 0x88b5};
    sim_eth_encode(p, &h);
    return p;
}

/* Station i sits behind port i % PORTS. */
static SimMac station(uint32_t i)
{
    return sim_mac_local(i);
}

static void inject(SimNode *sw, uint32_t i, SimPacket *p)
{
    sim_node_ops(sw)->input(sw, sim_node_iface(sw, i % PORTS), sim_packet_ref(p));
}

static void drain(SimWorld *w)
{
    sim_world_run(w, SIM_TIME_MAX, 0); /* no time limit: idle stops it */
}

static void bench(uint32_t n, uint64_t frames)
{
    SimWorld *w = sim_world_new(1);
    SimSwitchConfig cfg;
    sim_switch_config_default(&cfg);
    cfg.table_capacity = 20000;
    cfg.aging = 0; /* no sweep event: drain() runs the loop until idle */
    SimNode *sw = sim_switch_new(w, "sw", PORTS, &cfg);
    SimLinkParams lp;
    sim_link_params_default(&lp);
    lp.rate_bps = 100000000000ULL; /* fast links: queues never drop */
    lp.delay = 0;
    lp.queue_limit = 100000;
    for (guint i = 0; i < PORTS; i++) {
        char name[16];
        g_snprintf(name, sizeof name, "sink%u", i);
        SimNode *s = sim_node_new(w, name, SIM_NODE_HOST, &sink_ops, NULL);
        SimIface *nic = sim_node_add_iface(s, "eth0", &SIM_MAC_ZERO);
        sim_iface_set_promisc(nic, true);
        sim_link_new(w, nic, sim_node_iface(sw, i), &lp);
    }

    /* Every station speaks once: the switch learns all of them. */
    for (uint32_t i = 0; i < n; i++) {
        SimMac src = station(i);
        SimPacket *p = frame(w, &src, &SIM_MAC_BROADCAST);
        inject(sw, i, p);
        sim_packet_unref(p);
        if (i % BATCH == BATCH - 1)
            drain(w);
    }
    drain(w);
    g_assert(sim_fdb_count(sim_switch_fdb(sw)) == n);

    /* A fixed pseudo-random pattern of known unicast between stations on
     * different ports. */
    SimPacket *pat[PATTERN];
    uint32_t from[PATTERN];
    SimMac dsts[PATTERN];
    SimRng *rng = sim_rng_new(7);
    for (guint k = 0; k < PATTERN; k++) {
        uint32_t a = (uint32_t)sim_rng_below(rng, n), b;
        do
            b = (uint32_t)sim_rng_below(rng, n);
        while (b % PORTS == a % PORTS);
        SimMac src = station(a);
        dsts[k] = station(b);
        from[k] = a;
        pat[k] = frame(w, &src, &dsts[k]);
    }
    sim_rng_free(rng);

    /* The table alone. */
    SimFdb *fdb = sim_switch_fdb(sw);
    uint64_t found = 0;
    double t0 = now_ns();
    for (uint64_t f = 0; f < frames; f++) {
        guint port;
        found += sim_fdb_lookup(fdb, &dsts[f % PATTERN], 1, 0, &port);
    }
    double lookup = (now_ns() - t0) / (double)frames;
    g_assert(found == frames);

    /* Input path, and end to end. */
    const SimSwitchStats *st = sim_switch_stats(sw);
    uint64_t fwd0 = st->forwarded, sunk0 = sunk;
    double in_ns = 0;
    t0 = now_ns();
    for (uint64_t f = 0; f < frames;) {
        double b0 = now_ns();
        for (guint k = 0; k < BATCH && f < frames; k++, f++) {
            guint i = (guint)(f % PATTERN);
            inject(sw, from[i], pat[i]);
        }
        in_ns += now_ns() - b0;
        drain(w);
    }
    double e2e = (now_ns() - t0) / (double)frames;
    double input = in_ns / (double)frames;
    g_assert(st->forwarded - fwd0 == frames);
    g_assert(sunk - sunk0 == frames);

    printf("%6u stations  lookup %6.1f ns   input %6.1f ns   e2e %6.1f ns   %6.2f Mframes/s\n", n,
           lookup, input, e2e, 1e3 / e2e);
    for (guint k = 0; k < PATTERN; k++)
        sim_packet_unref(pat[k]);
    sim_world_free(w);
}

int main(int argc, char **argv)
{
    uint64_t frames = argc > 1 ? strtoull(argv[1], NULL, 10) : 2000000;
    if (!frames)
        frames = 1;
    printf("bench_switch: %" G_GUINT64_FORMAT " known-unicast frames through one %d-port "
           "switch, no trace sink\n",
           frames, PORTS);
    const uint32_t sizes[] = {100, 1000, 10000};
    for (guint i = 0; i < G_N_ELEMENTS(sizes); i++)
        bench(sizes[i], frames);
    return 0;
}
