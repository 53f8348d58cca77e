/* dhcp_relay.h - DHCP relay agent (RFC 1542 §4, RFC 2131 §4.1), what
 * Cisco's `ip helper-address` does, on a router or L3 switch.
 *
 * Design: one agent per node bound to UDP port 67 through the stack's
 * port demux (which reports the arrival interface, unlike a socket). A
 * BOOTREQUEST arriving on a relay interface gets giaddr = that interface's
 * address (unless a first relay set it), hops + 1 (over 16 is dropped,
 * traced), and goes by unicast to the interface's server. A BOOTREPLY
 * from a server goes out of the interface that owns its giaddr: broadcast
 * to port 68, as the netsim server does on a LAN (see dhcp_server.h).
 * A node runs a relay or a server, not both (both need port 67).
 *
 * Ownership: the node's IP stack adopts the agent.
 */
#pragma once

#include <glib.h>

#include "sim/l3/ipstack.h"

typedef struct _SimDhcpRelay SimDhcpRelay;

/* Creates node's agent (call once; add interfaces to it). NULL with error when the node
 * has no IP stack or port 67 is taken. */
SimDhcpRelay *sim_dhcp_relay_new(SimNode *node, GError **error);
/* Relays requests heard on iface (which must have an address) to server. */
gboolean sim_dhcp_relay_add(SimDhcpRelay *r, SimIface *iface, SimIpv4 server, GError **error);
