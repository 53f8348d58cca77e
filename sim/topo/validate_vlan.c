/* validate_vlan.c - checks of the 802.1Q statements: each switch port
 * configured once (never both access and trunk), every SVI on a VLAN that
 * some port carries, routes only on L3 switches, and sub-interfaces that
 * take their parent's MAC and are never linked. */
#include "sim/topo/validate.h"
#include "sim/topo/validate_priv.h"

static bool cfg_carries(const SimTopoPortCfg *c, uint16_t vid)
{
    if (!c->trunk)
        return c->access == vid;
    return !c->allowed || (c->allowed[vid >> 3] >> (vid & 7)) & 1;
}

/* Whether port p of n carries vid (an unconfigured port: access VLAN 1). */
static bool port_carries(const SimTopoNode *n, const int *cfg_of, guint32 p, uint16_t vid)
{
    if (cfg_of[p] < 0)
        return vid == 1;
    return cfg_carries(g_ptr_array_index(n->port_cfgs, cfg_of[p]), vid);
}

static void check_switch(SimValidate *v, SimTopoNode *n)
{
    g_autofree int *cfg_of = g_new(int, n->ports + 1);
    for (guint32 p = 0; p <= n->ports; p++)
        cfg_of[p] = -1;
    for (guint i = 0; i < n->port_cfgs->len; i++) {
        SimTopoPortCfg *c = g_ptr_array_index(n->port_cfgs, i);
        for (guint32 p = c->first; p <= c->last && p <= n->ports; p++) {
            if (cfg_of[p] < 0) {
                cfg_of[p] = (int)i;
                continue;
            }
            SimTopoPortCfg *o = g_ptr_array_index(n->port_cfgs, cfg_of[p]);
            if (o->trunk != c->trunk)
                sim_validate_error(v, c->pos, "port %u of switch '%s' cannot be both %s and %s", p,
                                   n->name, o->trunk ? "trunk" : "access",
                                   c->trunk ? "trunk" : "access");
            else
                sim_validate_error(v, c->pos, "port %u of switch '%s' is configured twice", p,
                                   n->name);
            sim_validate_note(v, o->pos, "port %u is first configured here", p);
            break;
        }
    }
    for (guint k = 0; k < n->ifaces->len; k++) {
        SimTopoIface *f = g_ptr_array_index(n->ifaces, k);
        bool carried = false;
        for (guint32 p = 1; p <= n->ports && !carried; p++)
            carried = port_carries(n, cfg_of, p, f->vid);
        if (!carried)
            sim_validate_error(v, f->vid_pos,
                               "SVI %s: no port of switch '%s' carries VLAN %u (give it "
                               "'port N access %u' or a trunk that allows it)",
                               f->name, n->name, f->vid, f->vid);
    }
    if (n->ifaces->len == 0 && n->routes->len > 0) {
        SimTopoRoute *r = g_ptr_array_index(n->routes, 0);
        sim_validate_error(v, r->pos,
                           "switch '%s' has no SVI to route with (add 'vlan N ip ADDRESS/LEN')",
                           n->name);
    }
}

void sim_validate_vlans(SimValidate *v)
{
    for (guint i = 0; i < v->topo->nodes->len; i++) {
        SimTopoNode *n = g_ptr_array_index(v->topo->nodes, i);
        if (n->kind == SIM_TOPO_SWITCH && !n->bad)
            check_switch(v, n);
    }
}

void sim_validate_subif_macs(SimValidate *v)
{
    for (guint i = 0; i < v->topo->nodes->len; i++) {
        SimTopoNode *n = g_ptr_array_index(v->topo->nodes, i);
        for (guint k = 0; k < n->ifaces->len; k++) {
            SimTopoIface *f = g_ptr_array_index(n->ifaces, k);
            if (f->parent < 0 || f->has_mac)
                continue;
            SimTopoIface *pf = g_ptr_array_index(n->ifaces, f->parent);
            f->mac = pf->mac;
            f->has_mac = f->mac_auto = true;
        }
    }
}
