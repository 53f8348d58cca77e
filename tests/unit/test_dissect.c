/* test_dissect.c - summary lines and the layered walk. */
#include <criterion/criterion.h>
#include <string.h>

#include "frames.h"
#include "sim/net/dissect.h"
#include "sim/net/wire.h"

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
TestSuite(dissect, .init = setup, .fini = teardown);

static void assert_summary(SimPacket *p, const char *expect)
{
    char buf[SIM_DISSECT_SUMMARY_LEN];
    size_t n = sim_dissect_summary(sim_packet_cdata(p), sim_packet_len(p), buf, sizeof buf);
    cr_assert_eq(n, strlen(buf));
    cr_assert_str_eq(buf, expect);
    sim_packet_unref(p);
}

Test(dissect, summary_arp)
{
    assert_summary(frame_arp(pool, SIM_ARP_REQUEST, &EP_A, &EP_B),
                   "ARP who-has 192.168.10.2 tell 192.168.10.1");
    assert_summary(frame_arp(pool, SIM_ARP_REPLY, &EP_B, &EP_A),
                   "ARP 192.168.10.2 is-at 02:00:00:00:00:02");
}

Test(dissect, summary_icmp_echo)
{
    assert_summary(frame_echo(pool, SIM_ICMP_ECHO_REQUEST, &EP_A, &EP_C, 1, 1, 56, -1),
                   "ICMP echo request 192.168.10.1 > 192.168.20.1 id=0x0001 seq=1 ttl=64");
    assert_summary(frame_echo(pool, SIM_ICMP_ECHO_REPLY, &EP_C, &EP_A, 1, 2, 56, 10),
                   "802.1Q vlan 10, ICMP echo reply 192.168.20.1 > 192.168.10.1 id=0x0001 "
                   "seq=2 ttl=64");
}

Test(dissect, summary_udp_tcp)
{
    assert_summary(frame_udp(pool, &EP_A, &EP_C, 33434, 33435, "0123456789abcdef", 1),
                   "UDP 192.168.10.1:33434 > 192.168.20.1:33435 len=16");
    assert_summary(frame_tcp_syn(pool, &EP_A, &EP_C, 40000, 80, 0),
                   "TCP 192.168.10.1:40000 > 192.168.20.1:80 [SYN] seq=0 win=64240 len=0 "
                   "mss=1460");
}

Test(dissect, summary_icmp_errors)
{
    SimPacket *u = frame_udp(pool, &EP_A, &EP_C, 33434, 33435, "probe", 1);
    assert_summary(
        frame_icmp_error(pool, SIM_ICMP_TIME_EXCEEDED, SIM_ICMP_EXC_TTL, 0, &EP_R, &EP_A, u),
        "ICMP time-exceeded 192.168.10.254 > 192.168.10.1 ttl=255 (ttl exceeded in "
        "transit), quoting UDP 192.168.10.1:33434 > 192.168.20.1:33435");
    assert_summary(frame_icmp_error(pool, SIM_ICMP_DEST_UNREACH, SIM_ICMP_UNREACH_FRAG_NEEDED, 1400,
                                    &EP_R, &EP_A, u),
                   "ICMP dest-unreachable 192.168.10.254 > 192.168.10.1 ttl=255 (fragmentation "
                   "needed, mtu=1400), quoting UDP 192.168.10.1:33434 > 192.168.20.1:33435");
    sim_packet_unref(u);
    SimPacket *e = frame_echo(pool, SIM_ICMP_ECHO_REQUEST, &EP_A, &EP_C, 5, 6, 8, -1);
    assert_summary(
        frame_icmp_error(pool, SIM_ICMP_DEST_UNREACH, SIM_ICMP_UNREACH_HOST, 0, &EP_R, &EP_A, e),
        "ICMP dest-unreachable 192.168.10.254 > 192.168.10.1 ttl=255 (host "
        "unreachable), quoting ICMP echo request 192.168.10.1 > 192.168.20.1 "
        "id=0x0005 seq=6");
    sim_packet_unref(e);
}

Test(dissect, summary_fragments)
{
    SimPacket *f[4];
    cr_assert_eq(frame_fragments(pool, &EP_A, &EP_C, 2000, 1480, f, 4), 2);
    assert_summary(f[0], "IPv4 fragment 192.168.10.1 > 192.168.20.1 id=0x5151 proto=ICMP off=0 "
                         "len=1480 MF");
    assert_summary(f[1], "IPv4 fragment 192.168.10.1 > 192.168.20.1 id=0x5151 proto=ICMP "
                         "off=1480 len=528");
}

Test(dissect, summary_flags_bad_checksums)
{
    SimPacket *p = frame_udp(pool, &EP_A, &EP_C, 1, 2, "x", 64);
    sim_packet_data(p)[SIM_ETH_HLEN + 8] = 63;     /* TTL changed, checksum not */
    sim_packet_data(p)[SIM_ETH_HLEN + 28] ^= 0xff; /* payload changed */
    assert_summary(p, "UDP 192.168.10.1:1 > 192.168.20.1:2 len=1 [bad UDP checksum] [bad IP "
                      "checksum]");
}

Test(dissect, summary_truncates_safely)
{
    SimPacket *p = frame_echo(pool, SIM_ICMP_ECHO_REQUEST, &EP_A, &EP_C, 1, 1, 56, 10);
    char small[12];
    size_t n = sim_dissect_summary(sim_packet_cdata(p), sim_packet_len(p), small, sizeof small);
    cr_assert_eq(n, 11);
    cr_assert_str_eq(small, "802.1Q vlan");
    cr_assert_eq(sim_dissect_summary(sim_packet_cdata(p), sim_packet_len(p), small, 0), 0);
    sim_packet_unref(p);
}

/* ---- walk ---- */

typedef struct {
    GString *layers;    /* "eth ip icmp ..." */
    GHashTable *fields; /* abbrev -> "value@off+len" of the LAST occurrence */
    size_t max_end;
} Seen;

static void on_layer(void *user, const char *name, size_t off, size_t len)
{
    Seen *s = user;
    if (s->layers->len)
        g_string_append_c(s->layers, ' ');
    g_string_append(s->layers, name);
    s->max_end = MAX(s->max_end, off + len);
}

static void on_field(void *user, const char *abbrev, const char *value, size_t off, size_t len)
{
    Seen *s = user;
    g_hash_table_insert(s->fields, g_strdup(abbrev),
                        g_strdup_printf("%s@%zu+%zu", value, off, len));
    s->max_end = MAX(s->max_end, off + len);
}

static const SimDissectVisitor visitor = {on_layer, on_field, NULL};

static Seen *walk(SimPacket *p, size_t len)
{
    Seen *s = g_new0(Seen, 1);
    s->layers = g_string_new(NULL);
    s->fields = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    /* Exact-size copy so that ASan sees any read past len. */
    uint8_t *copy = g_memdup2(sim_packet_cdata(p), len ? len : 1);
    sim_dissect_walk(copy, len, &visitor, s);
    g_free(copy);
    cr_assert_leq(s->max_end, len, "reported bytes past the end");
    return s;
}

static void seen_free(Seen *s)
{
    g_string_free(s->layers, TRUE);
    g_hash_table_destroy(s->fields);
    g_free(s);
}

static void assert_field(Seen *s, const char *abbrev, const char *expect)
{
    const char *v = g_hash_table_lookup(s->fields, abbrev);
    cr_assert_not_null(v, "field %s missing (layers: %s)", abbrev, s->layers->str);
    cr_assert_str_eq(v, expect, "field %s", abbrev);
}

Test(dissect, walk_arp)
{
    SimPacket *p = frame_arp(pool, SIM_ARP_REQUEST, &EP_A, &EP_B);
    Seen *s = walk(p, sim_packet_len(p));
    cr_assert_str_eq(s->layers->str, "eth arp");
    assert_field(s, "eth.dst", "ff:ff:ff:ff:ff:ff@0+6");
    assert_field(s, "eth.src", "02:00:00:00:00:01@6+6");
    assert_field(s, "eth.type", "ARP (0x0806)@12+2");
    assert_field(s, "eth.padding", "18 bytes@42+18");
    assert_field(s, "arp.opcode", "request (1)@20+2");
    assert_field(s, "arp.src.hw_mac", "02:00:00:00:00:01@22+6");
    assert_field(s, "arp.src.proto_ipv4", "192.168.10.1@28+4");
    assert_field(s, "arp.dst.proto_ipv4", "192.168.10.2@38+4");
    seen_free(s);
    sim_packet_unref(p);
}

Test(dissect, walk_tagged_echo)
{
    SimPacket *p = frame_echo(pool, SIM_ICMP_ECHO_REQUEST, &EP_A, &EP_C, 1, 7, 4, 10);
    Seen *s = walk(p, sim_packet_len(p));
    cr_assert_str_eq(s->layers->str, "eth vlan ip icmp data");
    assert_field(s, "eth.type", "802.1Q Virtual LAN (0x8100)@12+2");
    assert_field(s, "vlan.id", "10@14+2");
    assert_field(s, "vlan.etype", "IPv4 (0x0800)@16+2");
    assert_field(s, "ip.version", "4@18+1");
    assert_field(s, "ip.ttl", "64@26+1");
    assert_field(s, "ip.proto", "ICMP (1)@27+1");
    assert_field(s, "ip.checksum.status", "Good@28+2");
    assert_field(s, "ip.src", "192.168.10.1@30+4");
    assert_field(s, "ip.dst", "192.168.20.1@34+4");
    assert_field(s, "ip.len", "32@20+2");
    assert_field(s, "icmp.type", "Echo (ping) request (8)@38+1");
    assert_field(s, "icmp.checksum.status", "Good@40+2");
    assert_field(s, "icmp.seq", "7 (0x0007)@44+2");
    assert_field(s, "data.data", "10111213@46+4");
    assert_field(s, "eth.padding", "10 bytes@50+10");
    seen_free(s);
    sim_packet_unref(p);
}

Test(dissect, walk_icmp_error_quotes_inner)
{
    SimPacket *u = frame_udp(pool, &EP_A, &EP_C, 33434, 33435, "probe", 1);
    SimPacket *p =
        frame_icmp_error(pool, SIM_ICMP_TIME_EXCEEDED, SIM_ICMP_EXC_TTL, 0, &EP_R, &EP_A, u);
    Seen *s = walk(p, sim_packet_len(p));
    cr_assert_str_eq(s->layers->str, "eth ip icmp ip udp");
    /* Last occurrence wins in the table: these are the quoted headers. */
    assert_field(s, "ip.src", "192.168.10.1@54+4");
    assert_field(s, "ip.ttl", "1@50+1");
    assert_field(s, "ip.checksum.status", "Good@52+2");
    assert_field(s, "udp.srcport", "33434@62+2");
    assert_field(s, "udp.checksum.status", "Unverified@68+2");
    assert_field(s, "icmp.type", "Time-to-live exceeded (11)@34+1");
    assert_field(s, "icmp.unused", "00000000@38+4");
    seen_free(s);
    sim_packet_unref(p);
    sim_packet_unref(u);
}

Test(dissect, walk_tcp_and_fragment)
{
    SimPacket *p = frame_tcp_syn(pool, &EP_A, &EP_C, 40000, 80, 12345);
    Seen *s = walk(p, sim_packet_len(p));
    cr_assert_str_eq(s->layers->str, "eth ip tcp");
    assert_field(s, "tcp.flags", "0x002 (SYN)@46+2");
    assert_field(s, "tcp.flags.syn", "Set@47+1");
    assert_field(s, "tcp.flags.ack", "Not set@47+1");
    assert_field(s, "tcp.seq_raw", "12345@38+4");
    assert_field(s, "tcp.options.mss_val", "1460@54+4");
    assert_field(s, "tcp.checksum.status", "Good@50+2");
    seen_free(s);
    sim_packet_unref(p);

    SimPacket *f[2];
    cr_assert_eq(frame_fragments(pool, &EP_A, &EP_C, 100, 64, f, 2), 2);
    s = walk(f[1], sim_packet_len(f[1]));
    cr_assert_str_eq(s->layers->str, "eth ip data");
    assert_field(s, "ip.frag_offset", "64@20+2");
    assert_field(s, "ip.flags.mf", "Not set@20+1");
    seen_free(s);
    s = walk(f[0], sim_packet_len(f[0]));
    assert_field(s, "ip.flags", "0x20, More fragments@20+1");
    seen_free(s);
    sim_packet_unref(f[0]);
    sim_packet_unref(f[1]);
}

/* Meaningful length of a frame built here: everything but Ethernet padding. */
static size_t content_len(SimPacket *p)
{
    const uint8_t *b = sim_packet_cdata(p);
    size_t l2 = sim_wire_get16(b + 12) == SIM_ETHERTYPE_VLAN ? 18 : 14;
    uint16_t type = sim_wire_get16(b + l2 - 2);
    return l2 + (type == SIM_ETHERTYPE_ARP ? 28 : sim_wire_get16(b + l2 + 2));
}

Test(dissect, every_truncation_ends_malformed)
{
    SimPacket *u = frame_udp(pool, &EP_A, &EP_C, 33434, 33435, "probe", 1);
    SimPacket *frames[] = {
        frame_arp(pool, SIM_ARP_REQUEST, &EP_A, &EP_B),
        frame_echo(pool, SIM_ICMP_ECHO_REQUEST, &EP_A, &EP_C, 1, 1, 56, 10),
        frame_icmp_error(pool, SIM_ICMP_DEST_UNREACH, SIM_ICMP_UNREACH_PORT, 0, &EP_C, &EP_A, u),
        frame_tcp_syn(pool, &EP_A, &EP_C, 1, 2, 3),
        u,
    };
    for (size_t k = 0; k < G_N_ELEMENTS(frames); k++) {
        SimPacket *p = frames[k];
        size_t need = content_len(p);
        for (size_t n = 0; n <= sim_packet_len(p); n++) {
            Seen *s = walk(p, n);
            gboolean bad = g_str_has_suffix(s->layers->str, "malformed");
            cr_assert_eq(bad, n < need, "frame %zu cut at %zu: layers '%s'", k, n, s->layers->str);
            seen_free(s);
            char buf[SIM_DISSECT_SUMMARY_LEN];
            sim_dissect_summary(sim_packet_cdata(p), n, buf, sizeof buf);
            cr_assert_eq(strstr(buf, "malformed") != NULL, n < need, "summary '%s' at %zu", buf, n);
        }
        sim_packet_unref(p);
    }
}

Test(dissect, random_garbage_is_safe)
{
    GRand *r = g_rand_new_with_seed(7);
    SimPacket *tmpl = frame_echo(pool, SIM_ICMP_ECHO_REQUEST, &EP_A, &EP_C, 1, 1, 30, -1);
    for (int n = 0; n < 5000; n++) {
        /* Mutate a valid frame so that the deeper layers are reached. */
        SimPacket *p = sim_packet_copy(tmpl);
        size_t len = sim_packet_len(p);
        for (int k = 0; k < 4; k++)
            sim_packet_data(p)[g_rand_int_range(r, 12, (gint32)len)] = (uint8_t)g_rand_int(r);
        Seen *s = walk(p, (size_t)g_rand_int_range(r, 0, (gint32)len + 1));
        seen_free(s);
        sim_packet_unref(p);
    }
    sim_packet_unref(tmpl);
    g_rand_free(r);
}
