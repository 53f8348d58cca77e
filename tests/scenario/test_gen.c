/* test_gen.c - `netsim gen` (sim/cli/cmd_gen.c) and the benchmark summary
 * line of `netsim run`: the generated benchmark topologies load, run to
 * every echo reply, and the frames delivered match a count worked out by
 * hand from the protocol exchanges. */
#include "run_netsim.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static guint count_lines(const char *text, const char *needle)
{
    guint n = 0;
    for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* The value of `key=` in the stats line of a run's stderr. */
static guint64 stat_of(const char *err, const char *key)
{
    const char *line = strstr(err, "netsim: stats ");
    cr_assert_not_null(line, "no stats line in: %s", err);
    g_autofree char *k = g_strdup_printf(" %s=", key);
    const char *v = strstr(line, k);
    cr_assert_not_null(v, "no %s in: %s", key, line);
    return g_ascii_strtoull(v + strlen(k), NULL, 10);
}

/* Generates `kind n` into a temporary file and runs it; returns the run. */
static Run gen_and_run(const char *kind, const char *n, char **path)
{
    g_autoptr(GError) err = NULL;
    int fd = g_file_open_tmp("netsim-gen-XXXXXX.topo", path, &err);
    cr_assert(fd >= 0, "%s", err ? err->message : "");
    close(fd);
    Run g = netsim((const char *const[]){"gen", kind, n, "-o", *path, NULL});
    cr_assert_eq(g.status, 0, "%s", g.err);
    run_free(&g);
    return netsim((const char *const[]){"run", *path, "--trace", "none", NULL});
}

Test(gen, flat_lan_runs_every_ping_and_counts_frames)
{
    g_autofree char *path = NULL;
    Run r = gen_and_run("flat-lan", "20", &path);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_eq(count_lines(r.out, " bytes from 10.0.0."), 200);
    /* Per host: its ARP request to the switch and the flood to the 19
     * others; the reply back through the switch (2); ten echo requests and
     * ten replies, two hops each (40); and 5 s later the replier's
     * unicast ARP probe of the entry it learned from the request and the
     * answer (4). */
    cr_assert_eq(stat_of(r.err, "frames_delivered"), 20 * (1 + 19 + 2 + 40 + 4));
    cr_assert_gt(stat_of(r.err, "events"), stat_of(r.err, "frames_delivered"));
    run_free(&r);
    g_unlink(path);
}

Test(gen, two_lans_runs_every_ping_and_counts_frames)
{
    g_autofree char *path = NULL;
    Run r = gen_and_run("two-lans", "10", &path);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_eq(count_lines(r.out, " bytes from 192.169.0."), 100);
    /* Per pair: each LAN floods one broadcast ARP to its 10 other ports
     * (host -> router in A, router -> host in B), 2 x (1 + 10); the two
     * unicast ARP replies (2 hops each); ten echo requests and ten replies
     * over 4 hops (80); and the two unicast probe exchanges 5 s later
     * (8). */
    cr_assert_eq(stat_of(r.err, "frames_delivered"), 10 * (2 * 11 + 4 + 80 + 8));
    run_free(&r);
    g_unlink(path);
}

Test(gen, generated_files_are_the_documented_scenario)
{
    Run r = netsim((const char *const[]){"gen", "flat-lan", "3", NULL});
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "defaults link rate 1Gbps delay 1us queue 1000\n"));
    cr_assert(strstr(r.out, "switch sw ports 3 mac-table 19\n"));
    cr_assert(strstr(r.out, "host h2 ip 10.0.0.3/16\n"));
    cr_assert(strstr(r.out, "at 1000020us h2 ping 10.0.0.1 count 10 interval 10ms size 56\n"),
              "the last host pings the first");
    run_free(&r);
    r = netsim((const char *const[]){"gen", "two-lans", "300", NULL});
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "host a299 ip 192.168.1.44/16 gateway 192.168.255.254\n"));
    cr_assert(
        strstr(r.out, "at 1002990us a299 ping 192.169.1.44 count 10 interval 10ms size 56\n"));
    run_free(&r);
}

Test(gen, bad_arguments_exit_2)
{
    const char *const bad[][4] = {
        {"gen", "flat-lan", "1", NULL},     {"gen", "two-lans", "0", NULL},
        {"gen", "two-lans", "65001", NULL}, {"gen", "two-lans", "12x", NULL},
        {"gen", "ring", "5", NULL},         {"gen", "two-lans", NULL, NULL},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        Run r = netsim(bad[i]);
        cr_assert_eq(r.status, 2, "case %zu", i);
        cr_assert(strstr(r.err, "netsim gen: "), "case %zu: %s", i, r.err);
        run_free(&r);
    }
}

Test(gen, campus_pings_cross_three_routers_and_two_slow_links)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *path = NULL;
    int fd = g_file_open_tmp("netsim-gen-XXXXXX.topo", &path, &err);
    cr_assert(fd >= 0, "%s", err ? err->message : "");
    close(fd);
    Run g = netsim((const char *const[]){"gen", "campus", "3", "--hosts", "4", "-o", path, NULL});
    cr_assert_eq(g.status, 0, "%s", g.err);
    run_free(&g);
    Run r = netsim((const char *const[]){"run", path, "--trace", "none", NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    /* 3 LANs x 4 hosts x 10 pings, each answered through r<i>, the core and
     * r<i+1> (ttl 64 - 3), two 1 ms links each way: above 4 ms. */
    cr_assert_eq(count_lines(r.out, " bytes from 10."), 120);
    cr_assert_eq(count_lines(r.out, " ttl=61 "), 120);
    cr_assert(strstr(r.out, "l3h3: 64 bytes from 10.1.0.4: icmp_seq=1 ttl=61"), "%s", r.out);
    cr_assert_eq(count_lines(r.out, "rtt min/avg/max/mdev = 4.0"), 12, "%s", r.out);
    run_free(&r);
    g_unlink(path);
    Run bad = netsim((const char *const[]){"gen", "campus", "251", NULL});
    cr_assert_eq(bad.status, 2);
    cr_assert(strstr(bad.err, "from 2 to 250"), "%s", bad.err);
    run_free(&bad);
}
