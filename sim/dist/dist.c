/* dist.c - see dist.h.
 *
 * Outgoing frames wait in one byte buffer per destination rank until the
 * round ends; a frame is a fixed 40-byte header and its bytes padded to 8.
 * Messages are host-endian (every rank of a job runs the same binary on
 * the same kind of machine). Costs per round: one MPI_Alltoall of K
 * sizes, one MPI_Alltoallv of the frames, two 16-byte MPI_Allreduce. */
#include "sim/dist/dist_priv.h"

#include "sim/dist/uid.h"
#include "sim/link/iface.h"
#include "sim/link/link.h"
#include "sim/link/node.h"
#include "sim/net/packet.h"

#include <mpi.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

double sim_dist_now_s(void)
{
    return (double)g_get_monotonic_time() / 1e6;
}

double sim_dist_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

SimDist *sim_dist_new(int *argc, char ***argv)
{
    MPI_Init(argc, argv);
    SimDist *d = g_new0(SimDist, 1);
    MPI_Comm_rank(MPI_COMM_WORLD, &d->rank);
    MPI_Comm_size(MPI_COMM_WORLD, &d->size);
    d->out = g_new0(GByteArray *, d->size);
    for (int r = 0; r < d->size; r++)
        d->out[r] = g_byte_array_new();
    d->scount = g_new0(int, d->size);
    d->rcount = g_new0(int, d->size);
    d->sdispl = g_new0(int, d->size);
    d->rdispl = g_new0(int, d->size);
    d->chan_la = g_new(SimTime, d->size);
    for (int r = 0; r < d->size; r++)
        d->chan_la[r] = SIM_TIME_MAX;
    d->lookahead = SIM_TIME_MAX;
    d->stop_t = SIM_TIME_MAX;
    return d;
}

void sim_dist_free(SimDist *d)
{
    if (!d)
        return;
    MPI_Finalize();
    for (int r = 0; r < d->size; r++)
        g_byte_array_unref(d->out[r]);
    g_free(d->out);
    g_free(d->dest);
    g_free(d->chan_la);
    if (d->index)
        g_hash_table_destroy(d->index);
    g_free(d->scount);
    g_free(d->rcount);
    g_free(d->sdispl);
    g_free(d->rdispl);
    g_free(d);
}

void sim_dist_set_sync(SimDist *d, SimDistSync sync)
{
    d->sync = sync;
}

int sim_dist_rank(const SimDist *d)
{
    return d->rank;
}

int sim_dist_size(const SimDist *d)
{
    return d->size;
}

void sim_dist_abort(SimDist *d, const char *msg)
{
    fprintf(stderr, "netsim: rank %d: error: %s; ending the distributed run\n", d->rank, msg);
    fflush(stderr);
    MPI_Abort(MPI_COMM_WORLD, 2);
    abort(); /* MPI_Abort does not return */
}

/* The link's remote hook: queue the frame for the far end's rank. */
static void on_remote(void *user, SimLink *link, int to_side, SimPacket *pkt, SimTime at,
                      uint64_t key)
{
    SimDist *d = user;
    guint li = GPOINTER_TO_UINT(g_hash_table_lookup(d->index, link)) - 1;
    size_t len = sim_packet_len(pkt);
    SimDistFrameHdr h = {
        .link = li,
        .to_side = (uint32_t)to_side,
        .at = at,
        .key = key,
        .uid = sim_dist_uid_global(d->rank, sim_packet_uid(pkt)),
        .len = (uint32_t)len,
    };
    GByteArray *b = d->out[d->dest[li]];
    g_byte_array_append(b, (const guint8 *)&h, sizeof h);
    g_byte_array_append(b, sim_packet_cdata(pkt), (guint)len);
    static const guint8 zero[8];
    if (len % 8)
        g_byte_array_append(b, zero, (guint)(8 - len % 8));
    d->stats.frames++;
    d->stats.bytes += len;
    sim_packet_unref(pkt);
}

void sim_dist_connect(SimDist *d, SimScenario *sc, const SimPartition *p)
{
    const SimTopo *topo = sim_scenario_topo(sc);
    d->sc = sc;
    d->lookahead = sim_partition_lookahead(p);
    d->dest = g_new0(int, MAX(topo->links->len, 1));
    d->index = g_hash_table_new(g_direct_hash, g_direct_equal);
    for (guint i = 0; i < topo->links->len; i++) {
        if (!sim_partition_link_cut(p, i))
            continue;
        const SimTopoLink *tl = sim_topo_link(topo, i);
        guint ra = sim_partition_rank(p, (guint)tl->a.node_index);
        guint rb = sim_partition_rank(p, (guint)tl->b.node_index);
        if ((int)ra != d->rank && (int)rb != d->rank)
            continue;
        int far_side = (int)ra == d->rank ? 1 : 0;
        SimLink *l = sim_scenario_link(sc, i);
        d->dest[i] = (int)(far_side ? rb : ra);
        d->chan_la[d->dest[i]] = MIN(d->chan_la[d->dest[i]], sim_partition_link_lookahead(p, i));
        g_hash_table_insert(d->index, l, GUINT_TO_POINTER(i + 1));
        sim_link_set_remote(l, far_side, on_remote, d);
    }
}

/* Round step 1: every rank's frames for every other, then their arrivals
 * scheduled here. */
static void exchange(SimDist *d, SimWorld *w)
{
    for (int r = 0; r < d->size; r++)
        d->scount[r] = (int)d->out[r]->len;
    double t0 = sim_dist_now_s(), c0 = sim_dist_cpu_s();
    MPI_Alltoall(d->scount, 1, MPI_INT, d->rcount, 1, MPI_INT, MPI_COMM_WORLD);
    size_t stotal = 0, rtotal = 0;
    for (int r = 0; r < d->size; r++) {
        d->sdispl[r] = (int)stotal;
        d->rdispl[r] = (int)rtotal;
        stotal += (size_t)d->scount[r];
        rtotal += (size_t)d->rcount[r];
    }
    if (stotal > G_MAXINT || rtotal > G_MAXINT)
        sim_dist_abort(d, "more than 2 GiB of frames in one synchronisation round");
    g_autofree guint8 *sbuf = g_malloc(MAX(stotal, 1));
    g_autofree guint8 *rbuf = g_malloc(MAX(rtotal, 1));
    for (int r = 0; r < d->size; r++) {
        if (d->out[r]->len)
            memcpy(sbuf + d->sdispl[r], d->out[r]->data, d->out[r]->len);
        g_byte_array_set_size(d->out[r], 0);
    }
    MPI_Alltoallv(sbuf, d->scount, d->sdispl, MPI_BYTE, rbuf, d->rcount, d->rdispl, MPI_BYTE,
                  MPI_COMM_WORLD);
    d->stats.wait_s += sim_dist_now_s() - t0;
    d->stats.wait_cpu_s += sim_dist_cpu_s() - c0;
    sim_dist_deliver(d, w, rbuf, rtotal);
}

uint64_t sim_dist_deliver(SimDist *d, SimWorld *w, const uint8_t *buf, size_t len)
{
    SimPacketPool *pool = sim_world_pool(w);
    uint64_t n = 0;
    for (size_t off = 0; off < len; n++) {
        SimDistFrameHdr h;
        if (len - off < sizeof h)
            sim_dist_abort(d, "a truncated frame message");
        memcpy(&h, buf + off, sizeof h);
        off += sizeof h;
        size_t padded = (h.len + 7u) & ~(size_t)7;
        SimLink *l =
            h.link < sim_scenario_topo(d->sc)->links->len ? sim_scenario_link(d->sc, h.link) : NULL;
        if (!l || len - off < padded || h.to_side > 1 || h.at < sim_world_now(w))
            sim_dist_abort(d, "a malformed frame message");
        SimPacket *pkt = sim_dist_uid_packet(pool, buf + off, h.len, h.uid);
        off += padded;
        sim_link_deliver(l, (int)h.to_side, pkt, h.at, h.key);
    }
    return n;
}

static void stop_now(void *ctx, void *arg)
{
    SimDist *d = ctx;
    d->stopped = true;
}

/* Puts the earliest stop known into this rank's queue (once per stop). */
static void schedule_stop(SimDist *d)
{
    if (d->stop_t == SIM_TIME_MAX || d->stop_scheduled || d->stopped)
        return;
    d->stop_scheduled = true;
    /* A stop sooner than the lookahead could be learned too late here; it
     * then fires at once (only with a lookahead over 2 s, see cmd_run.c). */
    sim_world_schedule_keyed(d->w, MAX(d->stop_t, sim_world_now(d->w)), d->stop_key,
                             SIM_ENTITY_WORLD, stop_now, NULL, d, NULL);
}

void sim_dist_stop_at(SimDist *d, SimTime at, uint64_t key)
{
    if (at > d->stop_t || (at == d->stop_t && key >= d->stop_key))
        return;
    d->stop_t = at;
    d->stop_key = key;
    d->stop_scheduled = false; /* an earlier one: it fires first */
    schedule_stop(d);
}

SimTime sim_dist_stop_time(const SimDist *d)
{
    return d->stop_t;
}

/* Round step 2: the earliest pending event anywhere (a stopped rank has
 * none), the earliest stop requested anywhere, and the events run and
 * ranks stopped in all. */
static void reduce(SimDist *d, SimWorld *w, SimTime *lbts, uint64_t *events, uint64_t *stopped)
{
    SimTime next;
    if (d->stopped || !sim_evq_peek_time(sim_world_evq(w), &next))
        next = SIM_TIME_MAX;
    uint64_t mins[2] = {next, d->stop_t}, gmins[2];
    uint64_t sums[2] = {sim_world_events(w), d->stopped}, gsums[2];
    double t0 = sim_dist_now_s(), c0 = sim_dist_cpu_s();
    MPI_Allreduce(mins, gmins, 2, MPI_UINT64_T, MPI_MIN, MPI_COMM_WORLD);
    MPI_Allreduce(sums, gsums, 2, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
    *lbts = gmins[0];
    *events = gsums[0];
    *stopped = gsums[1];
    if (gmins[1] != SIM_TIME_MAX) { /* a stop somewhere: its key, in one more */
        uint64_t key = d->stop_t == gmins[1] ? d->stop_key : UINT64_MAX, gkey;
        MPI_Allreduce(&key, &gkey, 1, MPI_UINT64_T, MPI_MIN, MPI_COMM_WORLD);
        sim_dist_stop_at(d, gmins[1], gkey);
    }
    d->stats.wait_s += sim_dist_now_s() - t0;
    d->stats.wait_cpu_s += sim_dist_cpu_s() - c0;
}

/* The windowed rounds (dist.h). */
static SimRunStatus run_window(SimDist *d, SimWorld *w, SimTime until, uint64_t max_events,
                               SimDistEventFn each, void *user)
{
    SimEvq *q = sim_world_evq(w);
    for (;;) {
        exchange(d, w);
        SimTime lbts;
        uint64_t events, stopped;
        reduce(d, w, &lbts, &events, &stopped);
        d->stats.rounds++;
        if (stopped == (uint64_t)d->size)
            return SIM_RUN_STOPPED;
        if (lbts == SIM_TIME_MAX && stopped)
            return SIM_RUN_STOPPED; /* the stopped ranks ended the rest's work */
        if (lbts == SIM_TIME_MAX)
            return SIM_RUN_IDLE;
        if (lbts > until)
            return SIM_RUN_UNTIL;
        if (max_events && events >= max_events)
            return SIM_RUN_MAX_EVENTS;
        /* The window: everything before lbts + lookahead (saturating). */
        SimTime end = d->lookahead >= SIM_TIME_MAX - lbts ? SIM_TIME_MAX : lbts + d->lookahead - 1;
        end = MIN(end, until);
        SimTime t;
        while (!d->stopped && sim_evq_peek_time(q, &t) && t <= end) {
            sim_world_step(w);
            if (d->stopped)
                break; /* the stop event: no trace, no marker (one process counts it) */
            if (each)
                each(user, t, sim_world_event_key(w));
        }
    }
}

SimRunStatus sim_dist_run(SimDist *d, SimWorld *w, SimTime until, uint64_t max_events,
                          SimDistEventFn each, void *user)
{
    double t0 = sim_dist_now_s(), c0 = sim_dist_cpu_s();
    d->w = w;
    schedule_stop(d);
    SimRunStatus st = d->sync == SIM_DIST_SYNC_NULL
                          ? sim_dist_run_null(d, w, until, max_events, each, user)
                          : run_window(d, w, until, max_events, each, user);
    /* Let the clock pass to `until`, as sim_world_run does (no event is
     * left at or before it). */
    if (st != SIM_RUN_MAX_EVENTS && st != SIM_RUN_STOPPED && until != SIM_TIME_MAX)
        sim_world_run(w, until, 1);
    d->stats.events = sim_world_events(w);
    d->stats.run_s = sim_dist_now_s() - t0;
    d->stats.cpu_s = sim_dist_cpu_s() - c0;
    return st;
}

const SimDistStats *sim_dist_stats(const SimDist *d)
{
    return &d->stats;
}

uint64_t sim_dist_sum(SimDist *d, uint64_t v)
{
    uint64_t r;
    MPI_Allreduce(&v, &r, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
    return r;
}

uint64_t sim_dist_max(SimDist *d, uint64_t v)
{
    uint64_t r;
    MPI_Allreduce(&v, &r, 1, MPI_UINT64_T, MPI_MAX, MPI_COMM_WORLD);
    return r;
}

void sim_dist_barrier(SimDist *d)
{
    MPI_Barrier(MPI_COMM_WORLD);
}

char *sim_dist_bcast_string(SimDist *d, const char *s)
{
    int len = d->rank == 0 ? (int)strlen(s) : 0;
    MPI_Bcast(&len, 1, MPI_INT, 0, MPI_COMM_WORLD);
    char *buf = g_malloc((size_t)len + 1);
    if (d->rank == 0)
        memcpy(buf, s, (size_t)len);
    buf[len] = '\0';
    MPI_Bcast(buf, len, MPI_CHAR, 0, MPI_COMM_WORLD);
    return buf;
}
