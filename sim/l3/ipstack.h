/* ipstack.h - the IPv4 stack shared by hosts and routers.
 *
 * Design: a host and a router are the same stack; a router merely has
 * forwarding on (Linux's ip_forward). The stack owns a FIB (connected routes
 * from interface prefixes, static routes, a default gateway), an ARP cache
 * per interface (arp.h), IP reassembly, ICMP (echo reply and the errors of
 * RFC 792/1191, with RFC 1122's "never an error about an error" rules), and
 * a protocol demux: applications bind an ICMP echo identifier or a UDP port
 * and get callbacks, lwIP raw-API style. TCP (sim/l4) plugs in through
 * sim_ip_register_proto().
 *
 * Addressing follows Linux's weak host model: a packet for any of the
 * node's addresses is accepted on any interface. An ICMP error a router
 * generates takes its source address from routing it back to the sender
 * (the address of the interface it leaves by), as Linux does by default;
 * on a symmetric path that is the interface the offending packet came in
 * on, so traceroute shows the near side of each router.
 *
 * Path MTU discovery (RFC 1191) as Linux does it: a Fragmentation Needed
 * error about one of our datagrams lowers the path MTU cached for its
 * destination for 10 minutes (ip_rt_mtu_expires; a reported MTU below 552,
 * ip_rt_min_pmtu, is raised to 552 and locked, which clears DF). Our own
 * datagrams to that destination are then fragmented to the path MTU, and
 * sent with DF as the sender's SimIpPmtuDisc mode says (Linux's
 * IP_MTU_DISCOVER; ping and every Linux socket default to WANT). Forwarded
 * datagrams use the outgoing interface's MTU, as Linux does with
 * ip_forward_use_pmtu=0. `show NODE route cache` lists the cache.
 *
 * Not modelled: IP options (accepted and skipped, never generated), ICMP
 * redirects and rate limiting, multicast.
 *
 * Ownership: the node owns its stack (sim_node_free releases it). Functions
 * documented as "consumes" take over one packet reference. Objects handed
 * to sim_ip_stack_adopt() live until the stack is freed.
 */
#pragma once

#include "sim/core/world.h"
#include "sim/l3/fib.h"
#include "sim/link/iface.h"
#include "sim/link/node.h"
#include "sim/net/addr.h"
#include "sim/net/ipv4_hdr.h"
#include "sim/net/packet.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct _SimIpStack SimIpStack;

#define SIM_IP_ERROR (sim_ip_error_quark())
GQuark sim_ip_error_quark(void);
typedef enum {
    SIM_IP_ERROR_NOT_IP,      /* the node has no IPv4 stack */
    SIM_IP_ERROR_INVALID,     /* bad argument (unknown interface, duplicate address) */
    SIM_IP_ERROR_NET_UNREACH, /* no route: ENETUNREACH */
    SIM_IP_ERROR_MSG_SIZE,    /* DF set and larger than the MTU: EMSGSIZE */
    SIM_IP_ERROR_IN_USE,      /* echo id or port already bound: EADDRINUSE */
} SimIpError;

/* Counters of the whole stack (Linux's /proc/net/snmp Ip: line). */
typedef struct {
    uint64_t in_receives, in_hdr_errors, in_addr_errors, in_delivers, in_unknown_protos;
    uint64_t forwarded, out_requests, out_no_routes, frag_creates, frag_fails, reasm_oks,
        reasm_fails;
    uint64_t icmp_out_errors;
} SimIpStats;

/* ---- stack and configuration ------------------------------------------ */

/* The stack of a host or router node; NULL for any other node. */
SimIpStack *sim_ip_stack(SimNode *node);
SimNode *sim_ip_stack_node(const SimIpStack *st);
SimWorld *sim_ip_stack_world(const SimIpStack *st);
void sim_ip_set_forwarding(SimIpStack *st, bool on);
bool sim_ip_forwarding(const SimIpStack *st);
/* A router that drops forwarded datagrams to RFC 1918 destinations with a
 * reason (SIM_DROP_PRIVATE), as ISPs filter them (RFC 1918 section 3). */
void sim_ip_set_drop_private(SimIpStack *st, bool on);
const SimIpStats *sim_ip_stats(const SimIpStack *st);
/* Keeps obj alive until the stack is freed, then calls free_fn(obj); how an
 * application that nobody else owns (a ping started by a scenario) is
 * reclaimed. */
void sim_ip_stack_adopt(SimIpStack *st, void *obj, GDestroyNotify free_fn);
/* Calls fn when the link of iface (an IP interface) goes down or comes up,
 * after the stack's own handling (ARP flushed on down). One watcher per
 * interface (the DHCP client of that interface); fn NULL removes it. */
typedef void (*SimIpLinkFn)(void *user, SimIface *iface, bool up);
void sim_ip_watch_link(SimIface *iface, SimIpLinkFn fn, void *user);

/* Adds an IP interface (a NIC) to a host or router. A NULL mac gets a
 * deterministic locally administered one derived from the node's creation
 * order and the interface index. Returns NULL when node has no IP stack. */
SimIface *sim_ip_add_iface(SimNode *node, const char *ifname, const SimMac *mac);
/* Gives an existing interface of an IP node to the stack (idempotent). */
gboolean sim_ip_attach_iface(SimNode *node, SimIface *iface, GError **error);
/* Adds an address such as 192.168.10.1/24 (host bits are the address) and
 * its connected route. An interface may hold several. */
gboolean sim_ip_add_address(SimNode *node, SimIface *iface, const SimPrefix *addr, GError **error);
/* Removes an address (what `ip addr del` does, for a DHCP lease that
 * expires): its connected route goes unless another address of the
 * interface is in that subnet, and so does every default route through a
 * gateway in it (Linux's fib_sync_down_addr). FALSE if it was not there. */
gboolean sim_ip_del_address(SimNode *node, SimIface *iface, SimIpv4 addr);
/* The default route 0.0.0.0/0 via gw (replacing a previous default). */
gboolean sim_ip_set_gateway(SimNode *node, SimIpv4 gw, GError **error);
/* A static route; via 0 needs an interface (on-link route), iface NULL
 * resolves the interface through via. */
gboolean sim_ip_add_route(SimNode *node, const SimPrefix *dst, SimIpv4 via, SimIface *iface,
                          uint32_t metric, GError **error);

/* Addresses of an interface (SimPrefix values; NULL for a non-IP iface). */
const GArray *sim_ip_iface_addresses(const SimIface *iface);
/* The first address of the interface, 0 if none. */
SimIpv4 sim_ip_iface_primary(const SimIface *iface);
/* True when a is one of the node's own addresses. */
bool sim_ip_is_local(const SimIpStack *st, SimIpv4 a);

/* Route lookup as the stack does it for its own traffic: outgoing interface,
 * next hop (the destination itself when on-link) and source address. */
gboolean sim_ip_route_lookup(SimIpStack *st, SimIpv4 dst, SimIface **out, SimIpv4 *next_hop,
                             SimIpv4 *src, GError **error);

/* ---- tables -------------------------------------------------------------- */

/* The node's routing table, for readers that want the routes rather than
 * `show` text; NULL if the node has no IP stack. Owned by the stack. */
const SimFib *sim_ip_fib(SimNode *node);

/* Appends a `show NODE ...` table to out; every line ends with '\n'. */
void sim_ip_show_arp(SimNode *node, GString *out);
void sim_ip_show_route(SimNode *node, GString *out);
/* The routing table as Cisco's `show ip route` prints it (fib.h). */
void sim_ip_show_route_cisco(SimNode *node, GString *out);
void sim_ip_show_interfaces(SimNode *node, GString *out);
/* The path MTU cache, as `ip route show cache` prints it:
 *   10.0.2.2 via 10.0.1.1 dev eth0 src 10.0.1.2
 *       cache expires 598sec mtu 1400
 * or "(no cached routes)\n". */
void sim_ip_show_route_cache(SimNode *node, GString *out);
/* The cached path MTU towards dst (0 when none or expired), with its expiry
 * time when expires is non-NULL. */
uint32_t sim_ip_pmtu(SimIpStack *st, SimIpv4 dst, SimTime *expires);
/* Flushes every ARP entry; packets waiting for resolution are dropped and
 * traced. */
void sim_ip_clear_arp(SimNode *node);

/* ---- sending and receiving (the socket layer) ---------------------------- */

/* When a datagram carries DF (Linux's IP_MTU_DISCOVER socket option). */
typedef enum {
    SIM_IP_PMTUDISC_DEFAULT, /* as SimIpTxOpts.df says: DO when set, else DONT */
    SIM_IP_PMTUDISC_DONT,    /* never DF; fragmented to the path MTU */
    SIM_IP_PMTUDISC_WANT,    /* DF while it fits the path MTU; a bigger datagram
                                is fragmented locally, without DF (Linux's default) */
    SIM_IP_PMTUDISC_DO,      /* always DF; bigger than the path MTU: EMSGSIZE */
} SimIpPmtuDisc;

typedef struct {
    uint8_t ttl; /* 0: SIM_IPV4_DEFAULT_TTL */
    uint8_t tos;
    bool df;                /* don't fragment (SIM_IP_PMTUDISC_DO) */
    SimIpPmtuDisc pmtudisc; /* overrides df when not DEFAULT */
    SimIpv4 src;            /* 0: chosen by the route (preferred source or iface address) */
    SimIface *iface;        /* non-NULL: send out of this interface, no route lookup
                               (the destination is taken as on-link; for DHCP) */
} SimIpTxOpts;

/* What a receiver learns about a datagram. */
typedef struct {
    SimIpv4 src, dst;
    uint8_t ttl, tos, proto;
    SimIface *iface; /* arrival interface; NULL when looped back */
    bool broadcast;  /* sent to a broadcast address */
    SimTime time;    /* arrival */
} SimIpRxInfo;

/* An ICMP error about a datagram this stack sent, for the sender. */
typedef struct {
    SimIpv4 from; /* who reported it */
    uint8_t type, code;
    uint16_t mtu;             /* next-hop MTU for fragmentation needed */
    uint8_t ttl;              /* TTL of the error datagram as it arrived */
    SimIpv4Hdr orig;          /* the quoted header */
    const uint8_t *orig_data; /* the quoted payload bytes (normally 8) */
    size_t orig_len;
    SimTime time;
} SimIpIcmpError;

typedef void (*SimIpErrorFn)(void *user, const SimIpIcmpError *err);

/* Sends payload (consumed: the packet's data is the L4 message; headroom
 * SIM_PACKET_HEADROOM) as one datagram to dst, fragmenting when needed and
 * allowed. Datagrams to one of our own addresses are looped back. FALSE
 * with NET_UNREACH / MSG_SIZE when the stack refuses it at once (later
 * failures such as ARP timeouts come back as ICMP errors, as in Linux). */
gboolean sim_ip_output(SimIpStack *st, SimPacket *payload, SimIpv4 dst, uint8_t proto,
                       const SimIpTxOpts *opts, GError **error);

/* ICMP echo, for ping and traceroute -I. The reply callback gets the echo
 * data; errors quoting an echo request with this id go to err. */
typedef void (*SimIpEchoFn)(void *user, const SimIpRxInfo *rx, uint16_t id, uint16_t seq,
                            const uint8_t *data, size_t len);
/* An unused identifier, deterministic per stack (derived from the node name). */
uint16_t sim_ip_echo_alloc_id(SimIpStack *st);
gboolean sim_ip_echo_bind(SimIpStack *st, uint16_t id, SimIpEchoFn reply, SimIpErrorFn err,
                          void *user, GError **error);
void sim_ip_echo_unbind(SimIpStack *st, uint16_t id);
gboolean sim_ip_echo_send(SimIpStack *st, SimIpv4 dst, uint16_t id, uint16_t seq,
                          const uint8_t *data, size_t len, const SimIpTxOpts *opts, GError **error);

/* UDP port demux. A datagram to an unbound port draws an ICMP port
 * unreachable (unless it was broadcast). */
typedef void (*SimIpUdpFn)(void *user, const SimIpRxInfo *rx, uint16_t sport, uint16_t dport,
                           const uint8_t *data, size_t len);
/* A free ephemeral port (32768..60999, Linux's default range), in order. */
uint16_t sim_ip_udp_alloc_port(SimIpStack *st);
gboolean sim_ip_udp_bind(SimIpStack *st, uint16_t port, SimIpUdpFn recv, SimIpErrorFn err,
                         void *user, GError **error);
void sim_ip_udp_unbind(SimIpStack *st, uint16_t port);
gboolean sim_ip_udp_send(SimIpStack *st, uint16_t sport, SimIpv4 dst, uint16_t dport,
                         const uint8_t *data, size_t len, const SimIpTxOpts *opts, GError **error);

/* A whole transport protocol (TCP). input borrows pkt: the L4 message is
 * [l4_off, l4_off + l4_len). Registering UDP replaces the built-in port
 * demux. Returns FALSE if proto already has a handler. */
typedef void (*SimIpProtoFn)(void *user, const SimIpRxInfo *rx, SimPacket *pkt, size_t l4_off,
                             size_t l4_len);
gboolean sim_ip_register_proto(SimIpStack *st, uint8_t proto, SimIpProtoFn input, SimIpErrorFn err,
                               void *user);
/* The user pointer registered for proto, NULL if none: how sim/l4 finds its
 * per-stack state from a node. */
void *sim_ip_proto_user(const SimIpStack *st, uint8_t proto);
