/* packet.h - refcounted frame buffers with headroom, from a free-list pool.
 *
 * Design: a SimPacket is one contiguous buffer holding the frame bytes at
 * [head, head+len). Senders build frames inside-out: reserve headroom, write
 * the payload, then sim_packet_push() each header in front without copying
 * (lwIP pbuf / Linux skb style). Receivers never modify a shared packet: they
 * parse with offsets. A device that must rewrite bytes (a router lowering the
 * TTL) calls sim_packet_make_writable(), which copies only when shared.
 *
 * Buffers come from a SimPacketPool with free lists, so steady state does no
 * malloc per packet. Buffers up to SIM_PACKET_SMALL bytes of capacity are
 * pooled in three size classes; larger ones (reassembled datagrams) are
 * allocated exactly and also kept on a free list.
 *
 * Shared payload (Linux's skb clone with a payload-only reference): a
 * sender that keeps data for retransmission (TCP's send queue) holds it as
 * packets and sends sim_packet_share() views of them, so a segment in
 * flight costs no copy of its payload. The owner becomes payload-only: it
 * never reads outside its view and never writes. The other packets on the
 * buffer may push headers in front and rewrite them (make_writable does
 * not copy for a payload-only sharer); nothing in netsim writes the payload
 * of a frame it forwards (routers, NAT and VLAN tagging rewrite headers).
 *
 * Ownership: every function that takes a SimPacket * and is documented as
 * "consumes" takes over one reference. Everywhere else the pointer is
 * borrowed. A frame is identified across copies by its uid, which
 * sim_packet_make_writable() and sim_packet_copy() preserve.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_PACKET_SMALL 2048  /* capacity of the largest pooled class */
#define SIM_PACKET_FRAME 1536  /* TCP's MSS-sized segment (1460) and its headroom */
#define SIM_PACKET_TINY 256    /* ACKs, ARP, small pings */
#define SIM_PACKET_HEADROOM 64 /* enough for Eth + 802.1Q + IPv4 + TCP opts */

typedef struct _SimPacket SimPacket;
typedef struct _SimPacketPool SimPacketPool;

SimPacketPool *sim_packet_pool_new(void);
/* Frees every pooled buffer. All packets must have been unreffed. */
void sim_packet_pool_free(SimPacketPool *pool);
/* Statistics: buffers ever malloc'd, buffers currently handed out. */
uint64_t sim_packet_pool_allocated(const SimPacketPool *pool);
uint64_t sim_packet_pool_in_use(const SimPacketPool *pool);
/* Bytes of buffer capacity handed out now (a pooled buffer counts its
 * class's capacity however short its frame). */
uint64_t sim_packet_pool_bytes_in_use(const SimPacketPool *pool);

/* The model's buffer memory. Frames only pile up where something holds
 * them for a while (a link's queue), and a topology can ask for queues that
 * together hold more than the real machine has: a million-frame queue full
 * of 2 KB buffers is 2 GB. So the simulated network has a budget, like a
 * device's packet memory: while the buffers in use exceed it, places that
 * would hold another frame drop it instead, as a counted and traced drop
 * ("buffer memory limit"). Allocation itself never fails. 0: no budget. */
#define SIM_PACKET_DEFAULT_LIMIT ((uint64_t)2 << 30) /* 2 GiB */
void sim_packet_pool_set_limit(SimPacketPool *pool, uint64_t bytes);
bool sim_packet_pool_over_limit(const SimPacketPool *pool);

/* A new packet with `len` zeroed bytes of data and at least `headroom` bytes
 * free in front. Returns one reference. uid is the pool's next number. */
SimPacket *sim_packet_new(SimPacketPool *pool, size_t headroom, size_t len);
SimPacket *sim_packet_ref(SimPacket *p);
void sim_packet_unref(SimPacket *p); /* NULL is a no-op */
/* Deep copy with the same uid. Returns one reference. */
SimPacket *sim_packet_copy(const SimPacket *p);
/* Consumes p; returns a packet with refcount 1 holding the same bytes (p
 * itself when no other packet can see its headers) whose bytes the caller
 * may rewrite; only headers, if a payload-only owner shares the buffer. */
SimPacket *sim_packet_make_writable(SimPacket *p);
/* A new packet (new uid, one reference) viewing the same bytes as owner,
 * with owner's headroom in front for headers. owner (refcount 1) becomes
 * payload-only from now on: it may still be pulled, trimmed and put to (put
 * moves it to a buffer of its own while it is shared), and it must not be
 * pushed or passed to make_writable. The buffer lives until both go. */
SimPacket *sim_packet_share(SimPacket *owner);
/* Whether a packet other than payload-only owners still uses the buffer
 * (a share made earlier has not been freed): a second share would then
 * have its headers written over the first's. */
bool sim_packet_headers_shared(const SimPacket *owner);

uint8_t *sim_packet_data(SimPacket *p);
const uint8_t *sim_packet_cdata(const SimPacket *p);
size_t sim_packet_len(const SimPacket *p);
size_t sim_packet_headroom(const SimPacket *p);
uint64_t sim_packet_uid(const SimPacket *p);
void sim_packet_set_uid(SimPacket *p, uint64_t uid);
unsigned sim_packet_refcount(const SimPacket *p);

/* Header manipulation; the packet must not be shared (refcount 1; for push
 * also no other non-payload-only packet on its buffer).
 * push: grows the front by n (asserts headroom) and returns the new start.
 * pull: drops n bytes from the front; returns the new start, or NULL when
 *       fewer than n bytes are present (nothing changes then).
 * put:  appends n zeroed bytes at the tail (reallocating if needed) and
 *       returns a pointer to them.
 * trim: shortens to len bytes (no-op when already shorter). */
uint8_t *sim_packet_push(SimPacket *p, size_t n);
uint8_t *sim_packet_pull(SimPacket *p, size_t n);
uint8_t *sim_packet_put(SimPacket *p, size_t n);
void sim_packet_trim(SimPacket *p, size_t len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimPacket, sim_packet_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimPacketPool, sim_packet_pool_free)
