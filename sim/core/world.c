/* world.c - see world.h.
 *
 * Entities are plain numbers here: an array of counters and an array of
 * lazily made RNG streams, both indexed by entity and grown on first use.
 * The running entity's counter is reached by index on every schedule (one
 * load; a cached pointer would dangle when the array grows). */
#include "sim/core/world.h"

#include "sim/net/packet.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct _SimWorld {
    SimTime now;
    uint64_t seed;
    uint64_t events;
    bool stop;
    bool failed;
    SimEvq *evq;
    SimEntity cur;      /* the entity the running event acts for */
    uint64_t cur_key;   /* the running event's key */
    uint64_t *counters; /* per entity: keys taken so far */
    SimRng **rngs;      /* per entity, made on first draw */
    guint n_ent;        /* length of counters and rngs */
    SimTraceBus *bus;
    SimPacketPool *pool;
    void *model; /* the network (sim/link/network.h), opaque here */
    void (*model_free)(void *);
};

static __attribute__((noinline)) void entities_grow(SimWorld *w, guint need)
{
    g_assert(need - 1 <= SIM_ENTITY_MAX);
    guint n = MAX(need, w->n_ent * 2);
    w->counters = g_renew(uint64_t, w->counters, n);
    w->rngs = g_renew(SimRng *, w->rngs, n);
    for (guint i = w->n_ent; i < n; i++) {
        w->counters[i] = 0;
        w->rngs[i] = NULL;
    }
    w->n_ent = n;
}

SimWorld *sim_world_new(uint64_t seed)
{
    SimWorld *w = g_new0(SimWorld, 1);
    w->seed = seed;
    w->evq = sim_evq_new();
    entities_grow(w, 1);
    w->bus = sim_trace_bus_new();
    w->pool = sim_packet_pool_new();
    return w;
}

void sim_world_free(SimWorld *w)
{
    if (!w)
        return;
    /* Pending events first: their destroy hooks release the packets they
     * carry. Then the model (links, then nodes), which may still cancel
     * events (a no-op now) and return packets to the pool. */
    sim_evq_free(w->evq);
    w->evq = NULL;
    if (w->model_free)
        w->model_free(w->model);
    for (guint i = 0; i < w->n_ent; i++)
        sim_rng_free(w->rngs[i]);
    g_free(w->rngs);
    g_free(w->counters);
    sim_trace_bus_free(w->bus);
    sim_packet_pool_free(w->pool);
    g_free(w);
}

SimTime sim_world_now(const SimWorld *w)
{
    return w->now;
}

uint64_t sim_world_seed(const SimWorld *w)
{
    return w->seed;
}

SimRng *sim_world_rng(SimWorld *w)
{
    SimRng **r = &w->rngs[w->cur];
    if (G_UNLIKELY(!*r))
        *r = sim_rng_new_stream(w->seed, w->cur);
    return *r;
}

SimEntity sim_world_entity(const SimWorld *w)
{
    return w->cur;
}

SimEntity sim_world_enter(SimWorld *w, SimEntity e)
{
    SimEntity prev = w->cur;
    if (G_UNLIKELY(e >= w->n_ent))
        entities_grow(w, e + 1);
    w->cur = e;
    return prev;
}

uint64_t sim_world_event_key(const SimWorld *w)
{
    return w->cur_key;
}

static __attribute__((noinline, noreturn)) void key_overflow(SimEntity e)
{
    g_error("entity %u scheduled more than 2^40 events: the event key overflows", e);
}

static inline uint64_t take_key(SimWorld *w)
{
    uint64_t n = ++w->counters[w->cur];
    if (G_UNLIKELY(n > SIM_EVENT_COUNTER_MAX))
        key_overflow(w->cur);
    return SIM_EVENT_KEY(w->cur, n);
}

uint64_t sim_world_take_key(SimWorld *w)
{
    return take_key(w);
}

SimTraceBus *sim_world_trace(SimWorld *w)
{
    return w->bus;
}

SimPacketPool *sim_world_pool(SimWorld *w)
{
    return w->pool;
}

SimEvq *sim_world_evq(SimWorld *w)
{
    return w->evq;
}

uint64_t sim_world_events(const SimWorld *w)
{
    return w->events;
}

/* now + delay, saturated; inline, so the schedule path calls nothing but
 * the queue's push. */
static inline SimTime after(const SimWorld *w, SimTime delay)
{
    SimTime at = w->now + delay;
    return at < w->now ? SIM_TIME_MAX : at;
}

SimEventId sim_world_schedule(SimWorld *w, SimTime delay, SimEventFn fn, void *ctx, void *arg)
{
    return sim_evq_push_keyed(w->evq, after(w, delay), take_key(w), w->cur, fn, NULL, ctx, arg);
}

SimEventId sim_world_schedule_at(SimWorld *w, SimTime at, SimEventFn fn, void *ctx, void *arg)
{
    g_assert(at >= w->now);
    return sim_evq_push_keyed(w->evq, at, take_key(w), w->cur, fn, NULL, ctx, arg);
}

SimEventId sim_world_schedule_full(SimWorld *w, SimTime delay, SimEventFn fn, SimEventFn destroy,
                                   void *ctx, void *arg)
{
    return sim_world_schedule_for(w, w->cur, delay, fn, destroy, ctx, arg);
}

SimEventId sim_world_schedule_for(SimWorld *w, SimEntity target, SimTime delay, SimEventFn fn,
                                  SimEventFn destroy, void *ctx, void *arg)
{
    if (G_UNLIKELY(target >= w->n_ent))
        entities_grow(w, target + 1);
    return sim_evq_push_keyed(w->evq, after(w, delay), take_key(w), target, fn, destroy, ctx, arg);
}

SimEventId sim_world_schedule_keyed(SimWorld *w, SimTime at, uint64_t key, SimEntity target,
                                    SimEventFn fn, SimEventFn destroy, void *ctx, void *arg)
{
    g_assert(at >= w->now);
    if (G_UNLIKELY(target >= w->n_ent))
        entities_grow(w, target + 1);
    return sim_evq_push_keyed(w->evq, at, key, target, fn, destroy, ctx, arg);
}

bool sim_world_cancel(SimWorld *w, SimEventId id)
{
    /* During sim_world_free the queue is already gone (and with it every
     * pending event), so a node's free function cancelling a timer is fine. */
    if (!w->evq)
        return false;
    return sim_evq_cancel(w->evq, id);
}

/* Sets the clock and the running entity from the event just popped, and
 * runs it. */
static inline void run_item(SimWorld *w, const SimEvqItem *it)
{
    g_assert(it->t >= w->now);
    w->now = it->t;
    w->events++;
    w->cur = it->tag;
    w->cur_key = it->key;
    it->fn(it->ctx, it->arg);
}

static void run_one(SimWorld *w)
{
    SimEvqItem it;
    if (sim_evq_pop_item(w->evq, SIM_TIME_MAX, &it) == SIM_EVQ_POPPED)
        run_item(w, &it);
}

bool sim_world_step(SimWorld *w)
{
    SimTime t;
    if (!sim_evq_peek_time(w->evq, &t))
        return false;
    run_one(w);
    return true;
}

SimRunStatus sim_world_run(SimWorld *w, SimTime until, uint64_t max_events)
{
    uint64_t done = 0;
    w->stop = false;
    for (;;) {
        SimEvqItem it;
        if (w->stop)
            return SIM_RUN_STOPPED;
        /* At the event limit, peek only: idle and until still take
         * precedence over max_events, as they always have. */
        SimEvqPop r = max_events && done >= max_events
                          ? (sim_evq_peek_time(w->evq, &it.t) ? SIM_EVQ_LATER : SIM_EVQ_EMPTY)
                          : sim_evq_pop_item(w->evq, until, &it);
        if (r == SIM_EVQ_EMPTY) {
            /* "Run until T" lets time pass to T even when nothing happens,
             * so ages and timers read against the clock come out right. */
            if (until != SIM_TIME_MAX && until > w->now)
                w->now = until;
            return SIM_RUN_IDLE;
        }
        if (r == SIM_EVQ_LATER) {
            if (it.t > until) {
                w->now = until;
                return SIM_RUN_UNTIL;
            }
            return SIM_RUN_MAX_EVENTS;
        }
        /* One fused pop per event instead of peek + pop. */
        run_item(w, &it);
        done++;
    }
}

void sim_world_stop(SimWorld *w)
{
    w->stop = true;
}

void sim_world_set_failed(SimWorld *w)
{
    w->failed = true;
}

bool sim_world_failed(const SimWorld *w)
{
    return w->failed;
}

void sim_world_set_model(SimWorld *w, void *model, void (*free_fn)(void *model))
{
    g_assert(!w->model);
    w->model = model;
    w->model_free = free_fn;
}

void *sim_world_model(const SimWorld *w)
{
    return w->model;
}

static bool fast_conversions_only(const char *fmt)
{
    for (const char *p = fmt; (p = strchr(p, '%')); p++) {
        p++;
        if (*p == 'z')
            p++;
        if (*p != 's' && *p != 'u' && *p != 'd' && *p != '%')
            return false;
        if (p[-1] == 'z' && *p != 'u')
            return false;
    }
    return true;
}

static char *put_uint(char *o, uint64_t v)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *o++ = tmp[--n];
    return o;
}

/* vsnprintf for the formats most records use: literal text with %s, %u,
 * %d, %zu and %%, no flags, widths or precisions. The text trace of a big
 * run formats millions of details ("%zu bytes" for every tx and rx), and
 * glibc's printf spends most of its time parsing the format. Returns the
 * length, or -1 (nothing usable in buf) for any other format or when the
 * result does not fit: the caller then uses vsnprintf. */
static int fast_format(char *buf, size_t size, const char *fmt, va_list ap)
{
    if (!fast_conversions_only(fmt))
        return -1;
    char *o = buf, *end = buf + size - 1;
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            if (o == end)
                return -1;
            *o++ = *p;
            continue;
        }
        p++;
        const char *s = NULL;
        char num[24];
        char *ne = num;
        if (*p == '%') {
            s = "%";
        } else if (*p == 's') {
            s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
        } else if (*p == 'u') {
            ne = put_uint(num, va_arg(ap, unsigned));
        } else if (*p == 'd') {
            int v = va_arg(ap, int);
            if (v < 0)
                *ne++ = '-';
            ne = put_uint(ne, v < 0 ? -(uint64_t)v : (uint64_t)v);
        } else { /* "zu" */
            p++;
            ne = put_uint(num, va_arg(ap, size_t));
        }
        size_t len = s ? strlen(s) : (size_t)(ne - num);
        if ((size_t)(end - o) < len)
            return -1;
        memcpy(o, s ? s : num, len);
        o += len;
    }
    *o = '\0';
    return (int)(o - buf);
}

void sim_world_tracef(SimWorld *w, SimTraceKind kind, SimDropReason reason, const char *node,
                      const char *iface, const SimPacket *pkt, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = fast_format(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0) {
        va_start(ap, fmt);
        n = vsnprintf(buf, sizeof buf, fmt, ap);
        va_end(ap);
    }
    g_autofree char *big = NULL;
    if (n >= (int)sizeof buf) { /* multi-line tables from `show` */
        va_start(ap, fmt);
        big = g_strdup_vprintf(fmt, ap);
        va_end(ap);
    }
    SimTraceRecord rec = {
        .event = w->events,
        .time = w->now,
        .key = w->cur_key,
        .kind = kind,
        .reason = reason,
        .node = node,
        .iface = iface,
        .packet = pkt,
        .detail = big ? big : buf,
    };
    sim_trace_emit(w->bus, &rec);
}
