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
 * Synchronisation: windows bounded by a global lower bound, as ns-3's
 * DistributedSimulatorImpl. Each round (1) every rank sends the frames its
 * last window put on cut links (MPI_Alltoall of sizes, MPI_Alltoallv of
 * bytes) and schedules those it receives, (2) one MPI_Allreduce finds the
 * earliest pending event anywhere, T, and (3) every rank runs its events
 * with time < T + L, L being the partition's lookahead. Nothing can reach
 * a rank inside its window: a frame sent at t >= T arrives at t + L or
 * later. Rounds skip idle time (T jumps to the next event), so a run costs
 * about (simulated time with traffic) / L rounds, three collectives each.
 *
 * Rejected: null messages (Chandy-Misra-Bryant, ns-3's
 * NullMessageSimulatorImpl). They send one message per cut link per step
 * of lookahead and need no global operation, which wins when ranks have
 * few neighbours and a global reduction is slow (many nodes, slow
 * network). Here the campus has every LAN router cut from the core, so
 * every rank neighbours every other, and one allreduce of 16 bytes costs
 * less than K-1 null messages; CMB also idles through time with no
 * traffic one lookahead at a time, where the window jumps. Measured only
 * the windowed scheme (docs/performance.md, "MPI").
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

typedef struct {
    uint64_t rounds;        /* synchronisation rounds */
    uint64_t frames, bytes; /* frames sent over cut links, and their bytes */
    double wait_s;          /* wall time inside MPI calls */
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
 * `until` (UNTIL), or, checked between rounds, max_events events in all
 * (0: no limit; MAX_EVENTS: the output is cut short at a round, not at the
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
