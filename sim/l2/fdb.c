/* fdb.c - the MAC table; see fdb.h for the design. */
#include "sim/l2/fdb.h"

#include <string.h>

#define EMPTY_KEY UINT64_MAX /* a real key has vid <= 4095 in bits 48..59 */
#define MIN_SLOTS 64u
#define FLAG_STATIC 1u

typedef struct {
    uint64_t key;
    SimTime last_seen;
    uint32_t port;
    uint16_t flags;
    uint16_t gen; /* of the entry's one valid expiry record */
} Slot;

/* An entry's expiry as queued; `at` is at or before the real one. */
typedef struct {
    SimTime at;
    uint64_t key;
    uint16_t gen; /* a record whose gen differs from its slot's is stale */
} Expiry;

struct _SimFdb {
    Slot *slots;
    guint mask; /* n_slots - 1 */
    guint count;
    guint capacity;
    guint max_slots; /* the size that keeps `capacity` entries at load 1/2 */
    SimTime aging;
    uint16_t next_gen;
    Expiry *heap; /* min-heap on at; see fdb.h */
    guint heap_n, heap_cap;
};

static inline uint64_t make_key(const SimMac *mac, uint16_t vlan)
{
    return sim_mac_to_u64(mac) | (uint64_t)(vlan & 0x0fff) << 48;
}

/* Murmur3's fmix64: sequential MACs land on unrelated slots. */
static inline guint home_of(const SimFdb *fdb, uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return (guint)k & fdb->mask;
}

static inline bool slot_expired(const SimFdb *fdb, const Slot *s, SimTime now)
{
    return fdb->aging && !(s->flags & FLAG_STATIC) && now >= s->last_seen &&
           now - s->last_seen >= fdb->aging;
}

static void fill_empty(Slot *slots, guint n)
{
    for (guint i = 0; i < n; i++)
        slots[i].key = EMPTY_KEY;
}

SimFdb *sim_fdb_new(guint capacity, SimTime aging)
{
    g_return_val_if_fail(capacity >= 1 && capacity <= SIM_FDB_MAX_CAPACITY, NULL);
    SimFdb *fdb = g_new0(SimFdb, 1);
    fdb->capacity = capacity;
    fdb->aging = aging;
    guint max = MIN_SLOTS;
    while (max < 2 * capacity)
        max *= 2;
    fdb->max_slots = max;
    guint n = MIN(MIN_SLOTS, max);
    fdb->slots = g_new(Slot, n);
    fdb->mask = n - 1;
    fill_empty(fdb->slots, n);
    return fdb;
}

void sim_fdb_free(SimFdb *fdb)
{
    if (!fdb)
        return;
    g_free(fdb->slots);
    g_free(fdb->heap);
    g_free(fdb);
}

guint sim_fdb_count(const SimFdb *fdb)
{
    return fdb->count;
}

guint sim_fdb_capacity(const SimFdb *fdb)
{
    return fdb->capacity;
}

SimTime sim_fdb_aging(const SimFdb *fdb)
{
    return fdb->aging;
}

/* The slot holding key, or the empty slot where it would go. */
static inline guint probe(const SimFdb *fdb, uint64_t key)
{
    guint i = home_of(fdb, key);
    while (fdb->slots[i].key != key && fdb->slots[i].key != EMPTY_KEY)
        i = (i + 1) & fdb->mask;
    return i;
}

/* ---- the expiry heap ----------------------------------------------------- */

static void heap_push(SimFdb *fdb, Expiry x)
{
    if (fdb->heap_n == fdb->heap_cap) {
        fdb->heap_cap = fdb->heap_cap ? 2 * fdb->heap_cap : 64;
        fdb->heap = g_renew(Expiry, fdb->heap, fdb->heap_cap);
    }
    guint i = fdb->heap_n++;
    while (i > 0) {
        guint parent = (i - 1) / 2;
        if (fdb->heap[parent].at <= x.at)
            break;
        fdb->heap[i] = fdb->heap[parent];
        i = parent;
    }
    fdb->heap[i] = x;
}

static Expiry heap_pop(SimFdb *fdb)
{
    Expiry top = fdb->heap[0], x = fdb->heap[--fdb->heap_n];
    guint i = 0, n = fdb->heap_n;
    for (;;) {
        guint c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && fdb->heap[c + 1].at < fdb->heap[c].at)
            c++;
        if (x.at <= fdb->heap[c].at)
            break;
        fdb->heap[i] = fdb->heap[c];
        i = c;
    }
    if (n)
        fdb->heap[i] = x;
    return top;
}

/* Queues a fresh record for the entry in s (a new entry, or one whose
 * last_seen went back), making any older record of it stale. */
static void track(SimFdb *fdb, Slot *s)
{
    SimTime at;
    if (!fdb->aging || (s->flags & FLAG_STATIC) || !sim_time_add(s->last_seen, fdb->aging, &at))
        return; /* never expires */
    s->gen = fdb->next_gen++;
    heap_push(fdb, (Expiry){.at = at, .key = s->key, .gen = s->gen});
}

void sim_fdb_set_aging(SimFdb *fdb, SimTime aging)
{
    if (fdb->aging == aging)
        return;
    fdb->aging = aging;
    fdb->heap_n = 0; /* every record's time is wrong now */
    for (guint i = 0; i <= fdb->mask; i++)
        if (fdb->slots[i].key != EMPTY_KEY)
            track(fdb, &fdb->slots[i]);
}

/* The slot a record stands for, or -1 when the record is stale. */
static int record_slot(const SimFdb *fdb, const Expiry *x)
{
    guint i = probe(fdb, x->key);
    const Slot *s = &fdb->slots[i];
    if (s->key != x->key || s->gen != x->gen || (s->flags & FLAG_STATIC))
        return -1;
    return (int)i;
}

static void grow(SimFdb *fdb)
{
    Slot *old = fdb->slots;
    guint old_n = fdb->mask + 1;
    guint n = old_n * 2;
    fdb->slots = g_new(Slot, n);
    fdb->mask = n - 1;
    fill_empty(fdb->slots, n);
    for (guint i = 0; i < old_n; i++) {
        if (old[i].key != EMPTY_KEY)
            fdb->slots[probe(fdb, old[i].key)] = old[i];
    }
    g_free(old);
}

/* Makes room for one more entry; false when the capacity is reached. */
static bool reserve_one(SimFdb *fdb)
{
    if (fdb->count >= fdb->capacity)
        return false;
    if (2 * (fdb->count + 1) > fdb->mask + 1 && fdb->mask + 1 < fdb->max_slots)
        grow(fdb);
    return true;
}

/* Backward-shift deletion: pull later members of the cluster into the
 * hole unless that would move them in front of their home slot. */
static void delete_at(SimFdb *fdb, guint i)
{
    guint j = i;
    for (;;) {
        j = (j + 1) & fdb->mask;
        if (fdb->slots[j].key == EMPTY_KEY)
            break;
        guint h = home_of(fdb, fdb->slots[j].key);
        /* The entry may fill the hole at i when its home is not in (i, j]. */
        bool stays = i <= j ? (h > i && h <= j) : (h > i || h <= j);
        if (!stays) {
            fdb->slots[i] = fdb->slots[j];
            i = j;
        }
    }
    fdb->slots[i].key = EMPTY_KEY;
    fdb->count--;
}

SimFdbLearn sim_fdb_learn(SimFdb *fdb, const SimMac *mac, uint16_t vlan, guint port, SimTime now,
                          guint *old_port)
{
    uint64_t key = make_key(mac, vlan);
    guint i = probe(fdb, key);
    Slot *s = &fdb->slots[i];
    if (s->key == key) {
        if (s->flags & FLAG_STATIC)
            return SIM_FDB_STATIC;
        bool expired = slot_expired(fdb, s, now);
        bool earlier = now < s->last_seen; /* only a caller's clock going back */
        s->last_seen = now;
        if (G_UNLIKELY(earlier))
            track(fdb, s);
        if (s->port == port)
            return expired ? SIM_FDB_NEW : SIM_FDB_REFRESHED;
        guint was = s->port;
        s->port = port;
        if (expired)
            return SIM_FDB_NEW;
        if (old_port)
            *old_port = was;
        return SIM_FDB_MOVED;
    }
    if (!reserve_one(fdb))
        return SIM_FDB_FULL;
    i = probe(fdb, key); /* the array may have grown */
    fdb->slots[i] = (Slot){.key = key, .last_seen = now, .port = port, .flags = 0};
    fdb->count++;
    track(fdb, &fdb->slots[i]);
    return SIM_FDB_NEW;
}

bool sim_fdb_add_static(SimFdb *fdb, const SimMac *mac, uint16_t vlan, guint port, SimTime now)
{
    uint64_t key = make_key(mac, vlan);
    guint i = probe(fdb, key);
    if (fdb->slots[i].key != key) {
        if (!reserve_one(fdb))
            return false;
        i = probe(fdb, key);
        fdb->count++;
    }
    fdb->slots[i] = (Slot){.key = key, .last_seen = now, .port = port, .flags = FLAG_STATIC};
    return true;
}

bool sim_fdb_lookup(const SimFdb *fdb, const SimMac *mac, uint16_t vlan, SimTime now, guint *port)
{
    uint64_t key = make_key(mac, vlan);
    const Slot *s = &fdb->slots[probe(fdb, key)];
    if (s->key != key || slot_expired(fdb, s, now))
        return false;
    if (port)
        *port = s->port;
    return true;
}

static void slot_to_entry(const Slot *s, SimFdbEntry *e)
{
    memset(e, 0, sizeof *e); /* padding too: callers may compare entries bytewise */
    e->mac = sim_mac_from_u64(s->key & 0xffffffffffffULL);
    e->vlan = (uint16_t)(s->key >> 48);
    e->is_static = (s->flags & FLAG_STATIC) != 0;
    e->port = s->port;
    e->last_seen = s->last_seen;
}

bool sim_fdb_get(const SimFdb *fdb, const SimMac *mac, uint16_t vlan, SimFdbEntry *out)
{
    uint64_t key = make_key(mac, vlan);
    const Slot *s = &fdb->slots[probe(fdb, key)];
    if (s->key != key)
        return false;
    if (out)
        slot_to_entry(s, out);
    return true;
}

bool sim_fdb_remove(SimFdb *fdb, const SimMac *mac, uint16_t vlan)
{
    uint64_t key = make_key(mac, vlan);
    guint i = probe(fdb, key);
    if (fdb->slots[i].key != key)
        return false;
    delete_at(fdb, i);
    return true;
}

typedef bool (*SlotPred)(const SimFdb *fdb, const Slot *s, const void *arg);

/* Deletes every slot matching pred. After delete_at(i), slot i may hold an
 * entry shifted back from later in the cluster, so i is examined again;
 * entries only ever move backwards, into slots that are re-examined, so
 * none is skipped (one may be seen twice, which is harmless). */
static guint delete_matching(SimFdb *fdb, SlotPred pred, const void *arg, GArray *removed)
{
    guint n = 0;
    for (guint i = 0; i <= fdb->mask; i++) {
        while (fdb->slots[i].key != EMPTY_KEY && pred(fdb, &fdb->slots[i], arg)) {
            if (removed) {
                SimFdbEntry e;
                slot_to_entry(&fdb->slots[i], &e);
                g_array_append_val(removed, e);
            }
            delete_at(fdb, i);
            n++;
        }
    }
    return n;
}

/* Re-queues a popped record at its entry's real expiry (same gen). */
static void requeue(SimFdb *fdb, Expiry x, const Slot *s)
{
    if (sim_time_add(s->last_seen, fdb->aging, &x.at))
        heap_push(fdb, x);
}

guint sim_fdb_expire(SimFdb *fdb, SimTime now, GArray *removed, SimTime *next_expiry)
{
    guint n = 0;
    while (fdb->heap_n && fdb->heap[0].at <= now) {
        Expiry x = heap_pop(fdb);
        int i = record_slot(fdb, &x);
        if (i < 0)
            continue;
        if (!slot_expired(fdb, &fdb->slots[i], now)) {
            requeue(fdb, x, &fdb->slots[i]); /* refreshed: its real expiry is after now */
            continue;
        }
        if (removed) {
            SimFdbEntry e;
            slot_to_entry(&fdb->slots[i], &e);
            g_array_append_val(removed, e);
        }
        delete_at(fdb, (guint)i);
        n++;
    }
    /* Make the top exact: drop stale records and move refreshed ones to
     * their real expiry until the earliest record is one that holds. */
    while (fdb->heap_n) {
        int i = record_slot(fdb, &fdb->heap[0]);
        SimTime at;
        if (i >= 0 && sim_time_add(fdb->slots[i].last_seen, fdb->aging, &at) &&
            at == fdb->heap[0].at)
            break;
        Expiry x = heap_pop(fdb);
        if (i >= 0)
            requeue(fdb, x, &fdb->slots[i]);
    }
    if (next_expiry)
        *next_expiry = fdb->heap_n ? fdb->heap[0].at : SIM_TIME_MAX;
    return n;
}

typedef struct {
    int port;
    bool include_static;
} FlushArg;

static bool pred_flush(const SimFdb *fdb, const Slot *s, const void *arg)
{
    const FlushArg *a = arg;
    if ((s->flags & FLAG_STATIC) && !a->include_static)
        return false;
    return a->port < 0 || s->port == (guint)a->port;
}

guint sim_fdb_flush(SimFdb *fdb, int port, bool include_static, GArray *removed)
{
    FlushArg a = {port, include_static};
    return delete_matching(fdb, pred_flush, &a, removed);
}

static gint entry_cmp(gconstpointer pa, gconstpointer pb)
{
    const SimFdbEntry *a = pa, *b = pb;
    if (a->port != b->port)
        return a->port < b->port ? -1 : 1;
    int c = memcmp(a->mac.b, b->mac.b, sizeof a->mac.b);
    if (c)
        return c;
    return (a->vlan > b->vlan) - (a->vlan < b->vlan);
}

void sim_fdb_sort(GArray *entries)
{
    g_array_sort(entries, entry_cmp);
}

GArray *sim_fdb_entries(const SimFdb *fdb, SimTime now)
{
    GArray *out = g_array_sized_new(FALSE, FALSE, sizeof(SimFdbEntry), fdb->count);
    for (guint i = 0; i <= fdb->mask; i++) {
        const Slot *s = &fdb->slots[i];
        if (s->key == EMPTY_KEY || slot_expired(fdb, s, now))
            continue;
        SimFdbEntry e;
        slot_to_entry(s, &e);
        g_array_append_val(out, e);
    }
    sim_fdb_sort(out);
    return out;
}
