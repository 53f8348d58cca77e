/* ping.h - ICMP echo client that prints what Linux's iputils ping prints.
 *
 * Design: a ping is a set of callbacks on the host's IP stack (an echo id
 * binding) plus one pending timer (next request, or the final wait). Every
 * output line is a SIM_TR_APP trace record whose node is the host, so it
 * costs nothing when no sink listens. The send times live in an array
 * sized by the count, so a running ping allocates nothing per packet.
 *
 * Don't Fragment follows iputils, which leaves the socket's IP_MTU_DISCOVER
 * at Linux's default, WANT (`-M want`): requests carry DF while they fit
 * the path MTU; after a Fragmentation Needed error the stack caches the
 * smaller path MTU and fragments later requests itself. `-M do` (DO)
 * keeps DF and then fails locally ("local error: message too long,
 * mtu=1400"); `-M dont` (DONT) never sets DF.
 *
 * Timing follows iputils: requests every `interval`; after the last one,
 * wait for outstanding replies up to max(2 x the largest RTT, interval) if
 * any reply came, else `timeout` (-W, 10 s); stop early once every request
 * is answered by a reply or an error. "time" in the summary is the span
 * from the first request to the last.
 *
 * Ownership: the host's stack owns the ping (sim_ip_stack_adopt); the
 * pointer stays valid until the world is freed.
 */
#pragma once

#include "sim/core/simtime.h"
#include "sim/l3/ipstack.h"
#include "sim/link/node.h"
#include "sim/net/addr.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct _SimPing SimPing;

typedef struct {
    guint count;            /* requests to send (-c); default 4, must be >= 1 */
    SimTime interval;       /* -i; default 1 s */
    guint size;             /* ICMP data bytes (-s); default 56 */
    uint8_t ttl;            /* -t; default 64 */
    SimTime timeout;        /* -W; default 10 s */
    SimIpPmtuDisc pmtudisc; /* -M: default WANT, as iputils leaves the socket */
    const char *name;       /* the host name typed (DNS), NULL: the address; borrowed */
} SimPingOpts;

typedef struct {
    guint transmitted, received, errors, duplicates;
    GArray *rtts; /* SimTime per reply, in arrival order */
    int last_ttl; /* TTL of the last reply; -1 before any */
    SimIpv4 last_error_from;
    uint8_t last_error_type, last_error_code; /* of the last ICMP error */
    bool finished;                            /* summary printed */
    bool no_route; /* could not start: "connect: Network is unreachable" */
} SimPingResults;

typedef void (*SimPingDoneFn)(SimPing *ping, void *user);

void sim_ping_opts_default(SimPingOpts *o);
/* Starts pinging dst from host (an IP node); the first request leaves at
 * the current time (as an event). NULL with an error when host has no IP
 * stack or the options are invalid. A missing route is not an error: the
 * ping prints "ping: connect: Network is unreachable" and finishes. */
SimPing *sim_ping_start(SimNode *host, SimIpv4 dst, const SimPingOpts *opts, GError **error);
const SimPingResults *sim_ping_results(const SimPing *ping);
/* Called once, after the summary. */
void sim_ping_set_done(SimPing *ping, SimPingDoneFn fn, void *user);
uint16_t sim_ping_id(const SimPing *ping);
