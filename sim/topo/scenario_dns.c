/* scenario_dns.c - DNS apps from the topology; see scenario_dns.h. */
#include "sim/topo/scenario_dns.h"

#include "sim/apps/dns_server.h"
#include "sim/apps/dns_stub.h"
#include "sim/topo/scenario.h"

struct _SimScenarioDns {
    SimScenarioDhcp *dhcp;  /* borrowed */
    GHashTable *servers;    /* SimNode* -> SimDnsServer* (borrowed) */
    GHashTable *stubs;      /* SimNode* -> SimDnsStub* (borrowed) */
    GHashTable *configured; /* SimNode* -> GUINT_TO_POINTER(`dns` address) */
    GPtrArray *calls;       /* Call*, owned: a lookup may never finish */
};

typedef struct {
    SimScenarioDnsFn fn;
    void *user;
} Call;

SimScenarioDns *sim_scenario_dns_new(SimScenarioDhcp *dhcp)
{
    SimScenarioDns *d = g_new0(SimScenarioDns, 1);
    d->dhcp = dhcp;
    d->servers = g_hash_table_new(g_direct_hash, g_direct_equal);
    d->stubs = g_hash_table_new(g_direct_hash, g_direct_equal);
    d->configured = g_hash_table_new(g_direct_hash, g_direct_equal);
    d->calls = g_ptr_array_new_with_free_func(g_free);
    return d;
}

void sim_scenario_dns_free(SimScenarioDns *d)
{
    if (!d)
        return;
    g_hash_table_destroy(d->servers);
    g_hash_table_destroy(d->stubs);
    g_hash_table_destroy(d->configured);
    g_ptr_array_free(d->calls, TRUE);
    g_free(d);
}

static gboolean fail(GError **error, const SimTopoPos *pos, const char *what, const char *msg)
{
    g_set_error(error, SIM_SCENARIO_ERROR, 0, "%s:%u:%u: error: %s: %s", pos->file, pos->line,
                pos->col, what, msg);
    return FALSE;
}

gboolean sim_scenario_dns_node(SimScenarioDns *d, const SimTopoNode *tn, SimNode *n, GError **error)
{
    const SimTopoDns *td = tn->dns;
    if (!td)
        return TRUE;
    if (td->has_server)
        g_hash_table_insert(d->configured, n, GUINT_TO_POINTER(td->server));
    guint nz = td->zone_files ? td->zone_files->len : 0;
    if (nz == 0 && td->mode == SIM_TOPO_DNS_NONE)
        return TRUE;
    g_autoptr(GError) err = NULL;
    const SimTopoPos *pos = nz ? &g_array_index(td->zone_pos, SimTopoPos, 0) : &td->mode_pos;
    SimDnsServer *s = sim_dns_server_start(n, &err);
    if (!s)
        return fail(error, pos, "dns server", err->message);
    g_hash_table_insert(d->servers, n, s);
    for (guint i = 0; i < nz; i++) {
        pos = &g_array_index(td->zone_pos, SimTopoPos, i);
        SimDnsZone *z = sim_dns_zone_load(g_ptr_array_index(td->zone_files, i), &err);
        if (!z) /* validation loaded it already; the file changed since */
            return fail(error, pos, "dns-zone", err->message);
        if (!sim_dns_server_add_zone(s, z, &err))
            return fail(error, pos, "dns-zone", err->message);
    }
    if (td->mode != SIM_TOPO_DNS_NONE)
        sim_dns_server_set_mode(
            s, td->mode == SIM_TOPO_DNS_RECURSIVE ? SIM_DNS_RECURSIVE : SIM_DNS_FORWARD,
            td->upstream, td->n_upstream);
    return TRUE;
}

static SimDnsStub *stub_of(SimScenarioDns *d, SimNode *n)
{
    SimDnsStub *r = g_hash_table_lookup(d->stubs, n);
    if (!r && (r = sim_dns_stub_new(n, NULL)))
        g_hash_table_insert(d->stubs, n, r);
    if (!r)
        return NULL;
    SimIpv4 server = GPOINTER_TO_UINT(g_hash_table_lookup(d->configured, n));
    sim_dns_stub_set_server(r, server ? server : sim_scenario_dhcp_dns(d->dhcp, n));
    return r;
}

static void on_done(void *user, const char *name, SimIpv4 addr, const char *error)
{
    Call *c = user;
    c->fn(c->user, name, addr, error);
}

void sim_scenario_dns_resolve(SimScenarioDns *d, SimNode *n, const char *name, SimScenarioDnsFn fn,
                              void *user)
{
    SimDnsStub *r = stub_of(d, n);
    if (!r) {
        fn(user, name, 0, "Temporary failure in name resolution");
        return;
    }
    Call *c = g_new0(Call, 1);
    c->fn = fn;
    c->user = user;
    g_ptr_array_add(d->calls, c);
    sim_dns_stub_resolve(r, name, on_done, c);
}

gboolean sim_scenario_dns_show(SimScenarioDns *d, SimNode *n, SimTopoTable table, GString *out)
{
    SimDnsServer *s = g_hash_table_lookup(d->servers, n);
    if (table == SIM_TOPO_TABLE_ZONE)
        return s && sim_dns_server_show_zones(s, out);
    if (s && sim_dns_server_show_cache(s, out))
        return TRUE;
    SimDnsStub *r = stub_of(d, n);
    if (!r)
        return FALSE;
    sim_dns_stub_show(r, out);
    return TRUE;
}
