/* network.h - the network a world runs: its nodes, its links, and lookup
 * of nodes by name.
 *
 * Design: the engine (sim/core) knows events and time only; what it runs
 * is this model, attached to the world as an opaque pointer with a free
 * hook (sim_world_set_model), so core never includes a device header. The
 * network is made on the first sim_node_new or sim_link_new in a world and
 * keeps nodes and links in creation order (the name index is only for
 * lookup), so nothing depends on pointer or hash order. Node i of a
 * topology is entity i + 1 (world.h, sim_node_entity).
 *
 * Partial networks (issue #20, one MPI rank). A rank builds only its own
 * nodes, each given its global entity (sim_node_set_entity), plus a proxy
 * for the far end of each cut link: a node standing for the remote device,
 * with the same entity, whose link end is marked remote
 * (sim_link_set_remote, link.h). Frames sent toward a remote end leave
 * through a function pointer carrying their bytes, arrival time and key;
 * frames from it enter with sim_link_deliver. Proxies are ordinary nodes
 * here; the MPI layer owns their meaning.
 *
 * Ownership: the world owns the network (through the model hook), the
 * network owns its nodes and links. sim_world_free frees pending events
 * first (their destroy hooks release packets), then the network: links
 * (queued packets, pointers to interfaces), then nodes, last first.
 */
#pragma once

#include "sim/core/world.h"

#include <glib.h>

typedef struct _SimNetwork SimNetwork;
typedef struct _SimNode SimNode;
typedef struct _SimLink SimLink;

/* The world's network; NULL until its first node or link. */
SimNetwork *sim_network_of(const SimWorld *w);
/* The world's network, made and attached on first use. */
SimNetwork *sim_network_ensure(SimWorld *w);

/* Called by sim_node_new and sim_link_new: the network takes ownership.
 * Node names must be unique in the network. */
void sim_network_add_node(SimNetwork *net, SimNode *node);
void sim_network_add_link(SimNetwork *net, SimLink *link);

/* Lookups; each accepts a NULL network (a world without nodes). */
SimNode *sim_network_find_node(const SimNetwork *net, const char *name);
guint sim_network_n_nodes(const SimNetwork *net);
SimNode *sim_network_node(const SimNetwork *net, guint i); /* creation order */
guint sim_network_n_links(const SimNetwork *net);
SimLink *sim_network_link(const SimNetwork *net, guint i); /* creation order */
