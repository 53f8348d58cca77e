/* node_ip.c - see node_ip.h. */
#include "sim/l3/node_ip.h"

#include "sim/l2/switch.h"
#include "sim/l3/ipstack_priv.h"

static const SimNodeOps ip_node_ops = {
    .input = ip_node_input,
    .link_changed = ip_node_link_changed,
    .free_priv = ip_stack_free,
};

static SimNode *ip_node_new(SimWorld *w, const char *name, SimNodeKind kind, bool forwarding)
{
    SimIpStack *st = ip_stack_new(w, forwarding);
    SimNode *node = sim_node_new(w, name, kind, &ip_node_ops, st);
    ip_stack_set_node(st, node);
    return node;
}

SimNode *sim_host_new(SimWorld *w, const char *name)
{
    return ip_node_new(w, name, SIM_NODE_HOST, false);
}

SimNode *sim_router_new(SimWorld *w, const char *name)
{
    return ip_node_new(w, name, SIM_NODE_ROUTER, true);
}

SimIpStack *sim_ip_stack(SimNode *node)
{
    if (node && sim_node_kind(node) == SIM_NODE_L3SWITCH)
        return sim_switch_upper(node); /* l3switch.c */
    return node && sim_node_ops(node) == &ip_node_ops ? sim_node_priv(node) : NULL;
}
