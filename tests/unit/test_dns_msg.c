/* test_dns_msg.c - the DNS codec: compression in what is emitted, full
 * decompression with loop protection in what is parsed, truncation with
 * TC, and tshark decoding emitted messages to the same fields. */
#include <criterion/criterion.h>
#include <glib/gstdio.h>
#include <string.h>

#include "frames.h"
#include "sim/net/dns_msg.h"
#include "sim/net/wire.h"
#include "tshark_run.h"

static SimDnsMsg msg; /* large: kept off the stack */
static SimDnsMsg back;

static void query(SimDnsMsg *m, uint16_t id, const char *name, uint16_t type)
{
    memset(m, 0, sizeof *m);
    m->id = id;
    m->flags = SIM_DNS_RD;
    m->n_qd = 1;
    g_strlcpy(m->qd[0].name, name, sizeof m->qd[0].name);
    m->qd[0].type = type;
    m->qd[0].klass = SIM_DNS_CLASS_IN;
}

/* www.example.com: CNAME to web, its A, the zone's NS and glue. */
static void cname_answer(SimDnsMsg *m)
{
    query(m, 0xbeef, "www.example.com", SIM_DNS_T_A);
    m->flags = SIM_DNS_QR | SIM_DNS_AA | SIM_DNS_RD;
    g_strlcpy(sim_dns_msg_add_rr(m, 0, "www.example.com", SIM_DNS_T_CNAME, 300)->target,
              "web.example.com", SIM_DNS_NAME_BUF);
    sim_dns_msg_add_rr(m, 0, "web.example.com", SIM_DNS_T_A, 300)->a = 0x5db8d822;
    g_strlcpy(sim_dns_msg_add_rr(m, 1, "example.com", SIM_DNS_T_NS, 86400)->target,
              "ns1.example.com", SIM_DNS_NAME_BUF);
    sim_dns_msg_add_rr(m, 2, "ns1.example.com", SIM_DNS_T_A, 86400)->a = 0x0a000035;
}

Test(dns_msg, emit_compresses_and_parse_restores)
{
    cname_answer(&msg);
    uint8_t buf[SIM_DNS_UDP_MAX];
    size_t n = sim_dns_msg_emit(&msg, buf, sizeof buf);
    /* "example.com" is spelt out once, in the question; every later
     * mention is a pointer, as are the owners web and ns1 once their
     * names appeared in RDATA. Header 12, question 17+4, CNAME 2+10+6 (web
     * + pointer), A 2+10+4, NS 2+10+6 (ns1 + pointer), A 2+10+4. */
    cr_assert_eq(n, 12 + 21 + 18 + 16 + 18 + 16, "%zu", n);
    size_t spelt = 0;
    for (size_t i = 0; i + 13 <= n; i++)
        spelt += memcmp(buf + i,
                        "\x07"
                        "example\x03"
                        "com\0",
                        13) == 0;
    cr_assert_eq(spelt, 1);
    g_autoptr(GError) error = NULL;
    cr_assert(sim_dns_msg_parse(buf, n, &back, &error), "%s", error ? error->message : "");
    cr_assert_eq(back.flags, msg.flags);
    cr_assert_eq(back.n_an, 2);
    cr_assert_eq(back.n_ns, 1);
    cr_assert_eq(back.n_ar, 1);
    for (size_t i = 0; i < 4; i++) {
        cr_assert_str_eq(back.rr[i].name, msg.rr[i].name);
        cr_assert_str_eq(back.rr[i].target, msg.rr[i].target);
        cr_assert_eq(back.rr[i].a, msg.rr[i].a);
        cr_assert_eq(back.rr[i].ttl, msg.rr[i].ttl);
    }
}

/* Parses a hand-made message: header with one question, then body. */
static gboolean parse_raw(const uint8_t *body, size_t n, uint16_t ancount, GError **error)
{
    uint8_t buf[128] = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, (uint8_t)ancount, 0, 0, 0, 0};
    memcpy(buf + 12, body, n);
    return sim_dns_msg_parse(buf, 12 + n, &back, error);
}

static void loop_refused(const uint8_t *body, size_t n, uint16_t ancount)
{
    g_autoptr(GError) error = NULL;
    cr_assert_not(parse_raw(body, n, ancount, &error));
    cr_assert(g_error_matches(error, SIM_WIRE_ERROR, SIM_WIRE_ERROR_MALFORMED), "%s",
              error->message);
}

Test(dns_msg, compression_loops_are_refused_not_followed)
{
    /* A pointer to itself. */
    loop_refused((const uint8_t[]){0xc0, 0x0c, 0, 1, 0, 1}, 6, 0);
    /* A label, then a pointer back to that label: "a.a.a..." forever. */
    loop_refused((const uint8_t[]){1, 'a', 0xc0, 0x0c, 0, 1, 0, 1}, 8, 0);
    /* A forward pointer (no encoder writes one; it could start a cycle). */
    loop_refused((const uint8_t[]){0xc0, 0x0e, 1, 'b', 0, 0, 1, 0, 1}, 9, 0);
    /* Two names pointing into each other: the answer's pointer lands on the
     * question's label run, whose own pointer then points at the answer. */
    loop_refused((const uint8_t[]){1,    'q', 0xc0, 0x12, 0, 1, 0, 1, 1, 'r', 0xc0,
                                   0x0c, 0,   1,    0,    1, 0, 0, 0, 0, 0,   0},
                 22, 1);
    /* A reserved label type (0x40). */
    loop_refused((const uint8_t[]){0x41, 'a', 0, 0, 1, 0, 1}, 7, 0);
    /* A backward pointer is followed. */
    g_autoptr(GError) error = NULL;
    cr_assert(parse_raw((const uint8_t[]){1, 'a', 1, 'b', 0, 0, 1, 0, 1, 1,  'c', 0xc0, 0x0c, 0,
                                          1, 0,   1, 0,   0, 0, 9, 0, 4, 10, 0,   0,    1},
                        27, 1, &error),
              "%s", error ? error->message : "");
    cr_assert_str_eq(back.qd[0].name, "a.b");
    cr_assert_str_eq(back.rr[0].name, "c.a.b");
    cr_assert_eq(back.rr[0].ttl, 9);
    cr_assert_eq(back.rr[0].a, 0x0a000001);
}

Test(dns_msg, overlong_names_and_bad_rdata_are_refused)
{
    /* Five 63-byte labels: 320 wire bytes. */
    uint8_t big[SIM_DNS_HLEN + 5 * 64 + 5] = {0, 1, 0, 0, 0, 1};
    for (size_t l = 0; l < 5; l++) {
        big[SIM_DNS_HLEN + 64 * l] = 63;
        memset(big + SIM_DNS_HLEN + 64 * l + 1, 'x', 63);
    }
    g_autoptr(GError) error = NULL;
    cr_assert_not(sim_dns_msg_parse(big, sizeof big, &back, &error));
    cr_assert(strstr(error->message, "255"), "%s", error->message);
    g_clear_error(&error);
    /* An A record of 5 bytes. */
    cr_assert_not(
        parse_raw((const uint8_t[]){0, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 9, 0, 5, 1, 2, 3, 4, 5},
                  21, 1, &error));
    cr_assert(g_error_matches(error, SIM_WIRE_ERROR, SIM_WIRE_ERROR_MALFORMED));
    g_clear_error(&error);
    /* RDLENGTH past the message. */
    cr_assert_not(parse_raw((const uint8_t[]){0, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 9, 0, 4, 1},
                            17, 1, &error));
    cr_assert(g_error_matches(error, SIM_WIRE_ERROR, SIM_WIRE_ERROR_TRUNCATED));
}

Test(dns_msg, oversize_answer_is_cut_at_a_record_with_tc)
{
    query(&msg, 1, "many.example.com", SIM_DNS_T_A);
    msg.flags |= SIM_DNS_QR;
    for (uint32_t i = 0; i < 30; i++)
        sim_dns_msg_add_rr(&msg, 0, "many.example.com", SIM_DNS_T_A, 60)->a = 0x0a000000 + i;
    uint8_t buf[1024];
    size_t n = sim_dns_msg_emit(&msg, buf, 200);
    /* 12 + 22 question, then 16 bytes per compressed A record: 10 fit. */
    cr_assert_eq(n, 12 + 22 + 10 * 16);
    cr_assert(sim_dns_msg_parse(buf, n, &back, NULL));
    cr_assert(back.flags & SIM_DNS_TC);
    cr_assert_eq(back.n_an, 10);
    cr_assert_eq(back.rr[9].a, 0x0a000009);
    cr_assert(sim_dns_msg_emit(&msg, buf, sizeof buf) == 12 + 22 + 30 * 16);
    cr_assert(sim_dns_msg_parse(buf, 12 + 22 + 30 * 16, &back, NULL));
    cr_assert_not(back.flags & SIM_DNS_TC);
}

static SimPacket *dns_frame(SimPacketPool *pool, const SimDnsMsg *m, const Ep *s, const Ep *d)
{
    uint8_t buf[SIM_DNS_UDP_MAX];
    size_t n = sim_dns_msg_emit(m, buf, sizeof buf);
    bool resp = m->flags & SIM_DNS_QR;
    return frame_udp_bytes(pool, s, d, resp ? SIM_DNS_PORT : 40000, resp ? 40000 : SIM_DNS_PORT,
                           buf, n);
}

static const char *const FIELDS[] = {
    "dns.id",
    "dns.flags.response",
    "dns.flags.rcode",
    "dns.flags.authoritative",
    "dns.qry.name",
    "dns.qry.type",
    "dns.count.answers",
    "dns.count.auth_rr",
    "dns.resp.ttl",
    "dns.cname",
    "dns.a",
    "dns.ns",
    "dns.soa.mname",
    "dns.mx.mail_exchange",
    "dns.txt",
};

Test(dns_msg, tshark_decodes_queries_and_answers)
{
    SimPacketPool *pool = sim_packet_pool_new();
    SimPacket *f[4];
    query(&msg, 0xbeef, "www.example.com", SIM_DNS_T_A);
    f[0] = dns_frame(pool, &msg, &EP_A, &EP_B);
    cname_answer(&msg);
    f[1] = dns_frame(pool, &msg, &EP_B, &EP_A);
    query(&msg, 7, "www.nosuch.test", SIM_DNS_T_A);
    msg.flags = SIM_DNS_QR | SIM_DNS_AA | SIM_DNS_RD | SIM_DNS_NXDOMAIN;
    SimDnsRr *soa = sim_dns_msg_add_rr(&msg, 1, "test", SIM_DNS_T_SOA, 900);
    g_strlcpy(soa->target, "ns.test", SIM_DNS_NAME_BUF);
    g_strlcpy(soa->rname, "hostmaster.test", SIM_DNS_NAME_BUF);
    soa->serial = 2026120301;
    soa->refresh = 3600;
    soa->retry = 600;
    soa->expire = 86400;
    soa->minimum = 900;
    f[2] = dns_frame(pool, &msg, &EP_B, &EP_A);
    query(&msg, 8, "example.com", SIM_DNS_T_MX);
    msg.flags |= SIM_DNS_QR;
    SimDnsRr *mx = sim_dns_msg_add_rr(&msg, 0, "example.com", SIM_DNS_T_MX, 60);
    mx->pref = 10;
    g_strlcpy(mx->target, "mail.example.com", SIM_DNS_NAME_BUF);
    SimDnsRr *txt = sim_dns_msg_add_rr(&msg, 0, "example.com", SIM_DNS_T_TXT, 60);
    txt->data_len = 12;
    memcpy(txt->data, "v=spf1 -all", 12);
    txt->data_len = 11;
    f[3] = dns_frame(pool, &msg, &EP_B, &EP_A);
    const char *expect[][G_N_ELEMENTS(FIELDS)] = {
        {"0xbeef", "0", "", "", "www.example.com", "1", "0", "0", "", "", "", "", "", "", ""},
        {"0xbeef", "1", "0", "1", "www.example.com", "1", "2", "1", "300,300,86400,86400",
         "web.example.com", "93.184.216.34,10.0.0.53", "ns1.example.com", "", "", ""},
        {"0x0007", "1", "3", "1", "www.nosuch.test", "1", "0", "1", "900", "", "", "", "ns.test",
         "", ""},
        {"0x0008", "1", "0", "0", "example.com", "15", "2", "0", "60,60", "", "", "", "",
         "mail.example.com", "v=spf1 -all"},
    };
    assert_frames_decode(pool, f, 4, FIELDS, G_N_ELEMENTS(FIELDS), &expect[0][0]);
}
