/* test_dns_zone.c - master-file loading (errors at file:line:col) and the
 * authoritative answers of sim/apps/dns_zone.c: answer, referral with
 * glue, NXDOMAIN and NODATA with the SOA capped at its minimum, a CNAME
 * chain followed inside the zone, an empty non-terminal; the cache's TTL
 * arithmetic and negative entries. */
#include <criterion/criterion.h>
#include <glib/gstdio.h>
#include <string.h>

#include "sim/apps/dns_cache.h"
#include "sim/apps/dns_zone.h"

#define IP(a, b, c, d) ((SimIpv4)((a) << 24 | (b) << 16 | (c) << 8 | (d)))

static char *write_zone(const char *text)
{
    g_autofree char *dir = g_dir_make_tmp("netsim-zone-XXXXXX", NULL);
    cr_assert_not_null(dir);
    char *path = g_build_filename(dir, "t.zone", NULL);
    cr_assert(g_file_set_contents(path, text, -1, NULL));
    return path;
}

static void drop_zone(char *path)
{
    g_autofree char *dir = g_path_get_dirname(path);
    g_unlink(path);
    g_rmdir(dir);
    g_free(path);
}

static const char ZONE[] = "; a test zone\n"
                           "$ORIGIN example.com.\n"
                           "$TTL 1h\n"
                           "@   IN SOA ns hostmaster (\n"
                           "        7 2h 1h 14d\n"
                           "        300 )   ; minimum\n"
                           "    IN NS ns\n"
                           "ns  IN A 192.0.2.53\n"
                           "www 60 IN A 192.0.2.80\n"
                           "    IN A 192.0.2.81\n"
                           "web IN CNAME www\n"
                           "cdn IN CNAME web.example.com.\n"
                           "ext IN CNAME www.example.org.\n"
                           "a.b.c IN TXT \"deep\" \"name\"\n"
                           "@   IN MX 10 mail\n"
                           "mail IN A 192.0.2.25\n"
                           "sub IN NS ns.sub\n"
                           "ns.sub IN A 192.0.2.60\n";

static SimDnsMsg *ask(const SimDnsZone *z, const char *name, uint16_t type)
{
    SimDnsMsg *m = g_new0(SimDnsMsg, 1);
    m->flags = SIM_DNS_QR;
    m->n_qd = 1;
    g_strlcpy(m->qd[0].name, name, sizeof m->qd[0].name);
    m->qd[0].type = type;
    m->qd[0].klass = SIM_DNS_CLASS_IN;
    sim_dns_zone_answer(z, &m->qd[0], m);
    return m;
}

Test(dns_zone, loads_and_answers_as_rfc1034_says)
{
    char *path = write_zone(ZONE);
    g_autoptr(GError) err = NULL;
    g_autoptr(SimDnsZone) z = sim_dns_zone_load(path, &err);
    cr_assert_not_null(z, "%s", err ? err->message : "");
    cr_assert_str_eq(sim_dns_zone_origin(z), "example.com");

    g_autofree SimDnsMsg *a = ask(z, "WWW.Example.com", SIM_DNS_T_A); /* case-insensitive */
    cr_assert_eq(a->flags & (SIM_DNS_AA | 0xf), SIM_DNS_AA);
    cr_assert_eq(a->n_an, 2);
    cr_assert_eq(a->rr[0].a, IP(192, 0, 2, 80));
    cr_assert_eq(a->rr[1].a, IP(192, 0, 2, 81));
    cr_assert_eq(a->rr[0].ttl, 60);

    g_autofree SimDnsMsg *c = ask(z, "cdn.example.com", SIM_DNS_T_A);
    cr_assert_eq(c->n_an, 4, "cdn -> web -> www (2 A)");
    cr_assert_str_eq(c->rr[0].target, "web.example.com");
    cr_assert_str_eq(c->rr[1].target, "www.example.com");
    cr_assert_eq(c->rr[0].ttl, 3600, "$TTL 1h");

    g_autofree SimDnsMsg *e = ask(z, "ext.example.com", SIM_DNS_T_A);
    cr_assert_eq(e->n_an, 1, "a CNAME out of the zone is left to the resolver");
    cr_assert_eq(SIM_DNS_RCODE(e->flags), SIM_DNS_NOERROR);

    g_autofree SimDnsMsg *r = ask(z, "host.sub.example.com", SIM_DNS_T_A);
    cr_assert_eq(r->flags & SIM_DNS_AA, 0, "a referral is not authoritative");
    cr_assert_eq(r->n_an, 0);
    cr_assert_eq(r->n_ns, 1);
    cr_assert_str_eq(r->rr[0].name, "sub.example.com");
    cr_assert_str_eq(r->rr[0].target, "ns.sub.example.com");
    cr_assert_eq(r->n_ar, 1, "glue");
    cr_assert_eq(r->rr[1].a, IP(192, 0, 2, 60));

    g_autofree SimDnsMsg *nx = ask(z, "nosuch.example.com", SIM_DNS_T_A);
    cr_assert_eq(SIM_DNS_RCODE(nx->flags), SIM_DNS_NXDOMAIN);
    cr_assert(nx->flags & SIM_DNS_AA);
    cr_assert_eq(nx->n_ns, 1);
    cr_assert_eq(nx->rr[0].type, SIM_DNS_T_SOA);
    cr_assert_eq(nx->rr[0].ttl, 300, "RFC 2308: min(SOA TTL, minimum)");
    cr_assert_eq(nx->rr[0].serial, 7);
    cr_assert_eq(nx->rr[0].expire, 14 * 86400);

    g_autofree SimDnsMsg *nd = ask(z, "www.example.com", SIM_DNS_T_MX);
    cr_assert_eq(SIM_DNS_RCODE(nd->flags), SIM_DNS_NOERROR, "NODATA");
    cr_assert_eq(nd->n_an, 0);
    cr_assert_eq(nd->rr[0].type, SIM_DNS_T_SOA);

    g_autofree SimDnsMsg *ent = ask(z, "b.c.example.com", SIM_DNS_T_A);
    cr_assert_eq(SIM_DNS_RCODE(ent->flags), SIM_DNS_NOERROR, "an empty non-terminal exists");

    g_autofree SimDnsMsg *txt = ask(z, "a.b.c.example.com", SIM_DNS_T_TXT);
    cr_assert_eq(txt->n_an, 1);
    cr_assert_str_eq((const char *)txt->rr[0].data, "deepname");

    g_autofree SimDnsMsg *mx = ask(z, "example.com", SIM_DNS_T_MX);
    cr_assert_eq(mx->n_an, 1);
    cr_assert_eq(mx->rr[0].pref, 10);
    cr_assert_eq(mx->n_ar, 1, "the exchange's address as additional data");

    g_autofree SimDnsMsg *out = ask(z, "www.example.org", SIM_DNS_T_A);
    cr_assert_eq(SIM_DNS_RCODE(out->flags), SIM_DNS_REFUSED);

    g_autoptr(GString) show = g_string_new(NULL);
    sim_dns_zone_show(z, show);
    cr_assert(strstr(show->str, "zone example.com. (13 records)\n"
                                "example.com. 3600 IN SOA ns.example.com. "
                                "hostmaster.example.com. 7 7200 3600 1209600 300\n"),
              "%s", show->str);
    cr_assert(strstr(show->str, "web.example.com. 3600 IN CNAME www.example.com.\n"));
    drop_zone(path);
}

/* Each bad zone and the message at its line and column. */
static const struct {
    const char *text, *want;
} BAD[] = {
    {"$ORIGIN x.\n@ IN SOA a b 1 2 3 4 5\nwww IN A 1.2.3\n",
     ":3:10: error: bad address '1.2.3': expected an IPv4 address"},
    {"$ORIGIN x.\n@ IN SOA a b 1 2 3 4 5\nwww IN AAAA ::1\n",
     ":3:8: error: unsupported record type 'AAAA' (netsim reads SOA, NS, A, CNAME, MX and TXT)"},
    {"$ORIGIN x.\nwww IN A 1.2.3.4\n", ":2:1: error: the first record must be the zone's SOA"},
    {"$ORIGIN x.\n@ IN SOA a b 1 2 3 4 5\nwww.y. IN A 1.2.3.4\n",
     ":3:1: error: 'www.y.' is outside the zone 'x.'"},
    {"$ORIGIN x.\n@ IN SOA a b 1 2 3 4 5\nwww IN A 1.2.3.4\nwww IN CNAME y\n",
     ":4:1: error: 'www.x.' has a CNAME and other data (RFC 1034 3.6.2)"},
    {"www. IN SOA a. b. 1 2 3 4 5\nv IN A 1.2.3.4\n",
     ":2:1: error: relative name 'v' with no $ORIGIN (write 'v.' or add $ORIGIN)"},
    {"$INCLUDE other.zone\n", ":1:1: error: unsupported directive '$INCLUDE' (netsim reads "
                              "$ORIGIN and $TTL)"},
    {"$ORIGIN x.\n@ IN SOA a b (1 2\n 3 4 5\n", ":2:14: error: '(' is never closed"},
    {"$ORIGIN x.\n@ IN SOA a b 1 2 3 4\n", ":2:21: error: expected a minimum TTL after '4'"},
    {"$ORIGIN x.\n@ IN SOA a b 1 2 3 4 5\n@ IN SOA a b 1 2 3 4 5\n",
     ":3:1: error: a second SOA (a zone has one, at its apex)"},
    {"$ORIGIN x.\n@ 1x IN SOA a b 1 2 3 4 5\n",
     ":2:3: error: bad TTL '1x': expected seconds or a time such as 1h or 2d"},
    {"$ORIGIN x.\n@ IN SOA a b 1 2 3 4 5\nw IN A 1.2.3.4 extra\n",
     ":3:16: error: unexpected 'extra' after the A record"},
    {"$ORIGIN x.\n@ IN SOA a b 1 2 3 4 5\nbad..name IN A 1.2.3.4\n",
     ":3:1: error: bad name 'bad..name': labels are 1 to 63 letters, digits, '-' or '_'"},
    {"; nothing\n", ":2:1: error: no SOA record: a zone starts with its SOA"},
    {"$ORIGIN x.\n@ IN SOA a b 1 2 3 4 5\nt IN TXT \"open\n", ":3:10: error: unterminated string"},
};

Test(dns_zone, errors_name_file_line_and_column)
{
    for (gsize i = 0; i < G_N_ELEMENTS(BAD); i++) {
        char *path = write_zone(BAD[i].text);
        g_autoptr(GError) err = NULL;
        g_autoptr(SimDnsZone) z = sim_dns_zone_load(path, &err);
        cr_assert_null(z, "%s", BAD[i].text);
        g_autofree char *want = g_strconcat(path, BAD[i].want, NULL);
        cr_assert_str_eq(err->message, want);
        drop_zone(path);
    }
}

Test(dns_cache, ttls_count_down_and_entries_expire)
{
    SimDnsCache *c = sim_dns_cache_new(2);
    SimDnsRr rr[2] = {{.name = "www.example.com", .type = SIM_DNS_T_A, .ttl = 300},
                      {.name = "www.example.com", .type = SIM_DNS_T_A, .ttl = 60}};
    rr[0].a = IP(192, 0, 2, 1);
    rr[1].a = IP(192, 0, 2, 2);
    cr_assert(sim_dns_cache_put(c, 0, rr, 2));
    SimDnsCacheHit h;
    cr_assert(sim_dns_cache_get(c, 10 * SIM_SEC, "WWW.example.COM", SIM_DNS_T_A, &h));
    cr_assert_eq(h.n, 2);
    cr_assert_eq(h.ttl, 50, "the RRset lives as long as its shortest TTL (RFC 2181 5.2)");
    cr_assert_eq(h.rrs[1].ttl, 50);
    cr_assert_not(sim_dns_cache_get(c, 60 * SIM_SEC, "www.example.com", SIM_DNS_T_A, &h));
    SimDnsRr soa = {.name = "example.com", .type = SIM_DNS_T_SOA, .ttl = 30};
    cr_assert(sim_dns_cache_put_negative(c, 0, "nosuch.example.com", 0, &soa));
    cr_assert(sim_dns_cache_get(c, 29 * SIM_SEC, "nosuch.example.com", 0, &h));
    cr_assert(h.negative);
    cr_assert_eq(h.ttl, 1);
    SimDnsRr mx = {.name = "example.com", .type = SIM_DNS_T_MX, .ttl = 100};
    cr_assert(sim_dns_cache_put(c, 0, &mx, 1));
    SimDnsRr ns = {.name = "example.com", .type = SIM_DNS_T_NS, .ttl = 100};
    cr_assert_not(sim_dns_cache_put(c, 0, &ns, 1), "full: refused, not grown");
    cr_assert_eq(sim_dns_cache_refused(c), 1);
    cr_assert(sim_dns_cache_put(c, 31 * SIM_SEC, &ns, 1), "the expired entry made room");
    sim_dns_cache_free(c);
}
