/* test_l3_linux.c - where the IPv4 stack and ping follow Linux (see
 * docs/design.md, "IPv4 stack: what follows Linux"), run through the netsim
 * command on small topologies written by the test. */
#include "run_netsim.h"

#include "sim/cli/stepper.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

/* Runs `netsim run FILE --quiet` on text written to a fresh temporary file. */
static Run run_topo(const char *text)
{
    g_autofree char *dir = g_dir_make_tmp("netsim-l3linux-XXXXXX", NULL);
    cr_assert_not_null(dir);
    g_autofree char *path = g_build_filename(dir, "t.topo", NULL);
    cr_assert(g_file_set_contents(path, text, -1, NULL));
    Run r = netsim((const char *[]){"run", path, "--quiet", NULL});
    g_remove(path);
    g_rmdir(dir);
    return r;
}

static void expect(const Run *r, const char *needle)
{
    cr_assert(strstr(r->out, needle), "expected \"%s\" in:\n%s\n%s", needle, r->out, r->err);
}

/* ping to an on-link host nobody answers for: the host's own stack gives up
 * ARP after 3 requests (3 s) and reports each waiting request to ping,
 * which prints it as iputils does; the one sent after that fails 3 s later. */
Test(l3linux, ping_reports_its_own_arp_failure)
{
    Run r = run_topo("host a ip 10.0.0.1/24 gateway 10.0.0.254\n"
                     "host b ip 10.0.0.2/24\n"
                     "switch s\n"
                     "link a s\n"
                     "link b s\n"
                     "at 1s a ping 10.0.0.99\n");
    cr_assert_eq(r.status, 0, "%s", r.err);
    expect(&r, "From 10.0.0.1 icmp_seq=1 Destination Host Unreachable\n"
               "From 10.0.0.1 icmp_seq=2 Destination Host Unreachable\n"
               "From 10.0.0.1 icmp_seq=3 Destination Host Unreachable\n"
               "From 10.0.0.1 icmp_seq=4 Destination Host Unreachable\n");
    expect(&r, "4 packets transmitted, 0 received, +4 errors, 100% packet loss, time 3000ms");
    run_free(&r);
    /* The same through the gateway. */
    r = run_topo("host a ip 10.0.0.1/24 gateway 10.0.0.254\n"
                 "at 1s a ping 192.0.2.1 count 1\n");
    expect(&r, "From 10.0.0.1 icmp_seq=1 Destination Host Unreachable\n");
    run_free(&r);
}

/* h - r1 = r2 - b: r1 sends b's traffic over the first of its two links
 * to r2, r2 returns h's over the second; r2 - b has an MTU of 1400. The
 * same network as tests/linux/ref.sh builds in namespaces. */
static const char asym_topo[] = "host h ip 10.0.1.2/24 gateway 10.0.1.1\n"
                                "host b ip 10.0.2.2/24 gateway 10.0.2.1 mtu 1400\n"
                                "router r1\n"
                                "  interface eth0 ip 10.0.1.1/24\n"
                                "  interface eth1 ip 10.0.12.1/30\n"
                                "  interface eth2 ip 10.0.13.1/30\n"
                                "  route 10.0.2.0/24 via 10.0.12.2\n"
                                "router r2\n"
                                "  interface eth0 ip 10.0.12.2/30\n"
                                "  interface eth1 ip 10.0.13.2/30\n"
                                "  interface eth2 ip 10.0.2.1/24 mtu 1400\n"
                                "  route 10.0.1.0/24 via 10.0.13.1\n"
                                "link h r1.eth0\n"
                                "link r1.eth1 r2.eth0\n"
                                "link r1.eth2 r2.eth1\n"
                                "link r2.eth2 b mtu 1400\n";

/* r2 gets h's packets from r1 over one link and returns them over the
 * other. Its Time Exceeded comes from the address of the interface it
 * leaves by (10.0.13.2), as Linux picks it by routing the error back, not
 * from the interface the probe came in by (10.0.12.2). */
Test(l3linux, icmp_error_source_is_the_egress_address_on_an_asymmetric_path)
{
    g_autofree char *text = g_strconcat(asym_topo, "at 1s h traceroute b\n", NULL);
    Run r = run_topo(text);
    cr_assert_eq(r.status, 0, "%s", r.err);
    expect(&r, " 1  10.0.1.1 ");
    expect(&r, " 2  10.0.13.2 ");
    expect(&r, " 3  10.0.2.2 ");
    run_free(&r);
}

static const char pmtu_topo[] = "host a ip 10.0.1.2/24 gateway 10.0.1.1\n"
                                "host b ip 10.0.2.2/24 gateway 10.0.2.1 mtu 1400\n"
                                "router r\n"
                                "  interface eth0 ip 10.0.1.1/24\n"
                                "  interface eth1 ip 10.0.2.1/24 mtu 1400\n"
                                "link a r.eth0\n"
                                "link r.eth1 b mtu 1400\n"
                                "at 1s a ping b count 3 size 1400\n";

/* ping sets DF by default (iputils leaves Linux's IP_PMTUDISC_WANT): the
 * first 1428-byte request meets r's 1400-byte link and draws Frag Needed;
 * a learns the path MTU for 10 minutes and fragments the next requests
 * itself. `pmtudisc do` (-M do) then fails locally; `pmtudisc dont` sends
 * fragments without DF. The cache is shown as `ip route show cache`. */
Test(l3linux, ping_learns_the_path_mtu_and_fragments_locally)
{
    g_autofree char *text = g_strconcat(pmtu_topo,
                                        "at 5s show a route cache\n"
                                        "at 6s a ping b count 2 size 1400 pmtudisc do\n"
                                        "at 9s a ping b count 1 size 1400 pmtudisc dont\n"
                                        "at 600s show a route cache\n"
                                        "at 602s show a route cache\n",
                                        NULL);
    Run r = run_topo(text);
    cr_assert_eq(r.status, 0, "%s", r.err);
    expect(&r, "PING 10.0.2.2 (10.0.2.2) 1400(1428) bytes of data.\n"
               "From 10.0.1.1 icmp_seq=1 Frag needed and DF set (mtu = 1400)\n"
               "1408 bytes from 10.0.2.2: icmp_seq=2 ttl=63 time=");
    expect(&r, "3 packets transmitted, 2 received, +1 errors, 33.3333% packet loss");
    expect(&r, "a# show a route cache\n"
               "10.0.2.2 via 10.0.1.1 dev eth0 src 10.0.1.2\n"
               "    cache expires 596sec mtu 1400\n");
    expect(&r, "ping: local error: message too long, mtu=1400\n"
               "ping: local error: message too long, mtu=1400\n");
    expect(&r, "1 packets transmitted, 1 received, 0% packet loss");
    /* Learned at 1 s: still there at 600 s, gone at 602 s. */
    expect(&r, "    cache expires 1sec mtu 1400\n");
    expect(&r, "a# show a route cache\n(no cached routes)\n");
    run_free(&r);
}

/* A bad -M mode is a located error, exit 2. */
Test(l3linux, bad_pmtudisc_mode_is_a_located_error)
{
    Run r = run_topo("host a ip 10.0.1.2/24\n"
                     "at 1s a ping 10.0.1.3 pmtudisc dnot\n");
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "t.topo:2:32: error: bad pmtudisc 'dnot': expected do, want or dont"),
              "%s", r.err);
    run_free(&r);
}

/* The stepper shows the same cache at the current step. */
Test(l3linux, stepper_shows_the_route_cache)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(SimStepper) st =
        sim_stepper_new("t.topo", pmtu_topo, strlen(pmtu_topo), 1, NULL, &err);
    cr_assert_not_null(st, "%s", err ? err->message : "");
    g_autoptr(GString) out = g_string_new(NULL);
    cr_assert(sim_stepper_exec(st, "show a route cache", out));
    cr_assert(strstr(out->str, "a# show a route cache\n(no cached routes)\n"), "%s", out->str);
    g_string_truncate(out, 0);
    cr_assert(sim_stepper_exec(st, "until 5s", out));
    g_string_truncate(out, 0);
    cr_assert(sim_stepper_exec(st, "show a route cache", out));
    /* `until` stops at the first step after 5 s, so a second may be gone. */
    cr_assert(strstr(out->str, "a# show a route cache\n"
                               "10.0.2.2 via 10.0.1.1 dev eth0 src 10.0.1.2\n"
                               "    cache expires 59"),
              "%s", out->str);
    cr_assert(strstr(out->str, "sec mtu 1400\n"), "%s", out->str);
}

/* ---- the same checks against the Linux kernel --------------------------- */

/* iputils' wording for an ICMP error "type/code/info/offender" as
 * tests/linux/probe.py prints it. */
static char *iputils_line(const char *linux_err)
{
    unsigned t, c, info;
    char from[16];
    cr_assert_eq(sscanf(linux_err, "%u/%u/%u/%15s", &t, &c, &info, from), 4, "%s", linux_err);
    if (t == 3 && c == 0)
        return g_strdup_printf("From %s icmp_seq=1 Destination Net Unreachable\n", from);
    if (t == 3 && c == 4)
        return g_strdup_printf("From %s icmp_seq=1 Frag needed and DF set (mtu = %u)\n", from,
                               info);
    if (t == 11 && c == 0)
        return g_strdup_printf("From %s icmp_seq=1 Time to live exceeded\n", from);
    cr_assert_fail("unexpected ICMP error %s", linux_err);
    return NULL;
}

/* tests/linux/ref.sh builds this network in namespaces and reports what
 * the kernel did; netsim must do the same. Needs root and iproute2
 * (skipped otherwise, and where namespaces cannot be created). */
Test(l3linux, matches_the_linux_kernel_in_network_namespaces, .timeout = 60)
{
    g_autofree char *ip = g_find_program_in_path("ip");
    g_autofree char *py = g_find_program_in_path("python3");
    if (geteuid() != 0 || !ip || !py)
        cr_skip_test("needs root, iproute2 and python3");
    g_autofree char *prefix = g_strdup_printf("n%u", (unsigned)getpid() % 100000);
    g_autofree char *probe =
        g_strdup_printf("sh -c 'ip netns add %sx && ip netns del %sx'", prefix, prefix);
    int status = 0;
    if (!g_spawn_command_line_sync(probe, NULL, NULL, &status, NULL) ||
        !g_spawn_check_wait_status(status, NULL))
        cr_skip_test("cannot create network namespaces here");
    g_autofree char *cmd = g_strdup_printf("sh tests/linux/ref.sh %s", prefix);
    g_autofree char *out = NULL, *err = NULL;
    cr_assert(g_spawn_command_line_sync(cmd, &out, &err, &status, NULL));
    cr_assert(g_spawn_check_wait_status(status, NULL), "ref.sh: %s%s", out, err);
    g_autoptr(GHashTable) k = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
    for (char **l = lines; *l; l++) {
        char *sp = strchr(*l, ' ');
        if (sp)
            g_hash_table_insert(k, g_strndup(*l, (gsize)(sp - *l)), g_strdup(sp + 1));
    }
    const char *keys[] = {"ttl1_no_route",     "ttl2_asymmetric", "pmtudisc_default", "frag_needed",
                          "do_after_learning", "route_cache",     "neigh_10.0.1.99"};
    for (size_t i = 0; i < G_N_ELEMENTS(keys); i++)
        cr_assert(g_hash_table_contains(k, keys[i]), "no %s in:\n%s", keys[i], out);
    cr_assert_str_eq(g_hash_table_lookup(k, "pmtudisc_default"), "1", "Linux sockets: WANT");
    cr_assert_str_eq(g_hash_table_lookup(k, "do_after_learning"), "errno90", "EMSGSIZE");

    g_autofree char *text = g_strconcat(asym_topo,
                                        "at 1s h ping 10.9.9.9 count 1 ttl 1\n"
                                        "at 2s h ping b count 1 ttl 2\n"
                                        "at 3s h ping b count 1 size 1400\n"
                                        "at 4s h ping b count 1 size 1400 pmtudisc do\n"
                                        "at 5s h ping 10.0.1.99 count 1\n"
                                        "at 20s show h route cache\n"
                                        "at 20s show h arp\n",
                                        NULL);
    Run r = run_topo(text);
    cr_assert_eq(r.status, 0, "%s", r.err);
    const char *errs[] = {"ttl1_no_route", "ttl2_asymmetric", "frag_needed"};
    for (size_t i = 0; i < G_N_ELEMENTS(errs); i++) {
        g_autofree char *want = iputils_line(g_hash_table_lookup(k, errs[i]));
        expect(&r, want);
    }
    g_autofree char *local = g_strdup_printf("ping: local error: message too long, mtu=%s\n",
                                             (char *)g_hash_table_lookup(k, "route_cache"));
    expect(&r, local);
    g_autofree char *cache =
        g_strdup_printf("sec mtu %s\n", (char *)g_hash_table_lookup(k, "route_cache"));
    expect(&r, cache);
    g_autofree char *neigh = g_strdup_printf("10.0.1.99 dev eth0 %s\n",
                                             (char *)g_hash_table_lookup(k, "neigh_10.0.1.99"));
    expect(&r, neigh);
    run_free(&r);
}
