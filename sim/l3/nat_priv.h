/* nat_priv.h - the NAT's hooks in the IPv4 forwarding path (ipv4_in.c).
 * Nothing outside sim/l3 includes this.
 */
#pragma once

#include "sim/l3/ipstack_priv.h"

typedef enum {
    NAT_LOCAL,    /* not translated: continue as usual */
    NAT_FORWARD,  /* translated to an inside destination: forward it */
    NAT_CONSUMED, /* dropped (traced) or held for reassembly */
} NatVerdict;

/* A datagram arriving on the outside interface for a global address
 * (header h at *off of *pkt; both may be replaced: reassembly, copy on
 * write). On NAT_FORWARD h describes the translated datagram. */
NatVerdict nat_inbound(SimIpStack *st, SimIpIf *in, SimPacket **pkt, size_t *off, SimIpv4Hdr *h);
/* A datagram routed from in to out: translated when it goes inside →
 * outside. FALSE once it was consumed (dropped or held). */
bool nat_outbound(SimIpStack *st, SimIpIf *in, SimIpIf *out, SimPacket **pkt, size_t *off,
                  SimIpv4Hdr *h);
/* A datagram the router itself sends out of ifp (header at offset 0): a
 * flow from the outside address gets an identity mapping, as Linux
 * conntrack tracks local flows, so that its replies are recognised and no
 * inside host is given its port. FALSE once pkt was dropped (consumed). */
bool nat_local_out(SimIpStack *st, SimIpIf *out, SimPacket *pkt);
/* An ICMP error the router itself is about to send (icmp: the ICMP message,
 * its quote included) about a datagram that arrived on in: when in is the
 * outside and the quote's destination is the inside endpoint of a mapping
 * (the datagram was translated in: a reply or a port forward), the quote's
 * destination is put back to the global address and port its sender used,
 * and *src becomes that global address, as Linux's
 * nf_nat_icmp_reply_translation does. */
void nat_own_error(SimIpStack *st, SimIpIf *in, SimPacket *icmp, SimIpv4 *src);
bool nat_is_global(const SimNat *nat, SimIpv4 a);
void nat_free(SimNat *nat);
