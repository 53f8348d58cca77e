/* frames.h - test helpers that build one frame of each kind with the codecs,
 * shared by test_dissect.c and test_wire.c. Header-only (static) because
 * CMake builds each test_*.c alone. Every builder returns one reference to
 * a padded (>= 60 bytes) Ethernet frame. */
#pragma once

#include <string.h>

#include "sim/net/arp_hdr.h"
#include "sim/net/eth.h"
#include "sim/net/icmp_hdr.h"
#include "sim/net/ipv4_hdr.h"
#include "sim/net/l4_hdr.h"
#include "sim/net/packet.h"

typedef struct {
    SimMac mac;
    SimIpv4 ip;
} Ep;

/* 192.168.10.1 / 02:00:00:00:00:01, 192.168.10.2, a router, 192.168.20.1. */
static const Ep EP_A = {{{0x02, 0, 0, 0, 0, 0x01}}, 0xc0a80a01};
static const Ep EP_B = {{{0x02, 0, 0, 0, 0, 0x02}}, 0xc0a80a02};
static const Ep EP_R = {{{0x02, 0, 0, 0, 0, 0xfe}}, 0xc0a80afe};
static const Ep EP_C = {{{0x02, 0, 0, 0, 0, 0x03}}, 0xc0a81401};

static inline SimPacket *frame_eth(SimPacket *p, const SimMac *src, const SimMac *dst,
                                   uint16_t type, int vlan)
{
    SimEthHdr e = {.dst = *dst, .src = *src, .ethertype = type};
    if (vlan >= 0) {
        e.tagged = TRUE;
        e.vid = (uint16_t)vlan;
    }
    sim_eth_encode(p, &e);
    sim_eth_pad(p);
    return p;
}

static inline SimPacket *frame_arp(SimPacketPool *pool, uint16_t oper, const Ep *s, const Ep *t)
{
    SimPacket *p = sim_packet_new(pool, SIM_PACKET_HEADROOM, 0);
    SimArpHdr a = {.oper = oper, .sha = s->mac, .spa = s->ip, .tpa = t->ip};
    if (oper == SIM_ARP_REPLY)
        a.tha = t->mac;
    sim_arp_hdr_encode(p, &a);
    const SimMac *dst = oper == SIM_ARP_REQUEST ? &SIM_MAC_BROADCAST : &t->mac;
    return frame_eth(p, &s->mac, dst, SIM_ETHERTYPE_ARP, -1);
}

/* Pushes IPv4 and Ethernet in front of the L4 message already in p. */
static inline SimPacket *frame_ip(SimPacket *p, const Ep *s, const Ep *d, const SimMac *l2src,
                                  const SimMac *l2dst, uint8_t proto, uint8_t ttl, uint16_t id,
                                  int vlan)
{
    SimIpv4Hdr ip = {.id = id, .ttl = ttl, .proto = proto, .src = s->ip, .dst = d->ip};
    sim_ipv4_hdr_encode(p, &ip);
    return frame_eth(p, l2src, l2dst, SIM_ETHERTYPE_IPV4, vlan);
}

static inline SimPacket *frame_echo(SimPacketPool *pool, uint8_t type, const Ep *s, const Ep *d,
                                    uint16_t id, uint16_t seq, size_t data_len, int vlan)
{
    SimPacket *p = sim_packet_new(pool, SIM_PACKET_HEADROOM, data_len);
    for (size_t i = 0; i < data_len; i++)
        sim_packet_data(p)[i] = (uint8_t)(0x10 + i);
    SimIcmpHdr h = {.type = type, .id = id, .seq = seq};
    sim_icmp_hdr_encode(p, &h);
    return frame_ip(p, s, d, &s->mac, &d->mac, SIM_IPPROTO_ICMP, 64, seq, vlan);
}

static inline SimPacket *frame_udp(SimPacketPool *pool, const Ep *s, const Ep *d, uint16_t sport,
                                   uint16_t dport, const char *payload, uint8_t ttl)
{
    size_t n = strlen(payload);
    SimPacket *p = sim_packet_new(pool, SIM_PACKET_HEADROOM, n);
    memcpy(sim_packet_data(p), payload, n);
    SimUdpHdr u = {.sport = sport, .dport = dport};
    sim_udp_hdr_encode(p, s->ip, d->ip, &u);
    return frame_ip(p, s, d, &s->mac, &d->mac, SIM_IPPROTO_UDP, ttl, 0x4242, -1);
}

static inline SimPacket *frame_tcp_syn(SimPacketPool *pool, const Ep *s, const Ep *d,
                                       uint16_t sport, uint16_t dport, uint32_t seq)
{
    SimPacket *p = sim_packet_new(pool, SIM_PACKET_HEADROOM, 0);
    SimTcpHdr t = {.sport = sport,
                   .dport = dport,
                   .seq = seq,
                   .flags = SIM_TCP_SYN,
                   .window = 64240,
                   .mss = 1460};
    sim_tcp_hdr_encode(p, s->ip, d->ip, &t);
    return frame_ip(p, s, d, &s->mac, &d->mac, SIM_IPPROTO_TCP, 64, 0x0101, -1);
}

/* An ICMP error from router r about the IP datagram inside frame `orig`,
 * quoting its header plus 8 bytes (RFC 792), sent back to s. */
static inline SimPacket *frame_icmp_error(SimPacketPool *pool, uint8_t type, uint8_t code,
                                          uint16_t mtu, const Ep *r, const Ep *s,
                                          const SimPacket *orig)
{
    const uint8_t *ip = sim_packet_cdata(orig) + SIM_ETH_HLEN;
    size_t quote = (size_t)(ip[0] & 0x0f) * 4 + SIM_ICMP_QUOTE_PAYLOAD;
    SimPacket *p = sim_packet_new(pool, SIM_PACKET_HEADROOM, quote);
    memcpy(sim_packet_data(p), ip, quote);
    SimIcmpHdr h = {.type = type, .code = code, .mtu = mtu};
    sim_icmp_hdr_encode(p, &h);
    return frame_ip(p, r, s, &r->mac, &s->mac, SIM_IPPROTO_ICMP, 255, 0x0777, -1);
}

/* An echo request of data_len bytes split into fragments of at most
 * frag_payload bytes (a multiple of 8); returns the number made. */
static inline size_t frame_fragments(SimPacketPool *pool, const Ep *s, const Ep *d, size_t data_len,
                                     size_t frag_payload, SimPacket **out, size_t max)
{
    SimPacket *whole = sim_packet_new(pool, SIM_PACKET_HEADROOM, data_len);
    for (size_t i = 0; i < data_len; i++)
        sim_packet_data(whole)[i] = (uint8_t)i;
    SimIcmpHdr h = {.type = SIM_ICMP_ECHO_REQUEST, .id = 0x77, .seq = 9};
    sim_icmp_hdr_encode(whole, &h);
    size_t total = sim_packet_len(whole), n = 0;
    for (size_t off = 0; off < total && n < max; off += frag_payload) {
        size_t chunk = MIN(frag_payload, total - off);
        SimPacket *f = sim_packet_new(pool, SIM_PACKET_HEADROOM, chunk);
        memcpy(sim_packet_data(f), sim_packet_cdata(whole) + off, chunk);
        SimIpv4Hdr ip = {.id = 0x5151,
                         .mf = off + chunk < total,
                         .frag_off = (uint16_t)off,
                         .ttl = 64,
                         .proto = SIM_IPPROTO_ICMP,
                         .src = s->ip,
                         .dst = d->ip};
        sim_ipv4_hdr_encode(f, &ip);
        out[n++] = frame_eth(f, &s->mac, &d->mac, SIM_ETHERTYPE_IPV4, -1);
    }
    sim_packet_unref(whole);
    return n;
}
