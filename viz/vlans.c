/* vlans.c - see vlans.h. */
#include "viz/vlans.h"

#include <string.h>

static const char *const palette[] = {"#d62728", "#1f77b4", "#2ca02c", "#9467bd",
                                      "#ff7f0e", "#8c564b", "#e377c2", "#17becf"};

static bool is_vlan_switch(const SimTopoNode *n)
{
    return n->kind == SIM_TOPO_SWITCH && (n->port_cfgs->len > 0 || n->l3);
}

/* The last config naming port p (validation forbids two). */
static const SimTopoPortCfg *port_cfg(const SimTopoNode *n, uint32_t p)
{
    for (guint i = 0; i < n->port_cfgs->len; i++) {
        const SimTopoPortCfg *c = g_ptr_array_index(n->port_cfgs, i);
        if (p >= c->first && p <= c->last)
            return c;
    }
    return NULL;
}

static char *allowed_text(const SimTopoPortCfg *c)
{
    if (!c->allowed)
        return g_strdup("all");
    GString *s = g_string_new(NULL);
    for (guint v = 1; v <= 4094; v++) {
        if (!((c->allowed[v >> 3] >> (v & 7)) & 1))
            continue;
        guint e = v;
        while (e < 4094 && ((c->allowed[(e + 1) >> 3] >> ((e + 1) & 7)) & 1))
            e++;
        g_string_append_printf(s, s->len ? ",%u" : "%u", v);
        if (e > v)
            g_string_append_printf(s, "-%u", e);
        v = e;
    }
    return g_string_free(s, FALSE);
}

SimVizLinkVlan sim_viz_link_vlan(const SimTopo *topo, guint l)
{
    const SimTopoLink *link = sim_topo_link(topo, l);
    SimVizLinkVlan r = {0};
    const SimTopoEndpoint *ends[2] = {&link->a, &link->b};
    for (int k = 0; k < 2; k++) {
        const SimTopoNode *n = sim_topo_node(topo, (guint)ends[k]->node_index);
        if (!is_vlan_switch(n) || ends[k]->port == 0)
            continue;
        const SimTopoPortCfg *c = port_cfg(n, ends[k]->port);
        if (c && c->trunk) {
            sim_viz_link_vlan_clear(&r);
            r = (SimVizLinkVlan){true, true, 0, allowed_text(c)};
            return r;
        }
        r.vlan_switch = true;
        r.vid = c ? c->access : 1;
    }
    return r;
}

void sim_viz_link_vlan_clear(SimVizLinkVlan *v)
{
    g_clear_pointer(&v->allowed, g_free);
}

static void add_vid(GArray *a, uint16_t vid)
{
    for (guint i = 0; i < a->len; i++) {
        if (g_array_index(a, uint16_t, i) == vid)
            return;
    }
    g_array_append_val(a, vid);
}

static gint cmp_u16(gconstpointer a, gconstpointer b)
{
    return (gint) * (const uint16_t *)a - (gint) * (const uint16_t *)b;
}

GArray *sim_viz_vlans(const SimTopo *topo)
{
    GArray *a = g_array_new(FALSE, FALSE, sizeof(uint16_t));
    for (guint i = 0; i < topo->nodes->len; i++) {
        const SimTopoNode *n = sim_topo_node(topo, i);
        if (!is_vlan_switch(n))
            continue;
        for (guint k = 0; k < n->port_cfgs->len; k++) {
            const SimTopoPortCfg *c = g_ptr_array_index(n->port_cfgs, k);
            if (!c->trunk)
                add_vid(a, c->access);
        }
        for (guint k = 0; k < n->vlans->len; k++)
            add_vid(a, ((const SimTopoVlan *)g_ptr_array_index(n->vlans, k))->vid);
    }
    for (guint l = 0; l < topo->links->len; l++) { /* VLAN 1 only where a link is in it */
        SimVizLinkVlan v = sim_viz_link_vlan(topo, l);
        if (v.vlan_switch && !v.trunk)
            add_vid(a, v.vid);
        sim_viz_link_vlan_clear(&v);
    }
    g_array_sort(a, cmp_u16);
    return a;
}

const char *sim_viz_vlan_colour(const GArray *vlans, uint16_t vid)
{
    for (guint i = 0; i < vlans->len; i++) {
        if (g_array_index(vlans, uint16_t, i) == vid)
            return palette[i % G_N_ELEMENTS(palette)];
    }
    return "#555555";
}

const char *sim_viz_vlan_name(const SimTopo *topo, uint16_t vid)
{
    for (guint i = 0; i < topo->nodes->len; i++) {
        const SimTopoNode *n = sim_topo_node(topo, i);
        for (guint k = 0; n->kind == SIM_TOPO_SWITCH && k < n->vlans->len; k++) {
            const SimTopoVlan *v = g_ptr_array_index(n->vlans, k);
            if (v->vid == vid && v->name)
                return v->name;
        }
    }
    return NULL;
}
