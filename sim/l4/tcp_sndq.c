/* tcp_sndq.c - the send buffer as segment-sized packets (tcp_sndq.h). */
#include "sim/l4/tcp_sndq.h"

#include "sim/net/l4_hdr.h"

#include <glib.h>
#include <string.h>

/* cap is a power of two. */
static TcpChunk *at(const TcpSndq *q, size_t i)
{
    return &q->ring[(q->head + i) & (q->cap - 1)];
}

void tcp_sndq_init(TcpSndq *q, SimPacketPool *pool)
{
    *q = (TcpSndq){.pool = pool};
}

void tcp_sndq_clear(TcpSndq *q)
{
    for (size_t i = 0; i < q->n; i++)
        sim_packet_unref(at(q, i)->p);
    g_free(q->ring);
    tcp_sndq_init(q, q->pool);
}

static void push_chunk(TcpSndq *q, SimPacket *p, uint64_t pos)
{
    if (q->n == q->cap) {
        size_t ncap = q->cap ? 2 * q->cap : 16;
        TcpChunk *r = g_new(TcpChunk, ncap);
        for (size_t i = 0; i < q->n; i++)
            r[i] = *at(q, i);
        g_free(q->ring);
        q->ring = r;
        q->cap = ncap;
        q->head = 0;
    }
    *at(q, q->n++) = (TcpChunk){p, pos};
}

void tcp_sndq_append(TcpSndq *q, const uint8_t *data, size_t n, size_t mss)
{
    while (n) {
        TcpChunk *t = q->n ? at(q, q->n - 1) : NULL;
        size_t have = t ? sim_packet_len(t->p) : mss;
        if (have < mss) {
            size_t k = MIN(n, mss - have);
            memcpy(sim_packet_put(t->p, k), data, k);
            data += k, n -= k, q->len += k;
            continue;
        }
        size_t k = MIN(n, mss);
        SimPacket *p = sim_packet_new(q->pool, TCP_DATA_HEADROOM, k);
        memcpy(sim_packet_data(p), data, k);
        push_chunk(q, p, q->base + q->len);
        data += k, n -= k, q->len += k;
    }
}

void tcp_sndq_drop(TcpSndq *q, size_t n)
{
    g_assert(n <= q->len);
    q->base += n;
    q->len -= n;
    while (q->n) {
        TcpChunk *c = at(q, 0);
        size_t clen = sim_packet_len(c->p);
        if (c->pos + clen > q->base) {
            sim_packet_pull(c->p, q->base - c->pos);
            c->pos = q->base;
            return;
        }
        sim_packet_unref(c->p);
        q->head = (q->head + 1) & (q->cap - 1);
        q->n--;
        q->hint = q->hint ? q->hint - 1 : 0;
    }
}

static bool holds(const TcpSndq *q, size_t i, uint64_t pos)
{
    if (i >= q->n)
        return false;
    const TcpChunk *c = at(q, i);
    return c->pos <= pos && pos < c->pos + sim_packet_len(c->p);
}

/* The index of the chunk holding stream position pos (< base + len).
 * Segments go out in order, so the chunk after the last one found is
 * tried first; otherwise a binary search. */
static size_t find(TcpSndq *q, uint64_t pos)
{
    if (holds(q, q->hint, pos))
        return q->hint;
    if (holds(q, q->hint + 1, pos))
        return ++q->hint;
    size_t lo = 0, hi = q->n; /* the answer is in [lo, hi) */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (at(q, mid)->pos <= pos)
            lo = mid;
        else
            hi = mid;
    }
    return q->hint = lo;
}

void tcp_sndq_copy(TcpSndq *q, size_t off, uint8_t *dst, size_t len)
{
    g_assert(off + len <= q->len);
    if (!len)
        return;
    uint64_t pos = q->base + off;
    for (size_t i = find(q, pos); len; i++) {
        const TcpChunk *c = at(q, i);
        size_t skip = pos - c->pos;
        size_t k = MIN(len, sim_packet_len(c->p) - skip);
        memcpy(dst, sim_packet_cdata(c->p) + skip, k);
        dst += k, pos += k, len -= k;
    }
}

SimPacket *tcp_sndq_share(TcpSndq *q, size_t off, size_t len)
{
    if (!len || off + len > q->len)
        return NULL;
    uint64_t pos = q->base + off;
    TcpChunk *c = at(q, find(q, pos));
    if (c->pos != pos || sim_packet_len(c->p) < len ||
        sim_packet_headroom(c->p) < TCP_DATA_HEADROOM || sim_packet_headers_shared(c->p))
        return NULL;
    SimPacket *v = sim_packet_share(c->p);
    sim_packet_trim(v, len);
    return v;
}
