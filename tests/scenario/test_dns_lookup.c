/* test_dns_lookup.c - topologies/dns-lookup.topo's network with scenarios
 * of our own: the resolver walks root, .com and example.com's server in
 * that order the first time, asks nobody within the TTL, goes out again
 * (to example.com's server only: the delegations are still cached) after
 * it; NXDOMAIN is cached negatively; a CNAME chain resolves; an answer
 * without an A record is NODATA; and tshark decodes every DNS message
 * cleanly with fields equal to what the trace says was sent. */
#include "tests/scenario/helpers.h"
#include "tests/scenario/run_netsim.h"
#include "tests/unit/topo_fixtures.h"
#include "tests/unit/tshark_run.h"

#include "sim/link/network.h"
#include "sim/apps/dns_stub.h"
#include "sim/l4/udp.h"
#include "sim/net/dns_msg.h"
#include "sim/topo/scenario.h"

#define IPV4(a, b, c, d)                                                                           \
    ((SimIpv4)(a) << 24 | (SimIpv4)(b) << 16 | (SimIpv4)(c) << 8 | (SimIpv4)(d))

/* The shipped network (its own commands dropped) with cmds appended; zone
 * paths made absolute, since the text has no directory of its own. */
static char *lookup_text(const char *cmds)
{
    g_autofree char *text = NULL;
    cr_assert(g_file_get_contents("topologies/dns-lookup.topo", &text, NULL, NULL));
    g_autofree char *cwd = g_get_current_dir();
    g_autofree char *zones = g_strdup_printf("%s/topologies/zones/", cwd);
    g_autoptr(GString) s = g_string_new(NULL);
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++) {
        if (g_str_has_prefix(*l, "at "))
            continue;
        g_auto(GStrv) parts = g_strsplit(*l, "zones/", 2);
        g_string_append(s, parts[0] ? parts[0] : "");
        if (parts[0] && parts[1])
            g_string_append_printf(s, "%s%s", zones, parts[1]);
        g_string_append_c(s, '\n');
    }
    g_string_append(s, cmds);
    return g_strdup(s->str);
}

static SimTopo *lookup_topo(const char *cmds)
{
    g_autofree char *text = lookup_text(cmds);
    return fx_load_text(text);
}

/* The servers the resolver asked between t0 and t1, in order, as
 * "198.41.0.4 192.5.6.30 ...". */
static char *asked(const Recorder *r, double t0, double t1)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < r->recs->len; i++) {
        const Rec *x = &g_array_index(r->recs, Rec, i);
        double t = (double)x->time / SIM_SEC;
        if (x->kind != SIM_TR_INFO || g_strcmp0(x->node, "resolver") || t < t0 || t >= t1 ||
            !g_str_has_prefix(x->detail, "dns resolver: asks "))
            continue;
        char ip[32];
        cr_assert_eq(sscanf(x->detail, "dns resolver: asks %31[0-9.],", ip), 1, "%s", x->detail);
        g_string_append_printf(s, "%s%s", s->len ? " " : "", ip);
    }
    return g_string_free(s, FALSE);
}

static bool has_detail(const Recorder *r, const char *node, const char *text)
{
    for (guint i = 0; i < r->recs->len; i++) {
        const Rec *x = &g_array_index(r->recs, Rec, i);
        if (!g_strcmp0(x->node, node) && strstr(x->detail, text))
            return true;
    }
    return false;
}

Test(dns_lookup, walk_in_order_then_cache_then_out_again_after_the_ttl)
{
    g_autoptr(GError) err = NULL;
    SimScenario *sc = sim_scenario_new(lookup_topo("at 1s pc ping www.example.com count 1\n"
                                                   "at 4s pc2 ping www.example.com count 1\n"
                                                   "at 310s pc2 ping www.example.com count 1\n"),
                                       1, &err);
    cr_assert_not_null(sc, "%s", err ? err->message : "");
    SimWorld *w = sim_scenario_world(sc);
    Recorder *r = recorder_new(w, NULL, true);
    sim_world_run(w, 320 * SIM_SEC, 0);
    g_autofree char *first = asked(r, 1, 4), *second = asked(r, 4, 310),
                    *third = asked(r, 310, 320);
    cr_assert_str_eq(first, "198.41.0.4 192.5.6.30 93.184.216.53", "root, .com, example.com");
    cr_assert_str_eq(second, "", "within www's 300 s TTL nobody is asked");
    cr_assert(has_detail(r, "resolver", "cache hit: www.example.com. "));
    /* www's A record expired; the NS records (2 days) did not */
    cr_assert_str_eq(third, "93.184.216.53");
    g_autofree char *pc = app_output(r, "pc"), *pc2 = app_output(r, "pc2");
    cr_assert(strstr(pc, "PING www.example.com (93.184.216.34) 56(84) bytes"), "%s", pc);
    cr_assert(strstr(pc, "1 packets transmitted, 1 received"), "%s", pc);
    cr_assert(strstr(pc2, "1 packets transmitted, 1 received"), "%s", pc2);
    recorder_free(r);
    sim_scenario_free(sc);
}

Test(dns_lookup, nxdomain_is_cached_negatively_cname_chain_and_nodata)
{
    g_autoptr(GError) err = NULL;
    SimScenario *sc = sim_scenario_new(lookup_topo("at 1s pc ping www.nosuch.test count 1\n"
                                                   "at 3s pc2 ping www.nosuch.test count 1\n"
                                                   "at 5s pc ping cdn.example.com count 1\n"
                                                   "at 7s pc ping example.com count 1\n"
                                                   "at 9s pc2 ping cdn.example.com count 1\n"),
                                       1, &err);
    cr_assert_not_null(sc, "%s", err ? err->message : "");
    SimWorld *w = sim_scenario_world(sc);
    Recorder *r = recorder_new(w, NULL, true);
    sim_world_run(w, 12 * SIM_SEC, 0);
    g_autofree char *nx1 = asked(r, 1, 3), *nx2 = asked(r, 3, 5), *chain = asked(r, 5, 7);
    g_autofree char *nodata = asked(r, 7, 9), *again = asked(r, 9, 12);
    cr_assert_str_eq(nx1, "198.41.0.4", "the root knows .test does not exist");
    cr_assert_str_eq(nx2, "", "the NXDOMAIN is answered from the negative cache");
    cr_assert(has_detail(r, "resolver", "cache hit: www.nosuch.test does not exist (NXDOMAIN"));
    cr_assert(has_detail(r, "resolver", "cached for 86400 s (the SOA's TTL"));
    cr_assert_str_eq(chain, "198.41.0.4 192.5.6.30 93.184.216.53");
    cr_assert_str_eq(nodata, "93.184.216.53", "example.com's delegation is cached");
    cr_assert_str_eq(again, "", "the CNAME chain and its target are cached");
    cr_assert(has_detail(r, "resolver", "cdn.example.com is an alias (CNAME) of web.example.com"));
    g_autofree char *pc = app_output(r, "pc"), *pc2 = app_output(r, "pc2");
    cr_assert(strstr(pc, "ping: www.nosuch.test: Name or service not known"), "%s", pc);
    cr_assert(strstr(pc2, "ping: www.nosuch.test: Name or service not known"), "%s", pc2);
    cr_assert(strstr(pc, "PING cdn.example.com (93.184.216.34)"), "%s", pc);
    cr_assert(strstr(pc, "ping: example.com: No address associated with hostname"), "%s", pc);
    cr_assert(strstr(pc2, "PING cdn.example.com (93.184.216.34)"), "%s", pc2);
    recorder_free(r);
    sim_scenario_free(sc);
}

static const char *const FIELDS[] = {"ip.src",
                                     "ip.dst",
                                     "dns.id",
                                     "dns.flags.response",
                                     "dns.flags.rcode",
                                     "dns.flags.authoritative",
                                     "dns.qry.name",
                                     "dns.count.answers",
                                     "dns.count.auth_rr",
                                     "dns.ns",
                                     "dns.a",
                                     "dns.resp.ttl"};
enum { F_SRC, F_DST, F_ID, F_QR, F_RCODE, F_AA, F_QNAME, F_AN, F_NS_N, F_NS, F_A, F_TTL };

/* The ids the text trace says the resolver used, in order: "(id 0x853b)". */
static GPtrArray *resolver_ids(const char *trace)
{
    GPtrArray *ids = g_ptr_array_new_with_free_func(g_free);
    g_auto(GStrv) lines = g_strsplit(trace, "\n", -1);
    for (char **l = lines; *l; l++) {
        const char *id = strstr(*l, "(id 0x");
        if (strstr(*l, " resolver ") && strstr(*l, "dns resolver: asks ") && id)
            g_ptr_array_add(ids, g_strndup(id + 4, 6));
    }
    return ids;
}

/* The resolver's own capture (every frame once, as Wireshark on its NIC
 * would see them): clean, no expert warning, and each server's answer
 * carries the id the resolver traced and the records of the zone. */
Test(dns_lookup, tshark_decodes_every_message_with_the_fields_sent)
{
    g_autofree char *dir = fx_tmpdir("netsim-dns-XXXXXX");
    g_autofree char *topo = g_build_filename(dir, "t.topo", NULL);
    g_autofree char *pcaps = g_build_filename(dir, "pcap", NULL);
    g_autofree char *text = lookup_text("at 1s pc ping www.example.com count 1\n"
                                        "at 3s pc ping www.nosuch.test count 1\n");
    cr_assert(g_file_set_contents(topo, text, -1, NULL));
    Run run = netsim((const char *[]){"run", topo, "--pcap", pcaps, NULL});
    cr_assert_eq(run.status, 0, "%s", run.err);
    g_autoptr(GPtrArray) ids = resolver_ids(run.out);
    cr_assert_eq(ids->len, 4, "root, com, example.com, then root for .test");
    g_autofree char *pcap = g_build_filename(pcaps, "resolver-eth0.pcap", NULL);
    assert_pcap_clean(pcap, pcap_frames(pcap));
    char **rows = tshark_field_rows(pcap, FIELDS, G_N_ELEMENTS(FIELDS));
    guint queries = 0, referrals = 0, answers = 0, nx = 0, from_pc = 0;
    for (char **l = rows; *l && **l; l++) {
        g_auto(GStrv) c = g_strsplit(*l, "\t", -1);
        cr_assert_eq(g_strv_length(c), G_N_ELEMENTS(FIELDS), "%s", *l);
        if (!*c[F_ID] || strcmp(c[F_DST], "10.0.0.53"))
            continue; /* only what the resolver receives */
        if (strcmp(c[F_SRC], "10.0.0.10") == 0) {
            cr_assert_str_eq(c[F_QR], "0", "%s", *l);
            from_pc++;
            continue;
        }
        /* an answer from a server: its id is one the resolver sent, in order */
        cr_assert_lt(queries, ids->len);
        cr_assert_str_eq(c[F_ID], g_ptr_array_index(ids, queries), "%s", *l);
        queries++;
        cr_assert_str_eq(c[F_QR], "1", "%s", *l);
        if (!strcmp(c[F_SRC], "198.41.0.4") && !strcmp(c[F_QNAME], "www.example.com")) {
            /* referral: com's NS in authority, its glue in additional */
            cr_assert_str_eq(c[F_AN], "0");
            cr_assert_str_eq(c[F_NS_N], "1");
            cr_assert_str_eq(c[F_NS], "a.gtld-servers.net");
            cr_assert_str_eq(c[F_A], "192.5.6.30");
            cr_assert_str_eq(c[F_AA], "0");
            referrals++;
        } else if (!strcmp(c[F_SRC], "192.5.6.30")) {
            cr_assert_str_eq(c[F_NS], "ns.example.com");
            cr_assert_str_eq(c[F_A], "93.184.216.53");
            referrals++;
        } else if (!strcmp(c[F_SRC], "93.184.216.53")) {
            cr_assert_str_eq(c[F_AA], "1");
            cr_assert_str_eq(c[F_AN], "1");
            cr_assert_str_eq(c[F_A], "93.184.216.34");
            cr_assert_str_eq(c[F_TTL], "300");
            answers++;
        } else {
            cr_assert_str_eq(c[F_QNAME], "www.nosuch.test", "%s", *l);
            cr_assert_str_eq(c[F_RCODE], "3", "NXDOMAIN: %s", *l);
            cr_assert_str_eq(c[F_NS_N], "1", "the root's SOA: %s", *l);
            cr_assert_str_eq(c[F_TTL], "86400", "%s", *l);
            nx++;
        }
    }
    g_strfreev(rows);
    cr_assert_eq(from_pc, 2);
    cr_assert_eq(queries, 4);
    cr_assert_eq(referrals, 2);
    cr_assert_eq(answers, 1);
    cr_assert_eq(nx, 1);
    run_free(&run);
    fx_rm_dir(pcaps);
    fx_rm_dir(dir);
}

/* `netsim check` reads the zone files: a mistake is reported at the zone
 * file's own line and column, with exit status 2; a DNS name as a target
 * needs a DNS server. */
Test(dns_lookup, bad_zone_file_is_reported_at_its_position_exit_2)
{
    g_autofree char *dir = fx_tmpdir("netsim-dns-XXXXXX");
    g_autofree char *zone = g_build_filename(dir, "bad.zone", NULL);
    g_autofree char *topo = g_build_filename(dir, "t.topo", NULL);
    cr_assert(g_file_set_contents(zone,
                                  "$ORIGIN example.com.\n"
                                  "@ IN SOA ns hostmaster 1 2 3 4 5\n"
                                  "www IN A 93.184.216.345\n",
                                  -1, NULL));
    cr_assert(g_file_set_contents(topo,
                                  "host ns ip 10.0.0.53/24\n"
                                  "  dns-zone bad.zone\n"
                                  "host pc ip 10.0.0.1/24\n"
                                  "link pc ns\n"
                                  "at 1s pc ping www.example.com\n",
                                  -1, NULL));
    Run r = netsim((const char *[]){"check", topo, NULL});
    cr_assert_eq(r.status, 2, "%s", r.err);
    g_autofree char *want = g_strdup_printf(
        "%s:3:10: error: bad address '93.184.216.345': expected an IPv4 address", zone);
    cr_assert(strstr(r.err, want), "%s", r.err);
    cr_assert(strstr(r.err, "t.topo:2:12: note: zone file"), "%s", r.err);
    cr_assert(strstr(r.err, "t.topo:5:15: error: host 'pc' has no DNS server to look up "
                            "'www.example.com' for its ping"),
              "%s", r.err);
    run_free(&r);
    fx_rm_dir(dir);
}

/* A reply whose answer name is a compression pointer to itself: the stub
 * drops it (traced), retries after 5 s, drops the second one too, and the
 * lookup fails after glibc's 2 x 5 s. */
static void loop_reply(void *user, SimUdpSocket *s, SimIpv4 src, uint16_t sport,
                       const uint8_t *data, size_t len)
{
    SimDnsMsg q;
    cr_assert(sim_dns_msg_parse(data, len, &q, NULL));
    q.flags = SIM_DNS_QR | SIM_DNS_RD | SIM_DNS_RA;
    uint8_t buf[SIM_DNS_UDP_MAX];
    size_t n = sim_dns_msg_emit(&q, buf, sizeof buf);
    buf[7] = 1; /* ancount */
    const uint8_t rr[] = {0xc0, (uint8_t)n, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1};
    memcpy(buf + n, rr, sizeof rr);
    cr_assert(sim_udp_sendto(s, src, sport, buf, n + sizeof rr, NULL));
    (*(guint *)user)++;
}

static void got(void *user, const char *name, SimIpv4 addr, const char *error)
{
    *(char **)user = g_strdup_printf("%s: %s", name, error ? error : "ok");
}

Test(dns_lookup, compression_loop_in_a_reply_is_rejected_not_followed)
{
    g_autoptr(GError) err = NULL;
    SimScenario *sc = sim_scenario_new(fx_load_text("host a ip 10.0.0.1/24\n"
                                                    "host b ip 10.0.0.2/24\n"
                                                    "link a b\n"),
                                       1, &err);
    cr_assert_not_null(sc, "%s", err ? err->message : "");
    SimWorld *w = sim_scenario_world(sc);
    Recorder *r = recorder_new(w, NULL, true);
    guint replies = 0;
    SimUdpSocket *srv = sim_udp_new(sim_network_find_node(sim_network_of(w), "b"), loop_reply, NULL,
                                    &replies, &err);
    cr_assert(srv && sim_udp_bind(srv, 0, SIM_DNS_PORT, &err));
    SimDnsStub *stub = sim_dns_stub_new(sim_network_find_node(sim_network_of(w), "a"), &err);
    sim_dns_stub_set_server(stub, IPV4(10, 0, 0, 2));
    char *result = NULL;
    sim_dns_stub_resolve(stub, "www.example.com", got, &result);
    sim_world_run(w, 9 * SIM_SEC, 0);
    cr_assert_null(result, "still waiting after the first bad reply");
    sim_world_run(w, 11 * SIM_SEC, 0);
    cr_assert_eq(replies, 2, "asked twice (RES_DFLRETRY)");
    cr_assert_str_eq(result, "www.example.com: Temporary failure in name resolution");
    cr_assert(has_detail(r, "a",
                         "dns: malformed reply from 10.0.0.2 dropped: DNS: compression "
                         "pointer does not point backwards (loop)"));
    g_free(result);
    sim_udp_free(srv);
    recorder_free(r);
    sim_scenario_free(sc);
}
