/* trace.h - the trace bus: one stream of records, many sinks.
 *
 * Design: every observable decision a device makes is one SimTraceRecord.
 * Sinks (text, JSON, pcap, the stepper, tests) subscribe with a mask of the
 * kinds they want. Emitters test sim_trace_wants() before formatting
 * anything, so a run with no sinks (--trace none) pays one AND per decision
 * and never builds a string. Records are delivered synchronously in
 * emission order; the bus numbers them, so sinks agree on record ids.
 *
 * A record and everything it points to is borrowed for the duration of the
 * callback; a sink that keeps the packet takes a reference.
 */
#pragma once

#include "sim/core/simtime.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct _SimPacket SimPacket;

typedef enum {
    SIM_TR_TX,           /* a frame starts serialization on an interface */
    SIM_TR_RX,           /* a frame arrived at an interface */
    SIM_TR_DROP,         /* a frame or datagram was discarded; see reason */
    SIM_TR_LEARN,        /* a switch learned or moved a MAC */
    SIM_TR_AGE,          /* a table entry aged out */
    SIM_TR_FLOOD,        /* a switch/hub sent a frame out of several ports */
    SIM_TR_FORWARD,      /* a switch sent a frame out of one known port */
    SIM_TR_FILTER,       /* destination on the ingress port: not forwarded */
    SIM_TR_DELIVER,      /* a datagram was handed to a local protocol/app */
    SIM_TR_ARP_REQUEST,  /* an ARP request was sent */
    SIM_TR_ARP_REPLY,    /* an ARP reply was sent */
    SIM_TR_ARP_LEARN,    /* an ARP cache entry was created or refreshed */
    SIM_TR_ROUTE,        /* a FIB decision (matched prefix, next hop) */
    SIM_TR_ICMP,         /* an ICMP message was generated */
    SIM_TR_TTL_EXCEEDED, /* TTL ran out at a router */
    SIM_TR_UNREACHABLE,  /* destination unreachable generated (with code) */
    SIM_TR_FRAGMENT,     /* a datagram was fragmented */
    SIM_TR_REASSEMBLE,   /* a datagram was reassembled */
    SIM_TR_STORM,        /* a broadcast storm was detected */
    SIM_TR_LINK_DOWN,
    SIM_TR_LINK_UP,
    SIM_TR_APP,   /* application output (ping lines, summaries) */
    SIM_TR_SHOW,  /* a table printed by a scenario `show` */
    SIM_TR_INFO,  /* anything else worth a line */
    SIM_TR_TAG,   /* a switch added an 802.1Q tag (frame leaves a trunk) */
    SIM_TR_UNTAG, /* a switch removed an 802.1Q tag (access port, native VLAN) */
    SIM_TR_TCP,   /* a TCP decision: state change, retransmission, cwnd, window, RST */
    SIM_TR_NAT,   /* a NAT rewrite, new mapping or expiry (sim/l3/nat.h) */
    SIM_TR_STP,   /* a spanning tree decision: root, role, port state, topology change */
    SIM_TR_BPDU,  /* a BPDU sent or received, with what was made of it */
    SIM_TR_N_KINDS
} SimTraceKind;

typedef enum {
    SIM_DROP_NONE,
    SIM_DROP_QUEUE_FULL,
    SIM_DROP_LOSS,
    SIM_DROP_LINK_DOWN,
    SIM_DROP_TTL_EXPIRED,
    SIM_DROP_NO_ROUTE,
    SIM_DROP_NO_ARP,         /* next hop never answered ARP */
    SIM_DROP_ARP_QUEUE_FULL, /* too many packets waiting on one ARP */
    SIM_DROP_CHECKSUM,
    SIM_DROP_MTU, /* DF set and too big */
    SIM_DROP_NOT_FOR_US,
    SIM_DROP_REASM_TIMEOUT,
    SIM_DROP_REASM_LIMIT,
    SIM_DROP_VLAN_MISMATCH,
    SIM_DROP_STP_BLOCKING,
    SIM_DROP_MALFORMED,
    SIM_DROP_NO_LISTENER,  /* no socket on that port/protocol */
    SIM_DROP_BROADCAST,    /* broadcasts are not forwarded */
    SIM_DROP_NO_PORT,      /* nowhere to send (unconnected interface) */
    SIM_DROP_BUFFER_LIMIT, /* the model's buffer memory is spent (packet.h) */
    SIM_DROP_NAT,          /* NAT: no mapping, table full, or untranslatable */
    SIM_DROP_PRIVATE,      /* private (RFC 1918) destination on a drop-private router */
    SIM_DROP_N_REASONS
} SimDropReason;

typedef uint64_t SimTraceMask; /* one bit per SimTraceKind: room for 64 */
#define SIM_TRACE_BIT(kind) ((SimTraceMask)1u << (kind))
#define SIM_TRACE_ALL ((SimTraceMask)((UINT64_C(1) << SIM_TR_N_KINDS) - 1))

typedef struct {
    uint64_t id;    /* record number, from 1, assigned by the bus */
    uint64_t event; /* number of the event being processed (0 = setup) */
    SimTime time;
    /* The event's (entity, counter) key, world.h (0 = setup): (time, key)
     * orders events the same in every process of a partitioned run. */
    uint64_t key;
    SimTraceKind kind;
    SimDropReason reason;
    const char *node;        /* may be NULL */
    const char *iface;       /* may be NULL */
    const SimPacket *packet; /* may be NULL; borrowed */
    const char *detail;      /* never NULL */
} SimTraceRecord;

typedef void (*SimTraceFn)(const SimTraceRecord *rec, void *user);

typedef struct _SimTraceBus SimTraceBus;

SimTraceBus *sim_trace_bus_new(void);
void sim_trace_bus_free(SimTraceBus *bus);
/* Returns a subscription id (> 0). */
guint sim_trace_subscribe(SimTraceBus *bus, SimTraceMask mask, SimTraceFn fn, void *user);
void sim_trace_unsubscribe(SimTraceBus *bus, guint id);
/* Fills rec->id and delivers to every sink whose mask has rec->kind. */
void sim_trace_emit(SimTraceBus *bus, SimTraceRecord *rec);
uint64_t sim_trace_count(const SimTraceBus *bus);

const char *sim_trace_kind_name(SimTraceKind kind);      /* "arp-request" */
const char *sim_trace_reason_name(SimDropReason reason); /* "queue full" */
/* Parses a kind name; returns false if unknown. */
bool sim_trace_kind_parse(const char *name, SimTraceKind *out);

/* The union of all subscribers' masks, for the emitters' fast check. */
struct _SimTraceBusPublic {
    SimTraceMask wanted;
};
static inline bool sim_trace_wants(const SimTraceBus *bus, SimTraceKind kind)
{
    return (((const struct _SimTraceBusPublic *)bus)->wanted & SIM_TRACE_BIT(kind)) != 0;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimTraceBus, sim_trace_bus_free)
