/* dissect.h - decode a frame for display: a one-line summary and a layered
 * walk with Wireshark's protocol and field names.
 *
 * Design: display code (text trace, JSON trace, stepper) must never parse
 * bytes itself, so every reader shares this one decoder, built on the same
 * bounds-checked codecs the stack uses. The walk is a visitor rather than a
 * tree so that no allocation happens and each sink builds only what it
 * shows. Names follow Wireshark's display-filter names ("ip.ttl"), so a
 * student can type what the stepper shows into Wireshark's filter bar.
 * Nothing here reads past len; a frame that ends early yields a final layer
 * named "malformed" (and a summary saying so).
 */
#pragma once

#include "sim/net/addr.h"
#include "sim/net/l4_hdr.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Enough for every summary netsim produces; longer ones are cut. */
#define SIM_DISSECT_SUMMARY_LEN 256

/* Fills buf with one line in the style of tshark's Info column, e.g.
 * "ARP who-has 192.168.10.2 tell 192.168.10.1" or "802.1Q vlan 10, ICMP echo
 * request 192.168.10.1 > 192.168.20.1 id=0x0001 seq=1 ttl=64". Always
 * NUL-terminates when size > 0; returns the length written. */
size_t sim_dissect_summary(const uint8_t *frame, size_t len, char *buf, size_t size);

/* Callbacks of the walk; either may be NULL. Strings are only valid during
 * the call. Layers come outermost first, each followed by its fields; a
 * field belongs to the latest layer. The header an ICMP error quotes is
 * reported as further "ip" and "udp"/"tcp"/"icmp" layers whose byte range
 * lies inside the ICMP layer's range (nesting is visible from the offsets).
 * Layer names: eth vlan arp ip icmp udp tcp llc stp data malformed. Offsets and
 * lengths are in bytes from the start of the frame; several fields can share
 * bytes (the IPv4 flags). */
/* One direction of a TCP connection, and what a reader that has seen the
 * capture so far knows of it: the fields Wireshark derives from earlier
 * segments (relative numbers, the scaled window) need it. */
typedef struct {
    SimIpv4 src, dst;
    uint16_t sport, dport;
} SimDissectTcpKey;
typedef struct {
    bool isn_known, peer_isn_known;
    uint32_t isn, peer_isn; /* the SYNs' sequence numbers, this way and back */
    /* Wireshark's tcp.window_size_scalefactor for this direction: 2^shift
     * when both SYNs carried the option, -2 when one did not (no scaling),
     * -1 when the handshake was not seen. */
    int32_t scale;
} SimDissectTcpStream;

typedef struct {
    void (*layer)(void *user, const char *name, size_t offset, size_t length);
    void (*field)(void *user, const char *abbrev, const char *display_value, size_t offset,
                  size_t length);
    /* Optional: fills *out for a segment's direction and returns true when
     * the reader tracks it. The walk then adds Wireshark's derived TCP
     * fields: tcp.seq and tcp.ack (relative to the ISNs), tcp.window_size
     * and tcp.window_size_scalefactor, tcp.options.wscale.multiplier. */
    bool (*tcp_stream)(void *user, const SimDissectTcpKey *key, SimDissectTcpStream *out);
} SimDissectVisitor;

void sim_dissect_walk(const uint8_t *frame, size_t len, const SimDissectVisitor *v, void *user);

/* The TCP segment a frame carries (Ethernet, optional 802.1Q, an unfragmented
 * IPv4 datagram, a valid TCP header): its direction and header. FALSE for
 * any other frame. For readers that track connections (the stepper). */
bool sim_dissect_tcp_segment(const uint8_t *frame, size_t len, SimDissectTcpKey *key,
                             SimTcpHdr *hdr);
