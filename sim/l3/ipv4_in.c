/* ipv4_in.c - IPv4 input: header checks, local delivery and the protocol
 * demux, and router forwarding (RFC 791, RFC 1812 section 5).
 *
 * Received frames may be shared (a hub or switch hands the same buffer to
 * several ports), so input only reads through offsets. Forwarding is the one
 * place that writes: it calls sim_packet_make_writable() (a copy only when
 * the frame is shared), strips the Ethernet header and any padding, and
 * lowers the TTL with the RFC 1624 incremental checksum update.
 */
#include "sim/l3/ipstack_priv.h"
#include "sim/l3/nat_priv.h"

#include "sim/net/icmp_hdr.h"

static bool is_multicast(SimIpv4 a)
{
    return (a >> 28) == 0xe;
}

/* RFC 1918 private space: 10/8, 172.16/12, 192.168/16. */
static bool is_private(SimIpv4 a)
{
    return (a >> 24) == 10 || (a >> 20) == 0xac1 || (a >> 16) == 0xc0a8;
}

static const char *proto_name(uint8_t proto, char *buf, size_t n)
{
    switch (proto) {
    case SIM_IPPROTO_ICMP:
        return "ICMP";
    case SIM_IPPROTO_TCP:
        return "TCP";
    case SIM_IPPROTO_UDP:
        return "UDP";
    default:
        g_snprintf(buf, n, "protocol %u", proto);
        return buf;
    }
}

void ip_local_deliver(SimIpStack *st, SimIpIf *ifp, SimPacket *pkt, size_t off,
                      const SimIpv4Hdr *hin, bool bcast)
{
    SimIpv4Hdr h = *hin;
    const SimPacket *frame = off > 0 ? pkt : NULL;
    if (h.mf || h.frag_off) {
        pkt = reasm_input(st, ifp, pkt, off, &h);
        if (!pkt)
            return;
        off = 0;
        frame = NULL;
        gboolean ok = sim_ipv4_hdr_decode(sim_packet_cdata(pkt), sim_packet_len(pkt), &h, NULL);
        g_assert(ok);
    }
    SimIpRxInfo rx = {
        .src = h.src,
        .dst = h.dst,
        .ttl = h.ttl,
        .tos = h.tos,
        .proto = h.proto,
        .iface = ifp ? ifp->iface : NULL,
        .broadcast = bcast,
        .time = sim_world_now(st->w),
    };
    IpRx in = {ifp, pkt, off, off + h.hdr_len, h.total_len - h.hdr_len, frame};
    st->stats.in_delivers++;
    IpBinding *b = h.proto == SIM_IPPROTO_ICMP ? NULL : ip_proto_binding(st, h.proto);
    char pb[24], a[SIM_IPV4_STRLEN];
    if (h.proto == SIM_IPPROTO_ICMP) {
        icmp_input(st, &in, &rx);
    } else if (b) {
        SIM_TRACE(st->w, SIM_TR_DELIVER, SIM_DROP_NONE, st->name,
                  ifp ? sim_iface_name(ifp->iface) : NULL, frame, "%s from %s, %u bytes",
                  proto_name(h.proto, pb, sizeof pb), sim_ipv4_format(h.src, a),
                  (unsigned)in.l4_len);
        ((SimIpProtoFn)b->fn)(b->user, &rx, pkt, in.l4_off, in.l4_len);
    } else if (h.proto == SIM_IPPROTO_UDP) {
        udp_input(st, &in, &rx);
    } else {
        st->stats.in_delivers--;
        st->stats.in_unknown_protos++;
        IP_DROP(st, ifp, frame, SIM_DROP_NO_LISTENER, "no handler for %s",
                proto_name(h.proto, pb, sizeof pb));
        if (!bcast)
            icmp_send_error(st, pkt, off, ifp, SIM_ICMP_DEST_UNREACH, SIM_ICMP_UNREACH_PROTO, 0);
    }
    sim_packet_unref(pkt);
}

/* The packet is not for us and we are a router. */
static void ip_forward(SimIpStack *st, SimIpIf *in, SimPacket *pkt, size_t off,
                       const SimIpv4Hdr *hin)
{
    char a[SIM_IPV4_STRLEN];
    /* Route first, then TTL, then MTU: Linux's order (ip_route_input_slow
     * sends "net unreachable" from ip_error before ip_forward ever reads
     * the TTL, and ip_forward checks the TTL before ip_exceeds_mtu). RFC
     * 1812 5.3.1 leaves the order of these checks to the implementation,
     * so a TTL-1 datagram with no route gets Destination Net Unreachable,
     * not Time Exceeded. */
    SimIpv4Hdr hcopy = *hin, *h = &hcopy;
    if (st->drop_private && is_private(h->dst)) {
        IP_DROP(st, in, pkt, SIM_DROP_PRIVATE,
                "%s is private (RFC 1918): never routed on the public Internet",
                sim_ipv4_format(h->dst, a));
        sim_packet_unref(pkt);
        return;
    }
    SimFibNextHop nh;
    SimIpIf *out = NULL;
    if (sim_fib_resolve(st->fib, h->dst, &nh, NULL))
        out = ip_if_by_index(st, nh.ifindex);
    if (!out) {
        st->stats.out_no_routes++;
        IP_DROP(st, in, pkt, SIM_DROP_NO_ROUTE, "no route to %s", sim_ipv4_format(h->dst, a));
        icmp_send_error(st, pkt, off, in, SIM_ICMP_DEST_UNREACH, SIM_ICMP_UNREACH_NET, 0);
        sim_packet_unref(pkt);
        return;
    }
    if (h->ttl <= 1) {
        IP_DROP(st, in, pkt, SIM_DROP_TTL_EXPIRED, "TTL %u expired in transit to %s", h->ttl,
                sim_ipv4_format(h->dst, a));
        icmp_send_error(st, pkt, off, in, SIM_ICMP_TIME_EXCEEDED, SIM_ICMP_EXC_TTL, 0);
        sim_packet_unref(pkt);
        return;
    }
    uint32_t mtu = sim_iface_mtu(out->iface);
    if (h->total_len > mtu && h->df) {
        st->stats.frag_fails++;
        IP_DROP(st, in, pkt, SIM_DROP_MTU, "%u-byte datagram with DF set, MTU of %s is %u",
                h->total_len, sim_iface_name(out->iface), mtu);
        icmp_send_error(st, pkt, off, in, SIM_ICMP_DEST_UNREACH, SIM_ICMP_UNREACH_FRAG_NEEDED,
                        (uint16_t)MIN(mtu, 0xffff));
        sim_packet_unref(pkt);
        return;
    }
    /* Source NAT last, after the MTU check, as Linux's POSTROUTING comes
     * after ip_forward's checks: an error about an outbound datagram then
     * quotes the inside source and goes straight back to the inside host. */
    if (st->nat && !nat_outbound(st, in, out, &pkt, &off, h))
        return;
    pkt = sim_packet_make_writable(pkt);
    sim_packet_pull(pkt, off);
    sim_packet_trim(pkt, h->total_len); /* Ethernet padding must not travel on */
    uint8_t ttl = sim_ipv4_hdr_dec_ttl(sim_packet_data(pkt));
    ip_trace_route(st, h->dst, &nh, out, h->ttl, ttl);
    st->stats.forwarded++;
    ip_send_dgram(st, out, nh.neighbor, pkt, in);
}

void ip_input(SimIpStack *st, SimIpIf *ifp, SimPacket *pkt, size_t off, bool l2_group)
{
    const uint8_t *d = sim_packet_cdata(pkt) + off;
    size_t len = sim_packet_len(pkt) - off;
    SimIpv4Hdr h;
    char a[SIM_IPV4_STRLEN];
    st->stats.in_receives++;
    g_autoptr(GError) err = NULL;
    if (!sim_ipv4_hdr_decode(d, len, &h, &err)) {
        st->stats.in_hdr_errors++;
        IP_DROP(st, ifp, pkt, SIM_DROP_MALFORMED, "%s", err->message);
        goto drop;
    }
    if (!h.checksum_ok) {
        st->stats.in_hdr_errors++;
        IP_DROP(st, ifp, pkt, SIM_DROP_CHECKSUM, "IPv4 header checksum 0x%04x is wrong",
                h.checksum);
        goto drop;
    }
    if (is_multicast(h.src) || h.src == 0xffffffffu) {
        st->stats.in_addr_errors++;
        IP_DROP(st, ifp, pkt, SIM_DROP_MALFORMED, "martian source %s", sim_ipv4_format(h.src, a));
        goto drop;
    }
    if (st->nat && st->forwarding && !l2_group) {
        NatVerdict nv = nat_inbound(st, ifp, &pkt, &off, &h);
        if (nv == NAT_CONSUMED)
            return;
        if (nv == NAT_FORWARD) {
            ip_forward(st, ifp, pkt, off, &h);
            return;
        }
    }
    if (sim_ip_is_local(st, h.dst)) {
        ip_local_deliver(st, ifp, pkt, off, &h, false);
        return;
    }
    if (h.dst == 0 || ip_is_bcast(st, h.dst)) {
        /* Limited or directed broadcast: ours to read, never to forward
         * (RFC 2644 turned directed-broadcast forwarding off by default). */
        ip_local_deliver(st, ifp, pkt, off, &h, true);
        return;
    }
    if (is_multicast(h.dst)) {
        IP_DROP(st, ifp, pkt, SIM_DROP_NOT_FOR_US, "multicast %s: no group joined",
                sim_ipv4_format(h.dst, a));
        goto drop;
    }
    if (!st->forwarding) {
        st->stats.in_addr_errors++;
        IP_DROP(st, ifp, pkt, SIM_DROP_NOT_FOR_US, "%s is not ours and forwarding is off",
                sim_ipv4_format(h.dst, a));
        goto drop;
    }
    if (l2_group) {
        /* RFC 1812 5.3.4: a unicast datagram in a link-layer broadcast. */
        IP_DROP(st, ifp, pkt, SIM_DROP_BROADCAST,
                "datagram for %s arrived as a link-layer broadcast: not forwarded",
                sim_ipv4_format(h.dst, a));
        goto drop;
    }
    ip_forward(st, ifp, pkt, off, &h);
    return;
drop:
    sim_packet_unref(pkt);
}
