/* test_arp.c - ARP (sim/l3/arp.c) through the C API: resolution, the RFC
 * 826 merge rule, Linux's neighbour states and timers, the pending queue,
 * failure reporting, clearing and the `show arp` table; RFC 5227 probes,
 * announcements and the conflict watch. A "probe" node on
 * the other end of the link injects hand-built ARP frames and records what
 * the host sends. */
#include "tests/scenario/helpers.h"

#include "sim/apps/ping.h"
#include "sim/l3/arp.h"
#include "sim/net/arp_hdr.h"
#include "sim/net/eth.h"
#include "sim/net/icmp_hdr.h"

static SimMac mac_n(uint8_t n)
{
    return (SimMac){{0x02, 0xaa, 0, 0, 0, n}};
}

/* Sends an ARP packet from the probe. */
static void probe_arp(SimWorld *w, Probe *p, uint16_t oper, SimMac sha, const char *spa,
                      const char *tpa, const SimMac *eth_dst)
{
    SimPacket *pkt = sim_packet_new(sim_world_pool(w), SIM_PACKET_HEADROOM, 0);
    SimArpHdr a = {.oper = oper, .sha = sha, .spa = ip4(spa), .tpa = ip4(tpa)};
    sim_arp_hdr_encode(pkt, &a);
    SimEthHdr e = {.dst = *eth_dst, .src = sha, .ethertype = SIM_ETHERTYPE_ARP};
    sim_eth_encode(pkt, &e);
    sim_eth_pad(pkt);
    sim_iface_send(p->nic, pkt);
}

/* The probe's received frames decoded as ARP, from index `from`. */
static guint probe_arps(Probe *p, guint from, uint16_t oper, SimArpHdr *last, SimEthHdr *leth)
{
    guint n = 0;
    for (guint i = from; i < p->frames->len; i++) {
        SimPacket *f = g_ptr_array_index(p->frames, i);
        SimEthHdr e;
        SimArpHdr a;
        const uint8_t *d = sim_packet_cdata(f);
        if (!sim_eth_decode(d, sim_packet_len(f), &e, NULL) || e.ethertype != SIM_ETHERTYPE_ARP)
            continue;
        cr_assert(sim_arp_hdr_decode(d + e.hdr_len, sim_packet_len(f) - e.hdr_len, &a, NULL));
        if (a.oper != oper)
            continue;
        n++;
        if (last)
            *last = a;
        if (leth)
            *leth = e;
    }
    return n;
}

typedef struct {
    SimWorld *w;
    SimNode *h;
    Probe *p;
    Recorder *r;
} Bench;

/* host h 10.0.0.1/24 <-> probe */
static Bench bench_new(void)
{
    Bench b = {.w = sim_world_new(9)};
    b.r = recorder_new(b.w, NULL, false);
    b.h = mk_host(b.w, "h", "10.0.0.1/24", NULL);
    b.p = probe_new(b.w);
    mk_link(b.w, eth0(b.h), b.p->nic, 0);
    return b;
}

static void bench_free(Bench *b)
{
    recorder_free(b->r);
    sim_world_free(b->w);
}

static void noop(void *ctx, void *arg) {}

/* Runs dt of simulated time. The no-op event makes the clock reach the end
 * even when the queue runs dry first (sim_world_run then stops early). */
static void run_for(SimWorld *w, SimTime dt)
{
    sim_world_schedule(w, dt, noop, NULL, NULL);
    sim_world_run(w, sim_world_now(w) + dt, 0);
}

static bool lookup(Bench *b, const char *ip, SimMac *mac, SimArpState *st)
{
    return sim_arp_lookup(eth0(b->h), ip4(ip), mac, st);
}

/* ---- tests ---------------------------------------------------------------------- */

Test(arp, request_for_us_is_answered_and_requester_learned_stale)
{
    Bench b = bench_new();
    SimMac m = mac_n(5);
    probe_arp(b.w, b.p, SIM_ARP_REQUEST, m, "10.0.0.5", "10.0.0.1", &SIM_MAC_BROADCAST);
    run_for(b.w, SIM_MS);
    SimArpHdr a;
    SimEthHdr e;
    cr_assert_eq(probe_arps(b.p, 0, SIM_ARP_REPLY, &a, &e), 1);
    cr_assert(sim_mac_equal(&e.dst, &m), "the reply is unicast to the requester");
    cr_assert(sim_mac_equal(&a.sha, sim_iface_mac(eth0(b.h))));
    cr_assert_eq(a.spa, ip4("10.0.0.1"));
    cr_assert_eq(a.tpa, ip4("10.0.0.5"));
    cr_assert(sim_mac_equal(&a.tha, &m));
    SimMac got;
    SimArpState st;
    cr_assert(lookup(&b, "10.0.0.5", &got, &st));
    cr_assert(sim_mac_equal(&got, &m));
    cr_assert_eq(st, SIM_ARP_STALE, "learned from a request: STALE, as Linux");
    cr_assert_eq(rec_count(b.r, SIM_TR_ARP_LEARN, "h", "10.0.0.5 is-at 02:aa:00:00:00:05 (new", 0),
                 1);
    bench_free(&b);
}

Test(arp, merge_rule_never_adds_strangers)
{
    Bench b = bench_new();
    /* A request for someone else, and a gratuitous ARP, from unknown hosts. */
    probe_arp(b.w, b.p, SIM_ARP_REQUEST, mac_n(6), "10.0.0.6", "10.0.0.7", &SIM_MAC_BROADCAST);
    probe_arp(b.w, b.p, SIM_ARP_REQUEST, mac_n(8), "10.0.0.8", "10.0.0.8", &SIM_MAC_BROADCAST);
    run_for(b.w, SIM_MS);
    cr_assert_eq(sim_arp_count(b.h), 0);
    cr_assert_eq(probe_arps(b.p, 0, SIM_ARP_REPLY, NULL, NULL), 0);
    cr_assert_eq(rec_count(b.r, SIM_TR_DROP, "h", "who-has 10.0.0.7: not our address", 0), 1);
    /* Someone claiming our address is not learned either. */
    probe_arp(b.w, b.p, SIM_ARP_REQUEST, mac_n(9), "10.0.0.1", "10.0.0.1", &SIM_MAC_BROADCAST);
    run_for(b.w, SIM_MS);
    cr_assert_eq(sim_arp_count(b.h), 0);
    cr_assert_eq(rec_count(b.r, SIM_TR_DROP, "h", "address conflict: 10.0.0.1", 0), 1);
    /* An unsolicited reply addressed to us is added (RFC 826: we are the
     * target), but only as STALE. */
    SimMac hm = *sim_iface_mac(eth0(b.h));
    probe_arp(b.w, b.p, SIM_ARP_REPLY, mac_n(10), "10.0.0.10", "10.0.0.1", &hm);
    run_for(b.w, SIM_MS);
    SimArpState st;
    cr_assert(lookup(&b, "10.0.0.10", NULL, &st));
    cr_assert_eq(st, SIM_ARP_STALE);
    bench_free(&b);
}

Test(arp, gratuitous_arp_updates_a_known_entry)
{
    Bench b = bench_new();
    probe_arp(b.w, b.p, SIM_ARP_REQUEST, mac_n(5), "10.0.0.5", "10.0.0.1", &SIM_MAC_BROADCAST);
    run_for(b.w, SIM_MS);
    /* 10.0.0.5 moves to a new NIC and announces it. */
    probe_arp(b.w, b.p, SIM_ARP_REQUEST, mac_n(55), "10.0.0.5", "10.0.0.5", &SIM_MAC_BROADCAST);
    run_for(b.w, SIM_MS);
    SimMac got, want = mac_n(55);
    cr_assert(lookup(&b, "10.0.0.5", &got, NULL));
    cr_assert(sim_mac_equal(&got, &want));
    cr_assert_eq(rec_count(b.r, SIM_TR_ARP_LEARN, "h", "02:aa:00:00:00:37 (changed, STALE)", 0), 1);
    bench_free(&b);
}

static guint n_err;
static uint8_t last_code;
static void udp_err(void *user, const SimIpIcmpError *e)
{
    n_err++;
    last_code = e->code;
    cr_assert_eq(e->type, SIM_ICMP_DEST_UNREACH);
    cr_assert_eq(e->from, ip4("10.0.0.1"), "reported by ourselves");
}

Test(arp, unanswered_resolution_queues_and_fails_after_three_requests)
{
    Bench b = bench_new();
    SimIpStack *st = sim_ip_stack(b.h);
    cr_assert(sim_ip_udp_bind(st, 4000, NULL, udp_err, NULL, NULL));
    n_err = 0;
    for (int i = 0; i < 5; i++)
        cr_assert(
            sim_ip_udp_send(st, 4000, ip4("10.0.0.99"), 9, (const uint8_t *)"x", 1, NULL, NULL));
    SimArpState s;
    cr_assert(lookup(&b, "10.0.0.99", NULL, &s));
    cr_assert_eq(s, SIM_ARP_INCOMPLETE);
    /* All five wait: the queue is bounded by bytes, not 3 packets. */
    cr_assert_eq(rec_count(b.r, SIM_TR_DROP, "h", "ARP of 10.0.0.99", 0), 0);
    run_for(b.w, 2500 * SIM_MS);
    cr_assert_eq(probe_arps(b.p, 0, SIM_ARP_REQUEST, NULL, NULL), 3, "at 0, 1 and 2 s");
    cr_assert_eq(n_err, 0);
    run_for(b.w, SIM_SEC);
    cr_assert_eq(probe_arps(b.p, 0, SIM_ARP_REQUEST, NULL, NULL), 3);
    cr_assert_eq(rec_count(b.r, SIM_TR_DROP, "h", "no ARP reply from 10.0.0.99 after 3", 0), 5);
    cr_assert_eq(n_err, 5);
    cr_assert_eq(last_code, SIM_ICMP_UNREACH_HOST);
    /* Linux keeps a failed entry as FAILED, listed without a MAC. */
    cr_assert(lookup(&b, "10.0.0.99", NULL, &s));
    cr_assert_eq(s, SIM_ARP_FAILED);
    g_autoptr(GString) out = g_string_new(NULL);
    sim_ip_show_arp(b.h, out);
    cr_assert_str_eq(out->str, "10.0.0.99 dev eth0 FAILED\n");
    /* Request times: exactly 1 s apart. */
    SimTime t[3];
    guint k = 0;
    for (guint i = 0; i < b.r->recs->len && k < 3; i++) {
        Rec *x = &g_array_index(b.r->recs, Rec, i);
        if (x->kind == SIM_TR_ARP_REQUEST)
            t[k++] = x->time;
    }
    cr_assert_eq(t[1] - t[0], SIM_SEC);
    cr_assert_eq(t[2] - t[1], SIM_SEC);
    bench_free(&b);
}

Test(arp, reply_resolves_and_flushes_the_queue)
{
    Bench b = bench_new();
    SimIpStack *st = sim_ip_stack(b.h);
    cr_assert(sim_ip_udp_bind(st, 4000, NULL, NULL, NULL, NULL));
    for (int i = 0; i < 2; i++)
        cr_assert(
            sim_ip_udp_send(st, 4000, ip4("10.0.0.5"), 9, (const uint8_t *)"x", 1, NULL, NULL));
    run_for(b.w, SIM_MS);
    SimArpHdr req;
    cr_assert_eq(probe_arps(b.p, 0, SIM_ARP_REQUEST, &req, NULL), 1);
    cr_assert_eq(req.tpa, ip4("10.0.0.5"));
    cr_assert_eq(req.spa, ip4("10.0.0.1"));
    SimMac hm = *sim_iface_mac(eth0(b.h));
    guint before = b.p->frames->len;
    probe_arp(b.w, b.p, SIM_ARP_REPLY, mac_n(5), "10.0.0.5", "10.0.0.1", &hm);
    run_for(b.w, SIM_MS);
    SimArpState s;
    cr_assert(lookup(&b, "10.0.0.5", NULL, &s));
    cr_assert_eq(s, SIM_ARP_REACHABLE);
    cr_assert_eq(b.p->frames->len, before + 2, "both queued datagrams went out");
    for (guint i = before; i < b.p->frames->len; i++) {
        SimEthHdr e;
        SimPacket *f = g_ptr_array_index(b.p->frames, i);
        cr_assert(sim_eth_decode(sim_packet_cdata(f), sim_packet_len(f), &e, NULL));
        SimMac want = mac_n(5);
        cr_assert(sim_mac_equal(&e.dst, &want));
        cr_assert_eq(e.ethertype, SIM_ETHERTYPE_IPV4);
    }
    bench_free(&b);
}

static void collect_view(const SimArpView *e, gpointer user_data)
{
    g_array_append_val((GArray *)user_data, *e);
}

/* sim_arp_foreach (what diagrams read) gives the entries `show` prints, as
 * fields: one INCOMPLETE with no MAC, one REACHABLE with its MAC, in
 * address order. */
Test(arp, foreach_gives_the_fields_show_prints)
{
    Bench b = bench_new();
    SimIpStack *st = sim_ip_stack(b.h);
    cr_assert(sim_ip_udp_bind(st, 4000, NULL, NULL, NULL, NULL));
    cr_assert(sim_ip_udp_send(st, 4000, ip4("10.0.0.9"), 9, (const uint8_t *)"x", 1, NULL, NULL));
    cr_assert(sim_ip_udp_send(st, 4000, ip4("10.0.0.5"), 9, (const uint8_t *)"x", 1, NULL, NULL));
    run_for(b.w, SIM_MS);
    SimMac hm = *sim_iface_mac(eth0(b.h));
    probe_arp(b.w, b.p, SIM_ARP_REPLY, mac_n(5), "10.0.0.5", "10.0.0.1", &hm);
    run_for(b.w, SIM_MS);

    g_autoptr(GArray) v = g_array_new(FALSE, FALSE, sizeof(SimArpView));
    sim_arp_foreach(b.h, collect_view, v);
    cr_assert_eq(v->len, 2);
    cr_assert_eq(v->len, sim_arp_count(b.h));
    const SimArpView *e5 = &g_array_index(v, SimArpView, 0), *e9 = &g_array_index(v, SimArpView, 1);
    SimMac want = mac_n(5), zero = {{0}};
    cr_assert_eq(e5->ip, ip4("10.0.0.5"));
    cr_assert_eq(e5->state, SIM_ARP_REACHABLE);
    cr_assert(sim_mac_equal(&e5->mac, &want));
    cr_assert_eq(e5->iface, eth0(b.h));
    cr_assert_eq(e9->ip, ip4("10.0.0.9"));
    cr_assert_eq(e9->state, SIM_ARP_INCOMPLETE);
    cr_assert(sim_mac_equal(&e9->mac, &zero));
    g_autoptr(GString) out = g_string_new(NULL);
    sim_ip_show_arp(b.h, out);
    cr_assert_str_eq(out->str, "10.0.0.5 dev eth0 lladdr 02:aa:00:00:00:05 REACHABLE\n"
                               "10.0.0.9 dev eth0 INCOMPLETE\n");
    bench_free(&b);
}

Test(arp, aging_reachable_stale_delay_probe_gone)
{
    SimWorld *w = sim_world_new(1);
    SimNode *a = mk_host(w, "a", "10.0.0.1/24", NULL);
    SimNode *c = mk_host(w, "c", "10.0.0.2/24", NULL);
    mk_link(w, eth0(a), eth0(c), 0);
    SimPingOpts o;
    sim_ping_opts_default(&o);
    o.count = 1;
    SimPing *p = sim_ping_start(a, ip4("10.0.0.2"), &o, NULL);
    run_for(w, SIM_SEC);
    cr_assert_eq(sim_ping_results(p)->received, 1);
    SimArpState s;
    cr_assert(sim_arp_lookup(eth0(a), ip4("10.0.0.2"), NULL, &s));
    cr_assert_eq(s, SIM_ARP_REACHABLE);
    /* c learned a from its request (STALE) and then used the entry for the
     * echo reply: DELAY, and 5 s later a unicast probe confirms it. */
    cr_assert(sim_arp_lookup(eth0(c), ip4("10.0.0.1"), NULL, &s));
    cr_assert_eq(s, SIM_ARP_DELAY);
    run_for(w, 5 * SIM_SEC);
    cr_assert(sim_arp_lookup(eth0(c), ip4("10.0.0.1"), NULL, &s));
    cr_assert_eq(s, SIM_ARP_REACHABLE);
    /* 30 s without confirmation: STALE, but still listed. */
    run_for(w, 30 * SIM_SEC);
    cr_assert(sim_arp_lookup(eth0(a), ip4("10.0.0.2"), NULL, &s));
    cr_assert_eq(s, SIM_ARP_STALE);
    g_autoptr(GString) out = g_string_new(NULL);
    sim_ip_show_arp(a, out);
    cr_assert_str_eq(out->str, "10.0.0.2 dev eth0 lladdr 02:00:00:00:01:01 STALE\n");
    /* 60 s stale and unused: gone. */
    run_for(w, 40 * SIM_SEC);
    cr_assert_not(sim_arp_lookup(eth0(a), ip4("10.0.0.2"), NULL, NULL));
    cr_assert_eq(sim_arp_count(a), 0);
    g_string_truncate(out, 0);
    sim_ip_show_arp(a, out);
    cr_assert_str_eq(out->str, "(no ARP entries)\n");
    sim_world_free(w);
}

Test(arp, unanswered_probe_removes_entry)
{
    Bench b = bench_new();
    probe_arp(b.w, b.p, SIM_ARP_REQUEST, mac_n(5), "10.0.0.5", "10.0.0.1", &SIM_MAC_BROADCAST);
    run_for(b.w, SIM_MS);
    SimIpStack *st = sim_ip_stack(b.h);
    cr_assert(sim_ip_udp_bind(st, 4000, NULL, NULL, NULL, NULL));
    cr_assert(sim_ip_udp_send(st, 4000, ip4("10.0.0.5"), 9, (const uint8_t *)"x", 1, NULL, NULL));
    SimArpState s;
    cr_assert(lookup(&b, "10.0.0.5", NULL, &s));
    cr_assert_eq(s, SIM_ARP_DELAY);
    guint mark = b.p->frames->len;
    run_for(b.w, 5500 * SIM_MS);
    cr_assert(lookup(&b, "10.0.0.5", NULL, &s));
    cr_assert_eq(s, SIM_ARP_PROBE);
    SimEthHdr e;
    cr_assert_eq(probe_arps(b.p, mark, SIM_ARP_REQUEST, NULL, &e), 1);
    SimMac want = mac_n(5);
    cr_assert(sim_mac_equal(&e.dst, &want), "probes are unicast");
    run_for(b.w, 3 * SIM_SEC);
    cr_assert_eq(probe_arps(b.p, mark, SIM_ARP_REQUEST, NULL, NULL), 3);
    cr_assert(lookup(&b, "10.0.0.5", NULL, &s));
    cr_assert_eq(s, SIM_ARP_FAILED, "no answer to the probes: FAILED, as Linux");
    bench_free(&b);
}

Test(arp, clear_drops_pending_and_entries)
{
    Bench b = bench_new();
    probe_arp(b.w, b.p, SIM_ARP_REQUEST, mac_n(5), "10.0.0.5", "10.0.0.1", &SIM_MAC_BROADCAST);
    run_for(b.w, SIM_MS);
    SimIpStack *st = sim_ip_stack(b.h);
    cr_assert(sim_ip_udp_bind(st, 4000, NULL, NULL, NULL, NULL));
    cr_assert(sim_ip_udp_send(st, 4000, ip4("10.0.0.77"), 9, (const uint8_t *)"x", 1, NULL, NULL));
    run_for(b.w, SIM_MS);
    cr_assert_eq(probe_arps(b.p, 0, SIM_ARP_REQUEST, NULL, NULL), 1);
    cr_assert_eq(sim_arp_count(b.h), 2);
    g_autoptr(GString) out = g_string_new(NULL);
    sim_ip_show_arp(b.h, out);
    cr_assert_str_eq(out->str, "10.0.0.5 dev eth0 lladdr 02:aa:00:00:00:05 STALE\n"
                               "10.0.0.77 dev eth0 INCOMPLETE\n");
    sim_ip_clear_arp(b.h);
    cr_assert_eq(sim_arp_count(b.h), 0);
    cr_assert_eq(rec_count(b.r, SIM_TR_DROP, "h",
                           "waiting for ARP of 10.0.0.77: ARP cache "
                           "cleared",
                           0),
                 1);
    /* Its retransmission timer went with it. */
    run_for(b.w, 10 * SIM_SEC);
    cr_assert_eq(probe_arps(b.p, 0, SIM_ARP_REQUEST, NULL, NULL), 1);
    bench_free(&b);
}

/* ---- the inline table and the known-sender shortcut (arp.c's top comment) ---- */

Test(arp, many_neighbours_spill_from_inline_to_hash_and_back)
{
    Bench b = bench_new();
    /* Nine neighbours: past ARP_FEW (4) the cache moves to a hash table. */
    for (uint8_t n = 2; n <= 10; n++) {
        char ip[16];
        g_snprintf(ip, sizeof ip, "10.0.0.%u", n);
        probe_arp(b.w, b.p, SIM_ARP_REQUEST, mac_n(n), ip, "10.0.0.1", &SIM_MAC_BROADCAST);
        run_for(b.w, SIM_MS);
        cr_assert_eq(sim_arp_count(b.h), n - 1u);
    }
    for (uint8_t n = 2; n <= 10; n++) {
        char ip[16];
        g_snprintf(ip, sizeof ip, "10.0.0.%u", n);
        SimMac got, want = mac_n(n);
        cr_assert(lookup(&b, ip, &got, NULL), "%s", ip);
        cr_assert(sim_mac_equal(&got, &want), "%s", ip);
    }
    cr_assert_not(lookup(&b, "10.0.0.11", NULL, NULL));
    g_autoptr(GString) out = g_string_new(NULL);
    sim_ip_show_arp(b.h, out);
    cr_assert(g_str_has_prefix(out->str, "10.0.0.2 dev eth0 lladdr 02:aa:00:00:00:02 STALE\n"
                                         "10.0.0.3 dev eth0"),
              "sorted by address whatever the table: %s", out->str);
    /* Emptied, the cache goes back inline and keeps working. */
    sim_ip_clear_arp(b.h);
    cr_assert_eq(sim_arp_count(b.h), 0);
    probe_arp(b.w, b.p, SIM_ARP_REQUEST, mac_n(7), "10.0.0.7", "10.0.0.1", &SIM_MAC_BROADCAST);
    run_for(b.w, SIM_MS);
    SimMac got, want = mac_n(7);
    cr_assert(lookup(&b, "10.0.0.7", &got, NULL));
    cr_assert(sim_mac_equal(&got, &want));
    cr_assert_eq(sim_arp_count(b.h), 1);
    bench_free(&b);
}

Test(arp, known_sender_is_merged_from_requests_for_others)
{
    Bench b = bench_new();
    probe_arp(b.w, b.p, SIM_ARP_REQUEST, mac_n(5), "10.0.0.5", "10.0.0.1", &SIM_MAC_BROADCAST);
    run_for(b.w, SIM_MS);
    /* The same sender asking for someone else with the same MAC: nothing
     * to merge, nothing traced but the drop. */
    probe_arp(b.w, b.p, SIM_ARP_REQUEST, mac_n(5), "10.0.0.5", "10.0.0.7", &SIM_MAC_BROADCAST);
    run_for(b.w, SIM_MS);
    cr_assert_eq(rec_count(b.r, SIM_TR_ARP_LEARN, "h", "10.0.0.5", 0), 1);
    /* With a new MAC: RFC 826 updates a known sender whatever the target. */
    probe_arp(b.w, b.p, SIM_ARP_REQUEST, mac_n(66), "10.0.0.5", "10.0.0.7", &SIM_MAC_BROADCAST);
    run_for(b.w, SIM_MS);
    SimMac got, want = mac_n(66);
    cr_assert(lookup(&b, "10.0.0.5", &got, NULL));
    cr_assert(sim_mac_equal(&got, &want));
    cr_assert_eq(rec_count(b.r, SIM_TR_ARP_LEARN, "h", "02:aa:00:00:00:42 (changed, STALE)", 0), 1);
    /* And back: the shortcut must compare with the new MAC, not the old. */
    probe_arp(b.w, b.p, SIM_ARP_REQUEST, mac_n(5), "10.0.0.5", "10.0.0.7", &SIM_MAC_BROADCAST);
    run_for(b.w, SIM_MS);
    want = mac_n(5);
    cr_assert(lookup(&b, "10.0.0.5", &got, NULL));
    cr_assert(sim_mac_equal(&got, &want));
    cr_assert_eq(rec_count(b.r, SIM_TR_ARP_LEARN, "h", "(changed, STALE)", 0), 2);
    bench_free(&b);
}

Test(arp, known_sender_shortcut_still_ages_entries_out)
{
    Bench b = bench_new();
    probe_arp(b.w, b.p, SIM_ARP_REQUEST, mac_n(5), "10.0.0.5", "10.0.0.1", &SIM_MAC_BROADCAST);
    run_for(b.w, SIM_MS);
    /* 60 s stale and unused: the next packet that looks the entry up finds
     * it gone, even one that would not have changed it. */
    run_for(b.w, 61 * SIM_SEC);
    probe_arp(b.w, b.p, SIM_ARP_REQUEST, mac_n(5), "10.0.0.5", "10.0.0.7", &SIM_MAC_BROADCAST);
    run_for(b.w, SIM_MS);
    cr_assert_eq(rec_count(b.r, SIM_TR_AGE, "h", "ARP entry 10.0.0.5 aged out", 0), 1);
    cr_assert_eq(sim_arp_count(b.h), 0, "a request for someone else adds nothing back");
    bench_free(&b);
}

/* A host's own request that comes back around a loop claims the host's own
 * address from the host's own MAC: not a conflict (Linux ignores it), and
 * not learned; a real conflict from another MAC is still reported. */
Test(arp, own_request_coming_back_is_no_conflict)
{
    Bench b = bench_new();
    SimMac hm = *sim_iface_mac(eth0(b.h));
    probe_arp(b.w, b.p, SIM_ARP_REQUEST, hm, "10.0.0.1", "10.0.0.254", &SIM_MAC_BROADCAST);
    run_for(b.w, SIM_MS);
    cr_assert_eq(rec_count(b.r, SIM_TR_DROP, "h", "address conflict", 0), 0);
    cr_assert_eq(rec_count(b.r, SIM_TR_DROP, "h", "ARP from our own MAC", 0), 1);
    cr_assert_eq(sim_arp_count(b.h), 0);
    cr_assert_eq(probe_arps(b.p, 0, SIM_ARP_REPLY, NULL, NULL), 0);
    probe_arp(b.w, b.p, SIM_ARP_REQUEST, mac_n(7), "10.0.0.1", "10.0.0.254", &SIM_MAC_BROADCAST);
    run_for(b.w, SIM_MS);
    cr_assert_eq(rec_count(b.r, SIM_TR_DROP, "h",
                           "address conflict: 10.0.0.1 is also used by 02:aa:00:00:00:07", 0),
                 1);
    bench_free(&b);
}

/* FAILED (Linux NUD_FAILED) stays visible until it is used again, which
 * starts a new resolution, or garbage-collected after 60 s unused; an ARP
 * packet from the missing host revives it. */
Test(arp, failed_entry_is_kept_retried_and_collected)
{
    Bench b = bench_new();
    SimIpStack *st = sim_ip_stack(b.h);
    cr_assert(sim_ip_udp_bind(st, 4000, NULL, NULL, NULL, NULL));
    cr_assert(sim_ip_udp_send(st, 4000, ip4("10.0.0.99"), 9, (const uint8_t *)"x", 1, NULL, NULL));
    run_for(b.w, 4 * SIM_SEC);
    SimArpState s;
    cr_assert(lookup(&b, "10.0.0.99", NULL, &s));
    cr_assert_eq(s, SIM_ARP_FAILED);
    cr_assert_eq(sim_arp_count(b.h), 1);
    /* Used again: a new round of 3 requests. */
    cr_assert(sim_ip_udp_send(st, 4000, ip4("10.0.0.99"), 9, (const uint8_t *)"x", 1, NULL, NULL));
    cr_assert(lookup(&b, "10.0.0.99", NULL, &s));
    cr_assert_eq(s, SIM_ARP_INCOMPLETE);
    run_for(b.w, 4 * SIM_SEC);
    cr_assert_eq(probe_arps(b.p, 0, SIM_ARP_REQUEST, NULL, NULL), 6);
    cr_assert_eq(rec_count(b.r, SIM_TR_DROP, "h", "no ARP reply from 10.0.0.99", 0), 2);
    cr_assert(lookup(&b, "10.0.0.99", NULL, &s));
    cr_assert_eq(s, SIM_ARP_FAILED);
    /* The host appears and asks for us: the entry comes back to life. */
    probe_arp(b.w, b.p, SIM_ARP_REQUEST, mac_n(99), "10.0.0.99", "10.0.0.1", &SIM_MAC_BROADCAST);
    run_for(b.w, SIM_MS);
    SimMac got, want = mac_n(99);
    cr_assert(lookup(&b, "10.0.0.99", &got, &s));
    cr_assert_eq(s, SIM_ARP_STALE);
    cr_assert(sim_mac_equal(&got, &want));
    /* Another neighbour fails and is left alone: collected after 60 s. */
    cr_assert(sim_ip_udp_send(st, 4000, ip4("10.0.0.98"), 9, (const uint8_t *)"x", 1, NULL, NULL));
    run_for(b.w, 4 * SIM_SEC);
    cr_assert(lookup(&b, "10.0.0.98", NULL, &s));
    cr_assert_eq(s, SIM_ARP_FAILED);
    run_for(b.w, 58 * SIM_SEC);
    cr_assert(lookup(&b, "10.0.0.98", NULL, NULL), "still listed 59 s after failing");
    run_for(b.w, 2 * SIM_SEC);
    cr_assert_not(lookup(&b, "10.0.0.98", NULL, NULL), "collected 60 s after failing");
    bench_free(&b);
}

/* Linux's unres_qlen_bytes (212,992) charged by skb truesize: a 43-byte
 * frame costs 832 bytes, so 256 wait and the 144 oldest of 400 are pushed
 * out, exactly what Linux 6.18 did with 400 one-byte UDP datagrams in a
 * network namespace (unresolved_discards went up by 144). */
Test(arp, unresolved_queue_is_bounded_by_bytes_like_linux)
{
    cr_assert_eq(sim_arp_skb_truesize(98), 832, "a 56-byte ping");
    cr_assert_eq(sim_arp_skb_truesize(600), 1280);
    cr_assert_eq(sim_arp_skb_truesize(1514), 2304);
    cr_assert_eq(SIM_ARP_UNRES_QLEN_BYTES, 212992);
    Bench b = bench_new();
    SimIpStack *st = sim_ip_stack(b.h);
    cr_assert(sim_ip_udp_bind(st, 4000, NULL, udp_err, NULL, NULL));
    n_err = 0;
    for (int i = 0; i < 400; i++)
        cr_assert(
            sim_ip_udp_send(st, 4000, ip4("10.0.0.99"), 9, (const uint8_t *)"x", 1, NULL, NULL));
    cr_assert_eq(rec_count(b.r, SIM_TR_DROP, "h", "bytes already wait for ARP of 10.0.0.99", 0),
                 144);
    cr_assert_eq(rec_count(b.r, SIM_TR_DROP, "h", "212992 bytes already wait", 0), 144);
    run_for(b.w, 4 * SIM_SEC);
    cr_assert_eq(n_err, 256, "each packet that waited is reported");
    bench_free(&b);
}

typedef struct {
    guint n;
    SimMac sha;
    bool probe;
} Conflicts;

static void on_conflict(void *user, const SimMac *sha, bool probe)
{
    Conflicts *c = user;
    c->n++;
    c->sha = *sha;
    c->probe = probe;
}

/* RFC 5227: a probe has sender IP 0.0.0.0 and a zero target MAC; an
 * announcement has sender IP = target IP. A watched address is in
 * conflict when another MAC sends from it or probes for it; our own MAC,
 * a request that merely asks for it, or an unwatched address is not. */
Test(arp, rfc5227_probe_announce_and_watch)
{
    Bench b = bench_new();
    SimIface *nic = eth0(b.h);
    cr_assert(sim_arp_probe(nic, ip4("10.0.0.77")));
    cr_assert(sim_arp_announce(nic, ip4("10.0.0.1")));
    run_for(b.w, SIM_MS);
    SimArpHdr a;
    SimEthHdr e;
    cr_assert_eq(probe_arps(b.p, 0, SIM_ARP_REQUEST, NULL, NULL), 2);
    SimPacket *f = g_ptr_array_index(b.p->frames, 0);
    const uint8_t *d = sim_packet_cdata(f);
    cr_assert(sim_eth_decode(d, sim_packet_len(f), &e, NULL));
    cr_assert(sim_arp_hdr_decode(d + e.hdr_len, sim_packet_len(f) - e.hdr_len, &a, NULL));
    cr_assert(sim_mac_equal(&e.dst, &SIM_MAC_BROADCAST));
    cr_assert_eq(a.spa, 0, "probe: sender IP 0.0.0.0");
    cr_assert_eq(a.tpa, ip4("10.0.0.77"));
    cr_assert(sim_mac_equal(&a.tha, &SIM_MAC_ZERO));
    cr_assert(sim_mac_equal(&a.sha, sim_iface_mac(nic)));
    probe_arps(b.p, 1, SIM_ARP_REQUEST, &a, NULL);
    cr_assert_eq(a.spa, ip4("10.0.0.1"), "announcement: sender = target");
    cr_assert_eq(a.tpa, ip4("10.0.0.1"));
    cr_assert_eq(
        rec_count(b.r, SIM_TR_ARP_REQUEST, "h", "who-has 10.0.0.77 tell 0.0.0.0 (ARP probe)", 0),
        1);
    cr_assert_eq(rec_count(b.r, SIM_TR_ARP_REQUEST, "h",
                           "who-has 10.0.0.1 tell 10.0.0.1 (ARP announcement)", 0),
                 1);

    Conflicts c = {0};
    sim_arp_watch(nic, ip4("10.0.0.77"), on_conflict, &c);
    /* Not conflicts: a request asking for it, our own probe looped back. */
    probe_arp(b.w, b.p, SIM_ARP_REQUEST, mac_n(5), "10.0.0.5", "10.0.0.77", &SIM_MAC_BROADCAST);
    probe_arp(b.w, b.p, SIM_ARP_REQUEST, *sim_iface_mac(nic), "0.0.0.0", "10.0.0.77",
              &SIM_MAC_BROADCAST);
    run_for(b.w, SIM_MS);
    cr_assert_eq(c.n, 0);
    /* Another host probing for it. */
    probe_arp(b.w, b.p, SIM_ARP_REQUEST, mac_n(6), "0.0.0.0", "10.0.0.77", &SIM_MAC_BROADCAST);
    run_for(b.w, SIM_MS);
    cr_assert_eq(c.n, 1);
    cr_assert(c.probe);
    cr_assert(sim_mac_equal(&c.sha, &(SimMac){{0x02, 0xaa, 0, 0, 0, 6}}));
    /* A reply from the address: in use. Seen by the watcher only. */
    guint drops = rec_count(b.r, SIM_TR_DROP, "h", NULL, 0);
    probe_arp(b.w, b.p, SIM_ARP_REPLY, mac_n(7), "10.0.0.77", "0.0.0.0", sim_iface_mac(nic));
    run_for(b.w, SIM_MS);
    cr_assert_eq(c.n, 2);
    cr_assert_not(c.probe);
    cr_assert_eq(rec_count(b.r, SIM_TR_DROP, "h", NULL, 0), drops);
    cr_assert_not(lookup(&b, "10.0.0.77", NULL, NULL), "not learned");
    /* Stopped: the same reply is an ordinary stranger's again. */
    sim_arp_watch(nic, 0, NULL, NULL);
    probe_arp(b.w, b.p, SIM_ARP_REPLY, mac_n(7), "10.0.0.77", "0.0.0.0", sim_iface_mac(nic));
    run_for(b.w, SIM_MS);
    cr_assert_eq(c.n, 2);
    cr_assert_eq(rec_count(b.r, SIM_TR_DROP, "h", NULL, 0), drops + 1);
    bench_free(&b);
}
