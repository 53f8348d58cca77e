/* bench_fib.c - FIB lookups per second with 100, 10k and 1M routes.
 *
 * Routes follow a realistic prefix-length mix (60% /24, 25% /16../23, 15%
 * /25../32, one default) over random networks, with gateways on 16
 * connected /24 subnets. Half of the destinations fall inside a known
 * prefix, half are uniformly random (those mostly end on the default route,
 * the worst case for a /32-down probe). A linear scan over the same routes,
 * the algorithm of ns-3's Ipv4StaticRouting::LookupStatic, is measured on a
 * sample for comparison.
 *
 * Usage: bench_fib [SECONDS_PER_SIZE]   (default 1)
 */
#include "sim/l3/fib.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

#define N_IFACES 16
#define N_DSTS (1u << 20)

static SimRoute random_route(GRand *rng)
{
    SimRoute r = {.origin = SIM_ROUTE_STATIC, .ifindex = -1};
    int pick = g_rand_int_range(rng, 0, 100);
    r.prefix.len = pick < 60   ? 24
                   : pick < 85 ? g_rand_int_range(rng, 16, 24)
                               : g_rand_int_range(rng, 25, 33);
    do
        r.prefix.addr = g_rand_int(rng) & sim_ipv4_mask(r.prefix.len);
    while ((r.prefix.addr >> 16) == 0x6440); /* keep clear of the connected subnets */
    r.gateway = 0x64400000u | ((uint32_t)g_rand_int_range(rng, 0, N_IFACES) << 8) |
                (uint32_t)g_rand_int_range(rng, 2, 254);
    r.metric = (uint32_t)g_rand_int_range(rng, 0, 3);
    return r;
}

static SimFib *build(guint n_routes, GRand *rng, GArray *all, double *add_rate)
{
    SimFib *fib = sim_fib_new();
    gint64 t0 = g_get_monotonic_time();
    for (int i = 0; i < N_IFACES; i++) {
        SimPrefix p = {0x64400001u | ((uint32_t)i << 8), 24};
        if (!sim_fib_add_connected(fib, &p, i, NULL))
            g_error("connected route rejected");
        SimRoute c = {.prefix = {p.addr & 0xffffff00u, 24}, .ifindex = i};
        g_array_append_val(all, c);
    }
    SimRoute def = {
        .prefix = {0, 0}, .gateway = 0x64400001u + 253, .ifindex = -1, .origin = SIM_ROUTE_STATIC};
    if (!sim_fib_add(fib, &def, NULL))
        g_error("default route rejected");
    g_array_append_val(all, def);
    while (sim_fib_size(fib) < n_routes) {
        SimRoute r = random_route(rng);
        if (sim_fib_add(fib, &r, NULL)) /* a rare duplicate is skipped */
            g_array_append_val(all, r);
    }
    *add_rate = sim_fib_size(fib) / ((g_get_monotonic_time() - t0) / 1e6);
    return fib;
}

static void print_mix(const GArray *all)
{
    guint count[33] = {0};
    for (guint i = 0; i < all->len; i++)
        count[g_array_index(all, SimRoute, i).prefix.len]++;
    printf("  prefix-length mix:");
    for (int len = 32; len >= 0; len--)
        if (count[len] != 0)
            printf(" /%d:%u", len, count[len]);
    printf("\n");
}

static SimIpv4 *destinations(const GArray *all, GRand *rng)
{
    SimIpv4 *dst = g_new(SimIpv4, N_DSTS);
    for (guint i = 0; i < N_DSTS; i++) {
        if (i % 2 == 0) {
            dst[i] = g_rand_int(rng);
            continue;
        }
        const SimRoute *r = &g_array_index(all, SimRoute, g_rand_int_range(rng, 0, all->len));
        dst[i] = r->prefix.addr | (g_rand_int(rng) & ~sim_ipv4_mask(r->prefix.len));
    }
    return dst;
}

/* Lookups per second, running whole passes over dst for about `seconds`. */
static double time_fib(const SimFib *fib, const SimIpv4 *dst, double seconds, uintptr_t *sink)
{
    guint64 n = 0;
    gint64 t0 = g_get_monotonic_time(), t;
    do {
        for (guint i = 0; i < N_DSTS; i++)
            *sink += (uintptr_t)sim_fib_lookup(fib, dst[i]);
        n += N_DSTS;
        t = g_get_monotonic_time();
    } while (t - t0 < seconds * 1e6);
    return n / ((t - t0) / 1e6);
}

/* ns-3's LookupStatic: scan every route, keep the longest, then lowest metric. */
static double time_linear(const GArray *all, const SimIpv4 *dst, guint n, uintptr_t *sink)
{
    gint64 t0 = g_get_monotonic_time();
    for (guint i = 0; i < n; i++) {
        const SimRoute *best = NULL;
        for (guint j = 0; j < all->len; j++) {
            const SimRoute *r = &g_array_index(all, SimRoute, j);
            if ((dst[i] & sim_ipv4_mask(r->prefix.len)) != r->prefix.addr)
                continue;
            if (best == NULL || r->prefix.len > best->prefix.len ||
                (r->prefix.len == best->prefix.len && r->metric <= best->metric))
                best = r;
        }
        *sink += (uintptr_t)best;
    }
    return n / ((g_get_monotonic_time() - t0) / 1e6);
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? g_ascii_strtod(argv[1], NULL) : 1.0;
    static const guint sizes[] = {100, 10000, 1000000};
    uintptr_t sink = 0;
    printf("bench_fib: IPv4 FIB longest-prefix match (hash per prefix length)\n");
    printf("  destinations: %u, half inside a known prefix, half uniformly random\n", N_DSTS);
    for (guint k = 0; k < G_N_ELEMENTS(sizes); k++) {
        g_autoptr(GRand) rng = g_rand_new_with_seed(42 + k);
        g_autoptr(GArray) all = g_array_new(FALSE, FALSE, sizeof(SimRoute));
        double add_rate;
        g_autoptr(SimFib) fib = build(sizes[k], rng, all, &add_rate);
        g_autofree SimIpv4 *dst = destinations(all, rng);
        printf("%u routes (%u connected /24, 1 default, rest random static)\n", sim_fib_size(fib),
               N_IFACES);
        print_mix(all);
        time_fib(fib, dst, 0.1, &sink); /* warm caches and page in */
        double rate = time_fib(fib, dst, seconds, &sink);
        /* Keep the scan to ~1e9 route visits. */
        guint n_lin = MAX(10u, MIN(N_DSTS, 1000000000u / all->len));
        double lin = time_linear(all, dst, n_lin, &sink);
        printf("  netsim fib: %8.2f M lookups/s  (%.1f ns each); adds %.2f M/s\n", rate / 1e6,
               1e9 / rate, add_rate / 1e6);
        printf("  linear scan (ns-3 LookupStatic algorithm): %10.4f M lookups/s  (%u sampled)\n",
               lin / 1e6, n_lin);
    }
    printf("(checksum %" G_GUINT64_FORMAT ")\n", (guint64)(sink & 0xffff));
    return 0;
}
