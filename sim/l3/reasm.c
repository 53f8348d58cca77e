/* reasm.c - IPv4 reassembly (RFC 791 section 3.2, RFC 815's idea of
 * checking coverage only when something changes).
 *
 * Data structure: a singly linked list of datagrams in progress per stack,
 * oldest first, each holding references to its fragments (no copy until
 * the datagram is complete) in an array. A host rarely has more than a
 * handful in flight, so a linear search on (src, dst, proto, id) beats a
 * hash table here; completion sorts the k fragments (O(k log k)) and copies
 * them once into a new packet.
 *
 * Limits, after Linux: a datagram not completed within 30 s (ipfrag_time)
 * is dropped, and an ICMP "fragment reassembly time exceeded" goes back if
 * the first fragment had arrived (RFC 792; the first fragment is needed to
 * quote). Fragments held by one stack are bounded by SIM_IP_REASM_MEM
 * bytes; past it the oldest datagrams are evicted (ipfrag_high_thresh).
 * Overlapping fragments are accepted and later bytes overwrite earlier ones
 * in offset order (RFC 791 leaves this open; RFC 5722 forbids overlaps only
 * for IPv6).
 */
#include "sim/l3/ipstack_priv.h"

#include "sim/net/icmp_hdr.h"
#include "sim/net/wire.h"

#include <string.h>

typedef struct {
    SimPacket *pkt; /* reference; the fragment's IP header is at off */
    size_t off;
    uint32_t start, end; /* payload bytes [start, end) of the datagram */
} Frag;

struct _Reasm {
    Reasm *next;
    SimIpStack *st;
    SimIpv4 src, dst;
    uint16_t id;
    uint8_t proto;
    SimIpIf *in;   /* arrival interface of the first fragment seen */
    GArray *frags; /* Frag */
    size_t bytes;  /* frame bytes held, counted against SIM_IP_REASM_MEM */
    int64_t total; /* payload length, known once the last fragment came; -1 */
    SimEventId timer;
};

static void reasm_timeout(void *ctx, void *arg);

static void q_release(SimIpStack *st, Reasm *q, bool cancel)
{
    for (Reasm **l = &st->reasm; *l; l = &(*l)->next)
        if (*l == q) {
            *l = q->next;
            break;
        }
    if (cancel && q->timer.seq)
        sim_world_cancel(st->w, q->timer);
    for (guint i = 0; i < q->frags->len; i++)
        sim_packet_unref(g_array_index(q->frags, Frag, i).pkt);
    st->reasm_bytes -= q->bytes;
    g_array_free(q->frags, TRUE);
    g_free(q);
}

static void q_drop(SimIpStack *st, Reasm *q, SimDropReason why, const char *what)
{
    char a[SIM_IPV4_STRLEN];
    st->stats.reasm_fails++;
    IP_DROP(st, q->in, NULL, why, "datagram id 0x%04x from %s: %s, %u fragments dropped", q->id,
            sim_ipv4_format(q->src, a), what, q->frags->len);
}

static void reasm_timeout(void *ctx, void *arg)
{
    Reasm *q = ctx;
    SimIpStack *st = q->st;
    q->timer = SIM_EVENT_ID_NONE;
    q_drop(st, q, SIM_DROP_REASM_TIMEOUT, "reassembly timed out");
    for (guint i = 0; i < q->frags->len; i++) {
        Frag *f = &g_array_index(q->frags, Frag, i);
        if (f->start == 0) {
            icmp_send_error(st, f->pkt, f->off, q->in, SIM_ICMP_TIME_EXCEEDED,
                            SIM_ICMP_EXC_REASSEMBLY, 0);
            break;
        }
    }
    q_release(st, q, false);
}

static Reasm *q_find(SimIpStack *st, SimIpIf *ifp, const SimIpv4Hdr *h)
{
    Reasm **l = &st->reasm;
    for (; *l; l = &(*l)->next) {
        Reasm *q = *l;
        if (q->src == h->src && q->dst == h->dst && q->id == h->id && q->proto == h->proto)
            return q;
    }
    Reasm *q = g_new0(Reasm, 1);
    q->st = st;
    q->src = h->src;
    q->dst = h->dst;
    q->id = h->id;
    q->proto = h->proto;
    q->in = ifp;
    q->total = -1;
    q->frags = g_array_new(FALSE, FALSE, sizeof(Frag));
    q->timer = sim_world_schedule(st->w, SIM_IP_REASM_TIMEOUT, reasm_timeout, q, NULL);
    *l = q;
    return q;
}

static int cmp_frag(const void *a, const void *b)
{
    const Frag *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* The datagram, if the fragments now cover [0, total). */
static SimPacket *try_complete(SimIpStack *st, Reasm *q)
{
    if (q->total < 0)
        return NULL;
    g_array_sort(q->frags, cmp_frag);
    uint32_t covered = 0;
    for (guint i = 0; i < q->frags->len; i++) {
        Frag *f = &g_array_index(q->frags, Frag, i);
        if (f->start > covered)
            return NULL;
        covered = MAX(covered, f->end);
    }
    if (covered < q->total)
        return NULL;
    Frag *first = &g_array_index(q->frags, Frag, 0);
    const uint8_t *fh = sim_packet_cdata(first->pkt) + first->off;
    size_t hlen = (size_t)(fh[0] & 0x0f) * 4;
    SimPacket *out =
        sim_packet_new(sim_world_pool(st->w), SIM_PACKET_HEADROOM, hlen + (size_t)q->total);
    uint8_t *b = sim_packet_data(out);
    memcpy(b, fh, hlen);
    for (guint i = 0; i < q->frags->len; i++) {
        Frag *f = &g_array_index(q->frags, Frag, i);
        const uint8_t *d = sim_packet_cdata(f->pkt) + f->off;
        size_t fhl = (size_t)(d[0] & 0x0f) * 4;
        /* A non-final fragment may claim bytes past the final length. */
        uint32_t e = MIN(f->end, (uint32_t)q->total);
        if (f->start < e)
            memcpy(b + hlen + f->start, d + fhl, e - f->start);
    }
    sim_wire_put16(b + 2, (uint16_t)(hlen + (size_t)q->total));
    sim_wire_put16(b + 6, sim_wire_get16(b + 6) & 0x4000); /* keep DF only */
    sim_ipv4_hdr_set_checksum(b);
    char a[SIM_IPV4_STRLEN];
    SIM_TRACE(st->w, SIM_TR_REASSEMBLE, SIM_DROP_NONE, st->name,
              q->in ? sim_iface_name(q->in->iface) : NULL, NULL,
              "datagram id 0x%04x from %s reassembled from %u fragments, %u bytes", q->id,
              sim_ipv4_format(q->src, a), q->frags->len, (unsigned)(hlen + (size_t)q->total));
    st->stats.reasm_oks++;
    q_release(st, q, true);
    return out;
}

SimPacket *reasm_input(SimIpStack *st, SimIpIf *ifp, SimPacket *pkt, size_t off,
                       const SimIpv4Hdr *h)
{
    uint32_t plen = h->total_len - (uint32_t)h->hdr_len;
    uint32_t start = h->frag_off, end = start + plen;
    const char *bad = NULL;
    if (end > SIM_IPV4_MAX_LEN - h->hdr_len)
        bad = "fragment ends past 65535 bytes";
    else if (h->mf && (plen == 0 || plen % 8))
        bad = "non-final fragment length is not a multiple of 8";
    if (bad) {
        IP_DROP(st, ifp, off ? pkt : NULL, SIM_DROP_MALFORMED, "%s", bad);
        sim_packet_unref(pkt);
        return NULL;
    }
    Reasm *q = q_find(st, ifp, h);
    if (!h->mf) {
        if (q->total >= 0 && q->total != end) {
            IP_DROP(st, ifp, off ? pkt : NULL, SIM_DROP_MALFORMED,
                    "two last fragments disagree on the length");
            sim_packet_unref(pkt);
            return NULL;
        }
        q->total = end;
    }
    Frag f = {pkt, off, start, end};
    g_array_append_val(q->frags, f);
    size_t sz = sim_packet_len(pkt);
    q->bytes += sz;
    st->reasm_bytes += sz;
    /* Evict the oldest datagrams, this one last, until under the bound. */
    while (st->reasm_bytes > SIM_IP_REASM_MEM) {
        Reasm *victim = st->reasm;
        if (victim == q && q->next)
            victim = q->next;
        q_drop(st, victim, SIM_DROP_REASM_LIMIT, "reassembly memory full");
        bool self = victim == q;
        q_release(st, victim, true);
        if (self)
            return NULL;
    }
    return try_complete(st, q);
}

void reasm_free_all(SimIpStack *st)
{
    while (st->reasm)
        q_release(st, st->reasm, false);
}
