/* dhcp_server.h - DHCP server (RFC 2131 §4.3) on one interface of a host,
 * router or L3 switch, over a UDP socket on port 67.
 *
 * Design: a server owns pools (a range with mask, router, DNS server,
 * domain and lease time) and static bindings by MAC; its lease table is a
 * flat array scanned per message (a dorm has tens of clients; ISC dhcpd's
 * hash tables would pay off only in the thousands). Lease expiry is lazy,
 * as Linux's br_fdb ageing: an expired lease is free the next time an
 * address is looked for, and `show` marks it expired; no timer per lease.
 * The pool answering a message is the one whose subnet holds giaddr (from
 * a relay agent), else ciaddr (a renewal), else the serving interface's
 * own address.
 *
 * Replies (RFC 2131 §4.1): to giaddr port 67 when relayed; to ciaddr when
 * the client has one (renewal); otherwise broadcast out of the interface.
 * RFC 2131 lets a server unicast to a client without the broadcast flag by
 * writing its ARP cache by hand, as ISC dhcpd does; netsim broadcasts
 * instead, so a DHCPOFFER is seen by every host of the LAN (documented
 * difference). DHCPNAK always broadcasts (relayed: broadcast bit set).
 * An exhausted pool answers nothing and traces why.
 *
 * A DHCPDECLINE (the client's ARP probe found the address in use, RFC
 * 2131 §4.3.3) marks the address "declined" for 24 hours, Kea's default
 * decline-probation-period (ISC dhcpd abandons it); it is offered to nobody
 * meanwhile, and `show` lists it with the MAC that declined it.
 * An INIT-REBOOT DHCPREQUEST (no server identifier, §4.3.2) is ACKed when
 * the address is in the pool of the client's network and free for it, and
 * NAKed otherwise (another network: the client moved; or taken). RFC 2131
 * asks a server with no record of the client to stay silent; netsim's
 * server is authoritative for its pools, like dhcpd with `authoritative;`.
 *
 * Ownership: the IP stack of the node adopts the server; it is freed with
 * the node.
 */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "sim/l3/ipstack.h"
#include "sim/net/addr.h"

typedef struct _SimDhcpServer SimDhcpServer;

typedef struct {
    SimIpv4 first, last; /* the range handed out, inclusive */
    SimIpv4 mask;        /* option 1; also the pool's subnet */
    SimIpv4 router;      /* option 3; 0 = none */
    SimIpv4 dns;         /* option 6; 0 = none */
    char domain[64];     /* option 15; "" = none */
    uint32_t lease;      /* seconds (option 51); T1, T2 are 0.5 and 0.875 of it */
} SimDhcpPool;

/* Starts a server on iface of node (which must have an address there).
 * NULL with error when the node has no IP stack, the interface has no
 * address, or port 67 is taken. */
SimDhcpServer *sim_dhcp_server_start(SimNode *node, SimIface *iface, GError **error);
/* Adds a pool; first..last must lie in one subnet of mask. */
gboolean sim_dhcp_server_add_pool(SimDhcpServer *s, const SimDhcpPool *pool, GError **error);
/* Always hands addr to mac (from the pool whose subnet holds addr). */
void sim_dhcp_server_add_static(SimDhcpServer *s, const SimMac *mac, SimIpv4 addr);
/* The lease table, `show NODE dhcp`: address, MAC, state and expiry. */
void sim_dhcp_server_show(SimDhcpServer *s, GString *out);
/* The address bound (ACKed, not expired) to mac, 0 if none. */
SimIpv4 sim_dhcp_server_lease_of(SimDhcpServer *s, const SimMac *mac);
