/* test_reasm.c - IPv4 reassembly (sim/l3/reasm.c): fragments of an echo
 * request injected by a probe node in any order, duplicates, the 30 s
 * timeout with its ICMP "fragment reassembly time exceeded", and the memory
 * bound. */
#include "tests/scenario/helpers.h"

#include "sim/net/eth.h"
#include "sim/net/icmp_hdr.h"
#include "sim/net/ipv4_hdr.h"
#include "sim/net/wire.h"

#include "sim/net/arp_hdr.h"
#include "sim/net/checksum.h"

typedef struct {
    SimWorld *w;
    SimNode *h;
    Probe *p;
    Recorder *r;
    uint8_t msg[3000]; /* an ICMP echo request with 2992 data bytes */
} Bench;

static void noop(void *ctx, void *arg) {}

static void run_for(SimWorld *w, SimTime dt)
{
    sim_world_schedule(w, dt, noop, NULL, NULL);
    sim_world_run(w, sim_world_now(w) + dt, 0);
}

static void send_frame(Bench *b, SimPacket *pkt, uint16_t type)
{
    SimEthHdr e = {
        .dst = *sim_iface_mac(eth0(b->h)), .src = *sim_iface_mac(b->p->nic), .ethertype = type};
    sim_eth_encode(pkt, &e);
    sim_eth_pad(pkt);
    sim_iface_send(b->p->nic, pkt);
}

/* h 10.0.0.1 <-> probe 10.0.0.5; h already knows the probe's MAC. */
static Bench *bench_new(void)
{
    Bench *b = g_new0(Bench, 1);
    b->w = sim_world_new(2);
    b->r = recorder_new(b->w, NULL, false);
    b->h = mk_host(b->w, "h", "10.0.0.1/24", NULL);
    b->p = probe_new(b->w);
    mk_link(b->w, eth0(b->h), b->p->nic, 0);
    SimPacket *arp = sim_packet_new(sim_world_pool(b->w), SIM_PACKET_HEADROOM, 0);
    SimArpHdr a = {.oper = SIM_ARP_REQUEST,
                   .sha = *sim_iface_mac(b->p->nic),
                   .spa = ip4("10.0.0.5"),
                   .tpa = ip4("10.0.0.1")};
    sim_arp_hdr_encode(arp, &a);
    send_frame(b, arp, SIM_ETHERTYPE_ARP);
    run_for(b->w, SIM_MS);
    SimPacket *m = sim_packet_new(sim_world_pool(b->w), SIM_PACKET_HEADROOM, 2992);
    for (int i = 0; i < 2992; i++)
        sim_packet_data(m)[i] = (uint8_t)(i * 7);
    SimIcmpHdr ih = {.type = SIM_ICMP_ECHO_REQUEST, .id = 0x4242, .seq = 1};
    sim_icmp_hdr_encode(m, &ih);
    memcpy(b->msg, sim_packet_data(m), sizeof b->msg);
    sim_packet_unref(m);
    g_ptr_array_set_size(b->p->frames, 0);
    return b;
}

static void bench_free(Bench *b)
{
    recorder_free(b->r);
    sim_world_free(b->w);
    g_free(b);
}

/* Sends bytes [off, off+len) of the message as a fragment of datagram id. */
static void frag(Bench *b, uint16_t id, uint16_t off, size_t len, bool mf)
{
    SimPacket *pkt = sim_packet_new(sim_world_pool(b->w), SIM_PACKET_HEADROOM, len);
    memcpy(sim_packet_data(pkt), b->msg + off, len);
    SimIpv4Hdr ip = {.id = id,
                     .ttl = 64,
                     .proto = SIM_IPPROTO_ICMP,
                     .src = ip4("10.0.0.5"),
                     .dst = ip4("10.0.0.1"),
                     .mf = mf,
                     .frag_off = off};
    sim_ipv4_hdr_encode(pkt, &ip);
    send_frame(b, pkt, SIM_ETHERTYPE_IPV4);
}

/* The IPv4 frames the probe received: ICMP bytes of the reply put back
 * together by offset; returns how many fragments. */
static guint collect_reply(Bench *b, uint8_t *out, size_t *total)
{
    guint n = 0;
    *total = 0;
    for (guint i = 0; i < b->p->frames->len; i++) {
        SimPacket *f = g_ptr_array_index(b->p->frames, i);
        const uint8_t *d = sim_packet_cdata(f);
        SimEthHdr e;
        SimIpv4Hdr ip;
        if (!sim_eth_decode(d, sim_packet_len(f), &e, NULL) || e.ethertype != SIM_ETHERTYPE_IPV4)
            continue;
        cr_assert(sim_ipv4_hdr_decode(d + 14, sim_packet_len(f) - 14, &ip, NULL));
        cr_assert(ip.checksum_ok);
        size_t len = ip.total_len - ip.hdr_len;
        memcpy(out + ip.frag_off, d + 14 + ip.hdr_len, len);
        if (!ip.mf)
            *total = ip.frag_off + len;
        n++;
    }
    return n;
}

static void check_reply(Bench *b)
{
    uint8_t got[3000];
    size_t total;
    cr_assert_eq(collect_reply(b, got, &total), 3, "the reply is fragmented too");
    cr_assert_eq(total, 3000);
    cr_assert_eq(got[0], SIM_ICMP_ECHO_REPLY);
    cr_assert_eq(sim_wire_get16(got + 4), 0x4242);
    cr_assert(memcmp(got + 8, b->msg + 8, 2992) == 0, "echo data comes back intact");
    cr_assert_eq(sim_csum(got, 3000), 0);
}

Test(reasm, out_of_order_fragments_are_reassembled)
{
    Bench *b = bench_new();
    frag(b, 7, 2960, 40, false);
    frag(b, 7, 0, 1480, true);
    run_for(b->w, SIM_MS);
    cr_assert_eq(b->r->counts[SIM_TR_REASSEMBLE], 0, "a hole remains");
    frag(b, 7, 1480, 1480, true);
    run_for(b->w, SIM_MS);
    cr_assert_eq(rec_count(b->r, SIM_TR_REASSEMBLE, "h",
                           "datagram id 0x0007 from 10.0.0.5 reassembled from 3 fragments, 3020 "
                           "bytes",
                           0),
                 1);
    check_reply(b);
    bench_free(b);
}

Test(reasm, duplicate_and_overlapping_fragments)
{
    Bench *b = bench_new();
    frag(b, 9, 0, 1480, true);
    frag(b, 9, 0, 1480, true);
    frag(b, 9, 1480, 1504, true); /* overlaps the last one by 24 bytes */
    frag(b, 9, 2960, 40, false);
    run_for(b->w, SIM_MS);
    cr_assert_eq(rec_count(b->r, SIM_TR_REASSEMBLE, "h", "from 4 fragments, 3020 bytes", 0), 1);
    check_reply(b);
    bench_free(b);
}

Test(reasm, timeout_drops_and_reports_when_first_fragment_came)
{
    Bench *b = bench_new();
    frag(b, 11, 0, 1480, true);
    frag(b, 11, 2960, 40, false);
    run_for(b->w, 29 * SIM_SEC);
    cr_assert_eq(b->r->counts[SIM_TR_DROP], 0);
    run_for(b->w, 2 * SIM_SEC);
    cr_assert_eq(rec_count(b->r, SIM_TR_DROP, "h", "reassembly timed out, 2 fragments dropped", 0),
                 1);
    cr_assert_eq(rec_count(b->r, SIM_TR_TTL_EXCEEDED, "h", "fragment reassembly time exceeded", 0),
                 1);
    /* RFC 792: type 11 code 1, quoting the first fragment's header. */
    cr_assert_eq(b->p->frames->len, 1);
    SimPacket *f = g_ptr_array_index(b->p->frames, 0);
    const uint8_t *d = sim_packet_cdata(f);
    SimIpv4Hdr ip, q;
    cr_assert(sim_ipv4_hdr_decode(d + 14, sim_packet_len(f) - 14, &ip, NULL));
    cr_assert_eq(ip.dst, ip4("10.0.0.5"));
    cr_assert_eq(ip.src, ip4("10.0.0.1"));
    const uint8_t *icmp = d + 14 + ip.hdr_len;
    cr_assert_eq(icmp[0], SIM_ICMP_TIME_EXCEEDED);
    cr_assert_eq(icmp[1], SIM_ICMP_EXC_REASSEMBLY);
    cr_assert(sim_ipv4_hdr_decode_quoted(icmp + 8, ip.total_len - ip.hdr_len - 8, &q, NULL));
    cr_assert_eq(q.id, 11);
    cr_assert(q.mf);
    cr_assert_eq(ip.total_len - ip.hdr_len, 8 + 20 + 8);
    bench_free(b);
}

Test(reasm, timeout_without_first_fragment_is_silent)
{
    Bench *b = bench_new();
    frag(b, 12, 1480, 1480, true);
    run_for(b->w, 31 * SIM_SEC);
    cr_assert_eq(rec_count(b->r, SIM_TR_DROP, "h", "reassembly timed out", 0), 1);
    cr_assert_eq(b->r->counts[SIM_TR_TTL_EXCEEDED], 0);
    cr_assert_eq(b->p->frames->len, 0);
    bench_free(b);
}

Test(reasm, memory_bound_evicts_oldest)
{
    Bench *b = bench_new();
    /* 200 unfinished datagrams of ~1.5 KB: more than the 256 KiB allowed. */
    for (uint16_t id = 100; id < 300; id++)
        frag(b, id, 0, 1480, true);
    run_for(b->w, SIM_SEC);
    guint evicted = rec_count(b->r, SIM_TR_DROP, "h", "reassembly memory full", 0);
    cr_assert_gt(evicted, 20);
    cr_assert_lt(evicted, 200);
    cr_assert_eq(rec_count(b->r, SIM_TR_DROP, "h", "datagram id 0x0064 ", 0), 1,
                 "the oldest goes first");
    /* The survivors still complete. */
    frag(b, 299, 1480, 1480, true);
    frag(b, 299, 2960, 40, false);
    run_for(b->w, SIM_MS);
    cr_assert_eq(b->r->counts[SIM_TR_REASSEMBLE], 1);
    bench_free(b);
}
