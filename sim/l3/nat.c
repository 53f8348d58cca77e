/* nat.c - NAT44/PAT: the mapping table, translation of datagrams and of
 * ICMP errors, port forwards, and `show R nat`. See nat.h for the model.
 *
 * The table is two hash maps over one set of mappings: by inside endpoint
 * (outbound lookups) and by outside endpoint (inbound lookups), each key a
 * packed 64-bit (proto, address, port). Mappings also sit on a queue in
 * creation order, which is the order `show` prints (deterministic, unlike
 * hash order) and removal is O(1) through the stored link.
 * Rejected: a per-flow 5-tuple table like Linux conntrack: with
 * endpoint-independent mapping the inside endpoint is the whole key.
 */
#include "sim/l3/nat.h"

#include "sim/l3/ipstack_priv.h"
#include "sim/l3/nat_priv.h"
#include "sim/net/checksum.h"
#include "sim/net/icmp_hdr.h"
#include "sim/net/l4_hdr.h"
#include "sim/net/wire.h"

#include <string.h>

enum { TS_NEW, TS_EST, TS_FIN, TS_CLOSED, TS_RST };

typedef struct {
    uint8_t proto;
    SimIpv4 in_addr, out_addr, peer_addr;
    uint16_t in_port, out_port, peer_port;
    uint64_t kin, kout;
    SimTime created, last;
    uint8_t tcp, fin_dirs; /* fin_dirs: bit 0 outbound FIN seen, bit 1 inbound */
    bool fwd;              /* static (a port forward) */
    bool own;              /* the router's own flow (inside local is ours) */
    GList link;            /* in SimNat.order */
} NatMap;

struct _SimNat {
    SimIpStack *st;
    SimIpIf *inside, *outside;
    SimNatConfig cfg;
    GHashTable *by_in, *by_out; /* uint64_t* key -> NatMap*; by_out owns */
    GQueue order;
    guint n_dynamic;
};

static uint64_t key(uint8_t proto, SimIpv4 a, uint16_t port)
{
    return (uint64_t)proto << 48 | (uint64_t)a << 16 | port;
}

static const char *pname(uint8_t proto)
{
    return proto == SIM_IPPROTO_TCP ? "tcp" : proto == SIM_IPPROTO_UDP ? "udp" : "icmp";
}

static void map_free(void *p)
{
    g_free(p);
}

void nat_free(SimNat *nat)
{
    if (!nat)
        return;
    g_hash_table_destroy(nat->by_in);
    g_hash_table_destroy(nat->by_out);
    g_free(nat);
}

static SimIpv4 outside_addr(const SimNat *nat)
{
    return sim_ip_iface_primary(nat->outside->iface);
}

bool nat_is_global(const SimNat *nat, SimIpv4 a)
{
    if (nat->cfg.pool_lo)
        return a >= nat->cfg.pool_lo && a <= nat->cfg.pool_hi;
    return a == outside_addr(nat);
}

static char *endpoint(SimIpv4 a, uint16_t port, char *buf)
{
    char s[SIM_IPV4_STRLEN];
    g_snprintf(buf, SIM_IPV4_STRLEN + 6, "%s:%u", sim_ipv4_format(a, s), port);
    return buf;
}

static void trace_map(SimNat *nat, const NatMap *m, const char *what)
{
    SimWorld *w = nat->st->w;
    if (!sim_trace_wants(sim_world_trace(w), SIM_TR_NAT))
        return;
    char a[SIM_IPV4_STRLEN + 6], b[SIM_IPV4_STRLEN + 6];
    sim_world_tracef(w, SIM_TR_NAT, SIM_DROP_NONE, nat->st->name,
                     sim_iface_name(nat->outside->iface), NULL, "%s %s ↔ %s %s", pname(m->proto),
                     endpoint(m->in_addr, m->in_port, a), endpoint(m->out_addr, m->out_port, b),
                     what);
}

static void remove_map(SimNat *nat, NatMap *m)
{
    g_queue_unlink(&nat->order, &m->link);
    g_hash_table_remove(nat->by_in, &m->kin);
    if (!m->fwd)
        nat->n_dynamic--;
    g_hash_table_remove(nat->by_out, &m->kout); /* frees m */
}

static SimTime timeout_of(const NatMap *m)
{
    if (m->proto == SIM_IPPROTO_UDP)
        return SIM_NAT_UDP_TIMEOUT;
    if (m->proto == SIM_IPPROTO_ICMP)
        return SIM_NAT_ICMP_TIMEOUT;
    switch (m->tcp) {
    case TS_EST:
    case TS_FIN:
        return SIM_NAT_TCP_ESTABLISHED_TIMEOUT;
    case TS_RST:
        return SIM_NAT_TCP_CLOSE_TIMEOUT;
    default:
        return SIM_NAT_TCP_TRANSITORY_TIMEOUT;
    }
}

/* Lazy aging: removes m if it has been idle too long; TRUE if it did. */
static bool expire(SimNat *nat, NatMap *m, SimTime now)
{
    if (m->fwd || now - m->last < timeout_of(m))
        return false;
    char why[64];
    g_snprintf(why, sizeof why, "expired (idle %.0f s)", (double)(now - m->last) / SIM_SEC);
    trace_map(nat, m, why);
    remove_map(nat, m);
    return true;
}

static void sweep(SimNat *nat, SimTime now)
{
    for (GList *l = nat->order.head; l;) {
        NatMap *m = l->data;
        l = l->next;
        expire(nat, m, now);
    }
}

static NatMap *lookup(SimNat *nat, GHashTable *t, uint64_t k)
{
    NatMap *m = g_hash_table_lookup(t, &k);
    if (m && expire(nat, m, sim_world_now(nat->st->w)))
        return NULL;
    return m;
}

static NatMap *insert(SimNat *nat, uint8_t proto, SimIpv4 in_addr, uint16_t in_port,
                      SimIpv4 out_addr, uint16_t out_port, bool fwd)
{
    NatMap *m = g_new0(NatMap, 1);
    m->proto = proto;
    m->in_addr = in_addr;
    m->in_port = in_port;
    m->out_addr = out_addr;
    m->out_port = out_port;
    m->kin = key(proto, in_addr, in_port);
    m->kout = key(proto, out_addr, out_port);
    m->fwd = fwd;
    m->created = m->last = sim_world_now(nat->st->w);
    m->link.data = m;
    g_queue_push_tail_link(&nat->order, &m->link);
    g_hash_table_insert(nat->by_in, &m->kin, m);
    g_hash_table_insert(nat->by_out, &m->kout, m);
    if (!fwd)
        nat->n_dynamic++;
    return m;
}

/* The global address paired with an inside host (RFC 4787 REQ-2). */
static SimIpv4 paired_addr(const SimNat *nat, SimIpv4 in_addr)
{
    if (!nat->cfg.pool_lo)
        return outside_addr(nat);
    uint32_t n = nat->cfg.pool_hi - nat->cfg.pool_lo + 1;
    return nat->cfg.pool_lo + (in_addr * 0x9E3779B1u) % n;
}

/* A new dynamic mapping, or NULL (with *why) when the table or the ports
 * are exhausted. Port preservation first, then the next free port in the
 * same range (below 1024 or not, RFC 4787 REQ-3's "port parity" aside). */
static NatMap *create(SimNat *nat, uint8_t proto, SimIpv4 in_addr, uint16_t in_port,
                      const char **why)
{
    SimTime now = sim_world_now(nat->st->w);
    if (nat->n_dynamic >= nat->cfg.capacity)
        sweep(nat, now);
    if (nat->n_dynamic >= nat->cfg.capacity) {
        *why = "translation table full";
        return NULL;
    }
    SimIpv4 g = paired_addr(nat, in_addr);
    uint32_t lo = in_port < 1024 ? 1 : 1024, hi = in_port < 1024 ? 1023 : 65535;
    if (proto == SIM_IPPROTO_ICMP)
        lo = 0, hi = 65535;
    uint32_t span = hi - lo + 1;
    for (uint32_t i = 0; i < span; i++) {
        uint16_t p = (uint16_t)(lo + (in_port - lo + i) % span);
        uint64_t k = key(proto, g, p);
        NatMap *o = g_hash_table_lookup(nat->by_out, &k);
        if (o && !expire(nat, o, now))
            continue;
        return insert(nat, proto, in_addr, in_port, g, p, false);
    }
    *why = "no free port on the outside address";
    return NULL;
}

/* ---- checksum-preserving rewrites (RFC 1624) ---------------------------- */

/* Rewrites the 16-bit field at f to v, updating the checksums at c1, c2
 * (either may be NULL; a UDP checksum of 0 means "none" and stays 0). */
static void put16(uint8_t *f, uint16_t v, uint8_t *c1, uint8_t *c2, bool udp2)
{
    uint16_t old = sim_wire_get16(f);
    sim_wire_put16(f, v);
    if (c1)
        sim_wire_put16(c1, sim_csum_update16(sim_wire_get16(c1), old, v));
    if (c2 && !(udp2 && sim_wire_get16(c2) == 0)) {
        uint16_t c = sim_csum_update16(sim_wire_get16(c2), old, v);
        sim_wire_put16(c2, udp2 && c == 0 ? 0xffff : c);
    }
}

static void put32(uint8_t *f, uint32_t v, uint8_t *c1, uint8_t *c2, bool udp2)
{
    put16(f, (uint16_t)(v >> 16), c1, c2, udp2);
    put16(f + 2, (uint16_t)v, c1, c2, udp2);
}

/* Where a datagram's L4 checksum and ports are: ports[0] source, ports[1]
 * destination (for ICMP echo both are the identifier); NULL csum for a
 * quote too short to hold it. */
typedef struct {
    uint8_t *ip, *l4;
    size_t l4_len;
    uint8_t proto;
    uint8_t *sport, *dport, *csum;
    bool udp;
} View;

static const char *view(uint8_t *ip, size_t len, bool quoted, View *v)
{
    memset(v, 0, sizeof *v);
    if (len < SIM_IPV4_HLEN || (ip[0] & 0x0f) * 4u > len)
        return "truncated IPv4 header";
    size_t hl = (ip[0] & 0x0fu) * 4u;
    v->ip = ip;
    v->l4 = ip + hl;
    v->proto = ip[9];
    size_t tot = sim_wire_get16(ip + 2);
    v->l4_len = quoted ? len - hl : MIN(tot, len) - hl;
    switch (v->proto) {
    case SIM_IPPROTO_TCP:
        if (v->l4_len < (quoted ? 8u : SIM_TCP_HLEN))
            return "truncated TCP header";
        v->sport = v->l4;
        v->dport = v->l4 + 2;
        v->csum = v->l4_len >= 18 ? v->l4 + 16 : NULL;
        return NULL;
    case SIM_IPPROTO_UDP:
        if (v->l4_len < SIM_UDP_HLEN)
            return "truncated UDP header";
        v->sport = v->l4;
        v->dport = v->l4 + 2;
        v->csum = v->l4 + 6;
        v->udp = true;
        return NULL;
    case SIM_IPPROTO_ICMP:
        if (v->l4_len < SIM_ICMP_HLEN)
            return "truncated ICMP header";
        if (v->l4[0] == SIM_ICMP_ECHO_REQUEST || v->l4[0] == SIM_ICMP_ECHO_REPLY) {
            v->sport = v->dport = v->l4 + 4;
            v->csum = v->l4 + 2;
        }
        return NULL;
    default:
        return "protocol not translated (only TCP, UDP and ICMP)";
    }
}

/* Why view() refused: a protocol we do not translate, or a truncation. */
static SimDropReason view_drop_reason(const View *v)
{
    bool known =
        v->proto == SIM_IPPROTO_TCP || v->proto == SIM_IPPROTO_UDP || v->proto == SIM_IPPROTO_ICMP;
    return v->ip && !known ? SIM_DROP_NAT : SIM_DROP_MALFORMED;
}

/* Rewrites the source (src=true) or destination endpoint of datagram v.
 * outer: the header is the datagram's own (its L4 checksum is valid and
 * covers the pseudo-header); else it is quoted in an ICMP error. */
static void rewrite(const View *v, bool src, SimIpv4 a, uint16_t port)
{
    uint8_t *ipc = v->ip + 10;
    uint8_t *l4c = v->proto == SIM_IPPROTO_ICMP ? NULL : v->csum;
    put32(v->ip + (src ? 12 : 16), a, ipc, l4c, v->udp);
    uint8_t *pf = src ? v->sport : v->dport;
    if (pf)
        put16(pf, port, NULL, v->csum, v->udp);
}

static void trace_rewrite(SimNat *nat, uint8_t proto, SimIpv4 a1, uint16_t p1, SimIpv4 a2,
                          uint16_t p2, const char *what)
{
    SimWorld *w = nat->st->w;
    if (!sim_trace_wants(sim_world_trace(w), SIM_TR_NAT))
        return;
    char x[SIM_IPV4_STRLEN + 6], y[SIM_IPV4_STRLEN + 6];
    sim_world_tracef(w, SIM_TR_NAT, SIM_DROP_NONE, nat->st->name,
                     sim_iface_name(nat->outside->iface), NULL, "%s %s → %s (%s)", pname(proto),
                     endpoint(a1, p1, x), endpoint(a2, p2, y), what);
}

static void track_tcp(NatMap *m, const View *v, bool outbound)
{
    if (m->proto != SIM_IPPROTO_TCP)
        return;
    uint8_t fl = v->l4[13];
    if (fl & SIM_TCP_RST) {
        m->tcp = TS_RST;
        return;
    }
    if ((fl & SIM_TCP_FIN) && m->tcp != TS_RST)
        m->fin_dirs |= outbound ? 1 : 2;
    if (m->fin_dirs == 3)
        m->tcp = TS_CLOSED;
    else if (m->fin_dirs)
        m->tcp = TS_FIN;
    else if (!outbound && (fl & (SIM_TCP_SYN | SIM_TCP_ACK)) == (SIM_TCP_SYN | SIM_TCP_ACK))
        m->tcp = TS_EST; /* the handshake's answer: established from here */
    else if (outbound && (fl & SIM_TCP_SYN) && m->tcp != TS_NEW)
        m->tcp = TS_NEW, m->fin_dirs = 0; /* a new connection reuses the mapping */
}

/* ---- ICMP errors --------------------------------------------------------- */

/* An ICMP error: translate the quoted datagram and the outer address.
 * outbound: from inside (quote's destination is inside local); else the
 * quote's source is inside global. Returns a drop reason or NULL. */
static const char *xlate_error(SimNat *nat, const View *outer, bool outbound, bool *own)
{
    View q;
    uint8_t *quote = outer->l4 + SIM_ICMP_HLEN;
    const char *bad = view(quote, outer->l4_len - SIM_ICMP_HLEN, true, &q);
    if (bad)
        return bad;
    uint8_t *qp = outbound ? q.dport : q.sport;
    SimIpv4 qa = sim_wire_get32(quote + (outbound ? 16 : 12));
    uint16_t port = qp ? sim_wire_get16(qp) : 0;
    if (q.proto == SIM_IPPROTO_ICMP && !qp)
        return "quoted ICMP message is not a query";
    NatMap *m = lookup(nat, outbound ? nat->by_in : nat->by_out, key(q.proto, qa, port));
    if (!m)
        return "the quoted datagram matches no mapping";
    *own = m->own;
    SimIpv4 na = outbound ? m->out_addr : m->in_addr;
    uint16_t np = outbound ? m->out_port : m->in_port;
    rewrite(&q, !outbound, na, np);
    put32(outer->ip + (outbound ? 12 : 16), na, outer->ip + 10, NULL, false);
    sim_wire_put16(outer->l4 + 2, 0);
    sim_wire_put16(outer->l4 + 2, sim_csum(outer->l4, outer->l4_len));
    trace_rewrite(nat, q.proto, qa, port, na, np, "ICMP error: quoted header translated");
    return NULL;
}

void nat_own_error(SimIpStack *st, SimIpIf *in, SimPacket *icmp, SimIpv4 *src)
{
    SimNat *nat = st->nat;
    uint8_t *m = sim_packet_data(icmp);
    size_t len = sim_packet_len(icmp);
    View q;
    if (in != nat->outside || len < SIM_ICMP_HLEN ||
        view(m + SIM_ICMP_HLEN, len - SIM_ICMP_HLEN, true, &q) || !q.dport)
        return;
    SimIpv4 qa = sim_wire_get32(q.ip + 16);
    uint16_t port = sim_wire_get16(q.dport);
    NatMap *mp = lookup(nat, nat->by_in, key(q.proto, qa, port));
    if (!mp || mp->own)
        return;
    rewrite(&q, false, mp->out_addr, mp->out_port);
    sim_wire_put16(m + 2, 0);
    sim_wire_put16(m + 2, sim_csum(m, len));
    *src = mp->out_addr;
    trace_rewrite(nat, q.proto, qa, port, mp->out_addr, mp->out_port,
                  "the router's own ICMP error: quoted header translated back");
}

/* ---- the hooks ----------------------------------------------------------- */

/* Reassembles a fragment (Linux nf_defrag); FALSE once pkt is consumed
 * (waiting for more fragments). */
static bool defrag(SimIpStack *st, SimIpIf *in, SimPacket **pkt, size_t *off, SimIpv4Hdr *h)
{
    if (!h->mf && !h->frag_off)
        return true;
    SimPacket *whole = reasm_input(st, in, *pkt, *off, h);
    *pkt = NULL;
    if (!whole)
        return false;
    *pkt = whole;
    *off = 0;
    gboolean ok = sim_ipv4_hdr_decode(sim_packet_cdata(whole), sim_packet_len(whole), h, NULL);
    g_assert(ok);
    return true;
}

static void drop(SimIpStack *st, SimIpIf *in, SimPacket *pkt, SimDropReason r, const char *why)
{
    IP_DROP(st, in, pkt, r, "NAT: %s", why);
    sim_packet_unref(pkt);
}

static SimPacket *writable(SimPacket *pkt, size_t off, uint8_t **ip, size_t *len)
{
    pkt = sim_packet_make_writable(pkt);
    *ip = sim_packet_data(pkt) + off;
    *len = sim_packet_len(pkt) - off;
    return pkt;
}

/* Defragments, makes the datagram writable and views it; NULL once it was
 * consumed (held for reassembly, or dropped as untranslatable). */
static SimPacket *prepare(SimIpStack *st, SimIpIf *in, SimPacket **pp, size_t *off, SimIpv4Hdr *h,
                          View *v)
{
    if (!defrag(st, in, pp, off, h))
        return NULL;
    uint8_t *ip;
    size_t len;
    SimPacket *pkt = *pp = writable(*pp, *off, &ip, &len);
    const char *bad = view(ip, len, false, v);
    if (bad) {
        drop(st, in, pkt, view_drop_reason(v), bad);
        return NULL;
    }
    return pkt;
}

/* The outbound half of a flow from src:sport (v's source): finds or makes
 * its mapping, refreshes it and rewrites the source. NULL once pkt was
 * dropped (table or ports exhausted). */
static NatMap *map_out(SimNat *nat, SimIpIf *in, SimPacket *pkt, const View *v, bool own)
{
    SimIpv4 src = sim_wire_get32(v->ip + 12);
    uint16_t sport = sim_wire_get16(v->sport);
    const char *what = "existing mapping", *bad = NULL;
    NatMap *m = lookup(nat, nat->by_in, key(v->proto, src, sport));
    if (!m) {
        if (!(m = create(nat, v->proto, src, sport, &bad))) {
            drop(nat->st, in, pkt, SIM_DROP_NAT, bad);
            return NULL;
        }
        m->own = own;
        what = "new mapping";
    }
    m->last = sim_world_now(nat->st->w);
    m->peer_addr = sim_wire_get32(v->ip + 16);
    m->peer_port = v->proto == SIM_IPPROTO_ICMP ? m->out_port : sim_wire_get16(v->dport);
    track_tcp(m, v, true);
    if (!own || m->out_addr != src || m->out_port != sport) {
        rewrite(v, true, m->out_addr, m->out_port);
        trace_rewrite(nat, v->proto, src, sport, m->out_addr, m->out_port, what);
    }
    return m;
}

bool nat_outbound(SimIpStack *st, SimIpIf *in, SimIpIf *out, SimPacket **pp, size_t *off,
                  SimIpv4Hdr *h)
{
    SimNat *nat = st->nat;
    View v;
    if (in != nat->inside || out != nat->outside)
        return true;
    SimPacket *pkt = prepare(st, in, pp, off, h, &v);
    if (!pkt)
        return false;
    if (v.proto == SIM_IPPROTO_ICMP && sim_icmp_is_error(v.l4[0])) {
        bool own = false;
        const char *bad = xlate_error(nat, &v, true, &own);
        if (bad) {
            drop(st, in, pkt, SIM_DROP_NAT, bad);
            return false;
        }
    } else if (!v.sport) {
        drop(st, in, pkt, SIM_DROP_NAT, "ICMP type not translated");
        return false;
    } else if (!map_out(nat, in, pkt, &v, false)) {
        return false;
    }
    gboolean ok = sim_ipv4_hdr_decode(v.ip, sim_packet_len(pkt) - *off, h, NULL);
    g_assert(ok);
    return true;
}

NatVerdict nat_inbound(SimIpStack *st, SimIpIf *in, SimPacket **pp, size_t *off, SimIpv4Hdr *h)
{
    SimNat *nat = st->nat;
    View v;
    if (in != nat->outside || !nat_is_global(nat, h->dst))
        return NAT_LOCAL;
    SimPacket *pkt = prepare(st, in, pp, off, h, &v);
    if (!pkt)
        return NAT_CONSUMED;
    bool own = false;
    if (v.proto == SIM_IPPROTO_ICMP && sim_icmp_is_error(v.l4[0])) {
        if (xlate_error(nat, &v, false, &own))
            return NAT_LOCAL; /* about the router's own traffic */
    } else if (v.proto == SIM_IPPROTO_ICMP && v.l4[0] != SIM_ICMP_ECHO_REPLY) {
        return NAT_LOCAL; /* echo requests and the rest are the router's */
    } else {
        uint16_t dport = sim_wire_get16(v.dport);
        NatMap *m = lookup(nat, nat->by_out, key(v.proto, h->dst, dport));
        if (!m && v.proto == SIM_IPPROTO_ICMP)
            return NAT_LOCAL; /* a reply to the router's own ping */
        if (!m) {
            char why[96];
            g_snprintf(why, sizeof why, "no mapping or forward for %s port %u (unsolicited)",
                       pname(v.proto), dport);
            drop(st, in, pkt, SIM_DROP_NAT, why);
            return NAT_CONSUMED;
        }
        if (m->proto != SIM_IPPROTO_UDP)
            m->last = sim_world_now(st->w);
        track_tcp(m, &v, false);
        own = m->own;
        rewrite(&v, false, m->in_addr, m->in_port);
        if (!own || m->in_addr != m->out_addr || m->in_port != m->out_port)
            trace_rewrite(nat, v.proto, m->out_addr, m->out_port, m->in_addr, m->in_port,
                          m->fwd ? "port forward"
                          : own  ? "reply to the router itself"
                                 : "reply");
    }
    gboolean ok = sim_ipv4_hdr_decode(v.ip, sim_packet_len(pkt) - *off, h, NULL);
    g_assert(ok);
    return own ? NAT_LOCAL : NAT_FORWARD;
}

bool nat_local_out(SimIpStack *st, SimIpIf *out, SimPacket *pkt)
{
    View v;
    if (out != st->nat->outside || view(sim_packet_data(pkt), sim_packet_len(pkt), false, &v) ||
        !v.sport || (v.proto == SIM_IPPROTO_ICMP && v.l4[0] != SIM_ICMP_ECHO_REQUEST))
        return true;
    return map_out(st->nat, NULL, pkt, &v, true) != NULL;
}

/* ---- configuration and show --------------------------------------------- */

SimNat *sim_nat_of(SimNode *node)
{
    SimIpStack *st = sim_ip_stack(node);
    return st ? st->nat : NULL;
}

gboolean sim_nat_enable(SimNode *node, SimIface *inside, SimIface *outside, const SimNatConfig *cfg,
                        GError **error)
{
    SimIpStack *st = sim_ip_stack(node);
    if (!st || !ip_if(inside) || !ip_if(outside) || inside == outside || st->nat ||
        !sim_ip_iface_primary(inside) || !sim_ip_iface_primary(outside)) {
        g_set_error_literal(error, SIM_IP_ERROR, SIM_IP_ERROR_INVALID,
                            "NAT needs two distinct addressed interfaces of a router");
        return FALSE;
    }
    SimNat *nat = g_new0(SimNat, 1);
    nat->st = st;
    nat->inside = ip_if(inside);
    nat->outside = ip_if(outside);
    if (cfg)
        nat->cfg = *cfg;
    if (!nat->cfg.capacity)
        nat->cfg.capacity = SIM_NAT_DEFAULT_CAPACITY;
    nat->by_in = g_hash_table_new(g_int64_hash, g_int64_equal);
    nat->by_out = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, map_free);
    g_queue_init(&nat->order);
    st->nat = nat;
    return TRUE;
}

gboolean sim_nat_add_forward(SimNode *node, uint8_t proto, uint16_t outside_port, SimIpv4 in_addr,
                             uint16_t in_port, GError **error)
{
    SimNat *nat = sim_nat_of(node);
    SimIpv4 g = nat ? (nat->cfg.pool_lo ? nat->cfg.pool_lo : outside_addr(nat)) : 0;
    uint64_t ko = key(proto, g, outside_port), ki = key(proto, in_addr, in_port);
    if (!nat || !outside_port || !in_port ||
        (proto != SIM_IPPROTO_TCP && proto != SIM_IPPROTO_UDP) ||
        g_hash_table_contains(nat->by_out, &ko) || g_hash_table_contains(nat->by_in, &ki)) {
        g_set_error_literal(error, SIM_IP_ERROR, SIM_IP_ERROR_INVALID,
                            "bad or duplicate port forward");
        return FALSE;
    }
    NatMap *m = insert(nat, proto, in_addr, in_port, g, outside_port, true);
    m->tcp = TS_EST;
    return TRUE;
}

static const char *tcp_state(const NatMap *m)
{
    static const char *const names[] = {"new", "established", "fin", "closed", "reset"};
    return m->proto == SIM_IPPROTO_TCP ? names[m->tcp] : "";
}

gboolean sim_nat_show(SimNode *node, GString *out)
{
    SimNat *nat = sim_nat_of(node);
    if (!nat)
        return FALSE;
    SimTime now = sim_world_now(nat->st->w);
    sweep(nat, now);
    char x[4][SIM_IPV4_STRLEN + 6];
    g_string_append_printf(out, "%-5s %-21s %-21s %-21s %-21s %7s %s\n", "Pro", "Inside global",
                           "Inside local", "Outside local", "Outside global", "Age", "State");
    for (GList *l = nat->order.head; l; l = l->next) {
        const NatMap *m = l->data;
        bool peer = m->peer_addr != 0;
        g_string_append_printf(out, "%-5s %-21s %-21s %-21s %-21s %6.0fs %s\n", pname(m->proto),
                               endpoint(m->out_addr, m->out_port, x[0]),
                               endpoint(m->in_addr, m->in_port, x[1]),
                               peer ? endpoint(m->peer_addr, m->peer_port, x[2]) : "---",
                               peer ? endpoint(m->peer_addr, m->peer_port, x[3]) : "---",
                               (double)(now - m->created) / SIM_SEC,
                               m->fwd   ? "forward"
                               : m->own ? "router"
                                        : tcp_state(m));
    }
    g_string_append_printf(out, "%u dynamic of %u, %u forwards\n", nat->n_dynamic,
                           nat->cfg.capacity, g_queue_get_length(&nat->order) - nat->n_dynamic);
    return TRUE;
}

guint sim_nat_count(SimNode *node)
{
    SimNat *nat = sim_nat_of(node);
    if (!nat)
        return 0;
    sweep(nat, sim_world_now(nat->st->w));
    return g_queue_get_length(&nat->order);
}
