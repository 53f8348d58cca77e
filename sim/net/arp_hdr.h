/* arp_hdr.h - RFC 826 ARP packet codec, Ethernet/IPv4 only.
 *
 * Design: only the one hardware/protocol pair netsim models is accepted;
 * anything else is reported as SIM_WIRE_ERROR_UNSUPPORTED so that a host
 * ignores it (RFC 826: "if the pair is not understood, discard").
 */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/net/addr.h"
#include "sim/net/packet.h"

#define SIM_ARP_HTYPE_ETHERNET 1
#define SIM_ARP_REQUEST 1
#define SIM_ARP_REPLY 2
#define SIM_ARP_LEN 28 /* the Ethernet/IPv4 packet; the frame pads to 60 */

typedef struct {
    uint16_t oper; /* SIM_ARP_REQUEST or SIM_ARP_REPLY */
    SimMac sha;    /* sender hardware address */
    SimIpv4 spa;   /* sender protocol address */
    SimMac tha;    /* target hardware address (zero in a request) */
    SimIpv4 tpa;   /* target protocol address */
} SimArpHdr;

/* Reads the 28-byte packet at buf; bytes past it (Ethernet padding) are
 * ignored. Rejects other htype/ptype/hlen/plen and opcodes other than 1, 2. */
gboolean sim_arp_hdr_decode(const uint8_t *buf, size_t len, SimArpHdr *out, GError **error);
/* Pushes the 28-byte packet in front of p (normally empty). */
uint8_t *sim_arp_hdr_encode(SimPacket *p, const SimArpHdr *h);
