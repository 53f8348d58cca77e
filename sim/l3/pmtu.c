/* pmtu.c - the path MTU cache (RFC 1191) as Linux keeps it: one entry per
 * destination ("next-hop exception" in Linux's FIB), learned from a
 * Fragmentation Needed error about one of our datagrams, lowered only,
 * expiring 10 minutes after it was last set (ip_rt_mtu_expires), and never
 * below 552 bytes (ip_rt_min_pmtu): a smaller report is raised to 552 and
 * locked, and a locked path MTU clears DF even in WANT mode (Linux's
 * __ip_rt_update_pmtu and ip_dont_fragment).
 *
 * Data structure: a GHashTable keyed by GUINT_TO_POINTER(dst), created on
 * first use (most stacks never learn anything), aged lazily on lookup and
 * when shown: no timer per entry. Only the stack's own output reads it, so
 * forwarding never pays for it.
 */
#include "sim/l3/ipstack_priv.h"

typedef struct {
    uint32_t mtu;
    bool locked;
    SimTime expires;
} PmtuEnt;

static PmtuEnt *live(SimIpStack *st, SimIpv4 dst)
{
    PmtuEnt *e = st->pmtu ? g_hash_table_lookup(st->pmtu, GUINT_TO_POINTER(dst)) : NULL;
    if (e && sim_world_now(st->w) >= e->expires) {
        char a[SIM_IPV4_STRLEN];
        SIM_TRACE(st->w, SIM_TR_AGE, SIM_DROP_NONE, st->name, NULL, NULL,
                  "path MTU %u to %s expired (%us)", e->mtu, sim_ipv4_format(dst, a),
                  (unsigned)(SIM_IP_PMTU_EXPIRES / SIM_SEC));
        g_hash_table_remove(st->pmtu, GUINT_TO_POINTER(dst));
        e = NULL;
    }
    return e;
}

uint32_t ip_pmtu_get(SimIpStack *st, SimIpv4 dst, bool *locked)
{
    PmtuEnt *e = st->pmtu ? live(st, dst) : NULL;
    if (locked)
        *locked = e && e->locked;
    return e ? e->mtu : 0;
}

uint32_t sim_ip_pmtu(SimIpStack *st, SimIpv4 dst, SimTime *expires)
{
    PmtuEnt *e = st->pmtu ? live(st, dst) : NULL;
    if (expires)
        *expires = e ? e->expires : 0;
    return e ? e->mtu : 0;
}

void ip_pmtu_learn(SimIpStack *st, SimIpv4 dst, uint32_t mtu)
{
    SimFibNextHop nh;
    SimIpIf *out = sim_fib_resolve(st->fib, dst, &nh, NULL) ? ip_if_by_index(st, nh.ifindex) : NULL;
    if (!out)
        return;
    SimTime now = sim_world_now(st->w);
    PmtuEnt *e = live(st, dst);
    uint32_t old = e ? e->mtu : sim_iface_mtu(out->iface);
    if ((e && e->locked) || mtu > old)
        return; /* only ever lowered */
    bool lock = false;
    if (mtu < SIM_IP_MIN_PMTU) {
        lock = true;
        mtu = MIN(old, SIM_IP_MIN_PMTU);
    }
    /* The same news again refreshes the entry only past half its life. */
    if (e && e->mtu == mtu && !lock && now < e->expires - SIM_IP_PMTU_EXPIRES / 2)
        return;
    if (!st->pmtu)
        st->pmtu = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    if (!e) {
        e = g_new(PmtuEnt, 1);
        g_hash_table_insert(st->pmtu, GUINT_TO_POINTER(dst), e);
    }
    *e = (PmtuEnt){mtu, lock, now + SIM_IP_PMTU_EXPIRES};
    char a[SIM_IPV4_STRLEN];
    SIM_TRACE(st->w, SIM_TR_INFO, SIM_DROP_NONE, st->name, NULL, NULL,
              "path MTU to %s is now %u%s (cached for %us)", sim_ipv4_format(dst, a), mtu,
              lock ? " (locked: below the 552-byte minimum)" : "",
              (unsigned)(SIM_IP_PMTU_EXPIRES / SIM_SEC));
}

static int cmp_addr(gconstpointer a, gconstpointer b)
{
    SimIpv4 x = GPOINTER_TO_UINT(*(gconstpointer *)a), y = GPOINTER_TO_UINT(*(gconstpointer *)b);
    return x < y ? -1 : x > y;
}

void sim_ip_show_route_cache(SimNode *node, GString *out)
{
    SimIpStack *st = sim_ip_stack(node);
    if (!st)
        return;
    gsize before = out->len;
    g_autoptr(GPtrArray) keys = g_ptr_array_new();
    if (st->pmtu) {
        GHashTableIter it;
        gpointer k;
        g_hash_table_iter_init(&it, st->pmtu);
        while (g_hash_table_iter_next(&it, &k, NULL))
            g_ptr_array_add(keys, k);
        g_ptr_array_sort(keys, cmp_addr);
    }
    SimTime now = sim_world_now(st->w);
    for (guint i = 0; i < keys->len; i++) {
        SimIpv4 dst = GPOINTER_TO_UINT(g_ptr_array_index(keys, i));
        PmtuEnt *e = live(st, dst);
        SimFibNextHop nh;
        SimIpIf *ifp =
            e && sim_fib_resolve(st->fib, dst, &nh, NULL) ? ip_if_by_index(st, nh.ifindex) : NULL;
        if (!ifp)
            continue;
        char d[SIM_IPV4_STRLEN], g[SIM_IPV4_STRLEN], s[SIM_IPV4_STRLEN];
        g_string_append(out, sim_ipv4_format(dst, d));
        if (nh.gateway)
            g_string_append_printf(out, " via %s", sim_ipv4_format(nh.gateway, g));
        g_string_append_printf(out, " dev %s src %s\n", sim_iface_name(ifp->iface),
                               sim_ipv4_format(nh.src ? nh.src : ip_if_source_for(ifp, dst), s));
        /* iproute2 prints whole seconds left, rounded down. */
        g_string_append_printf(out, "    cache expires %" G_GUINT64_FORMAT "sec mtu %s%u\n",
                               (guint64)((e->expires - now) / SIM_SEC), e->locked ? "lock " : "",
                               e->mtu);
    }
    if (out->len == before)
        g_string_append(out, "(no cached routes)\n");
}
