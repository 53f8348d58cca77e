/* packet.c - SimPacket buffers and their pool.
 *
 * Design: the SimPacket struct and its byte buffer are recycled separately,
 * through three intrusive singly linked free lists (O(1) get and put):
 *   - packet structs;
 *   - pooled buffers in three size classes (SIM_PACKET_TINY: ACKs, ARP,
 *     pings; SIM_PACKET_FRAME: a full-sized TCP segment with its headroom;
 *     SIM_PACKET_SMALL: anything else up to 2 KiB), one list per class;
 *   - large buffers of assorted capacity (reassembled datagrams, or a frame
 *     grown by sim_packet_put); first-fit, and the list is capped at
 *     LARGE_KEEP entries so that a burst of jumbo buffers is given back.
 * Keeping buffers apart from structs lets sim_packet_put swap a small buffer
 * for a large one without losing either to the allocator.
 * The classes exist for memory, not speed: with one 2 KiB class a TCP bulk
 * transfer kept each 66-byte ACK in 2 KiB and each 1514-byte frame in 2 KiB
 * (docs/performance.md, "TCP bulk transfer"). The buffer header is 16
 * bytes for the same reason (a 1536-byte buffer is a 1568-byte malloc
 * chunk).
 * Rejected: GSlice (deprecated; glib now forwards it to malloc).
 *
 * Shared buffers (sim_packet_share): a Buf counts the packets that point at
 * it (refs) and, of those, the payload-only owners (data_refs), as Linux's
 * skb dataref does. A packet may write bytes in front of its view (push)
 * or rewrite its headers (make_writable) when it is the only packet that
 * is not payload-only; payload-only owners never look outside their view,
 * and nobody writes their bytes (see packet.h).
 */
#include "sim/net/packet.h"

#include <string.h>

#define LARGE_KEEP 32
#define LARGE_ROUND 256 /* large capacities are rounded up to this */

typedef struct _Buf Buf;
struct _Buf {
    Buf *next; /* free-list link, only while pooled */
    uint32_t cap;
    uint16_t refs;      /* packets pointing here (owner + views: a few) */
    uint16_t data_refs; /* of which payload-only (sim_packet_share) */
    /* max_align_t keeps data[] aligned for any header view a caller makes */
    _Alignas(max_align_t) uint8_t data[];
};

struct _SimPacket {
    SimPacketPool *pool;
    Buf *buf;
    size_t head; /* offset of the first frame byte in buf->data */
    size_t len;
    uint64_t uid;
    unsigned refcount;
    bool payload_only; /* sim_packet_share's owner: reads only its view */
    SimPacket *next_free;
};

static const size_t class_cap[] = {SIM_PACKET_TINY, SIM_PACKET_FRAME, SIM_PACKET_SMALL};
#define N_CLASSES G_N_ELEMENTS(class_cap)

struct _SimPacketPool {
    SimPacket *free_pkts;
    Buf *free_class[3]; /* by class_cap */
    Buf *free_large;
    unsigned n_free_large;
    uint64_t next_uid;
    uint64_t allocated;    /* buffers ever malloc'd */
    uint64_t in_use;       /* packets handed out and not yet unreffed to zero */
    uint64_t bytes_in_use; /* capacity of the buffers handed out */
    uint64_t limit;        /* budget for bytes_in_use; 0 = none */
};

SimPacketPool *sim_packet_pool_new(void)
{
    SimPacketPool *pool = g_new0(SimPacketPool, 1);
    pool->next_uid = 1;
    pool->limit = SIM_PACKET_DEFAULT_LIMIT;
    return pool;
}

static void free_buf_list(Buf *b)
{
    while (b) {
        Buf *next = b->next;
        g_free(b);
        b = next;
    }
}

void sim_packet_pool_free(SimPacketPool *pool)
{
    if (!pool)
        return;
    /* A live packet would point back at freed memory. */
    g_assert(pool->in_use == 0);
    SimPacket *p = pool->free_pkts;
    while (p) {
        SimPacket *next = p->next_free;
        g_free(p);
        p = next;
    }
    for (size_t c = 0; c < N_CLASSES; c++)
        free_buf_list(pool->free_class[c]);
    free_buf_list(pool->free_large);
    g_free(pool);
}

uint64_t sim_packet_pool_allocated(const SimPacketPool *pool)
{
    return pool->allocated;
}

uint64_t sim_packet_pool_in_use(const SimPacketPool *pool)
{
    return pool->in_use;
}

uint64_t sim_packet_pool_bytes_in_use(const SimPacketPool *pool)
{
    return pool->bytes_in_use;
}

void sim_packet_pool_set_limit(SimPacketPool *pool, uint64_t bytes)
{
    pool->limit = bytes;
}

bool sim_packet_pool_over_limit(const SimPacketPool *pool)
{
    return pool->limit && pool->bytes_in_use > pool->limit;
}

/* Buffers handed out are counted in bytes_in_use here and in buf_put, the
 * only ways a buffer leaves or re-enters the pool's keeping. */
static Buf *buf_take(SimPacketPool *pool, size_t need)
{
    if (need <= SIM_PACKET_SMALL) {
        size_t c = 0;
        while (need > class_cap[c])
            c++;
        Buf *b = pool->free_class[c];
        if (b) {
            pool->free_class[c] = b->next;
            return b;
        }
        need = class_cap[c];
    } else {
        for (Buf **link = &pool->free_large; *link; link = &(*link)->next) {
            Buf *b = *link;
            if (b->cap >= need) {
                *link = b->next;
                pool->n_free_large--;
                return b;
            }
        }
        need = (need + LARGE_ROUND - 1) / LARGE_ROUND * LARGE_ROUND;
    }
    g_assert(need <= UINT32_MAX);
    Buf *b = g_malloc(sizeof(Buf) + need);
    b->cap = (uint32_t)need;
    b->next = NULL;
    b->refs = b->data_refs = 0;
    pool->allocated++;
    return b;
}

static Buf *buf_get(SimPacketPool *pool, size_t need)
{
    Buf *b = buf_take(pool, need);
    pool->bytes_in_use += b->cap;
    b->refs = 1;
    b->data_refs = 0;
    return b;
}

/* Drops one packet's hold on b; the last one returns it to the pool. */
static void buf_put(SimPacketPool *pool, Buf *b)
{
    g_assert(b->refs > 0);
    if (--b->refs > 0)
        return;
    pool->bytes_in_use -= b->cap;
    for (size_t c = 0; c < N_CLASSES; c++) {
        if (b->cap == class_cap[c]) {
            b->next = pool->free_class[c];
            pool->free_class[c] = b;
            return;
        }
    }
    if (pool->n_free_large < LARGE_KEEP) {
        b->next = pool->free_large;
        pool->free_large = b;
        pool->n_free_large++;
    } else {
        g_free(b);
    }
}

/* A packet with uninitialised bytes; callers fill or zero them. */
static SimPacket *packet_alloc(SimPacketPool *pool, size_t headroom, size_t len, uint64_t uid)
{
    g_assert(headroom <= SIZE_MAX / 2 && len <= SIZE_MAX / 2);
    SimPacket *p = pool->free_pkts;
    if (p)
        pool->free_pkts = p->next_free;
    else
        p = g_new(SimPacket, 1);
    p->pool = pool;
    p->buf = buf_get(pool, headroom + len);
    p->head = headroom;
    p->len = len;
    p->uid = uid;
    p->refcount = 1;
    p->payload_only = false;
    p->next_free = NULL;
    pool->in_use++;
    return p;
}

/* No other packet can see bytes in front of p's view or its headers. */
static bool headers_private(const SimPacket *p)
{
    return p->refcount == 1 && !p->payload_only && p->buf->refs - p->buf->data_refs == 1;
}

SimPacket *sim_packet_new(SimPacketPool *pool, size_t headroom, size_t len)
{
    SimPacket *p = packet_alloc(pool, headroom, len, pool->next_uid++);
    memset(p->buf->data + p->head, 0, len);
    return p;
}

SimPacket *sim_packet_ref(SimPacket *p)
{
    g_assert(p->refcount > 0);
    p->refcount++;
    return p;
}

void sim_packet_unref(SimPacket *p)
{
    if (!p)
        return;
    g_assert(p->refcount > 0);
    if (--p->refcount > 0)
        return;
    SimPacketPool *pool = p->pool;
    if (p->payload_only)
        p->buf->data_refs--;
    buf_put(pool, p->buf);
    p->buf = NULL;
    p->next_free = pool->free_pkts;
    pool->free_pkts = p;
    pool->in_use--;
}

SimPacket *sim_packet_copy(const SimPacket *p)
{
    /* Keep the headroom so that the copy can still take headers in front. */
    SimPacket *c = packet_alloc(p->pool, p->head, p->len, p->uid);
    memcpy(c->buf->data + c->head, p->buf->data + p->head, p->len);
    return c;
}

SimPacket *sim_packet_share(SimPacket *owner)
{
    g_assert(owner->refcount == 1);
    SimPacketPool *pool = owner->pool;
    if (!owner->payload_only) {
        owner->payload_only = true;
        owner->buf->data_refs++;
    }
    SimPacket *p = pool->free_pkts;
    if (p)
        pool->free_pkts = p->next_free;
    else
        p = g_new(SimPacket, 1);
    *p = (SimPacket){.pool = pool,
                     .buf = owner->buf,
                     .head = owner->head,
                     .len = owner->len,
                     .uid = pool->next_uid++,
                     .refcount = 1};
    g_assert(owner->buf->refs < UINT16_MAX);
    owner->buf->refs++;
    pool->in_use++;
    return p;
}

bool sim_packet_headers_shared(const SimPacket *owner)
{
    unsigned full = owner->buf->refs - owner->buf->data_refs;
    return full > (owner->payload_only ? 0u : 1u);
}

SimPacket *sim_packet_make_writable(SimPacket *p)
{
    if (headers_private(p))
        return p;
    SimPacket *c = sim_packet_copy(p);
    sim_packet_unref(p);
    return c;
}

uint8_t *sim_packet_data(SimPacket *p)
{
    return p->buf->data + p->head;
}

const uint8_t *sim_packet_cdata(const SimPacket *p)
{
    return p->buf->data + p->head;
}

size_t sim_packet_len(const SimPacket *p)
{
    return p->len;
}

size_t sim_packet_headroom(const SimPacket *p)
{
    return p->head;
}

uint64_t sim_packet_uid(const SimPacket *p)
{
    return p->uid;
}

void sim_packet_set_uid(SimPacket *p, uint64_t uid)
{
    p->uid = uid;
}

unsigned sim_packet_refcount(const SimPacket *p)
{
    return p->refcount;
}

uint8_t *sim_packet_push(SimPacket *p, size_t n)
{
    g_assert(headers_private(p));
    g_assert(n <= p->head);
    p->head -= n;
    p->len += n;
    /* Zeroed so that a header field an encoder forgets is 0, not stale bytes
     * from the buffer's previous frame (the trace must be reproducible). */
    memset(p->buf->data + p->head, 0, n);
    return p->buf->data + p->head;
}

uint8_t *sim_packet_pull(SimPacket *p, size_t n)
{
    g_assert(p->refcount == 1);
    if (n > p->len)
        return NULL;
    p->head += n;
    p->len -= n;
    return p->buf->data + p->head;
}

uint8_t *sim_packet_put(SimPacket *p, size_t n)
{
    g_assert(p->refcount == 1);
    g_assert(n <= SIZE_MAX / 2 - p->head - p->len);
    size_t end = p->head + p->len;
    /* A shared buffer is never written past a view: move to a new one. */
    if (end + n > p->buf->cap || p->buf->refs > 1) {
        /* Grow to at least double so that repeated small puts stay linear. */
        size_t need = end + n <= p->buf->cap ? p->buf->cap : MAX(end + n, 2 * p->buf->cap);
        Buf *nb = buf_get(p->pool, need);
        memcpy(nb->data + p->head, p->buf->data + p->head, p->len);
        if (p->payload_only) {
            p->buf->data_refs--;
            nb->data_refs = 1;
        }
        buf_put(p->pool, p->buf);
        p->buf = nb;
    }
    uint8_t *tail = p->buf->data + end;
    memset(tail, 0, n);
    p->len += n;
    return tail;
}

void sim_packet_trim(SimPacket *p, size_t len)
{
    g_assert(p->refcount == 1);
    if (len < p->len)
        p->len = len;
}
