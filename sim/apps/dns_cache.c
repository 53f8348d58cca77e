/* dns_cache.c - TTL cache of RRsets and negative answers; see dns_cache.h. */
#include "sim/apps/dns_cache.h"

#include <string.h>

#include "sim/apps/dns_zone.h"

typedef struct {
    SimTime expiry;
    bool negative;
    uint16_t type;
    GArray *rrs; /* SimDnsRr */
} Entry;

struct _SimDnsCache {
    GHashTable *map; /* "name/type" -> Entry* */
    guint capacity;
    guint64 refused;
    GArray *out; /* the last hit's records, TTLs adjusted */
};

static void entry_free(void *p)
{
    Entry *e = p;
    g_array_free(e->rrs, TRUE);
    g_free(e);
}

SimDnsCache *sim_dns_cache_new(guint capacity)
{
    SimDnsCache *c = g_new0(SimDnsCache, 1);
    c->map = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, entry_free);
    c->capacity = capacity;
    c->out = g_array_new(FALSE, FALSE, sizeof(SimDnsRr));
    return c;
}

void sim_dns_cache_free(SimDnsCache *c)
{
    if (!c)
        return;
    g_hash_table_destroy(c->map);
    g_array_free(c->out, TRUE);
    g_free(c);
}

static char *key(const char *name, uint16_t type)
{
    g_autofree char *low = g_ascii_strdown(name, -1);
    return g_strdup_printf("%s/%u", low, type);
}

static gboolean expired(void *k, void *v, void *now)
{
    (void)k;
    return ((Entry *)v)->expiry <= *(SimTime *)now;
}

static gboolean store(SimDnsCache *c, SimTime now, char *k, Entry *e)
{
    if (!g_hash_table_contains(c->map, k) && g_hash_table_size(c->map) >= c->capacity)
        g_hash_table_foreach_remove(c->map, expired, &now);
    if (!g_hash_table_contains(c->map, k) && g_hash_table_size(c->map) >= c->capacity) {
        c->refused++;
        g_free(k);
        entry_free(e);
        return FALSE;
    }
    g_hash_table_replace(c->map, k, e);
    return TRUE;
}

gboolean sim_dns_cache_put(SimDnsCache *c, SimTime now, const SimDnsRr *rrs, guint n)
{
    Entry *e = g_new0(Entry, 1);
    e->type = rrs[0].type;
    e->rrs = g_array_new(FALSE, FALSE, sizeof(SimDnsRr));
    uint32_t ttl = G_MAXUINT32;
    for (guint i = 0; i < n; i++) {
        if (rrs[i].type != rrs[0].type || g_ascii_strcasecmp(rrs[i].name, rrs[0].name))
            continue;
        g_array_append_val(e->rrs, rrs[i]);
        ttl = MIN(ttl, rrs[i].ttl); /* RFC 2181 §5.2 */
    }
    e->expiry = now + (SimTime)ttl * SIM_SEC;
    return store(c, now, key(rrs[0].name, rrs[0].type), e);
}

gboolean sim_dns_cache_put_negative(SimDnsCache *c, SimTime now, const char *name, uint16_t type,
                                    const SimDnsRr *soa)
{
    Entry *e = g_new0(Entry, 1);
    e->type = type;
    e->negative = true;
    e->rrs = g_array_new(FALSE, FALSE, sizeof(SimDnsRr));
    g_array_append_val(e->rrs, *soa);
    e->expiry = now + (SimTime)soa->ttl * SIM_SEC;
    return store(c, now, key(name, type), e);
}

/* Copies e's records with the TTL left into c->out. */
static void fill(SimDnsCache *c, const Entry *e, SimTime now, SimDnsCacheHit *hit)
{
    uint32_t left = (uint32_t)((e->expiry - now) / SIM_SEC);
    g_array_set_size(c->out, 0);
    g_array_append_vals(c->out, e->rrs->data, e->rrs->len);
    for (guint i = 0; i < c->out->len; i++)
        g_array_index(c->out, SimDnsRr, i).ttl = left;
    *hit = (SimDnsCacheHit){
        .negative = e->negative, .n = c->out->len, .rrs = (SimDnsRr *)c->out->data, .ttl = left};
}

gboolean sim_dns_cache_get(SimDnsCache *c, SimTime now, const char *name, uint16_t type,
                           SimDnsCacheHit *hit)
{
    g_autofree char *k = key(name, type);
    Entry *e = g_hash_table_lookup(c->map, k);
    if (e && e->expiry <= now) {
        g_hash_table_remove(c->map, k);
        e = NULL;
    }
    if (!e)
        return FALSE;
    fill(c, e, now, hit);
    return TRUE;
}

guint sim_dns_cache_size(const SimDnsCache *c)
{
    return g_hash_table_size(c->map);
}

guint64 sim_dns_cache_refused(const SimDnsCache *c)
{
    return c->refused;
}

static int by_key(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void sim_dns_cache_show(SimDnsCache *c, SimTime now, GString *out)
{
    g_hash_table_foreach_remove(c->map, expired, &now);
    guint n = 0;
    g_autofree gpointer *keys = g_hash_table_get_keys_as_array(c->map, &n);
    qsort(keys, n, sizeof *keys, by_key);
    g_string_append_printf(out, "%u cached entr%s (TTLs left, in seconds)\n", n,
                           n == 1 ? "y" : "ies");
    for (guint i = 0; i < n; i++) {
        const Entry *e = g_hash_table_lookup(c->map, keys[i]);
        SimDnsCacheHit hit;
        fill(c, e, now, &hit);
        if (e->negative) {
            char t[12];
            const char *slash = strrchr(keys[i], '/');
            g_string_append_printf(out, "%.*s. %u %s (negative, ", (int)(slash - (char *)keys[i]),
                                   (char *)keys[i], hit.ttl, e->type ? "NODATA" : "NXDOMAIN");
            if (e->type)
                g_string_append_printf(out, "type %s, ", sim_dns_type_name(e->type, t));
            g_string_append(out, "SOA ");
            g_string_append(out, hit.rrs[0].name);
            g_string_append(out, ".)\n");
            continue;
        }
        for (guint j = 0; j < hit.n; j++) {
            sim_dns_rr_format(&hit.rrs[j], out);
            g_string_append_c(out, '\n');
        }
    }
}
