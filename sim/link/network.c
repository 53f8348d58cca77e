/* network.c - see network.h. */
#include "sim/link/network.h"

#include "sim/link/link.h"
#include "sim/link/node.h"

struct _SimNetwork {
    GPtrArray *nodes;       /* SimNode*, owned */
    GPtrArray *links;       /* SimLink*, owned */
    GHashTable *node_index; /* name -> SimNode*, borrowed */
};

static void network_free(void *p)
{
    SimNetwork *net = p;
    for (guint i = 0; i < net->links->len; i++)
        sim_link_free(g_ptr_array_index(net->links, i));
    for (guint i = net->nodes->len; i-- > 0;)
        sim_node_free(g_ptr_array_index(net->nodes, i));
    g_ptr_array_free(net->links, TRUE);
    g_ptr_array_free(net->nodes, TRUE);
    g_hash_table_destroy(net->node_index);
    g_free(net);
}

SimNetwork *sim_network_of(const SimWorld *w)
{
    return sim_world_model(w);
}

SimNetwork *sim_network_ensure(SimWorld *w)
{
    SimNetwork *net = sim_world_model(w);
    if (net)
        return net;
    net = g_new0(SimNetwork, 1);
    net->nodes = g_ptr_array_new();
    net->links = g_ptr_array_new();
    net->node_index = g_hash_table_new(g_str_hash, g_str_equal);
    sim_world_set_model(w, net, network_free);
    return net;
}

void sim_network_add_node(SimNetwork *net, SimNode *node)
{
    const char *name = sim_node_name(node);
    g_assert(!g_hash_table_contains(net->node_index, name));
    g_ptr_array_add(net->nodes, node);
    g_hash_table_insert(net->node_index, (gpointer)name, node);
}

void sim_network_add_link(SimNetwork *net, SimLink *link)
{
    g_ptr_array_add(net->links, link);
}

SimNode *sim_network_find_node(const SimNetwork *net, const char *name)
{
    return net ? g_hash_table_lookup(net->node_index, name) : NULL;
}

guint sim_network_n_nodes(const SimNetwork *net)
{
    return net ? net->nodes->len : 0;
}

SimNode *sim_network_node(const SimNetwork *net, guint i)
{
    g_assert(net && i < net->nodes->len);
    return g_ptr_array_index(net->nodes, i);
}

guint sim_network_n_links(const SimNetwork *net)
{
    return net ? net->links->len : 0;
}

SimLink *sim_network_link(const SimNetwork *net, guint i)
{
    g_assert(net && i < net->links->len);
    return g_ptr_array_index(net->links, i);
}
