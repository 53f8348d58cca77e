/* test_topo_parse.c - topology lexer and parser: good inputs give the
 * expected AST; malformed inputs give their exact first error; every error
 * of a file is reported; hostile input never crashes. */
#include <criterion/criterion.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "sim/topo/parser.h"
#include "sim/topo/validate.h"

/* Parses only (no semantic checks); returns the first error formatted as
 * "t.topo:L:C: error: msg", or "(none)". */
static char *first_syntax_error(const char *text, gsize len)
{
    g_autoptr(SimDiag) d = sim_diag_new();
    g_autoptr(SimTopo) t = sim_topo_parse_buffer("t.topo", text, len, d);
    cr_assert_not_null(t);
    int i = sim_diag_find(d, SIM_DIAG_ERROR);
    return i < 0 ? g_strdup("(none)") : sim_diag_format(d, (guint)i);
}

static SimTopo *parse_ok(const char *text)
{
    g_autoptr(SimDiag) d = sim_diag_new();
    SimTopo *t = sim_topo_parse_string("t.topo", text, d);
    if (sim_diag_has_errors(d)) {
        g_autofree char *r = sim_diag_render(d);
        cr_assert_fail("unexpected errors:\n%s", r);
    }
    return t;
}

static const char *dorm = "network \"Dorm 301 and 302\"\n"
                          "host alex   ip 192.168.10.1/24 gateway 192.168.10.254 mac "
                          "00:0a:a4:2a:3e:4b\n"
                          "host bob    ip 192.168.20.1/24 gateway 192.168.20.254\n"
                          "switch swA ports 8 aging 300s mac-table 4096\n"
                          "hub h1 ports 4\n"
                          "router r1\n"
                          "  interface eth0 ip 192.168.10.254/24 mtu 9000\n"
                          "  interface eth1 ip 192.168.20.254/24 mac 02:aa:00:00:00:01\n"
                          "  route 0.0.0.0/0 via 192.168.20.2 dev eth1 metric 5\n"
                          "defaults link rate 100Mbps delay 1us\n"
                          "link alex   swA\n"
                          "link swA.8  r1.eth0  rate 1Gbps delay 5us loss 1% queue 50 mtu 1400\n"
                          "at 1s    alex ping 192.168.20.1 count 3 interval 500ms size 100 "
                          "ttl 9 timeout 2s df\n"
                          "at 2s    alex traceroute bob icmp max-hops 12 probes 2\n"
                          "at 5s    show swA mac\n"
                          "at 6s    link swA.8 r1.eth0 down\n"
                          "at 7.5s  clear alex arp\n";

Test(topo_parse, dorm_nodes)
{
    g_autoptr(SimTopo) t = parse_ok(dorm);
    cr_assert_str_eq(t->title, "Dorm 301 and 302");
    cr_assert_eq(t->title_pos.line, 1);
    cr_assert_eq(t->title_pos.col, 9);
    cr_assert_eq(t->nodes->len, 5);

    SimTopoNode *alex = sim_topo_find_node(t, "alex");
    cr_assert_not_null(alex);
    cr_assert_eq(alex->kind, SIM_TOPO_HOST);
    cr_assert_eq(alex->pos.line, 2);
    cr_assert_eq(alex->pos.col, 6);
    cr_assert_str_eq(alex->pos.file, "t.topo");
    cr_assert_eq(alex->ifaces->len, 1);
    SimTopoIface *e0 = sim_topo_node_iface(alex, 0);
    cr_assert_str_eq(e0->name, "eth0");
    cr_assert(e0->implicit && e0->has_ip && e0->has_mac);
    cr_assert_eq(e0->ip.addr, 0xc0a80a01);
    cr_assert_eq(e0->ip.len, 24);
    cr_assert_eq(e0->mac.b[5], 0x4b);
    cr_assert(alex->has_gateway);
    cr_assert_eq(alex->gateway, 0xc0a80afe);
    cr_assert_eq(alex->gateway_pos.col, 40);

    SimTopoNode *sw = sim_topo_find_node(t, "swA");
    cr_assert_eq(sw->kind, SIM_TOPO_SWITCH);
    cr_assert(sw->ports_set && sw->aging_set && sw->mac_table_set);
    cr_assert_eq(sw->ports, 8);
    cr_assert_eq(sw->aging, 300 * SIM_SEC);
    cr_assert_eq(sw->mac_table, 4096);
    SimTopoNode *h1 = sim_topo_find_node(t, "h1");
    cr_assert_eq(h1->kind, SIM_TOPO_HUB);
    cr_assert_eq(h1->ports, 4);

    SimTopoNode *r1 = sim_topo_find_node(t, "r1");
    cr_assert_eq(r1->kind, SIM_TOPO_ROUTER);
    cr_assert_eq(r1->ifaces->len, 2);
    SimTopoIface *r0 = sim_topo_node_iface(r1, 0);
    cr_assert(!r0->implicit && r0->mtu_set && !r0->has_mac);
    cr_assert_eq(r0->mtu, 9000);
    cr_assert_eq(r0->pos.line, 7);
    cr_assert_eq(r0->pos.col, 13);
    cr_assert(sim_topo_node_iface(r1, 1)->has_mac);
    cr_assert_eq(r1->routes->len, 1);
    SimTopoRoute *rt = g_ptr_array_index(r1->routes, 0);
    cr_assert_eq(rt->dst.addr, 0);
    cr_assert_eq(rt->dst.len, 0);
    cr_assert(rt->has_via);
    cr_assert_eq(rt->via, 0xc0a81402);
    cr_assert_str_eq(rt->dev, "eth1");
    cr_assert_eq(rt->metric, 5);
    cr_assert_eq(rt->pos.line, 9);
}

Test(topo_parse, dorm_links_and_defaults)
{
    g_autoptr(SimTopo) t = parse_ok(dorm);
    cr_assert_eq(t->defaults.set, SIM_TOPO_LP_RATE | SIM_TOPO_LP_DELAY);
    cr_assert_eq(t->defaults.rate_bps, 100000000);
    cr_assert_eq(t->defaults.delay, SIM_US);
    cr_assert_eq(t->links->len, 2);
    SimTopoLink *l0 = sim_topo_link(t, 0);
    cr_assert_str_eq(l0->a.node, "alex");
    cr_assert_null(l0->a.sub);
    cr_assert_eq(l0->params.set, 0);
    SimTopoLink *l1 = sim_topo_link(t, 1);
    cr_assert_str_eq(l1->a.node, "swA");
    cr_assert_str_eq(l1->a.sub, "8");
    cr_assert_eq(l1->a.sub_pos.col, 10);
    cr_assert_str_eq(l1->b.node, "r1");
    cr_assert_str_eq(l1->b.sub, "eth0");
    cr_assert_eq(l1->params.set, SIM_TOPO_LP_RATE | SIM_TOPO_LP_DELAY | SIM_TOPO_LP_LOSS |
                                     SIM_TOPO_LP_QUEUE | SIM_TOPO_LP_MTU);
    cr_assert_eq(l1->params.rate_bps, 1000000000);
    cr_assert_eq(l1->params.delay, 5 * SIM_US);
    cr_assert_float_eq(l1->params.loss, 0.01, 1e-12);
    cr_assert_eq(l1->params.queue, 50);
    cr_assert_eq(l1->params.mtu, 1400);
}

Test(topo_parse, dorm_commands)
{
    g_autoptr(SimTopo) t = parse_ok(dorm);
    cr_assert_eq(t->cmds->len, 5);
    SimTopoCmd *ping = sim_topo_cmd(t, 0);
    cr_assert_eq(ping->kind, SIM_TOPO_CMD_PING);
    cr_assert_eq(ping->at, SIM_SEC);
    cr_assert_str_eq(ping->node, "alex");
    cr_assert_null(ping->target_name);
    cr_assert_eq(ping->target, 0xc0a81401);
    cr_assert_eq(ping->ping.count, 3);
    cr_assert_eq(ping->ping.interval, 500 * SIM_MS);
    cr_assert_eq(ping->ping.size, 100);
    cr_assert_eq(ping->ping.ttl, 9);
    cr_assert_eq(ping->ping.timeout, 2 * SIM_SEC);
    cr_assert(ping->ping.df);
    SimTopoCmd *tr = sim_topo_cmd(t, 1);
    cr_assert_eq(tr->kind, SIM_TOPO_CMD_TRACEROUTE);
    cr_assert_str_eq(tr->target_name, "bob");
    cr_assert(tr->trace.icmp);
    cr_assert_eq(tr->trace.max_hops, 12);
    cr_assert_eq(tr->trace.probes, 2);
    SimTopoCmd *show = sim_topo_cmd(t, 2);
    cr_assert_eq(show->kind, SIM_TOPO_CMD_SHOW);
    cr_assert_str_eq(show->node, "swA");
    cr_assert_eq(show->table, SIM_TOPO_TABLE_MAC);
    cr_assert_eq(show->pos.line, 15);
    SimTopoCmd *lk = sim_topo_cmd(t, 3);
    cr_assert_eq(lk->kind, SIM_TOPO_CMD_LINK);
    cr_assert_str_eq(lk->a.sub, "8");
    cr_assert_str_eq(lk->b.node, "r1");
    cr_assert(!lk->up);
    SimTopoCmd *clr = sim_topo_cmd(t, 4);
    cr_assert_eq(clr->kind, SIM_TOPO_CMD_CLEAR);
    cr_assert_eq(clr->table, SIM_TOPO_TABLE_ARP);
    cr_assert_eq(clr->at, 7500 * SIM_MS);
}

Test(topo_parse, command_defaults)
{
    g_autoptr(SimTopo) t = parse_ok("at 0 a ping 10.0.0.1\nat 1ms a traceroute 10.0.0.1\n");
    SimTopoCmd *p = sim_topo_cmd(t, 0);
    cr_assert_eq(p->at, 0);
    cr_assert_eq(p->ping.count, SIM_TOPO_PING_COUNT);
    cr_assert_eq(p->ping.interval, SIM_SEC);
    cr_assert_eq(p->ping.size, 56);
    cr_assert_eq(p->ping.ttl, 64);
    cr_assert(!p->ping.df);
    SimTopoCmd *tr = sim_topo_cmd(t, 1);
    cr_assert(!tr->trace.icmp);
    cr_assert_eq(tr->trace.max_hops, 30);
    cr_assert_eq(tr->trace.probes, 3);
}

Test(topo_parse, host_block_multihomed)
{
    g_autoptr(SimTopo) t = parse_ok("host pc\n"
                                    "  interface eth0 ip 10.0.0.2/24\n"
                                    "\n"
                                    "  # a comment inside the block\n"
                                    "\tinterface wlan0 ip 10.1.0.2/16 mac 02-00-00-00-00-aa\n"
                                    "  gateway 10.0.0.1\n"
                                    "  route 172.16.0.0/12 via 10.1.0.1\n"
                                    "  route default dev wlan0\n");
    SimTopoNode *pc = sim_topo_find_node(t, "pc");
    cr_assert_eq(pc->ifaces->len, 2);
    cr_assert(!sim_topo_node_iface(pc, 0)->implicit);
    cr_assert_str_eq(sim_topo_node_iface(pc, 1)->name, "wlan0");
    cr_assert_eq(sim_topo_node_iface(pc, 1)->mac.b[5], 0xaa);
    cr_assert_eq(pc->gateway, 0x0a000001);
    cr_assert_eq(pc->gateway_pos.line, 6);
    cr_assert_eq(pc->routes->len, 2);
    SimTopoRoute *r = g_ptr_array_index(pc->routes, 1);
    cr_assert_eq(r->dst.len, 0);
    cr_assert(!r->has_via);
    cr_assert_str_eq(r->dev, "wlan0");
}

Test(topo_parse, implicit_eth0)
{
    g_autoptr(SimTopo) t = parse_ok("host bare\nhost withip ip 10.0.0.1/8\nrouter r\n");
    SimTopoNode *bare = sim_topo_find_node(t, "bare");
    cr_assert_eq(bare->ifaces->len, 1);
    cr_assert(sim_topo_node_iface(bare, 0)->implicit);
    cr_assert(!sim_topo_node_iface(bare, 0)->has_ip);
    cr_assert_eq(sim_topo_find_node(t, "withip")->ifaces->len, 1);
    cr_assert_eq(sim_topo_find_node(t, "r")->ifaces->len, 0);
}

Test(topo_parse, rates_and_loss)
{
    static const struct {
        const char *text;
        guint64 bps;
    } rates[] = {{"1.5Mbps", 1500000},      {"10kbps", 10000},     {"1Gbps", 1000000000},
                 {"100bps", 100},           {"0.5kbps", 500},      {"1.50Mbps", 1500000},
                 {"400Gbps", 400000000000}, {"0.000001Gbps", 1000}};
    for (gsize i = 0; i < G_N_ELEMENTS(rates); i++) {
        guint64 v = 0;
        cr_expect(sim_topo_parse_rate(rates[i].text, &v, NULL), "%s", rates[i].text);
        cr_expect_eq(v, rates[i].bps, "%s", rates[i].text);
    }
    g_autoptr(SimTopo) t = parse_ok("link a b loss 0.5%\nlink a b loss 100%\nlink a b loss 0%\n");
    cr_assert_float_eq(sim_topo_link(t, 0)->params.loss, 0.005, 1e-12);
    cr_assert_float_eq(sim_topo_link(t, 1)->params.loss, 1.0, 1e-12);
    cr_assert_float_eq(sim_topo_link(t, 2)->params.loss, 0.0, 1e-12);
}

Test(topo_parse, lexical_details)
{
    /* CRLF, tabs, a trailing comment glued to a word, escapes in a string. */
    g_autoptr(SimTopo) t = parse_ok("network \"say \\\"hi\\\" \\\\ bye\"\r\n"
                                    "host\ta\tip 10.0.0.1/24# comment\r\n"
                                    "# only a comment\n"
                                    "   \n"
                                    "host b");
    cr_assert_str_eq(t->title, "say \"hi\" \\ bye");
    cr_assert_eq(t->nodes->len, 2);
    cr_assert_eq(sim_topo_node_iface(sim_topo_find_node(t, "a"), 0)->ip.len, 24);
    cr_assert_eq(sim_topo_find_node(t, "b")->pos.line, 5);
    g_autoptr(SimTopo) u = parse_ok("network \"Résidence été\"\n");
    cr_assert_str_eq(u->title, "Résidence été");
}

Test(topo_parse, string_escapes)
{
    /* The seed client's message, a tab, hex bytes forming UTF-8, a quote. */
    g_autoptr(SimTopo) t =
        parse_ok("network \"GET / HTTP/1.0\\r\\n\\r\\nhello!\\t\\x41\\x7e\\xe4\\xbd\\xa0\\\"\"\n"
                 "host a\n");
    cr_assert_str_eq(t->title, "GET / HTTP/1.0\r\n\r\nhello!\tA~\xe4\xbd\xa0\"");
    /* A column after escapes counts source characters. */
    g_autofree char *e = first_syntax_error("network \"\\r\\x41\" x\n", 19);
    cr_assert_str_eq(e, "t.topo:1:18: error: unexpected 'x' at end of line");
}

Test(topo_parse, columns_count_characters)
{
    /* The title has 2-byte characters; a column after it counts them once. */
    g_autofree char *e = first_syntax_error("network \"éé\" x\n", 17);
    cr_assert_str_eq(e, "t.topo:1:14: error: unexpected 'x' at end of line");
}

/* ---- malformed inputs: the exact first error ------------------------------ */

typedef struct {
    const char *text;
    const char *error;
} Case;

static const Case syntax_cases[] = {
    {"hots a\n", "t.topo:1:1: error: unknown statement 'hots' (did you mean 'host'?)"},
    {"switch swA prots 8\n",
     "t.topo:1:12: error: unknown switch attribute 'prots' (did you mean 'ports'?)"},
    {"host a ip 1.2.3/24\n", "t.topo:1:11: error: bad ip '1.2.3/24': expected 4 octets, got 3"},
    {"host a ip 10.0.0.1\n",
     "t.topo:1:11: error: bad ip '10.0.0.1': missing prefix length (write e.g. 10.0.0.1/24)"},
    {"host a ip 10.0.0.1/33\n",
     "t.topo:1:11: error: bad ip '10.0.0.1/33': prefix length 33 is out of range 0-32"},
    {"host a mac 00:11:22:33:44\n",
     "t.topo:1:12: error: bad mac '00:11:22:33:44': expected 6 bytes, got 5"},
    {"switch s ports 70000\n", "t.topo:1:16: error: bad ports '70000': must be 1 to 65536"},
    {"switch s ports many\n", "t.topo:1:16: error: bad ports 'many': not a number"},
    {"switch s ports\n", "t.topo:1:15: error: expected a number after 'ports'"},
    {"switch s aging 5x\n",
     "t.topo:1:16: error: bad aging '5x': unknown unit 'x' (expected ns, us, ms, s, m or h)"},
    {"network \"x\n", "t.topo:1:9: error: unterminated string"},
    {"network \"a\\q\"\n",
     "t.topo:1:11: error: unknown escape in string (use \\r \\n \\t \\\\ \\\" or \\xNN)"},
    {"network \"a\\x4\"\n",
     "t.topo:1:11: error: bad escape in string: \\x needs two hex digits (e.g. \\x41)"},
    {"network \"a\\x00\"\n",
     "t.topo:1:11: error: bad escape in string: \\x00 (a NUL byte) is not allowed"},
    {"network \"a\\xff\"\n", "t.topo:1:9: error: string is not valid UTF-8"},
    {"network \"a\"\nnetwork \"b\"\n", "t.topo:2:1: error: 'network' given twice"},
    {"network\n", "t.topo:1:8: error: expected a title after 'network'"},
    {"router r1 ip 1.2.3.4/24\n",
     "t.topo:1:11: error: unexpected 'ip': router settings go on indented lines, e.g. '  "
     "interface eth0 ip 10.0.0.1/24'"},
    {"router r1\n  interface eth0\n  interface eth0\n",
     "t.topo:3:13: error: duplicate interface 'eth0' on 'r1'"},
    {"host h ip 10.0.0.1/24\n  interface eth0\n",
     "t.topo:2:13: error: duplicate interface 'eth0' on 'h'"},
    {"router r1\n  route 10.0.0.1/8 via 10.0.0.2\n",
     "t.topo:2:9: error: bad route '10.0.0.1/8': host bits set (did you mean 10.0.0.0/8?)"},
    {"router r1\n  route 10.0.0.0/8\n",
     "t.topo:2:3: error: route needs 'via ADDRESS' or 'dev INTERFACE'"},
    {"router r1\n  interfcae eth0\n",
     "t.topo:2:3: error: unknown router statement 'interfcae' (did you mean 'interface'?)"},
    {"switch s\n  vlna 10\n",
     "t.topo:2:3: error: unknown switch statement 'vlna' (did you mean 'vlan'?)"},
    {"host a\n  gateway 10.0.0.1\n  gateway 10.0.0.2\n",
     "t.topo:3:3: error: 'gateway' given twice for 'a'"},
    {"  interface x\n", "t.topo:1:3: error: unexpected indented line outside a device block"},
    {"link a b\n  interface x\n",
     "t.topo:2:3: error: unexpected indented line: 'link' lines have no block"},
    {"interface eth0\n", "t.topo:1:1: error: 'interface' must be indented under a host or router"},
    {"host show\n", "t.topo:1:6: error: 'show' is a command word and cannot name a node"},
    {"host 1pc\n", "t.topo:1:6: error: bad node name '1pc': a name starts with a letter or '_' "
                   "and goes on with letters, digits, '_' or '-'"},
    {"host a ip 10.0.0.1/24 ip 10.0.0.2/24\n", "t.topo:1:23: error: 'ip' given twice"},
    {"host a \"x\"\n", "t.topo:1:8: error: expected a host attribute, got a string"},
    {"link a\n", "t.topo:1:7: error: expected a second endpoint after 'a'"},
    {"link\n", "t.topo:1:5: error: expected two endpoints after 'link'"},
    {"link a.b.c d\n", "t.topo:1:8: error: bad interface or port 'b.c' in 'a.b.c'"},
    {"link a. b\n", "t.topo:1:8: error: expected an interface or port after 'a.'"},
    {"link \"a\" b\n",
     "t.topo:1:6: error: expected an endpoint (NODE or NODE.IFACE), got a string"},
    {"link a b rate 5Mbs\n",
     "t.topo:1:15: error: bad rate '5Mbs': unknown unit 'Mbs' (use bps, kbps, Mbps or Gbps)"},
    {"link a b rate 1.5bps\n", "t.topo:1:15: error: bad rate '1.5bps': finer than 1 bps"},
    {"link a b rate 0Mbps\n", "t.topo:1:15: error: bad rate '0Mbps': must be greater than 0"},
    {"link a b loss 5\n",
     "t.topo:1:15: error: bad loss '5': missing '%' (loss is a percentage such as 1%)"},
    {"link a b loss 101%\n", "t.topo:1:15: error: bad loss '101%': must be 0% to 100%"},
    {"link a b queue 0\n", "t.topo:1:16: error: bad queue '0': must be 1 to 1000000"},
    {"link a b delay -1us\n",
     "t.topo:1:16: error: bad delay '-1us': negative times are not allowed"},
    {"link a b speed 1Gbps\n", "t.topo:1:10: error: unknown link parameter 'speed'"},
    {"defaults lnk rate 1Mbps\n",
     "t.topo:1:10: error: unknown defaults target 'lnk' (did you mean 'link'?)"},
    {"defaults link rate 1Mbps\ndefaults link rate 2Mbps\n",
     "t.topo:2:15: error: link default 'rate' is already set"},
    {"at 5x a ping b\n",
     "t.topo:1:4: error: bad time '5x': unknown unit 'x' (expected ns, us, ms, s, m or h)"},
    {"at\n", "t.topo:1:3: error: expected a time after 'at'"},
    {"at 1s\n", "t.topo:1:6: error: expected a command after '1s'"},
    {"at 1s a pnig b\n", "t.topo:1:9: error: unknown command 'pnig' (did you mean 'ping'?)"},
    {"at 1s shwo swA mac\n", "t.topo:1:7: error: unknown command 'shwo' (did you mean 'show'?)"},
    {"at 1s ping 10.0.0.1\n",
     "t.topo:1:7: error: 'ping' needs a node first: 'at TIME NODE ping ...'"},
    {"at 1s a ping\n", "t.topo:1:13: error: expected a target address or node after 'ping'"},
    {"at 1s a ping 10.0.0.256\n",
     "t.topo:1:14: error: bad target '10.0.0.256': octet 256 is out of range 0-255"},
    {"at 1s a ping 10.0.0.1 cuont 3\n",
     "t.topo:1:23: error: unknown ping option 'cuont' (did you mean 'count'?)"},
    {"at 1s a ping 10.0.0.1 count 0\n", "t.topo:1:29: error: bad count '0': must be 1 to 65535"},
    /* The ICMP sequence number is 16 bits; ping would refuse it at run time. */
    {"at 1s a ping 10.0.0.1 count 65536\n",
     "t.topo:1:29: error: bad count '65536': must be 1 to 65535"},
    {"at 1s a ping 10.0.0.1 ttl 300\n", "t.topo:1:27: error: bad ttl '300': must be 1 to 255"},
    {"at 1s a ping 10.0.0.1 interval 0s\n",
     "t.topo:1:32: error: bad interval '0s': must be greater than 0"},
    {"at 1s a traceroute 10.0.0.1 max-hop 3\n",
     "t.topo:1:29: error: unknown traceroute option 'max-hop' (did you mean 'max-hops'?)"},
    {"switch s stp on priority 5000\n",
     "t.topo:1:26: error: bad priority '5000': must be a multiple of 4096 (0, 4096, 8192, ... "
     "61440)"},
    {"switch s stp maybe\n", "t.topo:1:14: error: bad stp 'maybe': expected on, rstp or off"},
    {"switch s ports 5000 stp on\n",
     "t.topo:1:25: error: a switch with spanning tree has at most 4095 ports (802.1D port ids have "
     "12 bits); 's' has 5000"},
    {"switch s priority 4096\n",
     "t.topo:1:10: error: spanning tree settings need 'stp on' or 'stp rstp' on switch 's'"},
    {"switch s stp on hello 20s\n",
     "t.topo:1:23: error: bad hello '20s': must be 1s to 10s (802.1D)"},
    {"switch s stp on max-age 40s\n",
     "t.topo:1:17: error: spanning tree times of 's' break 2 x (forward-delay - 1s) >= max-age >= "
     "2 "
     "x (hello + 1s) (802.1D 8.10.2): forward-delay 15s, max-age 40s, hello 2s"},
    {"switch s stp on\n  port 9 cost 4\n",
     "t.topo:2:8: error: bad port '9': the switch has ports 1-8"},
    {"switch s stp on\n  port 2-1 edge\n",
     "t.topo:2:8: error: bad port '2-1': the switch has ports 1-8"},
    {"switch s stp on\n  port 1 access 10 cots 4\n",
     "t.topo:2:20: error: unknown port setting 'cots' (did you mean 'cost'?)"},
    {"switch s stp on\n  port 1,9 edge\n",
     "t.topo:2:10: error: port 9 out of range on switch 's' (ports 1-8)"},
    {"switch s stp on\n  port 1 trunk cost 0\n",
     "t.topo:2:21: error: bad cost '0': must be 1 to 65535"},
    {"switch s\n  port 1 access 10 cost 4\n",
     "t.topo:2:3: error: port cost and edge are spanning tree settings: switch 's' needs 'stp on' "
     "or 'stp rstp'"},
    {"switch s stp rstp\n  port 1 cots 4\n",
     "t.topo:2:10: error: unknown port setting 'cots' (did you mean 'cost'?)"},
    {"switch s\n  port 1 cost 4\n",
     "t.topo:2:3: error: port cost and edge are spanning tree settings: switch 's' needs 'stp on' "
     "or 'stp rstp'"},
    {"at 1s show swA mca\n", "t.topo:1:16: error: unknown table 'mca' (did you mean 'mac'?)"},
    {"at 1s show swA\n",
     "t.topo:1:15: error: expected a table (mac, arp, route, interfaces, vlan, sockets, nat, "
     "dhcp, spanning-tree, dns-cache or zone) after 'swA'"},
    {"at 1s show swA mac now\n", "t.topo:1:20: error: unexpected 'now' at end of line"},
    {"at 1s clear a route\n", "t.topo:1:15: error: cannot clear the route table (only arp or mac)"},
    {"at 1s link a b sideways\n", "t.topo:1:16: error: unknown link state 'sideways'"},
    {"at 1s link a b\n", "t.topo:1:15: error: expected 'up' or 'down' after 'b'"},
    {"host a\x01\n", "t.topo:1:7: error: unexpected control character 0x01"},
    {"host \xc3\xa9\n", "t.topo:1:6: error: non-ASCII character outside a quoted string"},
    {"network \"\xff\"\n", "t.topo:1:9: error: string is not valid UTF-8"},
    /* 802.1Q: a bad VID is reported at its own column, even inside a list. */
    {"switch s\n  port 1 access 0\n",
     "t.topo:2:17: error: bad VLAN id '0': 0 is not a VLAN (it marks a priority-only tag); use "
     "1-4094"},
    {"switch s\n  port 8 trunk allowed 10,4095\n",
     "t.topo:2:27: error: bad VLAN id '4095': 4095 is reserved by 802.1Q; use 1-4094"},
    {"switch s\n  vlan 4095\n",
     "t.topo:2:8: error: bad VLAN id '4095': 4095 is reserved by 802.1Q; use 1-4094"},
    {"switch s\n  port 1 access 10 trunk\n",
     "t.topo:2:20: error: a port cannot be both access and trunk"},
    {"switch s\n  port 9 access 10\n",
     "t.topo:2:8: error: port 9 out of range on switch 's' (ports 1-8)"},
    {"switch s\n  port 1 native 10\n",
     "t.topo:2:10: error: 'native' applies to trunk ports only (write 'trunk' before it)"},
    {"switch s\n  port 1 acess 10\n",
     "t.topo:2:10: error: unknown port setting 'acess' (did you mean 'access'?)"},
    {"router r\n  interface eth0.10 ip 10.0.0.1/24\n",
     "t.topo:2:13: error: sub-interface 'eth0.10' needs its parent: declare 'interface eth0' "
     "first"},
    {"router r\n  interface eth0\n  interface eth0.0 ip 10.0.0.1/24\n",
     "t.topo:3:18: error: bad VLAN id '0': 0 is not a VLAN (it marks a priority-only tag); use "
     "1-4094"},
    {"host pc dhcp\nat 1s pc dhcp renew\n",
     "t.topo:2:10: error: expected 'dhcp release' or 'dhcp reboot'"},
};

Test(topo_parse, malformed_inputs)
{
    cr_assert_geq(G_N_ELEMENTS(syntax_cases), 30);
    for (gsize i = 0; i < G_N_ELEMENTS(syntax_cases); i++) {
        const Case *c = &syntax_cases[i];
        g_autofree char *got = first_syntax_error(c->text, strlen(c->text));
        cr_expect_str_eq(got, c->error, "input %zu: %s\n got: %s\nwant: %s", i, c->text, got,
                         c->error);
    }
}

Test(topo_parse, nul_byte)
{
    static const char text[] = "host a\nhost b\0c\n";
    g_autofree char *e = first_syntax_error(text, sizeof text - 1);
    cr_assert_str_eq(e, "t.topo:2:7: error: NUL byte in input");
}

Test(topo_parse, every_error_is_reported)
{
    g_autoptr(SimDiag) d = sim_diag_new();
    g_autoptr(SimTopo) t = sim_topo_parse_string("m.topo",
                                                 "host a ip 10.0.0.1/24\n"
                                                 "hots b\n"
                                                 "switch s ports 0 aging 1parsec\n"
                                                 "host c\n"
                                                 "link a\n"
                                                 "at 1s c pnig a\n",
                                                 d);
    cr_assert_eq(sim_diag_errors(d), 5);
    static const char *want[] = {
        "m.topo:2:1: error: unknown statement 'hots' (did you mean 'host'?)",
        "m.topo:3:16: error: bad ports '0': must be 1 to 65536",
        ("m.topo:3:24: error: bad aging '1parsec': unknown unit 'parsec' (expected ns, us, ms, "
         "s, m or h)"),
        "m.topo:5:7: error: expected a second endpoint after 'a'",
        "m.topo:6:9: error: unknown command 'pnig' (did you mean 'ping'?)",
    };
    for (guint i = 0; i < G_N_ELEMENTS(want); i++) {
        g_autofree char *got = sim_diag_format(d, i);
        cr_expect_str_eq(got, want[i]);
    }
    /* Good lines are still in the tree. */
    cr_assert_eq(t->nodes->len, 3);
    cr_assert(sim_topo_find_node(t, "s")->bad);
    cr_assert(!sim_topo_find_node(t, "a")->bad);
}

Test(topo_parse, error_cap_stops_early)
{
    GString *s = g_string_new(NULL);
    for (int i = 0; i < 100; i++)
        g_string_append(s, "bogus line\n");
    g_autoptr(SimDiag) d = sim_diag_new();
    g_autoptr(SimTopo) t = sim_topo_parse_string("c.topo", s->str, d);
    g_string_free(s, TRUE);
    cr_assert_eq(sim_diag_count(d), SIM_DIAG_DEFAULT_MAX_ERRORS);
    cr_assert_eq(sim_diag_errors(d), SIM_DIAG_DEFAULT_MAX_ERRORS + 1); /* then it stopped */
    cr_assert(sim_diag_full(d));
    g_autofree char *r = sim_diag_render(d);
    cr_assert(g_str_has_suffix(r, "note: too many errors; only the first 20 are shown\n"));
    cr_assert(!sim_topo_validate(t, d));
}

Test(topo_parse, bad_header_skips_its_block)
{
    /* The block of a broken declaration is not reported line by line. */
    g_autoptr(SimDiag) d = sim_diag_new();
    g_autoptr(SimTopo) t = sim_topo_parse_string("t.topo",
                                                 "router 9r\n"
                                                 "  interface eth0 ip 10.0.0.1/24\n"
                                                 "  nonsense here\n"
                                                 "host ok\n",
                                                 d);
    cr_assert_eq(sim_diag_errors(d), 1);
    cr_assert_eq(t->nodes->len, 1);
    cr_assert(g_hash_table_contains(t->poisoned, "9r"));
}

Test(topo_parse, missing_file)
{
    g_autoptr(SimDiag) d = sim_diag_new();
    SimTopo *t = sim_topo_parse_file("/nonexistent/dir/x.topo", d);
    cr_assert_null(t);
    cr_assert_eq(sim_diag_errors(d), 1);
    g_autofree char *e = sim_diag_format(d, 0);
    cr_assert(g_str_has_prefix(e, "/nonexistent/dir/x.topo: error: cannot read file: "), "%s", e);
}

Test(topo_parse, parse_file_reads_topologies)
{
    g_autofree char *path = g_build_filename(g_get_tmp_dir(), "netsim-topo-test-XXXXXX", NULL);
    int fd = g_mkstemp(path);
    cr_assert_geq(fd, 0);
    close(fd);
    cr_assert(g_file_set_contents(path, dorm, -1, NULL));
    g_autoptr(SimDiag) d = sim_diag_new();
    g_autoptr(SimTopo) t = sim_topo_parse_file(path, d);
    g_unlink(path);
    cr_assert_not_null(t);
    cr_assert(!sim_diag_has_errors(d));
    cr_assert_str_eq(sim_topo_find_node(t, "alex")->pos.file, path);
}

/* ---- hostile input ------------------------------------------------------- */

/* Parses, validates and renders; asserts that every position is inside the
 * input, which also proves the run completed. */
static void survive(const char *text, gsize len)
{
    g_autoptr(SimDiag) d = sim_diag_new();
    g_autoptr(SimTopo) t = sim_topo_parse_buffer("z.topo", text, len, d);
    cr_assert_not_null(t);
    sim_topo_validate(t, d);
    g_autofree char *r = sim_diag_render(d);
    cr_assert_not_null(r);
    guint lines = 1;
    for (gsize i = 0; i < len; i++)
        lines += text[i] == '\n';
    for (guint i = 0; i < sim_diag_count(d); i++)
        cr_assert_leq(sim_diag_get(d, i)->line, lines);
}

Test(topo_parse, random_bytes)
{
    GRand *rng = g_rand_new_with_seed(42);
    for (int iter = 0; iter < 300; iter++) {
        gsize len = (gsize)g_rand_int_range(rng, 0, 2048);
        g_autofree char *buf = g_malloc(len + 1);
        for (gsize i = 0; i < len; i++)
            buf[i] = (char)g_rand_int_range(rng, 0, 256);
        buf[len] = 0;
        survive(buf, len);
    }
    g_rand_free(rng);
}

Test(topo_parse, random_tokens)
{
    /* Plausible words in random order reach deep into the parser. */
    static const char *words[] = {"host",
                                  "switch",
                                  "hub",
                                  "router",
                                  "link",
                                  "at",
                                  "defaults",
                                  "network",
                                  "interface",
                                  "route",
                                  "gateway",
                                  "ip",
                                  "mac",
                                  "mtu",
                                  "ports",
                                  "via",
                                  "dev",
                                  "metric",
                                  "rate",
                                  "delay",
                                  "loss",
                                  "queue",
                                  "ping",
                                  "traceroute",
                                  "show",
                                  "clear",
                                  "up",
                                  "down",
                                  "arp",
                                  "a",
                                  "b",
                                  "a.eth0",
                                  "s.1",
                                  "s.99",
                                  "10.0.0.1",
                                  "10.0.0.1/24",
                                  "0.0.0.0/0",
                                  "1s",
                                  "5%",
                                  "1Mbps",
                                  "00:11:22:33:44:55",
                                  "\"t\"",
                                  "8",
                                  "0",
                                  "\n",
                                  "\n",
                                  "\n  ",
                                  "\n\t",
                                  "#",
                                  "default",
                                  "icmp",
                                  "df",
                                  "count",
                                  "eth0",
                                  "aging",
                                  "mac-table",
                                  "probes",
                                  "s",
                                  "r",
                                  "r.eth0"};
    GRand *rng = g_rand_new_with_seed(7);
    for (int iter = 0; iter < 400; iter++) {
        GString *s = g_string_new(NULL);
        int n = g_rand_int_range(rng, 0, 200);
        for (int k = 0; k < n; k++) {
            g_string_append(s, words[g_rand_int_range(rng, 0, G_N_ELEMENTS(words))]);
            g_string_append_c(s, ' ');
        }
        survive(s->str, s->len);
        g_string_free(s, TRUE);
    }
    g_rand_free(rng);
}

Test(topo_parse, huge_and_deep_input)
{
    /* A 1 MB word, a 1 MB string, deep indentation, endless dots, huge
     * numbers, and a long run of lines after an error. */
    gsize big = 1 << 20;
    g_autofree char *word = g_malloc(big + 16);
    memset(word, 'a', big);
    memcpy(word + big, "\nhost\n", 7);
    survive(word, strlen(word));
    word[0] = '"';
    survive(word, strlen(word));
    memset(word, ' ', big);
    memcpy(word + big - 2, "x\n", 3);
    survive(word, strlen(word));
    memset(word, '.', big);
    memcpy(word, "link ", 5);
    survive(word, strlen(word));
    static const char nums[] = "switch s ports 99999999999999999999999999999\n"
                               "link a b rate 99999999999999999999Gbps queue 18446744073709551616\n"
                               "at 99999999999999999999h a ping 1.2.3.4\n"
                               "link s.99999999999999999999999 a\n";
    survive(nums, sizeof nums - 1);
    GString *s = g_string_new("host \"\n");
    for (int i = 0; i < 100000; i++)
        g_string_append(s, "  interface x\n");
    survive(s->str, s->len);
    g_string_free(s, TRUE);
}
