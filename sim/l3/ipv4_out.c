/* ipv4_out.c - IPv4 output: route lookup, source selection, header,
 * fragmentation (RFC 791), loopback, and the hand-off to ARP.
 *
 * Fragments are fresh pool packets (the payload is copied once); the
 * original datagram is released after the last one is built. Non-first
 * fragments carry a plain 20-byte header: netsim never generates options,
 * and dropping forwarded ones from later fragments is what RFC 791 asks for
 * all options without the "copied" flag.
 */
#include "sim/l3/ipstack_priv.h"

#include "sim/net/eth.h"
#include "sim/net/wire.h"

#include <string.h>

void ip_trace_route(SimIpStack *st, SimIpv4 dst, const SimFibNextHop *nh, const SimIpIf *out,
                    int ttl_in, int ttl_out)
{
    if (!sim_trace_wants(sim_world_trace(st->w), SIM_TR_ROUTE))
        return;
    char d[SIM_IPV4_STRLEN], p[SIM_PREFIX_STRLEN], g[SIM_IPV4_STRLEN], t[32] = "";
    char via[SIM_IPV4_STRLEN + 8] = " (on-link)";
    if (nh->gateway)
        g_snprintf(via, sizeof via, " via %s", sim_ipv4_format(nh->gateway, g));
    if (ttl_in >= 0)
        g_snprintf(t, sizeof t, ", TTL %d→%d", ttl_in, ttl_out);
    sim_world_tracef(st->w, SIM_TR_ROUTE, SIM_DROP_NONE, st->name, sim_iface_name(out->iface), NULL,
                     "%s matches %s → %s%s%s", sim_ipv4_format(dst, d),
                     sim_prefix_format(&nh->route->prefix, p), sim_iface_name(out->iface), via, t);
}

/* nh 255.255.255.255 means "broadcast on this link": no ARP. */
static void neigh_output(SimIpStack *st, SimIpIf *ifp, SimIpv4 nh, SimPacket *dgram, SimIpIf *in)
{
    if (nh == 0xffffffffu)
        ip_link_output(ifp, &SIM_MAC_BROADCAST, SIM_ETHERTYPE_IPV4, dgram);
    else
        arp_output(st, ifp, nh, dgram, in);
}

static void fragment(SimIpStack *st, SimIpIf *ifp, SimIpv4 nh, SimPacket *dgram, SimIpIf *in,
                     uint32_t mtu)
{
    const uint8_t *d = sim_packet_cdata(dgram);
    SimIpv4Hdr h;
    gboolean ok = sim_ipv4_hdr_decode(d, sim_packet_len(dgram), &h, NULL);
    g_assert(ok);
    size_t hlen = h.hdr_len, plen = h.total_len - hlen;
    /* Every fragment but the last carries a multiple of 8 bytes. */
    size_t first_chunk = (mtu - hlen) / 8 * 8, chunk = (mtu - SIM_IPV4_HLEN) / 8 * 8;
    if (mtu < hlen + 8) {
        IP_DROP(st, ifp, NULL, SIM_DROP_MTU, "MTU %u is too small to fragment into", mtu);
        sim_packet_unref(dgram);
        return;
    }
    unsigned n = 1;
    if (plen > first_chunk)
        n += (unsigned)((plen - first_chunk + chunk - 1) / chunk);
    if (sim_trace_wants(sim_world_trace(st->w), SIM_TR_FRAGMENT)) {
        char a[SIM_IPV4_STRLEN];
        sim_world_tracef(st->w, SIM_TR_FRAGMENT, SIM_DROP_NONE, st->name,
                         sim_iface_name(ifp->iface), NULL,
                         "%u-byte datagram id 0x%04x to %s → %u fragments (MTU %u)", h.total_len,
                         h.id, sim_ipv4_format(h.dst, a), n, mtu);
    }
    st->stats.frag_creates += n;
    SimPacketPool *pool = sim_world_pool(st->w);
    for (size_t o = 0; o < plen;) {
        size_t fh = o == 0 ? hlen : SIM_IPV4_HLEN;
        size_t m = MIN(o == 0 ? first_chunk : chunk, plen - o);
        SimPacket *f = sim_packet_new(pool, SIM_PACKET_HEADROOM, fh + m);
        uint8_t *b = sim_packet_data(f);
        memcpy(b, d, fh);
        b[0] = (uint8_t)(0x40 | fh / 4);
        sim_wire_put16(b + 2, (uint16_t)(fh + m));
        bool mf = h.mf || o + m < plen;
        sim_wire_put16(b + 6, (uint16_t)((h.frag_off + o) / 8 | (mf ? 0x2000 : 0)));
        sim_ipv4_hdr_set_checksum(b);
        memcpy(b + fh, d + hlen + o, m);
        o += m;
        neigh_output(st, ifp, nh, f, in);
    }
    sim_packet_unref(dgram);
}

static void send_mtu(SimIpStack *st, SimIpIf *ifp, SimIpv4 nh, SimPacket *dgram, SimIpIf *in,
                     uint32_t mtu)
{
    if (sim_packet_len(dgram) > mtu)
        fragment(st, ifp, nh, dgram, in, mtu);
    else
        neigh_output(st, ifp, nh, dgram, in);
}

void ip_send_dgram(SimIpStack *st, SimIpIf *ifp, SimIpv4 nh, SimPacket *dgram, SimIpIf *in)
{
    send_mtu(st, ifp, nh, dgram, in, sim_iface_mtu(ifp->iface));
}

static void loop_deliver(void *ctx, void *arg)
{
    SimIpStack *st = ctx;
    SimPacket *p = arg;
    SimIpv4Hdr h;
    gboolean ok = sim_ipv4_hdr_decode(sim_packet_cdata(p), sim_packet_len(p), &h, NULL);
    g_assert(ok);
    ip_local_deliver(st, NULL, p, 0, &h, false);
}

static void loop_destroy(void *ctx, void *arg)
{
    sim_packet_unref(arg);
}

static bool is_loopback(const SimIpStack *st, SimIpv4 dst)
{
    return (dst >> 24) == 127 || sim_ip_is_local(st, dst);
}

/* Picks the interface and next hop; FALSE (with error) when unroutable. */
static gboolean pick_route(SimIpStack *st, SimIpv4 dst, const SimIpTxOpts *o, SimIpIf **out,
                           SimIpv4 *nh, SimIpv4 *src, SimFibNextHop *fnh, GError **error)
{
    if (o->iface) {
        *out = ip_if(o->iface);
        *nh = dst == 0xffffffffu || (*out && ip_if_is_bcast(*out, dst)) ? 0xffffffffu : dst;
        *src = ip_if_source_for(*out, dst);
        return *out != NULL;
    }
    bool have = sim_fib_resolve(st->fib, dst, fnh, NULL);
    *out = have ? ip_if_by_index(st, fnh->ifindex) : NULL;
    if (dst == 0xffffffffu && !*out && st->ifs->len)
        *out = g_ptr_array_index(st->ifs, 0); /* limited broadcast: any interface will do */
    if (!*out) {
        st->stats.out_no_routes++;
        g_set_error_literal(error, SIM_IP_ERROR, SIM_IP_ERROR_NET_UNREACH,
                            "Network is unreachable");
        return FALSE;
    }
    if (dst == 0xffffffffu || ip_if_is_bcast(*out, dst)) {
        *nh = 0xffffffffu;
    } else {
        *nh = fnh->neighbor;
        ip_trace_route(st, dst, fnh, *out, -1, -1);
    }
    *src = have && fnh->src ? fnh->src : ip_if_source_for(*out, dst);
    return TRUE;
}

gboolean ip_output(SimIpStack *st, SimPacket *payload, SimIpv4 dst, uint8_t proto,
                   const SimIpTxOpts *opts, GError **error)
{
    static const SimIpTxOpts defaults;
    const SimIpTxOpts *o = opts ? opts : &defaults;
    size_t total = sim_packet_len(payload) + SIM_IPV4_HLEN;
    if (total > SIM_IPV4_MAX_LEN) {
        g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_MSG_SIZE,
                    "message too long (%zu bytes, the IPv4 maximum is 65535)", total);
        sim_packet_unref(payload);
        return FALSE;
    }
    SimIpIf *out = NULL;
    SimIpv4 nh = 0, src = dst;
    SimFibNextHop fnh;
    bool loop = is_loopback(st, dst) && !o->iface;
    if (!loop && !pick_route(st, dst, o, &out, &nh, &src, &fnh, error)) {
        sim_packet_unref(payload);
        return FALSE;
    }
    if (o->src)
        src = o->src;
    /* Our own datagrams use the path MTU (Linux fragments to dst_mtu in
     * every IP_MTU_DISCOVER mode below PROBE). */
    uint32_t mtu = out ? sim_iface_mtu(out->iface) : SIM_IPV4_MAX_LEN;
    bool locked = false;
    uint32_t pmtu = out && !o->iface ? ip_pmtu_get(st, dst, &locked) : 0;
    if (pmtu && pmtu < mtu)
        mtu = pmtu;
    SimIpPmtuDisc mode = o->pmtudisc ? o->pmtudisc
                         : o->df     ? SIM_IP_PMTUDISC_DO
                                     : SIM_IP_PMTUDISC_DONT;
    if (total > mtu && mode == SIM_IP_PMTUDISC_DO) {
        st->stats.frag_fails++;
        g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_MSG_SIZE, "message too long, mtu=%u", mtu);
        sim_packet_unref(payload);
        return FALSE;
    }
    /* Linux ip_dont_fragment(), and __ip_make_skb's "fits the MTU" test for
     * WANT: a datagram fragmented here never carries DF. */
    bool df =
        mode == SIM_IP_PMTUDISC_DO || (mode == SIM_IP_PMTUDISC_WANT && !locked && total <= mtu);
    SimIpv4Hdr h = {
        .tos = o->tos,
        .id = st->next_ip_id++,
        .df = df,
        .ttl = o->ttl ? o->ttl : SIM_IPV4_DEFAULT_TTL,
        .proto = proto,
        .src = src,
        .dst = dst,
    };
    payload = sim_packet_make_writable(payload);
    sim_ipv4_hdr_encode(payload, &h);
    st->stats.out_requests++;
    if (loop) {
        char a[SIM_IPV4_STRLEN];
        SIM_TRACE(st->w, SIM_TR_ROUTE, SIM_DROP_NONE, st->name, "lo", NULL,
                  "%s is local → loopback", sim_ipv4_format(dst, a));
        sim_world_schedule_full(st->w, 0, loop_deliver, loop_destroy, st, payload);
        return TRUE;
    }
    send_mtu(st, out, nh, payload, NULL, mtu);
    return TRUE;
}

gboolean sim_ip_output(SimIpStack *st, SimPacket *payload, SimIpv4 dst, uint8_t proto,
                       const SimIpTxOpts *opts, GError **error)
{
    return ip_output(st, payload, dst, proto, opts, error);
}
