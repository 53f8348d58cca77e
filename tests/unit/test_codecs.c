/* test_codecs.c - header codecs: round trips, truncation, garbage. */
#include <criterion/criterion.h>
#include <string.h>

#include "sim/net/arp_hdr.h"
#include "sim/net/checksum.h"
#include "sim/net/eth.h"
#include "sim/net/icmp_hdr.h"
#include "sim/net/ipv4_hdr.h"
#include "sim/net/l4_hdr.h"
#include "sim/net/wire.h"

#define A_IP 0xc0a80a01u /* 192.168.10.1 */
#define B_IP 0xc0a81401u /* 192.168.20.1 */

static SimPacketPool *pool;
static void setup(void)
{
    pool = sim_packet_pool_new();
}
static void teardown(void)
{
    cr_assert_eq(sim_packet_pool_in_use(pool), 0, "a test leaked a packet");
    sim_packet_pool_free(pool);
}
TestSuite(codecs, .init = setup, .fini = teardown);

static const SimMac MAC_A = {{0x02, 0, 0, 0, 0, 0x01}};
static const SimMac MAC_B = {{0x02, 0, 0, 0, 0, 0x02}};

Test(codecs, eth_roundtrip_untagged)
{
    SimPacket *p = sim_packet_new(pool, SIM_PACKET_HEADROOM, 46);
    SimEthHdr h = {.dst = MAC_B, .src = MAC_A, .ethertype = SIM_ETHERTYPE_IPV4};
    sim_eth_encode(p, &h);
    cr_assert_eq(sim_packet_len(p), 60);
    const uint8_t *b = sim_packet_cdata(p);
    cr_assert_eq(b[12], 0x08);
    cr_assert_eq(b[13], 0x00);
    SimEthHdr d;
    cr_assert(sim_eth_decode(b, 60, &d, NULL));
    cr_assert_eq(d.hdr_len, 14);
    cr_assert_not(d.tagged);
    cr_assert_eq(d.ethertype, SIM_ETHERTYPE_IPV4);
    cr_assert(sim_mac_equal(&d.dst, &MAC_B));
    cr_assert(sim_mac_equal(&d.src, &MAC_A));
    sim_packet_unref(p);
}

Test(codecs, eth_roundtrip_tagged)
{
    SimPacket *p = sim_packet_new(pool, SIM_PACKET_HEADROOM, 42);
    SimEthHdr h = {.dst = MAC_B,
                   .src = MAC_A,
                   .tagged = TRUE,
                   .pcp = 5,
                   .dei = TRUE,
                   .vid = 4094,
                   .ethertype = SIM_ETHERTYPE_ARP};
    sim_eth_encode(p, &h);
    const uint8_t *b = sim_packet_cdata(p);
    cr_assert_eq(sim_wire_get16(b + 12), 0x8100);
    cr_assert_eq(sim_wire_get16(b + 14), 5u << 13 | 1u << 12 | 4094);
    SimEthHdr d;
    cr_assert(sim_eth_decode(b, sim_packet_len(p), &d, NULL));
    cr_assert(d.tagged);
    cr_assert_eq(d.hdr_len, 18);
    cr_assert_eq(d.pcp, 5);
    cr_assert(d.dei);
    cr_assert_eq(d.vid, 4094);
    cr_assert_eq(d.ethertype, SIM_ETHERTYPE_ARP);
    sim_packet_unref(p);
}

Test(codecs, eth_vlan_insert_strip)
{
    SimPacket *p = sim_packet_new(pool, SIM_PACKET_HEADROOM, 28);
    memset(sim_packet_data(p), 0x5a, 28);
    SimEthHdr h = {.dst = MAC_B, .src = MAC_A, .ethertype = SIM_ETHERTYPE_ARP};
    sim_eth_encode(p, &h);
    sim_eth_pad(p);
    cr_assert_eq(sim_packet_len(p), 60);
    sim_eth_vlan_insert(p, 10, 0);
    cr_assert_eq(sim_packet_len(p), 64);
    SimEthHdr d;
    cr_assert(sim_eth_decode(sim_packet_cdata(p), 64, &d, NULL));
    cr_assert(d.tagged);
    cr_assert_eq(d.vid, 10);
    cr_assert_eq(d.ethertype, SIM_ETHERTYPE_ARP);
    cr_assert(sim_mac_equal(&d.src, &MAC_A));
    cr_assert_eq(sim_packet_cdata(p)[18], 0x5a);
    cr_assert(sim_eth_vlan_strip(p));
    cr_assert_eq(sim_packet_len(p), 60);
    cr_assert(sim_eth_decode(sim_packet_cdata(p), 60, &d, NULL));
    cr_assert_not(d.tagged);
    cr_assert_eq(d.ethertype, SIM_ETHERTYPE_ARP);
    cr_assert(sim_mac_equal(&d.dst, &MAC_B));
    cr_assert_eq(sim_packet_cdata(p)[14], 0x5a);
    cr_assert_not(sim_eth_vlan_strip(p), "no tag to strip");
    sim_packet_unref(p);
}

Test(codecs, eth_pad)
{
    SimPacket *p = sim_packet_new(pool, 0, 42);
    sim_eth_pad(p);
    cr_assert_eq(sim_packet_len(p), 60);
    SimPacket *q = sim_packet_new(pool, 0, 100);
    sim_eth_pad(q);
    cr_assert_eq(sim_packet_len(q), 100);
    sim_packet_unref(p);
    sim_packet_unref(q);
}

Test(codecs, arp_roundtrip_and_rejects)
{
    SimPacket *p = sim_packet_new(pool, SIM_PACKET_HEADROOM, 0);
    SimArpHdr a = {.oper = SIM_ARP_REQUEST, .sha = MAC_A, .spa = A_IP, .tpa = A_IP + 1};
    sim_arp_hdr_encode(p, &a);
    cr_assert_eq(sim_packet_len(p), 28);
    uint8_t b[28];
    memcpy(b, sim_packet_cdata(p), 28);
    SimArpHdr d;
    cr_assert(sim_arp_hdr_decode(b, 28, &d, NULL));
    cr_assert_eq(d.oper, SIM_ARP_REQUEST);
    cr_assert(sim_mac_equal(&d.sha, &MAC_A));
    cr_assert(sim_mac_equal(&d.tha, &SIM_MAC_ZERO));
    cr_assert_eq(d.spa, A_IP);
    cr_assert_eq(d.tpa, A_IP + 1);

    const int bad_offsets[] = {1, 3, 4, 5, 7};
    for (size_t i = 0; i < G_N_ELEMENTS(bad_offsets); i++) {
        uint8_t c[28];
        memcpy(c, b, 28);
        c[bad_offsets[i]] ^= 0x40;
        g_autoptr(GError) error = NULL;
        cr_assert_not(sim_arp_hdr_decode(c, 28, &d, &error), "byte %d", bad_offsets[i]);
        cr_assert(g_error_matches(error, SIM_WIRE_ERROR, SIM_WIRE_ERROR_UNSUPPORTED));
    }
    sim_packet_unref(p);
}

Test(codecs, ipv4_roundtrip)
{
    SimPacket *p = sim_packet_new(pool, SIM_PACKET_HEADROOM, 100);
    SimIpv4Hdr h = {.tos = 0xb8,
                    .id = 0x1234,
                    .df = TRUE,
                    .ttl = 64,
                    .proto = SIM_IPPROTO_UDP,
                    .src = A_IP,
                    .dst = B_IP};
    sim_ipv4_hdr_encode(p, &h);
    const uint8_t *b = sim_packet_cdata(p);
    cr_assert_eq(sim_csum(b, 20), 0, "header checksum is valid");
    SimIpv4Hdr d;
    cr_assert(sim_ipv4_hdr_decode(b, sim_packet_len(p), &d, NULL));
    cr_assert_eq(d.version, 4);
    cr_assert_eq(d.hdr_len, 20);
    cr_assert_eq(d.total_len, 120);
    cr_assert_eq(d.tos, 0xb8);
    cr_assert_eq(d.id, 0x1234);
    cr_assert(d.df);
    cr_assert_not(d.mf);
    cr_assert_eq(d.frag_off, 0);
    cr_assert_eq(d.ttl, 64);
    cr_assert_eq(d.proto, SIM_IPPROTO_UDP);
    cr_assert_eq(d.src, A_IP);
    cr_assert_eq(d.dst, B_IP);
    cr_assert(d.checksum_ok);
    sim_packet_unref(p);
}

Test(codecs, ipv4_fragment_fields_and_padding)
{
    SimPacket *p = sim_packet_new(pool, SIM_PACKET_HEADROOM, 16);
    SimIpv4Hdr h = {
        .id = 7, .mf = TRUE, .frag_off = 1480, .ttl = 1, .proto = 1, .src = A_IP, .dst = B_IP};
    sim_ipv4_hdr_encode(p, &h);
    sim_packet_put(p, 10); /* Ethernet padding after total_len is allowed */
    SimIpv4Hdr d;
    cr_assert(sim_ipv4_hdr_decode(sim_packet_cdata(p), sim_packet_len(p), &d, NULL));
    cr_assert_eq(d.total_len, 36);
    cr_assert(d.mf);
    cr_assert_eq(d.frag_off, 1480);
    cr_assert_eq(sim_wire_get16(sim_packet_cdata(p) + 6), 0x2000 | 185);
    sim_packet_unref(p);
}

Test(codecs, ipv4_bad_checksum_reported_not_rejected)
{
    SimPacket *p = sim_packet_new(pool, SIM_PACKET_HEADROOM, 0);
    SimIpv4Hdr h = {.ttl = 9, .proto = 6, .src = A_IP, .dst = B_IP};
    uint8_t *b = sim_ipv4_hdr_encode(p, &h);
    b[11] ^= 1;
    SimIpv4Hdr d;
    cr_assert(sim_ipv4_hdr_decode(b, 20, &d, NULL));
    cr_assert_not(d.checksum_ok);
    sim_ipv4_hdr_set_checksum(b);
    cr_assert(sim_ipv4_hdr_decode(b, 20, &d, NULL));
    cr_assert(d.checksum_ok);
    sim_packet_unref(p);
}

Test(codecs, ipv4_options_skipped)
{
    uint8_t b[28] = {0x46, 0, 0,  28, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0,
                     0,    1, 10, 0,  0, 2, 1, 1, 1,  0,  9, 9, 9,  9};
    sim_ipv4_hdr_set_checksum(b);
    SimIpv4Hdr d;
    cr_assert(sim_ipv4_hdr_decode(b, sizeof b, &d, NULL));
    cr_assert_eq(d.hdr_len, 24);
    cr_assert(d.checksum_ok);
    b[3] = 23; /* total_len < IHL*4 */
    g_autoptr(GError) error = NULL;
    cr_assert_not(sim_ipv4_hdr_decode(b, sizeof b, &d, &error));
    cr_assert(g_error_matches(error, SIM_WIRE_ERROR, SIM_WIRE_ERROR_MALFORMED));
}

Test(codecs, ipv4_rejects_version_and_ihl)
{
    uint8_t b[20] = {0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2};
    SimIpv4Hdr d;
    b[0] = 0x65;
    cr_assert_not(sim_ipv4_hdr_decode(b, 20, &d, NULL));
    b[0] = 0x44;
    cr_assert_not(sim_ipv4_hdr_decode(b, 20, &d, NULL));
    b[0] = 0x45;
    b[3] = 21; /* claims more than present */
    cr_assert_not(sim_ipv4_hdr_decode(b, 20, &d, NULL));
    cr_assert(sim_ipv4_hdr_decode_quoted(b, 20, &d, NULL), "a quoted header may be cut");
}

Test(codecs, ipv4_dec_ttl_incremental)
{
    SimPacket *p = sim_packet_new(pool, SIM_PACKET_HEADROOM, 8);
    SimIpv4Hdr h = {.ttl = 3, .proto = 17, .id = 0xfffe, .src = A_IP, .dst = B_IP};
    uint8_t *b = sim_ipv4_hdr_encode(p, &h);
    for (int expect = 2; expect >= 0; expect--) {
        cr_assert_eq(sim_ipv4_hdr_dec_ttl(b), expect);
        cr_assert_eq(sim_csum(b, 20), 0, "checksum still valid at ttl %d", expect);
    }
    sim_packet_unref(p);
}

Test(codecs, icmp_echo_roundtrip)
{
    SimPacket *p = sim_packet_new(pool, SIM_PACKET_HEADROOM, 56);
    for (int i = 0; i < 56; i++)
        sim_packet_data(p)[i] = (uint8_t)i;
    SimIcmpHdr h = {.type = SIM_ICMP_ECHO_REQUEST, .id = 0xbeef, .seq = 3};
    sim_icmp_hdr_encode(p, &h);
    const uint8_t *b = sim_packet_cdata(p);
    cr_assert_eq(sim_csum(b, 64), 0);
    SimIcmpHdr d;
    cr_assert(sim_icmp_hdr_decode(b, 64, &d, NULL));
    cr_assert_eq(d.type, 8);
    cr_assert_eq(d.code, 0);
    cr_assert_eq(d.id, 0xbeef);
    cr_assert_eq(d.seq, 3);
    cr_assert(d.checksum_ok);
    cr_assert_not(sim_icmp_hdr_decode(b, 63, &d, NULL) && d.checksum_ok,
                  "dropping a byte breaks the checksum");
    sim_packet_unref(p);
}

Test(codecs, icmp_frag_needed_mtu)
{
    SimPacket *p = sim_packet_new(pool, SIM_PACKET_HEADROOM, 28);
    SimIcmpHdr h = {
        .type = SIM_ICMP_DEST_UNREACH, .code = SIM_ICMP_UNREACH_FRAG_NEEDED, .mtu = 1400};
    sim_icmp_hdr_encode(p, &h);
    SimIcmpHdr d;
    cr_assert(sim_icmp_hdr_decode(sim_packet_cdata(p), 36, &d, NULL));
    cr_assert_eq(d.mtu, 1400);
    cr_assert_eq(d.rest, 1400);
    cr_assert(d.checksum_ok);
    cr_assert(sim_icmp_is_error(d.type));
    cr_assert_not(sim_icmp_is_error(SIM_ICMP_ECHO_REPLY));
    sim_packet_unref(p);
}

Test(codecs, udp_roundtrip_and_zero_checksum)
{
    SimPacket *p = sim_packet_new(pool, SIM_PACKET_HEADROOM, 5);
    memcpy(sim_packet_data(p), "hello", 5);
    SimUdpHdr h = {.sport = 33434, .dport = 53};
    uint8_t *b = sim_udp_hdr_encode(p, A_IP, B_IP, &h);
    SimUdpHdr d;
    cr_assert(sim_udp_hdr_decode(b, 13, A_IP, B_IP, &d, NULL));
    cr_assert_eq(d.sport, 33434);
    cr_assert_eq(d.dport, 53);
    cr_assert_eq(d.length, 13);
    cr_assert(d.checksum_ok);
    cr_assert_not(sim_udp_hdr_decode(b, 13, A_IP, B_IP + 1, &d, NULL) && d.checksum_ok,
                  "the pseudo-header is covered");
    /* No checksum (0) is accepted. */
    b[6] = b[7] = 0;
    cr_assert(sim_udp_hdr_decode(b, 13, A_IP, B_IP, &d, NULL));
    cr_assert(d.checksum_ok);
    b[5] = 7;
    cr_assert_not(sim_udp_hdr_decode(b, 13, A_IP, B_IP, &d, NULL));
    b[5] = 14;
    cr_assert_not(sim_udp_hdr_decode(b, 13, A_IP, B_IP, &d, NULL));
    sim_packet_unref(p);
}

/* Search for a payload whose checksum computes to 0: it must go out as 0xffff. */
Test(codecs, udp_computed_zero_sent_as_ffff)
{
    gboolean found = FALSE;
    for (uint32_t v = 0; v < 0x10000 && !found; v++) {
        SimPacket *p = sim_packet_new(pool, SIM_PACKET_HEADROOM, 2);
        sim_wire_put16(sim_packet_data(p), (uint16_t)v);
        SimUdpHdr h = {.sport = 1, .dport = 2};
        uint8_t *b = sim_udp_hdr_encode(p, A_IP, B_IP, &h);
        /* Recompute what the raw sum would be with the field zero. */
        uint8_t c[10];
        memcpy(c, b, 10);
        c[6] = c[7] = 0;
        uint32_t s = sim_csum_pseudo_ipv4(A_IP, B_IP, 17, 10, 0);
        if (sim_csum_finish(sim_csum_partial(c, 10, s)) == 0) {
            found = TRUE;
            cr_assert_eq(sim_wire_get16(b + 6), 0xffff);
            SimUdpHdr d;
            cr_assert(sim_udp_hdr_decode(b, 10, A_IP, B_IP, &d, NULL));
            cr_assert(d.checksum_ok);
        }
        sim_packet_unref(p);
    }
    cr_assert(found);
}

Test(codecs, tcp_roundtrip_with_mss)
{
    SimPacket *p = sim_packet_new(pool, SIM_PACKET_HEADROOM, 3);
    memcpy(sim_packet_data(p), "abc", 3);
    SimTcpHdr h = {.sport = 40000,
                   .dport = 80,
                   .seq = 0xdeadbeef,
                   .ack = 17,
                   .flags = SIM_TCP_SYN | SIM_TCP_ACK | SIM_TCP_CWR,
                   .window = 65535,
                   .urgent = 0,
                   .mss = 1460};
    uint8_t *b = sim_tcp_hdr_encode(p, A_IP, B_IP, &h);
    cr_assert_eq(sim_packet_len(p), 27);
    SimTcpHdr d;
    cr_assert(sim_tcp_hdr_decode(b, 27, A_IP, B_IP, &d, NULL));
    cr_assert_eq(d.sport, 40000);
    cr_assert_eq(d.dport, 80);
    cr_assert_eq(d.seq, 0xdeadbeef);
    cr_assert_eq(d.ack, 17);
    cr_assert_eq(d.flags, SIM_TCP_SYN | SIM_TCP_ACK | SIM_TCP_CWR);
    cr_assert_eq(d.window, 65535);
    cr_assert_eq(d.mss, 1460);
    cr_assert_eq(d.hdr_len, 24);
    cr_assert(d.checksum_ok);
    b[26] ^= 1;
    cr_assert(sim_tcp_hdr_decode(b, 27, A_IP, B_IP, &d, NULL));
    cr_assert_not(d.checksum_ok);
    char fl[SIM_TCP_FLAGS_STRLEN];
    cr_assert_str_eq(sim_tcp_flags_format(SIM_TCP_SYN | SIM_TCP_ACK, fl), "SYN, ACK");
    cr_assert_str_eq(sim_tcp_flags_format(SIM_TCP_FIN | SIM_TCP_PSH | SIM_TCP_ACK, fl),
                     "FIN, PSH, ACK");
    cr_assert_str_eq(sim_tcp_flags_format(0, fl), "<None>");
    sim_packet_unref(p);
}

Test(codecs, tcp_bad_options_rejected)
{
    uint8_t b[28] = {0};
    b[12] = 7 << 4; /* 28-byte header */
    b[20] = 1;      /* NOP */
    b[21] = 3;      /* window scale, length 3 */
    b[22] = 3;
    b[23] = 7;
    b[24] = 0; /* EOL */
    SimTcpHdr d;
    cr_assert(sim_tcp_hdr_decode(b, 28, A_IP, B_IP, &d, NULL));
    b[22] = 9; /* runs past the header */
    cr_assert_not(sim_tcp_hdr_decode(b, 28, A_IP, B_IP, &d, NULL));
    b[22] = 1; /* below the minimum of 2 */
    cr_assert_not(sim_tcp_hdr_decode(b, 28, A_IP, B_IP, &d, NULL));
    b[21] = 2;
    b[22] = 3; /* MSS with length 3 */
    cr_assert_not(sim_tcp_hdr_decode(b, 28, A_IP, B_IP, &d, NULL));
    b[12] = 4 << 4;
    cr_assert_not(sim_tcp_hdr_decode(b, 28, A_IP, B_IP, &d, NULL), "offset below 5");
    b[12] = 8 << 4;
    cr_assert_not(sim_tcp_hdr_decode(b, 28, A_IP, B_IP, &d, NULL), "offset beyond len");
}

/* ---- truncation and garbage -------------------------------------------- */

typedef gboolean (*DecodeFn)(const uint8_t *buf, size_t len, GError **error);

static gboolean dec_eth(const uint8_t *b, size_t n, GError **e)
{
    SimEthHdr h;
    return sim_eth_decode(b, n, &h, e);
}
static gboolean dec_arp(const uint8_t *b, size_t n, GError **e)
{
    SimArpHdr h;
    return sim_arp_hdr_decode(b, n, &h, e);
}
static gboolean dec_ip(const uint8_t *b, size_t n, GError **e)
{
    SimIpv4Hdr h;
    return sim_ipv4_hdr_decode(b, n, &h, e);
}
static gboolean dec_ip_quoted(const uint8_t *b, size_t n, GError **e)
{
    SimIpv4Hdr h;
    return sim_ipv4_hdr_decode_quoted(b, n, &h, e);
}
static gboolean dec_icmp(const uint8_t *b, size_t n, GError **e)
{
    SimIcmpHdr h;
    return sim_icmp_hdr_decode(b, n, &h, e);
}
static gboolean dec_udp(const uint8_t *b, size_t n, GError **e)
{
    SimUdpHdr h;
    return sim_udp_hdr_decode(b, n, A_IP, B_IP, &h, e);
}
static gboolean dec_tcp(const uint8_t *b, size_t n, GError **e)
{
    SimTcpHdr h;
    return sim_tcp_hdr_decode(b, n, A_IP, B_IP, &h, e);
}

/* Decodes a copy of exactly n bytes in a fresh heap block, so that ASan
 * catches any read past n. */
static gboolean decode_exact(DecodeFn fn, const uint8_t *b, size_t n, GError **e)
{
    uint8_t *copy = g_malloc(n ? n : 1);
    memcpy(copy, b, n);
    gboolean ok = fn(copy, n, e);
    g_free(copy);
    return ok;
}

/* Every strict prefix of a valid header (its minimal length `need`) fails
 * with a TRUNCATED error; the full one decodes. */
static void check_truncations(const char *what, DecodeFn fn, const uint8_t *b, size_t full,
                              size_t need)
{
    cr_assert(decode_exact(fn, b, full, NULL), "%s: the full header decodes", what);
    for (size_t n = 0; n < need; n++) {
        g_autoptr(GError) error = NULL;
        cr_assert_not(decode_exact(fn, b, n, &error), "%s: %zu bytes must fail", what, n);
        cr_assert(g_error_matches(error, SIM_WIRE_ERROR, SIM_WIRE_ERROR_TRUNCATED), "%s at %zu: %s",
                  what, n, error->message);
    }
}

static SimPacket *build_udp_ip(void)
{
    SimPacket *p = sim_packet_new(pool, SIM_PACKET_HEADROOM, 12);
    SimUdpHdr u = {.sport = 1000, .dport = 2000};
    sim_udp_hdr_encode(p, A_IP, B_IP, &u);
    SimIpv4Hdr ip = {.ttl = 64, .proto = 17, .src = A_IP, .dst = B_IP};
    sim_ipv4_hdr_encode(p, &ip);
    return p;
}

Test(codecs, every_truncation_fails)
{
    SimPacket *p = build_udp_ip();
    const uint8_t *ip = sim_packet_cdata(p);
    check_truncations("ipv4", dec_ip, ip, 40, 40); /* total_len is 40 */
    check_truncations("ipv4 quoted", dec_ip_quoted, ip, 40, 20);
    check_truncations("udp", dec_udp, ip + 20, 20, 20);

    SimEthHdr eh = {.dst = MAC_B, .src = MAC_A, .tagged = TRUE, .vid = 3, .ethertype = 0x0800};
    sim_eth_encode(p, &eh);
    check_truncations("eth tagged", dec_eth, sim_packet_cdata(p), 18, 18);
    sim_packet_unref(p);

    uint8_t arp[28];
    SimPacket *a = sim_packet_new(pool, SIM_PACKET_HEADROOM, 0);
    SimArpHdr ah = {.oper = SIM_ARP_REPLY, .sha = MAC_A, .spa = A_IP, .tha = MAC_B, .tpa = B_IP};
    memcpy(arp, sim_arp_hdr_encode(a, &ah), 28);
    sim_packet_unref(a);
    check_truncations("arp", dec_arp, arp, 28, 28);

    SimPacket *ic = sim_packet_new(pool, SIM_PACKET_HEADROOM, 4);
    SimIcmpHdr ih = {.type = SIM_ICMP_ECHO_REPLY, .id = 1, .seq = 2};
    sim_icmp_hdr_encode(ic, &ih);
    check_truncations("icmp", dec_icmp, sim_packet_cdata(ic), 12, 8);
    sim_packet_unref(ic);

    SimPacket *t = sim_packet_new(pool, SIM_PACKET_HEADROOM, 0);
    SimTcpHdr th = {.sport = 1, .dport = 2, .flags = SIM_TCP_SYN, .mss = 1460};
    sim_tcp_hdr_encode(t, A_IP, B_IP, &th);
    check_truncations("tcp", dec_tcp, sim_packet_cdata(t), 24, 24);
    sim_packet_unref(t);
}

Test(codecs, random_garbage_never_crashes)
{
    static const DecodeFn fns[] = {dec_eth,  dec_arp, dec_ip, dec_ip_quoted,
                                   dec_icmp, dec_udp, dec_tcp};
    GRand *r = g_rand_new_with_seed(42);
    int accepted = 0;
    for (int n = 0; n < 10000; n++) {
        size_t len = (size_t)g_rand_int_range(r, 0, 80);
        uint8_t buf[80];
        for (size_t i = 0; i < len; i++)
            buf[i] = (uint8_t)g_rand_int(r);
        /* Bias toward plausible first bytes so deeper checks are reached. */
        if (len > 0 && n % 2)
            buf[0] = (uint8_t)(0x40 | (buf[0] & 0x0f));
        for (size_t k = 0; k < G_N_ELEMENTS(fns); k++) {
            g_autoptr(GError) error = NULL;
            gboolean ok = decode_exact(fns[k], buf, len, &error);
            cr_assert(ok == (error == NULL), "an error is set exactly on failure");
            if (!ok)
                cr_assert(error->message[0] != '\0');
            accepted += ok;
        }
    }
    g_rand_free(r);
    cr_assert_gt(accepted, 0);
}
