/* merge.c - see merge.h.
 *
 * File items: a one-byte type, then
 *   'R' record:  phase u8, time u64, key u64, entity u32, kind u32,
 *                reason u32, then node, iface, detail as (u32 length +
 *                bytes, length 0xffffffff for NULL), then a packet flag u8
 *                and, if set, uid u64, length u32, bytes;
 *   'P' packet made: phase, time, key, entity, local uid u64;
 *   'E' end of event: time u64, key u64.
 * The phase is 0 while building (no event yet), 1 after. */
#include "sim/dist/merge.h"

#include "sim/dist/uid.h"
#include "sim/net/packet.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define NO_STRING 0xffffffffu

struct _SimDistCapture {
    SimWorld *w;
    FILE *f;
    char *path;
    guint sub;
    bool events;
};

static void put(SimDistCapture *c, const void *p, size_t n)
{
    fwrite(p, 1, n, c->f);
}

static void put_u8(SimDistCapture *c, uint8_t v)
{
    put(c, &v, 1);
}

static void put_u32(SimDistCapture *c, uint32_t v)
{
    put(c, &v, 4);
}

static void put_u64(SimDistCapture *c, uint64_t v)
{
    put(c, &v, 8);
}

static void put_str(SimDistCapture *c, const char *s)
{
    if (!s) {
        put_u32(c, NO_STRING);
        return;
    }
    uint32_t n = (uint32_t)strlen(s);
    put_u32(c, n);
    put(c, s, n);
}

/* Phase, time, key and entity of what is happening now. */
static void put_stamp(SimDistCapture *c)
{
    bool running = sim_world_events(c->w) > 0;
    put_u8(c, running);
    put_u64(c, sim_world_now(c->w));
    put_u64(c, running ? sim_world_event_key(c->w) : 0);
    put_u32(c, sim_world_entity(c->w));
}

static void on_record(const SimTraceRecord *rec, void *user)
{
    SimDistCapture *c = user;
    put_u8(c, 'R');
    put_stamp(c);
    put_u32(c, rec->kind);
    put_u32(c, rec->reason);
    put_str(c, rec->node);
    put_str(c, rec->iface);
    put_str(c, rec->detail);
    put_u8(c, rec->packet != NULL);
    if (rec->packet) {
        size_t len = sim_packet_len(rec->packet);
        put_u64(c, sim_packet_uid(rec->packet));
        put_u32(c, (uint32_t)len);
        put(c, sim_packet_cdata(rec->packet), len);
    }
}

static void on_packet(void *user, uint64_t uid)
{
    SimDistCapture *c = user;
    put_u8(c, 'P');
    put_stamp(c);
    put_u64(c, uid);
}

void sim_dist_capture_event(void *capture, SimTime t, uint64_t key)
{
    SimDistCapture *c = capture;
    put_u8(c, 'E');
    put_u64(c, t);
    put_u64(c, key);
}

SimDistCapture *sim_dist_capture_new(SimWorld *w, SimTraceMask mask, bool events, const char *path,
                                     GError **error)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        int e = errno;
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "cannot write %s: %s", path,
                    g_strerror(e));
        return NULL;
    }
    setvbuf(f, NULL, _IOFBF, 1 << 20);
    SimDistCapture *c = g_new0(SimDistCapture, 1);
    c->w = w;
    c->f = f;
    c->path = g_strdup(path);
    c->events = events;
    c->sub = sim_trace_subscribe(sim_world_trace(w), mask, on_record, c);
    if (events)
        sim_packet_pool_set_new_hook(sim_world_pool(w), on_packet, c);
    return c;
}

gboolean sim_dist_capture_close(SimDistCapture *c, GError **error)
{
    if (!c->f)
        return TRUE;
    sim_trace_unsubscribe(sim_world_trace(c->w), c->sub);
    if (c->events)
        sim_packet_pool_set_new_hook(sim_world_pool(c->w), NULL, NULL);
    bool bad = ferror(c->f) != 0;
    int e = errno;
    if (fclose(c->f) != 0 && !bad) {
        bad = true;
        e = errno;
    }
    c->f = NULL;
    if (bad) {
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "writing %s failed: %s",
                    c->path, g_strerror(e));
        return FALSE;
    }
    return TRUE;
}

void sim_dist_capture_free(SimDistCapture *c)
{
    if (!c)
        return;
    sim_dist_capture_close(c, NULL);
    g_free(c->path);
    g_free(c);
}

/* ---- merging ---- */

typedef struct {
    char type; /* 0 at the end */
    uint8_t phase;
    SimTime time;
    uint64_t key;
    uint32_t entity;
    SimTraceKind kind;
    SimDropReason reason;
    char *node, *iface, *detail;
    bool has_pkt;
    uint64_t uid;
    GByteArray *bytes;
} Item;

typedef struct {
    FILE *f;
    int rank;
    bool bad;
    Item it;
} Reader;

static bool get(Reader *r, void *p, size_t n)
{
    if (n && fread(p, 1, n, r->f) != n) {
        r->bad = true;
        return false;
    }
    return true;
}

static char *get_str(Reader *r)
{
    uint32_t n;
    if (!get(r, &n, 4) || n == NO_STRING)
        return NULL;
    char *s = g_malloc((size_t)n + 1);
    if (!get(r, s, n)) {
        g_free(s);
        return NULL;
    }
    s[n] = '\0';
    return s;
}

static void item_clear(Item *it)
{
    g_clear_pointer(&it->node, g_free);
    g_clear_pointer(&it->iface, g_free);
    g_clear_pointer(&it->detail, g_free);
}

/* Reads the next item into r->it (type 0 at a clean end). */
static void advance(Reader *r)
{
    Item *it = &r->it;
    item_clear(it);
    int t = fgetc(r->f);
    it->type = t == EOF ? 0 : (char)t;
    if (t == EOF)
        return;
    if (t == 'E') {
        it->phase = 1;
        if (get(r, &it->time, 8))
            get(r, &it->key, 8);
        return;
    }
    uint32_t kind = 0, reason = 0;
    if (!get(r, &it->phase, 1) || !get(r, &it->time, 8) || !get(r, &it->key, 8) ||
        !get(r, &it->entity, 4))
        return;
    if (t == 'P') {
        get(r, &it->uid, 8);
        return;
    }
    if (t != 'R' || !get(r, &kind, 4) || !get(r, &reason, 4)) {
        r->bad = true;
        return;
    }
    it->kind = (SimTraceKind)kind;
    it->reason = (SimDropReason)reason;
    it->node = get_str(r);
    it->iface = get_str(r);
    it->detail = get_str(r);
    uint8_t has = 0;
    get(r, &has, 1);
    it->has_pkt = has;
    if (has) {
        uint32_t len = 0;
        if (get(r, &it->uid, 8))
            get(r, &len, 4);
        g_byte_array_set_size(it->bytes, len);
        get(r, it->bytes->data, len);
    }
    if (kind >= SIM_TR_N_KINDS || reason >= SIM_DROP_N_REASONS || !it->detail)
        r->bad = true;
}

/* Orders groups: building before running; then by entity while building,
 * by (time, key) while running. */
static int group_cmp(const Item *a, const Item *b)
{
    if (a->phase != b->phase)
        return a->phase < b->phase ? -1 : 1;
    if (a->phase == 0)
        return a->entity < b->entity ? -1 : a->entity > b->entity;
    if (a->time != b->time)
        return a->time < b->time ? -1 : 1;
    return a->key < b->key ? -1 : a->key > b->key;
}

static bool same_group(const Item *a, const Item *b)
{
    return group_cmp(a, b) == 0;
}

typedef struct {
    SimTraceBus *bus;
    SimPacketPool *pool;
    bool events;
    uint64_t event_no, next_uid;
    GHashTable *uids; /* global form (uid.h) -> merged uid, boxed */
} Merge;

static void replay(Merge *m, Reader *r)
{
    Item *it = &r->it;
    if (it->type == 'P') {
        uint64_t *k = g_new(uint64_t, 1), *v = g_new(uint64_t, 1);
        *k = sim_dist_uid_global(r->rank, it->uid);
        *v = ++m->next_uid;
        g_hash_table_insert(m->uids, k, v);
        return;
    }
    g_autoptr(SimPacket) pkt = NULL;
    if (it->has_pkt) {
        uint64_t uid = it->uid;
        if (m->events) {
            uint64_t g = sim_dist_uid_global(r->rank, uid);
            const uint64_t *v = g_hash_table_lookup(m->uids, &g);
            uid = v ? *v : 0;
        }
        pkt = sim_packet_new_uid(m->pool, 0, it->bytes->len, uid);
        memcpy(sim_packet_data(pkt), it->bytes->data, it->bytes->len);
    }
    SimTraceRecord rec = {
        .event = it->phase ? m->event_no : 0,
        .time = it->time,
        .kind = it->kind,
        .reason = it->reason,
        .node = it->node,
        .iface = it->iface,
        .packet = pkt,
        .detail = it->detail,
    };
    sim_trace_emit(m->bus, &rec);
}

gboolean sim_dist_merge(char **paths, guint k, bool events, SimTraceBus *bus, SimPacketPool *pool,
                        GError **error)
{
    g_autofree Reader *rd = g_new0(Reader, k);
    gboolean ok = TRUE;
    for (guint i = 0; i < k; i++) {
        rd[i].rank = (int)i;
        rd[i].it.bytes = g_byte_array_new();
        if (!(rd[i].f = fopen(paths[i], "rb"))) {
            int e = errno;
            g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "cannot read %s: %s",
                        paths[i], g_strerror(e));
            ok = FALSE;
        }
    }
    Merge m = {bus, pool, events,
               0,   0,    g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free)};
    for (guint i = 0; ok && i < k; i++)
        advance(&rd[i]);
    while (ok) {
        Reader *best = NULL;
        for (guint i = 0; i < k; i++) {
            if (rd[i].bad) {
                g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                            "%s: truncated or malformed capture", paths[i]);
                ok = FALSE;
            } else if (rd[i].it.type && (!best || group_cmp(&rd[i].it, &best->it) < 0)) {
                best = &rd[i];
            }
        }
        if (!ok || !best)
            break;
        /* One group: an event's records and packets, up to its marker. */
        Item head = best->it;
        if (head.phase && events)
            m.event_no++;
        while (best->it.type && !best->bad && same_group(&best->it, &head)) {
            bool end = best->it.type == 'E';
            if (!end)
                replay(&m, best);
            advance(best);
            if (end)
                break;
        }
    }
    for (guint i = 0; i < k; i++) {
        item_clear(&rd[i].it);
        g_byte_array_unref(rd[i].it.bytes);
        if (rd[i].f)
            fclose(rd[i].f);
    }
    g_hash_table_destroy(m.uids);
    return ok;
}
