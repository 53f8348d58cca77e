/* test_l3.c - routing scenarios through the C API: two dorms and a router,
 * a chain of routers to a cloud server (traceroute), no route, a routing
 * loop, a dead next hop, fragmentation and DF. Every frame of each
 * scenario is captured and must dissect cleanly in tshark, quoted headers
 * of ICMP errors included. */
#include "helpers.h"

#include "sim/apps/ping.h"
#include "sim/apps/traceroute.h"
#include "sim/l2/switch.h"
#include "sim/l3/arp.h"
#include "sim/net/icmp_hdr.h"

/* alex 192.168.10.1 - swA - r1 eth0 .10.254 | r1 eth1 .20.254 - swB - bob .20.1
 * mtu0/mtu1: MTU of the two LANs (0 = 1500). */
typedef struct {
    SimWorld *w;
    SimNode *alex, *bob, *r1, *swA, *swB;
    Recorder *rec;
} Dorms;

static Dorms dorms_new(uint32_t mtu0, uint32_t mtu1)
{
    Dorms d = {.w = sim_world_new(42)};
    d.rec = recorder_new(d.w, "l3.pcap", false);
    d.swA = sim_switch_new(d.w, "swA", 8, NULL);
    d.swB = sim_switch_new(d.w, "swB", 8, NULL);
    d.alex = mk_host(d.w, "alex", "192.168.10.1/24", "192.168.10.254");
    d.bob = mk_host(d.w, "bob", "192.168.20.1/24", "192.168.20.254");
    d.r1 = sim_router_new(d.w, "r1");
    SimIface *e0 = mk_if(d.r1, "eth0", "192.168.10.254/24");
    SimIface *e1 = mk_if(d.r1, "eth1", "192.168.20.254/24");
    mk_link(d.w, eth0(d.alex), sim_node_iface(d.swA, 0), mtu0);
    mk_link(d.w, e0, sim_node_iface(d.swA, 7), mtu0);
    mk_link(d.w, eth0(d.bob), sim_node_iface(d.swB, 0), mtu1);
    mk_link(d.w, e1, sim_node_iface(d.swB, 7), mtu1);
    return d;
}

static void noop(void *ctx, void *arg) {}

/* Closes the capture, has tshark check every frame, frees everything. */
static void finish(SimWorld *w, Recorder *r)
{
    recorder_close_pcap(r);
    cr_assert_gt(r->frames, 0);
    tshark_check_clean(r->pcap_path, r->frames);
    recorder_free(r);
    sim_world_free(w);
}

/* pm: ping's -M (DEFAULT: ping's own default, WANT). */
static SimPing *ping_opts(SimNode *h, const char *dst, guint count, guint size, SimIpPmtuDisc pm)
{
    SimPingOpts o;
    sim_ping_opts_default(&o);
    o.count = count;
    o.size = size;
    if (pm)
        o.pmtudisc = pm;
    g_autoptr(GError) err = NULL;
    SimPing *p = sim_ping_start(h, ip4(dst), &o, &err);
    cr_assert_not_null(p, "%s", err ? err->message : "");
    return p;
}

Test(l3, ping_across_router)
{
    Dorms d = dorms_new(0, 0);
    SimPing *p = ping_opts(d.alex, "192.168.20.1", 3, 56, SIM_IP_PMTUDISC_DEFAULT);
    sim_world_run(d.w, 10 * SIM_SEC, 0);
    const SimPingResults *res = sim_ping_results(p);
    cr_assert(res->finished);
    cr_assert_eq(res->received, 3);
    cr_assert_eq(res->last_ttl, 63, "one router on the way back");
    g_autofree char *out = app_output(d.rec, "alex");
    cr_assert(strstr(out, "64 bytes from 192.168.20.1: icmp_seq=1 ttl=63 time="), "%s", out);
    /* The router traced its decision, with the TTL it wrote. */
    cr_assert_eq(rec_count(d.rec, SIM_TR_ROUTE, "r1",
                           "192.168.20.1 matches 192.168.20.0/24 → eth1 (on-link), TTL 64→63", 0),
                 3);
    cr_assert_eq(rec_count(d.rec, SIM_TR_ROUTE, "bob",
                           "192.168.10.1 matches 0.0.0.0/0 → eth0 via 192.168.20.254", 0),
                 3);

    /* The router knows both hosts; each host knows only its gateway. */
    SimMac mac;
    cr_assert(sim_arp_lookup(sim_node_iface(d.r1, 0), ip4("192.168.10.1"), &mac, NULL));
    cr_assert(sim_mac_equal(&mac, sim_iface_mac(eth0(d.alex))));
    cr_assert(sim_arp_lookup(sim_node_iface(d.r1, 1), ip4("192.168.20.1"), &mac, NULL));
    cr_assert(sim_mac_equal(&mac, sim_iface_mac(eth0(d.bob))));
    cr_assert(sim_arp_lookup(eth0(d.alex), ip4("192.168.10.254"), &mac, NULL));
    cr_assert(sim_mac_equal(&mac, sim_iface_mac(sim_node_iface(d.r1, 0))));
    cr_assert_not(sim_arp_lookup(eth0(d.alex), ip4("192.168.20.1"), NULL, NULL));
    cr_assert_eq(sim_arp_count(d.alex), 1);
    cr_assert_eq(sim_arp_count(d.bob), 1);
    cr_assert_eq(sim_arp_count(d.r1), 2);
    g_autoptr(GString) s = g_string_new(NULL);
    sim_ip_show_arp(d.alex, s);
    cr_assert(g_str_has_prefix(s->str, "192.168.10.254 dev eth0 lladdr 02:"), "%s", s->str);
    /* The router answers a ping to its far address too. */
    SimPing *p2 = ping_opts(d.alex, "192.168.20.254", 1, 56, SIM_IP_PMTUDISC_DEFAULT);
    sim_world_run(d.w, 20 * SIM_SEC, 0);
    cr_assert_eq(sim_ping_results(p2)->received, 1);
    cr_assert_eq(sim_ping_results(p2)->last_ttl, 64);
    finish(d.w, d.rec);
}

/* h 10.0.1.1 - r1 - 10.0.12.0/30 - r2 - 10.0.23.0/30 - r3 - cloud 203.0.113.10 */
typedef struct {
    SimWorld *w;
    SimNode *h, *cloud, *r[3];
    Recorder *rec;
} Chain;

/* back: whether r2 has its route back to h's LAN. */
static Chain chain_new(bool back)
{
    Chain c = {.w = sim_world_new(3)};
    c.rec = recorder_new(c.w, "chain.pcap", false);
    c.h = mk_host(c.w, "h", "10.0.1.1/24", "10.0.1.254");
    c.cloud = mk_host(c.w, "cloud", "203.0.113.10/24", "203.0.113.1");
    for (int i = 0; i < 3; i++) {
        char n[8];
        g_snprintf(n, sizeof n, "r%d", i + 1);
        c.r[i] = sim_router_new(c.w, n);
    }
    SimIface *a = mk_if(c.r[0], "eth0", "10.0.1.254/24");
    SimIface *b1 = mk_if(c.r[0], "eth1", "10.0.12.1/30");
    SimIface *b2 = mk_if(c.r[1], "eth0", "10.0.12.2/30");
    SimIface *c2 = mk_if(c.r[1], "eth1", "10.0.23.1/30");
    SimIface *c3 = mk_if(c.r[2], "eth0", "10.0.23.2/30");
    SimIface *d3 = mk_if(c.r[2], "eth1", "203.0.113.1/24");
    mk_route(c.r[0], "0.0.0.0/0", "10.0.12.2");
    if (back)
        mk_route(c.r[1], "10.0.1.0/24", "10.0.12.1");
    mk_route(c.r[1], "0.0.0.0/0", "10.0.23.2");
    mk_route(c.r[2], "0.0.0.0/0", "10.0.23.1");
    mk_link(c.w, eth0(c.h), a, 0);
    mk_link(c.w, b1, b2, 0);
    mk_link(c.w, c2, c3, 0);
    mk_link(c.w, d3, eth0(c.cloud), 0);
    return c;
}

static void check_trace_hops(Chain *c, const SimTraceroute *t)
{
    const SimTracerouteResults *r = sim_traceroute_results(t);
    cr_assert(r->finished);
    cr_assert(r->reached);
    cr_assert_eq(r->hops->len, 4);
    const char *want[] = {"10.0.1.254", "10.0.12.2", "10.0.23.2", "203.0.113.10"};
    for (guint i = 0; i < 4; i++) {
        const SimTracerouteHop *hop = &g_array_index(r->hops, SimTracerouteHop, i);
        cr_assert_eq(hop->ttl, i + 1);
        cr_assert_eq(hop->nprobes, 3);
        for (guint k = 0; k < 3; k++)
            cr_assert_eq(hop->probes[k].addr, ip4(want[i]), "hop %u probe %u", i + 1, k);
    }
}

Test(l3, traceroute_udp_through_three_routers)
{
    Chain c = chain_new(true);
    SimTracerouteOpts o;
    sim_traceroute_opts_default(&o);
    SimTraceroute *t = sim_traceroute_start(c.h, ip4("203.0.113.10"), &o, NULL);
    cr_assert_not_null(t);
    sim_world_run(c.w, 60 * SIM_SEC, 0);
    check_trace_hops(&c, t);
    const SimTracerouteHop *last =
        &g_array_index(sim_traceroute_results(t)->hops, SimTracerouteHop, 3);
    cr_assert_eq(last->probes[0].type, SIM_ICMP_DEST_UNREACH);
    cr_assert_eq(last->probes[0].code, SIM_ICMP_UNREACH_PORT);
    g_autofree char *out = app_output(c.rec, "h");
    g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
    cr_assert_eq(g_strv_length(lines), 6, "%s", out);
    cr_assert_str_eq(lines[0],
                     "traceroute to 203.0.113.10 (203.0.113.10), 30 hops max, 60 byte packets");
    cr_assert(g_str_has_prefix(lines[1], " 1  10.0.1.254  0."), "%s", lines[1]);
    cr_assert(g_str_has_prefix(lines[3], " 3  10.0.23.2  0."), "%s", lines[3]);
    cr_assert(g_str_has_prefix(lines[4], " 4  203.0.113.10  0."), "%s", lines[4]);
    cr_assert(g_str_has_suffix(lines[4], " ms"), "%s", lines[4]);
    /* Three probes per hop, each one "ms" figure, no annotation. */
    g_auto(GStrv) ms = g_strsplit(lines[2], " ms", -1);
    cr_assert_eq(g_strv_length(ms), 4);
    /* Probes went to 33434 and up; the cloud answered the last hop's. */
    cr_assert_eq(rec_count(c.rec, SIM_TR_DROP, "cloud", "to port 33443: nothing listens", 0), 1);
    cr_assert_eq(rec_count(c.rec, SIM_TR_TTL_EXCEEDED, "r2", NULL, 0), 3);
    finish(c.w, c.rec);
}

Test(l3, traceroute_icmp_mode)
{
    Chain c = chain_new(true);
    SimTracerouteOpts o;
    sim_traceroute_opts_default(&o);
    o.icmp = true;
    SimTraceroute *t = sim_traceroute_start(c.h, ip4("203.0.113.10"), &o, NULL);
    cr_assert_not_null(t);
    sim_world_run(c.w, 60 * SIM_SEC, 0);
    check_trace_hops(&c, t);
    const SimTracerouteHop *last =
        &g_array_index(sim_traceroute_results(t)->hops, SimTracerouteHop, 3);
    cr_assert_eq(last->probes[2].type, SIM_ICMP_ECHO_REPLY);
    finish(c.w, c.rec);
}

Test(l3, traceroute_silent_hops_print_stars)
{
    /* Without its route back, r2 sends h's packets on towards r3, whose
     * default points back at r2: errors from r2 and r3 loop until their TTL
     * runs out, and nobody reports the death of an ICMP error. */
    Chain c = chain_new(false);
    SimTracerouteOpts o;
    sim_traceroute_opts_default(&o);
    o.max_hops = 3;
    SimTraceroute *t = sim_traceroute_start(c.h, ip4("203.0.113.10"), &o, NULL);
    cr_assert_not_null(t);
    sim_world_run(c.w, 120 * SIM_SEC, 0);
    const SimTracerouteResults *r = sim_traceroute_results(t);
    cr_assert(r->finished);
    cr_assert_not(r->reached);
    cr_assert_eq(r->hops->len, 3);
    cr_assert_eq(sim_traceroute_hop_addr(t, 0), ip4("10.0.1.254"));
    cr_assert_eq(sim_traceroute_hop_addr(t, 1), 0);
    g_autofree char *out = app_output(c.rec, "h");
    cr_assert(strstr(out, "\n 2  * * *\n 3  * * *\n"), "%s", out);
    cr_assert_gt(rec_count(c.rec, SIM_TR_INFO, NULL, "it is an ICMP error itself", 0), 0);
    finish(c.w, c.rec);
}

Test(l3, no_route_gives_net_unreachable)
{
    Dorms d = dorms_new(0, 0);
    SimPing *p = ping_opts(d.alex, "10.9.9.9", 2, 56, SIM_IP_PMTUDISC_DEFAULT);
    sim_world_run(d.w, 30 * SIM_SEC, 0);
    const SimPingResults *res = sim_ping_results(p);
    cr_assert(res->finished);
    cr_assert_eq(res->received, 0);
    cr_assert_eq(res->errors, 2);
    cr_assert_eq(res->last_error_from, ip4("192.168.10.254"));
    cr_assert_eq(res->last_error_type, SIM_ICMP_DEST_UNREACH);
    cr_assert_eq(res->last_error_code, SIM_ICMP_UNREACH_NET);
    g_autofree char *out = app_output(d.rec, "alex");
    cr_assert(strstr(out, "From 192.168.10.254 icmp_seq=1 Destination Net Unreachable\n"), "%s",
              out);
    cr_assert(strstr(out, "2 packets transmitted, 0 received, +2 errors, 100% packet loss"), "%s",
              out);
    cr_assert_eq(rec_count(d.rec, SIM_TR_DROP, "r1", "no route to 10.9.9.9", 0), 2);
    cr_assert_eq(rec_count(d.rec, SIM_TR_UNREACHABLE, "r1", "net unreachable, code 0", 0), 2);
    finish(d.w, d.rec);
}

Test(l3, host_without_route_cannot_start)
{
    SimWorld *w = sim_world_new(1);
    Recorder *r = recorder_new(w, NULL, false);
    SimNode *h = mk_host(w, "h", "10.0.0.1/24", NULL);
    SimPing *p = ping_opts(h, "8.8.8.8", 2, 56, SIM_IP_PMTUDISC_DEFAULT);
    sim_world_run(w, 5 * SIM_SEC, 0);
    cr_assert(sim_ping_results(p)->finished);
    cr_assert(sim_ping_results(p)->no_route);
    cr_assert_eq(sim_ping_results(p)->transmitted, 0);
    g_autofree char *out = app_output(r, "h");
    cr_assert_str_eq(out, "ping: connect: Network is unreachable\n");
    recorder_free(r);
    sim_world_free(w);
}

Test(l3, routing_loop_ends_in_time_exceeded)
{
    SimWorld *w = sim_world_new(5);
    Recorder *r = recorder_new(w, "loop.pcap", false);
    SimNode *h = mk_host(w, "h", "10.0.1.1/24", "10.0.1.254");
    SimNode *r1 = sim_router_new(w, "r1"), *r2 = sim_router_new(w, "r2");
    SimIface *a = mk_if(r1, "eth0", "10.0.1.254/24");
    SimIface *b = mk_if(r1, "eth1", "10.0.12.1/30");
    SimIface *c = mk_if(r2, "eth0", "10.0.12.2/30");
    mk_route(r1, "0.0.0.0/0", "10.0.12.2");
    mk_route(r2, "0.0.0.0/0", "10.0.12.1"); /* back at r1: a loop */
    mk_link(w, eth0(h), a, 0);
    mk_link(w, b, c, 0);
    SimPing *p = ping_opts(h, "8.8.8.8", 1, 56, SIM_IP_PMTUDISC_DEFAULT);
    sim_world_run(w, 20 * SIM_SEC, 0);
    const SimPingResults *res = sim_ping_results(p);
    cr_assert(res->finished);
    cr_assert_eq(res->errors, 1);
    cr_assert_eq(res->last_error_type, SIM_ICMP_TIME_EXCEEDED);
    /* TTL 64 leaves h: 63 forwards, the 64th router drops it. */
    guint hops = rec_count(r, SIM_TR_ROUTE, "r1", "8.8.8.8 matches", 0) +
                 rec_count(r, SIM_TR_ROUTE, "r2", "8.8.8.8 matches", 0);
    cr_assert_eq(hops, 63);
    cr_assert_eq(rec_count(r, SIM_TR_TTL_EXCEEDED, NULL, NULL, 0), 1);
    cr_assert_eq(rec_count(r, SIM_TR_DROP, NULL, "TTL 1 expired in transit to 8.8.8.8", 0), 1);
    g_autofree char *out = app_output(r, "h");
    g_autofree char *from =
        g_strdup_printf("From %s icmp_seq=1 Time to live exceeded\n",
                        res->last_error_from == ip4("10.0.1.254") ? "10.0.1.254" : "10.0.12.2");
    cr_assert(strstr(out, from), "%s", out);
    finish(w, r);
}

Test(l3, dead_next_hop_gives_host_unreachable)
{
    Dorms d = dorms_new(0, 0);
    SimPing *p = ping_opts(d.alex, "192.168.20.99", 1, 56, SIM_IP_PMTUDISC_DEFAULT);
    sim_world_run(d.w, 30 * SIM_SEC, 0);
    const SimPingResults *res = sim_ping_results(p);
    cr_assert(res->finished);
    cr_assert_eq(res->errors, 1);
    cr_assert_eq(res->last_error_code, SIM_ICMP_UNREACH_HOST);
    g_autofree char *out = app_output(d.rec, "alex");
    cr_assert(strstr(out, "From 192.168.10.254 icmp_seq=1 Destination Host Unreachable\n"), "%s",
              out);
    cr_assert_eq(rec_count(d.rec, SIM_TR_ARP_REQUEST, "r1", "who-has 192.168.20.99", 0), 3);
    cr_assert_eq(rec_count(d.rec, SIM_TR_DROP, "r1", "no ARP reply from 192.168.20.99", 0), 1);
    finish(d.w, d.rec);
}

Test(l3, big_ping_is_fragmented_and_reassembled)
{
    Dorms d = dorms_new(0, 0);
    SimPing *p = ping_opts(d.alex, "192.168.20.1", 2, 4000, SIM_IP_PMTUDISC_DEFAULT);
    sim_world_run(d.w, 10 * SIM_SEC, 0);
    const SimPingResults *res = sim_ping_results(p);
    cr_assert(res->finished);
    cr_assert_eq(res->received, 2);
    g_autofree char *out = app_output(d.rec, "alex");
    cr_assert(strstr(out, "PING 192.168.20.1 (192.168.20.1) 4000(4028) bytes of data.\n"));
    cr_assert(strstr(out, "4008 bytes from 192.168.20.1: icmp_seq=2 ttl=63"), "%s", out);
    /* Each 4028-byte datagram leaves as 1500 + 1500 + 1068 bytes; the far
     * end puts it back together. */
    cr_assert_eq(rec_count(d.rec, SIM_TR_FRAGMENT, "alex", "4028-byte datagram", 0), 2);
    cr_assert_eq(rec_count(d.rec, SIM_TR_FRAGMENT, "alex", "→ 3 fragments (MTU 1500)", 0), 2);
    cr_assert_eq(rec_count(d.rec, SIM_TR_FRAGMENT, "bob", "→ 3 fragments", 0), 2);
    cr_assert_eq(rec_count(d.rec, SIM_TR_REASSEMBLE, "bob", "from 3 fragments, 4028 bytes", 0), 2);
    cr_assert_eq(rec_count(d.rec, SIM_TR_REASSEMBLE, "alex", "from 3 fragments, 4028 bytes", 0), 2);
    cr_assert_eq(rec_count(d.rec, SIM_TR_ROUTE, "r1", "TTL 64→63", 0), 12);
    finish(d.w, d.rec);
}

Test(l3, router_fragments_onto_smaller_mtu)
{
    Dorms d = dorms_new(9000, 1500);
    /* ping -M dont: no DF, so r1 may fragment. */
    SimPing *p = ping_opts(d.alex, "192.168.20.1", 1, 4000, SIM_IP_PMTUDISC_DONT);
    sim_world_run(d.w, 10 * SIM_SEC, 0);
    cr_assert_eq(sim_ping_results(p)->received, 1);
    cr_assert_eq(rec_count(d.rec, SIM_TR_FRAGMENT, "alex", NULL, 0), 0, "fits in 9000");
    cr_assert_eq(rec_count(d.rec, SIM_TR_FRAGMENT, "r1", "→ 3 fragments (MTU 1500)", 0), 1);
    cr_assert_eq(rec_count(d.rec, SIM_TR_REASSEMBLE, "bob", NULL, 0), 1);
    cr_assert_eq(rec_count(d.rec, SIM_TR_REASSEMBLE, "alex", NULL, 0), 1);
    finish(d.w, d.rec);
}

Test(l3, df_too_big_gives_frag_needed)
{
    Dorms d = dorms_new(1500, 1400);
    SimPing *p = ping_opts(d.alex, "192.168.20.1", 1, 1400, SIM_IP_PMTUDISC_DO);
    sim_world_run(d.w, 20 * SIM_SEC, 0);
    const SimPingResults *res = sim_ping_results(p);
    cr_assert(res->finished);
    cr_assert_eq(res->errors, 1);
    cr_assert_eq(res->last_error_code, SIM_ICMP_UNREACH_FRAG_NEEDED);
    g_autofree char *out = app_output(d.rec, "alex");
    cr_assert(strstr(out, "From 192.168.10.254 icmp_seq=1 Frag needed and DF set (mtu = 1400)\n"),
              "%s", out);
    cr_assert_eq(rec_count(d.rec, SIM_TR_DROP, "r1", "1428-byte datagram with DF set", 0), 1);
    /* alex cached the path MTU for 10 minutes from the error's arrival. */
    SimTime learned = 0, expires = 0;
    for (guint i = 0; i < d.rec->recs->len; i++) {
        const Rec *x = &g_array_index(d.rec->recs, Rec, i);
        if (x->kind == SIM_TR_INFO && g_strcmp0(x->node, "alex") == 0 &&
            strstr(x->detail, "path MTU to 192.168.20.1 is now 1400"))
            learned = x->time;
    }
    cr_assert_gt(learned, 0);
    SimIpStack *st = sim_ip_stack(d.alex);
    cr_assert_eq(sim_ip_pmtu(st, ip4("192.168.20.1"), &expires), 1400);
    cr_assert_eq(expires, learned + 600 * SIM_SEC);
    cr_assert_eq(sim_ip_pmtu(st, ip4("192.168.10.254"), NULL), 0, "per destination");
    /* Bigger than the path MTU: a local error, nothing sent. */
    SimPing *p2 = ping_opts(d.alex, "192.168.20.1", 1, 2000, SIM_IP_PMTUDISC_DO);
    sim_world_run(d.w, 40 * SIM_SEC, 0);
    cr_assert_eq(sim_ping_results(p2)->errors, 1);
    g_autofree char *out2 = app_output(d.rec, "alex");
    cr_assert(strstr(out2, "ping: local error: message too long, mtu=1400\n"), "%s", out2);
    /* Ten minutes on, the entry has expired: the interface MTU again. */
    sim_world_schedule(d.w, learned + 600 * SIM_SEC - sim_world_now(d.w), noop, NULL, NULL);
    sim_world_run(d.w, learned + 600 * SIM_SEC, 0);
    cr_assert_eq(sim_world_now(d.w), learned + 600 * SIM_SEC);
    cr_assert_eq(sim_ip_pmtu(st, ip4("192.168.20.1"), NULL), 0);
    finish(d.w, d.rec);
}

/* ping's default, -M want: DF until Frag Needed arrives, then the host
 * fragments to the learned path MTU itself, fragments without DF. Every
 * frame, the host's own fragments included, dissects cleanly. */
Test(l3, default_ping_learns_path_mtu_then_fragments_itself)
{
    Dorms d = dorms_new(1500, 1400);
    SimPing *p = ping_opts(d.alex, "192.168.20.1", 3, 1400, SIM_IP_PMTUDISC_DEFAULT);
    sim_world_run(d.w, 20 * SIM_SEC, 0);
    const SimPingResults *res = sim_ping_results(p);
    cr_assert(res->finished);
    cr_assert_eq(res->errors, 1);
    cr_assert_eq(res->received, 2);
    cr_assert_eq(rec_count(d.rec, SIM_TR_DROP, "r1", "1428-byte datagram with DF set", 0), 1);
    cr_assert_eq(rec_count(d.rec, SIM_TR_FRAGMENT, "alex", "1428-byte datagram", 0), 2);
    cr_assert_eq(rec_count(d.rec, SIM_TR_FRAGMENT, "alex", "→ 2 fragments (MTU 1400)", 0), 2);
    cr_assert_eq(rec_count(d.rec, SIM_TR_FRAGMENT, "r1", NULL, 0), 0, "r1 never fragments");
    finish(d.w, d.rec);
}

Test(l3, show_tables)
{
    Dorms d = dorms_new(0, 0);
    SimPing *p = ping_opts(d.alex, "192.168.20.1", 1, 56, SIM_IP_PMTUDISC_DEFAULT);
    sim_world_run(d.w, 5 * SIM_SEC, 0);
    cr_assert_eq(sim_ping_results(p)->received, 1);
    g_autoptr(GString) s = g_string_new(NULL);
    sim_ip_show_route(d.r1, s);
    cr_assert_str_eq(s->str,
                     "192.168.10.0/24 dev eth0 proto kernel scope link src 192.168.10.254\n"
                     "192.168.20.0/24 dev eth1 proto kernel scope link src 192.168.20.254\n");
    g_string_truncate(s, 0);
    sim_ip_show_interfaces(d.r1, s);
    g_auto(GStrv) lines = g_strsplit(s->str, "\n", -1);
    cr_assert(g_str_has_prefix(lines[0], "Iface"), "%s", s->str);
    cr_assert(g_str_has_prefix(lines[1], "eth0     02:"), "%s", s->str);
    cr_assert(strstr(lines[1], "192.168.10.254/24"), "%s", s->str);
    cr_assert(strstr(lines[1], " 1500 up "), "%s", s->str);
    g_string_truncate(s, 0);
    sim_ip_clear_arp(d.r1);
    sim_ip_show_arp(d.r1, s);
    cr_assert_str_eq(s->str, "(no ARP entries)\n");
    finish(d.w, d.rec);
}

Test(l3, multihomed_host_picks_interface_by_fib)
{
    Dorms d = dorms_new(0, 0);
    SimNode *m = mk_host(d.w, "m", "192.168.10.5/24", NULL);
    SimIface *m1 = mk_if(m, "eth1", "192.168.20.5/24");
    g_autoptr(GError) err = NULL;
    cr_assert(sim_ip_set_gateway(m, ip4("192.168.10.254"), &err), "%s", err ? err->message : "");
    mk_link(d.w, eth0(m), sim_node_iface(d.swA, 3), 0);
    mk_link(d.w, m1, sim_node_iface(d.swB, 3), 0);
    SimPing *p1 = ping_opts(m, "192.168.20.1", 1, 56, SIM_IP_PMTUDISC_DEFAULT);
    sim_world_run(d.w, 5 * SIM_SEC, 0);
    cr_assert_eq(sim_ping_results(p1)->received, 1);
    cr_assert_eq(sim_ping_results(p1)->last_ttl, 64, "directly, not through r1");
    cr_assert_eq(
        rec_count(d.rec, SIM_TR_ROUTE, "m", "192.168.20.1 matches 192.168.20.0/24 → eth1", 0), 1);
    SimPing *p2 = ping_opts(m, "10.9.9.9", 1, 56, SIM_IP_PMTUDISC_DEFAULT);
    sim_world_run(d.w, 10 * SIM_SEC, 0);
    cr_assert_eq(rec_count(d.rec, SIM_TR_ROUTE, "m",
                           "10.9.9.9 matches 0.0.0.0/0 → eth0 via 192.168.10.254", 0),
                 1);
    cr_assert_eq(sim_ping_results(p2)->last_error_from, ip4("192.168.10.254"));
    finish(d.w, d.rec);
}
