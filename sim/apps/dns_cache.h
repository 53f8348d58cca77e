/* dns_cache.h - a DNS cache of RRsets and negative answers, with TTLs.
 *
 * Design: one GHashTable keyed by "lowercased-name/type" (RFC 1035 §2.3.3:
 * names compare without case). An entry is an RRset (RFC 2181 §5: the
 * records of one name, class and type, cached together with the smallest
 * TTL of the set, §5.2) or a negative answer (RFC 2308): NXDOMAIN is kept
 * under type 0 (the whole name does not exist), NODATA under the type
 * asked; both keep the SOA that came with them and live for the SOA's
 * TTL, which the server already capped at the SOA minimum (§5). Expiry is
 * lazy, as Linux's br_fdb ageing: an expired entry is dropped when it is
 * next looked up or shown, with no timer. A full cache first drops its
 * expired entries, then refuses the new one (counted, never grown).
 * Records handed out carry the TTL left, as a resolver passes it on.
 *
 * Ownership: the owner frees the cache; hits are borrowed until the next
 * call.
 */
#pragma once

#include <glib.h>

#include "sim/core/simtime.h"
#include "sim/net/dns_msg.h"

typedef struct _SimDnsCache SimDnsCache;

typedef struct {
    bool negative; /* NXDOMAIN (type 0) or NODATA */
    guint n;       /* records (the RRset, or the SOA of a negative entry) */
    SimDnsRr *rrs; /* TTLs set to what is left */
    uint32_t ttl;  /* seconds left */
} SimDnsCacheHit;

SimDnsCache *sim_dns_cache_new(guint capacity);
void sim_dns_cache_free(SimDnsCache *c); /* NULL is a no-op */
/* Stores the n records of rrs whose name and type are those of rrs[0] (the
 * others are skipped), replacing what was there. FALSE when full. */
gboolean sim_dns_cache_put(SimDnsCache *c, SimTime now, const SimDnsRr *rrs, guint n);
/* A negative answer for name (type 0: NXDOMAIN) lasting soa->ttl. */
gboolean sim_dns_cache_put_negative(SimDnsCache *c, SimTime now, const char *name, uint16_t type,
                                    const SimDnsRr *soa);
gboolean sim_dns_cache_get(SimDnsCache *c, SimTime now, const char *name, uint16_t type,
                           SimDnsCacheHit *hit);
guint sim_dns_cache_size(const SimDnsCache *c);
guint64 sim_dns_cache_refused(const SimDnsCache *c); /* puts refused because full */
/* `show NODE dns-cache`: live entries sorted by name, TTLs left. */
void sim_dns_cache_show(SimDnsCache *c, SimTime now, GString *out);
