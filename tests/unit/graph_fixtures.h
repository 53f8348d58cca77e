/* graph_fixtures.h - reading the diagrams the viz tests draw: a DOT file
 * back through cgraph's agread, attributes, the edge of a topology link
 * (named l<index> by viz/diagram.c), counts. Header-only (static
 * functions) because CMake builds each test_*.c alone. */
#pragma once

#include <criterion/criterion.h>
#include <glib.h>
#include <graphviz/cgraph.h>
#include <stdio.h>
#include <string.h>

/* The graph in a DOT file; fails the test if it cannot be read. The caller
 * closes it (g_autoptr(Agraph_t) or agclose). */
static inline Agraph_t *read_dot(const char *path)
{
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "cannot open %s", path);
    Agraph_t *g = agread(f, NULL);
    fclose(f);
    cr_assert_not_null(g, "agread failed on %s", path);
    return g;
}

/* An attribute's value, "" when unset. */
static inline const char *attr(void *obj, const char *name)
{
    const char *v = agget(obj, (char *)name);
    return v ? v : "";
}

/* The edge drawn for topology link l; fails the test if there is none. */
static inline Agedge_t *edge_of_link(Agraph_t *g, guint l)
{
    g_autofree char *key = g_strdup_printf("l%u", l);
    for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n))
        for (Agedge_t *e = agfstout(g, n); e; e = agnxtout(g, e))
            if (strcmp(agnameof(e), key) == 0)
                return e;
    cr_assert_fail("no edge %s", key);
    return NULL;
}

static inline guint count_edges(Agraph_t *g)
{
    guint n = 0;
    for (Agnode_t *v = agfstnode(g); v; v = agnxtnode(g, v))
        for (Agedge_t *e = agfstout(g, v); e; e = agnxtout(g, e))
            n++;
    return n;
}

/* The node of that name; fails the test if there is none. */
static inline Agnode_t *node_named(Agraph_t *g, const char *name)
{
    Agnode_t *n = agnode(g, (char *)name, 0);
    cr_assert_not_null(n, "%s", name);
    return n;
}
