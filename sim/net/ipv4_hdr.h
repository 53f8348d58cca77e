/* ipv4_hdr.h - RFC 791 IPv4 header codec and in-place TTL/checksum edits.
 *
 * Design: the decoder validates structure (version, IHL, total length) but
 * reports a bad header checksum as checksum_ok = FALSE instead of failing,
 * so that the caller can count and trace a "checksum bad" drop. Options are
 * allowed and skipped (hdr_len covers them); the encoder never writes any.
 * A forwarding router edits the header in place (sim_ipv4_hdr_dec_ttl) with
 * the RFC 1624 incremental update rather than a full recompute, as real
 * routers do.
 */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/net/addr.h"
#include "sim/net/packet.h"

#define SIM_IPPROTO_ICMP 1
#define SIM_IPPROTO_TCP 6
#define SIM_IPPROTO_UDP 17

#define SIM_IPV4_HLEN 20 /* without options */
#define SIM_IPV4_MAX_HLEN 60
#define SIM_IPV4_MAX_LEN 65535
#define SIM_IPV4_DEFAULT_TTL 64

typedef struct {
    uint8_t version;    /* 4 */
    uint8_t ihl;        /* header length in 32-bit words, 5..15 */
    uint8_t tos;        /* DSCP << 2 | ECN */
    uint16_t total_len; /* header + payload, bytes */
    uint16_t id;
    gboolean rf;       /* reserved flag (must be zero; reported, not rejected) */
    gboolean df;       /* don't fragment */
    gboolean mf;       /* more fragments */
    uint16_t frag_off; /* fragment offset in BYTES (the wire value x 8) */
    uint8_t ttl;
    uint8_t proto;
    uint16_t checksum; /* as received */
    SimIpv4 src;
    SimIpv4 dst;
    size_t hdr_len; /* ihl * 4 */
    gboolean checksum_ok;
} SimIpv4Hdr;

/* Validates version == 4, IHL >= 5, hdr_len <= total_len <= len. Bytes past
 * total_len (Ethernet padding) are allowed. */
gboolean sim_ipv4_hdr_decode(const uint8_t *buf, size_t len, SimIpv4Hdr *out, GError **error);
/* The same for the original header quoted in an ICMP error, whose datagram
 * is cut short: only the header itself (hdr_len bytes) must be present. */
gboolean sim_ipv4_hdr_decode_quoted(const uint8_t *buf, size_t len, SimIpv4Hdr *out,
                                    GError **error);
/* Pushes a 20-byte header in front of p's current data, with version 4,
 * IHL 5, total_len = 20 + the current length, and a correct checksum. Uses
 * tos, id, df, mf, frag_off (a multiple of 8), ttl, proto, src, dst of h; the
 * other fields are ignored. Returns the header. */
uint8_t *sim_ipv4_hdr_encode(SimPacket *p, const SimIpv4Hdr *h);
/* Decrements the TTL of the header at hdr (which must be > 0) and updates
 * the checksum incrementally (RFC 1624). Returns the new TTL. */
uint8_t sim_ipv4_hdr_dec_ttl(uint8_t *hdr);
/* Recomputes the checksum of the header at hdr over its IHL. */
void sim_ipv4_hdr_set_checksum(uint8_t *hdr);
