/* dist.h - one topology run by K MPI processes (ranks), conservatively
 * synchronised, with the single-process run's event order.
 *
 * Model. Each rank builds only its devices (sim_scenario_new_part) plus
 * stand-ins for the far ends of its cut links (partition.h). A frame that
 * starts on a cut link leaves through the link's remote hook (link.h) and
 * becomes a message carrying its bytes, uid, arrival time and ordering key;
 * the owner of the far end schedules its arrival with that key
 * (sim_world_schedule_keyed), so equal-time events order as they would in
 * one process (world.h, "Entities and event order").
 *
 * Synchronisation: conservative, by one of two schemes (sim_dist_set_sync,
 * `netsim run --sync window|null`); both give the same events in the same
 * order and end the run alike (docs/design.md §15 compares them, measured).
 *
 * window (default): windows bounded by a global lower bound, as ns-3's
 * DistributedSimulatorImpl. Each round (1) every rank sends the frames its
 * last window put on cut links (MPI_Alltoall of sizes, MPI_Alltoallv of
 * bytes) and schedules those it receives, (2) one MPI_Allreduce finds the
 * earliest pending event anywhere, T, and (3) every rank runs its events
 * with time < T + L, L being the partition's lookahead. Nothing can reach
 * a rank inside its window: a frame sent at t >= T arrives at t + L or
 * later. Rounds skip idle time (T jumps to the next event), so a run costs
 * about (simulated time with traffic) / L rounds, three collectives each.
 *
 * null: null messages (Chandy-Misra-Bryant, as ns-3's
 * NullMessageSimulatorImpl), point to point between neighbouring ranks
 * only, with a non-blocking wave for termination and idle jumps
 * (sync_null.c has the protocol and its proof). It needs no rank to wait
 * for all the others, which wins when ranks have few neighbours and a
 * global reduction is slow; it pays one message per neighbour per step.
 *
 * Failures: MPI_ERRORS_ARE_FATAL stays (Open MPI's mpirun then reports the
 * lost rank and kills the others); a rank that finds an error of its own
 * (a write error, a bad message) calls MPI_Abort with a message, so no rank
 * is left waiting in a collective.
 */
#pragma once

#include "sim/core/world.h"
#include "sim/dist/partition.h"
#include "sim/topo/scenario.h"

#include <glib.h>
#include <stdbool.h>

typedef struct _SimDist SimDist;

typedef enum {
    SIM_DIST_SYNC_WINDOW, /* windows bounded by an allreduce (default) */
    SIM_DIST_SYNC_NULL,   /* null messages between neighbours */
} SimDistSync;

typedef struct {
    uint64_t rounds;        /* window: synchronisation rounds */
    uint64_t nulls;         /* null: null messages sent (no frame in them) */
    uint64_t messages;      /* null: messages sent, with frames or not */
    uint64_t waves;         /* null: termination waves completed */
    uint64_t frames, bytes; /* frames sent over cut links, and their bytes */
    double wait_s;          /* window: wall time inside MPI calls; null: in
                             * loop passes that ran no event (blocked) */
    double run_s;           /* wall time of sim_dist_run */
    double cpu_s;           /* this process's CPU time in sim_dist_run, which a
                             * loaded machine's wall time hides */
    double wait_cpu_s;      /* of that, spent inside MPI calls (Open MPI polls) */
    uint64_t events;        /* events this rank ran */
} SimDistStats;

/* MPI_Init (once per process). */
SimDist *sim_dist_new(int *argc, char ***argv);
/* MPI_Finalize. */
void sim_dist_free(SimDist *d);
/* Before sim_dist_run; every rank must choose the same. */
void sim_dist_set_sync(SimDist *d, SimDistSync sync);
int sim_dist_rank(const SimDist *d);
int sim_dist_size(const SimDist *d);
/* Every rank prints msg to stderr prefixed with its rank, and the job
 * ends: for an error found after the ranks have diverged. */
G_NORETURN void sim_dist_abort(SimDist *d, const char *msg);

/* Hooks the cut links of sc (built with sim_scenario_new_part for this
 * rank) to this SimDist. */
void sim_dist_connect(SimDist *d, SimScenario *sc, const SimPartition *p);

/* Called after each event when set (the merged JSON trace numbers them). */
typedef void (*SimDistEventFn)(void *user, SimTime t, uint64_t key);

/* Asks every rank to stop after the event (at, key), as a stop event
 * scheduled there with that key would in one process (the key taken with
 * sim_world_take_key where one process would have scheduled it). Callable
 * during an event; other ranks learn of it at the next round, which is in
 * time when at is later than the current window (at - now >= lookahead).
 * The earliest request wins; sim_dist_run then returns SIM_RUN_STOPPED. */
void sim_dist_stop_at(SimDist *d, SimTime at, uint64_t key);

/* Runs the scenario across all ranks until no rank has events (IDLE),
 * `until` (UNTIL), or, checked between rounds (window) or at waves (null),
 * max_events events in all
 * (0: no limit; MAX_EVENTS: the output is cut short there, not at the
 * exact event a single process would stop at). Every rank gets the same
 * status. */
SimRunStatus sim_dist_run(SimDist *d, SimWorld *w, SimTime until, uint64_t max_events,
                          SimDistEventFn each, void *user);
const SimDistStats *sim_dist_stats(const SimDist *d);

/* The stop time in force (SIM_TIME_MAX: none). */
SimTime sim_dist_stop_time(const SimDist *d);

/* Collectives for the end of a run. */
uint64_t sim_dist_sum(SimDist *d, uint64_t v);
uint64_t sim_dist_max(SimDist *d, uint64_t v);
void sim_dist_barrier(SimDist *d);
/* Rank 0's string on every rank (caller frees). */
char *sim_dist_bcast_string(SimDist *d, const char *s);
