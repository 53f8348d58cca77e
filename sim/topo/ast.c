/* ast.c - construction, lookup and destruction of the topology AST.
 *
 * Constructors fill every field with its "not written" value (built-in
 * defaults, -1 for unresolved indexes) so a partially parsed tree is always
 * safe to walk and free.
 */
#include "sim/topo/ast.h"

#include <string.h>

static void iface_free(gpointer data)
{
    SimTopoIface *i = data;
    g_free(i->name);
    g_free(i->vlan_name);
    g_free(i);
}

static void route_free(gpointer data)
{
    SimTopoRoute *r = data;
    g_free(r->dev);
    g_free(r);
}

static void port_cfg_free(gpointer data)
{
    SimTopoPortCfg *c = data;
    g_free(c->allowed);
    g_free(c);
}

static void vlan_free(gpointer data)
{
    SimTopoVlan *v = data;
    g_free(v->name);
    g_free(v);
}

static void node_free(gpointer data)
{
    SimTopoNode *n = data;
    g_free(n->name);
    g_ptr_array_unref(n->port_cfgs);
    g_ptr_array_unref(n->vlans);
    g_ptr_array_unref(n->ifaces);
    g_ptr_array_unref(n->routes);
    if (n->nat) {
        g_free(n->nat->inside);
        g_free(n->nat->outside);
        g_array_unref(n->nat->forwards);
        g_free(n->nat);
    }
    if (n->dhcp_servers)
        g_ptr_array_unref(n->dhcp_servers);
    if (n->dhcp_relays)
        g_ptr_array_unref(n->dhcp_relays);
    if (n->dns) {
        if (n->dns->zone_files)
            g_ptr_array_unref(n->dns->zone_files);
        if (n->dns->zone_pos)
            g_array_unref(n->dns->zone_pos);
        g_free(n->dns);
    }
    g_array_unref(n->stp_ports);
    g_free(n->port_link);
    g_free(n);
}

static void endpoint_clear(SimTopoEndpoint *ep)
{
    g_free(ep->node);
    g_free(ep->sub);
}

static void link_free(gpointer data)
{
    SimTopoLink *l = data;
    endpoint_clear(&l->a);
    endpoint_clear(&l->b);
    g_free(l);
}

static void cmd_free(gpointer data)
{
    SimTopoCmd *c = data;
    g_free(c->node);
    g_free(c->target_name);
    g_free(c->text);
    g_strfreev(c->lines);
    g_free(c->as_name);
    endpoint_clear(&c->a);
    endpoint_clear(&c->b);
    g_free(c);
}

static void endpoint_init(SimTopoEndpoint *ep)
{
    ep->node_index = -1;
    ep->iface_index = -1;
    ep->port = 0;
}

static void link_params_init(SimTopoLinkParams *p)
{
    p->set = 0;
    p->rate_bps = SIM_TOPO_DEFAULT_RATE;
    p->delay = SIM_TOPO_DEFAULT_DELAY;
    p->loss = 0.0;
    p->queue = SIM_TOPO_DEFAULT_QUEUE;
    p->mtu = SIM_TOPO_DEFAULT_MTU;
}

SimTopo *sim_topo_new(const char *file)
{
    SimTopo *t = g_new0(SimTopo, 1);
    t->file = g_strdup(file ? file : "<input>");
    t->nodes = g_ptr_array_new_with_free_func(node_free);
    t->node_by_name = g_hash_table_new(g_str_hash, g_str_equal); /* keys: node names */
    t->links = g_ptr_array_new_with_free_func(link_free);
    t->cmds = g_ptr_array_new_with_free_func(cmd_free);
    t->poisoned = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    link_params_init(&t->defaults);
    return t;
}

void sim_topo_free(SimTopo *topo)
{
    if (topo == NULL)
        return;
    g_hash_table_unref(topo->node_by_name);
    g_hash_table_unref(topo->poisoned);
    g_ptr_array_unref(topo->cmds);
    g_ptr_array_unref(topo->links);
    g_ptr_array_unref(topo->nodes);
    g_free(topo->title);
    g_free(topo->file);
    g_free(topo);
}

SimTopoNode *sim_topo_add_node(SimTopo *topo, SimTopoNodeKind kind, const char *name,
                               SimTopoPos pos)
{
    SimTopoNode *n = g_new0(SimTopoNode, 1);
    n->kind = kind;
    n->name = g_strdup(name);
    n->pos = pos;
    n->ifaces = g_ptr_array_new_with_free_func(iface_free);
    n->routes = g_ptr_array_new_with_free_func(route_free);
    n->port_cfgs = g_ptr_array_new_with_free_func(port_cfg_free);
    n->vlans = g_ptr_array_new_with_free_func(vlan_free);
    n->ports = SIM_TOPO_DEFAULT_PORTS;
    n->aging = SIM_TOPO_DEFAULT_AGING;
    n->mac_table = SIM_TOPO_DEFAULT_MAC_TABLE;
    n->stp_priority = SIM_TOPO_DEFAULT_STP_PRIORITY;
    n->stp_ports = g_array_new(FALSE, FALSE, sizeof(SimTopoStpPort));
    g_ptr_array_add(topo->nodes, n);
    /* The key is the node's own name, which lives as long as the table. */
    if (!g_hash_table_contains(topo->node_by_name, n->name))
        g_hash_table_insert(topo->node_by_name, n->name, GINT_TO_POINTER(topo->nodes->len));
    return n;
}

SimTopoIface *sim_topo_node_add_iface(SimTopoNode *node, const char *name, SimTopoPos pos)
{
    SimTopoIface *i = g_new0(SimTopoIface, 1);
    i->name = g_strdup(name);
    i->pos = pos;
    i->mtu = SIM_TOPO_DEFAULT_MTU;
    i->link = -1;
    i->parent = -1;
    g_ptr_array_add(node->ifaces, i);
    return i;
}

SimTopoPortCfg *sim_topo_node_add_port_cfg(SimTopoNode *node, SimTopoPos pos)
{
    SimTopoPortCfg *c = g_new0(SimTopoPortCfg, 1);
    c->pos = pos;
    c->access = 1;
    c->native = 1;
    g_ptr_array_add(node->port_cfgs, c);
    return c;
}

SimTopoVlan *sim_topo_node_add_vlan(SimTopoNode *node, uint16_t vid, SimTopoPos pos)
{
    SimTopoVlan *v = g_new0(SimTopoVlan, 1);
    v->pos = pos;
    v->vid = vid;
    g_ptr_array_add(node->vlans, v);
    return v;
}

SimTopoRoute *sim_topo_node_add_route(SimTopoNode *node, SimTopoPos pos)
{
    SimTopoRoute *r = g_new0(SimTopoRoute, 1);
    r->pos = pos;
    r->dev_index = -1;
    r->metric = SIM_TOPO_DEFAULT_METRIC;
    g_ptr_array_add(node->routes, r);
    return r;
}

SimTopoLink *sim_topo_add_link(SimTopo *topo, SimTopoPos pos)
{
    SimTopoLink *l = g_new0(SimTopoLink, 1);
    l->pos = pos;
    endpoint_init(&l->a);
    endpoint_init(&l->b);
    link_params_init(&l->params);
    g_ptr_array_add(topo->links, l);
    return l;
}

SimTopoCmd *sim_topo_add_cmd(SimTopo *topo, SimTopoCmdKind kind, SimTopoPos pos)
{
    SimTopoCmd *c = g_new0(SimTopoCmd, 1);
    c->kind = kind;
    c->pos = pos;
    c->node_index = -1;
    c->link_index = -1;
    c->ping = (SimTopoPingOpts){
        .count = SIM_TOPO_PING_COUNT,
        .interval = SIM_TOPO_PING_INTERVAL,
        .size = SIM_TOPO_PING_SIZE,
        .ttl = SIM_TOPO_PING_TTL,
        .timeout = SIM_TOPO_PING_TIMEOUT,
    };
    c->trace = (SimTopoTraceOpts){
        .max_hops = SIM_TOPO_TRACE_MAX_HOPS,
        .probes = SIM_TOPO_TRACE_PROBES,
    };
    endpoint_init(&c->a);
    endpoint_init(&c->b);
    g_ptr_array_add(topo->cmds, c);
    return c;
}

int sim_topo_node_index(const SimTopo *topo, const char *name)
{
    if (name == NULL)
        return -1;
    return GPOINTER_TO_INT(g_hash_table_lookup(topo->node_by_name, name)) - 1;
}

SimTopoNode *sim_topo_find_node(const SimTopo *topo, const char *name)
{
    int i = sim_topo_node_index(topo, name);
    return i < 0 ? NULL : g_ptr_array_index(topo->nodes, i);
}

SimTopoNode *sim_topo_node(const SimTopo *topo, guint i)
{
    g_return_val_if_fail(i < topo->nodes->len, NULL);
    return g_ptr_array_index(topo->nodes, i);
}

SimTopoLink *sim_topo_link(const SimTopo *topo, guint i)
{
    g_return_val_if_fail(i < topo->links->len, NULL);
    return g_ptr_array_index(topo->links, i);
}

SimTopoCmd *sim_topo_cmd(const SimTopo *topo, guint i)
{
    g_return_val_if_fail(i < topo->cmds->len, NULL);
    return g_ptr_array_index(topo->cmds, i);
}

int sim_topo_node_iface_index(const SimTopoNode *node, const char *name)
{
    for (guint i = 0; i < node->ifaces->len; i++) {
        SimTopoIface *f = g_ptr_array_index(node->ifaces, i);
        if (strcmp(f->name, name) == 0)
            return (int)i;
    }
    return -1;
}

SimTopoIface *sim_topo_node_iface(const SimTopoNode *node, guint i)
{
    g_return_val_if_fail(i < node->ifaces->len, NULL);
    return g_ptr_array_index(node->ifaces, i);
}

const char *sim_topo_node_kind_name(SimTopoNodeKind kind)
{
    switch (kind) {
    case SIM_TOPO_HOST:
        return "host";
    case SIM_TOPO_HUB:
        return "hub";
    case SIM_TOPO_SWITCH:
        return "switch";
    case SIM_TOPO_ROUTER:
        return "router";
    }
    return "node";
}

const char *sim_topo_table_name(SimTopoTable table)
{
    switch (table) {
    case SIM_TOPO_TABLE_MAC:
        return "mac";
    case SIM_TOPO_TABLE_ARP:
        return "arp";
    case SIM_TOPO_TABLE_ROUTE:
        return "route";
    case SIM_TOPO_TABLE_INTERFACES:
        return "interfaces";
    case SIM_TOPO_TABLE_ROUTE_CACHE:
        return "route cache";
    case SIM_TOPO_TABLE_VLAN:
        return "vlan";
    case SIM_TOPO_TABLE_SOCKETS:
        return "sockets";
    case SIM_TOPO_TABLE_NAT:
        return "nat";
    case SIM_TOPO_TABLE_DHCP:
        return "dhcp";
    case SIM_TOPO_TABLE_STP:
        return "spanning-tree";
    case SIM_TOPO_TABLE_DNS_CACHE:
        return "dns-cache";
    case SIM_TOPO_TABLE_ZONE:
        return "zone";
    }
    return "?";
}

bool sim_topo_node_has_ifaces(SimTopoNodeKind kind)
{
    return kind == SIM_TOPO_HOST || kind == SIM_TOPO_ROUTER;
}

char *sim_topo_endpoint_format(const SimTopo *topo, const SimTopoEndpoint *ep)
{
    if (ep->node_index < 0 || (guint)ep->node_index >= topo->nodes->len)
        return ep->sub ? g_strdup_printf("%s.%s", ep->node, ep->sub) : g_strdup(ep->node);
    SimTopoNode *n = g_ptr_array_index(topo->nodes, ep->node_index);
    if (ep->iface_index >= 0 && (guint)ep->iface_index < n->ifaces->len) {
        SimTopoIface *f = g_ptr_array_index(n->ifaces, ep->iface_index);
        return g_strdup_printf("%s.%s", n->name, f->name);
    }
    if (ep->port > 0)
        return g_strdup_printf("%s.%u", n->name, ep->port);
    return g_strdup(n->name);
}
