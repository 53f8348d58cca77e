/* evq.c - the event queue as a ladder queue; see evq.h for the design and the
 * figures behind it.
 *
 * Layout. An entry is 16 bytes, (time, record). Three tiers hold them:
 *   bottom  a sorted array [head, tail) of the nearest events, popped by
 *           bumping head; every event earlier than the finest rung's current
 *           bucket lands here by a sorted insert.
 *   rungs   rung 0 covers [start, top_after] in 2^shift-wide buckets; a
 *           bucket too big to sort cheaply is split into a finer rung that
 *           covers exactly that bucket. Buckets are unsorted vectors.
 *   top     an unsorted vector of everything after top_after; when bottom
 *           and rungs run dry it becomes the new rung 0, sized from its
 *           count and its [min, max].
 *
 * Ties. The seq order is kept without storing seq in the entry: every
 * vector only ever receives entries in push order (appends happen at push
 * time, and redistributions copy a vector front to back into empty ones), so
 * each bucket is seq-ordered and a *stable* sort by time gives the exact
 * (time, seq) order. A push into bottom has the largest seq so far, so it
 * goes after the last entry of equal time.
 *
 * Range. Bucket indices are computed from offsets (t - start) >> shift and
 * the ladder's end is saturated, so times up to UINT64_MAX work; the insert
 * test compares bucket indices, never an end time that could overflow.
 */
#include "sim/core/evq.h"

#include <string.h>

#define CHUNK_EVENTS 4096
/* A bucket with more entries than this is split into a finer rung rather
 * than insertion-sorted into bottom (unless its width is one nanosecond:
 * then all its times are equal and it is already in order). */
#define SPLIT_THRESHOLD 48
/* Target entries per bucket when a rung is built. */
#define PER_BUCKET 1
/* Each finer rung has a shift at least one smaller, so 64 shifts + rung 0. */
#define MAX_RUNGS 65

struct _SimEvent {
    uint64_t seq; /* of the pending push; 0 while free */
    SimEventFn fn;
    SimEventFn destroy; /* may be NULL */
    void *ctx;
    void *arg;
    SimEvent *next_free;
    bool cancelled;
} __attribute__((aligned(64))); /* one cache line: a pop misses at most once */

typedef struct {
    SimTime time;
    SimEvent *ev;
} Entry;

typedef struct {
    Entry *v;
    uint32_t n, cap;
} Bucket;

typedef struct {
    Bucket *b; /* nb in use, bcap allocated (vectors kept for reuse) */
    size_t nb, bcap;
    size_t cur; /* buckets before cur are consumed */
    SimTime start;
    unsigned shift;
} Rung;

struct _SimEvq {
    Entry *bot; /* sorted; live part is [head, tail) */
    size_t head, tail, bot_cap;
    Rung rungs[MAX_RUNGS];
    unsigned nrungs;
    Entry *top;
    size_t top_n, top_cap;
    SimTime top_min, top_max;
    SimTime top_after; /* top holds exactly the entries with time > top_after */
    size_t live;
    uint64_t next_seq;
    SimEvent *free_list;
    GPtrArray *chunks; /* owns the SimEvent chunks (g_aligned_free) */
};

/* ---- records ---------------------------------------------------------- */

static SimEvent *event_alloc(SimEvq *q)
{
    if (G_UNLIKELY(!q->free_list)) {
        SimEvent *chunk = g_aligned_alloc0(CHUNK_EVENTS, sizeof(SimEvent), 64);
        g_ptr_array_add(q->chunks, chunk);
        for (size_t i = CHUNK_EVENTS; i-- > 0;) {
            chunk[i].next_free = q->free_list;
            q->free_list = &chunk[i];
        }
    }
    SimEvent *ev = q->free_list;
    q->free_list = ev->next_free;
    return ev;
}

static inline void event_release(SimEvq *q, SimEvent *ev)
{
    ev->seq = 0;
    ev->next_free = q->free_list;
    q->free_list = ev;
}

/* ---- vectors ---------------------------------------------------------- */

static __attribute__((noinline)) void bucket_grow(Bucket *b)
{
    g_assert(b->cap < UINT32_MAX / 2);
    b->cap = b->cap ? b->cap * 2 : 4;
    b->v = g_renew(Entry, b->v, b->cap);
}

static inline void bucket_push(Bucket *b, Entry e)
{
    if (G_UNLIKELY(b->n == b->cap))
        bucket_grow(b);
    b->v[b->n++] = e;
}

static void top_push(SimEvq *q, Entry e)
{
    if (G_UNLIKELY(q->top_n == q->top_cap)) {
        q->top_cap = q->top_cap ? q->top_cap * 2 : 1024;
        q->top = g_renew(Entry, q->top, q->top_cap);
    }
    q->top[q->top_n++] = e;
    if (e.time < q->top_min)
        q->top_min = e.time;
    if (e.time > q->top_max)
        q->top_max = e.time;
}

static void rung_reserve(Rung *r, size_t nb)
{
    if (nb > r->bcap) {
        r->b = g_renew(Bucket, r->b, nb);
        memset(r->b + r->bcap, 0, (nb - r->bcap) * sizeof(Bucket));
        r->bcap = nb;
    }
}

static void bottom_reserve(SimEvq *q, size_t n)
{
    if (n > q->bot_cap) {
        q->bot_cap = MAX(n, q->bot_cap * 2);
        q->bot = g_renew(Entry, q->bot, q->bot_cap);
    }
}

/* ---- insert ----------------------------------------------------------- */

/* Sorted insert after the last entry with time <= e.time; moves whichever
 * side of the insertion point is shorter (popping leaves room before head,
 * and zero-delay events land right at head). */
static void bottom_insert(SimEvq *q, Entry e)
{
    size_t lo = q->head, hi = q->tail;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (q->bot[mid].time <= e.time)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (q->head > 0 && lo - q->head < q->tail - lo) {
        memmove(&q->bot[q->head - 1], &q->bot[q->head], (lo - q->head) * sizeof(Entry));
        q->head--;
        q->bot[lo - 1] = e;
        return;
    }
    bottom_reserve(q, q->tail + 1);
    memmove(&q->bot[lo + 1], &q->bot[lo], (q->tail - lo) * sizeof(Entry));
    q->bot[lo] = e;
    q->tail++;
}

static inline void insert(SimEvq *q, Entry e)
{
    SimTime t = e.time;
    if (t > q->top_after) {
        top_push(q, e);
        return;
    }
    /* Coarsest first: a rung takes t if t falls in one of its unconsumed
     * buckets; finer rungs nest inside the coarser rung's consumed part. */
    for (unsigned i = 0; i < q->nrungs; i++) {
        Rung *r = &q->rungs[i];
        if (t >= r->start) {
            size_t idx = (t - r->start) >> r->shift;
            if (idx >= r->cur) {
                bucket_push(&r->b[idx], e);
                return;
            }
        }
    }
    bottom_insert(q, e);
}

/* ---- refill ----------------------------------------------------------- */

static unsigned ceil_log2(size_t n)
{
    return n <= 1 ? 0 : 64 - (unsigned)__builtin_clzll((unsigned long long)(n - 1));
}

/* Rung 0 from top: about PER_BUCKET entries per bucket over [min, max]. */
static void build_from_top(SimEvq *q)
{
    Rung *r = &q->rungs[0];
    SimTime span = q->top_max - q->top_min;
    size_t limit = MAX(q->top_n / PER_BUCKET, (size_t)1);
    unsigned shift = 0;
    while ((span >> shift) >= limit)
        shift++;
    r->start = q->top_min;
    r->shift = shift;
    r->nb = (size_t)(span >> shift) + 1;
    r->cur = 0;
    rung_reserve(r, r->nb);
    for (size_t i = 0; i < q->top_n; i++) {
        Entry e = q->top[i];
        bucket_push(&r->b[(e.time - r->start) >> shift], e);
    }
    /* Last covered time, saturated: r->start + nb * 2^shift - 1. */
    SimTime last_start = r->start + ((SimTime)(r->nb - 1) << shift);
    SimTime width_m1 = ((SimTime)1 << shift) - 1;
    q->top_after = last_start > UINT64_MAX - width_m1 ? UINT64_MAX : last_start + width_m1;
    q->nrungs = 1;
    q->top_n = 0;
    q->top_min = UINT64_MAX;
    q->top_max = 0;
}

/* Splits bucket idx of the finest rung (already consumed) into a new rung. */
static void spawn_rung(SimEvq *q, Rung *parent, size_t idx)
{
    Bucket *src = &parent->b[idx];
    Rung *r = &q->rungs[q->nrungs++];
    unsigned k = ceil_log2(MAX(src->n / PER_BUCKET, (size_t)2));
    r->shift = parent->shift > k ? parent->shift - k : 0;
    r->nb = (size_t)1 << (parent->shift - r->shift);
    r->start = parent->start + ((SimTime)idx << parent->shift);
    r->cur = 0;
    rung_reserve(r, r->nb);
    for (uint32_t i = 0; i < src->n; i++) {
        Entry e = src->v[i];
        bucket_push(&r->b[(e.time - r->start) >> r->shift], e);
    }
    src->n = 0;
}

/* Moves a bucket into the (empty) bottom: stable insertion sort by time.
 * Buckets over SPLIT_THRESHOLD get here only at width 1, i.e. already
 * sorted, so the quadratic worst case is bounded by the threshold. */
static void bucket_to_bottom(SimEvq *q, Bucket *b)
{
    Entry *v = b->v;
    uint32_t n = b->n;
    bottom_reserve(q, n);
    Entry *out = q->bot;
    for (uint32_t i = 0; i < n; i++) {
        Entry e = v[i];
        __builtin_prefetch(e.ev, 1);
        uint32_t j = i;
        while (j > 0 && out[j - 1].time > e.time) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = e;
    }
    q->head = 0;
    q->tail = n;
    b->n = 0;
}

/* Makes bottom non-empty; false when the queue holds nothing at all. */
static __attribute__((noinline)) bool refill(SimEvq *q)
{
    while (q->head == q->tail) {
        if (q->nrungs == 0) {
            if (q->top_n == 0)
                return false;
            build_from_top(q);
            continue;
        }
        Rung *r = &q->rungs[q->nrungs - 1];
        while (r->cur < r->nb && r->b[r->cur].n == 0)
            r->cur++;
        if (r->cur == r->nb) {
            q->nrungs--;
            continue;
        }
        size_t idx = r->cur++;
        if (r->b[idx].n > SPLIT_THRESHOLD && r->shift > 0) {
            g_assert(q->nrungs < MAX_RUNGS);
            spawn_rung(q, r, idx);
        } else {
            bucket_to_bottom(q, &r->b[idx]);
        }
    }
    return true;
}

/* The earliest entry, live, or NULL; cancelled entries met on the way are
 * dropped and their records reclaimed. */
static inline Entry *front(SimEvq *q)
{
    for (;;) {
        if (G_UNLIKELY(q->head == q->tail) && !refill(q))
            return NULL;
        Entry *e = &q->bot[q->head];
        if (G_LIKELY(!e->ev->cancelled))
            return e;
        event_release(q, e->ev);
        q->head++;
    }
}

/* ---- public API ------------------------------------------------------- */

SimEvq *sim_evq_new(void)
{
    SimEvq *q = g_new0(SimEvq, 1);
    q->next_seq = 1;
    q->top_min = UINT64_MAX;
    q->chunks = g_ptr_array_new_with_free_func(g_aligned_free);
    return q;
}

void sim_evq_free(SimEvq *q)
{
    if (!q)
        return;
    /* Every record with a seq is pending (cancelled ones already ran their
     * hook), wherever its entry sits. */
    for (guint c = 0; c < q->chunks->len; c++) {
        SimEvent *chunk = g_ptr_array_index(q->chunks, c);
        for (size_t i = 0; i < CHUNK_EVENTS; i++) {
            SimEvent *ev = &chunk[i];
            if (ev->seq && !ev->cancelled && ev->destroy)
                ev->destroy(ev->ctx, ev->arg);
        }
    }
    for (unsigned i = 0; i < MAX_RUNGS; i++) {
        Rung *r = &q->rungs[i];
        for (size_t k = 0; k < r->bcap; k++)
            g_free(r->b[k].v);
        g_free(r->b);
    }
    g_free(q->bot);
    g_free(q->top);
    g_ptr_array_free(q->chunks, TRUE);
    g_free(q);
}

SimEventId sim_evq_push_full(SimEvq *q, SimTime t, SimEventFn fn, SimEventFn destroy, void *ctx,
                             void *arg)
{
    g_assert(fn != NULL);
    SimEvent *ev = event_alloc(q);
    uint64_t seq = q->next_seq++;
    ev->seq = seq;
    ev->fn = fn;
    ev->destroy = destroy;
    ev->ctx = ctx;
    ev->arg = arg;
    ev->cancelled = false;
    insert(q, (Entry){t, ev});
    q->live++;
    return (SimEventId){ev, seq};
}

SimEventId sim_evq_push(SimEvq *q, SimTime t, SimEventFn fn, void *ctx, void *arg)
{
    return sim_evq_push_full(q, t, fn, NULL, ctx, arg);
}

bool sim_evq_is_pending(const SimEvq *q, SimEventId id)
{
    (void)q;
    return id.ev && id.seq && id.ev->seq == id.seq && !id.ev->cancelled;
}

bool sim_evq_cancel(SimEvq *q, SimEventId id)
{
    if (!sim_evq_is_pending(q, id))
        return false;
    id.ev->cancelled = true;
    q->live--;
    if (id.ev->destroy)
        id.ev->destroy(id.ev->ctx, id.ev->arg);
    return true;
}

static inline void take(SimEvq *q, Entry *e, SimTime *t, SimEventFn *fn, void **ctx, void **arg)
{
    SimEvent *ev = e->ev;
    *t = e->time;
    *fn = ev->fn;
    *ctx = ev->ctx;
    *arg = ev->arg;
    q->head++;
    event_release(q, ev);
    q->live--;
}

bool sim_evq_pop(SimEvq *q, SimTime *t, SimEventFn *fn, void **ctx, void **arg)
{
    Entry *e = front(q);
    if (!e)
        return false;
    take(q, e, t, fn, ctx, arg);
    return true;
}

SimEvqPop sim_evq_pop_until(SimEvq *q, SimTime until, SimTime *t, SimEventFn *fn, void **ctx,
                            void **arg)
{
    Entry *e = front(q);
    if (!e)
        return SIM_EVQ_EMPTY;
    if (e->time > until) {
        *t = e->time;
        return SIM_EVQ_LATER;
    }
    take(q, e, t, fn, ctx, arg);
    return SIM_EVQ_POPPED;
}

bool sim_evq_peek_time(SimEvq *q, SimTime *t)
{
    Entry *e = front(q);
    if (!e)
        return false;
    *t = e->time;
    return true;
}

size_t sim_evq_size(const SimEvq *q)
{
    return q->live;
}
