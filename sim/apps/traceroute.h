/* traceroute.h - Linux traceroute (the modern one, by Butskoy): UDP probes
 * to ports 33434 and up, or ICMP echo probes (-I), with TTL 1, 2, 3, ...
 *
 * Design: probes go out one at a time: each waits for its answer (an ICMP
 * time exceeded from a router, port unreachable or echo reply from the
 * destination, or another unreachable) or `wait` (5 s), and the next
 * follows. Linux sends up to 16 at once, which changes only the timing, not
 * what is printed. A hop's line is emitted as one SIM_TR_APP trace record
 * when its probes are done, in Linux's -n format:
 *   " 1  192.168.10.254  0.123 ms  0.110 ms  0.115 ms"
 *   " 2  * * *"
 * The trace stops after the hop that reached the destination or returned
 * any unreachable (annotated !N, !H, !P, !F-<mtu>, ...), or at max_hops.
 *
 * Ownership: the host's stack owns the traceroute; the pointer stays valid
 * until the world is freed.
 */
#pragma once

#include "sim/core/simtime.h"
#include "sim/link/node.h"
#include "sim/net/addr.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#define SIM_TRACEROUTE_MAX_QUERIES 10

typedef struct _SimTraceroute SimTraceroute;

typedef struct {
    guint max_hops;   /* -m; default 30 */
    guint first_hop;  /* -f; default 1 */
    guint nqueries;   /* -q; default 3, at most SIM_TRACEROUTE_MAX_QUERIES */
    SimTime wait;     /* -w; default 5 s */
    uint16_t port;    /* -p; UDP: first destination port (33434), ICMP: first seq (1) */
    guint packet_len; /* whole IP datagram; default 60, at least 28 */
    bool icmp;        /* -I: ICMP echo probes */
    const char *name; /* the host name typed (DNS), NULL: the address; borrowed */
} SimTracerouteOpts;

typedef struct {
    SimIpv4 addr; /* who answered; 0 for no answer ("*") */
    SimTime rtt;
    uint8_t type, code; /* of the answer */
    char annot[16];     /* "", "!H", "!N", "!F-1400", ... */
} SimTracerouteProbe;

typedef struct {
    guint ttl;
    guint nprobes;
    SimTracerouteProbe probes[SIM_TRACEROUTE_MAX_QUERIES];
} SimTracerouteHop;

typedef struct {
    GArray *hops; /* SimTracerouteHop, one per TTL tried */
    bool reached; /* the destination itself answered */
    bool finished;
} SimTracerouteResults;

typedef void (*SimTracerouteDoneFn)(SimTraceroute *tr, void *user);

void sim_traceroute_opts_default(SimTracerouteOpts *o);
/* Starts at the current time (the first probe is an event). NULL with an
 * error when host has no IP stack or the options are invalid. */
SimTraceroute *sim_traceroute_start(SimNode *host, SimIpv4 dst, const SimTracerouteOpts *opts,
                                    GError **error);
const SimTracerouteResults *sim_traceroute_results(const SimTraceroute *tr);
/* The first address that answered at hop index i (0-based), or 0. */
SimIpv4 sim_traceroute_hop_addr(const SimTraceroute *tr, guint i);
void sim_traceroute_set_done(SimTraceroute *tr, SimTracerouteDoneFn fn, void *user);
