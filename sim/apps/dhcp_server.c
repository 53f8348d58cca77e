/* dhcp_server.c - DHCP server; see dhcp_server.h for the design. */
#include "sim/apps/dhcp_server.h"

#include <string.h>

#include "sim/core/world.h"
#include "sim/l4/udp.h"
#include "sim/link/iface.h"
#include "sim/link/node.h"
#include "sim/net/dhcp_msg.h"

typedef enum { LEASE_OFFERED, LEASE_BOUND, LEASE_DECLINED } LeaseState;

typedef struct {
    SimIpv4 addr;
    SimMac mac;
    LeaseState state;
    SimTime expiry; /* offers hold the address for a minute */
} Lease;

typedef struct {
    SimMac mac;
    SimIpv4 addr;
} Static;

struct _SimDhcpServer {
    SimNode *node;
    SimWorld *w;
    SimIface *iface;
    SimIpv4 self; /* server identifier (option 54) */
    SimUdpSocket *sock;
    GArray *pools;   /* SimDhcpPool */
    GArray *statics; /* Static */
    GArray *leases;  /* Lease */
};

#define OFFER_HOLD (60 * SIM_SEC)
/* A declined address is not offered for a day: Kea's default
 * decline-probation-period (ISC dhcpd abandons it for its lease time). */
#define DECLINE_HOLD (24 * 3600 * SIM_SEC)

static void server_free(void *p)
{
    SimDhcpServer *s = p;
    sim_udp_free(s->sock);
    g_array_free(s->pools, TRUE);
    g_array_free(s->statics, TRUE);
    g_array_free(s->leases, TRUE);
    g_free(s);
}

static bool in_pool(const SimDhcpPool *p, SimIpv4 a)
{
    return ((a ^ p->first) & p->mask) == 0;
}

/* The pool serving a message: by giaddr when relayed, by ciaddr for a
 * renewal (which comes straight from the client, RFC 2131 §4.4.5), else
 * by our own interface address. */
static const SimDhcpPool *pool_for(SimDhcpServer *s, const SimDhcpMsg *m)
{
    SimIpv4 key = m->giaddr ? m->giaddr : m->ciaddr ? m->ciaddr : s->self;
    for (guint i = 0; i < s->pools->len; i++)
        if (in_pool(&g_array_index(s->pools, SimDhcpPool, i), key))
            return &g_array_index(s->pools, SimDhcpPool, i);
    return NULL;
}

static Lease *lease_by_addr(SimDhcpServer *s, SimIpv4 a)
{
    for (guint i = 0; i < s->leases->len; i++)
        if (g_array_index(s->leases, Lease, i).addr == a)
            return &g_array_index(s->leases, Lease, i);
    return NULL;
}

static Lease *lease_by_mac(SimDhcpServer *s, const SimMac *m)
{
    for (guint i = 0; i < s->leases->len; i++) {
        Lease *l = &g_array_index(s->leases, Lease, i);
        if (l->state != LEASE_DECLINED && sim_mac_equal(&l->mac, m))
            return l;
    }
    return NULL;
}

static SimIpv4 static_for(SimDhcpServer *s, const SimMac *m)
{
    for (guint i = 0; i < s->statics->len; i++)
        if (sim_mac_equal(&g_array_index(s->statics, Static, i).mac, m))
            return g_array_index(s->statics, Static, i).addr;
    return 0;
}

static bool is_static_addr(SimDhcpServer *s, SimIpv4 a)
{
    for (guint i = 0; i < s->statics->len; i++)
        if (g_array_index(s->statics, Static, i).addr == a)
            return true;
    return false;
}

/* Free for mac: no live lease of someone else (lazy expiry), not declined,
 * not reserved for another MAC. */
static bool addr_free_for(SimDhcpServer *s, SimIpv4 a, const SimMac *mac)
{
    Lease *l = lease_by_addr(s, a);
    SimTime now = sim_world_now(s->w);
    if (l && l->state == LEASE_DECLINED && l->expiry > now)
        return false;
    if (l && l->state != LEASE_DECLINED && !sim_mac_equal(&l->mac, mac) && l->expiry > now)
        return false;
    SimIpv4 st = static_for(s, mac);
    return st == a || !is_static_addr(s, a);
}

/* RFC 2131 §4.3.1's order: a static binding, the client's current or
 * previous address, then the first free address of the pool. */
static SimIpv4 choose(SimDhcpServer *s, const SimDhcpPool *p, const SimMac *mac)
{
    SimIpv4 st = static_for(s, mac);
    if (st)
        return st;
    Lease *l = lease_by_mac(s, mac);
    if (l && in_pool(p, l->addr) && addr_free_for(s, l->addr, mac))
        return l->addr;
    for (SimIpv4 a = p->first; a <= p->last && a >= p->first; a++)
        if (a != s->self && addr_free_for(s, a, mac))
            return a;
    return 0;
}

static void record(SimDhcpServer *s, SimIpv4 a, const SimMac *mac, LeaseState st, SimTime until)
{
    /* One lease per MAC: a client moving address frees the old one. */
    Lease *old = lease_by_mac(s, mac);
    if (old && old->addr != a)
        g_array_remove_index(s->leases, (guint)(old - (Lease *)(void *)s->leases->data));
    Lease *l = lease_by_addr(s, a);
    if (!l) {
        g_array_set_size(s->leases, s->leases->len + 1);
        l = &g_array_index(s->leases, Lease, s->leases->len - 1);
    }
    *l = (Lease){.addr = a, .mac = *mac, .state = st, .expiry = until};
}

static void reply(SimDhcpServer *s, const SimDhcpMsg *req, SimDhcpMsg *m)
{
    m->op = SIM_DHCP_BOOTREPLY;
    m->xid = req->xid;
    m->flags = req->flags;
    m->giaddr = req->giaddr;
    m->chaddr = req->chaddr;
    m->has_server_id = true;
    m->server_id = s->self;
    SimIpv4 dst = 0xffffffffu;
    uint16_t port = SIM_DHCP_CLIENT_PORT;
    if (req->giaddr) {
        dst = req->giaddr;
        port = SIM_DHCP_SERVER_PORT;
        if (m->type == SIM_DHCPNAK)
            m->flags |= SIM_DHCP_FLAG_BROADCAST;
    } else if (req->ciaddr && m->type != SIM_DHCPNAK) {
        dst = req->ciaddr;
    }
    uint8_t buf[SIM_DHCP_MAX_LEN];
    size_t n = sim_dhcp_msg_emit(m, buf);
    sim_udp_bind_iface(s->sock, dst == 0xffffffffu ? s->iface : NULL);
    g_autoptr(GError) err = NULL;
    if (!sim_udp_sendto(s->sock, dst, port, buf, n, &err))
        SIM_TRACE(s->w, SIM_TR_INFO, SIM_DROP_NONE, sim_node_name(s->node), NULL, NULL,
                  "dhcp server: cannot send %s: %s", sim_dhcp_type_name(m->type), err->message);
}

static void fill_options(SimDhcpMsg *m, const SimDhcpPool *p)
{
    m->has_lease = m->has_t1 = m->has_t2 = m->has_mask = true;
    m->lease = p->lease;
    m->t1 = p->lease / 2;
    m->t2 = (uint32_t)((uint64_t)p->lease * 7 / 8);
    m->mask = p->mask;
    if (p->router)
        m->routers[m->n_routers++] = p->router;
    if (p->dns)
        m->dns[m->n_dns++] = p->dns;
    g_strlcpy(m->domain, p->domain, sizeof m->domain);
}

static void on_discover(SimDhcpServer *s, const SimDhcpMsg *req, const SimDhcpPool *p)
{
    char mac[SIM_MAC_STRLEN];
    SimIpv4 a = choose(s, p, &req->chaddr);
    if (!a) {
        SIM_TRACE(s->w, SIM_TR_DROP, SIM_DROP_NONE, sim_node_name(s->node), NULL, NULL,
                  "dhcp server: pool exhausted, DHCPDISCOVER from %s unanswered",
                  sim_mac_format(&req->chaddr, mac));
        return;
    }
    Lease *l = lease_by_addr(s, a);
    if (!l || l->state != LEASE_BOUND || !sim_mac_equal(&l->mac, &req->chaddr))
        record(s, a, &req->chaddr, LEASE_OFFERED, sim_world_now(s->w) + OFFER_HOLD);
    SimDhcpMsg m = {.type = SIM_DHCPOFFER, .yiaddr = a};
    fill_options(&m, p);
    reply(s, req, &m);
}

static void on_request(SimDhcpServer *s, const SimDhcpMsg *req, const SimDhcpPool *p)
{
    if (req->has_server_id && req->server_id != s->self) {
        /* The client took another server's offer: ours is free again. */
        Lease *l = lease_by_mac(s, &req->chaddr);
        if (l && l->state == LEASE_OFFERED)
            l->expiry = 0;
        return;
    }
    SimIpv4 a = req->has_requested ? req->requested : req->ciaddr;
    SimIpv4 st = static_for(s, &req->chaddr);
    bool ok = a && in_pool(p, a) && addr_free_for(s, a, &req->chaddr) &&
              (st ? st == a : a >= p->first && a <= p->last);
    SimDhcpMsg m = {.type = ok ? SIM_DHCPACK : SIM_DHCPNAK};
    if (ok) {
        record(s, a, &req->chaddr, LEASE_BOUND, sim_world_now(s->w) + (SimTime)p->lease * SIM_SEC);
        m.yiaddr = a;
        m.ciaddr = req->ciaddr;
        fill_options(&m, p);
    }
    reply(s, req, &m);
}

/* RFC 2131 §4.3.3: the client found the address in use (its ARP probe was
 * answered): mark it unusable for DECLINE_HOLD, keeping the MAC that
 * declined it for `show`. */
static void on_decline(SimDhcpServer *s, const SimDhcpMsg *req, const SimDhcpPool *p)
{
    if (!req->has_requested || (req->has_server_id && req->server_id != s->self) ||
        !in_pool(p, req->requested))
        return;
    char a[SIM_IPV4_STRLEN], mac[SIM_MAC_STRLEN];
    record(s, req->requested, &req->chaddr, LEASE_DECLINED, sim_world_now(s->w) + DECLINE_HOLD);
    SIM_TRACE(s->w, SIM_TR_INFO, SIM_DROP_NONE, sim_node_name(s->node), NULL, NULL,
              "dhcp server: DHCPDECLINE from %s: %s is in use, not offered for 24 h",
              sim_mac_format(&req->chaddr, mac), sim_ipv4_format(req->requested, a));
}

static void on_recv(void *user, SimUdpSocket *sock, SimIpv4 src, uint16_t sport,
                    const uint8_t *data, size_t len)
{
    SimDhcpServer *s = user;
    SimDhcpMsg req;
    g_autoptr(GError) err = NULL;
    if (!sim_dhcp_msg_parse(data, len, &req, &err)) {
        SIM_TRACE(s->w, SIM_TR_DROP, SIM_DROP_MALFORMED, sim_node_name(s->node), NULL, NULL,
                  "dhcp server: %s", err->message);
        return;
    }
    if (req.op != SIM_DHCP_BOOTREQUEST)
        return;
    const SimDhcpPool *p = pool_for(s, &req);
    if (!p) {
        SIM_TRACE(s->w, SIM_TR_DROP, SIM_DROP_NONE, sim_node_name(s->node), NULL, NULL,
                  "dhcp server: no pool for %s", req.giaddr ? "that relay" : "this interface");
        return;
    }
    Lease *l;
    switch (req.type) {
    case SIM_DHCPDISCOVER:
        on_discover(s, &req, p);
        break;
    case SIM_DHCPREQUEST:
        on_request(s, &req, p);
        break;
    case SIM_DHCPDECLINE:
        on_decline(s, &req, p);
        break;
    case SIM_DHCPRELEASE:
        if ((l = lease_by_addr(s, req.ciaddr)) && sim_mac_equal(&l->mac, &req.chaddr))
            g_array_remove_index(s->leases, (guint)(l - (Lease *)(void *)s->leases->data));
        break;
    default:
        break;
    }
}

SimDhcpServer *sim_dhcp_server_start(SimNode *node, SimIface *iface, GError **error)
{
    SimIpv4 self = sim_ip_iface_primary(iface);
    if (!sim_ip_stack(node) || !self) {
        g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_NOT_IP,
                    "%s: a DHCP server needs an address on %s", sim_node_name(node),
                    sim_iface_name(iface));
        return NULL;
    }
    SimDhcpServer *s = g_new0(SimDhcpServer, 1);
    s->node = node;
    s->w = sim_node_world(node);
    s->iface = iface;
    s->self = self;
    s->pools = g_array_new(FALSE, FALSE, sizeof(SimDhcpPool));
    s->statics = g_array_new(FALSE, FALSE, sizeof(Static));
    s->leases = g_array_new(FALSE, FALSE, sizeof(Lease));
    s->sock = sim_udp_new(node, on_recv, NULL, s, error);
    if (!s->sock || !sim_udp_bind(s->sock, 0, SIM_DHCP_SERVER_PORT, error)) {
        server_free(s);
        return NULL;
    }
    sim_udp_set_broadcast(s->sock, true);
    sim_ip_stack_adopt(sim_ip_stack(node), s, server_free);
    return s;
}

gboolean sim_dhcp_server_add_pool(SimDhcpServer *s, const SimDhcpPool *pool, GError **error)
{
    if (pool->first > pool->last || ((pool->first ^ pool->last) & pool->mask) != 0) {
        g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_INVALID,
                    "DHCP pool range is not inside one subnet of its mask");
        return FALSE;
    }
    g_array_append_val(s->pools, *pool);
    return TRUE;
}

void sim_dhcp_server_add_static(SimDhcpServer *s, const SimMac *mac, SimIpv4 addr)
{
    Static st = {*mac, addr};
    g_array_append_val(s->statics, st);
}

SimIpv4 sim_dhcp_server_lease_of(SimDhcpServer *s, const SimMac *mac)
{
    Lease *l = lease_by_mac(s, mac);
    return l && l->state == LEASE_BOUND && l->expiry > sim_world_now(s->w) ? l->addr : 0;
}

void sim_dhcp_server_show(SimDhcpServer *s, GString *out)
{
    static const char *const names[] = {"offered", "bound", "declined"};
    g_string_append_printf(out, "%-16s %-18s %-9s %s\n", "Address", "MAC", "State", "Expires");
    for (guint i = 0; i < s->leases->len; i++) {
        const Lease *l = &g_array_index(s->leases, Lease, i);
        char a[SIM_IPV4_STRLEN], m[SIM_MAC_STRLEN], t[32] = "never";
        bool gone = l->expiry <= sim_world_now(s->w);
        if (l->expiry != SIM_TIME_MAX)
            g_snprintf(t, sizeof t, "%.3fs%s", (double)l->expiry / SIM_SEC,
                       gone ? " (expired)" : "");
        g_string_append_printf(out, "%-16s %-18s %-9s %s\n", sim_ipv4_format(l->addr, a),
                               sim_mac_format(&l->mac, m), names[l->state], t);
    }
}
