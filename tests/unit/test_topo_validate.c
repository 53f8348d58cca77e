/* test_topo_validate.c - semantic checks, endpoint and MAC assignment,
 * link defaults, command resolution and the warnings of `netsim check`. */
#include <criterion/criterion.h>
#include <string.h>

#include "sim/topo/parser.h"
#include "sim/topo/validate.h"

typedef struct {
    SimDiag *diag;
    SimTopo *topo;
    gboolean ok;
} Run;

static Run run(const char *text)
{
    Run r = {.diag = sim_diag_new()};
    r.topo = sim_topo_parse_string("t.topo", text, r.diag);
    r.ok = sim_topo_validate(r.topo, r.diag);
    return r;
}

static void run_free(Run *r)
{
    sim_topo_free(r->topo);
    sim_diag_free(r->diag);
}

static char *first(const char *text, SimDiagKind kind)
{
    Run r = run(text);
    int i = sim_diag_find(r.diag, kind);
    char *s = i < 0 ? g_strdup("(none)") : sim_diag_format(r.diag, (guint)i);
    run_free(&r);
    return s;
}

/* Validates a topology that must have no error; returns it. */
static Run run_ok(const char *text)
{
    Run r = run(text);
    if (!r.ok) {
        g_autofree char *out = sim_diag_render(r.diag);
        cr_assert_fail("unexpected errors:\n%s", out);
    }
    return r;
}

static const char *dorm = "network \"Dorm 301 and 302\"\n"
                          "host alex   ip 192.168.10.1/24 gateway 192.168.10.254 mac "
                          "00:0a:a4:2a:3e:4b\n"
                          "host yuchao ip 192.168.10.2/24 gateway 192.168.10.254\n"
                          "host bob    ip 192.168.20.1/24 gateway 192.168.20.254\n"
                          "switch swA ports 8\n"
                          "switch swB ports 8\n"
                          "router r1\n"
                          "  interface eth0 ip 192.168.10.254/24\n"
                          "  interface eth1 ip 192.168.20.254/24\n"
                          "  route 10.0.0.0/8 via 192.168.20.2\n"
                          "defaults link rate 10Mbps queue 20\n"
                          "link alex   swA\n"
                          "link yuchao swA.1\n"
                          "link bob    swB\n"
                          "link swA.8  r1.eth0  rate 1Gbps delay 5us\n"
                          "link swB    r1\n"
                          "at 1s    alex ping bob count 3\n"
                          "at 2s    yuchao traceroute 192.168.20.1\n"
                          "at 5s    show swA mac\n"
                          "at 6s    link swA r1 down\n"
                          "at 7s    clear alex arp\n";

Test(topo_validate, dorm_is_clean)
{
    Run r = run_ok(dorm);
    cr_assert_eq(sim_diag_count(r.diag), 0, "no warnings either");
    cr_assert(r.topo->validated);
    run_free(&r);
}

Test(topo_validate, endpoints_resolved)
{
    Run r = run_ok(dorm);
    SimTopo *t = r.topo;
    /* `link yuchao swA.1` claims port 1 first, so alex gets port 2. */
    SimTopoLink *l0 = sim_topo_link(t, 0), *l1 = sim_topo_link(t, 1);
    cr_assert_eq(l0->a.node_index, sim_topo_node_index(t, "alex"));
    cr_assert_eq(l0->a.iface_index, 0);
    cr_assert(l0->a.auto_assigned);
    cr_assert_eq(l0->b.port, 2);
    cr_assert(l0->b.auto_assigned);
    cr_assert_eq(l1->b.port, 1);
    cr_assert(!l1->b.auto_assigned);
    /* swB: bob on port 1, r1 on port 2; r1's next free NIC is eth1. */
    SimTopoLink *l4 = sim_topo_link(t, 4);
    cr_assert_eq(l4->a.port, 2);
    cr_assert_eq(l4->b.iface_index, 1);
    g_autofree char *a = sim_topo_endpoint_format(t, &l4->a);
    g_autofree char *b = sim_topo_endpoint_format(t, &l4->b);
    cr_assert_str_eq(a, "swB.2");
    cr_assert_str_eq(b, "r1.eth1");
    SimTopoNode *swa = sim_topo_find_node(t, "swA");
    cr_assert_eq(swa->port_link[1], 1);
    cr_assert_eq(swa->port_link[2], 0);
    cr_assert_eq(swa->port_link[3], -1);
    cr_assert_eq(swa->port_link[8], 3);
    SimTopoNode *r1 = sim_topo_find_node(t, "r1");
    cr_assert_eq(sim_topo_node_iface(r1, 0)->link, 3);
    cr_assert_eq(sim_topo_node_iface(r1, 1)->link, 4);
    run_free(&r);
}

Test(topo_validate, macs_and_link_params)
{
    Run r = run_ok(dorm);
    SimTopo *t = r.topo;
    SimTopoIface *alex = sim_topo_node_iface(sim_topo_find_node(t, "alex"), 0);
    cr_assert(!alex->mac_auto);
    SimMac m0 = sim_mac_local(0), m3 = sim_mac_local(3);
    SimTopoIface *yuchao = sim_topo_node_iface(sim_topo_find_node(t, "yuchao"), 0);
    cr_assert(yuchao->mac_auto && yuchao->has_mac);
    cr_assert(sim_mac_equal(&yuchao->mac, &m0));
    SimTopoIface *r1e1 = sim_topo_node_iface(sim_topo_find_node(t, "r1"), 1);
    cr_assert(sim_mac_equal(&r1e1->mac, &m3));
    cr_assert_eq(r1e1->mtu, SIM_TOPO_DEFAULT_MTU);
    /* Defaults fill what a line leaves out; the line wins; built-ins last. */
    SimTopoLink *l0 = sim_topo_link(t, 0), *l3 = sim_topo_link(t, 3);
    cr_assert_eq(l0->params.set, 0);
    cr_assert_eq(l0->params.rate_bps, 10000000);
    cr_assert_eq(l0->params.queue, 20);
    cr_assert_eq(l0->params.delay, SIM_TOPO_DEFAULT_DELAY);
    cr_assert_eq(l0->params.mtu, SIM_TOPO_DEFAULT_MTU);
    cr_assert_eq(l3->params.set, SIM_TOPO_LP_RATE | SIM_TOPO_LP_DELAY);
    cr_assert_eq(l3->params.rate_bps, 1000000000);
    cr_assert_eq(l3->params.delay, 5 * SIM_US);
    cr_assert_eq(l3->params.queue, 20);
    run_free(&r);
}

Test(topo_validate, auto_macs_skip_written_ones)
{
    Run r = run_ok("host a mac 02:00:00:00:00:01\nhost b\nhost c\n");
    SimMac m1 = sim_mac_local(1), m2 = sim_mac_local(2);
    SimTopoIface *b = sim_topo_node_iface(sim_topo_find_node(r.topo, "b"), 0);
    SimTopoIface *c = sim_topo_node_iface(sim_topo_find_node(r.topo, "c"), 0);
    cr_assert(sim_mac_equal(&b->mac, &m1), "sim_mac_local(0) is taken by a");
    cr_assert(sim_mac_equal(&c->mac, &m2));
    run_free(&r);
}

Test(topo_validate, commands_resolved)
{
    Run r = run_ok(dorm);
    SimTopo *t = r.topo;
    SimTopoCmd *ping = sim_topo_cmd(t, 0);
    cr_assert_eq(ping->node_index, sim_topo_node_index(t, "alex"));
    cr_assert_eq(ping->target, 0xc0a81401, "bob's address");
    SimTopoCmd *lk = sim_topo_cmd(t, 3);
    cr_assert_eq(lk->link_index, 3);
    cr_assert_eq(sim_topo_cmd(t, 4)->node_index, sim_topo_node_index(t, "alex"));
    run_free(&r);
}

Test(topo_validate, link_command_by_port)
{
    Run r = run_ok("switch s\nswitch u\nlink s u\nlink s.5 u.5\nat 1s link u.5 s.p5 down\n");
    cr_assert_eq(sim_topo_cmd(r.topo, 0)->link_index, 1);
    run_free(&r);
}

/* ---- errors ------------------------------------------------------------- */

typedef struct {
    const char *text;
    const char *error;
} Case;

static const Case semantic_cases[] = {
    /* Found by fuzz_run: a nat line refused at an unknown option, then a
     * forward, crashed the NAT check on the unset interface name. */
    {"router r\n  interface lan ip 192.168.1.1/24\n  interface wan ip 100.64.0.2/30\n"
     "  nat inid lan outside wan\n  forward tcp 8080 to 192.168.1.10:80\n",
     "t.topo:4:7: error: unknown nat option 'inid'"},
    {"host a\nhost a\n", "t.topo:2:6: error: duplicate node name 'a'"},
    {"host a\nswitch a\n", "t.topo:2:8: error: duplicate node name 'a'"},
    {"host a ip 10.0.0.1/24\nhost b ip 10.0.0.1/24\n",
     "t.topo:2:11: error: duplicate IP address 10.0.0.1"},
    {"router r\n  interface e0 ip 10.0.0.1/24\n  interface e1 ip 10.1.0.1/24 mac "
     "02:00:00:00:00:09\nhost h mac 02:00:00:00:00:09\n",
     "t.topo:4:12: error: duplicate MAC 02:00:00:00:00:09"},
    {"host a ip 10.0.0.0/24\n",
     "t.topo:1:11: error: address 10.0.0.0 is the network address of 10.0.0.0/24"},
    {"host a ip 10.0.0.255/24\n",
     "t.topo:1:11: error: address 10.0.0.255 is the broadcast address of 10.0.0.0/24"},
    {"host a ip 127.0.0.1/8\n", "t.topo:1:11: error: address 127.0.0.1 is a loopback address"},
    {"host a ip 224.0.0.5/24\n", "t.topo:1:11: error: address 224.0.0.5 is a multicast address"},
    {"host a ip 10.0.0.1/0\n",
     "t.topo:1:11: error: address 10.0.0.1/0 has no subnet (use a prefix length of 1 to 32)"},
    {"host a mac 01:00:5e:00:00:01\n",
     "t.topo:1:12: error: MAC 01:00:5e:00:00:01 is a multicast address; an interface needs "
     "unicast"},
    {"host a mac 00:00:00:00:00:00\n",
     "t.topo:1:12: error: MAC 00:00:00:00:00:00 is not a valid interface MAC"},
    {"switch s ports 4\nhost a\nlink a s.5\n",
     "t.topo:3:10: error: port 5 out of range on switch 's' (ports 1-4)"},
    {"hub h\nhost a\nlink a h.0\n",
     "t.topo:3:10: error: port 0 out of range on hub 'h' (ports 1-8)"},
    {"switch s\nhost a\nlink a s.eth0\n",
     "t.topo:3:10: error: 'eth0' is not a port of switch 's' (ports are numbered 1-8)"},
    {"switch s\nhost a\nhost b\nlink a s.1\nlink b s.1\n",
     "t.topo:5:10: error: port 1 of switch 's' is already used by the link on line 4"},
    {"host a\nswitch s\nswitch t\nlink a.eth0 s\nlink a.eth0 t\n",
     "t.topo:5:8: error: interface a.eth0 is already linked on line 4"},
    {"switch s\nlink s s\n", "t.topo:2:8: error: link from 's' to itself"},
    {"switch s\nlink s.1 s.2\n", "t.topo:2:10: error: link from 's' to itself"},
    {"switch swA\nhost a\nlink a swC\n",
     "t.topo:3:8: error: unknown node 'swC' (did you mean 'swA'?)"},
    {"host alpha\nlink zulu alpha\n", "t.topo:2:6: error: unknown node 'zulu'"},
    {"router r1\n  interface eth0\nswitch s\nlink r1.eth1 s\n",
     "t.topo:4:9: error: unknown interface 'eth1' on router 'r1' (did you mean 'eth0'?)"},
    {"host a\nswitch s\nlink a.1 s\n",
     "t.topo:3:8: error: unknown interface '1' on host 'a' (did you mean 'eth0'?)"},
    {"hub h ports 1\nhost a\nhost b\nlink a h\nlink b h\n",
     "t.topo:5:8: error: no free port on hub 'h': all 1 are in use (raise 'ports')"},
    {"host a\nswitch s\nswitch t\nlink a s\nlink a t\n",
     "t.topo:5:6: error: no free interface on host 'a': all 1 are linked"},
    {"router r\nswitch s\nlink r s\n",
     "t.topo:3:6: error: router 'r' has no interfaces (declare them on indented 'interface' "
     "lines)"},
    {"host a ip 10.0.0.1/24 gateway 10.0.1.1\n",
     "t.topo:1:31: error: gateway 10.0.1.1 is outside the subnet of 'a' (10.0.0.0/24)"},
    {"host a\n  interface e0 ip 10.0.0.1/24\n  interface e1 ip 10.1.0.1/24\n  gateway 10.2.0.1\n",
     "t.topo:4:11: error: gateway 10.2.0.1 is outside every subnet of 'a'"},
    {"host a gateway 10.0.0.1\n",
     "t.topo:1:16: error: gateway 10.0.0.1, but host 'a' has no IP address"},
    {"host a ip 10.0.0.1/24 gateway 10.0.0.1\n",
     "t.topo:1:31: error: gateway 10.0.0.1 is the host's own address"},
    {"host a ip 10.0.0.1/24 gateway 10.0.0.255\n",
     "t.topo:1:31: error: gateway 10.0.0.255 is the broadcast address of its subnet"},
    {"router r1\n  interface eth0 ip 10.0.0.1/24\n  route 0.0.0.0/0 via 10.0.1.1\n",
     "t.topo:3:23: error: next hop 10.0.1.1 is not on a connected subnet of 'r1'"},
    {"router r1\n  interface eth0 ip 10.0.0.1/24\n  interface eth1 ip 10.1.0.1/24\n"
     "  route default via 10.0.0.9 dev eth1\n",
     "t.topo:4:21: error: next hop 10.0.0.9 is not on the subnet of r1.eth1 (10.1.0.0/24)"},
    {"router r1\n  interface eth0 ip 10.0.0.1/24\n  route default via 10.0.0.1\n",
     "t.topo:3:21: error: next hop 10.0.0.1 is an address of 'r1' itself"},
    {"router r1\n  interface eth0 ip 10.0.0.1/24\n  route 10.9.0.0/16 via 10.0.0.2 dev eht0\n",
     "t.topo:3:38: error: unknown interface 'eht0' on 'r1' (did you mean 'eth0'?)"},
    {"router r1\n  interface eth0 ip 10.0.0.1/24\n  route 10.9.0.0/16 via 10.0.0.2\n"
     "  route 10.9.0.0/16 via 10.0.0.3\n",
     "t.topo:4:3: error: duplicate route to 10.9.0.0/16 with metric 0 on 'r1'"},
    {"router r1\n  interface eth0 ip 10.0.0.1/24\n  interface eth1 ip 10.0.0.129/25\n",
     "t.topo:3:21: error: subnet 10.0.0.128/25 of r1.eth1 overlaps 10.0.0.0/24 of r1.eth0"},
    {"switch s\nat 1s s ping 10.0.0.1\n",
     "t.topo:2:7: error: switch 's' cannot ping: only hosts, routers and L3 switches have an IP "
     "stack"},
    {"hub h\nat 1s h traceroute 10.0.0.1\n",
     "t.topo:2:7: error: hub 'h' cannot traceroute: only hosts, routers and L3 switches have an IP "
     "stack"},
    {"host a\nat 1s show a mac\n",
     "t.topo:2:12: error: cannot show mac: host 'a' has no MAC table"},
    {"hub h\nat 1s clear h mac\n",
     "t.topo:2:13: error: cannot clear mac: hub 'h' has no MAC table"},
    {"switch s\nat 1s show s route\n",
     "t.topo:2:12: error: cannot show route: switch 's' has no routing table"},
    {"host bob ip 10.0.0.2/24\nhost a ip 10.0.0.1/24\nat 1s a ping bbo\n",
     "t.topo:3:14: error: unknown node 'bbo' (did you mean 'bob'?)"},
    {"host a ip 10.0.0.1/24\nswitch s\nat 1s a ping s\n",
     "t.topo:3:14: error: switch 's' has no IP address to ping"},
    {"at 1s show nobody arp\n", "t.topo:1:12: error: unknown node 'nobody'"},
    {"switch s\nswitch t\nat 1s link s t down\n", "t.topo:3:12: error: no link between s and t"},
    {"switch s\nswitch t\nlink s t\nlink s t\nat 1s link s t down\n",
     "t.topo:5:12: error: 2 links join s and t: name the interfaces or ports to pick one"},
    {"switch s\nswitch t\nlink s t\nat 1s link s.2 t down\n",
     "t.topo:4:12: error: no link between s.2 and t"},
    {"switch s\n  port 1-4 access 10\n  port 3 trunk\n",
     "t.topo:3:8: error: port 3 of switch 's' cannot be both access and trunk"},
    {"switch s\n  vlan 30 ip 10.0.30.1/24\n  port 1 access 10\n",
     "t.topo:2:8: error: SVI vlan30: no port of switch 's' carries VLAN 30 (give it 'port N "
     "access 30' or a trunk that allows it)"},
    {"router r\n  interface eth0\n  interface eth0.10 ip 10.0.0.1/24\nhost h\nlink h "
     "r.eth0.10\n",
     "t.topo:5:10: error: bad interface or port 'eth0.10' in 'r.eth0.10'"},
    {"switch s\n  route default via 10.0.0.1\n",
     "t.topo:2:3: error: switch 's' has no SVI to route with (add 'vlan N ip ADDRESS/LEN')"},
};

Test(topo_validate, malformed_inputs)
{
    cr_assert_geq(G_N_ELEMENTS(semantic_cases), 30);
    for (gsize i = 0; i < G_N_ELEMENTS(semantic_cases); i++) {
        const Case *c = &semantic_cases[i];
        g_autofree char *got = first(c->text, SIM_DIAG_ERROR);
        cr_expect_str_eq(got, c->error, "input %zu: %s\n got: %s\nwant: %s", i, c->text, got,
                         c->error);
    }
}

Test(topo_validate, notes_point_at_the_first_use)
{
    Run r = run("host a ip 10.0.0.1/24\nhost b ip 10.0.0.1/24\nlink a b\n");
    cr_assert_eq(sim_diag_count(r.diag), 2);
    g_autofree char *note = sim_diag_format(r.diag, 1);
    cr_assert_str_eq(note, "t.topo:1:11: note: also used here");
    run_free(&r);
}

Test(topo_validate, errors_sorted_and_all_reported)
{
    /* Syntax and semantic errors come out in file order. */
    Run r = run("host a ip 10.0.0.1/24\n"
                "link a swX\n"
                "switch s prots 4\n"
                "host b ip 10.0.0.1/24\n"
                "at 1s s ping a\n");
    cr_assert(!r.ok);
    static const char *want[] = {
        "t.topo:2:8: error: unknown node 'swX'",
        "t.topo:3:10: error: unknown switch attribute 'prots' (did you mean 'ports'?)",
        "t.topo:4:11: error: duplicate IP address 10.0.0.1",
        "t.topo:1:11: note: also used here",
        "t.topo:5:7: error: switch 's' cannot ping: only hosts, routers and L3 switches have an IP "
        "stack",
    };
    cr_assert_eq(sim_diag_count(r.diag), G_N_ELEMENTS(want));
    for (guint i = 0; i < G_N_ELEMENTS(want); i++) {
        g_autofree char *got = sim_diag_format(r.diag, i);
        cr_expect_str_eq(got, want[i]);
    }
    run_free(&r);
}

Test(topo_validate, no_cascade_from_syntax_errors)
{
    /* A node whose declaration failed is not reported again as unknown, and
     * a host whose ip failed is not blamed for its gateway. */
    Run r = run("host 9a\n"
                "host b ip 10.0.0.300/24 gateway 10.0.0.1\n"
                "switch s\n"
                "link 9a s\n"
                "link b.eth0 s\n");
    cr_assert_eq(sim_diag_errors(r.diag), 2, "9a once (not again where it is used), b's ip");
    run_free(&r);
}

/* ---- warnings ----------------------------------------------------------- */

static const Case warning_cases[] = {
    {"router r\n  interface eth0 ip 10.0.0.1/24\n  interface eth1 ip 10.1.0.1/24\nhost h ip "
     "10.0.0.2/24\nlink h r\n",
     "t.topo:3:13: warning: interface r.eth1 is not connected"},
    {"host h ip 10.0.0.2/24\n", "t.topo:1:6: warning: host 'h' is not connected"},
    {"switch s\n", "t.topo:1:8: warning: switch 's' is not connected to anything"},
    {"switch a\nswitch b\nswitch c\nlink a b\nlink b c\nlink c a\n",
     "t.topo:6:1: warning: link closes a switch loop (a - b - c - a): without STP, broadcasts "
     "will storm"},
    /* STP on one end only does not cure a loop; on both ends it does. */
    {"switch a stp on\nswitch b\nlink a b\nlink a b\n",
     "t.topo:4:1: warning: link closes a switch loop (b - a - b): without STP, broadcasts will "
     "storm"},
    {"switch a stp on\nswitch b stp rstp\nswitch c stp on\nlink a b\nlink b c\nlink c a\n"
     "host h\n",
     "t.topo:7:6: warning: host 'h' is not connected"},
    {"switch a\nhub b\nlink a b\nlink a b\n",
     "t.topo:4:1: warning: link closes a switch loop (b - a - b): without STP, broadcasts will "
     "storm"},
    {"host a ip 10.0.0.1/24\nhost b ip 10.0.0.2/24\nlink a b\nat 1s a ping 10.9.0.1\n",
     "t.topo:4:14: warning: host 'a' has no gateway and 10.9.0.1 is off its subnet: the ping "
     "will fail"},
    {"router r\n  interface e ip 10.0.0.1/24\nhost b ip 10.0.0.2/24\nlink b r\n"
     "at 1s r traceroute 10.9.0.1\n",
     "t.topo:5:20: warning: router 'r' has no route to 10.9.0.1: the traceroute will fail"},
    {"host a\nhost b\nlink a b\nat 1s a ping 10.0.0.1\n",
     "t.topo:4:7: warning: host 'a' has no IP address: the ping will fail"},
    {"switch s\nhost a ip 10.0.0.1/24\nhost b ip 10.0.1.1/24\nhost c ip 10.0.0.2/24\n"
     "link a s\nlink b s\nlink c s\n",
     "t.topo:3:11: warning: two subnets on one segment: b.eth0 is in 10.0.1.0/24 but a.eth0 is "
     "in 10.0.0.0/24"},
    {"switch s\nhub h\nhost a ip 10.0.0.1/24\nhost b ip 10.0.0.2/25\nlink a s\nlink s h\nlink h "
     "b\n",
     "t.topo:4:11: warning: two subnets on one segment: b.eth0 is in 10.0.0.0/25 but a.eth0 is "
     "in 10.0.0.0/24"},
};

Test(topo_validate, warnings)
{
    for (gsize i = 0; i < G_N_ELEMENTS(warning_cases); i++) {
        const Case *c = &warning_cases[i];
        Run r = run(c->text);
        cr_expect(r.ok, "input %zu has errors", i);
        cr_expect_eq(sim_diag_warnings(r.diag), 1, "input %zu: %u warnings", i,
                     sim_diag_warnings(r.diag));
        int k = sim_diag_find(r.diag, SIM_DIAG_WARNING);
        g_autofree char *got = k < 0 ? g_strdup("(none)") : sim_diag_format(r.diag, (guint)k);
        cr_expect_str_eq(got, c->error, "input %zu: %s\n got: %s\nwant: %s", i, c->text, got,
                         c->error);
        run_free(&r);
    }
}

Test(topo_validate, no_false_warnings)
{
    /* Routed hosts, a tree of switches, and one subnet per segment. */
    g_autofree char *w = first("switch a\nswitch b\nswitch c\nlink a b\nlink a c\n"
                               "host x ip 10.0.0.1/24 gateway 10.0.0.254\n"
                               "host y ip 10.0.0.2/24\n"
                               "router r\n  interface e ip 10.0.0.254/24\n"
                               "link x b\nlink y c\nlink r a\n"
                               "at 1s x ping 8.8.8.8\nat 1s y ping x\n",
                               SIM_DIAG_WARNING);
    cr_assert_str_eq(w, "(none)");
}

Test(topo_validate, no_unconnected_warnings_after_link_errors)
{
    Run r = run("host a\nlink a nowhere\n");
    cr_assert_eq(sim_diag_errors(r.diag), 1);
    cr_assert_eq(sim_diag_warnings(r.diag), 0);
    run_free(&r);
}

Test(topo_validate, validating_twice_gives_the_same_result)
{
    Run r = run_ok(dorm);
    g_autoptr(SimDiag) d = sim_diag_new();
    cr_assert(sim_topo_validate(r.topo, d));
    cr_assert_eq(sim_diag_count(d), 0);
    cr_assert_eq(sim_topo_link(r.topo, 0)->b.port, 2);
    cr_assert_eq(sim_topo_link(r.topo, 4)->b.iface_index, 1);
    SimMac m0 = sim_mac_local(0);
    SimTopoIface *y = sim_topo_node_iface(sim_topo_find_node(r.topo, "yuchao"), 0);
    cr_assert(sim_mac_equal(&y->mac, &m0));
    cr_assert_eq(sim_topo_cmd(r.topo, 3)->link_index, 3);
    run_free(&r);
}
