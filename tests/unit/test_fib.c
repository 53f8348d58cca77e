/* test_fib.c - the IPv4 FIB: lookup against a brute-force oracle, selection
 * order, removal, recursive next hops and the two display layouts. */
#include <criterion/criterion.h>
#include <string.h>

#include "sim/l3/fib.h"
#include "sim/net/addr.h"

static SimIpv4 ip(const char *s)
{
    SimIpv4 a = 0;
    cr_assert(sim_ipv4_parse(s, &a, NULL), "bad address %s", s);
    return a;
}

static SimPrefix pfx(const char *s)
{
    SimPrefix p = {0, 0};
    cr_assert(sim_prefix_parse(s, &p, NULL, NULL), "bad prefix %s", s);
    return p;
}

static SimRoute static_route(const char *prefix, const char *via, int ifindex, uint32_t metric)
{
    return (SimRoute){.prefix = pfx(prefix),
                      .gateway = via ? ip(via) : 0,
                      .ifindex = ifindex,
                      .metric = metric,
                      .origin = SIM_ROUTE_STATIC};
}

static void add_ok(SimFib *fib, SimRoute r)
{
    g_autoptr(GError) err = NULL;
    cr_assert(sim_fib_add(fib, &r, &err), "add failed: %s", err ? err->message : "");
    cr_assert_null(err);
}

static void add_connected(SimFib *fib, const char *iface_addr, int ifindex)
{
    g_autoptr(GError) err = NULL;
    SimPrefix p = pfx(iface_addr);
    cr_assert(sim_fib_add_connected(fib, &p, ifindex, &err), "%s", err ? err->message : "");
}

static void add_fails(SimFib *fib, SimRoute r, int code, const char *message)
{
    g_autoptr(GError) err = NULL;
    guint before = sim_fib_size(fib);
    cr_assert_not(sim_fib_add(fib, &r, &err), "accepted a route that should fail");
    cr_assert(g_error_matches(err, SIM_FIB_ERROR, code), "code %d, wanted %d: %s", err->code, code,
              err->message);
    cr_assert_str_eq(err->message, message);
    cr_assert_eq(sim_fib_size(fib), before, "a rejected route changed the FIB");
}

/* ---- oracle ---------------------------------------------------------------- */

/* The specification, written independently of fib.c: longest prefix, then
 * metric, then connected first, then lower gateway, then lower ifindex. */
static int oracle_pref(const SimRoute *a, const SimRoute *b)
{
    if (a->prefix.len != b->prefix.len)
        return a->prefix.len > b->prefix.len ? -1 : 1;
    if (a->metric != b->metric)
        return a->metric < b->metric ? -1 : 1;
    if (a->origin != b->origin)
        return a->origin == SIM_ROUTE_CONNECTED ? -1 : 1;
    if (a->gateway != b->gateway)
        return a->gateway < b->gateway ? -1 : 1;
    if (a->ifindex != b->ifindex)
        return a->ifindex < b->ifindex ? -1 : 1;
    return 0;
}

static bool oracle_contains(const SimRoute *r, SimIpv4 a)
{
    uint32_t mask = r->prefix.len == 0 ? 0 : UINT32_MAX << (32 - r->prefix.len);
    return (a & mask) == (r->prefix.addr & mask);
}

static const SimRoute *oracle_lookup(const GArray *routes, SimIpv4 dst)
{
    const SimRoute *best = NULL;
    for (guint i = 0; i < routes->len; i++) {
        const SimRoute *r = &g_array_index(routes, SimRoute, i);
        if (oracle_contains(r, dst) && (best == NULL || oracle_pref(r, best) < 0))
            best = r;
    }
    return best;
}

static bool same_route(const SimRoute *a, const SimRoute *b)
{
    return a->prefix.addr == b->prefix.addr && a->prefix.len == b->prefix.len &&
           a->gateway == b->gateway && a->ifindex == b->ifindex && a->metric == b->metric &&
           a->origin == b->origin;
}

static char *route_str(const SimRoute *r)
{
    if (r == NULL)
        return g_strdup("(none)");
    char p[SIM_PREFIX_STRLEN], g[SIM_IPV4_STRLEN];
    return g_strdup_printf("%s via %s if %d metric %u %s", sim_prefix_format(&r->prefix, p),
                           sim_ipv4_format(r->gateway, g), r->ifindex, r->metric,
                           r->origin == SIM_ROUTE_CONNECTED ? "connected" : "static");
}

static char *identity_key(const SimRoute *r)
{
    return g_strdup_printf("%08x/%u %08x %d %d", r->prefix.addr, r->prefix.len, r->gateway,
                           r->ifindex, r->origin);
}

#define N_IFACES 16

/* Random routes outside 100.64.0.0/16, where the connected subnets are, so
 * every gateway resolves; many /24, some /16../32, a few defaults. A fifth
 * reuse an earlier prefix and metrics come from a small set, so the
 * tie-breaks are exercised. */
static SimRoute random_route(GRand *rng, const GArray *so_far)
{
    static const uint8_t first[] = {10, 45, 172, 192, 198, 203};
    SimRoute r = {.origin = SIM_ROUTE_STATIC, .ifindex = -1};
    int pick = g_rand_int_range(rng, 0, 100);
    if (so_far->len > N_IFACES && pick < 20) { /* never a connected 100.64 subnet */
        int i = g_rand_int_range(rng, N_IFACES, (gint32)so_far->len);
        r.prefix = g_array_index(so_far, SimRoute, i).prefix;
    } else {
        pick = g_rand_int_range(rng, 0, 1000);
        r.prefix.len = pick < 600   ? 24
                       : pick < 850 ? g_rand_int_range(rng, 16, 24)
                       : pick < 998 ? g_rand_int_range(rng, 25, 33)
                                    : 0;
        r.prefix.addr =
            ((uint32_t)first[g_rand_int_range(rng, 0, 6)] << 24) | (g_rand_int(rng) & 0x00ffffff);
        r.prefix.addr &= r.prefix.len ? UINT32_MAX << (32 - r.prefix.len) : 0;
    }
    static const uint32_t metrics[] = {0, 0, 1, 5, 10};
    r.metric = metrics[g_rand_int_range(rng, 0, 5)];
    int iface = g_rand_int_range(rng, 0, N_IFACES);
    pick = g_rand_int_range(rng, 0, 100);
    if (pick < 5) { /* a connected route on an arbitrary prefix */
        r.origin = SIM_ROUTE_CONNECTED;
        r.ifindex = iface;
    } else if (pick < 10) { /* on-link static: "prefix dev IF" */
        r.ifindex = iface;
    } else { /* via a host of a connected subnet, sometimes with dev */
        r.gateway = (100u << 24) | (64u << 16) | ((uint32_t)iface << 8) |
                    (uint32_t)g_rand_int_range(rng, 2, 6);
        if (pick < 40)
            r.ifindex = iface;
    }
    return r;
}

static void check_against_oracle(const SimFib *fib, const GArray *oracle, GRand *rng, int n)
{
    for (int i = 0; i < n; i++) {
        SimIpv4 dst;
        if (i % 2 == 0) {
            dst = g_rand_int(rng);
        } else { /* inside a known prefix */
            const SimRoute *r =
                &g_array_index(oracle, SimRoute, g_rand_int_range(rng, 0, oracle->len));
            uint32_t host = r->prefix.len == 0 ? UINT32_MAX : ~(UINT32_MAX << (32 - r->prefix.len));
            dst = r->prefix.addr | (g_rand_int(rng) & host);
        }
        const SimRoute *want = oracle_lookup(oracle, dst);
        const SimRoute *got = sim_fib_lookup(fib, dst);
        if ((want == NULL) != (got == NULL) || (want && !same_route(want, got))) {
            char d[SIM_IPV4_STRLEN];
            g_autofree char *w = route_str(want), *g = route_str(got);
            cr_assert_fail("lookup %s: fib gave %s, oracle %s", sim_ipv4_format(dst, d), g, w);
        }
    }
}

Test(fib, matches_brute_force_oracle, .timeout = 600)
{
    g_autoptr(SimFib) fib = sim_fib_new();
    g_autoptr(GRand) rng = g_rand_new_with_seed(20240601);
    g_autoptr(GArray) oracle = g_array_new(FALSE, FALSE, sizeof(SimRoute));
    g_autoptr(GHashTable) ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

    for (int i = 0; i < N_IFACES; i++) {
        g_autofree char *a = g_strdup_printf("100.64.%d.1", i);
        g_autofree char *p = g_strdup_printf("%s/24", a);
        add_connected(fib, p, i);
        SimRoute c = {.prefix = {ip(a) & 0xffffff00, 24},
                      .ifindex = i,
                      .origin = SIM_ROUTE_CONNECTED,
                      .src = ip(a)};
        g_array_append_val(oracle, c);
        g_hash_table_add(ids, identity_key(&c));
    }
    guint dups = 0;
    while (oracle->len < 10000) {
        SimRoute r = random_route(rng, oracle);
        g_autoptr(GError) err = NULL;
        char *key = identity_key(&r);
        bool dup = g_hash_table_contains(ids, key);
        gboolean ok = sim_fib_add(fib, &r, &err);
        if (dup) {
            cr_assert_not(ok);
            cr_assert(g_error_matches(err, SIM_FIB_ERROR, SIM_FIB_ERROR_EXISTS));
            dups++;
            g_free(key);
            continue;
        }
        cr_assert(ok, "route rejected: %s", err ? err->message : "");
        g_hash_table_add(ids, key);
        g_array_append_val(oracle, r);
    }
    cr_assert_eq(sim_fib_size(fib), oracle->len);
    cr_assert_gt(dups, 0, "the generator never produced a duplicate");
    check_against_oracle(fib, oracle, rng, 100000);

    /* Remove a third (by prefix and gateway, as the API does), recheck. */
    for (guint i = 0; i < oracle->len;) {
        SimRoute r = g_array_index(oracle, SimRoute, i);
        if (g_rand_int_range(rng, 0, 3) != 0 || r.prefix.addr >> 16 == 0x6440) {
            i++;
            continue;
        }
        cr_assert(sim_fib_remove(fib, &r.prefix, r.gateway));
        for (guint j = oracle->len; j-- > 0;) {
            const SimRoute *o = &g_array_index(oracle, SimRoute, j);
            if (o->prefix.addr == r.prefix.addr && o->prefix.len == r.prefix.len &&
                o->gateway == r.gateway) {
                g_array_remove_index(oracle, j);
                if (j < i)
                    i--;
            }
        }
        cr_assert_not(sim_fib_remove(fib, &r.prefix, r.gateway), "removed twice");
    }
    cr_assert_eq(sim_fib_size(fib), oracle->len);
    check_against_oracle(fib, oracle, rng, 20000);
}

/* Past 65536 prefixes the FIB switches to a finer lookup summary, and it
 * rebuilds or drops the summary as prefixes go; check answers throughout,
 * removing routes in random order down to an empty table. */
Test(fib, big_table_grows_and_shrinks, .timeout = 600)
{
    g_autoptr(SimFib) fib = sim_fib_new();
    g_autoptr(GRand) rng = g_rand_new_with_seed(7);
    g_autoptr(GArray) oracle = g_array_new(FALSE, FALSE, sizeof(SimRoute));
    g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (int i = 0; i < N_IFACES; i++) {
        SimPrefix p = {(100u << 24) | (64u << 16) | ((uint32_t)i << 8) | 1u, 24};
        cr_assert(sim_fib_add_connected(fib, &p, i, NULL));
        SimRoute c = {.prefix = {p.addr & 0xffffff00, 24}, .ifindex = i, .src = p.addr};
        g_array_append_val(oracle, c);
    }
    /* One route per (prefix, gateway), so each removal removes one route. */
    while (oracle->len < 100000) {
        SimRoute r = random_route(rng, oracle);
        char *key = g_strdup_printf("%08x/%u %08x", r.prefix.addr, r.prefix.len, r.gateway);
        if (!g_hash_table_add(seen, key))
            continue;
        cr_assert(sim_fib_add(fib, &r, NULL));
        g_array_append_val(oracle, r);
    }
    check_against_oracle(fib, oracle, rng, 5000);

    for (guint i = oracle->len - 1; i > 0; i--) { /* Fisher-Yates */
        guint j = (guint)g_rand_int_range(rng, 0, (gint32)i + 1);
        SimRoute t = g_array_index(oracle, SimRoute, i);
        g_array_index(oracle, SimRoute, i) = g_array_index(oracle, SimRoute, j);
        g_array_index(oracle, SimRoute, j) = t;
    }
    static const guint checkpoints[] = {60000, 30000, 5000, 1000, 100, 40, 10, 0};
    for (guint c = 0; c < G_N_ELEMENTS(checkpoints); c++) {
        while (oracle->len > checkpoints[c]) {
            SimRoute r = g_array_index(oracle, SimRoute, oracle->len - 1);
            cr_assert(sim_fib_remove(fib, &r.prefix, r.gateway));
            g_array_set_size(oracle, oracle->len - 1);
        }
        cr_assert_eq(sim_fib_size(fib), oracle->len);
        if (oracle->len > 0)
            check_against_oracle(fib, oracle, rng, 5000);
    }
    cr_assert_null(sim_fib_lookup(fib, 0x0a000001));
}

/* ---- selection ------------------------------------------------------------- */

Test(fib, longest_prefix_wins_over_metric)
{
    g_autoptr(SimFib) fib = sim_fib_new();
    add_connected(fib, "192.168.1.1/24", 0);
    add_ok(fib, static_route("0.0.0.0/0", "192.168.1.254", -1, 0));
    add_ok(fib, static_route("10.0.0.0/8", "192.168.1.2", -1, 100));
    add_ok(fib, static_route("10.1.0.0/16", "192.168.1.3", -1, 200));
    cr_assert_eq(sim_fib_lookup(fib, ip("10.1.2.3"))->gateway, ip("192.168.1.3"));
    cr_assert_eq(sim_fib_lookup(fib, ip("10.2.2.3"))->gateway, ip("192.168.1.2"));
    cr_assert_eq(sim_fib_lookup(fib, ip("11.0.0.1"))->gateway, ip("192.168.1.254"));
    cr_assert_eq(sim_fib_lookup(fib, ip("192.168.1.77"))->origin, SIM_ROUTE_CONNECTED);
    cr_assert_eq(sim_fib_size(fib), 4);
}

Test(fib, metric_then_origin_then_gateway_then_ifindex)
{
    g_autoptr(SimFib) fib = sim_fib_new();
    add_connected(fib, "192.168.1.1/24", 0);
    add_connected(fib, "192.168.2.1/24", 1);
    add_ok(fib, static_route("10.0.0.0/8", "192.168.1.20", -1, 20));
    add_ok(fib, static_route("10.0.0.0/8", "192.168.1.5", -1, 5));
    add_ok(fib, static_route("10.0.0.0/8", "192.168.1.10", -1, 10));
    const SimRoute *r = sim_fib_lookup(fib, ip("10.9.9.9"));
    cr_assert_eq(r->metric, 5);

    /* Same metric: lower gateway wins, whatever the insertion order. */
    add_ok(fib, static_route("10.0.0.0/8", "192.168.1.4", -1, 5));
    cr_assert_eq(sim_fib_lookup(fib, ip("10.9.9.9"))->gateway, ip("192.168.1.4"));
    add_ok(fib, static_route("10.0.0.0/8", "192.168.1.6", -1, 5));
    cr_assert_eq(sim_fib_lookup(fib, ip("10.9.9.9"))->gateway, ip("192.168.1.4"));
    /* Same gateway: the unspecified interface (-1) sorts before 0. */
    add_ok(fib, static_route("10.0.0.0/8", "192.168.1.4", 0, 5));
    r = sim_fib_lookup(fib, ip("10.9.9.9"));
    cr_assert_eq(r->ifindex, -1);
    /* Connected beats static at equal metric, even with a higher "gateway". */
    SimRoute c = {
        .prefix = pfx("10.0.0.0/8"), .ifindex = 1, .metric = 5, .origin = SIM_ROUTE_CONNECTED};
    add_ok(fib, c);
    cr_assert_eq(sim_fib_lookup(fib, ip("10.9.9.9"))->origin, SIM_ROUTE_CONNECTED);
    /* ...but a lower metric beats connected. */
    add_ok(fib, static_route("10.0.0.0/8", "192.168.2.9", -1, 1));
    cr_assert_eq(sim_fib_lookup(fib, ip("10.9.9.9"))->gateway, ip("192.168.2.9"));

    /* Removing the winners walks down the same order. */
    cr_assert(sim_fib_remove(fib, &(SimPrefix){ip("10.0.0.0"), 8}, ip("192.168.2.9")));
    cr_assert_eq(sim_fib_lookup(fib, ip("10.9.9.9"))->origin, SIM_ROUTE_CONNECTED);
    cr_assert(sim_fib_remove(fib, &(SimPrefix){ip("10.0.0.0"), 8}, 0));
    cr_assert(sim_fib_remove(fib, &(SimPrefix){ip("10.0.0.0"), 8}, ip("192.168.1.4")));
    cr_assert_eq(sim_fib_lookup(fib, ip("10.9.9.9"))->gateway, ip("192.168.1.5"));
    cr_assert(sim_fib_remove(fib, &(SimPrefix){ip("10.0.0.0"), 8}, ip("192.168.1.5")));
    cr_assert(sim_fib_remove(fib, &(SimPrefix){ip("10.0.0.0"), 8}, ip("192.168.1.6")));
    cr_assert_eq(sim_fib_lookup(fib, ip("10.9.9.9"))->metric, 10);
    cr_assert_eq(sim_fib_size(fib), 4);
}

Test(fib, remove_falls_back_and_empties)
{
    g_autoptr(SimFib) fib = sim_fib_new();
    add_connected(fib, "192.168.1.1/24", 0);
    add_ok(fib, static_route("0.0.0.0/0", "192.168.1.254", -1, 0));
    add_ok(fib, static_route("10.1.0.0/16", "192.168.1.3", -1, 0));
    SimPrefix p16 = pfx("10.1.77.7/16"); /* host bits are ignored */
    cr_assert_not(sim_fib_remove(fib, &p16, ip("192.168.1.4")), "wrong gateway");
    cr_assert(sim_fib_remove(fib, &p16, ip("192.168.1.3")));
    cr_assert_eq(sim_fib_lookup(fib, ip("10.1.2.3"))->prefix.len, 0);
    SimPrefix def = pfx("0.0.0.0/0");
    cr_assert(sim_fib_remove(fib, &def, ip("192.168.1.254")));
    cr_assert_null(sim_fib_lookup(fib, ip("10.1.2.3")));
    SimPrefix c = pfx("192.168.1.0/24");
    cr_assert(sim_fib_remove(fib, &c, 0));
    cr_assert_null(sim_fib_lookup(fib, ip("192.168.1.1")));
    cr_assert_eq(sim_fib_size(fib), 0);
    /* Reusable after emptying (tables were released). */
    add_connected(fib, "192.168.1.1/24", 0);
    cr_assert_not_null(sim_fib_lookup(fib, ip("192.168.1.9")));
}

Test(fib, host_bits_are_cleared_on_add)
{
    g_autoptr(SimFib) fib = sim_fib_new();
    add_connected(fib, "192.168.10.254/24", 3);
    const SimRoute *r = sim_fib_lookup(fib, ip("192.168.10.1"));
    cr_assert_eq(r->prefix.addr, ip("192.168.10.0"));
    cr_assert_eq(r->src, ip("192.168.10.254"));
    cr_assert_eq(r->ifindex, 3);
}

/* ---- validation and resolution --------------------------------------------- */

Test(fib, duplicates_and_malformed_routes_rejected)
{
    g_autoptr(SimFib) fib = sim_fib_new();
    add_connected(fib, "192.168.1.1/24", 0);
    add_ok(fib, static_route("10.0.0.0/8", "192.168.1.254", -1, 0));
    add_fails(fib, static_route("10.0.0.0/8", "192.168.1.254", -1, 7), SIM_FIB_ERROR_EXISTS,
              "static route 10.0.0.0/8 via 192.168.1.254 already exists");
    SimPrefix p = pfx("192.168.1.9/24");
    g_autoptr(GError) err = NULL;
    cr_assert_not(sim_fib_add_connected(fib, &p, 0, &err));
    cr_assert_str_eq(err->message, "connected route 192.168.1.0/24 on interface 0 already exists");
    /* Same prefix on another interface is a different route. */
    add_connected(fib, "192.168.1.2/24", 1);

    SimRoute bad = {.prefix = pfx("10.0.0.0/8"), .gateway = ip("192.168.1.1"), .ifindex = 0};
    add_fails(fib, bad, SIM_FIB_ERROR_INVALID,
              "route 10.0.0.0/8 is connected and cannot have a gateway");
    add_fails(fib, static_route("10.0.0.0/8", NULL, -1, 0), SIM_FIB_ERROR_INVALID,
              "route 10.0.0.0/8 needs a gateway or an interface");
    SimRoute longp = static_route("10.0.0.0/8", "192.168.1.254", -1, 0);
    longp.prefix.len = 33;
    add_fails(fib, longp, SIM_FIB_ERROR_INVALID, "prefix length 33 is out of range (0..32)");
}

Test(fib, unreachable_next_hop_rejected)
{
    g_autoptr(SimFib) fib = sim_fib_new();
    add_connected(fib, "192.168.10.254/24", 0);
    add_fails(fib, static_route("0.0.0.0/0", "10.9.9.9", -1, 0), SIM_FIB_ERROR_UNREACHABLE,
              "next hop 10.9.9.9 is not on a connected subnet");
    /* Not through itself, even when the prefix covers the gateway... */
    add_fails(fib, static_route("10.0.0.0/8", "10.0.0.1", -1, 0), SIM_FIB_ERROR_UNREACHABLE,
              "next hop 10.0.0.1 is not on a connected subnet");
    /* ...but through a shorter prefix that does reach it. */
    add_connected(fib, "10.0.0.2/16", 1);
    add_ok(fib, static_route("10.0.0.0/24", "10.0.0.1", -1, 0));
    SimFibNextHop nh;
    cr_assert(sim_fib_resolve(fib, ip("10.0.0.77"), &nh, NULL));
    cr_assert_eq(nh.ifindex, 1);
    cr_assert_eq(nh.gateway, ip("10.0.0.1"));
    /* With dev, the gateway must be on that interface's subnet. */
    add_fails(fib, static_route("172.16.0.0/12", "192.168.10.1", 1, 0), SIM_FIB_ERROR_UNREACHABLE,
              "next hop 192.168.10.1 is not on a connected subnet of interface 1");
    add_ok(fib, static_route("172.16.0.0/12", "192.168.10.1", 0, 0));
}

Test(fib, resolve_direct_and_recursive)
{
    g_autoptr(SimFib) fib = sim_fib_new();
    add_connected(fib, "192.168.1.1/24", 0);
    add_connected(fib, "192.168.2.1/24", 1);
    add_ok(fib, static_route("10.0.0.0/8", "192.168.1.254", -1, 0));
    add_ok(fib, static_route("172.16.0.0/12", "10.1.1.1", -1, 0));    /* recursive */
    add_ok(fib, static_route("203.0.113.0/24", "172.16.0.9", -1, 0)); /* two levels */
    add_ok(fib, static_route("198.51.100.0/24", NULL, 1, 0));         /* on-link, dev */

    SimFibNextHop nh;
    g_autoptr(GError) err = NULL;
    cr_assert(sim_fib_resolve(fib, ip("192.168.1.7"), &nh, &err));
    cr_assert_eq(nh.ifindex, 0);
    cr_assert_eq(nh.gateway, 0);
    cr_assert_eq(nh.neighbor, ip("192.168.1.7"));
    cr_assert_eq(nh.src, ip("192.168.1.1"));

    cr_assert(sim_fib_resolve(fib, ip("203.0.113.5"), &nh, &err));
    cr_assert_eq(nh.route->prefix.addr, ip("203.0.113.0"));
    cr_assert_eq(nh.ifindex, 0);
    cr_assert_eq(nh.gateway, ip("192.168.1.254"));
    cr_assert_eq(nh.neighbor, ip("192.168.1.254"));
    cr_assert_eq(nh.src, ip("192.168.1.1"));

    cr_assert(sim_fib_resolve(fib, ip("198.51.100.3"), &nh, &err));
    cr_assert_eq(nh.ifindex, 1);
    cr_assert_eq(nh.neighbor, ip("198.51.100.3"));

    cr_assert_not(sim_fib_resolve(fib, ip("8.8.8.8"), &nh, &err));
    cr_assert(g_error_matches(err, SIM_FIB_ERROR, SIM_FIB_ERROR_NO_ROUTE));
    cr_assert_str_eq(err->message, "no route to 8.8.8.8");
    g_clear_error(&err);

    /* Removing the connected subnet strands the whole chain. */
    SimPrefix lan = pfx("192.168.1.0/24");
    cr_assert(sim_fib_remove(fib, &lan, 0));
    cr_assert_not(sim_fib_resolve(fib, ip("203.0.113.5"), &nh, &err));
    cr_assert(g_error_matches(err, SIM_FIB_ERROR, SIM_FIB_ERROR_UNREACHABLE));
    cr_assert_str_eq(err->message, "next hop 192.168.1.254 is not on a connected subnet");
}

Test(fib, cycle_rejected)
{
    g_autoptr(SimFib) fib = sim_fib_new();
    add_connected(fib, "192.168.1.1/24", 0);
    add_ok(fib, static_route("10.0.0.0/8", "192.168.1.254", -1, 0));
    add_ok(fib, static_route("20.0.0.0/8", "10.0.0.1", -1, 0));
    /* 10.0.0.1 would now resolve through 20/8, whose gateway is 10.0.0.1. */
    add_fails(fib, static_route("10.0.0.1/32", "20.0.0.1", -1, 0), SIM_FIB_ERROR_LOOP,
              "next hop 20.0.0.1 resolves through a loop: 10.0.0.1/32 via 20.0.0.1 -> "
              "20.0.0.0/8 via 10.0.0.1 -> 10.0.0.1/32");
    SimFibNextHop nh;
    cr_assert(sim_fib_resolve(fib, ip("20.5.5.5"), &nh, NULL), "FIB restored after rejection");
    cr_assert_eq(nh.gateway, ip("192.168.1.254"));
}

Test(fib, recursion_depth_bounded)
{
    g_autoptr(SimFib) fib = sim_fib_new();
    add_connected(fib, "192.168.1.1/24", 0);
    add_ok(fib, static_route("10.0.0.1/32", "192.168.1.254", -1, 0));
    char p[32], g[32];
    /* 10.0.0.k needs k lookups to reach the connected subnet. */
    for (int k = 2; k <= SIM_FIB_MAX_DEPTH; k++) {
        g_snprintf(p, sizeof p, "10.0.0.%d/32", k);
        g_snprintf(g, sizeof g, "10.0.0.%d", k - 1);
        add_ok(fib, static_route(p, g, -1, 0));
    }
    g_snprintf(p, sizeof p, "10.0.0.%d/32", SIM_FIB_MAX_DEPTH + 1);
    g_snprintf(g, sizeof g, "10.0.0.%d", SIM_FIB_MAX_DEPTH);
    add_fails(fib, static_route(p, g, -1, 0), SIM_FIB_ERROR_TOO_DEEP,
              "next hop 10.0.0.8 needs more than 8 recursive lookups");
    SimFibNextHop nh;
    cr_assert(sim_fib_resolve(fib, ip("10.0.0.8"), &nh, NULL));
    cr_assert_eq(nh.gateway, ip("192.168.1.254"));
}

/* ---- iteration and display ------------------------------------------------- */

static const char *names(int ifindex, gpointer data)
{
    static const char *const n[] = {"eth0", "eth1", "eth2"};
    return ifindex >= 0 && ifindex < 3 ? n[ifindex] : NULL;
}

static SimFib *r1_fib(void)
{
    SimFib *fib = sim_fib_new();
    add_connected(fib, "192.168.10.254/24", 0);
    add_connected(fib, "10.0.0.2/24", 1);
    add_connected(fib, "192.168.20.254/24", 2);
    add_ok(fib, static_route("0.0.0.0/0", "10.0.0.9", -1, 20));
    add_ok(fib, static_route("0.0.0.0/0", "10.0.0.1", -1, 0));
    add_ok(fib, static_route("10.0.0.0/8", "10.0.0.3", -1, 0));
    add_ok(fib, static_route("172.16.9.9/32", "10.0.0.6", 1, 0));
    add_ok(fib, static_route("172.16.0.0/16", "10.0.0.5", -1, 0));
    add_ok(fib, static_route("198.51.100.0/24", NULL, 2, 3));
    return fib;
}

static void collect(const SimRoute *r, gboolean selected, gpointer data)
{
    char p[SIM_PREFIX_STRLEN];
    g_string_append_printf(data, "%s%s ", sim_prefix_format(&r->prefix, p), selected ? "*" : "");
}

Test(fib, foreach_in_ip_route_order)
{
    g_autoptr(SimFib) fib = r1_fib();
    g_autoptr(GString) s = g_string_new(NULL);
    sim_fib_foreach(fib, collect, s);
    cr_assert_str_eq(s->str, "0.0.0.0/0* 0.0.0.0/0 10.0.0.0/24* 10.0.0.0/8* 172.16.0.0/16* "
                             "172.16.9.9/32* 192.168.10.0/24* 192.168.20.0/24* "
                             "198.51.100.0/24* ");
}

Test(fib, format_linux_golden)
{
    g_autoptr(SimFib) fib = r1_fib();
    g_autofree char *s = sim_fib_format(fib, SIM_FIB_STYLE_LINUX, names, NULL);
    cr_assert_str_eq(s, "default via 10.0.0.1 dev eth1\n"
                        "default via 10.0.0.9 dev eth1 metric 20\n"
                        "10.0.0.0/24 dev eth1 proto kernel scope link src 10.0.0.2\n"
                        "10.0.0.0/8 via 10.0.0.3 dev eth1\n"
                        "172.16.0.0/16 via 10.0.0.5 dev eth1\n"
                        "172.16.9.9 via 10.0.0.6 dev eth1\n"
                        "192.168.10.0/24 dev eth0 proto kernel scope link src 192.168.10.254\n"
                        "192.168.20.0/24 dev eth2 proto kernel scope link src 192.168.20.254\n"
                        "198.51.100.0/24 dev eth2 scope link metric 3\n");
}

typedef struct {
    const SimFib *fib;
    GString *out;
} Columns;

static void collect_columns(const SimRoute *r, gboolean selected, gpointer data)
{
    (void)selected;
    Columns *c = data;
    char p[SIM_PREFIX_STRLEN];
    g_string_append_printf(c->out, "%s if%d|", sim_fib_route_dst(r, p),
                           sim_fib_route_dev(c->fib, r));
}

/* The two columns diagrams read are the ones `ip route` prints above:
 * default, a bare /32, and the interface a route by gateway resolves to. */
Test(fib, route_columns_match_the_linux_format)
{
    g_autoptr(SimFib) fib = r1_fib();
    g_autoptr(GString) s = g_string_new(NULL);
    sim_fib_foreach(fib, collect_columns, &(Columns){fib, s});
    cr_assert_str_eq(s->str, "default if1|default if1|10.0.0.0/24 if1|10.0.0.0/8 if1|"
                             "172.16.0.0/16 if1|172.16.9.9 if1|192.168.10.0/24 if0|"
                             "192.168.20.0/24 if2|198.51.100.0/24 if2|");
}

Test(fib, format_cisco_golden)
{
    g_autoptr(SimFib) fib = r1_fib();
    g_autofree char *s = sim_fib_format(fib, SIM_FIB_STYLE_CISCO, names, NULL);
    cr_assert_str_eq(s, "Codes: C - connected, S - static, * - candidate default\n"
                        "\n"
                        "Gateway of last resort is 10.0.0.1 to network 0.0.0.0\n"
                        "\n"
                        "S*   0.0.0.0/0 [1/0] via 10.0.0.1\n"
                        "C    10.0.0.0/24 is directly connected, eth1\n"
                        "S    10.0.0.0/8 [1/0] via 10.0.0.3\n"
                        "S    172.16.0.0/16 [1/0] via 10.0.0.5\n"
                        "S    172.16.9.9/32 [1/0] via 10.0.0.6, eth1\n"
                        "C    192.168.10.0/24 is directly connected, eth0\n"
                        "C    192.168.20.0/24 is directly connected, eth2\n"
                        "S    198.51.100.0/24 is directly connected, eth2\n");
}

Test(fib, format_single_routes_and_fallback_names)
{
    g_autoptr(SimFib) fib = sim_fib_new();
    add_connected(fib, "10.0.0.2/24", 1);
    add_connected(fib, "192.168.10.254/24", 7); /* no name: if7 */
    add_ok(fib, static_route("0.0.0.0/0", "10.0.0.1", -1, 10));
    const SimRoute *def = sim_fib_lookup(fib, ip("8.8.8.8"));
    const SimRoute *lan = sim_fib_lookup(fib, ip("192.168.10.1"));
    g_autofree char *l1 = sim_fib_format_route(fib, def, SIM_FIB_STYLE_LINUX, names, NULL);
    g_autofree char *l2 = sim_fib_format_route(fib, lan, SIM_FIB_STYLE_LINUX, names, NULL);
    g_autofree char *c1 = sim_fib_format_route(fib, def, SIM_FIB_STYLE_CISCO, names, NULL);
    g_autofree char *c2 = sim_fib_format_route(fib, lan, SIM_FIB_STYLE_CISCO, NULL, NULL);
    cr_assert_str_eq(l1, "default via 10.0.0.1 dev eth1 metric 10");
    cr_assert_str_eq(l2, "192.168.10.0/24 dev if7 proto kernel scope link src 192.168.10.254");
    cr_assert_str_eq(c1, "S*   0.0.0.0/0 [1/10] via 10.0.0.1");
    cr_assert_str_eq(c2, "C    192.168.10.0/24 is directly connected, if7");

    g_autoptr(SimFib) empty = sim_fib_new();
    g_autofree char *e1 = sim_fib_format(empty, SIM_FIB_STYLE_LINUX, names, NULL);
    g_autofree char *e2 = sim_fib_format(empty, SIM_FIB_STYLE_CISCO, names, NULL);
    cr_assert_str_eq(e1, "");
    cr_assert_str_eq(e2, "Codes: C - connected, S - static, * - candidate default\n\n"
                         "Gateway of last resort is not set\n\n");
}
