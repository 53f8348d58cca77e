/* dhcp_relay.c - DHCP relay agent; see dhcp_relay.h. */
#include "sim/apps/dhcp_relay.h"

#include "sim/core/world.h"
#include "sim/link/iface.h"
#include "sim/link/node.h"
#include "sim/net/dhcp_msg.h"
#include "sim/net/wire.h"

#define MAX_HOPS 16 /* RFC 1542 §4.1.1's suggested limit */

typedef struct {
    SimIface *iface;
    SimIpv4 server;
} RelayIf;

struct _SimDhcpRelay {
    SimNode *node;
    SimIpStack *st;
    GArray *ifs; /* RelayIf */
};

static void relay_free(void *p)
{
    SimDhcpRelay *r = p;
    sim_ip_udp_unbind(r->st, SIM_DHCP_SERVER_PORT);
    g_array_free(r->ifs, TRUE);
    g_free(r);
}

static void trace(SimDhcpRelay *r, const char *what, const char *detail)
{
    SimWorld *w = sim_node_world(r->node);
    SIM_TRACE(w, SIM_TR_DROP, SIM_DROP_NONE, sim_node_name(r->node), NULL, NULL, "dhcp relay: %s%s",
              what, detail);
}

static void send(SimDhcpRelay *r, SimDhcpMsg *m, SimIpv4 dst, uint16_t port, SimIface *out)
{
    uint8_t buf[SIM_DHCP_MAX_LEN];
    size_t n = sim_dhcp_msg_emit(m, buf);
    SimIpTxOpts o = {.iface = out, .src = out ? sim_ip_iface_primary(out) : 0};
    g_autoptr(GError) err = NULL;
    if (!sim_ip_udp_send(r->st, SIM_DHCP_SERVER_PORT, dst, port, buf, n, &o, &err))
        trace(r, "cannot forward: ", err->message);
}

static void on_recv(void *user, const SimIpRxInfo *rx, uint16_t sport, uint16_t dport,
                    const uint8_t *data, size_t len)
{
    SimDhcpRelay *r = user;
    SimDhcpMsg m;
    g_autoptr(GError) err = NULL;
    if (!sim_dhcp_msg_parse(data, len, &m, &err)) {
        trace(r, "", err->message);
        return;
    }
    if (m.op == SIM_DHCP_BOOTREQUEST) {
        for (guint i = 0; i < r->ifs->len; i++) {
            RelayIf *ri = &g_array_index(r->ifs, RelayIf, i);
            if (ri->iface != rx->iface)
                continue;
            if (m.hops >= MAX_HOPS) {
                trace(r, "hop limit reached", "");
                return;
            }
            m.hops++;
            if (!m.giaddr)
                m.giaddr = sim_ip_iface_primary(ri->iface);
            send(r, &m, ri->server, SIM_DHCP_SERVER_PORT, NULL);
            return;
        }
        return; /* not a relay interface */
    }
    for (guint i = 0; i < r->ifs->len; i++) {
        RelayIf *ri = &g_array_index(r->ifs, RelayIf, i);
        if (sim_ip_iface_primary(ri->iface) == m.giaddr) {
            send(r, &m, 0xffffffffu, SIM_DHCP_CLIENT_PORT, ri->iface);
            return;
        }
    }
    trace(r, "reply for an unknown giaddr", "");
}

SimDhcpRelay *sim_dhcp_relay_new(SimNode *node, GError **error)
{
    SimIpStack *st = sim_ip_stack(node);
    if (!st) {
        g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_NOT_IP, "%s has no IP stack",
                    sim_node_name(node));
        return NULL;
    }
    SimDhcpRelay *r = g_new0(SimDhcpRelay, 1);
    r->node = node;
    r->st = st;
    r->ifs = g_array_new(FALSE, FALSE, sizeof(RelayIf));
    if (!sim_ip_udp_bind(st, SIM_DHCP_SERVER_PORT, on_recv, NULL, r, error)) {
        g_array_free(r->ifs, TRUE);
        g_free(r);
        return NULL;
    }
    sim_ip_stack_adopt(st, r, relay_free);
    return r;
}

gboolean sim_dhcp_relay_add(SimDhcpRelay *r, SimIface *iface, SimIpv4 server, GError **error)
{
    if (!sim_ip_iface_primary(iface)) {
        g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_INVALID,
                    "a relay interface needs an address (it becomes giaddr)");
        return FALSE;
    }
    RelayIf ri = {iface, server};
    g_array_append_val(r->ifs, ri);
    return TRUE;
}
