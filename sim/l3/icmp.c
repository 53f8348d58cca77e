/* icmp.c - ICMP (RFC 792): echo reply, error generation with RFC 1122's
 * restrictions, and delivery of received errors to the socket that sent
 * the offending datagram. Echo identifiers live in a lazily created
 * GHashTable (integer keys) per stack.
 */
#include "sim/l3/ipstack_priv.h"
#include "sim/l3/nat_priv.h"

#include "sim/net/icmp_hdr.h"
#include "sim/net/wire.h"

#include <string.h>

const char *icmp_unreach_name(uint8_t code)
{
    static const char *const names[] = {
        "net unreachable",         "host unreachable",         "protocol unreachable",
        "port unreachable",        "fragmentation needed",     "source route failed",
        "destination net unknown", "destination host unknown",
    };
    return code < G_N_ELEMENTS(names) ? names[code] : "unreachable";
}

static const char *ifname(const IpRx *in)
{
    return in->ifp ? sim_iface_name(in->ifp->iface) : NULL;
}

/* ---- echo ------------------------------------------------------------------ */

static void echo_request(SimIpStack *st, const IpRx *in, const SimIpRxInfo *rx,
                         const SimIcmpHdr *ih, const uint8_t *m)
{
    char a[SIM_IPV4_STRLEN];
    if (rx->broadcast) {
        /* Linux's default icmp_echo_ignore_broadcasts=1 (smurf defence). */
        IP_DROP(st, in->ifp, in->frame, SIM_DROP_BROADCAST,
                "echo request to a broadcast address ignored");
        return;
    }
    SIM_TRACE(st->w, SIM_TR_DELIVER, SIM_DROP_NONE, st->name, ifname(in), in->frame,
              "ICMP echo request id=0x%04x seq=%u from %s", ih->id, ih->seq,
              sim_ipv4_format(rx->src, a));
    SimPacket *r = sim_packet_new(sim_world_pool(st->w), SIM_PACKET_HEADROOM, in->l4_len - 8);
    memcpy(sim_packet_data(r), m + SIM_ICMP_HLEN, in->l4_len - SIM_ICMP_HLEN);
    SimIcmpHdr rh = {.type = SIM_ICMP_ECHO_REPLY, .id = ih->id, .seq = ih->seq};
    sim_icmp_hdr_encode(r, &rh);
    SIM_TRACE(st->w, SIM_TR_ICMP, SIM_DROP_NONE, st->name, NULL, NULL,
              "echo reply id=0x%04x seq=%u to %s", ih->id, ih->seq, sim_ipv4_format(rx->src, a));
    SimIpTxOpts o = {.src = rx->dst, .tos = rx->tos};
    g_autoptr(GError) err = NULL;
    if (!ip_output(st, r, rx->src, SIM_IPPROTO_ICMP, &o, &err))
        IP_DROP(st, NULL, NULL, SIM_DROP_NO_ROUTE, "echo reply to %s: %s", a, err->message);
}

static void echo_reply(SimIpStack *st, const IpRx *in, const SimIpRxInfo *rx, const SimIcmpHdr *ih,
                       const uint8_t *m)
{
    char a[SIM_IPV4_STRLEN];
    IpBinding *b = st->echo ? g_hash_table_lookup(st->echo, GUINT_TO_POINTER(ih->id)) : NULL;
    if (!b) {
        IP_DROP(st, in->ifp, in->frame, SIM_DROP_NO_LISTENER,
                "echo reply id=0x%04x from %s: nobody is pinging", ih->id,
                sim_ipv4_format(rx->src, a));
        return;
    }
    SIM_TRACE(st->w, SIM_TR_DELIVER, SIM_DROP_NONE, st->name, ifname(in), in->frame,
              "ICMP echo reply id=0x%04x seq=%u from %s", ih->id, ih->seq,
              sim_ipv4_format(rx->src, a));
    ((SimIpEchoFn)b->fn)(b->user, rx, ih->id, ih->seq, m + SIM_ICMP_HLEN,
                         in->l4_len - SIM_ICMP_HLEN);
}

uint16_t sim_ip_echo_alloc_id(SimIpStack *st)
{
    for (guint tries = 0; tries < 0x10000; tries++) {
        uint16_t id = st->next_echo_id++;
        if (id && !(st->echo && g_hash_table_contains(st->echo, GUINT_TO_POINTER(id))))
            return id;
    }
    return 0;
}

gboolean sim_ip_echo_bind(SimIpStack *st, uint16_t id, SimIpEchoFn reply, SimIpErrorFn err,
                          void *user, GError **error)
{
    if (!st->echo)
        st->echo = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    if (g_hash_table_contains(st->echo, GUINT_TO_POINTER(id))) {
        g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_IN_USE, "echo id %u is in use", id);
        return FALSE;
    }
    IpBinding *b = g_new(IpBinding, 1);
    *b = (IpBinding){(IpAnyFn)reply, err, user};
    g_hash_table_insert(st->echo, GUINT_TO_POINTER(id), b);
    return TRUE;
}

void sim_ip_echo_unbind(SimIpStack *st, uint16_t id)
{
    if (st->echo)
        g_hash_table_remove(st->echo, GUINT_TO_POINTER(id));
}

gboolean sim_ip_echo_send(SimIpStack *st, SimIpv4 dst, uint16_t id, uint16_t seq,
                          const uint8_t *data, size_t len, const SimIpTxOpts *opts, GError **error)
{
    if (len > SIM_IPV4_MAX_LEN) {
        g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_MSG_SIZE, "message too long");
        return FALSE;
    }
    SimPacket *p = sim_packet_new(sim_world_pool(st->w), SIM_PACKET_HEADROOM, len);
    if (len)
        memcpy(sim_packet_data(p), data, len);
    SimIcmpHdr h = {.type = SIM_ICMP_ECHO_REQUEST, .id = id, .seq = seq};
    sim_icmp_hdr_encode(p, &h);
    return ip_output(st, p, dst, SIM_IPPROTO_ICMP, opts, error);
}

/* ---- errors received ------------------------------------------------------- */

/* The binding that sent the datagram an error quotes, or NULL. */
static IpBinding *error_binding(SimIpStack *st, const SimIpIcmpError *e)
{
    if (e->orig.proto == SIM_IPPROTO_ICMP) {
        if (e->orig_len >= SIM_ICMP_HLEN && e->orig_data[0] == SIM_ICMP_ECHO_REQUEST && st->echo)
            return g_hash_table_lookup(st->echo,
                                       GUINT_TO_POINTER(sim_wire_get16(e->orig_data + 4)));
        return NULL;
    }
    IpBinding *b = ip_proto_binding(st, e->orig.proto);
    if (!b && e->orig.proto == SIM_IPPROTO_UDP)
        b = udp_error_binding(st, e);
    return b;
}

static void error_input(SimIpStack *st, const IpRx *in, const SimIpRxInfo *rx, const SimIcmpHdr *ih,
                        const uint8_t *m)
{
    SimIpIcmpError e = {
        .from = rx->src,
        .type = ih->type,
        .code = ih->code,
        .mtu = ih->mtu,
        .ttl = rx->ttl,
        .time = rx->time,
    };
    const uint8_t *q = m + SIM_ICMP_HLEN;
    size_t qlen = in->l4_len - SIM_ICMP_HLEN;
    char a[SIM_IPV4_STRLEN], o[SIM_IPV4_STRLEN];
    if (!sim_ipv4_hdr_decode_quoted(q, qlen, &e.orig, NULL)) {
        IP_DROP(st, in->ifp, in->frame, SIM_DROP_MALFORMED,
                "ICMP type %u quotes no valid IPv4 header", ih->type);
        return;
    }
    e.orig_data = q + e.orig.hdr_len;
    e.orig_len = qlen - e.orig.hdr_len;
    bool ours = sim_ip_is_local(st, e.orig.src);
    /* RFC 1191: the path to the quoted destination is narrower than what
     * we sent, whoever sent it on this host (Linux updates the route, not
     * only the socket). */
    if (ours && ih->type == SIM_ICMP_DEST_UNREACH && ih->code == SIM_ICMP_UNREACH_FRAG_NEEDED)
        ip_pmtu_learn(st, e.orig.dst, ih->mtu);
    IpBinding *b = ours ? error_binding(st, &e) : NULL;
    if (!b || !b->err) {
        IP_DROP(st, in->ifp, in->frame, SIM_DROP_NO_LISTENER,
                "ICMP type %u code %u from %s about a datagram to %s: no sender to tell", ih->type,
                ih->code, sim_ipv4_format(rx->src, a), sim_ipv4_format(e.orig.dst, o));
        return;
    }
    SIM_TRACE(st->w, SIM_TR_DELIVER, SIM_DROP_NONE, st->name, ifname(in), in->frame,
              "ICMP type %u code %u from %s about a datagram to %s", ih->type, ih->code,
              sim_ipv4_format(rx->src, a), sim_ipv4_format(e.orig.dst, o));
    b->err(b->user, &e);
}

void icmp_input(SimIpStack *st, const IpRx *in, const SimIpRxInfo *rx)
{
    const uint8_t *m = sim_packet_cdata(in->pkt) + in->l4_off;
    SimIcmpHdr ih;
    if (!sim_icmp_hdr_decode(m, in->l4_len, &ih, NULL)) {
        IP_DROP(st, in->ifp, in->frame, SIM_DROP_MALFORMED, "ICMP message of %u bytes",
                (unsigned)in->l4_len);
        return;
    }
    if (!ih.checksum_ok) {
        IP_DROP(st, in->ifp, in->frame, SIM_DROP_CHECKSUM, "ICMP checksum 0x%04x is wrong",
                ih.checksum);
        return;
    }
    switch (ih.type) {
    case SIM_ICMP_ECHO_REQUEST:
        echo_request(st, in, rx, &ih, m);
        return;
    case SIM_ICMP_ECHO_REPLY:
        echo_reply(st, in, rx, &ih, m);
        return;
    default:
        if (sim_icmp_is_error(ih.type)) {
            error_input(st, in, rx, &ih, m);
            return;
        }
        IP_DROP(st, in->ifp, in->frame, SIM_DROP_NO_LISTENER, "ICMP type %u not handled", ih.type);
        return;
    }
}

/* ---- errors sent ------------------------------------------------------------- */

/* Why RFC 1122 3.2.2 forbids an error about h, or NULL when allowed. */
static const char *no_error_reason(const SimIpStack *st, const SimIpv4Hdr *h, const uint8_t *d,
                                   size_t avail)
{
    if (h->frag_off != 0)
        return "it is a non-first fragment";
    if (h->dst == 0 || ip_is_bcast(st, h->dst) || (h->dst >> 28) == 0xe)
        return "it was sent to a broadcast or multicast address";
    if (h->src == 0 || ip_is_bcast(st, h->src) || (h->src >> 28) == 0xe || (h->src >> 24) == 127)
        return "its source is not a unicast host";
    if (h->proto == SIM_IPPROTO_ICMP && (avail <= h->hdr_len || sim_icmp_is_error(d[h->hdr_len])))
        return "it is an ICMP error itself";
    return NULL;
}

static void trace_error(SimIpStack *st, uint8_t type, uint8_t code, uint16_t mtu, SimIpv4 to)
{
    char a[SIM_IPV4_STRLEN];
    sim_ipv4_format(to, a);
    if (type == SIM_ICMP_TIME_EXCEEDED)
        SIM_TRACE(st->w, SIM_TR_TTL_EXCEEDED, SIM_DROP_NONE, st->name, NULL, NULL,
                  "ICMP time exceeded (%s, code %u) → %s",
                  code == SIM_ICMP_EXC_TTL ? "TTL expired in transit"
                                           : "fragment reassembly time exceeded",
                  code, a);
    else if (type == SIM_ICMP_DEST_UNREACH && code == SIM_ICMP_UNREACH_FRAG_NEEDED)
        SIM_TRACE(st->w, SIM_TR_UNREACHABLE, SIM_DROP_NONE, st->name, NULL, NULL,
                  "ICMP destination unreachable (fragmentation needed and DF set, next-hop "
                  "MTU %u, code 4) → %s",
                  mtu, a);
    else if (type == SIM_ICMP_DEST_UNREACH)
        SIM_TRACE(st->w, SIM_TR_UNREACHABLE, SIM_DROP_NONE, st->name, NULL, NULL,
                  "ICMP destination unreachable (%s, code %u) → %s", icmp_unreach_name(code), code,
                  a);
    else
        SIM_TRACE(st->w, SIM_TR_ICMP, SIM_DROP_NONE, st->name, NULL, NULL,
                  "ICMP type %u code %u → %s", type, code, a);
}

bool icmp_send_error(SimIpStack *st, const SimPacket *orig, size_t off, SimIpIf *in, uint8_t type,
                     uint8_t code, uint16_t mtu)
{
    const uint8_t *d = sim_packet_cdata(orig) + off;
    size_t len = sim_packet_len(orig) - off;
    SimIpv4Hdr h;
    if (!sim_ipv4_hdr_decode_quoted(d, len, &h, NULL))
        return false;
    size_t avail = MIN(len, (size_t)h.total_len);
    const char *why = no_error_reason(st, &h, d, avail);
    char a[SIM_IPV4_STRLEN];
    if (why) {
        SIM_TRACE(st->w, SIM_TR_INFO, SIM_DROP_NONE, st->name, NULL, NULL,
                  "no ICMP error to %s: %s (RFC 1122)", sim_ipv4_format(h.src, a), why);
        return false;
    }
    /* Linux (__icmp_send): the address the datagram was sent to when it was
     * for us; otherwise none, so that routing the error back to its sender
     * picks it: the address of the interface the error leaves by (with
     * the default icmp_errors_use_inbound_ifaddr=0). On a symmetric path
     * that is the interface the datagram came in by, so traceroute shows
     * the near side of each router; on an asymmetric one it is not. An
     * error about our own datagram is routed to ourselves and so comes
     * from the datagram's source. The rejected alternative, the arrival
     * interface's address (what Cisco does), is Linux's
     * icmp_errors_use_inbound_ifaddr=1. */
    SimIpv4 src = sim_ip_is_local(st, h.dst) ? h.dst : 0;
    size_t quote = MIN(avail, h.hdr_len + SIM_ICMP_QUOTE_PAYLOAD);
    SimPacket *p = sim_packet_new(sim_world_pool(st->w), SIM_PACKET_HEADROOM, quote);
    memcpy(sim_packet_data(p), d, quote);
    SimIcmpHdr ih = {.type = type, .code = code, .mtu = mtu};
    sim_icmp_hdr_encode(p, &ih);
    if (st->nat && in)
        nat_own_error(st, in, p, &src);
    trace_error(st, type, code, mtu, h.src);
    st->stats.icmp_out_errors++;
    /* Precedence "internetwork control", as Linux marks its ICMP errors. */
    SimIpTxOpts o = {.src = src, .tos = 0xc0};
    g_autoptr(GError) err = NULL;
    if (!ip_output(st, p, h.src, SIM_IPPROTO_ICMP, &o, &err))
        IP_DROP(st, NULL, NULL, SIM_DROP_NO_ROUTE, "ICMP error to %s: %s",
                sim_ipv4_format(h.src, a), err->message);
    return true;
}
