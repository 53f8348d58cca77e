/* test_icmp.c - ICMP generation (sim/l3/icmp.c, ipv4_in.c, udp_demux.c):
 * what a stack answers to hand-built datagrams from a probe node, and when
 * RFC 1122 keeps it quiet. */
#include "tests/scenario/helpers.h"

#include "sim/net/arp_hdr.h"
#include "sim/net/checksum.h"
#include "sim/net/eth.h"
#include "sim/net/icmp_hdr.h"
#include "sim/net/ipv4_hdr.h"
#include "sim/net/l4_hdr.h"
#include "sim/net/wire.h"

typedef struct {
    SimWorld *w;
    SimNode *n;
    Probe *p;
    Recorder *r;
} Bench;

static void noop(void *ctx, void *arg) {}

static void run_for(SimWorld *w, SimTime dt)
{
    sim_world_schedule(w, dt, noop, NULL, NULL);
    sim_world_run(w, sim_world_now(w) + dt, 0);
}

static void send_frame(Bench *b, SimPacket *pkt, uint16_t type, bool bcast)
{
    SimEthHdr e = {.dst = bcast ? SIM_MAC_BROADCAST : *sim_iface_mac(eth0(b->n)),
                   .src = *sim_iface_mac(b->p->nic),
                   .ethertype = type};
    sim_eth_encode(pkt, &e);
    sim_eth_pad(pkt);
    sim_iface_send(b->p->nic, pkt);
}

/* A host (or router) with eth0 10.0.0.1/24 facing the probe 10.0.0.5,
 * whose MAC it already knows. A router also gets eth1 10.0.1.1/24. */
static Bench bench_new(bool router)
{
    Bench b = {.w = sim_world_new(4)};
    b.r = recorder_new(b.w, "icmp.pcap", false);
    if (router) {
        b.n = sim_router_new(b.w, "r");
        mk_if(b.n, "eth0", "10.0.0.1/24");
        mk_if(b.n, "eth1", "10.0.1.1/24");
    } else {
        b.n = mk_host(b.w, "h", "10.0.0.1/24", NULL);
    }
    b.p = probe_new(b.w);
    mk_link(b.w, eth0(b.n), b.p->nic, 0);
    SimPacket *arp = sim_packet_new(sim_world_pool(b.w), SIM_PACKET_HEADROOM, 0);
    SimArpHdr a = {.oper = SIM_ARP_REQUEST,
                   .sha = *sim_iface_mac(b.p->nic),
                   .spa = ip4("10.0.0.5"),
                   .tpa = ip4("10.0.0.1")};
    sim_arp_hdr_encode(arp, &a);
    send_frame(&b, arp, SIM_ETHERTYPE_ARP, true);
    run_for(b.w, SIM_MS);
    g_ptr_array_set_size(b.p->frames, 0);
    return b;
}

/* Every frame of the run must dissect cleanly. */
static void bench_free(Bench *b)
{
    recorder_close_pcap(b->r);
    tshark_check_clean(b->r->pcap_path, b->r->frames);
    recorder_free(b->r);
    sim_world_free(b->w);
}

typedef struct {
    const char *dst;
    uint8_t ttl, proto;
    uint16_t frag_off;
    bool mf, bcast_mac;
} Dg;

/* Sends payload (consumed) in an IPv4 datagram from 10.0.0.5. */
static void send_dg(Bench *b, SimPacket *payload, const Dg *d)
{
    SimIpv4Hdr ip = {.id = 0x99,
                     .ttl = d->ttl ? d->ttl : 64,
                     .proto = d->proto,
                     .src = ip4("10.0.0.5"),
                     .dst = ip4(d->dst),
                     .mf = d->mf,
                     .frag_off = d->frag_off};
    sim_ipv4_hdr_encode(payload, &ip);
    send_frame(b, payload, SIM_ETHERTYPE_IPV4, d->bcast_mac);
}

static SimPacket *udp_msg(Bench *b, const char *dst, uint16_t dport)
{
    SimPacket *p = sim_packet_new(sim_world_pool(b->w), SIM_PACKET_HEADROOM, 12);
    memcpy(sim_packet_data(p), "hello world!", 12);
    SimUdpHdr u = {.sport = 5555, .dport = dport};
    sim_udp_hdr_encode(p, ip4("10.0.0.5"), ip4(dst), &u);
    return p;
}

static SimPacket *echo_msg(Bench *b, uint8_t type)
{
    SimPacket *p = sim_packet_new(sim_world_pool(b->w), SIM_PACKET_HEADROOM, 16);
    SimIcmpHdr h = {.type = type, .id = 7, .seq = 1};
    sim_icmp_hdr_encode(p, &h);
    return p;
}

/* The ICMP messages the probe received: type/code of the last, and the
 * quoted header when it is an error. */
static guint icmp_rx(Bench *b, uint8_t *type, uint8_t *code, SimIpv4Hdr *quoted, size_t *quote_len)
{
    guint n = 0;
    for (guint i = 0; i < b->p->frames->len; i++) {
        SimPacket *f = g_ptr_array_index(b->p->frames, i);
        const uint8_t *d = sim_packet_cdata(f);
        SimEthHdr e;
        SimIpv4Hdr ip;
        if (!sim_eth_decode(d, sim_packet_len(f), &e, NULL) || e.ethertype != SIM_ETHERTYPE_IPV4)
            continue;
        cr_assert(sim_ipv4_hdr_decode(d + 14, sim_packet_len(f) - 14, &ip, NULL));
        if (ip.proto != SIM_IPPROTO_ICMP)
            continue;
        const uint8_t *m = d + 14 + ip.hdr_len;
        size_t len = ip.total_len - ip.hdr_len;
        cr_assert_eq(sim_csum(m, len), 0);
        n++;
        *type = m[0];
        *code = m[1];
        if (quoted && sim_icmp_is_error(m[0])) {
            cr_assert(sim_ipv4_hdr_decode_quoted(m + 8, len - 8, quoted, NULL));
            *quote_len = len - 8;
        }
    }
    return n;
}

Test(icmp, closed_udp_port_gives_port_unreachable_quoting_header_and_8_bytes)
{
    Bench b = bench_new(false);
    send_dg(&b, udp_msg(&b, "10.0.0.1", 9999), &(Dg){"10.0.0.1", .proto = SIM_IPPROTO_UDP});
    run_for(b.w, SIM_MS);
    uint8_t t = 0, c = 0;
    SimIpv4Hdr q;
    size_t ql = 0;
    cr_assert_eq(icmp_rx(&b, &t, &c, &q, &ql), 1);
    cr_assert_eq(t, SIM_ICMP_DEST_UNREACH);
    cr_assert_eq(c, SIM_ICMP_UNREACH_PORT);
    cr_assert_eq(q.src, ip4("10.0.0.5"));
    cr_assert_eq(q.proto, SIM_IPPROTO_UDP);
    cr_assert_eq(ql, 20 + 8, "header + 8 bytes (RFC 792)");
    cr_assert_eq(rec_count(b.r, SIM_TR_DROP, "h", "to port 9999: nothing listens", 0), 1);
    bench_free(&b);
}

Test(icmp, no_errors_about_broadcasts)
{
    Bench b = bench_new(false);
    Dg d = {"255.255.255.255", .proto = SIM_IPPROTO_UDP, .bcast_mac = true};
    send_dg(&b, udp_msg(&b, "255.255.255.255", 9999), &d);
    Dg d2 = {"10.0.0.255", .proto = SIM_IPPROTO_UDP, .bcast_mac = true};
    send_dg(&b, udp_msg(&b, "10.0.0.255", 9999), &d2);
    /* Echo requests to a broadcast address are ignored (Linux default). */
    Dg d3 = {"10.0.0.255", .proto = SIM_IPPROTO_ICMP, .bcast_mac = true};
    send_dg(&b, echo_msg(&b, SIM_ICMP_ECHO_REQUEST), &d3);
    run_for(b.w, SIM_MS);
    uint8_t t, c;
    cr_assert_eq(icmp_rx(&b, &t, &c, NULL, NULL), 0);
    cr_assert_eq(rec_count(b.r, SIM_TR_DROP, "h", "nothing listens", 0), 2);
    cr_assert_eq(rec_count(b.r, SIM_TR_DROP, "h", "echo request to a broadcast address", 0), 1);
    bench_free(&b);
}

Test(icmp, unknown_protocol_gives_protocol_unreachable)
{
    Bench b = bench_new(false);
    SimPacket *p = sim_packet_new(sim_world_pool(b.w), SIM_PACKET_HEADROOM, 20);
    send_dg(&b, p, &(Dg){"10.0.0.1", .proto = 99});
    run_for(b.w, SIM_MS);
    uint8_t t = 0, c = 0;
    cr_assert_eq(icmp_rx(&b, &t, &c, NULL, NULL), 1);
    cr_assert_eq(t, SIM_ICMP_DEST_UNREACH);
    cr_assert_eq(c, SIM_ICMP_UNREACH_PROTO);
    bench_free(&b);
}

Test(icmp, bad_header_checksum_is_dropped_silently)
{
    Bench b = bench_new(false);
    SimPacket *p = echo_msg(&b, SIM_ICMP_ECHO_REQUEST);
    SimIpv4Hdr ip = {.ttl = 64, .proto = 1, .src = ip4("10.0.0.5"), .dst = ip4("10.0.0.1")};
    uint8_t *h = sim_ipv4_hdr_encode(p, &ip);
    h[11] ^= 0x5a;
    send_frame(&b, p, SIM_ETHERTYPE_IPV4, false);
    run_for(b.w, SIM_MS);
    cr_assert_eq(b.p->frames->len, 0);
    cr_assert_eq(rec_count(b.r, SIM_TR_DROP, "h", "IPv4 header checksum", 0), 1);
    const Rec *last = NULL;
    for (guint i = 0; i < b.r->recs->len; i++)
        if (g_array_index(b.r->recs, Rec, i).kind == SIM_TR_DROP)
            last = &g_array_index(b.r->recs, Rec, i);
    cr_assert_eq(last->reason, SIM_DROP_CHECKSUM);
    /* Skip the tshark check: this capture holds a deliberately bad frame. */
    recorder_free(b.r);
    sim_world_free(b.w);
}

Test(icmp, router_ttl_expiry_but_not_for_later_fragments_or_errors)
{
    Bench b = bench_new(true);
    uint8_t t = 0, c = 0;
    SimIpv4Hdr q;
    size_t ql;
    send_dg(&b, udp_msg(&b, "10.0.1.9", 33434), &(Dg){"10.0.1.9", .ttl = 1, .proto = 17});
    run_for(b.w, SIM_MS);
    cr_assert_eq(icmp_rx(&b, &t, &c, &q, &ql), 1);
    cr_assert_eq(t, SIM_ICMP_TIME_EXCEEDED);
    cr_assert_eq(c, SIM_ICMP_EXC_TTL);
    cr_assert_eq(q.ttl, 1, "the quoted header is the one that arrived");
    /* A non-first fragment, and an ICMP error, expire without a word. */
    SimPacket *p = sim_packet_new(sim_world_pool(b.w), SIM_PACKET_HEADROOM, 16);
    send_dg(&b, p, &(Dg){"10.0.1.9", .ttl = 1, .proto = 17, .frag_off = 1480});
    /* An error quoting a UDP datagram of ours: IP header + 8 bytes. */
    SimPacket *err = sim_packet_new(sim_world_pool(b.w), 128, 8);
    sim_wire_put16(sim_packet_data(err), 53);
    sim_wire_put16(sim_packet_data(err) + 2, 5555);
    sim_wire_put16(sim_packet_data(err) + 4, 8);
    SimIpv4Hdr qh = {.ttl = 60, .proto = 17, .src = ip4("10.0.1.9"), .dst = ip4("10.0.0.5")};
    sim_ipv4_hdr_encode(err, &qh);
    SimIcmpHdr eh = {.type = SIM_ICMP_DEST_UNREACH, .code = 3};
    sim_icmp_hdr_encode(err, &eh);
    send_dg(&b, err, &(Dg){"10.0.1.9", .ttl = 1, .proto = 1});
    run_for(b.w, SIM_MS);
    cr_assert_eq(icmp_rx(&b, &t, &c, NULL, NULL), 1);
    cr_assert_eq(rec_count(b.r, SIM_TR_INFO, "r", "it is a non-first fragment", 0), 1);
    cr_assert_eq(rec_count(b.r, SIM_TR_INFO, "r", "it is an ICMP error itself", 0), 1);
    cr_assert_eq(rec_count(b.r, SIM_TR_DROP, "r", "TTL 1 expired in transit", 0), 3);
    /* An echo request, by contrast, does earn a time exceeded. */
    send_dg(&b, echo_msg(&b, SIM_ICMP_ECHO_REQUEST), &(Dg){"10.0.1.9", .ttl = 1, .proto = 1});
    run_for(b.w, SIM_MS);
    cr_assert_eq(icmp_rx(&b, &t, &c, NULL, NULL), 2);
    bench_free(&b);
}

Test(icmp, router_drops_link_broadcast_and_directed_broadcast)
{
    Bench b = bench_new(true);
    /* Unicast IP inside a broadcast frame (RFC 1812 5.3.4). */
    send_dg(&b, udp_msg(&b, "10.0.1.9", 7), &(Dg){"10.0.1.9", .proto = 17, .bcast_mac = true});
    /* Directed broadcast to the far subnet: the router takes it, no relay. */
    send_dg(&b, udp_msg(&b, "10.0.1.255", 7), &(Dg){"10.0.1.255", .proto = 17});
    run_for(b.w, SIM_MS);
    cr_assert_eq(rec_count(b.r, SIM_TR_DROP, "r", "arrived as a link-layer broadcast", 0), 1);
    cr_assert_eq(rec_count(b.r, SIM_TR_ROUTE, "r", NULL, 0), 0, "nothing forwarded");
    cr_assert_eq(sim_ip_stats(sim_ip_stack(b.n))->forwarded, 0);
    uint8_t t, c;
    cr_assert_eq(icmp_rx(&b, &t, &c, NULL, NULL), 0);
    bench_free(&b);
}

Test(icmp, router_answers_echo_on_any_of_its_addresses)
{
    Bench b = bench_new(true);
    send_dg(&b, echo_msg(&b, SIM_ICMP_ECHO_REQUEST), &(Dg){"10.0.1.1", .proto = 1});
    run_for(b.w, SIM_MS);
    uint8_t t = 0, c = 0;
    cr_assert_eq(icmp_rx(&b, &t, &c, NULL, NULL), 1);
    cr_assert_eq(t, SIM_ICMP_ECHO_REPLY);
    SimPacket *f = g_ptr_array_index(b.p->frames, 0);
    SimIpv4Hdr ip;
    cr_assert(sim_ipv4_hdr_decode(sim_packet_cdata(f) + 14, sim_packet_len(f) - 14, &ip, NULL));
    cr_assert_eq(ip.src, ip4("10.0.1.1"), "the reply comes from the address pinged");
    bench_free(&b);
}

Test(icmp, router_without_route_answers_net_unreachable_even_at_ttl_1)
{
    /* Linux routes before it checks the TTL (RFC 1812 5.3.1 leaves the
     * order open): no route beats an expiring TTL. */
    Bench b = bench_new(true);
    send_dg(&b, udp_msg(&b, "10.9.9.9", 33434), &(Dg){"10.9.9.9", .ttl = 1, .proto = 17});
    run_for(b.w, SIM_MS);
    uint8_t t = 0, c = 0;
    cr_assert_eq(icmp_rx(&b, &t, &c, NULL, NULL), 1);
    cr_assert_eq(t, SIM_ICMP_DEST_UNREACH);
    cr_assert_eq(c, SIM_ICMP_UNREACH_NET);
    cr_assert_eq(rec_count(b.r, SIM_TR_DROP, "r", "no route to 10.9.9.9", 0), 1);
    cr_assert_eq(rec_count(b.r, SIM_TR_DROP, "r", "expired", 0), 0);
    bench_free(&b);
}
