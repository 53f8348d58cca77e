/* checksum.h - the Internet checksum (RFC 1071) and its incremental update
 * (RFC 1624).
 *
 * Design: sums are carried as uint32_t partial sums of big-endian 16-bit
 * words, so a pseudo-header, a header and a payload held in different places
 * can be summed piece by piece and folded once. Every value here is in host
 * order: the checksum of bytes "b8 61" is 0xb861, and the caller stores it
 * with sim_wire_put16().
 * Rejected: summing in network order with a final byte swap (the BSD trick)
 * because it makes the partial sums harder to print and test.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "sim/net/addr.h"

/* Adds the bytes to a running sum. Every chunk but the last must have even
 * length (an odd chunk is padded with a zero byte, per RFC 1071). */
uint32_t sim_csum_partial(const void *data, size_t len, uint32_t sum);
/* Folds the carries: the 16-bit one's complement sum (not yet inverted). */
uint16_t sim_csum_fold(uint32_t sum);
/* The checksum field value: ~fold(sum). */
uint16_t sim_csum_finish(uint32_t sum);
/* Checksum of one buffer; 0 when the buffer already holds a valid checksum. */
uint16_t sim_csum(const void *data, size_t len);
/* Adds the UDP/TCP pseudo-header (src, dst, zero, proto, l4_len). */
uint32_t sim_csum_pseudo_ipv4(SimIpv4 src, SimIpv4 dst, uint8_t proto, uint16_t l4_len,
                              uint32_t sum);
/* RFC 1624 eqn. 3: the new checksum after one 16-bit word of the covered
 * data changes from old_word to new_word: HC' = ~(~HC + ~m + m'). */
uint16_t sim_csum_update16(uint16_t hc, uint16_t old_word, uint16_t new_word);
/* The same for a 32-bit field (an IPv4 address rewritten by NAT). */
uint16_t sim_csum_update32(uint16_t hc, uint32_t old_val, uint32_t new_val);
