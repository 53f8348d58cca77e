/* Event queue: ordering against a sort, lazy cancellation, destroy hooks. */
#include "sim/core/evq.h"
#include "sim/core/rng.h"

#include <criterion/criterion.h>
#include <stdlib.h>

typedef struct {
    SimTime t;
    uint64_t order; /* push order: the tie-break the queue must honour */
    bool cancelled;
    SimEventId id;
} Item;

static int cmp_item(const void *a, const void *b)
{
    const Item *x = *(Item *const *)a, *y = *(Item *const *)b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->order < y->order ? -1 : (x->order > y->order);
}

static void noop(void *ctx, void *arg)
{
}

Test(evq, random_schedule_with_cancels_pops_in_sorted_order)
{
    const size_t n = 100000;
    g_autoptr(SimEvq) q = sim_evq_new();
    g_autoptr(SimRng) rng = sim_rng_new(42);
    Item *items = g_new0(Item, n);
    for (size_t i = 0; i < n; i++) {
        /* Few distinct times so that ties are common. */
        items[i].t = sim_rng_below(rng, 5000);
        items[i].order = i;
        items[i].id = sim_evq_push(q, items[i].t, noop, &items[i], NULL);
    }
    size_t cancelled = 0;
    for (size_t i = 0; i < n; i++) {
        if (sim_rng_below(rng, 4) == 0) {
            cr_assert(sim_evq_cancel(q, items[i].id));
            cr_assert_not(sim_evq_cancel(q, items[i].id), "double cancel must fail");
            items[i].cancelled = true;
            cancelled++;
        }
    }
    cr_assert_eq(sim_evq_size(q), n - cancelled);
    Item **expect = g_new(Item *, n);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!items[i].cancelled)
            expect[m++] = &items[i];
    qsort(expect, m, sizeof *expect, cmp_item);
    for (size_t k = 0; k < m; k++) {
        SimTime t;
        SimEventFn fn;
        void *ctx, *arg;
        cr_assert(sim_evq_pop(q, &t, &fn, &ctx, &arg), "queue ran dry at %zu", k);
        cr_assert_eq(ctx, expect[k], "pop %zu out of order", k);
        cr_assert_eq(t, expect[k]->t);
    }
    SimTime t;
    SimEventFn fn;
    void *ctx, *arg;
    cr_assert_not(sim_evq_pop(q, &t, &fn, &ctx, &arg));
    g_free(expect);
    g_free(items);
}

Test(evq, interleaved_push_pop_matches_sort)
{
    /* The hold model: pop one, push one later; order must stay sorted. */
    g_autoptr(SimEvq) q = sim_evq_new();
    g_autoptr(SimRng) rng = sim_rng_new(7);
    for (int i = 0; i < 1000; i++)
        sim_evq_push(q, sim_rng_below(rng, 1000000), noop, NULL, NULL);
    SimTime last = 0;
    for (int i = 0; i < 200000; i++) {
        SimTime t;
        SimEventFn fn;
        void *ctx, *arg;
        cr_assert(sim_evq_pop(q, &t, &fn, &ctx, &arg));
        cr_assert_geq(t, last);
        last = t;
        sim_evq_push(q, t + (SimTime)sim_rng_exp(rng, 1e6), noop, NULL, NULL);
    }
    cr_assert_eq(sim_evq_size(q), 1000);
}

Test(evq, stale_id_cancels_nothing)
{
    g_autoptr(SimEvq) q = sim_evq_new();
    SimEventId a = sim_evq_push(q, 10, noop, NULL, NULL);
    SimTime t;
    SimEventFn fn;
    void *ctx, *arg;
    cr_assert(sim_evq_pop(q, &t, &fn, &ctx, &arg));
    /* The record is reused by the next push; the old id must not hit it. */
    SimEventId b = sim_evq_push(q, 20, noop, NULL, NULL);
    cr_assert_eq(a.ev, b.ev, "free list should reuse the record");
    cr_assert_not(sim_evq_cancel(q, a));
    cr_assert(sim_evq_is_pending(q, b));
    cr_assert_not(sim_evq_cancel(q, SIM_EVENT_ID_NONE));
}

static int destroyed;
static void count_destroy(void *ctx, void *arg)
{
    destroyed += GPOINTER_TO_INT(arg);
}

Test(evq, destroy_hook_runs_for_cancelled_and_discarded_events)
{
    destroyed = 0;
    SimEvq *q = sim_evq_new();
    SimEventId a = sim_evq_push_full(q, 1, noop, count_destroy, NULL, GINT_TO_POINTER(1));
    sim_evq_push_full(q, 2, noop, count_destroy, NULL, GINT_TO_POINTER(10));
    sim_evq_push_full(q, 3, noop, count_destroy, NULL, GINT_TO_POINTER(100));
    cr_assert(sim_evq_cancel(q, a));
    cr_assert_eq(destroyed, 1);
    SimTime t;
    SimEventFn fn;
    void *ctx, *arg;
    cr_assert(sim_evq_pop(q, &t, &fn, &ctx, &arg)); /* fires: no destroy */
    cr_assert_eq(t, 2);
    sim_evq_free(q); /* the t=3 event is discarded */
    cr_assert_eq(destroyed, 101);
}

Test(evq, peek_skips_cancelled)
{
    g_autoptr(SimEvq) q = sim_evq_new();
    SimEventId a = sim_evq_push(q, 5, noop, NULL, NULL);
    sim_evq_push(q, 9, noop, NULL, NULL);
    sim_evq_cancel(q, a);
    SimTime t;
    cr_assert(sim_evq_peek_time(q, &t));
    cr_assert_eq(t, 9);
    cr_assert_eq(sim_evq_size(q), 1);
}
