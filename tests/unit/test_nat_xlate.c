/* test_nat.c - sim/l3/nat.c on hand-built datagrams from a probe on the
 * inside: a truncated TCP, UDP or ICMP header, or a protocol NAT does not
 * translate, is dropped with its reason and creates no mapping; a whole
 * datagram is translated with correct checksums. */
#include "tests/scenario/helpers.h"

#include "sim/l3/nat.h"
#include "sim/net/arp_hdr.h"
#include "sim/net/checksum.h"
#include "sim/net/eth.h"
#include "sim/net/ipv4_hdr.h"
#include "sim/net/l4_hdr.h"
#include "sim/net/wire.h"

typedef struct {
    SimWorld *w;
    SimNode *r, *out;
    Probe *p, *q; /* p inside, q outside (records what the NAT sends) */
    Recorder *rec;
} Bench;

static void noop(void *ctx, void *arg) {}

static void run_for(SimWorld *w, SimTime dt)
{
    sim_world_schedule(w, dt, noop, NULL, NULL);
    sim_world_run(w, sim_world_now(w) + dt, 0);
}

static void send_frame(Bench *b, SimPacket *pkt, uint16_t type, bool bcast)
{
    SimEthHdr e = {.dst = bcast ? SIM_MAC_BROADCAST : *sim_iface_mac(sim_node_iface(b->r, 0)),
                   .src = *sim_iface_mac(b->p->nic),
                   .ethertype = type};
    sim_eth_encode(pkt, &e);
    sim_eth_pad(pkt);
    sim_iface_send(b->p->nic, pkt);
}

/* Router r: eth0 10.0.0.1/24 inside (probe 10.0.0.5, already in its ARP
 * cache), eth1 100.64.0.2/30 outside towards host o 100.64.0.1. */
static Bench bench_new(void)
{
    Bench b = {.w = sim_world_new(4)};
    b.rec = recorder_new(b.w, NULL, false);
    b.r = sim_router_new(b.w, "r");
    SimIface *in = mk_if(b.r, "eth0", "10.0.0.1/24");
    SimIface *out = mk_if(b.r, "eth1", "100.64.0.2/30");
    b.out = mk_host(b.w, "o", "100.64.0.1/30", NULL);
    b.p = probe_new(b.w);
    mk_link(b.w, in, b.p->nic, 0);
    mk_link(b.w, out, eth0(b.out), 0);
    g_autoptr(GError) err = NULL;
    cr_assert(sim_nat_enable(b.r, in, out, NULL, &err), "%s", err ? err->message : "");
    cr_assert_not(sim_nat_enable(b.r, in, out, NULL, NULL)); /* one NAT per router */
    SimPacket *arp = sim_packet_new(sim_world_pool(b.w), SIM_PACKET_HEADROOM, 0);
    SimArpHdr a = {.oper = SIM_ARP_REQUEST,
                   .sha = *sim_iface_mac(b.p->nic),
                   .spa = ip4("10.0.0.5"),
                   .tpa = ip4("10.0.0.1")};
    sim_arp_hdr_encode(arp, &a);
    send_frame(&b, arp, SIM_ETHERTYPE_ARP, true);
    run_for(b.w, SIM_MS);
    return b;
}

static void bench_free(Bench *b)
{
    recorder_free(b->rec);
    sim_world_free(b->w);
}

/* An IPv4 datagram from 10.0.0.5 to 100.64.0.1 carrying len bytes of l4. */
static void send_raw(Bench *b, uint8_t proto, const uint8_t *l4, size_t len)
{
    SimPacket *p = sim_packet_new(sim_world_pool(b->w), SIM_PACKET_HEADROOM, len);
    memcpy(sim_packet_data(p), l4, len);
    SimIpv4Hdr ip = {
        .id = 1, .ttl = 64, .proto = proto, .src = ip4("10.0.0.5"), .dst = ip4("100.64.0.1")};
    sim_ipv4_hdr_encode(p, &ip);
    send_frame(b, p, SIM_ETHERTYPE_IPV4, false);
    run_for(b->w, 10 * SIM_MS);
}

Test(nat_unit, truncated_headers_are_dropped_never_translated)
{
    Bench b = bench_new();
    static const uint8_t bytes[20] = {0x9c, 0x40, 0x00, 0x50};
    static const struct {
        uint8_t proto;
        size_t len;
        SimDropReason reason;
        const char *why;
    } cases[] = {
        {SIM_IPPROTO_TCP, 12, SIM_DROP_MALFORMED, "NAT: truncated TCP header"},
        {SIM_IPPROTO_UDP, 6, SIM_DROP_MALFORMED, "NAT: truncated UDP header"},
        {SIM_IPPROTO_ICMP, 4, SIM_DROP_MALFORMED, "NAT: truncated ICMP header"},
        {47, 20, SIM_DROP_NAT, "NAT: protocol not translated (only TCP, UDP and ICMP)"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        guint from = b.rec->recs->len;
        send_raw(&b, cases[i].proto, bytes, cases[i].len);
        cr_assert_eq(rec_count(b.rec, SIM_TR_DROP, "r", cases[i].why, from), 1, "case %zu", i);
        cr_assert_eq(rec_count(b.rec, SIM_TR_NAT, "r", NULL, from), 0, "case %zu", i);
        cr_assert_eq(rec_count(b.rec, SIM_TR_RX, "o", NULL, from), 0, "case %zu", i);
        const Rec *d = NULL;
        for (guint k = from; k < b.rec->recs->len; k++)
            if (g_array_index(b.rec->recs, Rec, k).kind == SIM_TR_DROP)
                d = &g_array_index(b.rec->recs, Rec, k);
        cr_assert_eq(d->reason, cases[i].reason, "case %zu", i);
    }
    cr_assert_eq(sim_nat_count(b.r), 0);
    bench_free(&b);
}

/* A whole UDP datagram goes out from the outside address, with valid IP
 * and UDP checksums after the incremental updates. */
Test(nat_unit, whole_datagram_translated_with_valid_checksums)
{
    Bench b = bench_new();
    g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func((GDestroyNotify)sim_packet_unref);
    SimIface *o = eth0(b.out);
    sim_iface_set_promisc(o, true);
    SimPacket *p = sim_packet_new(sim_world_pool(b.w), SIM_PACKET_HEADROOM, 5);
    memcpy(sim_packet_data(p), "hello", 5);
    SimUdpHdr u = {.sport = 40001, .dport = 9};
    sim_udp_hdr_encode(p, ip4("10.0.0.5"), ip4("100.64.0.1"), &u);
    SimIpv4Hdr ip = {.id = 1,
                     .ttl = 64,
                     .proto = SIM_IPPROTO_UDP,
                     .src = ip4("10.0.0.5"),
                     .dst = ip4("100.64.0.1")};
    uint16_t orig_csum = sim_wire_get16(sim_packet_cdata(p) + 6);
    sim_ipv4_hdr_encode(p, &ip);
    guint from = b.rec->recs->len;
    send_frame(&b, p, SIM_ETHERTYPE_IPV4, false);
    run_for(b.w, 10 * SIM_MS);
    cr_assert_eq(rec_count(b.rec, SIM_TR_NAT, "r",
                           "udp 10.0.0.5:40001 → 100.64.0.2:40001 (new mapping)", from),
                 1);
    /* o has no listener on port 9: it answers port unreachable to
     * 100.64.0.2, which the NAT translates back to the probe. */
    cr_assert_eq(rec_count(b.rec, SIM_TR_DROP, "o", "UDP from 100.64.0.2:40001 to port 9", from),
                 1);
    cr_assert_eq(rec_count(b.rec, SIM_TR_NAT, "r", "ICMP error: quoted header translated", from),
                 1);
    SimPacket *back = NULL;
    for (guint i = 0; i < b.p->frames->len; i++) {
        SimPacket *f = g_ptr_array_index(b.p->frames, i);
        const uint8_t *d = sim_packet_cdata(f);
        if (sim_packet_len(f) >= 14 + 20 + 8 + 28 && sim_wire_get16(d + 12) == 0x0800 &&
            d[14 + 9] == SIM_IPPROTO_ICMP)
            back = f;
    }
    cr_assert_not_null(back);
    const uint8_t *ipb = sim_packet_cdata(back) + 14;
    SimIpv4Hdr h;
    cr_assert(sim_ipv4_hdr_decode(ipb, sim_packet_len(back) - 14, &h, NULL));
    cr_assert(h.checksum_ok);
    cr_assert_eq(h.dst, ip4("10.0.0.5"));
    size_t il = h.total_len - h.hdr_len;
    cr_assert_eq(sim_csum(ipb + h.hdr_len, il), 0, "ICMP checksum");
    const uint8_t *q = ipb + h.hdr_len + 8;
    cr_assert_eq(sim_csum(q, 20), 0, "quoted IP header checksum");
    cr_assert_eq(sim_wire_get32(q + 12), ip4("10.0.0.5"));
    cr_assert_eq(sim_wire_get16(q + 20), 40001);
    /* The quoted UDP checksum is that of the original datagram again
     * (the address and port updates cancel out, RFC 1624). */
    cr_assert_eq(sim_wire_get16(q + 26), orig_csum);
    bench_free(&b);
}
