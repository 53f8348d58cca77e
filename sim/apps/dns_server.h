/* dns_server.h - a DNS server on UDP port 53 of a host or router:
 * authoritative for the zones it loads, and optionally a recursive
 * resolver (iterating from root hints) or a forwarder.
 *
 * Design: one socket on port 53 answers queries; a second one, on an
 * ephemeral port (as BIND and Unbound use random source ports), asks other
 * servers. A query is answered from the most specific zone that contains
 * its name (sim/apps/dns_zone.h); otherwise, on a resolver, it becomes a
 * task that runs RFC 1034 §5.3.3's loop: look in the cache (negative
 * entries, then the name's RRset, then a CNAME to follow, at most 8), else
 * ask the servers of the closest enclosing zone whose NS set and addresses
 * are cached, else the root hints; a referral caches the child's NS set
 * and its in-bailiwick glue and the loop goes on one level down; an answer
 * or a negative answer (RFC 2308: NXDOMAIN for the name, NODATA for the
 * type, each kept for the SOA TTL the server sent) is cached and the loop
 * ends from the cache. A forwarder sends every miss to its upstream with
 * RD set and caches what comes back the same way.
 *
 * Retransmission: a silent server is asked again after 800 ms (BIND's
 * initial retry; Unbound starts at 376 ms), the next server of the set
 * each time, three times in all, then the client gets SERVFAIL, well
 * inside a glibc stub's 5 s timeout. A task also stops with SERVFAIL after
 * 20 queries (a referral loop or a lame delegation) or when a referral
 * does not lead below the zone just asked (RFC 1034 §5.3.3 step 4).
 * Not modelled: NS names without glue (the resolver would have to resolve
 * them first; it answers SERVFAIL and traces why), TCP fallback after TC
 * (replies are at most 512 bytes and are cut with TC set, which netsim's
 * small zones never need), EDNS, DNSSEC, and the 0x20 or source-port
 * randomisation defences beyond the ephemeral port.
 *
 * Every decision is a trace record (SIM_TR_INFO, "dns server: ..." or
 * "dns resolver: ...", docs/trace.md).
 *
 * Ownership: the node's IP stack adopts the server; zones passed to
 * sim_dns_server_add_zone become the server's.
 */
#pragma once

#include <glib.h>

#include "sim/apps/dns_zone.h"
#include "sim/l3/ipstack.h"

typedef struct _SimDnsServer SimDnsServer;

#define SIM_DNS_MAX_UPSTREAM 8
#define SIM_DNS_CACHE_ENTRIES 10000 /* Unbound's rrset-cache counts bytes; entries read better */

typedef enum {
    SIM_DNS_AUTH_ONLY, /* answers for its zones, REFUSED for the rest */
    SIM_DNS_RECURSIVE, /* iterates from root hints */
    SIM_DNS_FORWARD,   /* passes misses to upstream with RD set */
} SimDnsMode;

/* Binds port 53 on node. NULL with error when the node has no IP stack or
 * the port is taken. */
SimDnsServer *sim_dns_server_start(SimNode *node, GError **error);
/* Takes z. FALSE (z freed) when a zone with the same apex is loaded. */
gboolean sim_dns_server_add_zone(SimDnsServer *s, SimDnsZone *z, GError **error);
/* Root hints (RECURSIVE) or the upstream servers (FORWARD), n <= 8. */
void sim_dns_server_set_mode(SimDnsServer *s, SimDnsMode mode, const SimIpv4 *servers, guint n);
/* `show NODE dns-cache` (resolvers) and `show NODE zone` (zones); FALSE
 * when there is no cache or no zone to show. */
gboolean sim_dns_server_show_cache(SimDnsServer *s, GString *out);
gboolean sim_dns_server_show_zones(SimDnsServer *s, GString *out);
/* Queries this server sent upstream so far (tests count them). */
guint64 sim_dns_server_upstream_queries(const SimDnsServer *s);
