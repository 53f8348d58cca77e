/* udp_demux.c - the stack's built-in UDP (RFC 768): port bindings, input
 * with checksum verification, port unreachable for unbound ports, and
 * sending. Bindings are a lazily created GHashTable keyed by port.
 * sim/l4 may take UDP over with sim_ip_register_proto().
 */
#include "sim/l3/ipstack_priv.h"

#include "sim/net/icmp_hdr.h"
#include "sim/net/l4_hdr.h"
#include "sim/net/wire.h"

#include <string.h>

#define EPHEMERAL_LO 32768 /* Linux ip_local_port_range */
#define EPHEMERAL_HI 60999

static IpBinding *lookup(const SimIpStack *st, uint16_t port)
{
    return st->udp ? g_hash_table_lookup(st->udp, GUINT_TO_POINTER(port)) : NULL;
}

void udp_input(SimIpStack *st, const IpRx *in, const SimIpRxInfo *rx)
{
    const uint8_t *m = sim_packet_cdata(in->pkt) + in->l4_off;
    const char *ifn = in->ifp ? sim_iface_name(in->ifp->iface) : NULL;
    SimUdpHdr uh;
    g_autoptr(GError) err = NULL;
    char a[SIM_IPV4_STRLEN];
    if (!sim_udp_hdr_decode(m, in->l4_len, rx->src, rx->dst, &uh, &err)) {
        IP_DROP(st, in->ifp, in->frame, SIM_DROP_MALFORMED, "%s", err->message);
        return;
    }
    if (!uh.checksum_ok) {
        IP_DROP(st, in->ifp, in->frame, SIM_DROP_CHECKSUM, "UDP checksum 0x%04x is wrong",
                uh.checksum);
        return;
    }
    IpBinding *b = lookup(st, uh.dport);
    if (!b) {
        IP_DROP(st, in->ifp, in->frame, SIM_DROP_NO_LISTENER,
                "UDP from %s:%u to port %u: "
                "nothing listens",
                sim_ipv4_format(rx->src, a), uh.sport, uh.dport);
        if (!rx->broadcast)
            icmp_send_error(st, in->pkt, in->ip_off, in->ifp, SIM_ICMP_DEST_UNREACH,
                            SIM_ICMP_UNREACH_PORT, 0);
        return;
    }
    SIM_TRACE(st->w, SIM_TR_DELIVER, SIM_DROP_NONE, st->name, ifn, in->frame,
              "UDP %s:%u → port %u, %u bytes", sim_ipv4_format(rx->src, a), uh.sport, uh.dport,
              (unsigned)(uh.length - SIM_UDP_HLEN));
    ((SimIpUdpFn)b->fn)(b->user, rx, uh.sport, uh.dport, m + SIM_UDP_HLEN,
                        uh.length - SIM_UDP_HLEN);
}

IpBinding *udp_error_binding(SimIpStack *st, const SimIpIcmpError *err)
{
    return err->orig_len >= 2 ? lookup(st, sim_wire_get16(err->orig_data)) : NULL;
}

uint16_t sim_ip_udp_alloc_port(SimIpStack *st)
{
    for (guint tries = 0; tries <= EPHEMERAL_HI - EPHEMERAL_LO; tries++) {
        uint16_t p = st->next_port;
        st->next_port = p >= EPHEMERAL_HI ? EPHEMERAL_LO : (uint16_t)(p + 1);
        if (!lookup(st, p))
            return p;
    }
    return 0;
}

gboolean sim_ip_udp_bind(SimIpStack *st, uint16_t port, SimIpUdpFn recv, SimIpErrorFn err,
                         void *user, GError **error)
{
    if (!st->udp)
        st->udp = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    if (port == 0 || lookup(st, port)) {
        g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_IN_USE, "UDP port %u is %s", port,
                    port ? "in use" : "invalid");
        return FALSE;
    }
    IpBinding *b = g_new(IpBinding, 1);
    *b = (IpBinding){(IpAnyFn)recv, err, user};
    g_hash_table_insert(st->udp, GUINT_TO_POINTER(port), b);
    return TRUE;
}

void sim_ip_udp_unbind(SimIpStack *st, uint16_t port)
{
    if (st->udp)
        g_hash_table_remove(st->udp, GUINT_TO_POINTER(port));
}

gboolean sim_ip_udp_send(SimIpStack *st, uint16_t sport, SimIpv4 dst, uint16_t dport,
                         const uint8_t *data, size_t len, const SimIpTxOpts *opts, GError **error)
{
    SimIpTxOpts o = opts ? *opts : (SimIpTxOpts){0};
    if (len > SIM_IPV4_MAX_LEN - SIM_IPV4_HLEN - SIM_UDP_HLEN) {
        g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_MSG_SIZE, "message too long");
        return FALSE;
    }
    /* The checksum covers the source address, so pick it before IP does. */
    if (!o.src) {
        if (sim_ip_is_local(st, dst))
            o.src = dst;
        else if (o.iface)
            o.src = ip_if_source_for(ip_if(o.iface), dst);
        else if (!sim_ip_route_lookup(st, dst, NULL, NULL, &o.src, error))
            return FALSE;
    }
    SimPacket *p = sim_packet_new(sim_world_pool(st->w), SIM_PACKET_HEADROOM, len);
    if (len)
        memcpy(sim_packet_data(p), data, len);
    SimUdpHdr uh = {.sport = sport, .dport = dport};
    sim_udp_hdr_encode(p, o.src, dst, &uh);
    return ip_output(st, p, dst, SIM_IPPROTO_UDP, &o, error);
}
