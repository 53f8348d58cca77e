/* scenario.c - builds a world from a validated topology; see scenario.h. */
#include "sim/topo/scenario.h"

#include "sim/apps/bulk.h"
#include "sim/apps/chatbot.h"
#include "sim/apps/hello.h"
#include "sim/apps/ping.h"
#include "sim/apps/traceroute.h"
#include "sim/apps/upload.h"
#include "sim/l2/hub.h"
#include "sim/l2/port_table.h"
#include "sim/l2/switch.h"
#include "sim/l2/vlan.h"
#include "sim/l3/ipstack.h"
#include "sim/l3/l3switch.h"
#include "sim/l3/nat.h"
#include "sim/l3/node_ip.h"
#include "sim/l4/tcp.h"
#include "sim/link/iface.h"
#include "sim/link/link.h"
#include "sim/link/node.h"
#include "sim/topo/scenario_dhcp.h"
#include "sim/topo/scenario_dns.h"

struct _SimScenario {
    SimTopo *topo;
    SimWorld *world;
    GPtrArray *nodes; /* SimNode* by topo node index, borrowed from the world */
    GPtrArray *links; /* SimLink* by topo link index */
    SimTime last_cmd;
    char *files_out; /* --files-out; NULL: uploads are verified, not written */
    bool overwrite;
    SimScenarioDhcp *dhcp;
    SimScenarioDns *dns;
    GPtrArray *lookups; /* Lookup*, owned: commands waiting for a DNS answer */
};

// clang-format off
G_DEFINE_QUARK(sim-scenario-error-quark, sim_scenario_error)
// clang-format on

static gboolean fail_at(GError **error, const SimTopoPos *pos, const char *what,
                        const GError *cause)
{
    g_set_error(error, SIM_SCENARIO_ERROR, 0, "%s:%u:%u: error: %s: %s", pos->file, pos->line,
                pos->col, what, cause ? cause->message : "rejected");
    return FALSE;
}

/* Static routes and the default gateway of a host, router or L3 switch. */
static gboolean build_routes(SimNode *n, const SimTopoNode *tn, GError **error)
{
    g_autoptr(GError) err = NULL;
    if (tn->has_gateway && !sim_ip_set_gateway(n, tn->gateway, &err))
        return fail_at(error, &tn->gateway_pos, "gateway", err);
    for (guint i = 0; i < tn->routes->len; i++) {
        const SimTopoRoute *r = g_ptr_array_index(tn->routes, i);
        SimIface *dev =
            r->dev_index >= 0
                ? sim_node_find_iface(n, sim_topo_node_iface(tn, (guint)r->dev_index)->name)
                : NULL;
        if (r->dev && dev == NULL)
            dev = sim_node_find_iface(n, r->dev);
        if (!sim_ip_add_route(n, &r->dst, r->has_via ? r->via : 0, dev, r->metric, &err))
            return fail_at(error, &r->pos, "route", err);
    }
    return TRUE;
}

/* nat and forward lines (validated: both interfaces are addressed). */
static gboolean build_nat(SimNode *n, const SimTopoNode *tn, GError **error)
{
    if (tn->drop_private)
        sim_ip_set_drop_private(sim_ip_stack(n), true);
    const SimTopoNat *tnat = tn->nat;
    if (!tnat)
        return TRUE;
    SimNatConfig cfg = {.capacity = tnat->capacity};
    if (tnat->has_pool) {
        cfg.pool_lo = sim_prefix_network(&tnat->pool);
        cfg.pool_hi = cfg.pool_lo | (tnat->pool.len ? 0xffffffffu >> tnat->pool.len : ~0u);
    }
    g_autoptr(GError) err = NULL;
    if (!sim_nat_enable(n, sim_node_iface(n, (guint)tnat->inside_index),
                        sim_node_iface(n, (guint)tnat->outside_index), &cfg, &err))
        return fail_at(error, &tnat->pos, "nat", err);
    for (guint i = 0; i < tnat->forwards->len; i++) {
        const SimTopoForward *f = &g_array_index(tnat->forwards, SimTopoForward, i);
        if (!sim_nat_add_forward(n, f->proto, f->outside_port, f->addr, f->inside_port, &err))
            return fail_at(error, &f->pos, "forward", err);
    }
    return TRUE;
}

/* The bridge address of the switch that is device `index` (0-based) of
 * the file: 02:b0:00:00:HH:LL, HHLL = index + 1 (docs/topology-language.md). */
static void build_stp(SimNode *n, const SimTopoNode *tn, guint index)
{
    SimStpConfig cfg;
    sim_stp_config_default(&cfg);
    cfg.mode = tn->stp == SIM_TOPO_STP_RSTP ? SIM_STP_RSTP : SIM_STP_IEEE;
    cfg.priority = (uint16_t)tn->stp_priority;
    if (tn->stp_hello)
        cfg.hello = tn->stp_hello;
    if (tn->stp_max_age)
        cfg.max_age = tn->stp_max_age;
    if (tn->stp_fwd_delay)
        cfg.forward_delay = tn->stp_fwd_delay;
    cfg.mac = sim_mac_from_u64(0x02b000000000ULL | (index + 1));
    SimStp *stp = sim_switch_enable_stp(n, &cfg);
    for (guint i = 0; i < tn->stp_ports->len; i++) {
        const SimTopoStpPort *sp = &g_array_index(tn->stp_ports, SimTopoStpPort, i);
        for (uint32_t port = sp->first; port <= sp->last; port++) {
            if (sp->cost)
                sim_stp_set_port_cost(stp, port - 1, sp->cost);
            if (sp->edge)
                sim_stp_set_port_edge(stp, port - 1, true);
        }
    }
}

static gboolean build_ip_node(SimScenario *sc, const SimTopoNode *tn, GError **error)
{
    SimWorld *w = sc->world;
    SimNode *n =
        tn->kind == SIM_TOPO_ROUTER ? sim_router_new(w, tn->name) : sim_host_new(w, tn->name);
    g_ptr_array_add(sc->nodes, n);
    sim_tcp_attach(n); /* every IP node has TCP: a SYN to a closed port draws a RST */
    for (guint i = 0; i < tn->ifaces->len; i++) {
        const SimTopoIface *ti = g_ptr_array_index(tn->ifaces, i);
        SimIface *ifc = sim_ip_add_iface(n, ti->name, ti->has_mac ? &ti->mac : NULL);
        if (ti->parent >= 0) /* after its parent, as the file declares it */
            sim_iface_set_vlan_lower(
                ifc, sim_node_find_iface(n, sim_topo_node_iface(tn, (guint)ti->parent)->name),
                ti->vid);
        g_autoptr(GError) err = NULL;
        if (ti->has_ip && !sim_ip_add_address(n, ifc, &ti->ip, &err))
            return fail_at(error, &ti->ip_pos, "address", err);
    }
    if (!build_routes(n, tn, error))
        return FALSE;
    return build_nat(n, tn, error);
}

/* Ports, VLAN names and, on an L3 switch, SVIs and routes. */
static gboolean build_vlans(SimNode *n, const SimTopoNode *tn, GError **error)
{
    SimVlanPorts *vp = sim_switch_vlan(n);
    for (guint i = 0; i < tn->vlans->len; i++) {
        const SimTopoVlan *v = g_ptr_array_index(tn->vlans, i);
        sim_vlan_declare(vp, v->vid, v->name);
    }
    for (guint i = 0; i < tn->port_cfgs->len; i++) {
        const SimTopoPortCfg *c = g_ptr_array_index(tn->port_cfgs, i);
        for (guint32 p = c->first; p <= c->last; p++) {
            if (c->trunk)
                sim_vlan_set_trunk(vp, p - 1, c->allowed, c->native);
            else
                sim_vlan_set_access(vp, p - 1, c->access);
        }
    }
    for (guint i = 0; i < tn->ifaces->len; i++) {
        const SimTopoIface *ti = g_ptr_array_index(tn->ifaces, i);
        g_autoptr(GError) err = NULL;
        if (!sim_l3switch_add_svi(n, ti->vid, ti->has_ip ? &ti->ip : NULL,
                                  ti->has_mac ? &ti->mac : NULL, &err))
            return fail_at(error, &ti->vid_pos, "SVI", err);
    }
    return tn->l3 ? build_routes(n, tn, error) : TRUE;
}

static gboolean build_l2_node(SimScenario *sc, const SimTopoNode *tn, GError **error)
{
    SimNode *n;
    if (tn->kind == SIM_TOPO_HUB) {
        n = sim_hub_new(sc->world, tn->name, tn->ports);
    } else {
        SimSwitchConfig cfg;
        sim_switch_config_default(&cfg);
        cfg.aging = tn->aging;
        cfg.table_capacity = tn->mac_table;
        n = tn->l3 ? sim_l3switch_new(sc->world, tn->name, tn->ports, &cfg)
                   : sim_switch_new(sc->world, tn->name, tn->ports, &cfg);
        if (tn->stp != SIM_TOPO_STP_OFF)
            build_stp(n, tn, sc->nodes->len);
    }
    g_ptr_array_add(sc->nodes, n);
    return tn->kind == SIM_TOPO_HUB || build_vlans(n, tn, error);
}

/* The interface an endpoint names: a host/router interface by its index in
 * the declaration, or switch/hub port p (ports are created 1..N in order). */
static SimIface *endpoint_iface(SimScenario *sc, const SimTopoEndpoint *ep)
{
    SimNode *n = g_ptr_array_index(sc->nodes, ep->node_index);
    if (ep->iface_index >= 0) {
        const SimTopoNode *tn = sim_topo_node(sc->topo, (guint)ep->node_index);
        const SimTopoIface *ti = sim_topo_node_iface(tn, (guint)ep->iface_index);
        return sim_node_find_iface(n, ti->name);
    }
    SimIface *ifc = sim_node_iface(n, ep->port - 1);
    g_assert(ifc != NULL);
    return ifc;
}

static void build_links(SimScenario *sc)
{
    for (guint i = 0; i < sc->topo->links->len; i++) {
        const SimTopoLink *tl = sim_topo_link(sc->topo, i);
        SimLinkParams p = {
            .rate_bps = tl->params.rate_bps,
            .delay = tl->params.delay,
            .queue_limit = tl->params.queue,
            .loss = tl->params.loss,
            .mtu = tl->params.mtu,
        };
        SimLink *l =
            sim_link_new(sc->world, endpoint_iface(sc, &tl->a), endpoint_iface(sc, &tl->b), &p);
        g_ptr_array_add(sc->links, l);
    }
}

gboolean sim_scenario_show(SimScenario *sc, SimNode *node, SimTopoTable table, GString *out)
{
    return sim_scenario_show_style(sc, node, table, false, out);
}

gboolean sim_scenario_show_style(SimScenario *sc, SimNode *node, SimTopoTable table, bool cisco,
                                 GString *out)
{
    SimNodeKind kind = sim_node_kind(node);
    bool ip = sim_ip_stack(node) != NULL;
    bool sw = kind == SIM_NODE_SWITCH || kind == SIM_NODE_L3SWITCH;
    if (table == SIM_TOPO_TABLE_ROUTE && cisco && ip) {
        sim_ip_show_route_cisco(node, out);
        return TRUE;
    }
    if (table == SIM_TOPO_TABLE_INTERFACES && (kind == SIM_NODE_SWITCH || kind == SIM_NODE_HUB)) {
        sim_port_table_format(node, out);
        return TRUE;
    }
    switch (table) {
    case SIM_TOPO_TABLE_VLAN:
        if (!sw)
            return FALSE;
        {
            g_autofree char *t = sim_switch_format_vlan(node);
            g_string_append(out, t);
        }
        return TRUE;
    case SIM_TOPO_TABLE_MAC:
        if (!sw)
            return FALSE;
        {
            g_autofree char *t = sim_switch_format_mac_table(node);
            g_string_append(out, t);
        }
        return TRUE;
    case SIM_TOPO_TABLE_ARP:
        if (!ip)
            return FALSE;
        sim_ip_show_arp(node, out);
        return TRUE;
    case SIM_TOPO_TABLE_ROUTE:
        if (!ip)
            return FALSE;
        sim_ip_show_route(node, out);
        return TRUE;
    case SIM_TOPO_TABLE_ROUTE_CACHE:
        if (!ip)
            return FALSE;
        sim_ip_show_route_cache(node, out);
        return TRUE;
    case SIM_TOPO_TABLE_INTERFACES:
        if (!ip)
            return FALSE;
        sim_ip_show_interfaces(node, out);
        return TRUE;
    case SIM_TOPO_TABLE_SOCKETS:
        if (!sim_tcp_of(node))
            return FALSE;
        sim_tcp_show(sim_tcp_of(node), out);
        return TRUE;
    case SIM_TOPO_TABLE_NAT:
        return sim_nat_show(node, out);
    case SIM_TOPO_TABLE_DHCP:
        return sim_scenario_dhcp_show(sc->dhcp, node, out);
    case SIM_TOPO_TABLE_STP:
        if (!sim_switch_stp(node))
            return FALSE;
        sim_stp_show(sim_switch_stp(node), out);
        return TRUE;
    case SIM_TOPO_TABLE_DNS_CACHE:
    case SIM_TOPO_TABLE_ZONE:
        return ip && sim_scenario_dns_show(sc->dns, node, table, out);
    }
    return FALSE;
}

static void run_show(SimScenario *sc, const SimTopoCmd *c)
{
    SimNode *n = g_ptr_array_index(sc->nodes, c->node_index);
    g_autoptr(GString) s = g_string_new(NULL);
    g_string_append_printf(s, "%s# show %s %s%s\n", c->node, c->node, sim_topo_table_name(c->table),
                           c->cisco ? " cisco" : "");
    if (!sim_scenario_show_style(sc, n, c->table, c->cisco, s))
        g_string_append_printf(s, "(%s has no %s table)\n", c->node, sim_topo_table_name(c->table));
    if (s->len && s->str[s->len - 1] == '\n')
        g_string_truncate(s, s->len - 1);
    SIM_TRACE(sc->world, SIM_TR_SHOW, SIM_DROP_NONE, c->node, NULL, NULL, "%s", s->str);
}

static void run_clear(SimScenario *sc, const SimTopoCmd *c)
{
    SimNode *n = g_ptr_array_index(sc->nodes, c->node_index);
    if (c->table == SIM_TOPO_TABLE_MAC && sim_switch_fdb(n))
        sim_switch_clear_mac(n, false);
    else if (c->table == SIM_TOPO_TABLE_ARP && sim_ip_stack(n))
        sim_ip_clear_arp(n);
    SIM_TRACE(sc->world, SIM_TR_INFO, SIM_DROP_NONE, c->node, NULL, NULL, "clear %s %s", c->node,
              sim_topo_table_name(c->table));
}

/* A command the model refuses at run time (e.g. ping from a switch, which
 * validation should already prevent) is reported in the trace, not fatal. */
static void cmd_failed(SimScenario *sc, const SimTopoCmd *c, const GError *err)
{
    SIM_TRACE(sc->world, SIM_TR_APP, SIM_DROP_NONE, c->node, NULL, NULL, "%s:%u:%u: %s",
              c->pos.file, c->pos.line, c->pos.col, err ? err->message : "failed");
    sim_world_set_failed(sc->world);
}

static void start_ping(SimScenario *sc, const SimTopoCmd *c, SimIpv4 dst)
{
    SimPingOpts o;
    sim_ping_opts_default(&o);
    o.count = c->ping.count;
    o.interval = c->ping.interval;
    o.size = c->ping.size;
    o.ttl = (uint8_t)c->ping.ttl;
    o.timeout = c->ping.timeout;
    if (c->ping.pmtudisc)
        o.pmtudisc = (SimIpPmtuDisc)c->ping.pmtudisc;
    o.name = c->resolve ? c->target_name : NULL;
    g_autoptr(GError) err = NULL;
    if (!sim_ping_start(g_ptr_array_index(sc->nodes, c->node_index), dst, &o, &err))
        cmd_failed(sc, c, err);
}

static void start_traceroute(SimScenario *sc, const SimTopoCmd *c, SimIpv4 dst)
{
    SimTracerouteOpts o;
    sim_traceroute_opts_default(&o);
    o.icmp = c->trace.icmp;
    o.max_hops = c->trace.max_hops;
    o.nqueries = c->trace.probes;
    o.name = c->resolve ? c->target_name : NULL;
    g_autoptr(GError) err = NULL;
    if (!sim_traceroute_start(g_ptr_array_index(sc->nodes, c->node_index), dst, &o, &err))
        cmd_failed(sc, c, err);
}

/* upload: the file is read when the command runs. */
static gboolean start_upload(SimNode *n, const SimTopoCmd *c, SimIpv4 dst, GError **err)
{
    gchar *buf;
    gsize len;
    if (!g_file_get_contents(c->text, &buf, &len, err))
        return FALSE;
    g_autoptr(GBytes) data = g_bytes_new_take(buf, len);
    g_autofree char *base = g_path_get_basename(c->text);
    return sim_upload_start(n, dst, (uint16_t)c->xfer.port, c->as_name ? c->as_name : base, data,
                            err);
}

/* tcp-send, udp-send and service. */
static void start_xfer(SimScenario *sc, const SimTopoCmd *c, SimIpv4 dst)
{
    SimNode *n = g_ptr_array_index(sc->nodes, c->node_index);
    SimBulkOpts o;
    sim_bulk_opts_default(&o);
    o.sndbuf = c->xfer.sndbuf;
    o.rcvbuf = c->xfer.rcvbuf;
    o.nodelay = c->xfer.nodelay;
    o.noread = c->xfer.noread;
    if (c->xfer.dgram)
        o.dgram = c->xfer.dgram;
    if (c->xfer.rate_bps)
        o.rate_bps = c->xfer.rate_bps;
    uint16_t port = (uint16_t)c->xfer.port;
    g_autoptr(GError) err = NULL;
    gboolean ok;
    if (c->kind == SIM_TOPO_CMD_SERVICE && c->service == SIM_TOPO_SVC_HELLO)
        ok = sim_hello_start(n, port, &err);
    else if (c->kind == SIM_TOPO_CMD_SERVICE && c->service == SIM_TOPO_SVC_CHATBOT)
        ok = sim_chatbot_start(n, port, c->text, &err);
    else if (c->kind == SIM_TOPO_CMD_SERVICE && c->service == SIM_TOPO_SVC_UPLOAD)
        ok = sim_upload_service_start(
            n, port, &(SimUploadOut){.dir = sc->files_out, .overwrite = sc->overwrite}, &err);
    else if (c->kind == SIM_TOPO_CMD_SERVICE)
        ok = sim_discard_start(n, !c->xfer.udp, port, &o, &err);
    else if (c->kind == SIM_TOPO_CMD_UPLOAD)
        ok = start_upload(n, c, dst, &err);
    else if (c->kind == SIM_TOPO_CMD_CHAT)
        ok = sim_chat_start(n, dst, port, (const char *const *)c->lines, c->every, &err);
    else if (c->kind == SIM_TOPO_CMD_SEND)
        ok = sim_hello_send(n, dst, port, (const uint8_t *)c->text, c->text_len, &err);
    else if (c->kind == SIM_TOPO_CMD_TCP_SEND)
        ok = sim_bulk_tcp_start(n, dst, port, c->xfer.bytes, &o, &err);
    else
        ok = sim_bulk_udp_start(n, dst, port, c->xfer.bytes, &o, &err);
    if (!ok)
        cmd_failed(sc, c, err);
}

/* Starts a command that has a target once it is an address. */
static void start_at(SimScenario *sc, const SimTopoCmd *c, SimIpv4 dst)
{
    if (c->kind == SIM_TOPO_CMD_PING)
        start_ping(sc, c, dst);
    else if (c->kind == SIM_TOPO_CMD_TRACEROUTE)
        start_traceroute(sc, c, dst);
    else
        start_xfer(sc, c, dst);
}

typedef struct {
    SimScenario *sc;
    const SimTopoCmd *c;
} Lookup;

/* The stub resolver's answer for a command's DNS name. A failed lookup is
 * the command's output, as ping prints it ("ping: NAME: Name or service not
 * known"); a transfer that cannot start also fails the run, as a refused
 * connection does. */
static void on_resolved(void *user, const char *name, SimIpv4 addr, const char *error)
{
    Lookup *l = user;
    if (!error) {
        start_at(l->sc, l->c, addr);
        return;
    }
    const char *verb = l->c->kind == SIM_TOPO_CMD_PING         ? "ping"
                       : l->c->kind == SIM_TOPO_CMD_TRACEROUTE ? "traceroute"
                                                               : NULL;
    if (verb) {
        SIM_TRACE(l->sc->world, SIM_TR_APP, SIM_DROP_NONE, l->c->node, NULL, NULL, "%s: %s: %s",
                  verb, name, error);
        return;
    }
    g_autoptr(GError) err = g_error_new(SIM_SCENARIO_ERROR, 0, "%s: %s", name, error);
    cmd_failed(l->sc, l->c, err);
}

static void run_target(SimScenario *sc, const SimTopoCmd *c)
{
    if (!c->resolve) {
        start_at(sc, c, c->target);
        return;
    }
    Lookup *l = g_new(Lookup, 1);
    *l = (Lookup){sc, c};
    g_ptr_array_add(sc->lookups, l);
    sim_scenario_dns_resolve(sc->dns, g_ptr_array_index(sc->nodes, c->node_index), c->target_name,
                             on_resolved, l);
}

static void run_cmd(void *ctx, void *arg)
{
    SimScenario *sc = ctx;
    const SimTopoCmd *c = arg;
    switch (c->kind) {
    case SIM_TOPO_CMD_PING:
    case SIM_TOPO_CMD_TRACEROUTE:
        run_target(sc, c);
        break;
    case SIM_TOPO_CMD_SHOW:
        run_show(sc, c);
        break;
    case SIM_TOPO_CMD_LINK:
        sim_link_set_up(g_ptr_array_index(sc->links, c->link_index), c->up);
        break;
    case SIM_TOPO_CMD_CLEAR:
        run_clear(sc, c);
        break;
    case SIM_TOPO_CMD_TCP_SEND:
    case SIM_TOPO_CMD_UDP_SEND:
    case SIM_TOPO_CMD_SERVICE:
    case SIM_TOPO_CMD_SEND:
    case SIM_TOPO_CMD_CHAT:
    case SIM_TOPO_CMD_UPLOAD:
        run_target(sc, c);
        break;
    case SIM_TOPO_CMD_DHCP:
        if (c->dhcp_reboot)
            sim_scenario_dhcp_reboot(sc->dhcp, g_ptr_array_index(sc->nodes, c->node_index));
        else
            sim_scenario_dhcp_release(sc->dhcp, g_ptr_array_index(sc->nodes, c->node_index));
        break;
    }
}

SimScenario *sim_scenario_new(SimTopo *topo, uint64_t seed, GError **error)
{
    g_assert(topo->validated);
    SimScenario *sc = g_new0(SimScenario, 1);
    sc->topo = topo;
    sc->world = sim_world_new(seed);
    sc->nodes = g_ptr_array_new();
    sc->links = g_ptr_array_new();
    for (guint i = 0; i < topo->nodes->len; i++) {
        const SimTopoNode *tn = sim_topo_node(topo, i);
        if (sim_topo_node_has_ifaces(tn->kind)) {
            if (!build_ip_node(sc, tn, error)) {
                sim_scenario_free(sc);
                return NULL;
            }
        } else if (!build_l2_node(sc, tn, error)) {
            sim_scenario_free(sc);
            return NULL;
        }
    }
    build_links(sc);
    sc->dhcp = sim_scenario_dhcp_new();
    sc->dns = sim_scenario_dns_new(sc->dhcp);
    sc->lookups = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < topo->nodes->len; i++) {
        const SimTopoNode *tn = sim_topo_node(topo, i);
        if (sim_topo_node_has_ifaces(tn->kind) &&
            (!sim_scenario_dhcp_node(sc->dhcp, tn, g_ptr_array_index(sc->nodes, i), error) ||
             !sim_scenario_dns_node(sc->dns, tn, g_ptr_array_index(sc->nodes, i), error))) {
            sim_scenario_free(sc);
            return NULL;
        }
    }
    for (guint i = 0; i < topo->cmds->len; i++) {
        SimTopoCmd *c = sim_topo_cmd(topo, i);
        sim_world_schedule_at(sc->world, c->at, run_cmd, sc, c);
        if (c->at > sc->last_cmd)
            sc->last_cmd = c->at;
    }
    return sc;
}

void sim_scenario_free(SimScenario *sc)
{
    if (!sc)
        return;
    /* The world first (its IP stacks own the applications the commands
     * started); its events point at commands in the topo. */
    sim_world_free(sc->world);
    g_free(sc->files_out);
    sim_scenario_dns_free(sc->dns);
    if (sc->lookups)
        g_ptr_array_free(sc->lookups, TRUE);
    sim_scenario_dhcp_free(sc->dhcp);
    g_ptr_array_free(sc->nodes, TRUE);
    g_ptr_array_free(sc->links, TRUE);
    sim_topo_free(sc->topo);
    g_free(sc);
}

SimWorld *sim_scenario_world(const SimScenario *sc)
{
    return sc->world;
}

const SimTopo *sim_scenario_topo(const SimScenario *sc)
{
    return sc->topo;
}

SimTime sim_scenario_last_command(const SimScenario *sc)
{
    return sc->last_cmd;
}

void sim_scenario_set_files_out(SimScenario *sc, const char *dir, bool overwrite)
{
    g_free(sc->files_out);
    sc->files_out = g_strdup(dir);
    sc->overwrite = overwrite;
}
