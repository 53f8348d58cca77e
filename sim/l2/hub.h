/* hub.h - a repeater hub: every frame goes out of every other port.
 *
 * It is in the model so that a class can see the difference between a hub
 * and a switch. Collisions and half duplex are not modelled: each port is a
 * full-duplex link end with its own queue, so a hub behaves as a switch
 * that floods every frame and learns nothing. Loops through hubs storm too,
 * and are detected and reported like a switch's (see storm.h).
 */
#pragma once

#include "sim/core/world.h"
#include "sim/l2/bridge.h"

#include <glib.h>
#include <stdbool.h>

typedef struct _SimNode SimNode;

/* A hub with ports "1".."ports" (labelled p1..), promiscuous. The world
 * owns the node. */
SimNode *sim_hub_new(SimWorld *w, const char *name, guint ports);

/* NULL when node is not a hub. */
SimBridge *sim_hub_bridge(const SimNode *node);
const SimBridgePortStats *sim_hub_port_stats(const SimNode *node, guint port);
bool sim_hub_storm_detected(const SimNode *node);
/* The loop named when the storm was reported; NULL before. */
const char *sim_hub_storm_loop(const SimNode *node);
