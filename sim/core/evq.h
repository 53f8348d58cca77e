/* evq.h - the event queue: a ladder queue over (time, key).
 *
 * Contract. Events pop in (time, key) order, the key being a 64-bit number
 * the caller gives (sim_evq_push_keyed; the world makes it from the
 * scheduling entity and that entity's counter, world.h), so the order never
 * depends on addresses or on push order: same keys, same order, whichever
 * process pushed them and when. Keys should be unique among equal times
 * (equal (time, key) pairs pop in an unspecified order). sim_evq_push and
 * sim_evq_push_full use the queue's own push counter as the key: push
 * order, for users that schedule from one place. Any time may be pushed,
 * even one before the last pop. Records holding the handler come from a
 * chunked pool (a stack of free records), so steady state does no malloc
 * per event.
 * Cancellation is lazy: it flags the record, which is reclaimed when it
 * reaches the front. An event id carries the record's sequence number, so a
 * stale id (its event already fired and the record reused) cancels nothing.
 *
 * Design. A ladder queue (Tang, Goh & Thng, ACM TOMACS 2005; mechanics in
 * evq.c): far events sit unsorted in `top`; a ladder of bucket arrays, each
 * rung finer than the last, splits them down until a bucket is small enough
 * to sort into `bottom`, a sorted array popped from the front. Each event is
 * appended two or three times and sorted once within a small bucket, so push
 * and pop are O(1) amortised. Entries are 16 bytes (time, record); the key
 * lives in the record and is read only to break a tie of times. Until
 * issue #20 ties were broken by push order, which every step preserved;
 * that order is what a partitioned run cannot reproduce (docs/design.md
 * §14). Keys in the entry (24 bytes, one 128-bit compare, no record read)
 * cost the hold model 10-19% at 100k-1M pending (more bytes moved per
 * event, two-thirds the entries per block): rejected, since ties are rare
 * outside floods, and a flood's records are read by the pops right after.
 * Buckets are chains of 256-byte blocks from one pool, so memory follows
 * the pending count: about 100 bytes an event, records included (the
 * heap: 85).
 *
 * Figures. Hold model (tests/bench/bench_evq.c: P pending, each fired event
 * schedules one at now + Exp(1 ms), 5M events, through sim_world_run),
 * 2-core AMD EPYC VM, RelWithDebInfo -O2, million events/s, best of 3-5
 * interleaved runs on a quiet machine (under load every variant's wall
 * figure dropped alike, to as little as half):
 *                                              1k     100k    1M pending
 *   4-ary heap, 24-byte entries (before)      12.7     6.3    2.1
 *   same, 16-byte entries, branchless 4-way
 *     child min, fused peek+pop (rejected)    12.5     6.6    2.7
 *   ladder, the paper's 1 entry per bucket
 *     and split at 50 (rejected)              25.9    12.8    6.1
 *   ladder, records not prefetched (rejected) 24.4     9.0    4.5
 *   ladder, a vector per bucket (rejected:
 *     5x the memory, growing with run time)   25.7    16.0   10.9
 *   ladder as built                           24.0    20.7   12.5
 *   ns-3 3.37 Map / Heap, same model       5.6/3.6  1.6/1.7  0.51/0.94
 * The handler's own work (Exp draw with log(), world dispatch) costs about
 * 20 ns an event: a queue that cost nothing would give ~50 M/s at 1k.
 * Other increment laws (uniform, bimodal 1 us / 1 s, constant, 75% zero
 * delay, Pareto 1.2, rare 60 s timers among 10 us ones) run 1.3-3.7x the
 * heap's rate at 1k and 100k pending.
 *
 * Floods. One event scheduling thousands (a switch flooding an ARP request
 * to 10,000 ports) is where records miss: the free records it takes are
 * cold. A free list threaded through the records made that a chain of
 * dependent misses, and prefetching a whole equal-time bucket of 10,000 at
 * once overran the fill buffers. A stack of record pointers prefetched 8
 * pushes ahead, and pops prefetching 16 entries behind the front, took
 * tests/bench/two-lans.sh at N=10,000 from 93 s to 32 s (same machine,
 * back to back); the hold model above moved by less than its noise.
 *
 * Rejected. The heap is bound by log n dependent cache misses and
 * unpredictable child comparisons; smaller entries and branch-free child
 * selection did not change that. A calendar queue (Brown 1988) needs resize
 * heuristics and degrades on skewed increments (ns-3's Calendar manages
 * ~17k events/s at 1M pending here), which the ladder's splitting fixes. A
 * radix heap needs monotone pushes (this API allows any time) and moves
 * each entry O(log range) times. A faster exponential draw in the benchmark
 * would speed both simulators alike and belongs to the model, not here.
 *
 * Complexity: push, pop, peek O(1) amortised (sorting at most a bucket of
 * SPLIT_THRESHOLD entries); cancel O(1); memory O(pending + cancelled
 * events not yet reached).
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
/* Pushes with an explicit ordering key and a tag the queue only stores and
 * hands back with the pop (sim_evq_pop_item): the world's ordered push (world.h). */
SimEventId sim_evq_push_keyed(SimEvq *q, SimTime t, uint64_t key, uint32_t tag, SimEventFn fn,
                              SimEventFn destroy, void *ctx, void *arg);
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
/* What sim_evq_pop_item did. */
typedef enum {
    SIM_EVQ_EMPTY,  /* no live event */
    SIM_EVQ_LATER,  /* the earliest live event is after until; out->t is its time */
    SIM_EVQ_POPPED, /* removed the earliest live event (time <= until) */
} SimEvqPop;
/* One popped event, everything the run loop needs. */
typedef struct {
    SimTime t;
    SimEventFn fn;
    void *ctx, *arg;
    uint64_t key;
    uint32_t tag;
} SimEvqItem;
/* sim_evq_peek_time and, if that time is <= until, the pop, in one call:
 * the run loop's step. The key and tag come with the event (fetching them
 * by two more calls per event was 2-3% of the hold model). Only out->t is
 * written unless it pops. */
SimEvqPop sim_evq_pop_item(SimEvq *q, SimTime until, SimEvqItem *out);
/* Time of the earliest live event; false if none. */
bool sim_evq_peek_time(SimEvq *q, SimTime *t);
/* Live (not cancelled) events. */
size_t sim_evq_size(const SimEvq *q);
/* Bytes the queue holds allocated (records, the free-record stack, bucket
 * blocks, rung, bottom, top and sort arrays): what a test bounds to check
 * that memory follows the pending count, not the events processed. O(rungs). */
size_t sim_evq_bytes(const SimEvq *q);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimEvq, sim_evq_free)
