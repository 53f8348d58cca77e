/* world.h - a simulated world: clock, event queue, RNG streams, trace bus,
 * packet pool, and the model it runs (opaque: the network of nodes and
 * links lives in sim/link/network.h, above the core).
 *
 * Design: one world is one deterministic universe. Everything that happens
 * is an event popped in (time, entity, counter) order (below); all
 * randomness comes from per-entity RNG streams; nothing depends on pointer
 * or hash order.
 *
 * Entities and event order (docs/design.md, "Event order"). An entity is a
 * number the model gives each part that acts on its own: the network gives
 * node i of the topology entity i + 1; 0 is the world itself (scenario
 * commands, tests). Every event runs *as* an entity, its target: while it
 * runs, sim_world_entity() is that entity, and each event it schedules gets
 * the key (entity << 40 | n), n counting the events that entity has
 * scheduled. Events pop in (time, key) order. Since an entity's events
 * depend only on the events it runs, the keys, and so the order, are the
 * same however the entities are spread over processes: a rank that runs
 * half the nodes computes the same keys for them, and a frame crossing to
 * another rank carries its key (sim_world_take_key at the sender,
 * sim_world_schedule_keyed at the receiver). sim_world_schedule* target the
 * running entity (a node's timers stay its own); sim_world_schedule_for
 * targets another (a frame arriving at the far end of a link).
 * Cost: one indexed increment per schedule and two loads per pop.
 *
 * Ownership: the world owns its model (sim_world_set_model) and frees it
 * in sim_world_free, after the pending events.
 */
#pragma once

#include "sim/core/evq.h"
#include "sim/core/rng.h"
#include "sim/core/simtime.h"
#include "sim/core/trace.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct _SimWorld SimWorld;
typedef struct _SimPacketPool SimPacketPool;

typedef enum {
    SIM_RUN_IDLE,       /* no events left */
    SIM_RUN_UNTIL,      /* reached the time limit */
    SIM_RUN_MAX_EVENTS, /* reached the event limit */
    SIM_RUN_STOPPED,    /* sim_world_stop() was called */
} SimRunStatus;

SimWorld *sim_world_new(uint64_t seed);
/* Frees pending events (without running them; their destroy hooks run),
 * then the model, then the pool. */
void sim_world_free(SimWorld *w);

SimTime sim_world_now(const SimWorld *w);
uint64_t sim_world_seed(const SimWorld *w);
/* The running entity's RNG stream, seeded by (run seed, entity) on first
 * use (sim_rng_new_stream): each entity draws the same numbers whatever
 * else runs beside it, in this process or another. */
SimRng *sim_world_rng(SimWorld *w);
SimTraceBus *sim_world_trace(SimWorld *w);
SimPacketPool *sim_world_pool(SimWorld *w);
SimEvq *sim_world_evq(SimWorld *w);
/* Events processed so far. */
uint64_t sim_world_events(const SimWorld *w);

/* Entities (see the top of this file). */
typedef uint32_t SimEntity;
#define SIM_ENTITY_WORLD 0u
#define SIM_ENTITY_BITS 24
#define SIM_ENTITY_MAX ((1u << SIM_ENTITY_BITS) - 1)
#define SIM_EVENT_COUNTER_MAX ((UINT64_C(1) << (64 - SIM_ENTITY_BITS)) - 1)
#define SIM_EVENT_KEY(entity, n) ((uint64_t)(entity) << (64 - SIM_ENTITY_BITS) | (n))
#define SIM_EVENT_KEY_ENTITY(key) ((SimEntity)((key) >> (64 - SIM_ENTITY_BITS)))

/* The entity the running event acts for (SIM_ENTITY_WORLD before the first
 * event and in tests that never set one). */
SimEntity sim_world_entity(const SimWorld *w);
/* Makes e the running entity and returns the previous one, for code that
 * acts for an entity outside its events: a builder setting up node e (its
 * first timers and draws are then e's), or a call into another node. Put
 * the previous entity back afterwards. e <= SIM_ENTITY_MAX. */
SimEntity sim_world_enter(SimWorld *w, SimEntity e);
/* The key of the running event (0 before the first). */
uint64_t sim_world_event_key(const SimWorld *w);
/* Takes the running entity's next key, as scheduling an event would: for a
 * frame that leaves for another process, which schedules it there with
 * sim_world_schedule_keyed. Aborts past 2^40 events from one entity. */
uint64_t sim_world_take_key(SimWorld *w);

/* Schedules fn(ctx, arg) after delay (or at an absolute time >= now), to
 * run as the running entity. */
SimEventId sim_world_schedule(SimWorld *w, SimTime delay, SimEventFn fn, void *ctx, void *arg);
SimEventId sim_world_schedule_at(SimWorld *w, SimTime at, SimEventFn fn, void *ctx, void *arg);
/* With a destroy hook for events that carry references; see sim_evq_push_full. */
SimEventId sim_world_schedule_full(SimWorld *w, SimTime delay, SimEventFn fn, SimEventFn destroy,
                                   void *ctx, void *arg);
/* Like sim_world_schedule_full, to run as entity target. */
SimEventId sim_world_schedule_for(SimWorld *w, SimEntity target, SimTime delay, SimEventFn fn,
                                  SimEventFn destroy, void *ctx, void *arg);
/* Schedules at an absolute time with a key taken elsewhere (another
 * process's sim_world_take_key), to run as entity target. */
SimEventId sim_world_schedule_keyed(SimWorld *w, SimTime at, uint64_t key, SimEntity target,
                                    SimEventFn fn, SimEventFn destroy, void *ctx, void *arg);
bool sim_world_cancel(SimWorld *w, SimEventId id);

/* Runs events with time <= until, at most max_events of them (0: no limit).
 * When stopped by the time limit, or idle before it, the clock is advanced
 * to `until` (unless until is SIM_TIME_MAX). */
SimRunStatus sim_world_run(SimWorld *w, SimTime until, uint64_t max_events);
/* Runs exactly one event; false when there is none. */
bool sim_world_step(SimWorld *w);
/* Makes sim_world_run return after the current event. */
void sim_world_stop(SimWorld *w);

/* A scenario-level failure (e.g. an asserted ping failed): exit status 1. */
void sim_world_set_failed(SimWorld *w);
bool sim_world_failed(const SimWorld *w);

/* The model the world runs, opaque to the engine: in netsim the network
 * (sim/link/network.h, which sets it on first use). Set once; the world
 * calls free_fn(model) in sim_world_free after its pending events. */
void sim_world_set_model(SimWorld *w, void *model, void (*free_fn)(void *model));
void *sim_world_model(const SimWorld *w); /* NULL until set */

/* Emits one trace record stamped with the current time and event. Call it
 * through SIM_TRACE so that the arguments are not even evaluated when no
 * sink wants the kind. */
void sim_world_tracef(SimWorld *w, SimTraceKind kind, SimDropReason reason, const char *node,
                      const char *iface, const SimPacket *pkt, const char *fmt, ...)
    G_GNUC_PRINTF(7, 8);

#define SIM_TRACE(w, kind, reason, node, iface, pkt, ...)                                          \
    do {                                                                                           \
        if (sim_trace_wants(sim_world_trace(w), (kind)))                                           \
            sim_world_tracef((w), (kind), (reason), (node), (iface), (pkt), __VA_ARGS__);          \
    } while (0)

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimWorld, sim_world_free)
