/* evq.c - the event queue as a ladder queue; evq.h has the design choice
 * and the figures behind it, this comment the mechanics.
 *
 * An entry is 16 bytes, (time, record). Three tiers hold them:
 *   bottom  a sorted array [head, tail) of the nearest events, popped by
 *           bumping head. A push earlier than the finest rung's current
 *           bucket is a sorted insert here (binary search, then memmove of
 *           the shorter side: pops leave room before head, so zero-delay
 *           events cost no move). Grown to BOTTOM_MAX by such inserts, it is
 *           re-bucketed into a new finest rung.
 *   rungs   rung 0 covers [start, top_after] in 2^shift-wide buckets (a
 *           shift, not a division, per push). When bottom is empty the
 *           finest rung's next non-empty bucket moves into it, sorted; a
 *           bucket over SPLIT_THRESHOLD (unless all its times are equal)
 *           is instead spread over a new finer rung covering exactly that
 *           bucket. Buckets are unsorted chains of pooled blocks, so steady
 *           state allocates nothing.
 *   top     an unsorted vector of everything after top_after; when bottom
 *           and rungs run dry it becomes the new rung 0, sized from its
 *           count and [min, max].
 * A push goes to the coarsest rung whose unconsumed buckets contain its
 * time (finer rungs nest inside coarser rungs' consumed buckets), else to
 * top or bottom. Each event is thus appended about two or three times and
 * sorted once within a small bucket: O(1) amortised, independent of the
 * time distribution as far as the split and re-bucket rules can adapt.
 * Records are prefetched a fixed distance ahead of use, both the free ones
 * pushes will take and the ones behind bottom's front; prefetching is worth
 * 2x at 100k-1M pending, where the record is otherwise a certain miss.
 *
 * Ties: buckets are sorted by time only; the run of equal times at
 * bottom's front is put in key order when it reaches the front (order_run),
 * and `ordered` marks how far that holds. An insert into bottom searches by
 * (time, key), reading keys only on equal times, and keeps `ordered` true.
 * So the pop order is (time, key) and never depends on push order. Push
 * order still helps speed: one handler's pushes carry rising keys
 * (world.h), and redistributions copy front to back, so a flood's run
 * usually arrives in key order and one pass confirms it.
 *
 * Range: bucket indices come from offsets (t - start) >> shift and the
 * ladder's end (top_after) is saturated, so times up to UINT64_MAX work; the
 * insert test compares bucket indices, never an end that could overflow.
 * Times earlier than the last pop are fine too (they land in bottom).
 */
#include "sim/core/evq.h"

#include <stdlib.h>
#include <string.h>

/* Records come in chunks that double from CHUNK_MIN_EVENTS to
 * CHUNK_MAX_EVENTS (4 KB to 256 KB): a run with a few pending events, such
 * as a TCP transfer (tens), keeps one small chunk instead of a zeroed
 * 256 KB block (0.26 MB of its 6.4 MB peak RSS: docs/performance.md),
 * while a large run still refills every 4096 records. */
#define CHUNK_MIN_EVENTS 64
#define CHUNK_MAX_EVENTS 4096
/* Tuning (hold model, see evq.h): rung 0 gets about PER_BUCKET entries per
 * bucket, a split rung CHILD_PER_BUCKET. Few wide buckets beat many narrow
 * ones at 100k-1M pending because every bucket touched is a cache miss
 * (8 or 4 per split bucket: -5% and -35% at 100k); at 1k pending the choice
 * moves the rate by under 10%. Switching to 1 per bucket below 16k pending
 * gained 6% at 1k but lost 4-7% at 2k-10k: tuning to one benchmark point,
 * not kept. */
#define PER_BUCKET 32
#define CHILD_PER_BUCKET 16
/* A bucket with more entries than this is split into a finer rung rather
 * than sorted into bottom (unless all its times are equal: then a finer
 * rung cannot separate them, and the sort goes by key alone). */
#define SPLIT_THRESHOLD 64
/* A bottom grown to this size by inserts is turned into a rung of its own. */
#define BOTTOM_MAX 64
/* A split lowers the shift by at least 2 (it is over 4 * CHILD_PER_BUCKET
 * entries), so splits alone nest at most 32 deep, and with monotone times
 * bottom conversions shrink the range too: the cap is not reached in
 * practice. Past it, buckets are merge-sorted into bottom instead of split:
 * slower, never wrong. */
#define MAX_RUNGS 48
/* Bucket storage: blocks of this many entries (plus a link: 256 bytes). */
#define BLOCK_ENTRIES 15
#define CHUNK_BLOCKS 256
/* Pops prefetch the record of the entry this many places behind the front
 * (and a bucket moved to bottom prefetches its first this many): enough to
 * cover a miss at a handler's pace, few enough to stay in the fill buffers.
 * Prefetching a whole bucket at once, as before, issued up to 10,000
 * prefetches for a flood's equal-time bucket; most were dropped or evicted
 * before use. */
#define POP_AHEAD 16
/* Up to this many entries, insertion sort; above, merge sort. */
#define INSERTION_MAX 32

struct _SimEvent {
    uint64_t seq; /* of the pending push; 0 while free */
    SimEventFn fn;
    SimEventFn destroy; /* may be NULL */
    void *ctx;
    void *arg;
    uint64_t key; /* orders equal times */
    uint32_t tag; /* returned by the pop, opaque here */
    bool cancelled;
} __attribute__((aligned(64))); /* one cache line: a pop misses at most once */

typedef struct {
    SimTime time;
    SimEvent *ev;
} Entry;

/* (time, key) order. The key is read from the record only on a tie, which
 * is rare except in floods, whose records pops read next anyway. */
static inline bool before(Entry a, Entry b)
{
    if (G_LIKELY(a.time != b.time))
        return a.time < b.time;
    return a.ev->key < b.ev->key;
}

/* Buckets are chains of blocks from one pool rather than vectors of their
 * own: as now sweeps through rung 0, every bucket in turn holds the dense
 * front, so per-bucket vectors would each keep that peak capacity, about
 * ln(pending) times the whole queue (measured: 28x, 450 MB at 1M pending).
 * Blocks return to the pool when a bucket is emptied, so memory follows the
 * pending count and steady state still allocates nothing. */
typedef struct _Block Block;
struct _Block {
    Block *next;
    Entry e[BLOCK_ENTRIES];
} __attribute__((aligned(64)));

typedef struct {
    Block *head, *tail;
    uint32_t n;    /* entries */
    uint32_t fill; /* entries in tail; BLOCK_ENTRIES when there is none */
} Bucket;

typedef struct {
    Bucket *b; /* nb in use, bcap allocated */
    size_t nb, bcap;
    size_t cur; /* buckets before cur are consumed */
    SimTime start;
    unsigned shift;
} Rung;

struct _SimEvq {
    /* Hot on every push and pop. */
    Entry *bot; /* sorted by time; live part is [head, tail) */
    size_t head, tail;
    size_t ordered;    /* [head, ordered) is in (time, key) order, ending a run */
    SimTime top_after; /* top holds exactly the entries with time > top_after */
    unsigned nrungs;
    SimEvent **free_recs; /* stack of free records; capacity = all records */
    size_t free_n;
    uint64_t next_seq;
    size_t live;
    Rung rungs[MAX_RUNGS]; /* rungs[0] coarsest; each next one is finer */
    Entry *top;            /* unsorted, push order */
    size_t top_n, top_cap;
    SimTime top_min, top_max;
    size_t bot_cap;
    Block *free_blocks;
    GPtrArray *block_chunks; /* owns the Block chunks (g_aligned_free) */
    Entry *scratch;          /* merge sort buffer */
    size_t scratch_cap;
    GPtrArray *chunks; /* owns the SimEvent chunks (g_aligned_free) */
    size_t n_recs;     /* records in all chunks */
};

/* ---- records ---------------------------------------------------------- */

/* Free records are a stack of pointers, not a list threaded through the
 * records: popping a threaded list reads the record just taken to find the
 * next one, a chain of dependent cache misses whenever one event schedules
 * thousands (a flood to 10,000 ports: 40% of the run was that one load).
 * With the addresses in an array, the record PREFETCH_AHEAD pushes from now
 * is fetched while this one is filled in, so the misses overlap. LIFO keeps
 * the record a pop just released, still in cache, for the next push. */
#define PREFETCH_AHEAD 8

static size_t chunk_events(guint c)
{
    return c < 32 ? MIN((size_t)CHUNK_MIN_EVENTS << c, CHUNK_MAX_EVENTS) : CHUNK_MAX_EVENTS;
}

static __attribute__((noinline)) void records_refill(SimEvq *q)
{
    size_t n = chunk_events(q->chunks->len);
    SimEvent *chunk = g_aligned_alloc0(n, sizeof(SimEvent), 64);
    g_ptr_array_add(q->chunks, chunk);
    q->n_recs += n;
    /* The stack can then hold every record there is: release never grows. */
    q->free_recs = g_renew(SimEvent *, q->free_recs, q->n_recs);
    for (size_t i = n; i-- > 0;)
        q->free_recs[q->free_n++] = &chunk[i];
}

static inline SimEvent *event_alloc(SimEvq *q)
{
    if (G_UNLIKELY(q->free_n == 0))
        records_refill(q);
    SimEvent *ev = q->free_recs[--q->free_n];
    if (G_LIKELY(q->free_n >= PREFETCH_AHEAD))
        __builtin_prefetch(q->free_recs[q->free_n - PREFETCH_AHEAD], 1);
    return ev;
}

static inline void event_release(SimEvq *q, SimEvent *ev)
{
    ev->seq = 0;
    q->free_recs[q->free_n++] = ev;
}

/* ---- vectors ---------------------------------------------------------- */

static __attribute__((noinline)) void blocks_refill(SimEvq *q)
{
    Block *chunk = g_aligned_alloc(CHUNK_BLOCKS, sizeof(Block), 64);
    g_ptr_array_add(q->block_chunks, chunk);
    for (size_t i = CHUNK_BLOCKS; i-- > 0;) {
        chunk[i].next = q->free_blocks;
        q->free_blocks = &chunk[i];
    }
}

static inline void bucket_push(SimEvq *q, Bucket *b, Entry e)
{
    if (G_UNLIKELY(b->fill == BLOCK_ENTRIES)) {
        if (!q->free_blocks)
            blocks_refill(q);
        Block *bl = q->free_blocks;
        q->free_blocks = bl->next;
        bl->next = NULL;
        if (b->tail)
            b->tail->next = bl;
        else
            b->head = bl;
        b->tail = bl;
        b->fill = 0;
    }
    b->tail->e[b->fill++] = e;
    b->n++;
}

/* Returns an emptied bucket's blocks to the pool. */
static void bucket_release(SimEvq *q, Bucket *b)
{
    b->tail->next = q->free_blocks;
    q->free_blocks = b->head;
    b->head = b->tail = NULL;
    b->n = 0;
    b->fill = BLOCK_ENTRIES;
}

/* Copies a bucket's entries, in order, to out[0..n) and empties it. */
static void bucket_drain(SimEvq *q, Bucket *b, Entry *out)
{
    for (Block *bl = b->head; bl; bl = bl->next) {
        uint32_t k = bl == b->tail ? b->fill : BLOCK_ENTRIES;
        memcpy(out, bl->e, k * sizeof(Entry));
        out += k;
    }
    bucket_release(q, b);
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
        for (size_t i = r->bcap; i < nb; i++)
            r->b[i] = (Bucket){NULL, NULL, 0, BLOCK_ENTRIES};
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

static void scratch_reserve(SimEvq *q, size_t n)
{
    if (q->scratch_cap < n) {
        g_free(q->scratch);
        q->scratch_cap = MAX(n, 2 * q->scratch_cap);
        q->scratch = g_new(Entry, q->scratch_cap);
    }
}

/* ---- insert ----------------------------------------------------------- */

static void bottom_to_rung(SimEvq *q);

/* Sorted insert after the last entry with time <= e.time; moves whichever
 * side of the insertion point is shorter (popping leaves room before head,
 * and zero-delay events land right at head). */
static void bottom_insert(SimEvq *q, Entry e)
{
    size_t lo = q->head, hi = q->tail;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (!before(e, q->bot[mid]))
            lo = mid + 1;
        else
            hi = mid;
    }
    /* Does e join the key-ordered front [head, ordered)? Inside it, or
     * at its end with the time of its last run (the search put it after
     * every smaller key there). */
    bool joins =
        lo < q->ordered || (lo == q->ordered && lo > q->head && q->bot[lo - 1].time == e.time);
    if (q->head > 0 && lo - q->head < q->tail - lo) {
        memmove(&q->bot[q->head - 1], &q->bot[q->head], (lo - q->head) * sizeof(Entry));
        q->head--;
        q->bot[lo - 1] = e;
        if (!joins && q->ordered > 0) /* the ordered front moved down with [head, lo) */
            q->ordered--;
        return;
    }
    if (q->head > 0 && q->tail == q->bot_cap && q->head >= q->tail - q->head) {
        /* Full, and at least half of it is popped slots before head: slide
         * the live part down instead of growing. Without this a bottom that
         * never empties (a few near events under one far timer keep the
         * rungs wide) grew 16 bytes per event processed: 784 MB after 50 M
         * events with 10 pending (issue #12). Moving n entries frees at
         * least n slots, so the cost stays O(1) amortised per insert. */
        size_t n = q->tail - q->head;
        memmove(q->bot, &q->bot[q->head], n * sizeof(Entry));
        lo -= q->head;
        q->ordered = q->ordered > q->head ? q->ordered - q->head : 0;
        q->head = 0;
        q->tail = n;
    }
    bottom_reserve(q, q->tail + 1);
    memmove(&q->bot[lo + 1], &q->bot[lo], (q->tail - lo) * sizeof(Entry));
    q->bot[lo] = e;
    q->tail++;
    if (joins)
        q->ordered++;
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
                bucket_push(q, &r->b[idx], e);
                return;
            }
        }
    }
    /* A bottom this large means the rungs are too coarse for where events
     * now fall (say a few far timers set the widths, then traffic starts):
     * re-bucket it rather than pay a long memmove per insert. */
    if (G_UNLIKELY(q->tail - q->head >= BOTTOM_MAX) && q->nrungs < MAX_RUNGS &&
        q->bot[q->head].time != q->bot[q->tail - 1].time) {
        bottom_to_rung(q);
        Rung *r = &q->rungs[q->nrungs - 1]; /* covers [start, old bottom end] */
        if (t >= r->start) {
            bucket_push(q, &r->b[(t - r->start) >> r->shift], e);
            return;
        }
    }
    bottom_insert(q, e);
}

/* ---- refill ----------------------------------------------------------- */

static unsigned ceil_log2(size_t n)
{
    return n <= 1 ? 0 : 64 - (unsigned)__builtin_clzll((unsigned long long)(n - 1));
}

/* The smallest bucket width 2^shift that puts span into at most limit
 * buckets; past 2^63 that is two buckets whatever the limit. */
static unsigned shift_for(SimTime span, size_t limit)
{
    unsigned shift = 0;
    while (shift < 63 && (span >> shift) >= limit)
        shift++;
    return shift;
}

/* Rung 0 from top: about PER_BUCKET entries per bucket over [min, max]. */
static void build_from_top(SimEvq *q)
{
    Rung *r = &q->rungs[0];
    SimTime span = q->top_max - q->top_min;
    size_t limit = MAX(q->top_n / PER_BUCKET, (size_t)1);
    unsigned shift = shift_for(span, limit);
    r->start = q->top_min;
    r->shift = shift;
    r->nb = (size_t)(span >> shift) + 1;
    r->cur = 0;
    rung_reserve(r, r->nb);
    for (size_t i = 0; i < q->top_n; i++) {
        Entry e = q->top[i];
        bucket_push(q, &r->b[(e.time - r->start) >> shift], e);
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

/* Splits bucket idx of the finest rung (already consumed) into a new rung,
 * front to back. */
static void spawn_rung(SimEvq *q, Rung *parent, size_t idx)
{
    Bucket *src = &parent->b[idx];
    Rung *r = &q->rungs[q->nrungs++];
    unsigned k = ceil_log2(MAX(src->n / CHILD_PER_BUCKET, (size_t)2));
    r->shift = parent->shift > k ? parent->shift - k : 0;
    r->nb = (size_t)1 << (parent->shift - r->shift);
    r->start = parent->start + ((SimTime)idx << parent->shift);
    r->cur = 0;
    rung_reserve(r, r->nb);
    for (Block *bl = src->head; bl; bl = bl->next) {
        uint32_t n = bl == src->tail ? src->fill : BLOCK_ENTRIES;
        for (uint32_t i = 0; i < n; i++) {
            Entry e = bl->e[i];
            bucket_push(q, &r->b[(e.time - r->start) >> r->shift], e);
        }
    }
    bucket_release(q, src);
}

static void insertion_sort(Entry *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        Entry e = v[i];
        size_t j = i;
        while (j > 0 && v[j - 1].time > e.time) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = e;
    }
}

/* Stable bottom-up merge sort by time; runs already in order are not
 * merged, so an all-equal bucket costs O(n). */
static void merge_sort(SimEvq *q, Entry *v, size_t n)
{
    for (size_t i = 0; i < n; i += INSERTION_MAX)
        insertion_sort(v + i, MIN(INSERTION_MAX, n - i));
    scratch_reserve(q, n);
    for (size_t w = INSERTION_MAX; w < n; w *= 2) {
        for (size_t lo = 0; lo + w < n; lo += 2 * w) {
            size_t mid = lo + w, hi = MIN(lo + 2 * w, n);
            if (v[mid - 1].time <= v[mid].time)
                continue;
            memcpy(q->scratch, v + lo, w * sizeof(Entry));
            size_t a = 0, b = mid, o = lo;
            while (a < w && b < hi)
                v[o++] = v[b].time < q->scratch[a].time ? v[b++] : q->scratch[a++];
            memcpy(v + o, q->scratch + a, (w - a) * sizeof(Entry));
        }
    }
}

static int key_cmp(const void *a, const void *b)
{
    uint64_t ka = ((const Entry *)a)->ev->key, kb = ((const Entry *)b)->ev->key;
    return ka < kb ? -1 : ka > kb;
}

/* Orders the run of entries at bottom's front whose time is the front's by
 * key, and marks it ordered. Ties are settled here, at the front, rather
 * than while a bucket is sorted: the sort compares times only, and reading
 * keys in it stalled on two cold records per tie (the hold model at 1M
 * pending, where 7% of neighbours tie at 1 ns, lost a third of its rate),
 * while at the front the records have been prefetched for the pops. A
 * run's records are read POP_AHEAD ahead; a flood's run is usually in key
 * order already (one handler's rising keys), which one pass confirms, else
 * it is sorted (keys are unique, so any sort will do). Costs one compare
 * per pop when no time ties. */
static __attribute__((noinline)) void order_run(SimEvq *q)
{
    Entry *v = &q->bot[q->head];
    size_t n = 1, avail = q->tail - q->head;
    while (n < avail && v[n].time == v[0].time)
        n++;
    q->ordered = q->head + n;
    for (size_t i = 1; i < n; i++) {
        if (i + POP_AHEAD < n)
            __builtin_prefetch(v[i + POP_AHEAD].ev);
        if (v[i].ev->key < v[i - 1].ev->key) {
            qsort(v, n, sizeof(Entry), key_cmp);
            return;
        }
    }
}

/* True when every entry of the bucket has the same time. A flood makes such
 * buckets: one frame sent out of N ports ends its serialization, and then
 * arrives, at N equal times. Splitting one would copy it into a finer rung
 * again and again, every entry landing in the same child bucket, until the
 * width reached 1 ns. Unequal buckets usually differ within a few entries,
 * so the check costs little when it fails. */
static bool bucket_all_equal(const Bucket *b)
{
    SimTime t0 = b->head->e[0].time;
    for (const Block *bl = b->head; bl; bl = bl->next) {
        uint32_t k = bl == b->tail ? b->fill : BLOCK_ENTRIES;
        for (uint32_t i = 0; i < k; i++)
            if (bl->e[i].time != t0)
                return false;
    }
    return true;
}

/* Moves a bucket into the (empty) bottom, sorted by (time, key). Buckets
 * over SPLIT_THRESHOLD get here only with all times equal (usually already
 * in order: the sort is one pass), or with the rungs at their cap. */
static void bucket_to_bottom(SimEvq *q, Bucket *b)
{
    uint32_t n = b->n;
    bottom_reserve(q, n);
    Entry *v = q->bot;
    bucket_drain(q, b, v);
    if (n <= INSERTION_MAX)
        insertion_sort(v, n);
    else
        merge_sort(q, v, n);
    q->head = 0;
    q->tail = n;
    q->ordered = 0;
    for (uint32_t i = 0; i < MIN(n, (uint32_t)POP_AHEAD); i++)
        __builtin_prefetch(v[i].ev, 1);
}

/* The last time bottom accepts: just before the finest unexhausted rung's
 * current bucket, or top_after with no such rung. */
static SimTime bottom_last(const SimEvq *q)
{
    for (unsigned i = q->nrungs; i-- > 0;) {
        const Rung *r = &q->rungs[i];
        if (r->cur < r->nb)
            return r->start + ((SimTime)r->cur << r->shift) - 1;
    }
    return q->top_after;
}

/* Turns the bottom into a new finest rung over [its first time,
 * bottom_last], about CHILD_PER_BUCKET entries per bucket. Front to back,
 * so a run of rising keys stays one in each bucket. */
static void bottom_to_rung(SimEvq *q)
{
    SimTime start = q->bot[q->head].time, last = bottom_last(q);
    size_t n = q->tail - q->head;
    size_t limit = MAX(n / CHILD_PER_BUCKET, (size_t)1);
    unsigned shift = shift_for(last - start, limit);
    Rung *r = &q->rungs[q->nrungs++];
    r->start = start;
    r->shift = shift;
    r->nb = (size_t)((last - start) >> shift) + 1;
    r->cur = 0;
    rung_reserve(r, r->nb);
    for (size_t i = q->head; i < q->tail; i++) {
        Entry e = q->bot[i];
        bucket_push(q, &r->b[(e.time - start) >> shift], e);
    }
    q->head = q->tail = 0;
    q->ordered = 0;
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
        if (r->b[idx].n > SPLIT_THRESHOLD && r->shift > 0 && q->nrungs < MAX_RUNGS &&
            !bucket_all_equal(&r->b[idx])) {
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
        if (q->head >= q->ordered) { /* a run of one needs no order: inline */
            if (G_LIKELY(q->head + 1 == q->tail ||
                         q->bot[q->head + 1].time != q->bot[q->head].time))
                q->ordered = q->head + 1;
            else
                order_run(q);
        }
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
    q->block_chunks = g_ptr_array_new_with_free_func(g_aligned_free);
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
        for (size_t i = 0; i < chunk_events(c); i++) {
            SimEvent *ev = &chunk[i];
            if (ev->seq && !ev->cancelled && ev->destroy)
                ev->destroy(ev->ctx, ev->arg);
        }
    }
    for (unsigned i = 0; i < MAX_RUNGS; i++)
        g_free(q->rungs[i].b);
    g_free(q->free_recs);
    g_free(q->bot);
    g_free(q->top);
    g_free(q->scratch);
    g_ptr_array_free(q->block_chunks, TRUE);
    g_ptr_array_free(q->chunks, TRUE);
    g_free(q);
}

static inline SimEventId push(SimEvq *q, SimTime t, uint64_t key, uint32_t tag, SimEventFn fn,
                              SimEventFn destroy, void *ctx, void *arg)
{
    g_assert(fn != NULL);
    SimEvent *ev = event_alloc(q);
    uint64_t seq = q->next_seq++;
    ev->seq = seq;
    ev->fn = fn;
    ev->destroy = destroy;
    ev->ctx = ctx;
    ev->arg = arg;
    ev->key = key;
    ev->tag = tag;
    ev->cancelled = false;
    insert(q, (Entry){t, ev});
    q->live++;
    return (SimEventId){ev, seq};
}

SimEventId sim_evq_push_keyed(SimEvq *q, SimTime t, uint64_t key, uint32_t tag, SimEventFn fn,
                              SimEventFn destroy, void *ctx, void *arg)
{
    return push(q, t, key, tag, fn, destroy, ctx, arg);
}

SimEventId sim_evq_push_full(SimEvq *q, SimTime t, SimEventFn fn, SimEventFn destroy, void *ctx,
                             void *arg)
{
    return push(q, t, q->next_seq, 0, fn, destroy, ctx, arg);
}

SimEventId sim_evq_push(SimEvq *q, SimTime t, SimEventFn fn, void *ctx, void *arg)
{
    return push(q, t, q->next_seq, 0, fn, NULL, ctx, arg);
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

static inline void take(SimEvq *q, Entry *e, SimEvqItem *out)
{
    SimEvent *ev = e->ev;
    out->t = e->time;
    out->key = ev->key;
    out->tag = ev->tag;
    out->fn = ev->fn;
    out->ctx = ev->ctx;
    out->arg = ev->arg;
    q->head++;
    if (q->head + POP_AHEAD - 1 < q->tail)
        __builtin_prefetch(q->bot[q->head + POP_AHEAD - 1].ev, 1);
    event_release(q, ev);
    q->live--;
}

SimEvqPop sim_evq_pop_item(SimEvq *q, SimTime until, SimEvqItem *out)
{
    Entry *e = front(q);
    if (!e)
        return SIM_EVQ_EMPTY;
    if (e->time > until) {
        out->t = e->time;
        return SIM_EVQ_LATER;
    }
    take(q, e, out);
    return SIM_EVQ_POPPED;
}

bool sim_evq_pop(SimEvq *q, SimTime *t, SimEventFn *fn, void **ctx, void **arg)
{
    SimEvqItem it;
    if (sim_evq_pop_item(q, SIM_TIME_MAX, &it) != SIM_EVQ_POPPED)
        return false;
    *t = it.t;
    *fn = it.fn;
    *ctx = it.ctx;
    *arg = it.arg;
    return true;
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

size_t sim_evq_bytes(const SimEvq *q)
{
    size_t n = sizeof *q;
    n += q->n_recs * (sizeof(SimEvent) + sizeof(SimEvent *));
    n += (size_t)q->block_chunks->len * CHUNK_BLOCKS * sizeof(Block);
    for (unsigned i = 0; i < MAX_RUNGS; i++)
        n += q->rungs[i].bcap * sizeof(Bucket);
    n += (q->bot_cap + q->top_cap + q->scratch_cap) * sizeof(Entry);
    return n;
}
