/* dns_msg.h - DNS message codec (RFC 1035 §4, RFC 2181 clarifications).
 *
 * Design: smoltcp's split, as dhcp_msg.h. A SimDnsMsg holds the header,
 * the questions and the resource records of the three sections in one
 * fixed array (no allocation: a message fits in a ~40 KiB struct the
 * caller owns). Names are kept as dotted text without the trailing dot,
 * "" for the root, case preserved (compare with g_ascii_strcasecmp).
 *
 * Receiving: every name is fully decompressed. Loop protection: a
 * compression pointer must point strictly before the start of the label
 * run that contains it (the run where the previous jump landed, or the
 * name's first byte), so each jump moves backwards and a name cannot loop;
 * a name longer than 255 bytes on the wire is rejected too. Rejected
 * alternative: a hop counter alone (terminates, but accepts forward
 * pointers no encoder produces). Labels with bytes outside printable
 * ASCII, '.' or '\\' are UNSUPPORTED: their text form would be ambiguous,
 * and netsim's zones only hold host names.
 *
 * Sending: names are compressed (RFC 1035 §4.1.4) against every suffix
 * already written, in owner names and in the RDATA of NS, CNAME, SOA and
 * MX (the types RFC 3597 §4 still allows it for). A message that does not
 * fit the given capacity is cut at a record boundary and gets TC set
 * (RFC 2181 §9), as a UDP server over 512 bytes would.
 *
 * RDATA kept: A, NS, CNAME, SOA, MX, TXT parsed; any other type is kept
 * as up to SIM_DNS_MAX_RAW raw bytes (longer ones are MALFORMED for us).
 * TXT keeps its character-strings concatenated (up to 255 bytes) and
 * emits them as one string.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/net/addr.h"

#define SIM_DNS_PORT 53
#define SIM_DNS_HLEN 12
#define SIM_DNS_UDP_MAX 512  /* RFC 1035 §4.2.1, without EDNS */
#define SIM_DNS_NAME_MAX 255 /* wire bytes of a name (RFC 1035 §3.1) */
#define SIM_DNS_NAME_BUF 256 /* text form: at most 253 chars + NUL */
#define SIM_DNS_MAX_QD 4
#define SIM_DNS_MAX_RR 32 /* answer + authority + additional */
#define SIM_DNS_MAX_RAW 255
#define SIM_DNS_MAX_TXT 255

/* Header flag bits (host order of the 16-bit flags word). */
#define SIM_DNS_QR 0x8000
#define SIM_DNS_AA 0x0400
#define SIM_DNS_TC 0x0200
#define SIM_DNS_RD 0x0100
#define SIM_DNS_RA 0x0080
#define SIM_DNS_OPCODE(f) (((f) >> 11) & 0xf)
#define SIM_DNS_RCODE(f) ((f)&0xf)

enum {
    SIM_DNS_T_A = 1,
    SIM_DNS_T_NS = 2,
    SIM_DNS_T_CNAME = 5,
    SIM_DNS_T_SOA = 6,
    SIM_DNS_T_MX = 15,
    SIM_DNS_T_TXT = 16,
    SIM_DNS_CLASS_IN = 1,
};

enum {
    SIM_DNS_NOERROR = 0,
    SIM_DNS_FORMERR = 1,
    SIM_DNS_SERVFAIL = 2,
    SIM_DNS_NXDOMAIN = 3,
    SIM_DNS_NOTIMP = 4,
    SIM_DNS_REFUSED = 5,
};

typedef struct {
    char name[SIM_DNS_NAME_BUF];
    uint16_t type, klass;
} SimDnsQuestion;

typedef struct {
    char name[SIM_DNS_NAME_BUF];
    uint16_t type, klass;
    uint32_t ttl;
    SimIpv4 a;                                        /* A */
    char target[SIM_DNS_NAME_BUF];                    /* NS, CNAME, MX exchange, SOA mname */
    char rname[SIM_DNS_NAME_BUF];                     /* SOA */
    uint16_t pref;                                    /* MX */
    uint32_t serial, refresh, retry, expire, minimum; /* SOA */
    uint16_t data_len;                                /* TXT text or raw RDATA length */
    uint8_t data[SIM_DNS_MAX_RAW + 1];                /* TXT text (NUL-terminated) or raw */
} SimDnsRr;

typedef struct {
    uint16_t id, flags;
    uint16_t n_qd, n_an, n_ns, n_ar;
    SimDnsQuestion qd[SIM_DNS_MAX_QD];
    SimDnsRr rr[SIM_DNS_MAX_RR]; /* answers, then authority, then additional */
} SimDnsMsg;

/* Parses one message (a UDP payload). Counts above the array sizes are
 * UNSUPPORTED; anything that runs past len, a bad label type, a pointer
 * loop or forward pointer, a name over 255 bytes or RDATA whose length
 * disagrees with its type is MALFORMED or TRUNCATED (SIM_WIRE_ERROR).
 * Bytes after the last record are ignored. */
gboolean sim_dns_msg_parse(const uint8_t *buf, size_t len, SimDnsMsg *out, GError **error);
/* Writes m into buf (cap bytes, at least SIM_DNS_HLEN) with compression;
 * returns the length. Records that do not fit are left out and TC is set;
 * questions are assumed to fit. Names must be valid text (labels 1..63
 * bytes, at most 253 characters). */
size_t sim_dns_msg_emit(const SimDnsMsg *m, uint8_t *buf, size_t cap);
/* "A", "NS", ... or "TYPE<n>" (RFC 3597) into buf of at least 12 bytes. */
const char *sim_dns_type_name(uint16_t type, char *buf);
/* "NOERROR", "NXDOMAIN", ... as dig prints them. */
const char *sim_dns_rcode_name(unsigned rcode);
/* Appends a record to the answer, authority or additional section count
 * (section 0, 1, 2) and returns it zeroed but for name/type/class/ttl, or
 * NULL when the message is full. Records must be added section by section. */
SimDnsRr *sim_dns_msg_add_rr(SimDnsMsg *m, int section, const char *name, uint16_t type,
                             uint32_t ttl);
