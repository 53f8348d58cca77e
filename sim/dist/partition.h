/* partition.h - which MPI rank simulates which device of a topology.
 *
 * Design: a partition maps every device (topology node) to a rank 0..K-1.
 * A link whose ends sit on different ranks is "cut": its frames travel as
 * MPI messages, and its delay is what lets the ranks run ahead of each
 * other (conservative synchronisation, dist.h). A link of zero delay gives
 * no such slack, so a partition never cuts one: the automatic partitioner
 * contracts every zero-delay-connected group of devices into one vertex
 * before partitioning, and a hand-written partition that cuts one is
 * refused with the link named. A link that a `link` command takes down or
 * up is kept whole the same way (a cut link has no single owner to do it).
 *
 * The automatic partitioner is METIS (Karypis & Kumar): recursive bisection
 * for K <= 8 (better balance on few parts), k-way beyond, with a fixed seed
 * so the same topology and K always give the same assignment. Vertices are
 * devices weighted by the load they carry, 1 + the number of their linked
 * interfaces or ports (a switch with 300 hosts costs about as much as its
 * 300 hosts together, which is what frame counts measured on two-lans
 * show); edges are links weighted by what cutting them costs: the longest
 * delay in the topology divided by theirs (capped at 1000), so 1 ms links
 * are cut before 1 us ones, a cut's lookahead being what bounds the ranks'
 * progress.
 * Rejected: a hand-written greedy or BFS partitioner (worse cuts, and one
 * more algorithm to maintain where METIS is the field's tool); weighting
 * zero-delay links heavily instead of contracting them (METIS may still cut
 * a heavy edge when balance demands it; contraction makes it impossible).
 *
 * Lookahead: the smallest, over cut links, of propagation delay plus the
 * serialisation time of the smallest frame (60 bytes, eth.h) at the link's
 * rate: no frame sent at t on a cut link can arrive before t + lookahead.
 *
 * A --partition FILE lists `NODE RANK` lines ('#' starts a comment); every
 * device must be listed once. Errors come back as GError messages in the
 * `file:line:col: error: ...` form.
 *
 * Built only with -DNETSIM_MPI=ON (METIS comes with the MPI build).
 */
#pragma once

#include "sim/core/simtime.h"
#include "sim/topo/ast.h"

#include <glib.h>
#include <stdbool.h>
#include <stdio.h>

typedef struct _SimPartition SimPartition;

#define SIM_PARTITION_MAX_RANKS 4096

/* METIS over the validated topology, into nparts ranks (1..MAX_RANKS).
 * With fewer zero-delay groups than ranks, some ranks stay empty. */
SimPartition *sim_partition_auto(const SimTopo *topo, guint nparts, GError **error);
/* A hand-written assignment; nparts is the run's rank count (a rank number
 * >= nparts is an error). Refuses a cut zero-delay link. */
SimPartition *sim_partition_load(const SimTopo *topo, const char *path, guint nparts,
                                 GError **error);
void sim_partition_free(SimPartition *p);

guint sim_partition_nparts(const SimPartition *p);
guint sim_partition_rank(const SimPartition *p, guint node_index);
/* Link i of the topology has its ends on different ranks. */
bool sim_partition_link_cut(const SimPartition *p, guint link_index);
guint sim_partition_n_cut(const SimPartition *p);
/* Min over cut links of delay + serialisation of 60 bytes; SIM_TIME_MAX
 * when nothing is cut. */
SimTime sim_partition_lookahead(const SimPartition *p);
/* Link i's own: its delay + serialisation of 60 bytes (cut or not). */
SimTime sim_partition_link_lookahead(const SimPartition *p, guint link_index);

/* The assignment as `netsim check --partition` prints it: per rank, its
 * devices and weight, then the cut links and the lookahead. */
void sim_partition_print(const SimPartition *p, FILE *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimPartition, sim_partition_free)
