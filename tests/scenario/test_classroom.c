/* Classroom defaults of the netsim command (issue 13): a storm run that
 * ends by itself with a summary a student can read, and the CLI's help for
 * a new user. Asserts on counts (events, lines), never on time. */
#include "run_netsim.h"

#include <criterion/criterion.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

static guint count_lines(const char *s)
{
    guint n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static void expect(const char *text, const char *needle)
{
    cr_assert(strstr(text, needle), "expected \"%s\" in:\n%s", needle, text);
}

/* "netsim: stopped after N events" from the run's stderr. */
static unsigned long long events_of(const char *err)
{
    const char *p = strstr(err, " after ");
    cr_assert(p, "%s", err);
    return strtoull(p + strlen(" after "), NULL, 10);
}

/* As topologies/README.md runs it and as a new user would: without --until
 * the storm would run to 20 million events and 33 million lines. */
Test(classroom, storm_run_ends_by_itself_with_a_summary)
{
    Run r = netsim((const char *[]){"run", "topologies/broadcast-storm.topo", NULL});
    cr_assert_eq(r.status, 3, "a storm run is cut short: status %d\n%s", r.status, r.err);
    cr_assert_lt(count_lines(r.out), 300, "%u lines", count_lines(r.out));
    cr_assert_lt(events_of(r.err), 5000000ULL, "%s", r.err);
    expect(r.err, "netsim: stopped at t=2.001063800, 2s after the broadcast storm reported at "
                  "t=0.001063800");
    /* The trace up to the storm is there, the copies after it are not. */
    expect(r.out, "  0.001005800  swA     p1     flood        ARP who-has 192.168.10.2");
    expect(r.out, "swB     p2     storm        ARP who-has");
    expect(r.out, "(broadcast storm: frames in the LAN of swB, swA, swC are no longer traced");
    cr_assert_null(strstr(r.out, "  1.0"), "nothing traced a second into the storm:\n%s", r.out);
    /* The summary: loop, per link rate, and the queue drops this loop
     * leads to after about a second. */
    expect(r.out, "Broadcast storm in the LAN of swB, swA, swC\n"
                  "  reported by swB, swC, swA at t=0.001063800\n"
                  "  loop: swB.2-swA.2, swA.4-swC.4, swC.3-swB.3\n"
                  "  from t=0.001063800 to t=2.001063800 (2.000 s):\n");
    const char *row = strstr(r.out, "  swB.3-swC.3 ");
    cr_assert(row, "%s", r.out);
    unsigned long long ab, ba, rate, drops;
    cr_assert_eq(sscanf(row, " swB.3-swC.3 %llu %llu %llu %llu", &ab, &ba, &rate, &drops), 4);
    cr_assert_gt(drops, 0);
    cr_assert_eq(rate, (ab + ba) / 2, "frames/s over 2 s");
    expect(r.out, " dropped at full queues\n");
    expect(r.out, " trace lines of the storm were not printed\n");
    run_free(&r);

    /* With --until the user's limit holds: no stop message, status 0. */
    r = netsim((const char *[]){"run", "topologies/broadcast-storm.topo", "--until", "2ms",
                                "--quiet", NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_null(strstr(r.err, "stopped at"), "%s", r.err);
    expect(r.out, "  in all: 882 frames");
    cr_assert_lt(count_lines(r.out), 40, "%s", r.out);
    run_free(&r);
}

/* Only the storming LAN is summarised: a ping in another LAN behind a
 * router is still traced hop by hop after the storm. */
Test(classroom, storm_hides_only_its_own_lan)
{
    g_autofree char *dir = g_dir_make_tmp("netsim-classroom-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "two-lans.topo", NULL);
    cr_assert(g_file_set_contents(path,
                                  "host a ip 10.0.1.1/24 gateway 10.0.1.254\n"
                                  "host b ip 10.0.2.1/24 gateway 10.0.2.254\n"
                                  "host c ip 10.0.2.2/24 gateway 10.0.2.254\n"
                                  "switch s1 ports 4\nswitch s2 ports 4\nswitch s3 ports 4\n"
                                  "router r\n  interface eth0 ip 10.0.1.254/24\n"
                                  "  interface eth1 ip 10.0.2.254/24\n"
                                  "link a s1.1\nlink s1.2 s2.2\nlink s2.3 s1.3\nlink s1.4 r.eth0\n"
                                  "link b s3.1\nlink c s3.2\nlink s3.3 r.eth1\n"
                                  "at 1ms a ping 10.0.1.77 count 1 timeout 1ms\n"
                                  "at 10ms b ping c count 1\n",
                                  -1, NULL));
    Run r = netsim((const char *[]){"run", path, "--until", "20ms", NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    expect(r.out, "Broadcast storm in the LAN of s");
    expect(r.out, "  0.010000000  b       eth0   arp-request  who-has 10.0.2.2 tell 10.0.2.1");
    expect(r.out, "s3      p2     forward      ICMP echo reply 10.0.2.2 > 10.0.2.1");
    expect(r.out, "1 packets transmitted, 1 received");
    /* r's interface in the storm LAN is hidden after the report (3,268
     * frames reached it), its other one is not. */
    expect(r.out, "  s1.4-r.eth0        3268 ");
    guint r_rx = 0;
    for (const char *p = r.out; (p = strstr(p, "r       eth0   rx")); p++)
        r_rx++;
    cr_assert_lt(r_rx, 10, "%u lines", r_rx);
    expect(r.out, "r       eth1   rx           ARP who-has 10.0.2.2 tell 10.0.2.1");
    run_free(&r);
    g_unlink(path);
    g_rmdir(dir);
}

/* A typo gets a suggestion; `netsim help CMD` is CMD's help; every
 * command's usage line names the program as the user types it. */
Test(classroom, help_and_typo_suggestions)
{
    Run r = netsim((const char *[]){"rnu", "topologies/two-pcs.topo", NULL});
    cr_assert_eq(r.status, 2);
    cr_assert(g_str_has_prefix(r.err, "netsim: unknown command 'rnu' (did you mean 'run'?)\n"),
              "%s", r.err);
    cr_assert_str_empty(r.out);
    run_free(&r);
    r = netsim((const char *[]){"frobnicate", NULL});
    cr_assert_eq(r.status, 2);
    cr_assert(g_str_has_prefix(r.err, "netsim: unknown command 'frobnicate'\n"), "%s", r.err);
    run_free(&r);
    r = netsim((const char *[]){"help", "chekc", NULL});
    cr_assert_eq(r.status, 2);
    expect(r.err, "(did you mean 'check'?)");
    run_free(&r);
    static const char *const cmds[] = {"run", "check", "step", "dot", "subnet", "gen"};
    for (size_t i = 0; i < G_N_ELEMENTS(cmds); i++) {
        Run h = netsim((const char *[]){"help", cmds[i], NULL});
        Run o = netsim((const char *[]){cmds[i], "--help", NULL});
        cr_assert_eq(h.status, 0, "help %s: %s", cmds[i], h.err);
        g_autofree char *usage = g_strdup_printf("Usage:\n  netsim %s [OPTION", cmds[i]);
        cr_assert(g_str_has_prefix(h.out, usage), "help %s:\n%s", cmds[i], h.out);
        cr_assert_str_eq(h.out, o.out, "help %s differs from %s --help", cmds[i], cmds[i]);
        run_free(&h);
        run_free(&o);
    }
    r = netsim((const char *[]){"help", NULL});
    cr_assert_eq(r.status, 0);
    expect(r.out, "  run      run a topology's scenario");
    run_free(&r);
}

/* The forms a student types: a dotted mask after the slash, and several
 * prefixes at once (both were rejected with a misleading message). */
Test(classroom, subnet_accepts_dotted_masks_and_several_prefixes)
{
    Run r = netsim((const char *[]){"subnet", "10.1.2.3/255.255.255.0", NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    expect(r.out, "Network:   10.1.2.0/24          00001010.00000001.00000010. 00000000\n");
    expect(r.out, "Kind:      private, RFC 1918");
    run_free(&r);
    r = netsim((const char *[]){"subnet", "192.168.10.0/24", "192.168.20.0/24", NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    expect(r.out, "Hosts:     254\nKind:      private, RFC 1918 (not routed on the Internet; "
                  "reaches it through NAT)\n\nAddress:   192.168.20.0/24 ");
    run_free(&r);
    r = netsim((const char *[]){"subnet", "192.168.10.0/24", "bogus", NULL});
    cr_assert_eq(r.status, 2);
    expect(r.err, "netsim subnet: error: 'bogus'");
    cr_assert_str_empty(r.out, "nothing printed before the error");
    run_free(&r);
}

static char *write_topo(const char *dir, const char *text)
{
    char *path = g_build_filename(dir, "t.topo", NULL);
    cr_assert(g_file_set_contents(path, text, -1, NULL));
    return path;
}

/* `show SWITCH interfaces` lists the ports (the docs promise it for any
 * node); `show R route cisco` uses the FIB's Cisco layout. */
Test(classroom, show_switch_interfaces_and_cisco_routes)
{
    g_autofree char *dir = g_dir_make_tmp("netsim-classroom-XXXXXX", NULL);
    g_autofree char *path =
        write_topo(dir, "host a ip 10.0.0.1/24 gateway 10.0.0.254\n"
                        "host b ip 10.0.0.2/24\n"
                        "switch sw ports 4\n"
                        "router r\n"
                        "  interface eth0 ip 10.0.0.254/24\n"
                        "  interface eth1 ip 10.9.0.1/30\n"
                        "  route 0.0.0.0/0 via 10.9.0.2\n"
                        "link a sw.1\nlink b sw.2 rate 1Gbps\nlink sw.4 r.eth0\n"
                        "at 1s a ping b count 2\n"
                        "at 5s show sw interfaces\n"
                        "at 5s show r route cisco\n");
    Run r = netsim((const char *[]){"run", path, "--quiet", NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    /* a sent an ARP request and two echo requests (60 + 98 + 98 bytes);
     * the only frame r got was the flooded ARP request. */
    expect(r.out, "sw# show sw interfaces\n"
                  "Port   Peer             State          Rate  RX-frames   RX-bytes  TX-frames  "
                  " TX-bytes  Drops     Queue\n"
                  "p1     a.eth0           up          100Mbps          3        256          3  "
                  "      256      0       0/0\n"
                  "p2     b.eth0           up            1Gbps          3        256          3  "
                  "      256      0       0/0\n"
                  "p3     -                unconnected\n"
                  "p4     r.eth0           up          100Mbps          0          0          1  "
                  "       60      0       0/0\n");
    expect(r.out, "r# show r route cisco\n"
                  "Codes: C - connected, S - static, * - candidate default\n\n"
                  "Gateway of last resort is 10.9.0.2 to network 0.0.0.0\n\n"
                  "S*   0.0.0.0/0 [1/0] via 10.9.0.2\n"
                  "C    10.0.0.0/24 is directly connected, eth0\n"
                  "C    10.9.0.0/30 is directly connected, eth1\n");
    run_free(&r);
    g_autofree char *bad = write_topo(dir, "host a ip 10.0.0.1/24\nat 1s show a route juniper\n");
    r = netsim((const char *[]){"check", bad, NULL});
    cr_assert_eq(r.status, 2);
    expect(r.err, "t.topo:2:20: error: unknown route table 'juniper' (route cache or route "
                  "cisco)");
    run_free(&r);
    g_unlink(bad);
    g_rmdir(dir);

    /* enterprise.topo's comment promises C and S* for the core router. */
    r = netsim((const char *[]){"run", "topologies/enterprise.topo", "--quiet", NULL});
    expect(r.out, "core# show core route cisco\n");
    expect(r.out, "\nS*   0.0.0.0/0 [1/0] via 203.0.113.1\n"
                  "C    10.1.0.0/30 is directly connected, inside\n"
                  "S    10.1.0.0/16 [1/0] via 10.1.0.2\n");
    run_free(&r);
}

/* Application output names its host when more than one host runs
 * applications; a lone ping reads exactly like Linux's. */
Test(classroom, app_output_names_the_host_when_several_run_apps)
{
    Run r = netsim((const char *[]){"run", "topologies/dorms-router.topo", "--quiet", NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(g_str_has_prefix(r.out, "alex: PING 192.168.20.1 (192.168.20.1) 56(84) bytes of "
                                      "data.\nalex: 64 bytes from 192.168.20.1: icmp_seq=1 ttl=63"),
              "%s", r.out);
    expect(r.out, "\nyuchao: traceroute to 192.168.20.2 (192.168.20.2), 30 hops max");
    expect(r.out, "\nyuchao:  1  192.168.10.254  ");
    expect(r.out, "\nr1# show r1 arp\n192.168.10.1 dev eth0"); /* tables keep their header */
    run_free(&r);
    r = netsim((const char *[]){"run", "topologies/two-pcs.topo", "--quiet", NULL});
    cr_assert(g_str_has_prefix(r.out, "PING 192.168.1.2 (192.168.1.2) 56(84) bytes of data.\n"
                                      "64 bytes from 192.168.1.2: icmp_seq=1"),
              "%s", r.out);
    run_free(&r);
}

/* `dns` was the last planned keyword; it is a host attribute now (#16)
 * and the docs list it with the host statement, not among the "not
 * supported yet" messages. */
Test(classroom, dns_is_a_host_attribute_as_documented)
{
    g_autofree char *doc = NULL;
    cr_assert(g_file_get_contents("docs/topology-language.md", &doc, NULL, NULL));
    cr_assert_null(strstr(doc, "is not supported yet: netsim does not resolve names"));
    cr_assert(strstr(doc, "[dns IPV4]"), "docs/topology-language.md does not list 'dns'");
    g_autofree char *dir = g_dir_make_tmp("netsim-classroom-XXXXXX", NULL);
    g_autofree char *path = write_topo(dir, "host pc ip 10.0.0.1/24 dns 10.0.0.53\n"
                                            "host phone dhcp\n"
                                            "link pc phone\n"
                                            "at 1s pc ping www.example.com count 1\n");
    Run r = netsim((const char *[]){"check", path, NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    /* no answer from 10.0.0.53: glibc's 5 s, twice, then EAI_AGAIN */
    r = netsim((const char *[]){"run", path, "--quiet", NULL});
    expect(r.out, "ping: www.example.com: Temporary failure in name resolution");
    run_free(&r);
    g_unlink(path);
    g_rmdir(dir);
}
