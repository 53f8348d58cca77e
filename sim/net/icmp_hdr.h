/* icmp_hdr.h - RFC 792 ICMP header codec.
 *
 * Design: the 4-byte "rest of header" means different things per type; the
 * decoder fills every view of it (id/seq, next-hop MTU, raw) and the encoder
 * picks the one that matches the type, so callers never shift bits. The
 * checksum covers the whole ICMP message, so decode must be given exactly
 * the IP payload (total_len - hdr_len), not the Ethernet padding after it.
 */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/net/packet.h"

#define SIM_ICMP_ECHO_REPLY 0
#define SIM_ICMP_DEST_UNREACH 3
#define SIM_ICMP_ECHO_REQUEST 8
#define SIM_ICMP_TIME_EXCEEDED 11

/* Destination unreachable codes (RFC 792, RFC 1191 for 4) */
#define SIM_ICMP_UNREACH_NET 0
#define SIM_ICMP_UNREACH_HOST 1
#define SIM_ICMP_UNREACH_PROTO 2
#define SIM_ICMP_UNREACH_PORT 3
#define SIM_ICMP_UNREACH_FRAG_NEEDED 4
/* Time exceeded codes */
#define SIM_ICMP_EXC_TTL 0
#define SIM_ICMP_EXC_REASSEMBLY 1

#define SIM_ICMP_HLEN 8
/* An error quotes the original IP header plus this many payload bytes. */
#define SIM_ICMP_QUOTE_PAYLOAD 8

typedef struct {
    uint8_t type;
    uint8_t code;
    uint16_t checksum; /* as received */
    uint16_t id;       /* echo request/reply */
    uint16_t seq;      /* echo request/reply */
    uint16_t mtu;      /* next-hop MTU of dest-unreachable/frag-needed */
    uint32_t rest;     /* the raw 4 bytes after the checksum */
    gboolean checksum_ok;
} SimIcmpHdr;

/* True for the types whose body quotes an offending datagram. */
gboolean sim_icmp_is_error(uint8_t type);
/* buf/len is the whole ICMP message. Fails only when shorter than 8 bytes. */
gboolean sim_icmp_hdr_decode(const uint8_t *buf, size_t len, SimIcmpHdr *out, GError **error);
/* Pushes the 8-byte header in front of p's data (the ICMP body) and sets
 * the checksum over the whole message. The rest field written is id/seq for
 * echo types, mtu for frag-needed, and h->rest for anything else. */
uint8_t *sim_icmp_hdr_encode(SimPacket *p, const SimIcmpHdr *h);
