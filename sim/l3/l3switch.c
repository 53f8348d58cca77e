/* l3switch.c - the L3 switch; see l3switch.h. */
#include "sim/l3/l3switch.h"

#include "sim/l3/ipstack_priv.h"

/* The switch's upper input: the frame is the SVI's, as if it had arrived on
 * a NIC (the stack checks the Ethernet header itself). */
static void svi_input(void *upper, SimIface *svi, SimPacket *pkt)
{
    SimIpStack *st = upper;
    ip_node_input(st->node, svi, pkt);
}

SimNode *sim_l3switch_new(SimWorld *w, const char *name, guint ports, const SimSwitchConfig *cfg)
{
    SimSwitchConfig c;
    if (cfg)
        c = *cfg;
    else
        sim_switch_config_default(&c);
    c.l3 = true;
    SimIpStack *st = ip_stack_new(w, true);
    SimNode *node = sim_switch_new(w, name, ports, &c);
    ip_stack_set_node(st, node);
    sim_switch_set_upper(node, st, svi_input, ip_stack_free);
    return node;
}

SimIface *sim_l3switch_add_svi(SimNode *node, uint16_t vid, const SimPrefix *addr,
                               const SimMac *mac, GError **error)
{
    char name[16];
    g_snprintf(name, sizeof name, "vlan%u", vid);
    if (sim_node_kind(node) != SIM_NODE_L3SWITCH || sim_node_find_iface(node, name)) {
        g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_INVALID, "%s cannot have a (second) SVI %s",
                    sim_node_name(node), name);
        return NULL;
    }
    SimIface *iface = sim_ip_add_iface(node, name, mac);
    if (!sim_switch_add_svi(node, vid, iface, error))
        return NULL;
    if (addr && !sim_ip_add_address(node, iface, addr, error))
        return NULL;
    return iface;
}
