/* dhcp_client.h - DHCP client (RFC 2131 §4.4) for one interface of a host.
 *
 * Design: the state machine of RFC 2131 figure 5:
 * INIT (a random 1..10 s wait) -> SELECTING (DHCPDISCOVER sent) -> REQUESTING (first DHCPOFFER
 * taken, DHCPREQUEST broadcast) -> PROBING (DHCPACK: the address is checked
 * with ARP, below) -> BOUND (address, mask, default gateway and DNS server
 * installed in the IP stack) -> RENEWING at T1 (DHCPREQUEST unicast to the
 * server) -> REBINDING at T2 (broadcast) -> lease expiry: the address and
 * its routes are removed, back to INIT. T1 and T2 are the server's options
 * 58/59, else 0.5 and 0.875 of the lease (RFC 2131 §4.4.5), counted from
 * the DHCPACK. A DHCPNAK drops the address and restarts.
 *
 * Address conflict detection (RFC 2131 §4.4.1, RFC 5227) before a new
 * address is used: three ARP Probes (sender IP 0.0.0.0), then silence;
 * an ARP packet from another MAC with the address as sender, or another
 * host's probe for it, is a conflict: DHCPDECLINE to the server, and INIT
 * again after 10 s (RFC 2131 §3.1 step 5). Otherwise the address is
 * installed and announced twice, 2 s apart (ARP Announcements). The timing
 * is systemd-networkd's, not RFC 5227's own: networkd scales RFC 5227's
 * PROBE_WAIT (1), PROBE_MIN (1), PROBE_MAX (2) and ANNOUNCE_WAIT (2) so that
 * the whole check takes 4/7 to 7/7 of IPv4DuplicateAddressDetectionTimeoutSec
 * (200 ms by default, systemd pull request 37138 of 2025), where RFC 5227's
 * seconds would take 4 to 7 s; the announcements keep the RFC's
 * ANNOUNCE_INTERVAL of 2 s (networkd scales nothing after the first one). ISC dhclient
 * leaves the check to dhclient-script (arping on some distributions). The
 * address is not defended after the check (RFC 5227 §2.4 is not modelled;
 * the IP stack traces a conflict as usual).
 *
 * INIT-REBOOT (§3.2, §4.4.2): a client that restarts with an unexpired
 * lease (sim_dhcp_client_reboot, the scenario's `dhcp reboot`) waits the
 * same 1..10 s, then broadcasts a DHCPREQUEST with the remembered address
 * as option 50 and no server identifier (REBOOTING); DHCPACK -> probe ->
 * BOUND, DHCPNAK (wrong network: the PC was moved) -> INIT; no answer in
 * 10 s (dhclient's `reboot` timeout) -> INIT. The link going down takes
 * the address with it and stops the client (the lease is remembered); when
 * it comes back (the cable plugged in again, maybe elsewhere) the client
 * starts INIT-REBOOT at once, or DORA if the lease ran out meanwhile, as
 * Windows (media sense) and systemd-networkd (carrier loss) do; ISC
 * dhclient does not watch the carrier.
 *
 * Retransmission (§4.1): 4 s, doubling up to 64 s, each randomised by
 * ±1 s drawn from the world RNG, as is the xid; in RENEWING/REBINDING the
 * retry waits half the time left to T2 (or expiry), at least 60 s.
 * Messages carry the broadcast flag (RFC 2131 §4.1: a client that cannot
 * receive unicast before it has an address sets it; Linux's dhclient does
 * not, but netsim's server broadcasts either way), the client identifier
 * (type 1 + MAC) and the parameter list 1, 3, 6, 15.
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
    SIM_DHCPC_PROBING, /* ACKed; ARP probes for the address (RFC 5227) */
    SIM_DHCPC_BOUND,
    SIM_DHCPC_RENEWING,
    SIM_DHCPC_REBINDING,
    SIM_DHCPC_STOPPED,     /* after a release */
    SIM_DHCPC_INIT_REBOOT, /* restarted with a lease: waiting to ask for it */
    SIM_DHCPC_REBOOTING,   /* INIT-REBOOT DHCPREQUEST sent */
} SimDhcpClientState;

/* Creates the client on iface (port 68); it sends its first DHCPDISCOVER
 * after a random 1..10 s (RFC 2131 §4.4.1). */
SimDhcpClient *sim_dhcp_client_start(SimNode *node, SimIface *iface, GError **error);
/* DHCPRELEASE to the server, address removed, client stopped. */
void sim_dhcp_client_release(SimDhcpClient *c);
/* The host restarts: the address is removed and, after 1..10 s, the
 * client asks for its remembered lease (INIT-REBOOT), or starts in INIT
 * when it has none (never bound, released, or expired). */
void sim_dhcp_client_reboot(SimDhcpClient *c);
SimDhcpClientState sim_dhcp_client_state(const SimDhcpClient *c);
const char *sim_dhcp_client_state_name(SimDhcpClientState st); /* "BOUND" */
/* The leased address (0 when none), server, DNS server and T1/T2/expiry as
 * absolute times. */
SimIpv4 sim_dhcp_client_address(const SimDhcpClient *c);
SimIpv4 sim_dhcp_client_dns(const SimDhcpClient *c);
void sim_dhcp_client_times(const SimDhcpClient *c, SimTime *t1, SimTime *t2, SimTime *expiry);
/* `show NODE dhcp` for a client: state, address, server, T1, T2. */
void sim_dhcp_client_show(const SimDhcpClient *c, GString *out);
