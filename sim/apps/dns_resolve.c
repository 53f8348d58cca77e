/* dns_resolve.c - recursive and forwarding resolution tasks of a DNS
 * server; the algorithm and its limits are in dns_server.h. */
#include "sim/apps/dns_server_priv.h"

#include <string.h>

#include "sim/apps/dns_zone.h"
#include "sim/link/node.h"

#define CNAME_HOPS 8
#define MAX_QUERIES 20
#define MAX_TRIES 3
#define RETRY (800 * SIM_MS)

typedef struct {
    SimDnsServer *s;
    SimIpv4 client;
    uint16_t cport, cid, crd;
    SimDnsQuestion q;
    char cur[SIM_DNS_NAME_BUF];  /* the name being resolved (after CNAMEs) */
    char zone[SIM_DNS_NAME_BUF]; /* whose servers are being asked */
    GArray *answer;              /* SimDnsRr: the CNAME chain, then the records */
    guint hops, queries, tries;
    SimIpv4 ns[SIM_DNS_MAX_UPSTREAM];
    guint n_ns, next_ns;
    SimIpv4 asked;
    uint16_t id;
    SimEventId timer;
} Task;

static void task_free(Task *t)
{
    if (t->timer.seq)
        sim_world_cancel(t->s->w, t->timer);
    g_array_free(t->answer, TRUE);
    g_free(t);
}

void dns_resolve_free_tasks(SimDnsServer *s)
{
    for (guint i = 0; i < s->tasks->len; i++)
        task_free(g_ptr_array_index(s->tasks, i));
    g_ptr_array_free(s->tasks, TRUE);
}

static const char *qtype(uint16_t type)
{
    static char buf[12];
    return sim_dns_type_name(type, buf);
}

/* Answers the client and ends the task; soa (may be NULL) goes in the
 * authority section of a negative answer. */
static void finish(Task *t, unsigned rcode, const SimDnsRr *soa)
{
    SimDnsServer *s = t->s;
    SimDnsMsg *r = g_new0(SimDnsMsg, 1);
    r->id = t->cid;
    r->flags = (uint16_t)(SIM_DNS_QR | SIM_DNS_RA | t->crd | rcode);
    r->n_qd = 1;
    r->qd[0] = t->q;
    for (guint i = 0; i < t->answer->len; i++) {
        const SimDnsRr *a = &g_array_index(t->answer, SimDnsRr, i);
        SimDnsRr *d = sim_dns_msg_add_rr(r, 0, a->name, a->type, a->ttl);
        if (d)
            *d = *a;
    }
    if (soa) {
        SimDnsRr *d = sim_dns_msg_add_rr(r, 1, soa->name, soa->type, soa->ttl);
        if (d)
            *d = *soa;
    }
    g_autoptr(GString) what = g_string_new(NULL);
    for (guint i = 0; i < r->n_an; i++) {
        g_string_append(what, i ? ", " : ": ");
        sim_dns_rr_format(&r->rr[i], what);
    }
    char ip[SIM_IPV4_STRLEN];
    dns_server_note(s, "resolver", "answers %s for %s %s: %s%s", sim_ipv4_format(t->client, ip),
                    t->q.name, qtype(t->q.type), sim_dns_rcode_name(rcode),
                    rcode == SIM_DNS_NOERROR && !r->n_an ? " (no data)" : what->str);
    dns_server_reply(s, r, t->client, t->cport);
    g_free(r);
    g_ptr_array_remove(s->tasks, t);
    task_free(t);
}

static void step(Task *t);

/* Which servers to ask for t->cur: the forwarders, else those of the
 * closest enclosing zone whose NS set and addresses are cached, else the
 * root hints. */
static void pick_servers(Task *t)
{
    SimDnsServer *s = t->s;
    SimTime now = sim_world_now(s->w);
    t->n_ns = t->next_ns = 0;
    if (s->mode == SIM_DNS_RECURSIVE) {
        for (const char *z = t->cur; z; z = *z ? strchr(z, '.') : NULL) {
            z += (*z == '.');
            SimDnsCacheHit ns;
            if (!sim_dns_cache_get(s->cache, now, z, SIM_DNS_T_NS, &ns))
                continue;
            char names[SIM_DNS_MAX_UPSTREAM][SIM_DNS_NAME_BUF];
            guint n = MIN(ns.n, SIM_DNS_MAX_UPSTREAM);
            for (guint i = 0; i < n; i++)
                g_strlcpy(names[i], ns.rrs[i].target, sizeof names[i]);
            for (guint i = 0; i < n && t->n_ns < SIM_DNS_MAX_UPSTREAM; i++) {
                SimDnsCacheHit a;
                if (sim_dns_cache_get(s->cache, now, names[i], SIM_DNS_T_A, &a))
                    for (guint j = 0; j < a.n && t->n_ns < SIM_DNS_MAX_UPSTREAM; j++)
                        t->ns[t->n_ns++] = a.rrs[j].a;
            }
            if (t->n_ns) {
                g_strlcpy(t->zone, z, sizeof t->zone);
                return;
            }
            if (!*z)
                break;
        }
    }
    memcpy(t->ns, s->servers, s->n_servers * sizeof *t->ns);
    t->n_ns = s->n_servers;
    t->zone[0] = '\0';
}

static void on_timeout(void *ctx, void *arg);

static void ask(Task *t)
{
    SimDnsServer *s = t->s;
    if (t->queries++ >= MAX_QUERIES) {
        dns_server_note(s, "resolver", "gives up on %s after %d queries", t->cur, MAX_QUERIES);
        return finish(t, SIM_DNS_SERVFAIL, NULL);
    }
    SimDnsMsg *m = g_new0(SimDnsMsg, 1);
    t->id = (uint16_t)sim_rng_below(sim_world_rng(s->w), 65536);
    m->id = t->id;
    m->flags = s->mode == SIM_DNS_FORWARD ? SIM_DNS_RD : 0;
    m->n_qd = 1;
    g_strlcpy(m->qd[0].name, t->cur, sizeof m->qd[0].name);
    m->qd[0].type = t->q.type;
    m->qd[0].klass = SIM_DNS_CLASS_IN;
    t->asked = t->ns[t->next_ns++ % t->n_ns];
    char ip[SIM_IPV4_STRLEN];
    if (s->mode == SIM_DNS_FORWARD)
        dns_server_note(s, "resolver", "forwards %s %s to %s (id 0x%04x)", t->cur, qtype(t->q.type),
                        sim_ipv4_format(t->asked, ip), t->id);
    else
        dns_server_note(s, "resolver", "asks %s, a server of zone %s., for %s %s (id 0x%04x)%s",
                        sim_ipv4_format(t->asked, ip), t->zone, t->cur, qtype(t->q.type), t->id,
                        t->tries ? " again" : "");
    uint8_t buf[SIM_DNS_UDP_MAX];
    size_t n = sim_dns_msg_emit(m, buf, sizeof buf);
    g_free(m);
    g_autoptr(GError) err = NULL;
    s->upstream++;
    if (!sim_udp_sendto(s->up, t->asked, SIM_DNS_PORT, buf, n, &err))
        dns_server_note(s, "resolver", "cannot send: %s", err->message);
    t->timer = sim_world_schedule(s->w, RETRY, on_timeout, t, NULL);
}

static void on_timeout(void *ctx, void *arg)
{
    (void)arg;
    Task *t = ctx;
    t->timer = SIM_EVENT_ID_NONE;
    char ip[SIM_IPV4_STRLEN];
    dns_server_note(t->s, "resolver", "no answer from %s in %d ms", sim_ipv4_format(t->asked, ip),
                    (int)(RETRY / SIM_MS));
    if (++t->tries >= MAX_TRIES)
        return finish(t, SIM_DNS_SERVFAIL, NULL);
    ask(t);
}

/* The cache half of the loop. TRUE when the task ended. */
static bool from_cache(Task *t)
{
    SimDnsServer *s = t->s;
    SimTime now = sim_world_now(s->w);
    for (;;) {
        SimDnsCacheHit h;
        if (sim_dns_cache_get(s->cache, now, t->cur, 0, &h)) {
            dns_server_note(s, "resolver", "cache hit: %s does not exist (NXDOMAIN, %u s left)",
                            t->cur, h.ttl);
            finish(t, SIM_DNS_NXDOMAIN, &h.rrs[0]);
            return true;
        }
        if (sim_dns_cache_get(s->cache, now, t->cur, t->q.type, &h)) {
            if (h.negative) {
                dns_server_note(s, "resolver", "cache hit: %s has no %s record (NODATA, %u s left)",
                                t->cur, qtype(t->q.type), h.ttl);
                finish(t, SIM_DNS_NOERROR, &h.rrs[0]);
                return true;
            }
            g_autoptr(GString) rr = g_string_new(NULL);
            sim_dns_rr_format(&h.rrs[0], rr);
            dns_server_note(s, "resolver", "cache hit: %s%s", rr->str, h.n > 1 ? " and more" : "");
            g_array_append_vals(t->answer, h.rrs, h.n);
            finish(t, SIM_DNS_NOERROR, NULL);
            return true;
        }
        if (t->q.type == SIM_DNS_T_CNAME ||
            !sim_dns_cache_get(s->cache, now, t->cur, SIM_DNS_T_CNAME, &h))
            return false;
        if (++t->hops > CNAME_HOPS) {
            dns_server_note(s, "resolver", "CNAME chain longer than %d at %s", CNAME_HOPS, t->cur);
            finish(t, SIM_DNS_SERVFAIL, NULL);
            return true;
        }
        dns_server_note(s, "resolver", "%s is an alias (CNAME) of %s: following it", t->cur,
                        h.rrs[0].target);
        g_array_append_val(t->answer, h.rrs[0]);
        g_strlcpy(t->cur, h.rrs[0].target, sizeof t->cur);
    }
}

static void step(Task *t)
{
    if (from_cache(t))
        return;
    pick_servers(t);
    if (!t->n_ns) {
        dns_server_note(t->s, "resolver", "no server to ask for %s", t->cur);
        return finish(t, SIM_DNS_SERVFAIL, NULL);
    }
    t->tries = 0;
    ask(t);
}

void dns_resolve_start(SimDnsServer *s, const SimDnsMsg *q, SimIpv4 client, uint16_t port)
{
    Task *t = g_new0(Task, 1);
    t->s = s;
    t->client = client;
    t->cport = port;
    t->cid = q->id;
    t->crd = q->flags & SIM_DNS_RD;
    t->q = q->qd[0];
    g_strlcpy(t->cur, t->q.name, sizeof t->cur);
    t->answer = g_array_new(FALSE, FALSE, sizeof(SimDnsRr));
    g_ptr_array_add(s->tasks, t);
    char ip[SIM_IPV4_STRLEN];
    dns_server_note(s, "resolver", "query from %s: %s %s (id 0x%04x)", sim_ipv4_format(client, ip),
                    t->q.name, qtype(t->q.type), q->id);
    step(t);
}

/* Caches each RRset of section [from, to) of m whose owner is under zone
 * (the bailiwick: a server may not tell us about names outside it). */
static void cache_rrsets(SimDnsServer *s, const SimDnsMsg *m, guint from, guint to,
                         const char *zone)
{
    SimTime now = sim_world_now(s->w);
    for (guint i = from; i < to; i++) {
        bool seen = false;
        for (guint j = from; j < i && !seen; j++)
            seen = m->rr[j].type == m->rr[i].type &&
                   g_ascii_strcasecmp(m->rr[j].name, m->rr[i].name) == 0;
        if (!seen && sim_dns_name_under(m->rr[i].name, zone) && m->rr[i].type != SIM_DNS_T_SOA)
            sim_dns_cache_put(s->cache, now, &m->rr[i], to - i);
    }
}

static const SimDnsRr *soa_of(const SimDnsMsg *m)
{
    for (guint i = m->n_an; i < (guint)m->n_an + m->n_ns; i++)
        if (m->rr[i].type == SIM_DNS_T_SOA)
            return &m->rr[i];
    return NULL;
}

static void negative(Task *t, const SimDnsMsg *m, uint16_t type)
{
    const SimDnsRr *soa = soa_of(m);
    char ip[SIM_IPV4_STRLEN];
    sim_ipv4_format(t->asked, ip);
    if (soa) {
        sim_dns_cache_put_negative(t->s->cache, sim_world_now(t->s->w), t->cur, type, soa);
        dns_server_note(t->s, "resolver",
                        "%s from %s: %s%s; cached for %u s (the SOA's TTL, "
                        "RFC 2308)",
                        type ? "NODATA" : "NXDOMAIN", ip, t->cur,
                        type ? " has no record of that type" : " does not exist", soa->ttl);
    } else {
        dns_server_note(t->s, "resolver", "%s from %s for %s without an SOA: not cached",
                        type ? "NODATA" : "NXDOMAIN", ip, t->cur);
    }
    finish(t, type ? SIM_DNS_NOERROR : SIM_DNS_NXDOMAIN, soa);
}

/* A referral (NS records in the authority section, no answer): caches the
 * child's NS set and glue, then goes one level down. */
static void referral(Task *t, const SimDnsMsg *m)
{
    SimDnsServer *s = t->s;
    const SimDnsRr *ns = &m->rr[m->n_an];
    char ip[SIM_IPV4_STRLEN];
    sim_ipv4_format(t->asked, ip);
    if (s->mode == SIM_DNS_FORWARD || !sim_dns_name_under(ns->name, t->zone) ||
        !g_ascii_strcasecmp(ns->name, t->zone) || !sim_dns_name_under(t->cur, ns->name)) {
        dns_server_note(s, "resolver", "bad referral from %s to %s. (not below %s.): SERVFAIL", ip,
                        ns->name, t->zone);
        return finish(t, SIM_DNS_SERVFAIL, NULL);
    }
    cache_rrsets(s, m, m->n_an, (guint)m->n_an + m->n_ns, t->zone);
    guint ar = (guint)m->n_an + m->n_ns;
    cache_rrsets(s, m, ar, ar + m->n_ar, t->zone);
    g_autoptr(GString) who = g_string_new(NULL);
    for (guint i = m->n_an; i < ar; i++)
        if (m->rr[i].type == SIM_DNS_T_NS)
            g_string_append_printf(who, "%s%s.", who->len ? ", " : "", m->rr[i].target);
    dns_server_note(s, "resolver", "referral from %s: zone %s. is served by %s%s", ip, ns->name,
                    who->str, m->n_ar ? " (glue cached)" : " (no glue)");
    step(t);
}

static void on_response(Task *t, const SimDnsMsg *m)
{
    SimDnsServer *s = t->s;
    unsigned rc = SIM_DNS_RCODE(m->flags);
    char ip[SIM_IPV4_STRLEN];
    sim_ipv4_format(t->asked, ip);
    const char *bailiwick = s->mode == SIM_DNS_FORWARD ? "" : t->zone;
    if (rc == SIM_DNS_NXDOMAIN) {
        cache_rrsets(s, m, 0, m->n_an, bailiwick);
        return negative(t, m, 0);
    }
    if (rc != SIM_DNS_NOERROR) {
        dns_server_note(s, "resolver", "%s from %s for %s", sim_dns_rcode_name(rc), ip, t->cur);
        if (++t->tries >= MAX_TRIES || t->n_ns < 2)
            return finish(t, SIM_DNS_SERVFAIL, NULL);
        return ask(t);
    }
    if (m->n_an) {
        g_autoptr(GString) what = g_string_new(NULL);
        for (guint i = 0; i < m->n_an; i++) {
            g_string_append(what, i ? ", " : "");
            sim_dns_rr_format(&m->rr[i], what);
        }
        dns_server_note(s, "resolver", "answer from %s: %s (cached)", ip, what->str);
        cache_rrsets(s, m, 0, m->n_an, bailiwick);
        return step(t);
    }
    if (m->n_ns && m->rr[m->n_an].type == SIM_DNS_T_NS && !(m->flags & SIM_DNS_AA))
        return referral(t, m);
    negative(t, m, t->q.type);
}

void dns_resolve_recv(SimDnsServer *s, SimIpv4 src, uint16_t sport, const uint8_t *data, size_t len)
{
    g_autofree SimDnsMsg *m = g_new0(SimDnsMsg, 1);
    g_autoptr(GError) err = NULL;
    char ip[SIM_IPV4_STRLEN];
    if (!sim_dns_msg_parse(data, len, m, &err)) {
        dns_server_note(s, "resolver", "malformed reply from %s dropped: %s",
                        sim_ipv4_format(src, ip), err->message);
        return;
    }
    for (guint i = 0; i < s->tasks->len; i++) {
        Task *t = g_ptr_array_index(s->tasks, i);
        if (!t->timer.seq || t->id != m->id || t->asked != src || sport != SIM_DNS_PORT)
            continue;
        if (!(m->flags & SIM_DNS_QR) || m->n_qd != 1 || g_ascii_strcasecmp(m->qd[0].name, t->cur) ||
            m->qd[0].type != t->q.type)
            continue; /* RFC 5452 §9.1: id, address, port and question must match */
        sim_world_cancel(s->w, t->timer);
        t->timer = SIM_EVENT_ID_NONE;
        on_response(t, m);
        return;
    }
    dns_server_note(s, "resolver", "unexpected reply from %s (id 0x%04x) ignored",
                    sim_ipv4_format(src, ip), m->id);
}
