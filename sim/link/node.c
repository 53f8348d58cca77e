/* node.c - see node.h. Interfaces are kept in a GPtrArray in creation
 * order; lookup by name is linear because devices have few interfaces
 * (a 48-port switch at most in practice) and lookups happen at build time. */
#include "sim/link/node.h"

#include "sim/link/iface.h"
#include "sim/link/network.h"

#include <string.h>

struct _SimNode {
    char *name;
    char *label; /* NULL: none */
    SimNodeKind kind;
    SimWorld *world;
    SimEntity entity;
    const SimNodeOps *ops;
    void *priv;
    GPtrArray *ifaces; /* SimIface*, owned */
};

SimNode *sim_node_new(SimWorld *w, const char *name, SimNodeKind kind, const SimNodeOps *ops,
                      void *priv)
{
    SimNode *n = g_new0(SimNode, 1);
    n->name = g_strdup(name);
    n->kind = kind;
    n->world = w;
    n->entity = sim_network_n_nodes(sim_network_of(w)) + 1; /* declaration order */
    n->ops = ops;
    n->priv = priv;
    n->ifaces = g_ptr_array_new_with_free_func((GDestroyNotify)sim_iface_free);
    sim_network_add_node(sim_network_ensure(w), n);
    return n;
}

void sim_node_free(SimNode *node)
{
    if (!node)
        return;
    if (node->ops && node->ops->free_priv)
        node->ops->free_priv(node->priv);
    g_ptr_array_free(node->ifaces, TRUE);
    g_free(node->name);
    g_free(node->label);
    g_free(node);
}

void sim_node_set_label(SimNode *node, const char *label)
{
    g_free(node->label);
    node->label = g_strdup(label);
}

const char *sim_node_label(const SimNode *node)
{
    return node->label;
}

const char *sim_node_display_name(const SimNode *node)
{
    return node->label ? node->label : node->name;
}

GHashTable *sim_node_label_table(const SimWorld *w)
{
    GHashTable *t = NULL;
    const SimNetwork *net = sim_network_of(w);
    for (guint i = 0; net && i < sim_network_n_nodes(net); i++) {
        const SimNode *n = sim_network_node(net, i);
        if (!n->label)
            continue;
        if (!t)
            t = g_hash_table_new(g_str_hash, g_str_equal);
        g_hash_table_insert(t, n->name, n->label);
    }
    return t;
}

const char *sim_node_name(const SimNode *node)
{
    return node->name;
}

SimNodeKind sim_node_kind(const SimNode *node)
{
    return node->kind;
}

const char *sim_node_kind_name(SimNodeKind kind)
{
    switch (kind) {
    case SIM_NODE_HOST:
        return "host";
    case SIM_NODE_HUB:
        return "hub";
    case SIM_NODE_SWITCH:
        return "switch";
    case SIM_NODE_ROUTER:
        return "router";
    case SIM_NODE_L3SWITCH:
        return "l3switch";
    }
    return "?";
}

SimEntity sim_node_entity(const SimNode *node)
{
    return node->entity;
}

void sim_node_set_entity(SimNode *node, SimEntity e)
{
    node->entity = e;
}

SimWorld *sim_node_world(const SimNode *node)
{
    return node->world;
}

void *sim_node_priv(const SimNode *node)
{
    return node->priv;
}

const SimNodeOps *sim_node_ops(const SimNode *node)
{
    return node->ops;
}

SimIface *sim_node_add_iface(SimNode *node, const char *name, const SimMac *mac)
{
    SimIface *i = sim_iface_new(node, node->ifaces->len, name, mac);
    g_ptr_array_add(node->ifaces, i);
    return i;
}

guint sim_node_n_ifaces(const SimNode *node)
{
    return node->ifaces->len;
}

SimIface *sim_node_iface(const SimNode *node, guint index)
{
    return index < node->ifaces->len ? g_ptr_array_index(node->ifaces, index) : NULL;
}

SimIface *sim_node_find_iface(const SimNode *node, const char *name)
{
    for (guint i = 0; i < node->ifaces->len; i++) {
        SimIface *ifc = g_ptr_array_index(node->ifaces, i);
        if (strcmp(sim_iface_name(ifc), name) == 0)
            return ifc;
    }
    return NULL;
}
