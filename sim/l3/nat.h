/* nat.h - NAT44 with port translation (PAT, "masquerade") on a router's
 * inside/outside interface pair.
 *
 * Model: the mapping of RFC 4787 and RFC 5382. A mapping binds an inside
 * endpoint (protocol, inside local address, port or ICMP query identifier)
 * to an inside global one (the outside interface's address, or an address
 * of the pool paired with the inside host, RFC 4787 REQ-2) and the port is
 * kept when it is free there (port preservation, REQ-3), else the next free
 * one above it. Mapping is endpoint-independent (REQ-1): every peer sees the
 * same outside port. Filtering is endpoint-independent too (any outside
 * host may answer through an existing mapping, RFC 4787 section 5 "full
 * cone"): Linux conntrack filters per 5-tuple (address-and-port dependent),
 * which breaks fewer rules but hides the idea we teach; this is the one
 * deliberate difference.
 *
 * Timers (idle time, refreshed by outbound packets only, RFC 4787 REQ-6;
 * inbound packets of TCP and ICMP refresh too, as in Linux):
 *   UDP                 300 s  (RFC 4787 REQ-5: >= 120 s, 300 s recommended;
 *                               Linux nf_conntrack_udp_timeout 30 s, 120 s
 *                               once replies were seen ("stream"))
 *   TCP established    7440 s  (RFC 5382 REQ-5: >= 2 h 4 min; Linux
 *                               tcp_timeout_established 5 days)
 *   TCP transitory      240 s  (RFC 5382: >= 4 min: before the handshake
 *                               completes and after FIN both ways; Linux
 *                               syn_sent 120 s, time_wait 120 s)
 *   TCP after RST        10 s  (Linux tcp_timeout_close)
 *   ICMP query           60 s  (RFC 5508 REQ-1: >= 60 s; Linux 30 s)
 * Mappings are aged lazily (Linux br_fdb style): an expired mapping is
 * removed, and traced, when a packet or `show` meets it, or when the table
 * is full and a new flow needs room. A full table (capacity, default 4096)
 * drops the new flow with a trace; nothing grows without bound.
 *
 * Port forwarding (`forward tcp 8080 to 192.168.1.10:80`) is a static
 * mapping from the outside address and port to an inside endpoint; it never
 * expires and outbound packets of that endpoint use it.
 *
 * Translation rewrites addresses, ports and ICMP identifiers with the
 * incremental checksum update of RFC 1624 (IP, TCP, UDP, ICMP echo). ICMP
 * errors are translated with their quoted header (RFC 5508 REQ-3): the
 * outer address, the quoted addresses, ports or identifier and the quoted
 * checksums, after which the ICMP checksum is recomputed over the message
 * (every quoted word may have changed; the message is at most 576 bytes).
 * Errors the router raises itself about a datagram it translated in (a
 * reply or a forward: TTL exceeded, host unreachable when the inside host
 * does not answer ARP, fragmentation needed on the inside link) get their
 * quoted destination put back to the global address and port, and the
 * global address as source, as Linux's nf_nat_icmp_reply_translation does
 * for ICMP errors related to a translated connection. netsim keeps no
 * per-datagram NAT state: an error about a datagram that came in on the
 * outside to an inside endpoint that has a mapping is taken as one about a
 * translated datagram (Linux asks the datagram's conntrack entry; only a
 * datagram sent from outside straight to an inside address, which the
 * ISPs here never route, would be treated differently). Errors about
 * outbound datagrams need nothing: the MTU check, like TTL, comes before
 * source NAT (Linux's ip_forward runs before POSTROUTING), so they quote
 * the inside source and go straight back to the inside host.
 * Fragments are reassembled first (Linux nf_defrag_ipv4 does the same) and
 * the translated datagram refragmented on output. A datagram whose L4
 * header is truncated is dropped with a reason, never translated.
 *
 * The router's own flows out of the outside interface get mappings too
 * (Linux conntrack tracks local flows and remaps a clashing source port):
 * their replies are delivered to the router, and a router whose ephemeral
 * port an inside host already holds is moved to another port. Echo
 * requests to the outside address are answered by the router; any other
 * unsolicited datagram for it (a connection to a service on the router
 * itself included) is dropped, as a home router's WAN side does.
 *
 * Not modelled: hairpinning (an inside host reaching a forward through the
 * outside address gets the router itself, RFC 4787 REQ-9 unmet), ALGs
 * (FTP), NAT of protocols other than TCP, UDP and ICMP (dropped with a
 * reason).
 *
 * Ownership: the router's IP stack owns its NAT (freed with the stack).
 */
#pragma once

#include "sim/l3/ipstack.h"

typedef struct _SimNat SimNat;

#define SIM_NAT_DEFAULT_CAPACITY 4096
#define SIM_NAT_UDP_TIMEOUT (300 * SIM_SEC)
#define SIM_NAT_TCP_ESTABLISHED_TIMEOUT (7440 * SIM_SEC)
#define SIM_NAT_TCP_TRANSITORY_TIMEOUT (240 * SIM_SEC)
#define SIM_NAT_TCP_CLOSE_TIMEOUT (10 * SIM_SEC)
#define SIM_NAT_ICMP_TIMEOUT (60 * SIM_SEC)

typedef struct {
    SimIpv4 pool_lo, pool_hi; /* both 0: masquerade to the outside address */
    guint capacity;           /* 0: SIM_NAT_DEFAULT_CAPACITY */
} SimNatConfig;

/* Turns NAT on for router node between inside and outside (interfaces of
 * node, each with an address). One NAT per router. */
gboolean sim_nat_enable(SimNode *node, SimIface *inside, SimIface *outside, const SimNatConfig *cfg,
                        GError **error);
/* forward PROTO OUTSIDE_PORT to INSIDE_ADDR:INSIDE_PORT (proto TCP or UDP). */
gboolean sim_nat_add_forward(SimNode *node, uint8_t proto, uint16_t outside_port, SimIpv4 in_addr,
                             uint16_t in_port, GError **error);
/* The router's NAT, NULL if it has none. */
SimNat *sim_nat_of(SimNode *node);
/* Appends the translation table in the layout of Cisco's `show ip nat
 * translations`, plus age and state. FALSE if node has no NAT. */
gboolean sim_nat_show(SimNode *node, GString *out);
/* Live mappings, after expiring the idle ones. */
guint sim_nat_count(SimNode *node);
