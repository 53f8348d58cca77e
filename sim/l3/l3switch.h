/* l3switch.h - a layer-3 switch: a learning switch (sim/l2/switch.h) with an
 * IPv4 stack above it, one SVI (switched virtual interface) per routed VLAN.
 *
 * Design: the SVIs are virtual interfaces of the switch node, given to the
 * same stack a router has (ipstack.h, with forwarding on), so routing
 * between VLANs is the router's code: ARP per SVI, FIB and longest-prefix
 * match, TTL decrement, ICMP errors, static and default routes. The switch
 * hands a frame up when it is addressed to an SVI's MAC (and a copy of each
 * broadcast in the SVI's VLAN); everything else is switched. A frame the
 * stack sends on an SVI is switched in that VLAN like one from a port.
 * This is Cisco's `interface Vlan10` / `ip routing`, and Linux's bridge
 * with `ip link add link br0 name br0.10 type vlan id 10` plus ip_forward.
 *
 * Each SVI has its own MAC (deterministic, locally administered, unless
 * written); on Cisco all SVIs usually share the switch's base MAC. The
 * difference shows only in ARP tables. An SVI is always up (Cisco brings it
 * down when no port of its VLAN is up).
 *
 * Ownership: the world owns the node; the switch owns the stack.
 */
#pragma once

#include "sim/core/world.h"
#include "sim/l2/switch.h"
#include "sim/link/node.h"
#include "sim/net/addr.h"

/* A switch of kind SIM_NODE_L3SWITCH with ports "1".."ports" and an IP
 * stack (forwarding on). cfg as sim_switch_new (its l3 flag is implied). */
SimNode *sim_l3switch_new(SimWorld *w, const char *name, guint ports, const SimSwitchConfig *cfg);
/* Adds the SVI "vlan<vid>" with address addr (its connected route too);
 * mac NULL: a deterministic one. Returns the interface, or NULL with error. */
SimIface *sim_l3switch_add_svi(SimNode *node, uint16_t vid, const SimPrefix *addr,
                               const SimMac *mac, GError **error);
