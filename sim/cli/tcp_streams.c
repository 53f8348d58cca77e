/* tcp_streams.c - see tcp_streams.h. */
#include "sim/cli/tcp_streams.h"

typedef struct {
    SimDissectTcpKey key;
    uint32_t isn;
    int shift; /* window scale its SYN offered; -1: none */
} Dir;

struct _SimTcpStreams {
    GHashTable *dirs; /* SimDissectTcpKey* (in the Dir) -> Dir*, SYN seen */
};

static guint key_hash(gconstpointer p)
{
    const SimDissectTcpKey *k = p;
    return k->src * 2654435761u ^ k->dst * 40503u ^ ((guint)k->sport << 16 | k->dport);
}

static gboolean key_equal(gconstpointer a, gconstpointer b)
{
    const SimDissectTcpKey *x = a, *y = b;
    return x->src == y->src && x->dst == y->dst && x->sport == y->sport && x->dport == y->dport;
}

SimTcpStreams *sim_tcp_streams_new(void)
{
    SimTcpStreams *s = g_new0(SimTcpStreams, 1);
    s->dirs = g_hash_table_new_full(key_hash, key_equal, NULL, g_free);
    return s;
}

void sim_tcp_streams_free(SimTcpStreams *s)
{
    if (!s)
        return;
    g_hash_table_unref(s->dirs);
    g_free(s);
}

void sim_tcp_streams_clear(SimTcpStreams *s)
{
    g_hash_table_remove_all(s->dirs);
}

static SimDissectTcpKey reverse(const SimDissectTcpKey *k)
{
    return (SimDissectTcpKey){k->dst, k->src, k->dport, k->sport};
}

void sim_tcp_streams_observe(SimTcpStreams *s, const uint8_t *frame, size_t len)
{
    SimDissectTcpKey k;
    SimTcpHdr h;
    if (!sim_dissect_tcp_segment(frame, len, &k, &h) || !(h.flags & SIM_TCP_SYN))
        return;
    Dir *d = g_hash_table_lookup(s->dirs, &k);
    if (d && d->isn == h.seq)
        return; /* the same SYN at another hop, or retransmitted */
    if (!(h.flags & SIM_TCP_ACK)) {
        SimDissectTcpKey r = reverse(&k);
        g_hash_table_remove(s->dirs, &r); /* a new connection on the 4-tuple */
    }
    if (!d) {
        d = g_new(Dir, 1);
        d->key = k;
        g_hash_table_insert(s->dirs, &d->key, d);
    }
    d->isn = h.seq;
    d->shift = h.has_wscale ? h.wscale : -1;
}

bool sim_tcp_streams_lookup(const SimTcpStreams *s, const SimDissectTcpKey *key,
                            SimDissectTcpStream *out)
{
    SimDissectTcpKey r = reverse(key);
    const Dir *d = g_hash_table_lookup(s->dirs, key), *b = g_hash_table_lookup(s->dirs, &r);
    *out = (SimDissectTcpStream){.isn_known = d != NULL,
                                 .isn = d ? d->isn : 0,
                                 .peer_isn_known = b != NULL,
                                 .peer_isn = b ? b->isn : 0,
                                 .scale = -1};
    if (d && b) /* RFC 7323 §2.2: scaling only when both SYNs offered it */
        out->scale = d->shift >= 0 && b->shift >= 0 ? 1 << MIN(d->shift, 14) : -2;
    return true;
}
