/* dns_server.c - the port-53 side of a DNS server: authoritative answers
 * from zones, queries handed to the resolver; see dns_server.h. */
#include "sim/apps/dns_server_priv.h"

#include <string.h>

#include "sim/link/node.h"

void dns_server_note(SimDnsServer *s, const char *who, const char *fmt, ...)
{
    if (!sim_trace_wants(sim_world_trace(s->w), SIM_TR_INFO))
        return;
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    sim_world_tracef(s->w, SIM_TR_INFO, SIM_DROP_NONE, sim_node_name(s->node), NULL, NULL,
                     "dns %s: %s", who, msg);
}

static void server_free(void *p)
{
    SimDnsServer *s = p;
    dns_resolve_free_tasks(s);
    sim_udp_free(s->sock);
    sim_udp_free(s->up);
    g_ptr_array_free(s->zones, TRUE);
    sim_dns_cache_free(s->cache);
    g_free(s);
}

void dns_server_reply(SimDnsServer *s, const SimDnsMsg *m, SimIpv4 dst, uint16_t port)
{
    uint8_t buf[SIM_DNS_UDP_MAX];
    size_t n = sim_dns_msg_emit(m, buf, sizeof buf);
    g_autoptr(GError) err = NULL;
    if (!sim_udp_sendto(s->sock, dst, port, buf, n, &err))
        dns_server_note(s, "server", "cannot answer: %s", err->message);
}

/* The loaded zone with the longest apex that holds name, or NULL. */
static const SimDnsZone *zone_for(SimDnsServer *s, const char *name)
{
    const SimDnsZone *best = NULL;
    for (guint i = 0; i < s->zones->len; i++) {
        const SimDnsZone *z = g_ptr_array_index(s->zones, i);
        if (sim_dns_zone_contains(z, name) &&
            (!best || strlen(sim_dns_zone_origin(z)) > strlen(sim_dns_zone_origin(best))))
            best = z;
    }
    return best;
}

/* "answer www.example.com A 93.184.216.34", "referral to com. (a.gtld...)". */
static void describe(const SimDnsMsg *m, GString *out)
{
    unsigned rc = SIM_DNS_RCODE(m->flags);
    if (rc != SIM_DNS_NOERROR) {
        g_string_append(out, sim_dns_rcode_name(rc));
        return;
    }
    if (m->n_an) {
        g_string_append(out, "answer ");
        for (guint i = 0; i < m->n_an; i++) {
            if (i)
                g_string_append(out, ", ");
            sim_dns_rr_format(&m->rr[i], out);
        }
        return;
    }
    if (m->n_ns && m->rr[0].type == SIM_DNS_T_NS) {
        g_string_append_printf(out, "referral to %s. (", m->rr[0].name);
        for (guint i = 0; i < m->n_ns; i++)
            g_string_append_printf(out, "%s%s.", i ? ", " : "", m->rr[i].target);
        g_string_append(out, ")");
        return;
    }
    g_string_append(out, "no data for that type (NODATA)");
}

static void answer(SimDnsServer *s, const SimDnsMsg *q, const SimDnsZone *z, SimIpv4 src,
                   uint16_t sport)
{
    SimDnsMsg *r = g_new0(SimDnsMsg, 1);
    r->id = q->id;
    r->flags = (uint16_t)(SIM_DNS_QR | (q->flags & SIM_DNS_RD));
    r->n_qd = 1;
    r->qd[0] = q->qd[0];
    sim_dns_zone_answer(z, &q->qd[0], r);
    g_autoptr(GString) what = g_string_new(NULL);
    describe(r, what);
    char ip[SIM_IPV4_STRLEN], t[12];
    dns_server_note(s, "server", "%s %s from %s: %s%s", q->qd[0].name,
                    sim_dns_type_name(q->qd[0].type, t), sim_ipv4_format(src, ip), what->str,
                    (r->flags & SIM_DNS_AA) ? " (authoritative)" : "");
    dns_server_reply(s, r, src, sport);
    g_free(r);
}

static void refuse(SimDnsServer *s, const SimDnsMsg *q, unsigned rcode, SimIpv4 src, uint16_t sport,
                   const char *why)
{
    SimDnsMsg *r = g_new0(SimDnsMsg, 1);
    r->id = q->id;
    r->flags = (uint16_t)(SIM_DNS_QR | (q->flags & SIM_DNS_RD) | rcode);
    r->n_qd = q->n_qd;
    memcpy(r->qd, q->qd, sizeof r->qd);
    char ip[SIM_IPV4_STRLEN];
    dns_server_note(s, "server", "query from %s: %s (%s)", sim_ipv4_format(src, ip),
                    sim_dns_rcode_name(rcode), why);
    dns_server_reply(s, r, src, sport);
    g_free(r);
}

static void on_query(void *user, SimUdpSocket *sock, SimIpv4 src, uint16_t sport,
                     const uint8_t *data, size_t len)
{
    (void)sock;
    SimDnsServer *s = user;
    g_autofree SimDnsMsg *q = g_new0(SimDnsMsg, 1);
    g_autoptr(GError) err = NULL;
    char ip[SIM_IPV4_STRLEN];
    if (!sim_dns_msg_parse(data, len, q, &err)) {
        dns_server_note(s, "server", "malformed message from %s dropped: %s",
                        sim_ipv4_format(src, ip), err->message);
        return;
    }
    if (q->flags & SIM_DNS_QR)
        return; /* a response on port 53: not ours to take */
    if (SIM_DNS_OPCODE(q->flags) != 0)
        return refuse(s, q, SIM_DNS_NOTIMP, src, sport, "only standard queries");
    if (q->n_qd != 1 || q->qd[0].klass != SIM_DNS_CLASS_IN)
        return refuse(s, q, SIM_DNS_FORMERR, src, sport, "one IN question expected");
    const SimDnsZone *z = zone_for(s, q->qd[0].name);
    if (z)
        return answer(s, q, z, src, sport);
    if (s->mode == SIM_DNS_AUTH_ONLY)
        return refuse(s, q, SIM_DNS_REFUSED, src, sport, "not authoritative, no recursion");
    dns_resolve_start(s, q, src, sport);
}

static void on_upstream(void *user, SimUdpSocket *sock, SimIpv4 src, uint16_t sport,
                        const uint8_t *data, size_t len)
{
    (void)sock;
    dns_resolve_recv(user, src, sport, data, len);
}

SimDnsServer *sim_dns_server_start(SimNode *node, GError **error)
{
    SimIpStack *st = sim_ip_stack(node);
    if (!st) {
        g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_NOT_IP, "'%s' has no IP stack",
                    sim_node_name(node));
        return NULL;
    }
    SimDnsServer *s = g_new0(SimDnsServer, 1);
    s->node = node;
    s->w = sim_node_world(node);
    s->zones = g_ptr_array_new_with_free_func((GDestroyNotify)sim_dns_zone_free);
    s->tasks = g_ptr_array_new();
    s->sock = sim_udp_new(node, on_query, NULL, s, error);
    if (!s->sock || !sim_udp_bind(s->sock, 0, SIM_DNS_PORT, error)) {
        server_free(s);
        return NULL;
    }
    sim_ip_stack_adopt(st, s, server_free);
    return s;
}

gboolean sim_dns_server_add_zone(SimDnsServer *s, SimDnsZone *z, GError **error)
{
    for (guint i = 0; i < s->zones->len; i++) {
        const SimDnsZone *o = g_ptr_array_index(s->zones, i);
        if (g_ascii_strcasecmp(sim_dns_zone_origin(o), sim_dns_zone_origin(z)) == 0) {
            g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_INVALID, "zone '%s.' is loaded twice",
                        sim_dns_zone_origin(z));
            sim_dns_zone_free(z);
            return FALSE;
        }
    }
    g_ptr_array_add(s->zones, z);
    return TRUE;
}

void sim_dns_server_set_mode(SimDnsServer *s, SimDnsMode mode, const SimIpv4 *servers, guint n)
{
    s->mode = mode;
    s->n_servers = MIN(n, SIM_DNS_MAX_UPSTREAM);
    memcpy(s->servers, servers, s->n_servers * sizeof *servers);
    if (mode != SIM_DNS_AUTH_ONLY && !s->cache)
        s->cache = sim_dns_cache_new(SIM_DNS_CACHE_ENTRIES);
    if (mode != SIM_DNS_AUTH_ONLY && !s->up)
        s->up = sim_udp_new(s->node, on_upstream, NULL, s, NULL); /* the node has a stack */
}

gboolean sim_dns_server_show_cache(SimDnsServer *s, GString *out)
{
    if (!s->cache)
        return FALSE;
    sim_dns_cache_show(s->cache, sim_world_now(s->w), out);
    return TRUE;
}

gboolean sim_dns_server_show_zones(SimDnsServer *s, GString *out)
{
    for (guint i = 0; i < s->zones->len; i++)
        sim_dns_zone_show(g_ptr_array_index(s->zones, i), out);
    return s->zones->len > 0;
}

guint64 sim_dns_server_upstream_queries(const SimDnsServer *s)
{
    return s->upstream;
}
