/* dist_priv.h - what the two synchronisations share (dist.c runs the
 * windowed one, sync_null.c the null-message one): the SimDist object, the
 * wire form of a frame crossing a cut link, and the clocks. Not for use
 * outside sim/dist/.
 *
 * A frame on the wire is a fixed 40-byte header and its bytes padded to 8;
 * host-endian (every rank of a job runs the same binary on the same kind
 * of machine). */
#pragma once

#include "sim/dist/dist.h"

#include <stdint.h>

typedef struct {
    uint32_t link, to_side;
    uint64_t at, key, uid;
    uint32_t len, pad;
} SimDistFrameHdr;

struct _SimDist {
    int rank, size;
    SimScenario *sc;
    SimDistSync sync;
    SimTime lookahead; /* the smallest over all cut links */
    SimTime *chan_la;  /* by rank: the smallest over the cut links shared with
                        * that rank; SIM_TIME_MAX: not a neighbour */
    GByteArray **out;  /* by destination rank: frames waiting to leave (in
                        * null mode behind room for a message header) */
    int *dest;         /* by topo link index: the rank owning the far end */
    GHashTable *index; /* SimLink* -> topo link index + 1, for cut links */
    int *scount, *rcount, *sdispl, *rdispl;
    SimDistStats stats;
    SimWorld *w;
    SimTime stop_t; /* the earliest stop known here; SIM_TIME_MAX: none */
    uint64_t stop_key;
    bool stop_scheduled; /* (stop_t, stop_key) is in this rank's queue */
    bool stopped;        /* it fired */
};

double sim_dist_now_s(void);
double sim_dist_cpu_s(void);

/* Schedules the frames of buf (len bytes of headers and padded bytes) on
 * their links in w; aborts the job on a malformed one. Returns how many. */
uint64_t sim_dist_deliver(SimDist *d, SimWorld *w, const uint8_t *buf, size_t len);

/* The null-message run loop (sync_null.c); sim_dist_run's contract. */
SimRunStatus sim_dist_run_null(SimDist *d, SimWorld *w, SimTime until, uint64_t max_events,
                               SimDistEventFn each, void *user);
