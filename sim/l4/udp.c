/* udp.c - UDP sockets on the stack's port demux; see udp.h. */
#include "sim/l4/udp.h"

#include "sim/l4/tcp_priv.h"
#include "sim/link/node.h"

struct _SimUdpSocket {
    SimIpStack *st;
    SimTcp *l4; /* the node's transport state, which lists its sockets */
    SimIpv4 laddr, raddr;
    uint16_t lport, rport;
    bool broadcast;
    SimIface *iface;
    SimUdpRecvFn recv;
    SimUdpErrFn err;
    void *user;
};

static void on_datagram(void *user, const SimIpRxInfo *rx, uint16_t sport, uint16_t dport,
                        const uint8_t *data, size_t len)
{
    SimUdpSocket *s = user;
    SimWorld *w = sim_ip_stack_world(s->st);
    const char *node = sim_node_name(sim_ip_stack_node(s->st));
    char a[SIM_IPV4_STRLEN];
    if (s->laddr && rx->dst != s->laddr && !rx->broadcast) {
        SIM_TRACE(w, SIM_TR_DROP, SIM_DROP_NOT_FOR_US, node, NULL, NULL,
                  "UDP to %s:%u: the socket is bound to another address",
                  sim_ipv4_format(rx->dst, a), dport);
        return;
    }
    if (s->raddr && (rx->src != s->raddr || sport != s->rport)) {
        SIM_TRACE(w, SIM_TR_DROP, SIM_DROP_NOT_FOR_US, node, NULL, NULL,
                  "UDP from %s:%u: the socket is connected to another peer",
                  sim_ipv4_format(rx->src, a), sport);
        return;
    }
    if (s->recv)
        s->recv(s->user, s, rx->src, sport, data, len);
}

static void on_error(void *user, const SimIpIcmpError *e)
{
    SimUdpSocket *s = user;
    if (s->err)
        s->err(s->user, s, e);
}

SimUdpSocket *sim_udp_new(SimNode *node, SimUdpRecvFn recv, SimUdpErrFn err, void *user,
                          GError **error)
{
    SimIpStack *st = sim_ip_stack(node);
    if (!st) {
        g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_NOT_IP, "%s has no IP stack",
                    sim_node_name(node));
        return NULL;
    }
    SimUdpSocket *s = g_new0(SimUdpSocket, 1);
    *s = (SimUdpSocket){.st = st, .recv = recv, .err = err, .user = user};
    s->l4 = sim_tcp_attach(node);
    g_ptr_array_add(s->l4->udp, s);
    return s;
}

void sim_udp_free(SimUdpSocket *s)
{
    if (!s)
        return;
    if (s->lport)
        sim_ip_udp_unbind(s->st, s->lport);
    g_ptr_array_remove(s->l4->udp, s);
    g_free(s);
}

gboolean sim_udp_bind(SimUdpSocket *s, SimIpv4 addr, uint16_t port, GError **error)
{
    if (s->lport) {
        g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_INVALID, "socket is already bound");
        return FALSE;
    }
    if (addr && !sim_ip_is_local(s->st, addr)) {
        g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_INVALID, "Cannot assign requested address");
        return FALSE;
    }
    if (!port)
        port = sim_ip_udp_alloc_port(s->st);
    if (!sim_ip_udp_bind(s->st, port, on_datagram, on_error, s, error))
        return FALSE;
    s->laddr = addr;
    s->lport = port;
    return TRUE;
}

void sim_udp_connect(SimUdpSocket *s, SimIpv4 addr, uint16_t port)
{
    s->raddr = addr;
    s->rport = port;
}

void sim_udp_set_broadcast(SimUdpSocket *s, bool on)
{
    s->broadcast = on;
}

void sim_udp_bind_iface(SimUdpSocket *s, SimIface *iface)
{
    s->iface = iface;
}

uint16_t sim_udp_port(const SimUdpSocket *s)
{
    return s->lport;
}

void sim_udp_addresses(const SimUdpSocket *s, SimIpv4 *laddr, uint16_t *lport, SimIpv4 *raddr,
                       uint16_t *rport)
{
    *laddr = s->laddr;
    *lport = s->lport;
    *raddr = s->raddr;
    *rport = s->rport;
}

/* Limited broadcast, or the directed broadcast of a subnet the route to
 * dst leaves through. */
static bool is_broadcast(SimUdpSocket *s, SimIpv4 dst)
{
    if (dst == 0xffffffffu)
        return true;
    SimIface *ifc = NULL;
    if (s->iface)
        ifc = s->iface;
    else if (!sim_ip_route_lookup(s->st, dst, &ifc, NULL, NULL, NULL) || !ifc)
        return false;
    const GArray *addrs = sim_ip_iface_addresses(ifc);
    for (guint i = 0; addrs && i < addrs->len; i++) {
        const SimPrefix *p = &g_array_index(addrs, SimPrefix, i);
        if (p->len < 31 && dst == sim_prefix_broadcast(p))
            return true;
    }
    return false;
}

gboolean sim_udp_sendto(SimUdpSocket *s, SimIpv4 dst, uint16_t dport, const uint8_t *data,
                        size_t len, GError **error)
{
    if (dport == 0) {
        g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_INVALID, "port 0");
        return FALSE;
    }
    if (is_broadcast(s, dst) && !s->broadcast) {
        g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_INVALID,
                    "Permission denied (broadcast needs SO_BROADCAST)");
        return FALSE;
    }
    if (!s->lport && !sim_udp_bind(s, 0, 0, error))
        return FALSE;
    SimIpTxOpts o = {.src = s->laddr, .iface = s->iface};
    return sim_ip_udp_send(s->st, s->lport, dst, dport, data, len, &o, error);
}
