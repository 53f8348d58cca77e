/* dhcp_msg.h - BOOTP/DHCP message codec (RFC 951, RFC 2131 §2, options
 * RFC 2132), Ethernet hardware addresses only.
 *
 * Design: smoltcp's split. A SimDhcpMsg is the parsed representation: the
 * fixed BOOTP fields plus the options netsim speaks (53 message type, 1
 * mask, 3 routers, 6 DNS servers, 15 domain, 50 requested address, 51
 * lease, 54 server identifier, 55 parameter list, 58 T1, 59 T2, 61 client
 * identifier). sim_dhcp_msg_parse reads the UDP payload with a length
 * check before every access; sim_dhcp_msg_emit writes it back. Options the
 * codec does not know are skipped over (RFC 2131 §4.1: "ignore options it
 * does not understand"); a known option with an impossible length, an
 * option running past the message or a missing end option (255) is
 * MALFORMED, so the receiver drops the message with a reason.
 *
 * Differences from a full implementation, kept on purpose: option overload
 * (52) and RFC 3396 long-option concatenation are not supported; sname and
 * file are carried as zeros and ignored on receipt (netsim boots no
 * images); a repeated option keeps its last instance. Emitted messages are
 * padded to 300 bytes, the BOOTP minimum that dhclient and most servers
 * send (RFC 1542 §2.1).
 *
 * Ownership: plain values; no allocation.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/net/addr.h"

#define SIM_DHCP_SERVER_PORT 67
#define SIM_DHCP_CLIENT_PORT 68
#define SIM_DHCP_FIXED_LEN 236 /* op .. file */
#define SIM_DHCP_MIN_LEN 240   /* fixed part + magic cookie */
#define SIM_DHCP_EMIT_MIN 300  /* BOOTP minimum, padded to on emit */
#define SIM_DHCP_MAX_LEN 576   /* what emit may write (RFC 2131 §2 minimum MTU) */
#define SIM_DHCP_MAGIC 0x63825363u
#define SIM_DHCP_FLAG_BROADCAST 0x8000
#define SIM_DHCP_BOOTREQUEST 1
#define SIM_DHCP_BOOTREPLY 2

#define SIM_DHCP_MAX_ADDRS 4   /* routers or DNS servers kept */
#define SIM_DHCP_MAX_PARAMS 32 /* parameter request list entries kept */
#define SIM_DHCP_MAX_DOMAIN 63 /* domain name bytes kept */
#define SIM_DHCP_MAX_CLIENTID 32

typedef enum {
    SIM_DHCP_NONE = 0, /* BOOTP, no option 53 */
    SIM_DHCPDISCOVER = 1,
    SIM_DHCPOFFER = 2,
    SIM_DHCPREQUEST = 3,
    SIM_DHCPDECLINE = 4,
    SIM_DHCPACK = 5,
    SIM_DHCPNAK = 6,
    SIM_DHCPRELEASE = 7,
    SIM_DHCPINFORM = 8,
} SimDhcpType;

enum {
    SIM_DHCP_OPT_PAD = 0,
    SIM_DHCP_OPT_MASK = 1,
    SIM_DHCP_OPT_ROUTER = 3,
    SIM_DHCP_OPT_DNS = 6,
    SIM_DHCP_OPT_DOMAIN = 15,
    SIM_DHCP_OPT_REQUESTED = 50,
    SIM_DHCP_OPT_LEASE = 51,
    SIM_DHCP_OPT_TYPE = 53,
    SIM_DHCP_OPT_SERVER_ID = 54,
    SIM_DHCP_OPT_PARAMS = 55,
    SIM_DHCP_OPT_T1 = 58,
    SIM_DHCP_OPT_T2 = 59,
    SIM_DHCP_OPT_CLIENT_ID = 61,
    SIM_DHCP_OPT_END = 255,
};

typedef struct {
    /* Fixed BOOTP fields. htype/hlen are always Ethernet (1/6). */
    uint8_t op; /* SIM_DHCP_BOOTREQUEST or SIM_DHCP_BOOTREPLY */
    uint8_t hops;
    uint32_t xid;
    uint16_t secs;
    uint16_t flags; /* SIM_DHCP_FLAG_BROADCAST */
    SimIpv4 ciaddr, yiaddr, siaddr, giaddr;
    SimMac chaddr;
    /* Options; a has_* flag or a zero count means "absent". */
    SimDhcpType type;
    bool has_mask, has_requested, has_lease, has_server_id, has_t1, has_t2;
    SimIpv4 mask, requested, server_id;
    uint32_t lease, t1, t2; /* seconds; 0xffffffff is infinite */
    uint8_t n_routers, n_dns, n_params, clientid_len;
    SimIpv4 routers[SIM_DHCP_MAX_ADDRS];
    SimIpv4 dns[SIM_DHCP_MAX_ADDRS];
    uint8_t params[SIM_DHCP_MAX_PARAMS];
    uint8_t clientid[SIM_DHCP_MAX_CLIENTID]; /* type byte first (1 = Ethernet) */
    char domain[SIM_DHCP_MAX_DOMAIN + 1];    /* NUL-terminated; "" = absent */
} SimDhcpMsg;

/* Parses a UDP payload. Rejects (SIM_WIRE_ERROR): fewer than 240 bytes or
 * a missing end option (TRUNCATED), htype/hlen other than Ethernet or a
 * bad magic cookie (UNSUPPORTED), op other than 1/2, a known option with a
 * wrong length, a message type outside 1..8 or a domain with a NUL
 * (MALFORMED). Lists longer than the arrays keep their first entries. */
gboolean sim_dhcp_msg_parse(const uint8_t *buf, size_t len, SimDhcpMsg *out, GError **error);
/* Writes m into buf (at least SIM_DHCP_MAX_LEN bytes) and returns the
 * length, 300 or more. Options go in RFC 2131's customary order: 53
 * first, then 61, 50, 54, 51, 58, 59, 1, 3, 6, 15, 55, end. */
size_t sim_dhcp_msg_emit(const SimDhcpMsg *m, uint8_t *buf);
/* "DHCPDISCOVER" ..., "BOOTP" for SIM_DHCP_NONE, "DHCP?" otherwise. */
const char *sim_dhcp_type_name(SimDhcpType t);
