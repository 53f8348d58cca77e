/* udp.h - UDP sockets (RFC 768) over the IP stack's port demux.
 *
 * Design: the stack already owns UDP input (checksum, port unreachable for
 * a closed port) and keys bindings by port, lwIP's udp_pcb without the
 * address; a SimUdpSocket adds what an application expects of a socket:
 * an ephemeral port (Linux's 32768..60999, chosen in order, so runs are
 * deterministic), an optional local address (datagrams to another of the
 * node's addresses are then dropped, traced), an optional connected peer
 * (only its datagrams are received, as connect(2) on a UDP socket does),
 * SO_BROADCAST (without it a send to a broadcast address fails with
 * EACCES, as in Linux), and ICMP errors about what it sent reported to an
 * error callback (a port unreachable is Linux's ECONNREFUSED).
 *
 * Ownership: the application owns the socket (sim_udp_free). Data passed
 * to the receive callback is borrowed for the call.
 */
#pragma once

#include "sim/l3/ipstack.h"

typedef struct _SimUdpSocket SimUdpSocket;

typedef void (*SimUdpRecvFn)(void *user, SimUdpSocket *s, SimIpv4 src, uint16_t sport,
                             const uint8_t *data, size_t len);
/* An ICMP error about a datagram this socket sent. */
typedef void (*SimUdpErrFn)(void *user, SimUdpSocket *s, const SimIpIcmpError *err);

/* NULL (with error) when the node has no IP stack. */
SimUdpSocket *sim_udp_new(SimNode *node, SimUdpRecvFn recv, SimUdpErrFn err, void *user,
                          GError **error);
void sim_udp_free(SimUdpSocket *s); /* NULL is a no-op; unbinds */
/* addr 0 = any; port 0 = ephemeral. Binding twice is an error. */
gboolean sim_udp_bind(SimUdpSocket *s, SimIpv4 addr, uint16_t port, GError **error);
/* Receive only from addr:port (0 clears). */
void sim_udp_connect(SimUdpSocket *s, SimIpv4 addr, uint16_t port);
void sim_udp_set_broadcast(SimUdpSocket *s, bool on);
/* SO_BINDTODEVICE: send out of iface with no route lookup (how a DHCP
 * client without an address reaches 255.255.255.255); NULL clears. As in
 * Linux, a limited broadcast without it needs a route (ENETUNREACH). */
void sim_udp_bind_iface(SimUdpSocket *s, SimIface *iface);
/* Sends one datagram (binding an ephemeral port first if needed). */
gboolean sim_udp_sendto(SimUdpSocket *s, SimIpv4 dst, uint16_t dport, const uint8_t *data,
                        size_t len, GError **error);
uint16_t sim_udp_port(const SimUdpSocket *s);
void sim_udp_addresses(const SimUdpSocket *s, SimIpv4 *laddr, uint16_t *lport, SimIpv4 *raddr,
                       uint16_t *rport);
