/* evq.h - the event queue: a 4-ary min-heap over (time, seq).
 *
 * Design: the heap is a flat array of 24-byte entries (time, seq, record)
 * so sifting never follows a pointer; the record holding the handler comes
 * from a chunked free list, so steady state does no malloc per event. The
 * sequence number is a global counter assigned at push time, which makes the
 * order total and independent of addresses: same inputs, same order.
 *
 * Cancellation is lazy: it flags the record and the record is reclaimed when
 * it reaches the top. An event id carries the record's sequence number, so a
 * stale id (its event already fired and the record reused) cancels nothing.
 *
 * A 4-ary heap does about half the levels of a binary one and keeps the four
 * children in one or two cache lines. A calendar or ladder queue would give
 * O(1) expected time but is sensitive to the increment distribution; it can
 * replace this file behind the same sim_evq_* API if profiles ask for it.
 *
 * Complexity: push and pop O(log4 n); cancel O(1); peek O(1) amortised.
 */
#pragma once

#include "sim/core/simtime.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct _SimEvq SimEvq;
typedef struct _SimEvent SimEvent;

/* An event handler gets the two pointers it was scheduled with. Whoever
 * schedules an event that carries a reference (a packet, say) in ctx or arg
 * must make sure the handler, or a cancel hook, releases it. */
typedef void (*SimEventFn)(void *ctx, void *arg);

typedef struct {
    SimEvent *ev;
    uint64_t seq; /* 0: no event */
} SimEventId;

#define SIM_EVENT_ID_NONE ((SimEventId){NULL, 0})

SimEvq *sim_evq_new(void);
/* Frees the queue; pending events are discarded without being called
 * (their destroy hooks, if any, are called). */
void sim_evq_free(SimEvq *q);

SimEventId sim_evq_push(SimEvq *q, SimTime t, SimEventFn fn, void *ctx, void *arg);
/* Like sim_evq_push, with a destroy hook called instead of fn when the event
 * never fires (cancelled, or still pending when the queue is freed). It is
 * how an event that carries a packet reference releases it. The hook must
 * not touch anything but ctx/arg's own references: at queue teardown the
 * nodes and links may be half gone. */
SimEventId sim_evq_push_full(SimEvq *q, SimTime t, SimEventFn fn, SimEventFn destroy, void *ctx,
                             void *arg);
/* Returns true if the event was pending and is now cancelled. */
bool sim_evq_cancel(SimEvq *q, SimEventId id);
bool sim_evq_is_pending(const SimEvq *q, SimEventId id);

/* Removes the earliest live event and returns its fields; false if none. */
bool sim_evq_pop(SimEvq *q, SimTime *t, SimEventFn *fn, void **ctx, void **arg);
/* What sim_evq_pop_until did. */
typedef enum {
    SIM_EVQ_EMPTY,  /* no live event */
    SIM_EVQ_LATER,  /* the earliest live event is after until; *t is its time */
    SIM_EVQ_POPPED, /* removed the earliest live event (time <= until) */
} SimEvqPop;
/* sim_evq_peek_time and, if that time is <= until, sim_evq_pop, in one call:
 * the run loop's step. Only *t is written unless it pops. */
SimEvqPop sim_evq_pop_until(SimEvq *q, SimTime until, SimTime *t, SimEventFn *fn, void **ctx,
                            void **arg);
/* Time of the earliest live event; false if none. */
bool sim_evq_peek_time(SimEvq *q, SimTime *t);
/* Live (not cancelled) events. */
size_t sim_evq_size(const SimEvq *q);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimEvq, sim_evq_free)
