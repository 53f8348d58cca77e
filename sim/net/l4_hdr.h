/* l4_hdr.h - UDP (RFC 768) and TCP (RFC 9293) header codecs.
 *
 * Design: both checksums cover an IPv4 pseudo-header, so encode and decode
 * take the addresses. Decoders are given exactly the IP payload (total_len -
 * hdr_len), report checksum_ok rather than failing (a bad checksum is a
 * traced drop, not a parse error), and bounds-check every length field. TCP
 * options are walked for well-formedness; MSS and window scale (RFC 7323
 * §2) are extracted, the two options netsim's TCP uses (timestamps and SACK
 * are walked over, never generated).
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/net/addr.h"
#include "sim/net/packet.h"

#define SIM_UDP_HLEN 8
#define SIM_TCP_HLEN 20
#define SIM_TCP_MAX_HLEN 60

#define SIM_TCP_FIN 0x01
#define SIM_TCP_SYN 0x02
#define SIM_TCP_RST 0x04
#define SIM_TCP_PSH 0x08
#define SIM_TCP_ACK 0x10
#define SIM_TCP_URG 0x20
#define SIM_TCP_ECE 0x40
#define SIM_TCP_CWR 0x80

typedef struct {
    uint16_t sport;
    uint16_t dport;
    uint16_t length;      /* header + payload */
    uint16_t checksum;    /* as received; 0 means "not computed" */
    gboolean checksum_ok; /* also TRUE when no checksum was sent */
} SimUdpHdr;

typedef struct {
    uint16_t sport;
    uint16_t dport;
    uint32_t seq;
    uint32_t ack;
    uint8_t flags; /* SIM_TCP_* */
    uint16_t window;
    uint16_t checksum; /* as received */
    uint16_t urgent;
    uint16_t mss;    /* MSS option value; 0 = absent (encode: don't send) */
    bool has_wscale; /* window scale option present (encode: send NOP + WS) */
    uint8_t wscale;  /* its shift count as written */
    size_t hdr_len;  /* data offset in bytes, 20..60 */
    gboolean checksum_ok;
} SimTcpHdr;

/* len is the IP payload length; requires 8 <= length field <= len, and
 * verifies the checksum over `length` bytes. */
gboolean sim_udp_hdr_decode(const uint8_t *buf, size_t len, SimIpv4 src, SimIpv4 dst,
                            SimUdpHdr *out, GError **error);
/* Pushes the header in front of p's data (the payload) with length and
 * checksum filled in; a computed checksum of 0 is sent as 0xffff (RFC 768).
 * Uses sport and dport of h. */
uint8_t *sim_udp_hdr_encode(SimPacket *p, SimIpv4 src, SimIpv4 dst, const SimUdpHdr *h);

/* len is the IP payload length (header + segment data); the data offset must
 * fit in it and the options must be well formed. */
gboolean sim_tcp_hdr_decode(const uint8_t *buf, size_t len, SimIpv4 src, SimIpv4 dst,
                            SimTcpHdr *out, GError **error);
/* Pushes a 20-byte header (+4 with an MSS option when h->mss != 0, +4 with
 * NOP and window scale when h->has_wscale) in front of p's data with the
 * checksum filled in. hdr_len and checksum of h are ignored. */
uint8_t *sim_tcp_hdr_encode(SimPacket *p, SimIpv4 src, SimIpv4 dst, const SimTcpHdr *h);
/* "SYN, ACK" style list of the flags set, as Wireshark writes them. buf must
 * hold at least SIM_TCP_FLAGS_STRLEN bytes. Returns buf. */
#define SIM_TCP_FLAGS_STRLEN 48
char *sim_tcp_flags_format(uint8_t flags, char *buf);
