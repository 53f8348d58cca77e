/* lazylib.c - dlopen() on first use for Graphviz and libedit (see
 * lazylib.h). Each forwarder costs one indirect call after the first; the
 * pointer is cached in a static per function. Not thread-safe: netsim draws
 * and reads the terminal from its one thread.
 */
#include "viz/lazylib.h"

#include <dlfcn.h>
#include <glib.h>
#include <graphviz/gvc.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
    const char *soname;
    void *handle;
} Lib;

static Lib libs[4];

static void *lib_open(const char *soname)
{
    for (size_t i = 0; i < G_N_ELEMENTS(libs); i++) {
        if (libs[i].soname && g_str_equal(libs[i].soname, soname))
            return libs[i].handle;
        if (!libs[i].soname) {
            void *h = dlopen(soname, RTLD_NOW | RTLD_GLOBAL);
            if (!h) {
                fprintf(stderr, "netsim: cannot load %s: %s\n", soname, dlerror());
                exit(2);
            }
            libs[i].soname = soname;
            libs[i].handle = h;
            return h;
        }
    }
    g_assert_not_reached();
}

void *sim_lazylib_sym(const char *soname, const char *sym)
{
    void *h = lib_open(soname);
    dlerror();
    void *p = dlsym(h, sym);
    if (!p) {
        const char *e = dlerror();
        fprintf(stderr, "netsim: %s has no %s: %s\n", soname, sym, e ? e : "null symbol");
        exit(2);
    }
    return p;
}

/* One forwarder: `ret name(params)` calling the library's `name(args)`. */
#define FORWARD(lib, ret, name, params, args)                                                      \
    ret name params                                                                                \
    {                                                                                              \
        static ret(*fn) params;                                                                    \
        if (!fn)                                                                                   \
            *(void **)&fn = sim_lazylib_sym(lib, #name);                                           \
        return fn args;                                                                            \
    }

#define CG NETSIM_LIBCGRAPH
#define GV NETSIM_LIBGVC

FORWARD(CG, Agraph_t *, agopen, (char *name, Agdesc_t desc, Agdisc_t *disc), (name, desc, disc))
FORWARD(CG, int, agclose, (Agraph_t * g), (g))
FORWARD(CG, Agnode_t *, agnode, (Agraph_t * g, char *name, int cflag), (g, name, cflag))
FORWARD(CG, Agnode_t *, agsubnode, (Agraph_t * g, Agnode_t *n, int cflag), (g, n, cflag))
FORWARD(CG, Agedge_t *, agedge, (Agraph_t * g, Agnode_t *t, Agnode_t *h, char *name, int cflag),
        (g, t, h, name, cflag))
FORWARD(CG, Agraph_t *, agroot, (void *obj), (obj))
FORWARD(CG, char *, agnameof, (void *obj), (obj))
FORWARD(CG, char *, agstrdup, (Agraph_t * g, char *s), (g, s))
FORWARD(CG, char *, agstrdup_html, (Agraph_t * g, char *s), (g, s))
FORWARD(CG, int, agstrfree, (Agraph_t * g, char *s), (g, s))
FORWARD(CG, Agsym_t *, agattr, (Agraph_t * g, int kind, char *name, char *value),
        (g, kind, name, value))
FORWARD(CG, char *, agget, (void *obj, char *name), (obj, name))
FORWARD(CG, int, agsafeset, (void *obj, char *name, char *value, char *def),
        (obj, name, value, def))
FORWARD(CG, Agraph_t *, agsubg, (Agraph_t * g, char *name, int cflag), (g, name, cflag))
FORWARD(CG, agusererrf, agseterrf, (agusererrf f), (f))
FORWARD(GV, GVC_t *, gvContext, (void), ())
FORWARD(GV, int, gvLayout, (GVC_t * gvc, graph_t *g, const char *engine), (gvc, g, engine))
FORWARD(GV, int, gvRenderData,
        (GVC_t * gvc, graph_t *g, const char *format, char **result, unsigned int *length),
        (gvc, g, format, result, length))
FORWARD(GV, int, gvFreeLayout, (GVC_t * gvc, graph_t *g), (gvc, g))

void gvFreeRenderData(char *data)
{
    static void (*fn)(char *);
    if (!fn)
        *(void **)&fn = sim_lazylib_sym(GV, "gvFreeRenderData");
    fn(data);
}

Agdesc_t sim_lazylib_undirected(void)
{
    return *(Agdesc_t *)sim_lazylib_sym(CG, "Agundirected");
}

Agmemdisc_t *sim_lazylib_mem_disc(void)
{
    return sim_lazylib_sym(CG, "AgMemDisc");
}

Agiodisc_t *sim_lazylib_io_disc(void)
{
    return sim_lazylib_sym(CG, "AgIoDisc");
}
