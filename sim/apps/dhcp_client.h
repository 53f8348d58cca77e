/* dhcp_client.h - DHCP client (RFC 2131 §4.4) for one interface of a host.
 *
 * Design: the state machine of RFC 2131 figure 5 without INIT-REBOOT:
 * INIT (a random 1..10 s wait) -> SELECTING (DHCPDISCOVER sent) -> REQUESTING (first DHCPOFFER
 * taken, DHCPREQUEST broadcast) -> BOUND (DHCPACK: address, mask, default
 * gateway and DNS server installed in the IP stack) -> RENEWING at T1
 * (DHCPREQUEST unicast to the server) -> REBINDING at T2 (broadcast) ->
 * lease expiry: the address and its routes are removed, back to INIT.
 * T1 and T2 are the server's options 58/59, else 0.5 and 0.875 of the
 * lease (RFC 2131 §4.4.5). A DHCPNAK drops the address and restarts.
 *
 * Retransmission (§4.1): 4 s, doubling up to 64 s, each randomised by
 * ±1 s drawn from the world RNG, as is the xid; in RENEWING/REBINDING the
 * retry waits half the time left to T2 (or expiry), at least 60 s.
 * Messages carry the broadcast flag (RFC 2131 §4.1: a client that cannot
 * receive unicast before it has an address sets it; Linux's dhclient does
 * not, but netsim's server broadcasts either way), the client identifier
 * (type 1 + MAC) and the parameter list 1, 3, 6, 15.
 *
 * Not modelled yet: the RFC 5227 ARP probe before use (and so DHCPDECLINE
 * on a conflict) and INIT-REBOOT.
 *
 * Ownership: the node's IP stack adopts the client; freed with the node.
 */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "sim/l3/ipstack.h"

typedef struct _SimDhcpClient SimDhcpClient;

typedef enum {
    SIM_DHCPC_INIT,
    SIM_DHCPC_SELECTING,
    SIM_DHCPC_REQUESTING,
    SIM_DHCPC_BOUND,
    SIM_DHCPC_RENEWING,
    SIM_DHCPC_REBINDING,
    SIM_DHCPC_STOPPED, /* after a release */
} SimDhcpClientState;

/* Creates the client on iface (port 68); it sends its first DHCPDISCOVER
 * after a random 1..10 s (RFC 2131 §4.4.1). */
SimDhcpClient *sim_dhcp_client_start(SimNode *node, SimIface *iface, GError **error);
/* DHCPRELEASE to the server, address removed, client stopped. */
void sim_dhcp_client_release(SimDhcpClient *c);
SimDhcpClientState sim_dhcp_client_state(const SimDhcpClient *c);
const char *sim_dhcp_client_state_name(SimDhcpClientState st); /* "BOUND" */
/* The leased address (0 when none), server, DNS server and T1/T2/expiry as
 * absolute times. */
SimIpv4 sim_dhcp_client_address(const SimDhcpClient *c);
SimIpv4 sim_dhcp_client_dns(const SimDhcpClient *c);
void sim_dhcp_client_times(const SimDhcpClient *c, SimTime *t1, SimTime *t2, SimTime *expiry);
/* `show NODE dhcp` for a client: state, address, server, T1, T2. */
void sim_dhcp_client_show(const SimDhcpClient *c, GString *out);
