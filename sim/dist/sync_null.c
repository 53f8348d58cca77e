/* sync_null.c - null-message synchronisation (Chandy-Misra-Bryant), the
 * `--sync null` scheme of dist.h, beside the windowed one in dist.c.
 *
 * Channels. Rank r has one channel to each rank it shares a cut link with
 * (its neighbours, as ns-3's RemoteChannelBundle per remote system); the
 * channel's lookahead L is the smallest, over those links, of delay plus
 * the serialisation of a 60-byte frame (partition.h): a frame put on one
 * during an event at t arrives at t + L or later. Every message on a
 * channel carries the sender's promise P: no frame it sends later arrives
 * before P. Messages are frames (in dist_priv.h's wire form) behind a
 * 32-byte header; one with no frame is a null message.
 *
 * Rank r's loop: receive what has come (frames are scheduled, a promise
 * raises the channel's clock in[s]); run the events before
 * safe = min over channels of in[s] (strictly before: a frame may arrive
 * at exactly in[s] with a smaller ordering key, which one process would
 * run first); then send each neighbour the frames for it and, if it grew,
 * the promise min(next event, safe) + L. That is ns-3's guarantee
 * (NullMessageSimulatorImpl::CalculateGuaranteeTime): every future event
 * of r is at or after its next queued event or an arrival, and arrivals
 * are at or after safe. A rank whose every future event lies past `until`
 * (or that has stopped) promises for ever (SIM_TIME_MAX). Unlike ns-3,
 * which sends a null message per channel every lookahead as a scheduled
 * event, a null goes out only when the promise grows, right after the
 * events that let it grow; frames and promise share one message, so a
 * frame never lags the promise that covers it. No deadlock: L > 0 on every
 * channel (a zero-delay link is never cut), so around any cycle of waiting
 * ranks the smallest promise grows by L per exchange.
 *
 * Termination and idle time: CMB alone never learns that the whole job is
 * idle (the promises of idle ranks climb L per exchange for ever, which
 * ns-3 avoids by requiring Simulator::Stop), and it crosses a quiet gap of
 * g one L at a time (g / L exchanges). Both are settled by waves: a
 * non-blocking MPI_Iallreduce over a communicator of its own, which a rank
 * joins when it is passive (stopped, or nothing queued at or before
 * `until`), when it is blocked before a gap of 2 lookaheads or more, or
 * every 65536 events (so --max-events is checked). A rank keeps running
 * CMB while its wave is in flight; it contributes its frames sent and
 * received, its next event time, its events, whether it stopped, the stop
 * it knows, and a dirty bit: it ran an event, received a frame or learned
 * a stop since its previous contribution (always set on its first).
 * A wave with no dirty bit, sent == received and one stop known by all is
 * clean, and then G = the smallest next event time is a lower bound on
 * every future event (the global virtual time). Proof: let e be the end
 * of the previous wave, after every rank's previous contribution c1 and
 * before its current one c2. No rank ran an event or received a frame in
 * [c1, c2], so none sent one: the frames counted as sent at the c2s were
 * sent before e, and as all of them were received by the c2s and none was
 * received in (c1, c2], none was in flight at e. At e every queue held
 * what it holds at c2, so nothing anywhere was earlier than G; events only
 * schedule later ones. Then every rank raises in[s] to G + L (an idle gap
 * is jumped, as the windowed scheme jumps it), and if G is past `until`
 * or infinite every rank ends the run at this same wave, with the status
 * the window would give (IDLE, UNTIL or STOPPED, in dist.c's order);
 * events past --max-events end it at any wave (MAX_EVENTS, cut short).
 * This is the two-wave counting method of Mattern (1987), "Algorithms for
 * distributed termination detection", with GVT taken along.
 * Rejected: a blocking allreduce whenever a rank is blocked (that is the
 * windowed scheme again, waiting on every rank at every step); ns-3's
 * end-when-my-queue-is-empty (wrong when a frame is still on its way);
 * carrier null messages (Cai & Turner), which jump gaps without a global
 * operation but route nulls around cycles.
 *
 * Stops (a storm): the stop a rank knows rides in every message header and
 * in the waves. A rank learns it before its clock passes it: what lets a
 * rank advance is a promise that left the requesting rank after the
 * request, and that message carries it (true along chains of neighbours;
 * ranks with no chain of cut links between them learn it at the next
 * wave, and with stops 2 s ahead and millisecond lookahead that is in
 * time).
 *
 * End: after the deciding wave each rank sends every neighbour a last
 * message (BYE) and reads its channels until each neighbour's BYE, so no
 * message is left unread at MPI_Finalize; then it waits for its sends.
 *
 * Costs: per step one message per neighbour (32 bytes if null), received
 * by MPI_Iprobe + MPI_Recv (sizes vary); a wave is 80 bytes. A blocked
 * rank polls, yielding the CPU, and after IDLE_SPINS polls sleeps between
 * them (an MPI wait would spin as well: Open MPI polls).
 */
#include "sim/dist/dist_priv.h"

#include <mpi.h>
#include <sched.h>
#include <string.h>

#define TAG_MSG 20
#define JOIN_EVENTS 65536u
/* A blocked rank polls this many times, yielding, then sleeps between
 * polls: with more ranks than cores (or a loaded machine) a spinning rank
 * holds the core the rank it waits for needs. The sleep (Linux rounds it
 * up to about 60 us) delays at most the end of a block. */
#define IDLE_SPINS 64u
#define IDLE_SLEEP_US 20

enum { MSG_DATA, MSG_BYE };

typedef struct {
    uint64_t promise, stop_t, stop_key;
    uint32_t kind, pad;
} MsgHdr;

typedef struct {
    int rank;
    SimTime la;       /* the channel's lookahead */
    SimTime in;       /* the neighbour's promise: nothing from it arrives before */
    SimTime promised; /* the last promise sent to it */
    bool bye;         /* its last message came */
} Chan;

/* A wave's contribution: sums, a min, then the stop as a (time, key)
 * minimum and maximum (they differ when some rank does not know it). */
enum { W_SENT, W_RECV, W_DIRTY, W_STOPPED, W_EVENTS, W_NEXT, W_LO_T, W_LO_K, W_HI_T, W_HI_K, W_N };

typedef struct {
    SimDist *d;
    SimWorld *w;
    SimTime until;
    MPI_Comm comm;  /* frames and null messages */
    MPI_Comm wcomm; /* waves */
    MPI_Datatype wtype;
    MPI_Op wop;
    Chan *ch;
    int nch;
    int *chan_of;      /* by rank: index in ch, or -1 */
    GArray *reqs;      /* MPI_Request of sends in flight */
    GPtrArray *bufs;   /* their buffers, GByteArray, same order */
    GByteArray *rbuf;  /* the message being read */
    uint64_t recv;     /* frames received */
    uint64_t since;    /* events since the last contribution */
    bool dirty, first; /* see the top */
    bool wave_on;      /* a contribution is in flight */
    MPI_Request wreq;
    uint64_t mine[W_N], got[W_N];
} Null;

static SimTime sat_add(SimTime a, SimTime b)
{
    return a >= SIM_TIME_MAX - b ? SIM_TIME_MAX : a + b;
}

static void wave_op(void *invec, void *inoutvec, int *len, MPI_Datatype *type)
{
    (void)type;
    const uint64_t *a = invec;
    uint64_t *b = inoutvec;
    for (int i = 0; i < *len; i++, a += W_N, b += W_N) {
        for (int f = W_SENT; f <= W_EVENTS; f++)
            b[f] += a[f];
        b[W_NEXT] = MIN(a[W_NEXT], b[W_NEXT]);
        if (a[W_LO_T] < b[W_LO_T] || (a[W_LO_T] == b[W_LO_T] && a[W_LO_K] < b[W_LO_K])) {
            b[W_LO_T] = a[W_LO_T];
            b[W_LO_K] = a[W_LO_K];
        }
        if (a[W_HI_T] > b[W_HI_T] || (a[W_HI_T] == b[W_HI_T] && a[W_HI_K] > b[W_HI_K])) {
            b[W_HI_T] = a[W_HI_T];
            b[W_HI_K] = a[W_HI_K];
        }
    }
}

/* A message buffer with room for its header. */
static GByteArray *new_buf(void)
{
    GByteArray *b = g_byte_array_sized_new(256);
    g_byte_array_set_size(b, sizeof(MsgHdr));
    return b;
}

static void setup(Null *n, SimDist *d, SimWorld *w, SimTime until)
{
    *n = (Null){.d = d, .w = w, .until = until, .first = true};
    MPI_Comm_dup(MPI_COMM_WORLD, &n->comm);
    MPI_Comm_dup(MPI_COMM_WORLD, &n->wcomm);
    MPI_Type_contiguous(W_N, MPI_UINT64_T, &n->wtype);
    MPI_Type_commit(&n->wtype);
    MPI_Op_create(wave_op, 1, &n->wop);
    n->chan_of = g_new(int, d->size);
    n->ch = g_new0(Chan, d->size);
    for (int r = 0; r < d->size; r++) {
        n->chan_of[r] = -1;
        if (d->chan_la[r] == SIM_TIME_MAX)
            continue;
        /* Events start at 0: nothing from r arrives before 0 + L. */
        n->ch[n->nch] = (Chan){.rank = r, .la = d->chan_la[r], .in = d->chan_la[r]};
        n->chan_of[r] = n->nch++;
        g_byte_array_unref(d->out[r]);
        d->out[r] = new_buf();
    }
    n->reqs = g_array_new(FALSE, FALSE, sizeof(MPI_Request));
    n->bufs = g_ptr_array_new_with_free_func((GDestroyNotify)g_byte_array_unref);
    n->rbuf = g_byte_array_new();
}

static void teardown(Null *n)
{
    g_array_free(n->reqs, TRUE);
    g_ptr_array_free(n->bufs, TRUE);
    g_byte_array_unref(n->rbuf);
    for (int i = 0; i < n->nch; i++)
        g_byte_array_set_size(n->d->out[n->ch[i].rank], 0);
    g_free(n->ch);
    g_free(n->chan_of);
    MPI_Op_free(&n->wop);
    MPI_Type_free(&n->wtype);
    MPI_Comm_free(&n->wcomm);
    MPI_Comm_free(&n->comm);
}

/* Frees the buffers of sends that completed (all: waits for every one). */
static void reap(Null *n, bool all)
{
    int count = (int)n->reqs->len;
    if (!count)
        return;
    MPI_Request *r = (MPI_Request *)(void *)n->reqs->data;
    if (all) {
        MPI_Waitall(count, r, MPI_STATUSES_IGNORE);
        g_array_set_size(n->reqs, 0);
        g_ptr_array_set_size(n->bufs, 0);
        return;
    }
    int done = 0;
    g_autofree int *idx = g_new(int, count);
    MPI_Testsome(count, r, &done, idx, MPI_STATUSES_IGNORE);
    if (done <= 0)
        return;
    guint keep = 0; /* completed requests are MPI_REQUEST_NULL now */
    for (guint i = 0; i < (guint)count; i++) {
        if (r[i] == MPI_REQUEST_NULL) {
            g_byte_array_unref(n->bufs->pdata[i]);
            continue;
        }
        r[keep] = r[i];
        n->bufs->pdata[keep++] = n->bufs->pdata[i];
    }
    g_array_set_size(n->reqs, keep);
    n->bufs->len = keep; /* the rest were unreffed above */
}

/* Sends b (header room first) to c and keeps it until the send is done. */
static void post(Null *n, Chan *c, GByteArray *b, uint32_t kind, SimTime promise)
{
    SimDist *d = n->d;
    MsgHdr h = {
        .promise = promise,
        .stop_t = d->stop_t,
        .stop_key = d->stop_key,
        .kind = kind,
    };
    memcpy(b->data, &h, sizeof h);
    MPI_Request req;
    MPI_Isend(b->data, (int)b->len, MPI_BYTE, c->rank, TAG_MSG, n->comm, &req);
    g_array_append_val(n->reqs, req);
    g_ptr_array_add(n->bufs, b);
}

static SimTime safe_time(const Null *n)
{
    SimTime s = SIM_TIME_MAX;
    for (int i = 0; i < n->nch; i++)
        s = MIN(s, n->ch[i].in);
    return s;
}

/* The next event this rank will run, SIM_TIME_MAX if none will be. */
static SimTime next_time(const Null *n)
{
    SimTime t;
    if (n->d->stopped || !sim_evq_peek_time(sim_world_evq(n->w), &t) || t > n->until)
        return SIM_TIME_MAX;
    return t;
}

/* Each neighbour gets its frames and, if it grew, the promise. */
static void flush(Null *n)
{
    SimDist *d = n->d;
    SimTime h = MIN(next_time(n), safe_time(n));
    for (int i = 0; i < n->nch; i++) {
        Chan *c = &n->ch[i];
        SimTime p = h > n->until || d->stopped ? SIM_TIME_MAX : sat_add(h, c->la);
        bool frames = d->out[c->rank]->len > sizeof(MsgHdr);
        if (!frames && p <= c->promised)
            continue;
        c->promised = MAX(c->promised, p);
        d->stats.messages++;
        d->stats.nulls += !frames;
        post(n, c, d->out[c->rank], MSG_DATA, c->promised);
        d->out[c->rank] = new_buf();
    }
}

static void learn_stop(Null *n, SimTime t, uint64_t key)
{
    SimDist *d = n->d;
    if (t == SIM_TIME_MAX)
        return;
    SimTime t0 = d->stop_t;
    uint64_t k0 = d->stop_key;
    sim_dist_stop_at(d, t, key);
    if (d->stop_t != t0 || d->stop_key != k0)
        n->dirty = true;
}

/* One message from src; returns whether it was a BYE. */
static bool handle(Null *n, int src, const uint8_t *buf, size_t len)
{
    SimDist *d = n->d;
    MsgHdr h;
    if (len < sizeof h || src < 0 || src >= d->size || n->chan_of[src] < 0)
        sim_dist_abort(d, "a malformed null-message channel message");
    memcpy(&h, buf, sizeof h);
    Chan *c = &n->ch[n->chan_of[src]];
    if (h.kind == MSG_BYE) {
        c->bye = true;
        return true;
    }
    uint64_t k = sim_dist_deliver(d, n->w, buf + sizeof h, len - sizeof h);
    if (k) {
        n->recv += k;
        n->dirty = true;
    }
    c->in = MAX(c->in, h.promise);
    learn_stop(n, h.stop_t, h.stop_key);
    return false;
}

static bool recv_one(Null *n, bool block)
{
    int flag = 1;
    MPI_Status st;
    if (block)
        MPI_Probe(MPI_ANY_SOURCE, TAG_MSG, n->comm, &st);
    else
        MPI_Iprobe(MPI_ANY_SOURCE, TAG_MSG, n->comm, &flag, &st);
    if (!flag)
        return false;
    int count;
    MPI_Get_count(&st, MPI_BYTE, &count);
    g_byte_array_set_size(n->rbuf, (guint)count);
    MPI_Recv(n->rbuf->data, count, MPI_BYTE, st.MPI_SOURCE, TAG_MSG, n->comm, MPI_STATUS_IGNORE);
    return handle(n, st.MPI_SOURCE, n->rbuf->data, (size_t)count), true;
}

static void join(Null *n)
{
    SimDist *d = n->d;
    uint64_t *m = n->mine;
    m[W_SENT] = d->stats.frames;
    m[W_RECV] = n->recv;
    m[W_DIRTY] = n->dirty || n->first;
    m[W_STOPPED] = d->stopped;
    m[W_EVENTS] = sim_world_events(n->w);
    /* Past `until` too, so that the wave tells UNTIL from IDLE. */
    if (d->stopped || !sim_evq_peek_time(sim_world_evq(n->w), &m[W_NEXT]))
        m[W_NEXT] = SIM_TIME_MAX;
    m[W_LO_T] = m[W_HI_T] = d->stop_t;
    m[W_LO_K] = m[W_HI_K] = d->stop_t == SIM_TIME_MAX ? UINT64_MAX : d->stop_key;
    n->dirty = n->first = false;
    n->since = 0;
    MPI_Iallreduce(m, n->got, 1, n->wtype, n->wop, n->wcomm, &n->wreq);
    n->wave_on = true;
}

static bool should_join(const Null *n)
{
    if (n->wave_on)
        return false;
    SimTime next = next_time(n), safe = safe_time(n);
    if (next == SIM_TIME_MAX || n->since >= JOIN_EVENTS)
        return true; /* passive, or due for a count */
    SimTime gap = sat_add(n->d->lookahead, n->d->lookahead);
    return next >= safe && next - safe >= gap;
}

/* A completed wave; returns whether the run ends here, with *st. */
static bool decide(Null *n, uint64_t max_events, SimRunStatus *st)
{
    const uint64_t *g = n->got;
    n->d->stats.waves++;
    learn_stop(n, g[W_LO_T], g[W_LO_K]);
    if (g[W_STOPPED] == (uint64_t)n->d->size) {
        *st = SIM_RUN_STOPPED;
        return true;
    }
    bool clean =
        !g[W_DIRTY] && g[W_SENT] == g[W_RECV] && g[W_LO_T] == g[W_HI_T] && g[W_LO_K] == g[W_HI_K];
    if (clean) {
        SimTime gvt = g[W_NEXT];
        if (gvt == SIM_TIME_MAX) {
            *st = g[W_STOPPED] ? SIM_RUN_STOPPED : SIM_RUN_IDLE;
            return true;
        }
        if (gvt > n->until) {
            *st = SIM_RUN_UNTIL;
            return true;
        }
        for (int i = 0; i < n->nch; i++)
            n->ch[i].in = MAX(n->ch[i].in, sat_add(gvt, n->ch[i].la));
    }
    if (max_events && g[W_EVENTS] >= max_events) {
        *st = SIM_RUN_MAX_EVENTS;
        return true;
    }
    return false;
}

/* Every neighbour's last message read, every send done. */
static void finish(Null *n)
{
    for (int i = 0; i < n->nch; i++)
        post(n, &n->ch[i], new_buf(), MSG_BYE, SIM_TIME_MAX);
    for (int i = 0; i < n->nch; i++)
        while (!n->ch[i].bye)
            recv_one(n, true);
    reap(n, true);
}

SimRunStatus sim_dist_run_null(SimDist *d, SimWorld *w, SimTime until, uint64_t max_events,
                               SimDistEventFn each, void *user)
{
    Null n;
    setup(&n, d, w, until);
    SimEvq *q = sim_world_evq(w);
    SimRunStatus st;
    unsigned idle = 0; /* passes in a row with nothing to do */
    for (;;) {
        double t0 = sim_dist_now_s(), c0 = sim_dist_cpu_s();
        bool got = false;
        while (recv_one(&n, false))
            got = true;
        SimTime safe = safe_time(&n), t;
        uint64_t ran = 0;
        while (!d->stopped && sim_evq_peek_time(q, &t) && t < safe && t <= until) {
            sim_world_step(w);
            ran++;
            if (d->stopped)
                break; /* the stop event: no trace, no marker (one process counts it) */
            if (each)
                each(user, t, sim_world_event_key(w));
        }
        if (ran) {
            idle = 0;
            n.dirty = true;
            n.since += ran;
        }
        flush(&n);
        reap(&n, false);
        bool waved = false;
        if (n.wave_on) {
            int done = 0;
            MPI_Test(&n.wreq, &done, MPI_STATUS_IGNORE);
            if (done) {
                n.wave_on = false;
                waved = true;
                if (decide(&n, max_events, &st))
                    break;
            }
        }
        if (should_join(&n))
            join(&n);
        if (!ran) {
            idle = got || waved ? 0 : idle + 1;
            if (idle > IDLE_SPINS)
                g_usleep(IDLE_SLEEP_US); /* cores shared: let the rank we wait for run */
            else if (idle)
                sched_yield();
            d->stats.wait_s += sim_dist_now_s() - t0;
            d->stats.wait_cpu_s += sim_dist_cpu_s() - c0;
        }
    }
    finish(&n);
    teardown(&n);
    return st;
}
