/* graph_ids.c - a cgraph ID discipline that numbers objects in creation
 * order, so that the same topology gives the same DOT in every drawing of a
 * process (see graph_ids.h). Split out of diagram.c, which builds the graph.
 */
#include "viz/graph_ids.h"
#include "viz/lazylib.h"

#include <glib.h>

/* ---- object IDs ------------------------------------------------------- */

/* cgraph's default ID discipline uses the address of the interned name as
 * a named object's ID, and keeps subgraphs ordered by ID: the clusters came
 * out of agwrite (and into the layout) in heap-address order, which differs
 * between the first and later drawings of a process (the stepper draws
 * many). These IDs count up in creation order instead: even numbers for
 * named objects (the name, interned with agstrdup, is kept for printing and
 * shared by every object of that name, counted), odd ones for anonymous
 * objects, as in the default. Cost: two hash lookups per named object. */
typedef struct {
    Agraph_t *g;
    IDTYPE next;
    GHashTable *by_name; /* interned name -> Named* */
    GHashTable *by_id;   /* GSIZE_TO_POINTER(id) -> Named* (owned) */
} IdState;

typedef struct {
    char *name; /* agstrdup'd */
    IDTYPE id;
    guint refs;
} Named;

static void *id_open(Agraph_t *g, Agdisc_t *disc)
{
    (void)disc;
    IdState *st = g_new0(IdState, 1);
    st->g = g;
    st->next = 1;
    st->by_name = g_hash_table_new(g_str_hash, g_str_equal);
    st->by_id = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    return st;
}

static long id_map(void *state, int objtype, char *str, IDTYPE *id, int createflag)
{
    (void)objtype;
    IdState *st = state;
    if (!str) {
        *id = st->next++ * 2 + 1;
        return 1;
    }
    Named *n = g_hash_table_lookup(st->by_name, str);
    if (!createflag) {
        if (n)
            *id = n->id;
        return n != NULL;
    }
    if (!n) {
        n = g_new0(Named, 1);
        n->name = agstrdup(st->g, str);
        n->id = st->next++ * 2;
        g_hash_table_insert(st->by_name, n->name, n);
        g_hash_table_insert(st->by_id, GSIZE_TO_POINTER(n->id), n);
    }
    n->refs++;
    *id = n->id;
    return 1;
}

static long id_alloc(void *state, int objtype, IDTYPE request)
{
    (void)state, (void)objtype, (void)request;
    return 0; /* no caller-chosen IDs, as the default */
}

static void id_free(void *state, int objtype, IDTYPE id)
{
    (void)objtype;
    IdState *st = state;
    Named *n = id % 2 ? NULL : g_hash_table_lookup(st->by_id, GSIZE_TO_POINTER(id));
    if (!n || --n->refs)
        return;
    g_hash_table_remove(st->by_name, n->name);
    agstrfree(st->g, n->name);
    g_hash_table_remove(st->by_id, GSIZE_TO_POINTER(id));
}

static char *id_print(void *state, int objtype, IDTYPE id)
{
    (void)objtype;
    IdState *st = state;
    Named *n = id % 2 ? NULL : g_hash_table_lookup(st->by_id, GSIZE_TO_POINTER(id));
    return n ? n->name : NULL;
}

static void id_close(void *state)
{
    IdState *st = state;
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, st->by_id);
    while (g_hash_table_iter_next(&it, NULL, &v))
        agstrfree(st->g, ((Named *)v)->name);
    g_hash_table_unref(st->by_name);
    g_hash_table_unref(st->by_id);
    g_free(st);
}

static void id_register(void *state, int objtype, void *obj)
{
    (void)state, (void)objtype, (void)obj;
}

static Agiddisc_t id_disc = {id_open, id_map, id_alloc, id_free, id_print, id_close, id_register};
static Agdisc_t disc = {NULL, &id_disc, NULL}; /* cgraph's own mem and io: lazylib.h */

Agraph_t *sim_viz_graph_open(const char *name)
{
    disc.mem = sim_lazylib_mem_disc();
    disc.io = sim_lazylib_io_disc();
    return agopen((char *)name, sim_lazylib_undirected(), &disc);
}
