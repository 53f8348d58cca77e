/* node.h - a device in the world: host, hub, switch, router.
 *
 * Design: a node is a name, a kind, an ordered array of interfaces and a
 * vtable, in the style of lwIP's netif callbacks: the link layer hands a
 * received frame to ops->input and never looks at the device type. Device
 * state lives behind `priv`, owned by the node and released through
 * ops->free_priv.
 */
#pragma once

#include "sim/core/world.h"
#include "sim/net/addr.h"

#include <glib.h>
#include <stdbool.h>

typedef struct _SimNode SimNode;
typedef struct _SimIface SimIface;
typedef struct _SimPacket SimPacket;

typedef enum {
    SIM_NODE_HOST,
    SIM_NODE_HUB,
    SIM_NODE_SWITCH,
    SIM_NODE_ROUTER,
    SIM_NODE_L3SWITCH,
} SimNodeKind;

typedef struct {
    /* A frame arrived on `in`. Consumes the packet reference. */
    void (*input)(SimNode *node, SimIface *in, SimPacket *pkt);
    /* Optional: the link on `iface` went up or down. */
    void (*link_changed)(SimNode *node, SimIface *iface, bool up);
    /* Optional: releases priv. Must not schedule events. */
    void (*free_priv)(void *priv);
} SimNodeOps;

/* Creates a node and registers it with the world's network (network.h), which
 * owns it. The name is
 * copied; it must be unique in the world. ops must outlive the node. */
SimNode *sim_node_new(SimWorld *w, const char *name, SimNodeKind kind, const SimNodeOps *ops,
                      void *priv);
/* Called when the network is freed; frees the interfaces too. */
void sim_node_free(SimNode *node);

const char *sim_node_name(const SimNode *node);
/* The display label (`label "于超的电脑"` in a topology), UTF-8, or NULL: what
 * people read in the text trace, the stepper, `show`, diagrams and the
 * player. The name stays the identifier links, commands and JSON use. The
 * label is copied; NULL clears it. */
void sim_node_set_label(SimNode *node, const char *label);
const char *sim_node_label(const SimNode *node);
/* The label if there is one, else the name. */
const char *sim_node_display_name(const SimNode *node);
/* name -> label of every labelled node of w (strings borrowed from the
 * nodes), for sinks that look labels up per record; NULL when no node has a
 * label, so unlabelled runs pay nothing. Caller unrefs. */
GHashTable *sim_node_label_table(const SimWorld *w);
SimNodeKind sim_node_kind(const SimNode *node);
const char *sim_node_kind_name(SimNodeKind kind); /* "host", "switch", ... */
SimWorld *sim_node_world(const SimNode *node);
/* The node's entity (world.h): by default 1 + the number of nodes created
 * before it, which is its index in the topology's declaration order plus
 * one. A process that builds only part of a topology sets the entity of
 * each node it builds to that global number before creating its links. */
SimEntity sim_node_entity(const SimNode *node);
void sim_node_set_entity(SimNode *node, SimEntity e);
void *sim_node_priv(const SimNode *node);
const SimNodeOps *sim_node_ops(const SimNode *node);

/* Adds an interface (the node owns it). The name is copied. */
SimIface *sim_node_add_iface(SimNode *node, const char *name, const SimMac *mac);
guint sim_node_n_ifaces(const SimNode *node);
SimIface *sim_node_iface(const SimNode *node, guint index);
SimIface *sim_node_find_iface(const SimNode *node, const char *name);
