/* node_ip.h - host and router nodes: a SimNode whose device is the IPv4
 * stack of ipstack.h.
 *
 * Design: both constructors build the same device; a router only differs by
 * having forwarding on (Linux's ip_forward=1) and by its node kind, which
 * the viewers use to pick a shape. Interfaces, addresses and routes are
 * added afterwards with the sim_ip_* functions of ipstack.h.
 *
 * Ownership: the world owns the node (sim_node_new registers it), and the
 * node owns the stack.
 */
#pragma once

#include "sim/core/world.h"
#include "sim/link/node.h"

SimNode *sim_host_new(SimWorld *w, const char *name);
SimNode *sim_router_new(SimWorld *w, const char *name);
