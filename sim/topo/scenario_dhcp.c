/* scenario_dhcp.c - DHCP apps from the topology; see scenario_dhcp.h. */
#include "sim/topo/scenario_dhcp.h"

#include "sim/apps/dhcp_client.h"
#include "sim/apps/dhcp_relay.h"
#include "sim/apps/dhcp_server.h"
#include "sim/link/iface.h"
#include "sim/topo/scenario.h"

struct _SimScenarioDhcp {
    GHashTable *servers; /* SimNode* -> SimDhcpServer* (borrowed) */
    GHashTable *clients; /* SimNode* -> GPtrArray of SimDhcpClient* (borrowed) */
};

SimScenarioDhcp *sim_scenario_dhcp_new(void)
{
    SimScenarioDhcp *d = g_new0(SimScenarioDhcp, 1);
    d->servers = g_hash_table_new(g_direct_hash, g_direct_equal);
    d->clients = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                       (GDestroyNotify)g_ptr_array_unref);
    return d;
}

void sim_scenario_dhcp_free(SimScenarioDhcp *d)
{
    if (!d)
        return;
    g_hash_table_destroy(d->servers);
    g_hash_table_destroy(d->clients);
    g_free(d);
}

static gboolean fail(GError **error, const SimTopoPos *pos, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);
static gboolean fail(GError **error, const SimTopoPos *pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(error, SIM_SCENARIO_ERROR, 0, "%s:%u:%u: error: %s", pos->file, pos->line, pos->col,
                msg);
    return FALSE;
}

static gboolean start_server(SimScenarioDhcp *d, const SimTopoDhcpServer *ts, SimNode *n,
                             GError **error)
{
    SimIface *ifc = sim_node_find_iface(n, ts->iface);
    const GArray *addrs = ifc ? sim_ip_iface_addresses(ifc) : NULL;
    if (!addrs || addrs->len == 0)
        return fail(error, &ts->pos, "dhcp-server: '%s' has no interface '%s' with an address",
                    sim_node_name(n), ts->iface);
    const SimPrefix *own = &g_array_index(addrs, SimPrefix, 0);
    bool local = ((ts->first ^ own->addr) & sim_ipv4_mask(own->len)) == 0;
    if (!local && (!ts->mask || !ts->has_router))
        return fail(error, &ts->pos,
                    "dhcp-server: a pool outside %s's subnet serves relayed clients and needs "
                    "'mask' and 'router'",
                    ts->iface);
    SimDhcpPool p = {.first = ts->first,
                     .last = ts->last,
                     .mask = ts->mask ? ts->mask : sim_ipv4_mask(own->len),
                     .router = ts->has_router ? ts->router : own->addr,
                     .dns = ts->dns,
                     .lease = (uint32_t)MIN(ts->lease / SIM_SEC, G_MAXUINT32 - 1)};
    g_strlcpy(p.domain, ts->domain ? ts->domain : "", sizeof p.domain);
    g_autoptr(GError) err = NULL;
    SimDhcpServer *s = g_hash_table_lookup(d->servers, n);
    if (!s && !(s = sim_dhcp_server_start(n, ifc, &err)))
        return fail(error, &ts->pos, "dhcp-server: %s", err->message);
    if (!sim_dhcp_server_add_pool(s, &p, &err))
        return fail(error, &ts->pos, "dhcp-server: %s", err->message);
    for (guint i = 0; i < ts->statics->len; i++) {
        const SimTopoDhcpStatic *st = &g_array_index(ts->statics, SimTopoDhcpStatic, i);
        sim_dhcp_server_add_static(s, &st->mac, st->addr);
    }
    g_hash_table_insert(d->servers, n, s);
    return TRUE;
}

static gboolean start_relays(const SimTopoNode *tn, SimNode *n, GError **error)
{
    SimDhcpRelay *r = NULL;
    for (guint i = 0; tn->dhcp_relays && i < tn->dhcp_relays->len; i++) {
        const SimTopoDhcpRelay *tr = g_ptr_array_index(tn->dhcp_relays, i);
        g_autoptr(GError) err = NULL;
        SimIface *ifc = sim_node_find_iface(n, tr->iface);
        if (!ifc)
            return fail(error, &tr->pos, "dhcp-relay: '%s' has no interface '%s'", tn->name,
                        tr->iface);
        if (!r && !(r = sim_dhcp_relay_new(n, &err)))
            return fail(error, &tr->pos, "dhcp-relay: %s (a node relays or serves, not both)",
                        err->message);
        if (!sim_dhcp_relay_add(r, ifc, tr->server, &err))
            return fail(error, &tr->pos, "dhcp-relay: %s", err->message);
    }
    return TRUE;
}

gboolean sim_scenario_dhcp_node(SimScenarioDhcp *d, const SimTopoNode *tn, SimNode *n,
                                GError **error)
{
    if (!start_relays(tn, n, error))
        return FALSE;
    for (guint i = 0; tn->dhcp_servers && i < tn->dhcp_servers->len; i++)
        if (!start_server(d, g_ptr_array_index(tn->dhcp_servers, i), n, error))
            return FALSE;
    for (guint i = 0; i < tn->ifaces->len; i++) {
        const SimTopoIface *ti = g_ptr_array_index(tn->ifaces, i);
        if (!ti->dhcp)
            continue;
        if (ti->has_ip)
            return fail(error, &ti->dhcp_pos, "'%s' of '%s' has both an address and dhcp", ti->name,
                        tn->name);
        g_autoptr(GError) err = NULL;
        SimDhcpClient *c = sim_dhcp_client_start(n, sim_node_find_iface(n, ti->name), &err);
        if (!c)
            return fail(error, &ti->dhcp_pos, "dhcp: %s", err->message);
        GPtrArray *list = g_hash_table_lookup(d->clients, n);
        if (!list) {
            list = g_ptr_array_new();
            g_hash_table_insert(d->clients, n, list);
        }
        g_ptr_array_add(list, c);
    }
    return TRUE;
}

gboolean sim_scenario_dhcp_show(SimScenarioDhcp *d, SimNode *n, GString *out)
{
    SimDhcpServer *s = g_hash_table_lookup(d->servers, n);
    GPtrArray *list = g_hash_table_lookup(d->clients, n);
    if (s)
        sim_dhcp_server_show(s, out);
    for (guint i = 0; list && i < list->len; i++)
        sim_dhcp_client_show(g_ptr_array_index(list, i), out);
    return s || list;
}

void sim_scenario_dhcp_release(SimScenarioDhcp *d, SimNode *n)
{
    GPtrArray *list = g_hash_table_lookup(d->clients, n);
    for (guint i = 0; list && i < list->len; i++)
        sim_dhcp_client_release(g_ptr_array_index(list, i));
}

void sim_scenario_dhcp_reboot(SimScenarioDhcp *d, SimNode *n)
{
    GPtrArray *list = g_hash_table_lookup(d->clients, n);
    for (guint i = 0; list && i < list->len; i++)
        sim_dhcp_client_reboot(g_ptr_array_index(list, i));
}

SimIpv4 sim_scenario_dhcp_dns(SimScenarioDhcp *d, SimNode *n)
{
    GPtrArray *list = g_hash_table_lookup(d->clients, n);
    for (guint i = 0; list && i < list->len; i++)
        if (sim_dhcp_client_dns(g_ptr_array_index(list, i)))
            return sim_dhcp_client_dns(g_ptr_array_index(list, i));
    return 0;
}
