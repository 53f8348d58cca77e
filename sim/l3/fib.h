/* fib.h - the IPv4 forwarding information base of a host, router or L3 switch.
 *
 * Design: one open-addressing hash table per prefix length, keyed by the
 * masked network, probed from /32 down to /0 (the scheme of BIRD's
 * fib_route). A 33-bit occupancy mask skips the lengths that hold no route,
 * so a lookup costs at most one probe per *used* length: it depends on the
 * prefix-length mix, not on the number of routes. From 64 prefixes on, a
 * summary per /16 address block (per /20 past 65536 prefixes; 256 KiB or
 * 4 MiB) narrows that further to the lengths /16../32 that occur in the
 * destination's block, so a miss on the way to the default route costs one
 * or two probes instead of ~18. Tables use linear probing with a
 * multiplicative hash, load factor <= 1/2 and backward-shift deletion (no
 * tombstones, so removals never slow lookups down). A lookup does not
 * allocate and calls no function pointers.
 *
 * All routes for one prefix form a group kept sorted by preference; the hash
 * slot points at the group, whose first route is the one lookups return.
 *
 * Complexity: lookup O(L), L <= 33 used lengths (in practice the few in the
 * destination's block); add/remove O(1) expected plus O(k) for the k routes
 * sharing the prefix, and amortised O(1) summary upkeep; iteration
 * O(n log n) (it sorts). Measured by tests/bench/bench_fib.c.
 *
 * Rejected: GHashTable (hashes through function pointers, one allocation per
 * entry); a linear scan as in ns-3's Ipv4StaticRouting (O(n) per packet); a
 * path-compressed trie as in Linux's fib_trie (faster in the worst case, but
 * several times the code for tables of a few hundred routes).
 *
 * Selection. Among the routes whose prefix contains the destination:
 *   1. the longest prefix;
 *   2. then the lowest metric;
 *   3. then connected before static;
 *   4. then the lower gateway address (0, directly connected, first);
 *   5. then the lower interface index (-1, unspecified, first).
 * A prefix cannot hold two routes equal in (origin, gateway, ifindex): adding
 * one is an error, so the order is total and never depends on insertion
 * order. (ns-3's Ipv4StaticRouting instead lets the later-added route win
 * among equal prefix length and metric; Linux refuses such a route unless
 * it is appended, and then uses the first.)
 *
 * Next hops. A static route's gateway must be on a connected subnet (or an
 * on-link "dev" route), or be reachable through other routes whose chain ends on one (recursive
 * resolution, at most SIM_FIB_MAX_DEPTH lookups, loops detected). A route
 * never resolves its own gateway through itself: the lookup then falls back
 * to shorter prefixes, so "default via 10.0.0.1" with no 10.0.0.0/x subnet is
 * rejected rather than looping. sim_fib_add() checks this when the route is
 * added (as Linux's `ip route add` does), which makes configuration order
 * matter: add connected routes first. Removing a route can leave others
 * unresolvable; sim_fib_resolve() reports that at forwarding time.
 */
#pragma once

#include "sim/net/addr.h"

#include <glib.h>
#include <stdint.h>

#define SIM_FIB_ERROR (sim_fib_error_quark())
GQuark sim_fib_error_quark(void);
typedef enum {
    SIM_FIB_ERROR_INVALID,     /* malformed route */
    SIM_FIB_ERROR_EXISTS,      /* same prefix, origin, gateway and interface */
    SIM_FIB_ERROR_NO_ROUTE,    /* no route to the destination */
    SIM_FIB_ERROR_UNREACHABLE, /* next hop not on a connected subnet */
    SIM_FIB_ERROR_LOOP,        /* recursive resolution loops */
    SIM_FIB_ERROR_TOO_DEEP,    /* more than SIM_FIB_MAX_DEPTH recursive lookups */
} SimFibError;

/* Recursive lookups allowed to resolve one next hop. */
#define SIM_FIB_MAX_DEPTH 8

typedef enum {
    SIM_ROUTE_CONNECTED, /* from an interface prefix; sorts first on ties */
    SIM_ROUTE_STATIC,
} SimRouteOrigin;

typedef struct {
    SimPrefix prefix; /* host bits are cleared when the route is added */
    SimIpv4 gateway;  /* 0 = destination is on-link */
    int ifindex;      /* -1 = resolve through the gateway */
    uint32_t metric;  /* lower wins among equal prefixes */
    SimRouteOrigin origin;
    SimIpv4 src; /* preferred source, shown as "src" (connected: the
                    interface's address); 0 = none. Not part of identity. */
} SimRoute;

/* The answer to "where does a packet for dst go". */
typedef struct {
    const SimRoute *route; /* the longest-prefix match for dst */
    int ifindex;           /* outgoing interface */
    SimIpv4 gateway;       /* final on-link gateway; 0 when dst is on-link */
    SimIpv4 neighbor;      /* address to ARP for: gateway, or dst if on-link */
    SimIpv4 src;           /* src of the connected route used; 0 if none */
} SimFibNextHop;

typedef struct _SimFib SimFib;

SimFib *sim_fib_new(void);
void sim_fib_free(SimFib *fib); /* frees every route; NULL is a no-op */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimFib, sim_fib_free)

/* Copies *route into the FIB. Connected routes need ifindex >= 0 and no
 * gateway; static ones a gateway or an interface (or both: then the gateway
 * must be on a connected subnet of that interface). Fails with EXISTS for a
 * second route with the same prefix, origin, gateway and interface (whatever
 * its metric), and with UNREACHABLE / LOOP / TOO_DEEP when the gateway does
 * not resolve; the FIB is then unchanged. */
gboolean sim_fib_add(SimFib *fib, const SimRoute *route, GError **error);
/* The connected route of an interface address such as 192.168.10.254/24:
 * network 192.168.10.0/24, src 192.168.10.254, metric 0. */
gboolean sim_fib_add_connected(SimFib *fib, const SimPrefix *iface_addr, int ifindex,
                               GError **error);
/* Removes every route for *prefix (host bits ignored) with this gateway,
 * whatever its interface or origin; gateway 0 removes the on-link ones.
 * Returns TRUE if any was removed. Pointers to removed routes dangle. */
gboolean sim_fib_remove(SimFib *fib, const SimPrefix *prefix, SimIpv4 gateway);

/* Longest-prefix match, ties broken as above; NULL when nothing matches.
 * The pointer stays valid until that route is removed or the FIB freed.
 * Does not allocate. */
const SimRoute *sim_fib_lookup(const SimFib *fib, SimIpv4 dst);
/* Lookup plus recursive next-hop resolution. On failure *error says why,
 * e.g. "no route to 10.1.2.3" or "next hop 10.9.9.9 is not on a connected
 * subnet". Allocates only on failure (the message). */
gboolean sim_fib_resolve(const SimFib *fib, SimIpv4 dst, SimFibNextHop *out, GError **error);

guint sim_fib_size(const SimFib *fib); /* number of routes */

/* Visits every route in `ip route` order: network address ascending, then
 * prefix length descending (as Linux's fib_trie dumps a leaf), then by the
 * preference above. `selected` is TRUE for the route lookups return for that
 * prefix. The FIB must not be modified during the walk. */
typedef void (*SimFibForeachFunc)(const SimRoute *route, gboolean selected, gpointer user_data);
void sim_fib_foreach(const SimFib *fib, SimFibForeachFunc func, gpointer user_data);

/* ---- display ------------------------------------------------------------ */

typedef enum {
    /* `ip route`: every route, e.g.
     *   default via 10.0.0.1 dev eth1 metric 10
     *   192.168.10.0/24 dev eth0 proto kernel scope link src 192.168.10.254 */
    SIM_FIB_STYLE_LINUX,
    /* Cisco `show ip route`: the codes/gateway-of-last-resort header, then
     * the selected route of each prefix, e.g.
     *   S*   0.0.0.0/0 [1/0] via 10.0.0.1
     *   C    192.168.10.0/24 is directly connected, eth0
     * The bracket is [distance/metric]: distance is Cisco's default (0
     * connected, 1 static; connected lines do not show it) and metric is
     * the route's own. */
    SIM_FIB_STYLE_CISCO,
} SimFibStyle;

/* Names an interface for display; returning NULL prints "if<N>". Keeps the
 * FIB independent of the interface module. */
typedef const char *(*SimFibIfNameFunc)(int ifindex, gpointer user_data);

/* A route's two `ip route` columns, for displays that lay routes out
 * themselves (diagram tables). The destination: "default" for /0, the bare
 * address for /32, else the prefix; returns buf. */
const char *sim_fib_route_dst(const SimRoute *r, char *buf); /* buf >= SIM_PREFIX_STRLEN */
/* The interface: the route's own, or for a route by gateway alone the one
 * the gateway resolves to; -1 when it resolves to none. */
int sim_fib_route_dev(const SimFib *fib, const SimRoute *r);

/* The whole table, newline-terminated lines; caller g_free()s. Routes
 * without an interface show the one their gateway resolves to (Linux). */
char *sim_fib_format(const SimFib *fib, SimFibStyle style, SimFibIfNameFunc ifname,
                     gpointer user_data);
/* One route as a line without the newline (for traces); caller g_free()s.
 * In the Cisco style a route is shown as if selected. */
char *sim_fib_format_route(const SimFib *fib, const SimRoute *route, SimFibStyle style,
                           SimFibIfNameFunc ifname, gpointer user_data);
