/* dns_zone.h - one authoritative zone: loaded from an RFC 1035 master
 * file (§5) and answering questions as RFC 1034 §4.3.2 says.
 *
 * Design: a zone is a flat array of records in file order (a teaching
 * zone has tens of records; BIND's red-black tree pays off in the
 * millions). A question is answered by scanning it: a delegation (NS
 * records at a name below the apex) on the way down gives a referral with
 * its glue; otherwise the exact name's records, a CNAME followed inside the
 * zone (at most 8 links), NODATA or NXDOMAIN with the SOA in the authority
 * section (its TTL the smaller of the SOA's TTL and its minimum, as RFC
 * 2308 §3 asks, so resolvers cache the negative answer for that long).
 *
 * Master-file subset: `$ORIGIN name`, `$TTL ttl`, records `[owner] [ttl]
 * [IN] type rdata` with types SOA, NS, A, CNAME, MX and TXT; `@` for the
 * origin, names relative to it unless they end in '.', a blank owner
 * repeats the previous one, `;` comments, `( ... )` spanning lines, TTLs in
 * seconds or with BIND's units (30m, 1h, 2d, 1w). $INCLUDE, $GENERATE,
 * escapes in names and classes other than IN are rejected with an error.
 * Checks: the first record is the SOA at the zone's apex, which is the
 * origin; there is one SOA; every owner is at or below the apex; a name
 * with a CNAME has no other data (RFC 1034 §3.6.2); A records below a
 * delegation are glue and are served only as such.
 *
 * Ownership: the caller owns the zone (sim_dns_zone_free).
 */
#pragma once

#include <glib.h>

#include "sim/net/dns_msg.h"

typedef struct _SimDnsZone SimDnsZone;

/* Loads path; on error the message reads "path:line:col: error: ...". */
SimDnsZone *sim_dns_zone_load(const char *path, GError **error);
/* The same from text (len bytes, NUL-terminated at text[len]); path only
 * names it in errors. */
SimDnsZone *sim_dns_zone_parse(const char *path, const char *text, gsize len, GError **error);
void sim_dns_zone_free(SimDnsZone *z); /* NULL is a no-op */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimDnsZone, sim_dns_zone_free)
/* The apex, "" for the root zone. */
const char *sim_dns_zone_origin(const SimDnsZone *z);
/* Whether name is at or below the apex (RFC 1034 "in zone"). */
gboolean sim_dns_zone_contains(const SimDnsZone *z, const char *name);
/* Fills the answer, authority and additional sections and the AA flag and
 * rcode of resp (whose header and question the caller set) for q. */
void sim_dns_zone_answer(const SimDnsZone *z, const SimDnsQuestion *q, SimDnsMsg *resp);
/* The zone in master-file form, one record a line (`show NODE zone`). */
void sim_dns_zone_show(const SimDnsZone *z, GString *out);

/* Shared by the zone, the caches and `show`: whether name is sub or below
 * it (case-insensitive; "" is the root and holds every name). */
gboolean sim_dns_name_under(const char *name, const char *sub);
/* One record as a master-file line without the newline: "www.example.com.
 * 3600 IN A 93.184.216.34". */
void sim_dns_rr_format(const SimDnsRr *rr, GString *out);
