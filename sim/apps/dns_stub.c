/* dns_stub.c - a host's stub resolver; see dns_stub.h. */
#include "sim/apps/dns_stub.h"

#include <string.h>

#include "sim/apps/dns_cache.h"
#include "sim/apps/dns_zone.h"
#include "sim/core/world.h"
#include "sim/l4/udp.h"
#include "sim/link/node.h"

#define TIMEOUT (5 * SIM_SEC) /* RES_TIMEOUT */
#define ATTEMPTS 2            /* RES_DFLRETRY */
#define CACHE_ENTRIES 1024
#define CNAME_HOPS 8

#define E_NONAME "Name or service not known"
#define E_NODATA "No address associated with hostname"
#define E_AGAIN "Temporary failure in name resolution"

typedef struct {
    SimDnsStub *r;
    char name[SIM_DNS_NAME_BUF];
    SimDnsStubFn fn;
    void *user;
    uint16_t id;
    guint attempt;
    SimEventId timer;
} Lookup;

struct _SimDnsStub {
    SimNode *node;
    SimWorld *w;
    SimUdpSocket *sock;
    SimIpv4 server;
    SimDnsCache *cache;
    GPtrArray *pending; /* Lookup* */
    guint64 queries;
};

static void note(SimDnsStub *r, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void note(SimDnsStub *r, const char *fmt, ...)
{
    if (!sim_trace_wants(sim_world_trace(r->w), SIM_TR_INFO))
        return;
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    sim_world_tracef(r->w, SIM_TR_INFO, SIM_DROP_NONE, sim_node_name(r->node), NULL, NULL,
                     "dns: %s", msg);
}

static void lookup_free(Lookup *l)
{
    if (l->timer.seq)
        sim_world_cancel(l->r->w, l->timer);
    g_free(l);
}

static void stub_free(void *p)
{
    SimDnsStub *r = p;
    for (guint i = 0; i < r->pending->len; i++)
        lookup_free(g_ptr_array_index(r->pending, i));
    g_ptr_array_free(r->pending, TRUE);
    sim_udp_free(r->sock);
    sim_dns_cache_free(r->cache);
    g_free(r);
}

static void done(Lookup *l, SimIpv4 addr, const char *error)
{
    SimDnsStub *r = l->r;
    g_ptr_array_remove(r->pending, l);
    l->fn(l->user, l->name, addr, error);
    lookup_free(l);
}

static void on_timeout(void *ctx, void *arg);

static void send_query(Lookup *l)
{
    SimDnsStub *r = l->r;
    SimDnsMsg *m = g_new0(SimDnsMsg, 1);
    l->id = (uint16_t)sim_rng_below(sim_world_rng(r->w), 65536);
    m->id = l->id;
    m->flags = SIM_DNS_RD;
    m->n_qd = 1;
    g_strlcpy(m->qd[0].name, l->name, sizeof m->qd[0].name);
    m->qd[0].type = SIM_DNS_T_A;
    m->qd[0].klass = SIM_DNS_CLASS_IN;
    uint8_t buf[SIM_DNS_UDP_MAX];
    size_t n = sim_dns_msg_emit(m, buf, sizeof buf);
    g_free(m);
    char ip[SIM_IPV4_STRLEN];
    note(r, "asks %s for %s A (id 0x%04x, attempt %u of %d)", sim_ipv4_format(r->server, ip),
         l->name, l->id, l->attempt + 1, ATTEMPTS);
    r->queries++;
    g_autoptr(GError) err = NULL;
    if (!sim_udp_sendto(r->sock, r->server, SIM_DNS_PORT, buf, n, &err))
        note(r, "cannot send: %s", err->message);
    l->timer = sim_world_schedule(r->w, TIMEOUT, on_timeout, l, NULL);
}

static void on_timeout(void *ctx, void *arg)
{
    (void)arg;
    Lookup *l = ctx;
    l->timer = SIM_EVENT_ID_NONE;
    char ip[SIM_IPV4_STRLEN];
    note(l->r, "no answer from %s for %s in 5 s", sim_ipv4_format(l->r->server, ip), l->name);
    if (++l->attempt >= ATTEMPTS)
        return done(l, 0, E_AGAIN);
    send_query(l);
}

/* The A records the answer gives for l->name, following its CNAMEs;
 * cached under the name asked with the smallest TTL of the chain. */
static void on_answer(Lookup *l, const SimDnsMsg *m)
{
    SimDnsStub *r = l->r;
    unsigned rc = SIM_DNS_RCODE(m->flags);
    if (rc == SIM_DNS_NXDOMAIN) {
        note(r, "%s does not exist (NXDOMAIN)", l->name);
        return done(l, 0, E_NONAME);
    }
    if (rc != SIM_DNS_NOERROR) {
        note(r, "%s for %s", sim_dns_rcode_name(rc), l->name);
        return done(l, 0, E_AGAIN);
    }
    char cur[SIM_DNS_NAME_BUF];
    g_strlcpy(cur, l->name, sizeof cur);
    uint32_t ttl = G_MAXUINT32;
    SimDnsRr found[SIM_DNS_MAX_RR];
    guint n = 0;
    for (int hop = 0; hop <= CNAME_HOPS && !n; hop++) {
        bool moved = false;
        for (guint i = 0; i < m->n_an; i++) {
            const SimDnsRr *a = &m->rr[i];
            if (g_ascii_strcasecmp(a->name, cur))
                continue;
            if (a->type == SIM_DNS_T_A) {
                found[n] = *a;
                g_strlcpy(found[n].name, l->name, sizeof found[n].name);
                n++;
                ttl = MIN(ttl, a->ttl);
            } else if (a->type == SIM_DNS_T_CNAME && !moved) {
                ttl = MIN(ttl, a->ttl);
                g_strlcpy(cur, a->target, sizeof cur);
                moved = true;
            }
        }
        if (!moved)
            break;
    }
    if (!n) {
        note(r, "%s has no A record", l->name);
        return done(l, 0, E_NODATA);
    }
    for (guint i = 0; i < n; i++)
        found[i].ttl = ttl;
    sim_dns_cache_put(r->cache, sim_world_now(r->w), found, n);
    char ip[SIM_IPV4_STRLEN];
    note(r, "%s is %s%s (TTL %u s, cached)", l->name, sim_ipv4_format(found[0].a, ip),
         g_ascii_strcasecmp(cur, l->name) ? " via its CNAME chain" : "", ttl);
    done(l, found[0].a, NULL);
}

static void on_recv(void *user, SimUdpSocket *s, SimIpv4 src, uint16_t sport, const uint8_t *data,
                    size_t len)
{
    (void)s;
    SimDnsStub *r = user;
    g_autofree SimDnsMsg *m = g_new0(SimDnsMsg, 1);
    g_autoptr(GError) err = NULL;
    char ip[SIM_IPV4_STRLEN];
    if (!sim_dns_msg_parse(data, len, m, &err)) {
        note(r, "malformed reply from %s dropped: %s", sim_ipv4_format(src, ip), err->message);
        return;
    }
    for (guint i = 0; i < r->pending->len; i++) {
        Lookup *l = g_ptr_array_index(r->pending, i);
        if (l->id == m->id && src == r->server && sport == SIM_DNS_PORT &&
            (m->flags & SIM_DNS_QR) && m->n_qd == 1 && !g_ascii_strcasecmp(m->qd[0].name, l->name))
            return on_answer(l, m);
    }
    note(r, "unexpected reply from %s (id 0x%04x) ignored", sim_ipv4_format(src, ip), m->id);
}

SimDnsStub *sim_dns_stub_new(SimNode *node, GError **error)
{
    SimIpStack *st = sim_ip_stack(node);
    if (!st) {
        g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_NOT_IP, "'%s' has no IP stack",
                    sim_node_name(node));
        return NULL;
    }
    SimDnsStub *r = g_new0(SimDnsStub, 1);
    r->node = node;
    r->w = sim_node_world(node);
    r->cache = sim_dns_cache_new(CACHE_ENTRIES);
    r->pending = g_ptr_array_new();
    r->sock = sim_udp_new(node, on_recv, NULL, r, error);
    if (!r->sock) {
        stub_free(r);
        return NULL;
    }
    sim_ip_stack_adopt(st, r, stub_free);
    return r;
}

void sim_dns_stub_set_server(SimDnsStub *r, SimIpv4 server)
{
    r->server = server;
}

SimIpv4 sim_dns_stub_server(const SimDnsStub *r)
{
    return r->server;
}

void sim_dns_stub_resolve(SimDnsStub *r, const char *name, SimDnsStubFn fn, void *user)
{
    SimDnsCacheHit h;
    char ip[SIM_IPV4_STRLEN];
    if (sim_dns_cache_get(r->cache, sim_world_now(r->w), name, SIM_DNS_T_A, &h)) {
        note(r, "%s is %s, from the cache (TTL %u s left): nothing sent", name,
             sim_ipv4_format(h.rrs[0].a, ip), h.ttl);
        fn(user, name, h.rrs[0].a, NULL);
        return;
    }
    Lookup *l = g_new0(Lookup, 1);
    l->r = r;
    g_strlcpy(l->name, name, sizeof l->name);
    l->fn = fn;
    l->user = user;
    if (!r->server) {
        note(r, "no DNS server configured to ask for %s", name);
        fn(user, l->name, 0, E_AGAIN);
        g_free(l);
        return;
    }
    g_ptr_array_add(r->pending, l);
    send_query(l);
}

void sim_dns_stub_show(SimDnsStub *r, GString *out)
{
    char ip[SIM_IPV4_STRLEN];
    g_string_append_printf(out, "nameserver %s\n",
                           r->server ? sim_ipv4_format(r->server, ip) : "(none)");
    sim_dns_cache_show(r->cache, sim_world_now(r->w), out);
}

guint64 sim_dns_stub_queries(const SimDnsStub *r)
{
    return r->queries;
}
