/* addr.h - MAC, IPv4 and prefix value types with parse and format.
 *
 * Design: all three are plain values (no allocation). A MAC is 6 bytes, an
 * IPv4 address is a host-order uint32_t so that masks and comparisons are
 * arithmetic, and a prefix is (address, length). Parsers are strict: they
 * accept only the whole string, and report the reason in a GError in the
 * SIM_ADDR_ERROR domain so that the topology loader can quote it.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#define SIM_ADDR_ERROR (sim_addr_error_quark())
GQuark sim_addr_error_quark(void);
typedef enum { SIM_ADDR_ERROR_INVALID } SimAddrError;

typedef struct {
    uint8_t b[6];
} SimMac;

typedef uint32_t SimIpv4; /* host byte order */

typedef struct {
    SimIpv4 addr; /* network address; host bits may be set, see below */
    uint8_t len;  /* 0..32 */
} SimPrefix;

#define SIM_MAC_STRLEN 18  /* "00:0a:a4:2a:3e:4b" + NUL */
#define SIM_IPV4_STRLEN 16 /* "255.255.255.255" + NUL */
#define SIM_PREFIX_STRLEN 19

extern const SimMac SIM_MAC_BROADCAST; /* ff:ff:ff:ff:ff:ff */
extern const SimMac SIM_MAC_ZERO;

/* MAC: "00:0a:a4:2a:3e:4b" or "00-0a-a4-2a-3e-4b", either case. */
gboolean sim_mac_parse(const char *s, SimMac *out, GError **error);
/* Writes lowercase colon form into buf (>= SIM_MAC_STRLEN); returns buf. */
char *sim_mac_format(const SimMac *mac, char *buf);
bool sim_mac_equal(const SimMac *a, const SimMac *b);
bool sim_mac_is_broadcast(const SimMac *m);
bool sim_mac_is_multicast(const SimMac *m); /* I/G bit; true for broadcast */
/* 48-bit value, convenient as a hash key. */
uint64_t sim_mac_to_u64(const SimMac *m);
SimMac sim_mac_from_u64(uint64_t v);
/* Deterministic locally administered unicast MAC (02:xx:..) from an index. */
SimMac sim_mac_local(uint32_t index);

/* IPv4: dotted quad, each part 0..255 decimal, exactly four parts. */
gboolean sim_ipv4_parse(const char *s, SimIpv4 *out, GError **error);
char *sim_ipv4_format(SimIpv4 a, char *buf); /* buf >= SIM_IPV4_STRLEN */
SimIpv4 sim_ipv4_mask(uint8_t len);          /* /24 -> 0xffffff00; /0 -> 0 */
/* Inverse of sim_ipv4_mask; returns false for a non-contiguous mask. */
bool sim_ipv4_mask_len(SimIpv4 mask, uint8_t *len);

/* Prefix "a.b.c.d/n". With host bits set, parsing still succeeds, and
 * *host_bits_set (if non-NULL) tells the caller so it can warn; the stored
 * addr keeps the host bits (an interface address is written this way). */
gboolean sim_prefix_parse(const char *s, SimPrefix *out, bool *host_bits_set, GError **error);
char *sim_prefix_format(const SimPrefix *p, char *buf); /* buf >= SIM_PREFIX_STRLEN */
SimIpv4 sim_prefix_network(const SimPrefix *p);
SimIpv4 sim_prefix_broadcast(const SimPrefix *p);
bool sim_prefix_contains(const SimPrefix *p, SimIpv4 a);
/* True when the two prefixes share any address. */
bool sim_prefix_overlaps(const SimPrefix *a, const SimPrefix *b);
