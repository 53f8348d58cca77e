/* tcp_sndq.h - a TCP send buffer held as segment-sized packets.
 *
 * Design: the bytes the application queued and the peer has not yet
 * acknowledged, as a run of chunks, each a SimPacket of at most one MSS
 * with room for the headers in front (Linux's write queue of skbs). A
 * segment that starts at a chunk's first byte goes out as a
 * sim_packet_share() view of it: its payload is not copied, and the frames
 * in flight or queued at the sender's NIC cost only their headers. Any
 * other segment (a chunk boundary crossed after the MSS shrank, a
 * retransmission while the first copy is still in the network) is copied
 * out, as before.
 * Costs: append and drop O(1) amortized per chunk; finding an offset is
 * O(1) for the chunk after the last one found (sending in order), else a
 * binary search over the chunks.
 * Rejected: one ring of sndbuf bytes with every segment a copy (the old
 * code): in a 1 Gb/s bulk transfer the ring and the copies in flight held
 * the send buffer twice (docs/performance.md).
 *
 * Ownership: the queue owns its chunks; tcp_sndq_share() returns one
 * reference to a new packet, which the caller sends (consumes).
 */
#pragma once

#include "sim/net/l4_hdr.h"
#include "sim/net/packet.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
    SimPacket *p;
    uint64_t pos; /* stream position of its first byte */
} TcpChunk;

typedef struct {
    SimPacketPool *pool;
    TcpChunk *ring;
    size_t cap, head, n; /* cap: a power of two */
    size_t hint;         /* the chunk found last (segments go in order) */
    uint64_t base;       /* stream position of the first queued byte */
    size_t len;          /* bytes queued */
} TcpSndq;

/* Room in front of a segment: Ethernet, 802.1Q, IPv4 and TCP with the
 * largest options. */
#define TCP_HEADROOM (SIM_PACKET_HEADROOM + SIM_TCP_MAX_HLEN)
/* Room in front of a data segment (a chunk): the same headers, TCP with at
 * most 12 bytes of options (data segments carry none today; timestamps
 * would take 12). Headroom plus a 1460-byte MSS is SIM_PACKET_FRAME. */
#define TCP_DATA_HEADROOM (SIM_PACKET_HEADROOM + 12)

void tcp_sndq_init(TcpSndq *q, SimPacketPool *pool);
void tcp_sndq_clear(TcpSndq *q);
/* Appends n bytes (copied), filling chunks up to mss bytes each. */
void tcp_sndq_append(TcpSndq *q, const uint8_t *data, size_t n, size_t mss);
/* Drops the first n bytes (acknowledged). */
void tcp_sndq_drop(TcpSndq *q, size_t n);
/* Copies [off, off + len) of the queue to dst. */
void tcp_sndq_copy(TcpSndq *q, size_t off, uint8_t *dst, size_t len);
/* A shared view of [off, off + len) when one chunk starts at off and holds
 * len bytes and no other view of it is alive; NULL otherwise. */
SimPacket *tcp_sndq_share(TcpSndq *q, size_t off, size_t len);
