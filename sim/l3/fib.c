/* fib.c - IPv4 FIB: a hash table per prefix length (design in fib.h). */
#include "sim/l3/fib.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Spelled out: clang-format puts spaces into G_DEFINE_QUARK's argument, and
 * they end up in the quark's name. */
GQuark sim_fib_error_quark(void)
{
    return g_quark_from_static_string("sim-fib-error-quark");
}

#define N_LENGTHS 33
#define ALL_LENGTHS ((UINT64_C(1) << N_LENGTHS) - 1)
#define MIN_SLOTS 8
#define SHORT_LENGTHS ((UINT64_C(1) << 16) - 1) /* /0../15, never summarised */
#define SUMMARY_MIN_PREFIXES 64                 /* build the summary from this many prefixes */
#define SUMMARY_FINE_PREFIXES 65536             /* use /20 blocks from this many */
#define SUMMARY_MIN_STALE 1024                  /* rebuild after max(this, n) removals */

/* All routes of one prefix. */
typedef struct {
    const SimRoute *best; /* routes[0], cached for the lookup path */
    SimRoute **routes;    /* owned, sorted by preference; exact size, as most
                             prefixes hold one route (GPtrArray reserves 16) */
    guint n;
    SimIpv4 net;
    uint8_t len;
} Group;

typedef struct {
    SimIpv4 key;  /* masked network */
    Group *group; /* NULL: empty slot */
} Slot;

typedef struct {
    Slot *slots; /* NULL until the first route of this length */
    uint32_t cap_mask;
    uint32_t count;
    SimIpv4 netmask;
    uint8_t shift; /* 64 - log2(capacity) */
} LenTable;

struct _SimFib {
    uint64_t occupied; /* bit n set when tables[n] holds a prefix */
    /* Per address block (/16, or /20 in big tables): bit n-16 set when the
     * block may hold a /n prefix, n >= 16. NULL in small FIBs. */
    uint32_t *summary;
    uint8_t summary_shift; /* 32 - block bits */
    guint stale;           /* prefixes removed since the summary was built */
    guint n_routes, n_groups;
    LenTable tables[N_LENGTHS];
};

/* Fibonacci hashing: the top bits of the product depend on every key bit,
 * so networks whose low (host) bits are all zero still spread evenly. */
static inline uint32_t slot_of(SimIpv4 key, uint8_t shift)
{
    return (uint32_t)(((uint64_t)key * UINT64_C(0x9E3779B97F4A7C15)) >> shift);
}

/* Bits 0..len: the lengths a lookup limited to /len may probe. */
static inline uint64_t lengths_upto(int len)
{
    return len < 0 ? 0 : (UINT64_C(2) << len) - 1;
}

/* ---- per-length tables --------------------------------------------------- */

static Group *table_find(const LenTable *t, SimIpv4 key)
{
    if (t->slots == NULL)
        return NULL;
    for (uint32_t i = slot_of(key, t->shift);; i = (i + 1) & t->cap_mask) {
        const Slot *s = &t->slots[i];
        if (s->group == NULL)
            return NULL;
        if (s->key == key)
            return s->group;
    }
}

static void table_place(LenTable *t, SimIpv4 key, Group *g)
{
    uint32_t i = slot_of(key, t->shift);
    while (t->slots[i].group != NULL)
        i = (i + 1) & t->cap_mask;
    t->slots[i] = (Slot){key, g};
}

static void table_resize(LenTable *t, uint32_t cap)
{
    Slot *old = t->slots;
    uint32_t old_cap = old ? t->cap_mask + 1 : 0;
    t->slots = g_new0(Slot, cap);
    t->cap_mask = cap - 1;
    t->shift = (uint8_t)(64 - g_bit_storage(cap - 1));
    for (uint32_t i = 0; i < old_cap; i++)
        if (old[i].group != NULL)
            table_place(t, old[i].key, old[i].group);
    g_free(old);
}

static void table_insert(LenTable *t, SimIpv4 key, Group *g)
{
    uint32_t cap = t->slots ? t->cap_mask + 1 : 0;
    /* Load factor <= 1/2 keeps a miss (the common case on the way down from
     * /32) to about two slots. */
    if (t->slots == NULL || 2 * (t->count + 1) > cap)
        table_resize(t, cap ? 2 * cap : MIN_SLOTS);
    table_place(t, key, g);
    t->count++;
}

/* Backward-shift deletion: pulls later members of the cluster into the
 * hole, so no tombstones accumulate. */
static void table_delete(LenTable *t, SimIpv4 key)
{
    uint32_t i = slot_of(key, t->shift);
    while (t->slots[i].key != key || t->slots[i].group == NULL) {
        g_assert(t->slots[i].group != NULL);
        i = (i + 1) & t->cap_mask;
    }
    for (uint32_t j = (i + 1) & t->cap_mask; t->slots[j].group != NULL; j = (j + 1) & t->cap_mask) {
        uint32_t home = slot_of(t->slots[j].key, t->shift);
        /* j may move to the hole i iff i lies cyclically in [home, j). */
        if (((j - home) & t->cap_mask) >= ((j - i) & t->cap_mask)) {
            t->slots[i] = t->slots[j];
            i = j;
        }
    }
    t->slots[i].group = NULL;
    if (--t->count == 0) {
        g_clear_pointer(&t->slots, g_free);
        t->cap_mask = 0;
    }
}

/* ---- lifetime ------------------------------------------------------------ */

SimFib *sim_fib_new(void)
{
    SimFib *fib = g_new0(SimFib, 1);
    for (int len = 0; len < N_LENGTHS; len++)
        fib->tables[len].netmask = sim_ipv4_mask((uint8_t)len);
    return fib;
}

static void group_free(Group *g)
{
    for (guint i = 0; i < g->n; i++)
        g_free(g->routes[i]);
    g_free(g->routes);
    g_free(g);
}

void sim_fib_free(SimFib *fib)
{
    if (fib == NULL)
        return;
    for (int len = 0; len < N_LENGTHS; len++) {
        LenTable *t = &fib->tables[len];
        for (uint32_t i = 0; t->slots && i <= t->cap_mask; i++)
            if (t->slots[i].group != NULL)
                group_free(t->slots[i].group);
        g_free(t->slots);
    }
    g_free(fib->summary);
    g_free(fib);
}

guint sim_fib_size(const SimFib *fib)
{
    return fib->n_routes;
}

/* ---- lookup -------------------------------------------------------------- */

/* The longest matching prefix among the lengths in `lengths`. */
static const Group *lookup_group(const SimFib *fib, SimIpv4 dst, uint64_t lengths)
{
    uint64_t occ = fib->occupied & lengths;
    if (fib->summary != NULL)
        occ &= ((uint64_t)fib->summary[dst >> fib->summary_shift] << 16) | SHORT_LENGTHS;
    while (occ != 0) {
        int len = 63 - __builtin_clzll(occ);
        occ &= ~(UINT64_C(1) << len);
        const LenTable *t = &fib->tables[len];
        SimIpv4 key = dst & t->netmask;
        for (uint32_t i = slot_of(key, t->shift);; i = (i + 1) & t->cap_mask) {
            const Slot *s = &t->slots[i];
            if (s->group == NULL)
                break;
            if (s->key == key)
                return s->group;
        }
    }
    return NULL;
}

const SimRoute *sim_fib_lookup(const SimFib *fib, SimIpv4 dst)
{
    const Group *g = lookup_group(fib, dst, ALL_LENGTHS);
    return g ? g->best : NULL;
}

/* ---- next-hop resolution ------------------------------------------------- */

/* The route for addr, never `self` or another route of self's prefix: a
 * route cannot carry the traffic to its own gateway. */
static const SimRoute *lookup_not_via(const SimFib *fib, SimIpv4 addr, const SimRoute *self)
{
    const Group *g = lookup_group(fib, addr, ALL_LENGTHS);
    if (g != NULL && g->len == self->prefix.len && g->net == self->prefix.addr)
        g = lookup_group(fib, addr, lengths_upto(self->prefix.len - 1));
    return g ? g->best : NULL;
}

/* The most specific connected route of interface ifindex containing addr. */
static const SimRoute *connected_on(const SimFib *fib, int ifindex, SimIpv4 addr)
{
    for (int len = 32; len >= 0; len--) {
        if (!(fib->occupied & (UINT64_C(1) << len)))
            continue;
        const Group *g = table_find(&fib->tables[len], addr & fib->tables[len].netmask);
        for (guint i = 0; g != NULL && i < g->n; i++) {
            const SimRoute *r = g->routes[i];
            if (r->origin == SIM_ROUTE_CONNECTED && r->ifindex == ifindex)
                return r;
        }
    }
    return NULL;
}

static gboolean finish_on_iface(const SimFib *fib, SimIpv4 gw, int ifindex, SimFibNextHop *out,
                                GError **error)
{
    const SimRoute *c = connected_on(fib, ifindex, gw);
    if (c == NULL) {
        char b[SIM_IPV4_STRLEN];
        g_set_error(error, SIM_FIB_ERROR, SIM_FIB_ERROR_UNREACHABLE,
                    "next hop %s is not on a connected subnet of interface %d",
                    sim_ipv4_format(gw, b), ifindex);
        return FALSE;
    }
    out->ifindex = ifindex;
    out->gateway = out->neighbor = gw;
    out->src = c->src;
    return TRUE;
}

static void append_route(GString *s, const SimRoute *r)
{
    char p[SIM_PREFIX_STRLEN], g[SIM_IPV4_STRLEN];
    g_string_append_printf(s, "%s via %s", sim_prefix_format(&r->prefix, p),
                           sim_ipv4_format(r->gateway, g));
}

static void set_loop_error(GError **error, const SimRoute *const *chain, guint n,
                           const SimRoute *again)
{
    if (error == NULL)
        return;
    char b[SIM_IPV4_STRLEN], p[SIM_PREFIX_STRLEN];
    g_autoptr(GString) s = g_string_new(NULL);
    g_string_printf(s,
                    "next hop %s resolves through a loop: ", sim_ipv4_format(chain[0]->gateway, b));
    for (guint i = 0; i < n; i++) {
        append_route(s, chain[i]);
        g_string_append(s, " -> ");
    }
    g_string_append(s, sim_prefix_format(&again->prefix, p));
    g_set_error_literal(error, SIM_FIB_ERROR, SIM_FIB_ERROR_LOOP, s->str);
}

/* Follows r's gateway through the table until an on-link route. */
static gboolean resolve_route(const SimFib *fib, const SimRoute *r, SimIpv4 dst, SimFibNextHop *out,
                              GError **error)
{
    char b[SIM_IPV4_STRLEN];
    out->route = r;
    if (r->gateway == 0) {
        out->ifindex = r->ifindex;
        out->gateway = 0;
        out->neighbor = dst;
        out->src = r->src;
        return TRUE;
    }
    if (r->ifindex >= 0)
        return finish_on_iface(fib, r->gateway, r->ifindex, out, error);

    const SimRoute *chain[SIM_FIB_MAX_DEPTH + 1] = {r};
    guint n = 1;
    for (const SimRoute *cur = r;;) {
        if (n > SIM_FIB_MAX_DEPTH) {
            g_set_error(error, SIM_FIB_ERROR, SIM_FIB_ERROR_TOO_DEEP,
                        "next hop %s needs more than %d recursive lookups",
                        sim_ipv4_format(r->gateway, b), SIM_FIB_MAX_DEPTH);
            return FALSE;
        }
        const SimRoute *next = lookup_not_via(fib, cur->gateway, cur);
        if (next == NULL) {
            g_set_error(error, SIM_FIB_ERROR, SIM_FIB_ERROR_UNREACHABLE,
                        "next hop %s is not on a connected subnet",
                        sim_ipv4_format(cur->gateway, b));
            return FALSE;
        }
        if (next->gateway == 0) {
            out->ifindex = next->ifindex;
            out->gateway = out->neighbor = cur->gateway;
            out->src = next->src;
            return TRUE;
        }
        if (next->ifindex >= 0)
            return finish_on_iface(fib, next->gateway, next->ifindex, out, error);
        for (guint i = 0; i < n; i++) {
            if (chain[i] == next) {
                set_loop_error(error, chain, n, next);
                return FALSE;
            }
        }
        chain[n++] = cur = next;
    }
}

gboolean sim_fib_resolve(const SimFib *fib, SimIpv4 dst, SimFibNextHop *out, GError **error)
{
    const SimRoute *r = sim_fib_lookup(fib, dst);
    if (r == NULL) {
        char b[SIM_IPV4_STRLEN];
        g_set_error(error, SIM_FIB_ERROR, SIM_FIB_ERROR_NO_ROUTE, "no route to %s",
                    sim_ipv4_format(dst, b));
        return FALSE;
    }
    return resolve_route(fib, r, dst, out, error);
}

/* ---- add / remove -------------------------------------------------------- */

static int route_cmp(const SimRoute *a, const SimRoute *b)
{
    if (a->metric != b->metric)
        return a->metric < b->metric ? -1 : 1;
    if (a->origin != b->origin)
        return a->origin < b->origin ? -1 : 1;
    if (a->gateway != b->gateway)
        return a->gateway < b->gateway ? -1 : 1;
    if (a->ifindex != b->ifindex)
        return a->ifindex < b->ifindex ? -1 : 1;
    return 0;
}

static bool same_identity(const SimRoute *a, const SimRoute *b)
{
    return a->origin == b->origin && a->gateway == b->gateway && a->ifindex == b->ifindex;
}

static gboolean check_route(const SimRoute *r, GError **error)
{
    char p[SIM_PREFIX_STRLEN];
    const char *why = NULL;
    if (r->prefix.len > 32) {
        g_set_error(error, SIM_FIB_ERROR, SIM_FIB_ERROR_INVALID,
                    "prefix length %u is out of range (0..32)", r->prefix.len);
        return FALSE;
    }
    if (r->ifindex < -1)
        why = "has an invalid interface index";
    else if (r->origin == SIM_ROUTE_CONNECTED && r->gateway != 0)
        why = "is connected and cannot have a gateway";
    else if (r->origin == SIM_ROUTE_CONNECTED && r->ifindex < 0)
        why = "is connected and needs an interface";
    else if (r->origin == SIM_ROUTE_STATIC && r->gateway == 0 && r->ifindex < 0)
        why = "needs a gateway or an interface";
    else if (r->origin != SIM_ROUTE_CONNECTED && r->origin != SIM_ROUTE_STATIC)
        why = "has an unknown origin";
    if (why != NULL) {
        g_set_error(error, SIM_FIB_ERROR, SIM_FIB_ERROR_INVALID, "route %s %s",
                    sim_prefix_format(&r->prefix, p), why);
        return FALSE;
    }
    return TRUE;
}

static Group *find_group(const SimFib *fib, SimIpv4 net, uint8_t len)
{
    return table_find(&fib->tables[len], net);
}

/* ---- per-block summary --------------------------------------------------- */

/* Without it, a destination that matches only the default route probes every
 * used length (18 with a realistic mix, ~150 ns at 10k routes); with it, a
 * lookup probes only the long lengths that may occur in the destination's
 * block, usually one or two. Bits are set on add and left set on removal: a
 * stale bit costs one useless probe, never a wrong answer, and a rebuild
 * after as many removals as there are prefixes clears them in amortised O(1)
 * per removal, with no per-block counters to store. Lengths under /16 are
 * always probed: one would mark up to all blocks, and tables rarely hold
 * many of them. */
static void summary_mark(SimFib *fib, const Group *g)
{
    if (g->len < 16)
        return;
    int bits = 32 - fib->summary_shift;
    uint32_t first = g->net >> fib->summary_shift;
    uint32_t n = g->len >= bits ? 1 : UINT32_C(1) << (bits - g->len);
    for (uint32_t i = 0; i < n; i++)
        fib->summary[first + i] |= UINT32_C(1) << (g->len - 16);
}

static void summary_build(SimFib *fib)
{
    int bits = fib->n_groups >= SUMMARY_FINE_PREFIXES ? 20 : 16;
    g_free(fib->summary);
    fib->summary = g_new0(uint32_t, UINT32_C(1) << bits);
    fib->summary_shift = (uint8_t)(32 - bits);
    fib->stale = 0;
    for (int len = 16; len < N_LENGTHS; len++) {
        const LenTable *t = &fib->tables[len];
        for (uint32_t i = 0; t->slots && i <= t->cap_mask; i++)
            if (t->slots[i].group != NULL)
                summary_mark(fib, t->slots[i].group);
    }
}

/* After g became a new prefix. */
static void summary_note(SimFib *fib, const Group *g)
{
    if (fib->summary == NULL ? fib->n_groups >= SUMMARY_MIN_PREFIXES
                             : fib->summary_shift == 16 && fib->n_groups >= SUMMARY_FINE_PREFIXES)
        summary_build(fib);
    else if (fib->summary != NULL)
        summary_mark(fib, g);
}

/* After a prefix was removed. Dropping the summary only below half the
 * build threshold keeps a FIB hovering there from rebuilding each time. */
static void summary_forget(SimFib *fib)
{
    if (fib->summary == NULL)
        return;
    if (fib->n_groups < SUMMARY_MIN_PREFIXES / 2)
        g_clear_pointer(&fib->summary, g_free);
    else if (++fib->stale > MAX(SUMMARY_MIN_STALE, fib->n_groups))
        summary_build(fib);
}

static void group_take(SimFib *fib, Group *g, SimRoute *r)
{
    guint i = 0;
    while (i < g->n && route_cmp(g->routes[i], r) < 0)
        i++;
    g->routes = g_renew(SimRoute *, g->routes, g->n + 1);
    memmove(&g->routes[i + 1], &g->routes[i], (g->n - i) * sizeof(SimRoute *));
    g->routes[i] = r;
    g->n++;
    g->best = g->routes[0];
    fib->n_routes++;
}

/* Frees route index i of g, and g itself when it empties. */
static void group_drop(SimFib *fib, Group *g, guint i)
{
    g_free(g->routes[i]);
    memmove(&g->routes[i], &g->routes[i + 1], (g->n - i - 1) * sizeof(SimRoute *));
    g->n--;
    fib->n_routes--;
    if (g->n > 0) {
        g->best = g->routes[0];
        return;
    }
    LenTable *t = &fib->tables[g->len];
    table_delete(t, g->net);
    if (t->count == 0)
        fib->occupied &= ~(UINT64_C(1) << g->len);
    fib->n_groups--;
    summary_forget(fib);
    group_free(g);
}

gboolean sim_fib_add(SimFib *fib, const SimRoute *route, GError **error)
{
    if (!check_route(route, error))
        return FALSE;
    SimRoute *r = g_new(SimRoute, 1);
    *r = *route;
    r->prefix.addr = sim_prefix_network(&route->prefix);

    Group *g = find_group(fib, r->prefix.addr, r->prefix.len);
    for (guint i = 0; g != NULL && i < g->n; i++) {
        if (same_identity(g->routes[i], r)) {
            g_autoptr(GString) s = g_string_new(NULL);
            char p[SIM_PREFIX_STRLEN];
            if (r->gateway != 0)
                append_route(s, r);
            else
                g_string_append_printf(s, "%s on interface %d", sim_prefix_format(&r->prefix, p),
                                       r->ifindex);
            g_set_error(error, SIM_FIB_ERROR, SIM_FIB_ERROR_EXISTS, "%s route %s already exists",
                        r->origin == SIM_ROUTE_CONNECTED ? "connected" : "static", s->str);
            g_free(r);
            return FALSE;
        }
    }
    if (g == NULL) {
        g = g_new0(Group, 1);
        g->net = r->prefix.addr;
        g->len = r->prefix.len;
        table_insert(&fib->tables[g->len], g->net, g);
        fib->occupied |= UINT64_C(1) << g->len;
        fib->n_groups++;
        summary_note(fib, g);
    }
    group_take(fib, g, r);

    /* Checked with the route in place, so a route that would close a loop
     * through itself is caught; on failure the FIB is restored. */
    SimFibNextHop nh;
    if (r->gateway != 0 && !resolve_route(fib, r, r->prefix.addr, &nh, error)) {
        guint i = 0;
        while (g->routes[i] != r)
            i++;
        group_drop(fib, g, i);
        return FALSE;
    }
    return TRUE;
}

gboolean sim_fib_add_connected(SimFib *fib, const SimPrefix *iface_addr, int ifindex,
                               GError **error)
{
    SimRoute r = {
        .prefix = *iface_addr,
        .ifindex = ifindex,
        .origin = SIM_ROUTE_CONNECTED,
        .src = iface_addr->addr,
    };
    return sim_fib_add(fib, &r, error);
}

gboolean sim_fib_remove(SimFib *fib, const SimPrefix *prefix, SimIpv4 gateway)
{
    if (prefix->len > 32)
        return FALSE;
    Group *g = find_group(fib, sim_prefix_network(prefix), prefix->len);
    gboolean removed = FALSE;
    /* Walk backwards: group_drop frees g when its last route goes. */
    for (guint i = g ? g->n : 0; i-- > 0;) {
        const SimRoute *r = g->routes[i];
        if (r->gateway == gateway) {
            bool last = g->n == 1;
            group_drop(fib, g, i);
            removed = TRUE;
            if (last)
                break;
        }
    }
    return removed;
}

/* ---- iteration ----------------------------------------------------------- */

static int group_order(const void *pa, const void *pb)
{
    const Group *a = *(const Group *const *)pa, *b = *(const Group *const *)pb;
    if (a->net != b->net)
        return a->net < b->net ? -1 : 1;
    return (int)b->len - (int)a->len; /* longer prefix first, as fib_trie */
}

/* Every group in display order; caller frees the array only. */
static GPtrArray *sorted_groups(const SimFib *fib)
{
    GPtrArray *all = g_ptr_array_new();
    for (int len = 0; len < N_LENGTHS; len++) {
        const LenTable *t = &fib->tables[len];
        for (uint32_t i = 0; t->slots && i <= t->cap_mask; i++)
            if (t->slots[i].group != NULL)
                g_ptr_array_add(all, t->slots[i].group);
    }
    if (all->len > 1)
        qsort(all->pdata, all->len, sizeof(gpointer), group_order);
    return all;
}

void sim_fib_foreach(const SimFib *fib, SimFibForeachFunc func, gpointer user_data)
{
    g_autoptr(GPtrArray) groups = sorted_groups(fib);
    for (guint i = 0; i < groups->len; i++) {
        const Group *g = g_ptr_array_index(groups, i);
        for (guint j = 0; j < g->n; j++)
            func(g->routes[j], j == 0, user_data);
    }
}

/* ---- display ------------------------------------------------------------- */

typedef struct {
    const SimFib *fib;
    SimFibIfNameFunc ifname;
    gpointer user_data;
    GString *out;
    SimFibStyle style;
} Printer;

static void append_ifname(const Printer *pr, int ifindex)
{
    const char *name = pr->ifname ? pr->ifname(ifindex, pr->user_data) : NULL;
    if (name != NULL)
        g_string_append(pr->out, name);
    else
        g_string_append_printf(pr->out, "if%d", ifindex);
}

/* iproute2 prints "default" for /0 and omits "/32" on host routes. */
const char *sim_fib_route_dst(const SimRoute *r, char *buf)
{
    if (r->prefix.len == 0)
        return strcpy(buf, "default");
    if (r->prefix.len == 32)
        return sim_ipv4_format(r->prefix.addr, buf);
    return sim_prefix_format(&r->prefix, buf);
}

int sim_fib_route_dev(const SimFib *fib, const SimRoute *r)
{
    SimFibNextHop nh;
    if (r->ifindex < 0 && resolve_route(fib, r, r->prefix.addr, &nh, NULL))
        return nh.ifindex;
    return r->ifindex;
}

static void append_linux(const Printer *pr, const SimRoute *r)
{
    char a[SIM_PREFIX_STRLEN];
    GString *s = pr->out;
    g_string_append(s, sim_fib_route_dst(r, a));
    if (r->gateway != 0)
        g_string_append_printf(s, " via %s", sim_ipv4_format(r->gateway, a));
    int dev = sim_fib_route_dev(pr->fib, r);
    if (dev >= 0) {
        g_string_append(s, " dev ");
        append_ifname(pr, dev);
    }
    if (r->origin == SIM_ROUTE_CONNECTED)
        g_string_append(s, " proto kernel");
    if (r->gateway == 0)
        g_string_append(s, " scope link");
    if (r->src != 0)
        g_string_append_printf(s, " src %s", sim_ipv4_format(r->src, a));
    if (r->metric != 0)
        g_string_append_printf(s, " metric %u", r->metric);
}

static void append_cisco(const Printer *pr, const SimRoute *r)
{
    char a[SIM_PREFIX_STRLEN];
    GString *s = pr->out;
    bool connected = r->origin == SIM_ROUTE_CONNECTED;
    g_string_append_printf(s, "%-5s%s",
                           connected            ? "C"
                           : r->prefix.len == 0 ? "S*"
                                                : "S",
                           sim_prefix_format(&r->prefix, a));
    if (r->gateway == 0) {
        g_string_append(s, " is directly connected, ");
        append_ifname(pr, r->ifindex);
        return;
    }
    /* Connected routes always take the branch above. */
    g_string_append_printf(s, " [1/%u] via %s", r->metric, sim_ipv4_format(r->gateway, a));
    if (r->ifindex >= 0) {
        g_string_append(s, ", ");
        append_ifname(pr, r->ifindex);
    }
}

static void print_one(const SimRoute *r, gboolean selected, gpointer data)
{
    const Printer *pr = data;
    if (pr->style == SIM_FIB_STYLE_CISCO && !selected)
        return; /* Cisco shows the routing table's choice only */
    if (pr->style == SIM_FIB_STYLE_CISCO)
        append_cisco(pr, r);
    else
        append_linux(pr, r);
    g_string_append_c(pr->out, '\n');
}

static void append_cisco_header(const Printer *pr)
{
    char b[SIM_IPV4_STRLEN];
    g_string_append(pr->out, "Codes: C - connected, S - static, * - candidate default\n\n");
    const Group *def = find_group(pr->fib, 0, 0);
    if (def != NULL)
        g_string_append_printf(pr->out, "Gateway of last resort is %s to network 0.0.0.0\n\n",
                               sim_ipv4_format(def->best->gateway, b));
    else
        g_string_append(pr->out, "Gateway of last resort is not set\n\n");
}

char *sim_fib_format(const SimFib *fib, SimFibStyle style, SimFibIfNameFunc ifname,
                     gpointer user_data)
{
    Printer pr = {fib, ifname, user_data, g_string_new(NULL), style};
    if (style == SIM_FIB_STYLE_CISCO)
        append_cisco_header(&pr);
    sim_fib_foreach(fib, print_one, &pr);
    return g_string_free(pr.out, FALSE);
}

char *sim_fib_format_route(const SimFib *fib, const SimRoute *route, SimFibStyle style,
                           SimFibIfNameFunc ifname, gpointer user_data)
{
    Printer pr = {fib, ifname, user_data, g_string_new(NULL), style};
    if (style == SIM_FIB_STYLE_CISCO)
        append_cisco(&pr, route);
    else
        append_linux(&pr, route);
    return g_string_free(pr.out, FALSE);
}
