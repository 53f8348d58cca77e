/* dns_stub.h - the stub resolver of a host (what glibc's getaddrinfo does
 * with /etc/resolv.conf), with a small answer cache.
 *
 * Design: one per node, over its own UDP socket on an ephemeral port. A
 * lookup asks the configured server (the `dns` attribute, or DHCP option
 * 6) for the name's A record with RD set and follows the CNAME chain in
 * the answer. Retransmission is glibc's default (resolv.conf(5): timeout
 * 5 s, attempts 2): the query is sent again after 5 s of silence, and
 * after 10 s the lookup fails. Failures reach the application with glibc's
 * gai_strerror(3) texts, as ping prints them: NXDOMAIN is "Name or service
 * not known" (EAI_NONAME), an answer without an A record "No address
 * associated with hostname" (EAI_NODATA), SERVFAIL, REFUSED, a timeout or
 * no server at all "Temporary failure in name resolution" (EAI_AGAIN).
 * A malformed reply (a compression loop, say) is dropped and traced, and
 * the lookup keeps waiting, as glibc does.
 *
 * Cache: glibc itself caches nothing (nscd or systemd-resolved do); netsim
 * keeps each answer for its TTL, like systemd-resolved, so that a second
 * lookup within the TTL sends nothing. Negative answers are not cached here
 * (the resolver caches them). Only A (IPv4) is asked: netsim has no IPv6,
 * where glibc would ask A and AAAA in parallel.
 *
 * Ownership: the node's IP stack adopts the stub.
 */
#pragma once

#include <glib.h>

#include "sim/l3/ipstack.h"

typedef struct _SimDnsStub SimDnsStub;

/* error is NULL on success (addr then holds the first address). */
typedef void (*SimDnsStubFn)(void *user, const char *name, SimIpv4 addr, const char *error);

SimDnsStub *sim_dns_stub_new(SimNode *node, GError **error);
void sim_dns_stub_set_server(SimDnsStub *r, SimIpv4 server); /* 0: none */
SimIpv4 sim_dns_stub_server(const SimDnsStub *r);
/* Looks name up; fn is called once, from the cache at once or later. */
void sim_dns_stub_resolve(SimDnsStub *r, const char *name, SimDnsStubFn fn, void *user);
/* `show NODE dns-cache` of a host: its server and cached answers. */
void sim_dns_stub_show(SimDnsStub *r, GString *out);
/* Queries sent so far (tests count them). */
guint64 sim_dns_stub_queries(const SimDnsStub *r);
