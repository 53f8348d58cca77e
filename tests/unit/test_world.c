/* World run loop, RNG determinism and the trace bus mask. */
#include "sim/core/rng.h"
#include "sim/core/world.h"

#include <criterion/criterion.h>

typedef struct {
    SimWorld *w;
    GArray *log; /* SimTime of each firing */
    int reschedule;
} Ctx;

static void fire(void *ctx, void *arg)
{
    Ctx *c = ctx;
    SimTime now = sim_world_now(c->w);
    g_array_append_val(c->log, now);
    if (c->reschedule-- > 0)
        sim_world_schedule(c->w, 10, fire, c, NULL);
}

Test(world, run_until_and_max_events)
{
    g_autoptr(SimWorld) w = sim_world_new(1);
    Ctx c = {w, g_array_new(FALSE, FALSE, sizeof(SimTime)), 100};
    sim_world_schedule(w, 5, fire, &c, NULL);
    cr_assert_eq(sim_world_run(w, 50, 0), SIM_RUN_UNTIL);
    cr_assert_eq(sim_world_now(w), 50);
    cr_assert_eq(c.log->len, 5); /* 5, 15, 25, 35, 45 */
    cr_assert_eq(g_array_index(c.log, SimTime, 4), 45);
    cr_assert_eq(sim_world_run(w, SIM_TIME_MAX, 3), SIM_RUN_MAX_EVENTS);
    cr_assert_eq(c.log->len, 8);
    cr_assert_eq(sim_world_run(w, SIM_TIME_MAX, 0), SIM_RUN_IDLE);
    cr_assert_eq(c.log->len, 101);
    SimTime last = sim_world_now(w);
    /* Idle with a finite limit: time still passes to the limit. */
    cr_assert_eq(sim_world_run(w, last + 1000, 0), SIM_RUN_IDLE);
    cr_assert_eq(sim_world_now(w), last + 1000);
    cr_assert_eq(sim_world_events(w), 101);
    g_array_free(c.log, TRUE);
}

Test(rng, same_seed_same_stream_and_uniformity)
{
    g_autoptr(SimRng) a = sim_rng_new(123);
    g_autoptr(SimRng) b = sim_rng_new(123);
    g_autoptr(SimRng) c = sim_rng_new(124);
    int differ = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t x = sim_rng_u64(a);
        cr_assert_eq(x, sim_rng_u64(b));
        differ += x != sim_rng_u64(c);
    }
    cr_assert_gt(differ, 990);
    /* below(10): each bucket near 10% of 100k draws (within 5 sigma). */
    int buckets[10] = {0};
    for (int i = 0; i < 100000; i++)
        buckets[sim_rng_below(a, 10)]++;
    for (int k = 0; k < 10; k++)
        cr_assert(buckets[k] > 10000 - 500 && buckets[k] < 10000 + 500, "bucket %d: %d", k,
                  buckets[k]);
    double sum = 0;
    for (int i = 0; i < 100000; i++)
        sum += sim_rng_exp(a, 2.0);
    cr_assert(sum / 100000 > 1.95 && sum / 100000 < 2.05, "exp mean %f", sum / 100000);
}

typedef struct {
    int seen;
    SimTraceKind last;
} Sink;

static void sink_fn(const SimTraceRecord *rec, void *user)
{
    Sink *s = user;
    s->seen++;
    s->last = rec->kind;
}

static int evaluated;
static const char *side_effect(void)
{
    evaluated++;
    return "x";
}

Test(trace, mask_gates_formatting_and_delivery)
{
    g_autoptr(SimWorld) w = sim_world_new(1);
    Sink s = {0};
    evaluated = 0;
    SIM_TRACE(w, SIM_TR_DROP, SIM_DROP_LOSS, "n", "i", NULL, "%s", side_effect());
    cr_assert_eq(evaluated, 0, "arguments must not be evaluated with no sink");
    guint id = sim_trace_subscribe(sim_world_trace(w), SIM_TRACE_BIT(SIM_TR_DROP), sink_fn, &s);
    SIM_TRACE(w, SIM_TR_TX, SIM_DROP_NONE, "n", "i", NULL, "%s", side_effect());
    cr_assert_eq(evaluated, 0);
    SIM_TRACE(w, SIM_TR_DROP, SIM_DROP_LOSS, "n", "i", NULL, "%s", side_effect());
    cr_assert_eq(evaluated, 1);
    cr_assert_eq(s.seen, 1);
    cr_assert_eq(s.last, SIM_TR_DROP);
    sim_trace_unsubscribe(sim_world_trace(w), id);
    SIM_TRACE(w, SIM_TR_DROP, SIM_DROP_LOSS, "n", "i", NULL, "%s", side_effect());
    cr_assert_eq(s.seen, 1);
    cr_assert_str_eq(sim_trace_kind_name(SIM_TR_ARP_REQUEST), "arp-request");
    SimTraceKind k;
    cr_assert(sim_trace_kind_parse("ttl-exceeded", &k));
    cr_assert_eq(k, SIM_TR_TTL_EXCEEDED);
    cr_assert_not(sim_trace_kind_parse("nope", &k));
}

/* ---- entities (issue #20) ------------------------------------------------ */

typedef struct {
    SimWorld *w;
    GString *log;
} Order;

static void note(void *ctx, void *arg)
{
    Order *o = ctx;
    g_string_append_printf(o->log, "%s@%u ", (const char *)arg, sim_world_entity(o->w));
}

/* Entity e schedules two events, one for itself and one for entity 9, at
 * time 5; entities push in the given order. */
static char *run_order(const SimEntity *ents, int n)
{
    g_autoptr(SimWorld) w = sim_world_new(1);
    Order o = {w, g_string_new(NULL)};
    static const char *names[] = {"x", "y", "z"};
    for (int i = 0; i < n; i++) {
        sim_world_enter(w, ents[i]);
        sim_world_schedule(w, 5, note, &o, (void *)names[ents[i] - 1]);
        sim_world_schedule_for(w, 9, 5, note, NULL, &o, (void *)names[ents[i] - 1]);
    }
    sim_world_enter(w, SIM_ENTITY_WORLD);
    sim_world_run(w, SIM_TIME_MAX, 0);
    return g_string_free(o.log, FALSE);
}

Test(world, equal_times_pop_by_scheduling_entity_not_push_order)
{
    g_autofree char *a = run_order((SimEntity[]){1, 2, 3}, 3);
    g_autofree char *b = run_order((SimEntity[]){3, 1, 2}, 3);
    cr_assert_str_eq(a, "x@1 x@9 y@2 y@9 z@3 z@9 ");
    cr_assert_str_eq(b, a);
}

static void child(void *ctx, void *arg)
{
    Order *o = ctx;
    /* Runs as its target; what it schedules is keyed by that entity. */
    cr_assert_eq(sim_world_entity(o->w), 4);
    uint64_t before = sim_world_event_key(o->w);
    cr_assert_eq(SIM_EVENT_KEY_ENTITY(before), 2, "keyed by the scheduler");
    cr_assert_eq(sim_world_take_key(o->w), SIM_EVENT_KEY(4, 1));
}

Test(world, an_event_runs_as_its_target_and_keys_by_its_scheduler)
{
    g_autoptr(SimWorld) w = sim_world_new(1);
    Order o = {w, NULL};
    sim_world_enter(w, 2);
    sim_world_schedule_for(w, 4, 1, child, NULL, &o, NULL);
    cr_assert_eq(sim_world_run(w, SIM_TIME_MAX, 0), SIM_RUN_IDLE);
    cr_assert_eq(sim_world_events(w), 1);
}

Test(rng, an_entity_draws_the_same_numbers_whatever_else_draws)
{
    g_autoptr(SimWorld) w1 = sim_world_new(99), w2 = sim_world_new(99);
    sim_world_enter(w2, 3);
    for (int i = 0; i < 1000; i++) /* another entity draws in w2 only */
        sim_rng_u64(sim_world_rng(w2));
    sim_world_enter(w1, 7);
    sim_world_enter(w2, 7);
    for (int i = 0; i < 100; i++)
        cr_assert_eq(sim_rng_u64(sim_world_rng(w1)), sim_rng_u64(sim_world_rng(w2)));
    /* Streams differ between entities and between seeds. */
    g_autoptr(SimRng) a = sim_rng_new_stream(99, 7), b = sim_rng_new_stream(99, 8),
                      c = sim_rng_new_stream(100, 7);
    uint64_t x = sim_rng_u64(a);
    cr_assert_neq(x, sim_rng_u64(b));
    cr_assert_neq(x, sim_rng_u64(c));
}
