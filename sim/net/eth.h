/* eth.h - Ethernet II and IEEE 802.1Q header codec.
 *
 * Design: a decoded header is a plain value; decoding never allocates and
 * never reads past len. One tag level only: a second tag (Q-in-Q) is left
 * for the caller as inner ethertype 0x8100. The frame check sequence is not
 * modelled, as in a capture taken on a host (pcap files carry no FCS).
 * A type/length value <= 1500 is an IEEE 802.3 length (LLC frames such as
 * STP BPDUs); it is reported as `ethertype` unchanged and the caller decides.
 */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/net/addr.h"
#include "sim/net/packet.h"

#define SIM_ETHERTYPE_IPV4 0x0800
#define SIM_ETHERTYPE_ARP 0x0806
#define SIM_ETHERTYPE_VLAN 0x8100 /* the 802.1Q TPID */

#define SIM_ETH_HLEN 14
#define SIM_ETH_VLAN_HLEN 18
#define SIM_ETH_VLAN_TAGLEN 4
#define SIM_ETH_MIN_FRAME 60 /* 64-byte minimum minus the 4-byte FCS */
#define SIM_ETH_MTU 1500
#define SIM_ETH_MAX_8023_LEN 1500 /* type/length values up to this are lengths */
#define SIM_VLAN_VID_MAX 4094     /* 0 = priority tag only, 4095 reserved */

typedef struct {
    SimMac dst;
    SimMac src;
    gboolean tagged;    /* an 802.1Q tag follows the source MAC */
    uint8_t pcp;        /* priority code point, 0..7 (tagged only) */
    gboolean dei;       /* drop eligible indicator (tagged only) */
    uint16_t vid;       /* VLAN id, 0..4095 (tagged only) */
    uint16_t ethertype; /* the payload's type, after any tag */
    size_t hdr_len;     /* 14 or 18: offset of the payload */
} SimEthHdr;

/* Fails with SIM_WIRE_ERROR_TRUNCATED when the frame is shorter than the
 * header (or the tag it announces). */
gboolean sim_eth_decode(const uint8_t *buf, size_t len, SimEthHdr *out, GError **error);
/* Pushes the header (with a tag when h->tagged) in front of p, which must be
 * writable with enough headroom. hdr_len is ignored. Returns the header. */
uint8_t *sim_eth_encode(SimPacket *p, const SimEthHdr *h);
/* Appends zero bytes up to SIM_ETH_MIN_FRAME, as a NIC pads a short frame. */
void sim_eth_pad(SimPacket *p);
/* Inserts an 802.1Q tag after the MACs of an untagged frame (a switch
 * sending out of a trunk port). p must be writable with 4 bytes headroom. */
void sim_eth_vlan_insert(SimPacket *p, uint16_t vid, uint8_t pcp);
/* Consumes p (shared or not) and returns it with the tag inserted: made
 * writable, and moved into a new buffer of the pool (same uid) when it has
 * less than 4 bytes of headroom. */
SimPacket *sim_eth_vlan_tag(SimPacketPool *pool, SimPacket *p, uint16_t vid, uint8_t pcp);
/* Consumes p and returns it without its tag (writable, padded to the
 * minimum); an untagged frame comes back unchanged. */
SimPacket *sim_eth_vlan_untag(SimPacket *p);
/* Removes the tag of a tagged frame and pads back to the minimum size (a
 * switch sending out of an access port). p must be writable. Returns FALSE,
 * changing nothing, when the frame carries no tag. */
gboolean sim_eth_vlan_strip(SimPacket *p);
