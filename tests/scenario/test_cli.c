/* The netsim command as a user runs it: every shipped topology checks clean
 * and runs to its expected outcome; bad input exits 2 with a located error;
 * runs are deterministic. */
#include "run_netsim.h"
#include "sim/net/packet.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

static const char *const topologies[] = {
    "two-pcs",          "dorm-room",       "hub-vs-switch",
    "two-dorms-joined", "broadcast-storm", "dorms-router",
    "enterprise",       "internet",        "home",
};

Test(cli, every_topology_checks_clean)
{
    for (size_t i = 0; i < G_N_ELEMENTS(topologies); i++) {
        g_autofree char *path = g_strdup_printf("topologies/%s.topo", topologies[i]);
        Run r = netsim((const char *[]){"check", path, NULL});
        cr_assert_eq(r.status, 0, "%s: %s", path, r.err);
        cr_assert(strstr(r.out, "nodes: "), "%s: no summary", path);
        /* Only the storm topology is meant to warn (its loop). */
        bool storm = strcmp(topologies[i], "broadcast-storm") == 0;
        cr_assert_eq(strstr(r.out, "warning: link closes a switch loop") != NULL, storm, "%s: %s",
                     path, r.out);
        run_free(&r);
    }
}

static Run run_quiet(const char *name, const char *extra)
{
    g_autofree char *path = g_strdup_printf("topologies/%s.topo", name);
    if (extra)
        return netsim((const char *[]){"run", path, "--quiet", extra, NULL});
    return netsim((const char *[]){"run", path, "--quiet", NULL});
}

static void expect(const Run *r, const char *needle)
{
    cr_assert(strstr(r->out, needle), "expected \"%s\" in:\n%s", needle, r->out);
}

Test(cli, topologies_run_to_their_expected_outcomes)
{
    Run r = run_quiet("two-pcs", NULL);
    cr_assert_eq(r.status, 0);
    expect(&r, "4 packets transmitted, 4 received, 0% packet loss");
    expect(&r, "192.168.1.2 dev eth0 lladdr 02:00:00:00:00:02 REACHABLE");
    run_free(&r);

    r = run_quiet("dorm-room", NULL);
    expect(&r, "2 packets transmitted, 2 received");
    expect(&r, "MAC address table of swA (2 entries)"); /* only alex and yuchao spoke */
    expect(&r, "MAC address table of swA (4 entries)");
    run_free(&r);

    r = run_quiet("dorms-router", NULL);
    expect(&r, "64 bytes from 192.168.20.1: icmp_seq=1 ttl=63");
    expect(&r, "3 packets transmitted, 3 received, 0% packet loss");
    expect(&r, " 1  192.168.10.254 ");
    expect(&r, " 2  192.168.20.2 ");
    /* alex's ARP cache holds the gateway, never the far host. */
    expect(&r, "192.168.10.254 dev eth0 lladdr");
    cr_assert_null(strstr(r.out, "192.168.20.1 dev eth0"));
    run_free(&r);

    r = run_quiet("hub-vs-switch", NULL);
    expect(&r, "alex: --- 10.0.1.2 ping statistics ---\nalex: 2 packets transmitted, 2 received");
    expect(&r, "alex2: --- 10.0.2.2 ping statistics ---\nalex2: 2 packets transmitted, 2 "
               "received");
    run_free(&r);

    r = run_quiet("two-dorms-joined", NULL);
    expect(&r, "3 packets transmitted, 3 received");
    run_free(&r);

    r = run_quiet("enterprise", NULL);
    expect(&r, "eng1: --- 10.1.100.10 ping statistics ---\neng1: 2 packets transmitted, 2 "
               "received");
    expect(&r, "64 bytes from 10.1.100.10: icmp_seq=1 ttl=63"); /* routed by the L3 switch */
    expect(&r, "64 bytes from 198.51.100.10: icmp_seq=1 ttl=61");
    expect(&r, " 1  10.1.30.1 ");
    expect(&r, " 4  198.51.100.10 ");
    expect(&r, "64 bytes from 10.1.30.12: icmp_seq=1 ttl=64"); /* VLAN 30 across two trunks */
    /* RSTP: the floor-to-floor trunk's sw-floor2 end discards until the
     * uplink fails, then is the root port; no ping is lost across it. */
    expect(&r, "sw-floor2# show sw-floor2 spanning-tree\n");
    expect(&r, "p47              Altn BLK 4         128.47   P2p\n"
               "p48              Root FWD 4         128.48   P2p\n");
    expect(&r, "p47              Root FWD 4         128.47   P2p\n");
    expect(&r, "sales1: 6 packets transmitted, 6 received, 0% packet loss");
    run_free(&r);

    r = run_quiet("internet", NULL);
    expect(&r, "64 bytes from 203.0.113.10: icmp_seq=1 ttl=60");
    expect(&r, " 4  198.51.100.2 ");
    expect(&r, " 5  203.0.113.10 ");
    expect(&r, "4008 bytes from 203.0.113.10: icmp_seq=1 ttl=60"); /* fragmented and reassembled */
    run_free(&r);

    r = run_quiet("broadcast-storm", "--until=2ms");
    cr_assert_eq(r.status, 0);
    expect(&r, "swA     p4     storm");
    expect(&r, "broadcast storm: the same frame arrived");
    run_free(&r);
}

static void write_file(const char *path, const char *text)
{
    cr_assert(g_file_set_contents(path, text, -1, NULL));
}

/* Every command that takes a topology file says so, by name, when it gets
 * none, two, or an unknown option, and exits 2 without running anything. */
Test(cli, usage_errors_exit_2_naming_the_command)
{
    static const char *const cmds[] = {"check", "run", "step", "dot"};
    for (size_t i = 0; i < G_N_ELEMENTS(cmds); i++) {
        const char *const *cases[] = {
            (const char *[]){cmds[i], NULL},
            (const char *[]){cmds[i], "topologies/two-pcs.topo", "topologies/dorm-room.topo", NULL},
            (const char *[]){cmds[i], "--no-such-option", "topologies/two-pcs.topo", NULL},
        };
        for (size_t c = 0; c < G_N_ELEMENTS(cases); c++) {
            Run r = netsim(cases[c]);
            g_autofree char *prefix = g_strdup_printf("netsim %s: ", cmds[i]);
            cr_assert_eq(r.status, 2, "%s case %zu: status %d", cmds[i], c, r.status);
            cr_assert(g_str_has_prefix(r.err, prefix), "%s case %zu: %s", cmds[i], c, r.err);
            cr_assert_str_empty(r.out, "%s case %zu printed: %s", cmds[i], c, r.out);
            if (c < 2)
                cr_assert(strstr(r.err, "expected one topology file"), "%s", r.err);
            run_free(&r);
        }
    }
}

static guint count_substr(const char *s, const char *needle)
{
    guint n = 0;
    for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* An overload the real machine could not hold is simulated as drops: 2,000
 * echo requests of 1 KB fired at once into a 1 Mbps link with a 100,000
 * frame queue. With a 1 MB buffer budget (682 buffers of SIM_PACKET_FRAME,
 * 1536 bytes, the class a 1042-byte frame takes) a keeps exactly 682 (one
 * on the wire, 681 queued) and drops 1,318 as 'buffer memory limit'; b's
 * second echo reply, queued 8 ms later behind its first while a's 682
 * still fill the budget, is dropped too. With the default budget nothing
 * is. */
Test(cli, buffer_budget_turns_overload_into_traced_drops)
{
    g_autofree char *dir = g_dir_make_tmp("netsim-cli-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "burst.topo", NULL);
    write_file(path, "host a ip 10.0.0.1/24\nhost b ip 10.0.0.2/24\n"
                     "link a b rate 1Mbps queue 100000\n"
                     "at 1s a ping b count 1\n" /* resolves ARP first */
                     "at 2s a ping b count 2000 interval 1ns size 1000\n");
    const char *reason = "\"reason\":\"buffer memory limit\"";
    Run r = netsim((const char *[]){"run", path, "--trace", "json", "--buffer-limit", "1", NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    const guint kept = (1u << 20) / SIM_PACKET_FRAME;
    cr_assert_eq(kept, 682);
    cr_assert_eq(count_substr(r.out, reason), 2000 - kept + 1);
    cr_assert_eq(count_substr(r.out, "\"node\":\"a\",\"iface\":\"eth0\",\"kind\":\"drop\","
                                     "\"reason\":\"buffer memory limit\""),
                 2000 - kept);
    cr_assert(strstr(r.out, "\"node\":\"b\",\"iface\":\"eth0\",\"kind\":\"drop\","
                            "\"reason\":\"buffer memory limit\",\"summary\":\"ICMP echo reply "),
              "b's second reply is the other drop");
    cr_assert(strstr(r.out, "2000 packets transmitted"), "ping still reports");
    run_free(&r);
    r = netsim((const char *[]){"run", path, "--trace", "json", NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_eq(count_substr(r.out, reason), 0);
    run_free(&r);
    r = netsim((const char *[]){"run", path, "--buffer-limit", "lots", NULL});
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "--buffer-limit"), "%s", r.err);
    run_free(&r);
    g_unlink(path);
    g_rmdir(dir);
}

Test(cli, bad_input_exits_2_with_located_error)
{
    g_autofree char *dir = g_dir_make_tmp("netsim-cli-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "bad.topo", NULL);
    write_file(path, "host a ip 10.0.0.1/24\nswitch swA ports 4\nlink a swC\n");
    Run r = netsim((const char *[]){"check", path, NULL});
    cr_assert_eq(r.status, 2);
    g_autofree char *want =
        g_strdup_printf("%s:3:8: error: unknown node 'swC' (did you mean 'swA'?)", path);
    cr_assert(g_str_has_prefix(r.err, want), "got:\n%s", r.err);
    cr_assert(strstr(r.err, "link a swC\n       ^"), "caret line missing:\n%s", r.err);
    run_free(&r);
    r = netsim((const char *[]){"run", path, NULL});
    cr_assert_eq(r.status, 2);
    run_free(&r);
    r = netsim((const char *[]){"run", "no/such/file.topo", NULL});
    cr_assert_eq(r.status, 2);
    run_free(&r);
    r = netsim((const char *[]){"run", "topologies/two-pcs.topo", "--until", "5 parsecs", NULL});
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "--until"), "%s", r.err);
    run_free(&r);
    g_unlink(path);
    g_rmdir(dir);
}

Test(cli, golden_check_output)
{
    Run r = netsim((const char *[]){"check", "topologies/dorms-router.topo", NULL});
    cr_assert_eq(r.status, 0);
    cr_assert_str_eq(r.out, "topologies/dorms-router.topo: \"Dorm 301 and 302\"\n"
                            "nodes: 7 (4 hosts, 2 switches, 1 router)\n"
                            "links: 6\n"
                            "subnets: 2\n"
                            "  192.168.10.0/24    alex 192.168.10.1, yuchao 192.168.10.2, "
                            "r1.eth0 192.168.10.254\n"
                            "  192.168.20.0/24    bob 192.168.20.1, wei 192.168.20.2, "
                            "r1.eth1 192.168.20.254\n"
                            "scenario: 6 commands from 1s to 8s\n"
                            "0 warnings\n");
    run_free(&r);
}

Test(cli, golden_check_output_with_warning)
{
    Run r = netsim((const char *[]){"check", "topologies/broadcast-storm.topo", NULL});
    cr_assert_eq(r.status, 0, "warnings are not errors");
    cr_assert_str_eq(r.out, "topologies/broadcast-storm.topo:32:1: warning: link closes a switch "
                            "loop (swA - swB - swC - swA): without STP, broadcasts will storm\n"
                            "link swC.4 swA.4\n"
                            "^\n"
                            "topologies/broadcast-storm.topo: \"Broadcast storm: a switch loop "
                            "without STP\"\n"
                            "nodes: 5 (2 hosts, 3 switches)\n"
                            "links: 5\n"
                            "subnets: 1\n"
                            "  192.168.10.0/24    alex 192.168.10.1, bob 192.168.10.2\n"
                            "scenario: 2 commands from 1ms to 2ms\n"
                            "1 warning\n");
    run_free(&r);
}

Test(cli, same_seed_gives_byte_identical_traces)
{
    for (size_t i = 0; i < G_N_ELEMENTS(topologies); i++) {
        g_autofree char *path = g_strdup_printf("topologies/%s.topo", topologies[i]);
        const char *fmt[] = {"text", "json"};
        for (int f = 0; f < 2; f++) {
            /* The storm is bounded by time: it never goes idle. */
            const char *until = strcmp(topologies[i], "broadcast-storm") ? "20s" : "2ms";
            const char *args[] = {"run", path, "--trace", fmt[f], "--until", until, NULL};
            Run a = netsim(args), b = netsim(args);
            cr_assert_eq(a.status, 0, "%s", a.err);
            cr_assert_str_eq(a.out, b.out, "%s (%s) differs between runs", path, fmt[f]);
            run_free(&a);
            run_free(&b);
        }
    }
}

Test(cli, subnet_command)
{
    Run r = netsim((const char *[]){"subnet", "10.1.2.3/31", NULL});
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "Hosts:     2"), "%s", r.out);
    run_free(&r);
    r = netsim((const char *[]){"subnet", "0.0.0.0/0", NULL});
    cr_assert(strstr(r.out, "Hosts:     4294967294"), "%s", r.out);
    run_free(&r);
    r = netsim((const char *[]){"subnet", "192.168.1.7/32", NULL});
    cr_assert(strstr(r.out, "Hosts:     1"), "%s", r.out);
    run_free(&r);
    r = netsim((const char *[]){"subnet", "300.1.1.1/24", NULL});
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "octet 300 is out of range"), "%s", r.err);
    run_free(&r);
}

/* Spanning tree hellos never let a run go idle: without --until it ends
 * with the scenario (exit 0, nothing cut short), with --until where asked. */
Test(cli, spanning_tree_runs_end_with_their_scenario)
{
    Run r = run_quiet("stp-loop", NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_null(strstr(r.err, "cut short"), "%s", r.err);
    run_free(&r);
    r = netsim((const char *[]){"run", "topologies/rstp-ring.topo", "--trace", "none", NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.err, "reached the scenario's end (spanning tree timers never go idle; "
                            "--until T runs longer)"),
              "%s", r.err);
    expect(&r, "0% packet loss");
    run_free(&r);
    r = run_quiet("rstp-ring", "--until=2s");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    /* DHCP clients renew for ever too: the run ends with the scenario
     * (its last show at 320 s), not at the event limit. */
    r = netsim((const char *[]){"run", "topologies/dhcp-dorm.topo", "--trace", "none", NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.err, "reached the scenario's end (DHCP clients renew their leases for "
                            "ever; --until T runs longer) after "),
              "%s", r.err);
    cr_assert(strstr(r.err, " at t=320.000000000 "), "%s", r.err);
    expect(&r, "eth0: BOUND 192.168.10.101 server 192.168.10.254");
    run_free(&r);
}
